import { defineCheck, pointer, type Observation, type SshObservation, type SshProbe, type Workspace } from '@spine-lint/core';
import { relocationPlan, type VmTarget } from '../bindings/relocationPlan.js';
import { vmProfiles } from '../bindings/vmProfiles.js';
import { DEFAULT_COMMAND_TIMEOUT_SEC, exitText, failureOf, observationsOf, resolveSsh, sshProbe } from '../liveSupport.js';
import { commandTimeoutSecSchema, secondsToMs } from '../shared/options.js';

export interface VmReadinessOptions {
  /** The infra.vm.profiles profile whose `readiness.require_*` flags say which rows are checked. */
  profile: string;
  /** Timeout of each SSH command, in seconds. */
  commandTimeoutSec: number;
}

const DEFAULT_OPTIONS: VmReadinessOptions = { profile: 'spine-ready-v1', commandTimeoutSec: DEFAULT_COMMAND_TIMEOUT_SEC };

type Row = 'vm_running' | 'ssh_reachability' | 'tailscale_connected' | 'qemu_agent_running' | 'cron_running';

const FLAG: Record<Row, string> = {
  vm_running: 'require_running',
  ssh_reachability: 'require_ssh_reachability',
  tailscale_connected: 'require_tailscale_connected',
  qemu_agent_running: 'require_qemu_agent_running',
  cron_running: 'require_cron_running',
};

interface Planned {
  vm: VmTarget;
  name: string;
  row: Row;
  /** The row's probes (cron_running has two: cron, crond). */
  probes: SshProbe[];
  pointer: string;
}

interface Unprobed {
  vm: VmTarget;
  name: string;
  rows: Row[];
  host: string;
  why: string;
  pointer: string;
}

function build(ws: Workspace, options: VmReadinessOptions): { planned: Planned[]; unprobed: Unprobed[] } {
  const plan = relocationPlan(ws);
  const profiles = vmProfiles(ws);
  const readiness = profiles.profiles.get(options.profile)?.readiness ?? {};
  // `false` is honoured (the reference's `// true` coerced it to true, spec §6 item 1).
  const required = (row: Row): boolean => readiness[FLAG[row]] !== false;
  const timeout = secondsToMs(options.commandTimeoutSec);
  const proxmoxDefault = typeof profiles.defaults.proxmox_host === 'string' ? profiles.defaults.proxmox_host : 'pve';
  const proxmoxUser = typeof profiles.defaults.proxmox_user === 'string' ? profiles.defaults.proxmox_user : undefined;
  const planned: Planned[] = [];
  const unprobed: Unprobed[] = [];
  for (const vm of plan.vmTargets) {
    if (!vm.hostname || vm.status === 'planned') continue;
    const name = vm.hostname;
    const vmid = vm.vm_id ?? '';
    const at = (field: string): string => pointer('vm_targets', vm.index, field);
    // Rows on the Proxmox host.
    const pveRows = (['vm_running', 'qemu_agent_running'] as Row[]).filter(required);
    if (pveRows.length > 0) {
      const pveId = vm.proxmox_host ?? proxmoxDefault;
      const r = resolveSsh(ws, pveId);
      if (!r.ok)
        unprobed.push({
          vm,
          name,
          rows: pveRows,
          host: pveId,
          why: r.reason === 'missing' ? `no ssh.targets entry for Proxmox host '${pveId}'` : `ssh.targets '${pveId}' has no host`,
          pointer: at(vm.proxmox_host ? 'proxmox_host' : 'hostname'),
        });
      else {
        const rr = proxmoxUser ? { ...r, target: { ...r.target, user: proxmoxUser } } : r;
        for (const row of pveRows) {
          const command = row === 'vm_running' ? 'qm-status' : 'qm-agent-ping';
          planned.push({ vm, name, row, probes: [sshProbe(`${name}:${row}`, name, rr, command, { vmid }, timeout)], pointer: at('vm_id') });
        }
      }
    }
    // Rows on the VM itself.
    const vmRows = (['ssh_reachability', 'tailscale_connected', 'cron_running'] as Row[]).filter(required);
    if (vmRows.length > 0) {
      const r = resolveSsh(ws, name);
      if (!r.ok)
        unprobed.push({ vm, name, rows: vmRows, host: name, why: r.reason === 'missing' ? `no ssh.targets entry for '${name}'` : `ssh.targets '${name}' has no host`, pointer: at('hostname') });
      else {
        for (const row of vmRows) {
          const probes =
            row === 'ssh_reachability'
              ? [sshProbe(`${name}:${row}`, name, r, 'reachability', {}, timeout)]
              : row === 'tailscale_connected'
                ? [sshProbe(`${name}:${row}`, name, r, 'tailscale-status', {}, timeout)]
                : [sshProbe(`${name}:cron`, name, r, 'systemctl-is-active', { unit: 'cron' }, timeout), sshProbe(`${name}:crond`, name, r, 'systemctl-is-active', { unit: 'crond' }, timeout)];
          planned.push({ vm, name, row, probes, pointer: at('hostname') });
        }
      }
    }
  }
  return { planned, unprobed };
}

/** Verdict of one row: undefined when OK, else the detail. */
function judge(row: Row, obs: (SshObservation | undefined)[]): string | undefined {
  const failure = obs.map(failureOf).find((f) => f !== undefined);
  switch (row) {
    case 'vm_running': {
      const o = obs[0];
      if (failureOf(o) || !o) return failureOf(o);
      const status = /^status:\s*(\S+)/m.exec(o.stdout ?? '')?.[1];
      if (o.exitCode === 0 && status === 'running') return undefined;
      return status ? `qm status=${status}` : `qm status failed (${exitText(o)})`;
    }
    case 'ssh_reachability':
      return failure ?? (obs[0]!.exitCode === 0 ? undefined : `reachability command ${exitText(obs[0]!)}`);
    case 'qemu_agent_running':
      return failure ?? (obs[0]!.exitCode === 0 ? undefined : `guest agent ping ${exitText(obs[0]!)}`);
    case 'tailscale_connected': {
      const o = obs[0]!;
      if (failure) return failure;
      if (o.exitCode !== 0) return `tailscale not connected or binary missing (${exitText(o)})`;
      try {
        const status = JSON.parse(o.stdout ?? '') as { BackendState?: string; Self?: { Online?: boolean } };
        if (status.BackendState !== 'Running') return `tailscale BackendState=${status.BackendState ?? 'unknown'}`;
        return undefined;
      } catch {
        return 'tailscale status --json did not print JSON';
      }
    }
    case 'cron_running': {
      if (obs.some((o) => o !== undefined && !failureOf(o) && o.exitCode === 0 && (o.stdout ?? '').trim() === 'active')) return undefined;
      return failure ?? `cron/crond service not active (cron: ${(obs[0]?.stdout ?? '').trim() || '?'}, crond: ${(obs[1]?.stdout ?? '').trim() || '?'})`;
    }
  }
}

/**
 * The live rows of `infra.vm.ready.status` (spec §2.12) for every VM target past `planned`,
 * honouring the profile's `readiness.require_*` flags, including `false`.
 */
export default defineCheck<'notReady' | 'unprobed', SshProbe, Observation, VmReadinessOptions>({
  id: 'vm-readiness',
  aliases: ['infra.vm.ready.status'],
  title: 'VM targets are profile-ready',
  description:
    'For each relocation VM target past planned: the VM runs on its Proxmox host (qm status), answers SSH, is connected to Tailscale, its QEMU guest agent ' +
    'answers, and cron (or crond) is active — each row only when the profile requires it.',
  severity: 'error',
  kind: 'live',
  reads: ['infra.relocation.plan', 'infra.vm.profiles', 'ssh.targets'],
  ports: 'ops/plugins/infra/bin/infra-vm-ready-status',
  fixHint: 'Start the VM or the failing service on it (qm start, systemctl enable --now, tailscale up), or turn the row off in the profile with readiness.require_<row>: false.',
  optionsSchema: {
    type: 'object',
    properties: {
      profile: { type: 'string', minLength: 1, description: 'The infra.vm.profiles profile whose `readiness.require_*` flags choose the rows checked.' },
      commandTimeoutSec: commandTimeoutSecSchema,
    },
  },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    notReady: 'VM {{vm}} (vmid {{vmid}}): {{row}} failed: {{detail}}',
    unprobed: 'VM {{vm}}: {{rows}} cannot be probed: {{why}}',
  },
  plan(ctx) {
    const { planned } = build(ctx.workspace, ctx.options);
    return planned.flatMap((p) => p.probes);
  },
  evaluate(ctx, observations) {
    const { planned, unprobed } = build(ctx.workspace, ctx.options);
    const plan = relocationPlan(ctx.workspace);
    const observed = observationsOf(
      planned.flatMap((p) => p.probes),
      observations,
    );
    for (const p of planned) {
      const obs = p.probes.map(observed);
      const detail = judge(p.row, obs);
      if (detail !== undefined) ctx.report({ messageId: 'notReady', data: { vm: p.name, target: p.name, vmid: p.vm.vm_id ?? 'null', row: p.row, detail }, file: plan.file, pointer: p.pointer });
    }
    for (const u of unprobed) ctx.report({ messageId: 'unprobed', data: { vm: u.name, target: u.name, rows: u.rows, host: u.host, why: u.why }, file: plan.file, pointer: u.pointer });
  },
});
