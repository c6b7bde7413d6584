import { defineCheck } from '@spine-lint/core';
import { changedVmTargets, relocationTransition, vmName } from '../shared/relocation.js';
import { isEmptyApproval, NEEDS_TAILSCALE_IP, STATE_NEXT, STATE_VM_STATUSES } from '../shared/stateMachine.js';
import { isTailscaleIp } from '../shared/tailscale.js';

/**
 * The relocation state machine between the base revision and the head (spec §3.2): the edge taken
 * must be one the state-transition capability allows; the edit that moves the state must leave a
 * VM target in a status the new state accepts (with a Tailscale IP for ready/cutover/complete);
 * cutover needs `approved_by`. Opening a relocation (none → planning) and archiving a complete one
 * (complete → none) are the two hand edits the capability cannot do and this check accepts.
 */
export default defineCheck({
  id: 'relocation-state-transition',
  aliases: ['infra.relocation.state.transition'],
  title: 'Relocation state moves along its state machine',
  description:
    'Between the base revision and the head, active_relocation.state moves only along planning → preflight → cutover → cleanup → complete (one step, or ' +
    'stays); a new relocation starts in planning; only a complete relocation is archived; the VM target moved with the state has a status the new state ' +
    'accepts and, for ready/cutover/complete, a Tailscale IP; cutover needs approved_by.',
  severity: 'error',
  kind: 'transition',
  reads: ['infra.relocation.plan'],
  ports: 'infra-relocation-state-transition',
  fixHint: 'Move the state one step at a time (one commit per step), as `infra.relocation.state.transition` would.',
  messages: {
    invalidEdge: "relocation state '{{from}}' → '{{to}}' is not an allowed transition (allowed from '{{from}}': {{allowed}})",
    restart:
      "relocation '{{changeId}}' replaces '{{previous}}' while it is '{{from}}' (a new relocation starts only after the previous one is complete and " +
      "archived: active_relocation: null); edge '{{from}}' → '{{to}}', allowed from '{{from}}': {{allowed}}",
    invalidOpen: "a relocation is opened directly in state '{{to}}' (a new relocation starts in: planning)",
    invalidArchive: "relocation '{{changeId}}' is archived (active_relocation: null) while '{{from}}' (only a complete relocation is archived; allowed from '{{from}}': {{allowed}})",
    vmStatus: "state '{{to}}' requires VM target status {{allowed}}; vm target '{{target}}' is '{{status}}' (state '{{from}}' → '{{to}}')",
    noVmTarget: "state '{{from}}' → '{{to}}' needs a VM target in status {{allowed}}; none is",
    approval: "state '{{from}}' → 'cutover' requires active_relocation.approved_by",
    tailscaleIp: "vm target '{{target}}' status '{{status}}' requires a Tailscale IP (100.x.x.x); tailscale_ip is {{ip}} (state '{{from}}' → '{{to}}')",
  },
  run(ctx) {
    const p = relocationTransition(ctx);
    if (!p) return;
    const { file: M, from, to } = p;
    const headAr = p.head.activeRelocation;
    const baseAr = p.base.activeRelocation;
    if (from === to && (from === undefined || baseAr?.change_id === headAr?.change_id)) return;
    const statePtr = headAr ? headAr.statePointer : '/active_relocation';
    if (to === undefined) {
      if (from !== undefined && from !== 'complete' && STATE_NEXT[from]) {
        ctx.report({ messageId: 'invalidArchive', data: { changeId: baseAr?.change_id ?? null, from, allowed: STATE_NEXT[from]!.join(', ') }, file: M, pointer: '/active_relocation' });
      }
      return;
    }
    if (!STATE_NEXT[to]) return; // an unknown state: relocation-vocabulary reports it
    if (from === undefined) {
      if (to !== 'planning') ctx.report({ messageId: 'invalidOpen', data: { to, changeId: headAr?.change_id ?? null }, file: M, pointer: statePtr });
    } else if (STATE_NEXT[from]) {
      const allowed = STATE_NEXT[from]!;
      const restarted = baseAr?.change_id !== undefined && headAr?.change_id !== undefined && baseAr.change_id !== headAr.change_id;
      if (restarted && from !== to) {
        ctx.report({ messageId: 'restart', data: { from, to, allowed: allowed.join(', '), changeId: headAr!.change_id ?? null, previous: baseAr!.change_id ?? null }, file: M, pointer: statePtr });
        return;
      }
      if (!allowed.includes(to)) {
        ctx.report({ messageId: 'invalidEdge', data: { from, to, allowed: allowed.join(', ') }, file: M, pointer: statePtr });
        return;
      }
    } else return;
    if (from === to) return;
    // The capability moves the state together with one VM target (--target/--status).
    const fromLabel = from ?? 'none';
    const accepted = STATE_VM_STATUSES[to]!;
    const changed = changedVmTargets(p.base, p.head);
    const candidates = changed.length > 0 ? changed.map((c) => c.target) : p.head.vmTargets.filter((t) => t.status !== undefined && accepted.includes(t.status));
    if (changed.length === 0 && candidates.length === 0 && p.head.vmTargets.length > 0) {
      ctx.report({ messageId: 'noVmTarget', data: { from: fromLabel, to, allowed: accepted.join('|') }, file: M, pointer: statePtr });
    }
    for (const t of changed.map((c) => c.target)) {
      if (t.status === undefined) continue;
      if (!accepted.includes(t.status)) {
        ctx.report({ messageId: 'vmStatus', data: { from: fromLabel, to, target: vmName(t), status: t.status, allowed: accepted.join('|') }, file: M, pointer: `${t.pointer}/status` });
      }
    }
    for (const t of candidates) {
      if (t.status === undefined || !NEEDS_TAILSCALE_IP.includes(t.status)) continue;
      if (!isTailscaleIp(t.tailscale_ip)) {
        ctx.report({ messageId: 'tailscaleIp', data: { from: fromLabel, to, target: vmName(t), status: t.status, ip: t.tailscale_ip ?? null }, file: M, pointer: `${t.pointer}/tailscale_ip` });
      }
    }
    if (to === 'cutover' && isEmptyApproval(headAr?.approved_by)) {
      ctx.report({ messageId: 'approval', data: { from: fromLabel }, file: M, pointer: '/active_relocation/approved_by' });
    }
  },
});
