import { defineCheck, type Observation, type SshProbe, type Workspace } from '@spine-lint/core';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { exitText, failureOf, observationsOf, resolveSsh, sshProbe, type SshResolution } from '../liveSupport.js';
import { commandTimeoutSecSchema, secondsToMs } from '../shared/options.js';

interface HostNeed {
  host: string;
  required: boolean;
  reasons: string[];
  /** Pointer to the first place that makes the host required (or, failing that, mentions it). */
  pointer: string;
}

const IGNORED = new Set(['', 'null', 'new', 'none']);

export interface RelocationPreflightOptions {
  /** Timeout of each SSH reachability command, in seconds. */
  commandTimeoutSec: number;
}

/** Reachability is one `true`: a shorter default than the other SSH checks' 15 s. */
const DEFAULT_OPTIONS: RelocationPreflightOptions = { commandTimeoutSec: 10 };

/** The required-host registry of `infra-relocation-preflight` (spec §2.5). */
export function requiredHosts(ws: Workspace): HostNeed[] {
  const plan = relocationPlan(ws);
  const hosts = new Map<string, HostNeed>();
  const add = (host: string | undefined, required: boolean, reason: string, ptr: string): void => {
    if (host === undefined || IGNORED.has(host)) return;
    const h = hosts.get(host);
    if (!h) hosts.set(host, { host, required, reasons: [reason], pointer: ptr });
    else {
      h.reasons.push(reason);
      if (required && !h.required) {
        h.required = true;
        h.pointer = ptr;
      }
    }
  };
  for (const vm of plan.vmTargets) add(vm.hostname, vm.status !== 'planned', `vm:${vm.status ?? 'null'}`, `${vm.pointer}/hostname`);
  for (const s of plan.services) {
    const status = s.status ?? 'null';
    const req = (role: 'from' | 'to' | 'rollback'): boolean =>
      status === 'shadow' || status === 'cutover' ? role !== 'rollback' : status === 'migrated' ? role === 'to' : status === 'rolled-back' ? role === 'rollback' : false;
    add(s.from_host, req('from'), `service:${s.service}:from:${status}`, `${s.pointer}/from_host`);
    add(s.to_host, req('to'), `service:${s.service}:to:${status}`, `${s.pointer}/to_host`);
    add(s.rollback_to, req('rollback'), `service:${s.service}:rollback:${status}`, `${s.pointer}/rollback_to`);
  }
  return [...hosts.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

/** Each required host with its ssh.targets resolution and, when it resolves, its reachability probe. */
function hostProbes(ws: Workspace, options: RelocationPreflightOptions): { h: HostNeed; r: SshResolution; probe?: SshProbe }[] {
  const timeout = secondsToMs(options.commandTimeoutSec);
  return requiredHosts(ws).map((h) => {
    const r = resolveSsh(ws, h.host);
    return { h, r, ...(r.ok ? { probe: sshProbe(`reach:${h.host}`, h.host, r, 'reachability', {}, timeout) } : {}) };
  });
}

/**
 * The live half of `infra.relocation.preflight` (spec §2.5): every host the relocation manifest
 * requires in its current state has an ssh.targets entry and answers SSH. Optional hosts only warn.
 */
export default defineCheck<'missingTarget' | 'unreachable', SshProbe, Observation, RelocationPreflightOptions>({
  id: 'relocation-preflight',
  aliases: ['infra.relocation.preflight'],
  title: 'Relocation hosts are reachable',
  description:
    'Each host the relocation manifest needs (VM targets past planned; from/to hosts of shadow or cutover services; to hosts of migrated ones; rollback ' +
    'hosts of rolled-back ones) has an ssh.targets entry and answers SSH; hosts that are only optional in the current state give warnings.',
  severity: 'error',
  kind: 'live',
  reads: ['infra.relocation.plan', 'ssh.targets'],
  ports: 'ops/plugins/infra/bin/infra-relocation-preflight',
  fixHint: 'Add the host to ssh.targets.yaml, or make it reachable (VM up, sshd running, key authorised) before continuing the relocation.',
  optionsSchema: { type: 'object', properties: { commandTimeoutSec: commandTimeoutSecSchema } },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    missingTarget: '{{host}}: missing ssh.targets entry ({{requirement}}; reasons={{reasons}})',
    unreachable: '{{host}} ({{user}}@{{address}}): UNREACHABLE ({{requirement}}; reasons={{reasons}}): {{detail}}',
  },
  plan(ctx) {
    return hostProbes(ctx.workspace, ctx.options).flatMap((e) => (e.probe ? [e.probe] : []));
  },
  evaluate(ctx, observations) {
    const plan = relocationPlan(ctx.workspace);
    const list = hostProbes(ctx.workspace, ctx.options);
    const observed = observationsOf(
      list.flatMap((e) => (e.probe ? [e.probe] : [])),
      observations,
    );
    for (const { h, r, probe } of list) {
      const requirement = h.required ? 'required' : 'optional in current state';
      const severity = h.required ? undefined : ('warning' as const);
      const data = { host: h.host, target: h.host, requirement, reasons: h.reasons.join(',') };
      if (!r.ok || !probe) {
        ctx.report({ messageId: 'missingTarget', data, file: plan.file, pointer: h.pointer, severity });
        continue;
      }
      const o = observed(probe);
      const failure = failureOf(o);
      const detail = failure ?? (o && o.exitCode !== 0 ? exitText(o) : undefined);
      if (detail !== undefined) ctx.report({ messageId: 'unreachable', data: { ...data, user: r.target.user, address: r.target.host, detail }, file: plan.file, pointer: h.pointer, severity });
    }
  },
});
