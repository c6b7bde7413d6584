import { defineCheck } from '@spine-lint/core';
import type { RelocationService } from '../bindings/relocationPlan.js';
import { relocationTransition } from '../shared/relocation.js';
import { isEmptyApproval, SERVICE_ALIGNMENT as ALIGNMENT, SERVICE_NEXT } from '../shared/stateMachine.js';

/** `migrated` and `applied` name the same status (the 2026-02-16 vocabulary rename, spec §3.1). */
const RENAMES = new Set(['migrated→applied', 'applied→migrated']);

/**
 * Service status edges between the base revision and the head (spec §3.3): the edge must be one the
 * service-transition capability allows, the relocation state must allow the new status, and
 * cutover/migrated/rolled-back need `approved_by` (rolled-back also a `rollback_to`). A rename of
 * the vocabulary (`migrated` → `applied`) is not a transition: it passes with one note.
 */
export default defineCheck({
  id: 'service-status-transition',
  aliases: ['infra.relocation.service.transition'],
  title: 'Service statuses move along their state machine',
  description:
    'Between the base revision and the head, each relocation service (matched by name) changes status only along planned → shadow → cutover → ' +
    'migrated|applied (rolled-back from shadow, cutover or migrated), in a relocation state that allows the new status, with approved_by where the ' +
    'capability requires it.',
  severity: 'error',
  kind: 'transition',
  reads: ['infra.relocation.plan'],
  ports: 'infra-relocation-service-transition',
  fixHint: 'Move each service one step at a time with `infra.relocation.service.transition`, after moving the relocation state.',
  messages: {
    invalidEdge: "service '{{service}}' status '{{from}}' → '{{to}}' is not an allowed transition (allowed from '{{from}}': {{allowed}})",
    stateAlignment: "service '{{service}}' cannot become '{{to}}' while the relocation state is '{{state}}' (needs {{states}})",
    approval: "service '{{service}}' → '{{to}}' requires active_relocation.approved_by",
    noRollbackTarget: "service '{{service}}' → 'rolled-back' has no rollback_to host",
    addedNotPlanned: "service '{{service}}' is added with status '{{to}}' (a new service starts as 'planned' and moves through the transitions)",
    renamed: "{{count}} service status(es) renamed '{{from}}' → '{{to}}' ({{services}}): the same status under its new name, not a transition",
  },
  run(ctx) {
    const p = relocationTransition(ctx);
    if (!p) return;
    const M = p.file;
    const state = p.to ?? 'none';
    const approvedBy = p.head.activeRelocation?.approved_by;
    // A new relocation (another change_id) brings its own service list: nothing carries over.
    const baseId = p.base.activeRelocation?.change_id;
    const headId = p.head.activeRelocation?.change_id;
    const sameRelocation = baseId === undefined || headId === undefined || baseId === headId;
    const before = new Map<string, RelocationService>();
    if (sameRelocation) for (const s of p.base.services) if (s.service !== undefined && !before.has(s.service)) before.set(s.service, s);
    const renamed: { service: string; from: string; to: string; pointer: string }[] = [];
    for (const s of p.head.services) {
      if (s.service === undefined || s.status === undefined) continue;
      const to = s.status;
      const ptr = `${s.pointer}/status`;
      const b = before.get(s.service);
      const from = b?.status;
      if (!sameRelocation || (b === undefined && !p.base.servicesByName.has(s.service))) {
        // Added (or part of a new relocation): it must start at the beginning.
        if (to !== 'planned' && SERVICE_NEXT[to] && sameRelocation) {
          ctx.report({ messageId: 'addedNotPlanned', data: { service: s.service, to }, file: M, pointer: ptr });
        }
        continue;
      }
      if (from === undefined || from === to) continue;
      if (RENAMES.has(`${from}→${to}`)) {
        renamed.push({ service: s.service, from, to, pointer: ptr });
        continue;
      }
      const allowed = SERVICE_NEXT[from];
      if (!allowed || !SERVICE_NEXT[to]) continue; // unknown statuses: relocation-vocabulary reports them
      if (!allowed.includes(to)) {
        ctx.report({ messageId: 'invalidEdge', data: { service: s.service, from, to, allowed: allowed.join(', ') }, file: M, pointer: ptr });
        continue;
      }
      const rule = ALIGNMENT[to];
      if (!rule) continue;
      if (!rule.states.includes(state)) {
        ctx.report({ messageId: 'stateAlignment', data: { service: s.service, to, state, states: rule.states.join('|') }, file: M, pointer: ptr });
      } else if (rule.approval && isEmptyApproval(approvedBy)) {
        ctx.report({ messageId: 'approval', data: { service: s.service, to }, file: M, pointer: ptr });
      }
      if (to === 'rolled-back' && (s.rollback_to === undefined || s.rollback_to === 'null')) {
        ctx.report({ messageId: 'noRollbackTarget', data: { service: s.service }, file: M, pointer: `${s.pointer}/rollback_to` });
      }
    }
    if (renamed.length > 0) {
      const first = renamed[0]!;
      const names = renamed.map((r) => r.service);
      ctx.report({
        messageId: 'renamed',
        severity: 'warning',
        data: { count: renamed.length, from: first.from, to: first.to, services: names.length > 5 ? [...names.slice(0, 5), `… ${names.length - 5} more`] : names },
        file: M,
        pointer: first.pointer,
      });
    }
  },
});
