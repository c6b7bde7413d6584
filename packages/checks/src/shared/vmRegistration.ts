/**
 * One VM's registrations against vm.lifecycle, the per-VM authority: its ssh target (host == lan_ip,
 * same Tailscale IP) and its SERVICE_REGISTRY host (same Tailscale IP and ssh target). D258
 * (ssh-lifecycle-parity) and D259 (onboarding-registration) port two gates that test the same
 * thing; each keeps its own message texts under the same message ids.
 */
import { replaceValueFix, type FindingData, type Fix, type ReportDescriptor, type Workspace } from '@spine-lint/core';
import type { RegistryHost, ServiceRegistryView } from '../bindings/serviceRegistry.js';
import type { SshTarget, SshTargetsView } from '../bindings/sshTargets.js';
import type { LifecycleVm, VmLifecycleView } from '../bindings/vmLifecycle.js';
import { isAddressText, isTailscaleIp } from './tailscale.js';

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
 *
 * A mismatch carries a suggestion per side, never a fix: vm.lifecycle is the gate's authority, but
 * which value is true (a VM re-addressed, or a lifecycle entry never updated) is a person's call.
 */
export function checkVmRegistration(
  ctx: { readonly workspace: Workspace; report(descriptor: ReportDescriptor<VmRegistrationMessageId>): void },
  vm: LifecycleVm,
  host: string,
  tailscaleIp: string | undefined,
  views: { lifecycle: VmLifecycleView; ssh: SshTargetsView; registry: ServiceRegistryView },
  shape: VmRegistrationShape,
): RegistryHost | undefined {
  const { lifecycle, ssh, registry } = views;
  const ws = ctx.workspace;
  // A suggestion replaces an existing value; a missing one is not written (where it goes is not certain).
  const offer = (file: string, pointer: string, present: string | undefined, value: string | undefined, description: string): Fix | undefined =>
    present === undefined || value === undefined ? undefined : replaceValueFix(ws, file, pointer, value, description);
  const both = (...fixes: (Fix | undefined)[]): Fix[] => fixes.filter((f): f is Fix => f !== undefined);
  const L = ws.pathOf(lifecycle.file);
  // vm.lifecycle is offered only an address of the right kind (an ssh host that is the Tailscale IP is no LAN IP).
  const lanIp = (v: string | undefined): string | undefined => (v !== undefined && isAddressText(v) && !isTailscaleIp(v) ? v : undefined);
  const tsIp = (v: string | undefined): string | undefined => (isTailscaleIp(v) ? v : undefined);
  if (vm.ssh_target === undefined) ctx.report({ messageId: 'missingField', data: { host, field: 'ssh_target', ...shape.missingData }, file: lifecycle.file, pointer: vm.pointer });
  else {
    const target = ssh.get(vm.ssh_target);
    if (!target) ctx.report({ messageId: 'missingSshTarget', data: { host, target: vm.ssh_target, ...shape.missingData }, file: lifecycle.file, pointer: `${vm.pointer}/ssh_target` });
    else {
      const named = shape.nameTarget ? { host, target: vm.ssh_target } : { host };
      if (target.host !== vm.lan_ip)
        ctx.report({
          messageId: 'lanIpMismatch',
          data: { ...named, lifecycle: vm.lan_ip ?? null, actual: target.host ?? null },
          file: ssh.file,
          pointer: `${target.pointer}/host`,
          suggestions: both(
            offer(ssh.file, `${target.pointer}/host`, target.host, vm.lan_ip, `set the host of ssh target '${target.id}' to ${vm.lan_ip} (as ${L} says)`),
            offer(lifecycle.file, `${vm.pointer}/lan_ip`, vm.lan_ip, lanIp(target.host), `set the lan_ip of VM '${host}' to ${target.host} (as ssh.targets says)`),
          ),
        });
      if (tailscaleIp !== undefined && target.tailscale_ip !== undefined && target.tailscale_ip !== tailscaleIp)
        ctx.report({
          messageId: 'tailscaleMismatch',
          data: { ...named, lifecycle: tailscaleIp, actual: target.tailscale_ip ?? null },
          file: ssh.file,
          pointer: target.tailscale_ip === undefined ? target.pointer : `${target.pointer}/tailscale_ip`,
          suggestions: both(
            offer(ssh.file, `${target.pointer}/tailscale_ip`, target.tailscale_ip, tailscaleIp, `set the tailscale_ip of ssh target '${target.id}' to ${tailscaleIp} (as ${L} says)`),
            offer(lifecycle.file, `${vm.pointer}/tailscale_ip`, vm.tailscale_ip, tsIp(target.tailscale_ip), `set the tailscale_ip of VM '${host}' to ${target.tailscale_ip} (as ssh.targets says)`),
          ),
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
    ctx.report({
      messageId: 'registryTailscaleMismatch',
      data: { host, lifecycle: tailscaleIp, actual: reg.tailscale_ip ?? null },
      file: registry.file,
      pointer: `${reg.pointer}/tailscale_ip`,
      suggestions: both(
        offer(registry.file, `${reg.pointer}/tailscale_ip`, reg.tailscale_ip, tailscaleIp, `set SERVICE_REGISTRY tailscale_ip of '${host}' to ${tailscaleIp} (as ${L} says)`),
        offer(lifecycle.file, `${vm.pointer}/tailscale_ip`, vm.tailscale_ip, tsIp(reg.tailscale_ip), `set the tailscale_ip of VM '${host}' to ${reg.tailscale_ip} (as SERVICE_REGISTRY says)`),
      ),
    });
  if (vm.ssh_target !== undefined && reg.ssh !== vm.ssh_target)
    ctx.report({
      messageId: 'registrySshMismatch',
      data: { host, lifecycle: vm.ssh_target, actual: reg.ssh ?? null },
      file: registry.file,
      pointer: `${reg.pointer}/ssh`,
      suggestions: both(
        offer(registry.file, `${reg.pointer}/ssh`, reg.ssh, vm.ssh_target, `set SERVICE_REGISTRY ssh of '${host}' to '${vm.ssh_target}' (as ${L} says)`),
        // Only a name that is an ssh target is offered to vm.lifecycle.
        offer(
          lifecycle.file,
          `${vm.pointer}/ssh_target`,
          vm.ssh_target,
          reg.ssh !== undefined && ssh.get(reg.ssh) ? reg.ssh : undefined,
          `set the ssh_target of VM '${host}' to '${reg.ssh}' (as SERVICE_REGISTRY says)`,
        ),
      ),
    });
  return reg;
}
