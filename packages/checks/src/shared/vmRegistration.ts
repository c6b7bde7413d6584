/**
 * One VM's registrations against vm.lifecycle, the per-VM authority: its ssh target (host == lan_ip,
 * same Tailscale IP) and its SERVICE_REGISTRY host (same Tailscale IP and ssh target). D258
 * (ssh-lifecycle-parity) and D259 (onboarding-registration) port two gates that test the same
 * thing; each keeps its own message texts under the same message ids.
 */
import type { FindingData, ReportDescriptor } from '@spine-lint/core';
import type { RegistryHost, ServiceRegistryView } from '../bindings/serviceRegistry.js';
import type { SshTarget, SshTargetsView } from '../bindings/sshTargets.js';
import type { LifecycleVm, VmLifecycleView } from '../bindings/vmLifecycle.js';

/** The message ids a check calling {@link checkVmRegistration} declares. */
export type VmRegistrationMessageId = 'missingField' | 'missingSshTarget' | 'lanIpMismatch' | 'tailscaleMismatch' | 'missingRegistryHost' | 'registryTailscaleMismatch' | 'registrySshMismatch';

/** Where the two gates differ: what their findings carry, and what D258 alone checks on the target. */
export interface VmRegistrationShape {
  /** Added to the "missing" findings' data (D259 names the status the VM may not have yet). */
  missingData: FindingData;
  /** Whether the ssh target mismatch findings name the target in their data (D258's do). */
  nameTarget: boolean;
  /** Called with the VM's ssh target once it is found, after its own comparisons. */
  onSshTarget?: (target: SshTarget) => void;
}

/**
 * Report where the ssh target and the SERVICE_REGISTRY host of `vm` (named `host`, its hostname)
 * disagree with vm.lifecycle; `tailscaleIp` is the VM's IP as the gate reads it (`undefined`: not
 * compared). Returns the registry host, or `undefined` when it is missing (reported).
 */
export function checkVmRegistration(
  ctx: { report(descriptor: ReportDescriptor<VmRegistrationMessageId>): void },
  vm: LifecycleVm,
  host: string,
  tailscaleIp: string | undefined,
  views: { lifecycle: VmLifecycleView; ssh: SshTargetsView; registry: ServiceRegistryView },
  shape: VmRegistrationShape,
): RegistryHost | undefined {
  const { lifecycle, ssh, registry } = views;
  if (vm.ssh_target === undefined) ctx.report({ messageId: 'missingField', data: { host, field: 'ssh_target', ...shape.missingData }, file: lifecycle.file, pointer: vm.pointer });
  else {
    const target = ssh.get(vm.ssh_target);
    if (!target) ctx.report({ messageId: 'missingSshTarget', data: { host, target: vm.ssh_target, ...shape.missingData }, file: lifecycle.file, pointer: `${vm.pointer}/ssh_target` });
    else {
      const named = shape.nameTarget ? { host, target: vm.ssh_target } : { host };
      if (target.host !== vm.lan_ip)
        ctx.report({ messageId: 'lanIpMismatch', data: { ...named, lifecycle: vm.lan_ip ?? null, actual: target.host ?? null }, file: ssh.file, pointer: `${target.pointer}/host` });
      if (tailscaleIp !== undefined && target.tailscale_ip !== undefined && target.tailscale_ip !== tailscaleIp)
        ctx.report({
          messageId: 'tailscaleMismatch',
          data: { ...named, lifecycle: tailscaleIp, actual: target.tailscale_ip ?? null },
          file: ssh.file,
          pointer: target.tailscale_ip === undefined ? target.pointer : `${target.pointer}/tailscale_ip`,
        });
      shape.onSshTarget?.(target);
    }
  }
  const reg = registry.hosts.get(host);
  if (!reg) {
    ctx.report({ messageId: 'missingRegistryHost', data: { host, ...shape.missingData }, file: lifecycle.file, pointer: `${vm.pointer}/hostname` });
    return undefined;
  }
  if (tailscaleIp !== undefined && reg.tailscale_ip !== tailscaleIp)
    ctx.report({ messageId: 'registryTailscaleMismatch', data: { host, lifecycle: tailscaleIp, actual: reg.tailscale_ip ?? null }, file: registry.file, pointer: `${reg.pointer}/tailscale_ip` });
  if (vm.ssh_target !== undefined && reg.ssh !== vm.ssh_target)
    ctx.report({ messageId: 'registrySshMismatch', data: { host, lifecycle: vm.ssh_target, actual: reg.ssh ?? null }, file: registry.file, pointer: `${reg.pointer}/ssh` });
  return reg;
}
