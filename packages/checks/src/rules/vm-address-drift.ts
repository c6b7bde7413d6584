import { defineCheck, pointer, type Observation, type SshProbe, type Workspace } from '@spine-lint/core';
import { relocationPlan, type VmTarget } from '../bindings/relocationPlan.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { vmLifecycle } from '../bindings/vmLifecycle.js';
import { vmProfiles } from '../bindings/vmProfiles.js';
import { DEFAULT_COMMAND_TIMEOUT_SEC, exitText, failureOf, observationsOf, resolveSsh, sshProbe } from '../liveSupport.js';
import { commandTimeoutSecSchema, secondsToMs } from '../shared/options.js';

export interface VmAddressDriftOptions {
  /** Timeout of each SSH command, in seconds. */
  commandTimeoutSec: number;
}

const DEFAULT_OPTIONS: VmAddressDriftOptions = { commandTimeoutSec: DEFAULT_COMMAND_TIMEOUT_SEC };

interface Entry {
  vm: VmTarget;
  name: string;
  expected: string;
  file: string;
  pointer: string;
  probe?: SshProbe;
  why?: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function entries(ws: Workspace, options: VmAddressDriftOptions): Entry[] {
  const plan = relocationPlan(ws);
  const lifecycle = vmLifecycle(ws);
  const ssh = sshTargets(ws);
  const profiles = vmProfiles(ws);
  const timeout = secondsToMs(options.commandTimeoutSec);
  const proxmoxDefault = typeof profiles.defaults.proxmox_host === 'string' ? profiles.defaults.proxmox_host : 'pve';
  const out: Entry[] = [];
  for (const vm of plan.vmTargets) {
    if (!vm.hostname || vm.status === 'planned') continue;
    // The VM's LAN address in the bindings: vm.lifecycle lan_ip, else the ssh.targets host (LAN-first).
    const lc = lifecycle.vms.find((v) => v.hostname === vm.hostname && v.lan_ip);
    const st = ssh.get(vm.hostname);
    let expected: string | undefined;
    let file = '';
    let ptr = '';
    if (lc?.lan_ip) {
      expected = lc.lan_ip;
      file = lifecycle.file;
      ptr = pointer('vms', lc.index, 'lan_ip');
    } else if (st?.host && IPV4.test(st.host)) {
      expected = st.host;
      file = ssh.file;
      ptr = pointer('ssh', 'targets', st.index, 'host');
    }
    if (!expected) continue; // nothing to compare against
    const pveId = vm.proxmox_host ?? proxmoxDefault;
    const r = resolveSsh(ws, pveId);
    const e: Entry = { vm, name: vm.hostname, expected, file, pointer: ptr };
    if (!r.ok) e.why = r.reason === 'missing' ? `no ssh.targets entry for Proxmox host '${pveId}'` : `ssh.targets '${pveId}' has no host`;
    else e.probe = sshProbe(`${vm.hostname}:interfaces`, vm.hostname, r, 'qm-guest-network-interfaces', { vmid: vm.vm_id ?? '' }, timeout);
    out.push(e);
  }
  return out;
}

/** IPv4 addresses of every interface except `lo`, from `qm guest cmd <vmid> network-get-interfaces`. */
export function guestIpv4(json: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed) ? parsed : Array.isArray((parsed as { result?: unknown })?.result) ? (parsed as { result: unknown[] }).result : undefined;
  if (!list) return undefined;
  const out: string[] = [];
  for (const iface of list as { name?: unknown; 'ip-addresses'?: unknown }[]) {
    if (!iface || iface.name === 'lo' || !Array.isArray(iface['ip-addresses'])) continue;
    for (const a of iface['ip-addresses'] as { 'ip-address-type'?: unknown; 'ip-address'?: unknown }[]) {
      if (a?.['ip-address-type'] === 'ipv4' && typeof a['ip-address'] === 'string') out.push(a['ip-address']);
    }
  }
  return out;
}

/**
 * The runbook's step 2 as a check: the guest agent's view of the VM's addresses (Proxmox host,
 * `qm guest cmd <vmid> network-get-interfaces`) includes the LAN address the bindings give it.
 */
export default defineCheck<'drift' | 'probeFailed' | 'unprobed', SshProbe, Observation, VmAddressDriftOptions>({
  id: 'vm-address-drift',
  title: 'VM LAN address matches the guest',
  description:
    "For each relocation VM target past planned, the IPv4 addresses the QEMU guest agent reports (all interfaces but lo) include the VM's LAN address from " +
    'vm.lifecycle (lan_ip) or ssh.targets (host).',
  severity: 'error',
  kind: 'live',
  reads: ['infra.relocation.plan', 'vm.lifecycle', 'ssh.targets', 'infra.vm.profiles'],
  fixHint: 'Update the LAN address in vm.lifecycle.yaml / ssh.targets.yaml (and DEVICE_IDENTITY_SSOT.md) to what the VM really has, or fix the VM network (DHCP reservation).',
  optionsSchema: { type: 'object', properties: { commandTimeoutSec: commandTimeoutSecSchema } },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    drift: 'VM {{vm}} (vmid {{vmid}}): bindings say LAN address {{expected}}, the guest reports {{actual}}',
    probeFailed: 'VM {{vm}} (vmid {{vmid}}): cannot read guest interfaces: {{detail}}',
    unprobed: 'VM {{vm}}: guest interfaces cannot be probed: {{why}}',
  },
  plan(ctx) {
    return entries(ctx.workspace, ctx.options).flatMap((e) => (e.probe ? [e.probe] : []));
  },
  evaluate(ctx, observations) {
    const plan = relocationPlan(ctx.workspace);
    const list = entries(ctx.workspace, ctx.options);
    const observed = observationsOf(
      list.flatMap((e) => (e.probe ? [e.probe] : [])),
      observations,
    );
    for (const e of list) {
      const base = { vm: e.name, target: e.name, vmid: e.vm.vm_id ?? 'null', expected: e.expected };
      if (!e.probe) {
        ctx.report({ messageId: 'unprobed', data: { ...base, why: e.why! }, file: plan.file, pointer: pointer('vm_targets', e.vm.index, 'proxmox_host') });
        continue;
      }
      const o = observed(e.probe);
      const failure = failureOf(o);
      const addresses = !failure && o?.exitCode === 0 ? guestIpv4(o.stdout ?? '') : undefined;
      if (!addresses) {
        ctx.report({
          messageId: 'probeFailed',
          data: { ...base, detail: failure ?? (o && o.exitCode !== 0 ? exitText(o) : "output is not the agent's interface list") },
          file: plan.file,
          pointer: pointer('vm_targets', e.vm.index, 'vm_id'),
        });
        continue;
      }
      if (!addresses.includes(e.expected)) ctx.report({ messageId: 'drift', data: { ...base, actual: addresses.length ? addresses.join(', ') : 'no IPv4 address' }, file: e.file, pointer: e.pointer });
    }
  },
});
