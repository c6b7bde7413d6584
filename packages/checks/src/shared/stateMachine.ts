/**
 * The relocation state machine (spec §3.2, §3.3) as data: the edges the transition capabilities
 * allow, the relocation states a service status needs, and the planner `spine-lint relocate` uses
 * to walk a service (and its relocation) along those edges. Pure.
 */
import { isTailscaleIp } from './tailscale.js';

/** Spec §3.2: allowed `active_relocation.state` edges (`infra-relocation-state-transition` L101–108), X → X included. */
export const STATE_NEXT: Readonly<Record<string, readonly string[]>> = {
  planning: ['planning', 'preflight'],
  preflight: ['preflight', 'cutover'],
  cutover: ['cutover', 'cleanup'],
  cleanup: ['cleanup', 'complete'],
  complete: ['complete'],
};

/** Spec §3.3: allowed `services[].status` edges (`infra-relocation-service-transition` L84–117), X → X included. */
export const SERVICE_NEXT: Readonly<Record<string, readonly string[]>> = {
  planned: ['planned', 'shadow'],
  shadow: ['shadow', 'cutover', 'rolled-back'],
  cutover: ['cutover', 'migrated', 'applied', 'rolled-back'],
  migrated: ['migrated', 'rolled-back'],
  applied: ['applied'],
  'rolled-back': ['rolled-back'],
};

/** Spec §3.3 state alignment: the relocation states a requested status needs, and whether it needs approval. */
export const SERVICE_ALIGNMENT: Readonly<Record<string, { states: readonly string[]; approval: boolean }>> = {
  shadow: { states: ['preflight', 'cutover', 'cleanup', 'complete'], approval: false },
  cutover: { states: ['cutover', 'cleanup', 'complete'], approval: true },
  migrated: { states: ['cutover', 'cleanup', 'complete'], approval: true },
  'rolled-back': { states: ['cutover', 'cleanup', 'complete'], approval: true },
};

/** Spec §3.2: the VM target statuses a requested state accepts for its `--target`. */
export const STATE_VM_STATUSES: Readonly<Record<string, readonly string[]>> = {
  planning: ['planned', 'provisioned', 'ready', 'cutover', 'complete'],
  preflight: ['provisioned', 'ready', 'cutover', 'complete'],
  cutover: ['ready', 'cutover', 'complete'],
  cleanup: ['cutover', 'complete'],
  complete: ['cutover', 'complete'],
};

/** VM statuses that need a Tailscale IP (the state-transition script demands one; bootstrap installs Tailscale before `ready`). */
export const NEEDS_TAILSCALE_IP: readonly string[] = ['ready', 'cutover', 'complete'];

/** `approved_by` as the scripts read it: empty, whitespace and the text `null` are no approval. */
export const isEmptyApproval = (v: string | undefined): boolean => v === undefined || v.trim() === '' || v === 'null';

/**
 * The shortest walk from `from` to `to` along `edges` (the states after `from`, in order): `[]` when
 * they are equal, undefined when `to` cannot be reached. The capabilities move one edge per run; a
 * walk is those runs in order.
 */
export function transitionPath(edges: Readonly<Record<string, readonly string[]>>, from: string, to: string): string[] | undefined {
  if (from === to) return [];
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const next of edges[at] ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, at);
      if (next === to) {
        const path = [to];
        for (let p = at; p !== from; p = previous.get(p)!) path.unshift(p);
        return path;
      }
      queue.push(next);
    }
  }
  return undefined;
}

/** What a relocation move starts from: the manifest as it is. */
export interface MoveStart {
  /** `active_relocation.state`; undefined when there is no active relocation. */
  readonly state: string | undefined;
  readonly approvedBy: string | undefined;
  readonly service: string;
  readonly serviceStatus: string;
  readonly rollbackTo: string | undefined;
  /** The VM target of the service's host (vm_targets hostname), when there is one. */
  readonly vm: { readonly name: string; readonly status: string | undefined; readonly tailscaleIp: string | undefined } | undefined;
}

/** What the operator asks for (each optional). */
export interface MoveRequest {
  readonly state?: string;
  readonly status?: string;
  readonly approvedBy?: string;
  readonly vmStatus?: string;
  readonly tailscaleIp?: string;
}

/** The move: the state and status passed to (at most one step each), or why it is refused. */
export type MovePlan = { readonly ok: true; readonly states: readonly string[]; readonly statuses: readonly string[] } | { readonly ok: false; readonly reason: string };

const list = (xs: readonly string[]): string => xs.join('|');

/**
 * The capabilities move one edge per run, and the PR gate's transition checks judge the change from
 * the base revision as one edge: a longer walk is refused with the way there.
 */
const oneStep = (what: string, from: string, path: readonly string[]): string =>
  `${from} -> ${path.at(-1)!} is ${path.length} steps: a ${what} moves one step per change, as the transition capabilities move it and as the PR gate checks it ` +
  `(next: --${what} ${path[0]!}, commit, then ${path
    .slice(1)
    .map((p) => `--${what} ${p}`)
    .join(', ')})`;

/**
 * Plan a move with the capabilities' rules (spec §3.2, §3.3), one step of each at most: the
 * relocation state first (the new state must accept the VM target's status, cutover needs approved_by, ready and
 * later VM statuses need a Tailscale IP), then the service status (the new status must be
 * allowed in the resulting state, with approval where the capability needs it, and
 * rolled-back needs a rollback_to). The messages are the scripts' own where they have one.
 */
export function planRelocationMove(start: MoveStart, request: MoveRequest): MovePlan {
  const refuse = (reason: string): MovePlan => ({ ok: false, reason });
  const approval = request.approvedBy ?? start.approvedBy;
  if (request.tailscaleIp !== undefined && !isTailscaleIp(request.tailscaleIp)) return refuse(`--tailscale-ip must be a Tailscale IPv4 address in 100.64.0.0/10 (got '${request.tailscaleIp}')`);
  if (request.vmStatus !== undefined && !STATE_VM_STATUSES.planning!.includes(request.vmStatus))
    return refuse(`invalid --vm-status: ${request.vmStatus} (expected ${list(STATE_VM_STATUSES.planning!)})`);
  if ((request.vmStatus !== undefined || request.tailscaleIp !== undefined) && !start.vm)
    return refuse(`'${start.service}' moves to a host that is not a VM target of the manifest: --vm-status and --tailscale-ip set a vm_targets entry`);

  let states: string[] = [];
  const current = start.state;
  if (request.state !== undefined) {
    if (!STATE_NEXT[request.state]) return refuse(`invalid --state: ${request.state} (expected ${list(Object.keys(STATE_NEXT))})`);
    if (current === undefined)
      return refuse('there is no active relocation (active_relocation is null): open one by hand with state planning (the state machine has no transition out of none, spec §3.2)');
    if (!STATE_NEXT[current]) return refuse(`active_relocation.state '${current}' is not a state of the machine (${list(Object.keys(STATE_NEXT))}); run 'spine-lint check'`);
    const path = transitionPath(STATE_NEXT, current, request.state);
    if (!path) return refuse(`invalid state transition: ${current} -> ${request.state} (the relocation only moves forward: ${Object.keys(STATE_NEXT).join(' → ')})`);
    if (path.length > 1) return refuse(oneStep('state', current, path));
    states = path;
  }
  const finalState = states.at(-1) ?? current ?? 'none';

  if (states.includes('cutover') && isEmptyApproval(approval)) return refuse('active_relocation.approved_by is required before transitioning relocation state to cutover (pass --approved-by)');
  if (start.vm && (states.length > 0 || request.vmStatus !== undefined)) {
    const vmStatus = request.vmStatus ?? start.vm.status ?? 'null';
    for (const s of states.length > 0 ? states : [finalState]) {
      const accepted = STATE_VM_STATUSES[s];
      if (accepted && !accepted.includes(vmStatus)) return refuse(`state '${s}' requires VM status ${list(accepted)} for '${start.vm.name}' (got '${vmStatus}'): pass --vm-status`);
    }
    const ip = request.tailscaleIp ?? start.vm.tailscaleIp;
    if (NEEDS_TAILSCALE_IP.includes(vmStatus) && !isTailscaleIp(ip))
      return refuse(`vm status '${vmStatus}' requires tailscale IP (pass --tailscale-ip or set vm_targets tailscale_ip of '${start.vm.name}')`);
  }

  let statuses: string[] = [];
  if (request.status !== undefined) {
    if (!SERVICE_NEXT[request.status]) return refuse(`invalid --status: ${request.status} (expected ${list(Object.keys(SERVICE_NEXT))})`);
    if (!SERVICE_NEXT[start.serviceStatus])
      return refuse(`service '${start.service}' has status '${start.serviceStatus}', not one of the machine (${list(Object.keys(SERVICE_NEXT))}); run 'spine-lint check'`);
    const path = transitionPath(SERVICE_NEXT, start.serviceStatus, request.status);
    if (!path) return refuse(`invalid service status transition: ${start.serviceStatus} -> ${request.status} (from ${start.serviceStatus}: ${list(SERVICE_NEXT[start.serviceStatus]!)})`);
    if (path.length > 1) return refuse(oneStep('status', start.serviceStatus, path));
    for (const status of path) {
      const rule = SERVICE_ALIGNMENT[status];
      if (!rule) continue;
      if (!rule.states.includes(finalState)) return refuse(`relocation state '${finalState}' must be ${rule.states.join('/')} before transitioning service to '${status}' (pass --state)`);
      if (rule.approval && isEmptyApproval(approval)) return refuse(`active_relocation.approved_by is required before transitioning service to '${status}' (pass --approved-by)`);
      if (status === 'rolled-back' && (start.rollbackTo === undefined || start.rollbackTo === 'null')) return refuse(`service '${start.service}' has no rollback_to host configured`);
    }
    statuses = path;
  }
  return { ok: true, states, statuses };
}
