import { defineCheck, replaceValueFix, type Workspace } from '@spine-lint/core';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { relocationFinished } from '../relocationPhase.js';

/** Spec §3.1 / §3.6: the vocabularies the relocation scripts accept. */
export const RELOCATION_STATES = ['planning', 'preflight', 'cutover', 'cleanup', 'complete'] as const;
export const VM_TARGET_STATUSES = ['planned', 'provisioned', 'ready', 'cutover', 'complete'] as const;
export const SERVICE_STATUSES = ['planned', 'shadow', 'cutover', 'migrated', 'applied', 'rolled-back'] as const;

/** The known value `value` is a spelling of (case, spaces, `_` and `-` aside), if any. */
const spellingOf = (value: string, allowed: readonly string[]): string | undefined => {
  const norm = (s: string): string => s.toLowerCase().replace(/[\s_]+/g, '-');
  return allowed.find((a) => norm(a) === norm(value) || norm(a).replace(/-/g, '') === norm(value).replace(/-/g, ''));
};
const suggest = (value: string, allowed: readonly string[]): string => {
  const hit = spellingOf(value, allowed);
  return hit ? ` Did you mean '${hit}'?` : '';
};
/** Fix: another spelling of a known value (`Cutover`, `rolled_back`) or a legacy name is renamed to it. */
const renameFix = (workspace: Workspace, file: string, pointer: string, from: string, to: string | undefined) =>
  to === undefined ? undefined : replaceValueFix(workspace, file, pointer, to, `rename '${from}' to '${to}'`);

/**
 * Every relocation state, VM target status and service status is in its vocabulary (spec §3.1).
 * The reference scripts pass silently on unknown values (D35 runs only its file check for
 * `Cutover`); here they are errors. `migrated` is accepted as the legacy name of `applied`, with a
 * warning only while the relocation runs: a finished relocation's `migrated` services are history.
 */
export default defineCheck({
  id: 'relocation-vocabulary',
  title: 'Relocation states and statuses are known values',
  description:
    'active_relocation.state is one of planning|preflight|cutover|cleanup|complete, every vm_targets[].status one of ' +
    'planned|provisioned|ready|cutover|complete, every services[].status one of planned|shadow|cutover|migrated|applied|rolled-back; the legacy name ' +
    'migrated is a warning, except in a finished relocation (complete, or active_relocation null/none).',
  severity: 'error',
  kind: 'static',
  reads: ['infra.relocation.plan'],
  fixHint: 'Use one of the listed values; the gates silently skip anything else.',
  messages: {
    unknownState: "active_relocation.state '{{value}}' is not a relocation state ({{allowed}}): D35 would skip its parity checks.{{suggestion}}",
    missingState: 'active_relocation is set but has no state; set one of {{allowed}} (or `active_relocation: null` when no relocation runs)',
    unknownVmStatus: "vm target '{{target}}' status '{{value}}' is not a VM target status ({{allowed}}).{{suggestion}}",
    unknownServiceStatus: "service '{{service}}' status '{{value}}' is not a service status ({{allowed}}).{{suggestion}}",
    legacyMigrated: "service '{{service}}' status 'migrated' is the legacy name of 'applied' (renamed 2026-02-16; D129's vocabulary lacks 'migrated')",
  },
  run(ctx) {
    const plan = relocationPlan(ctx.workspace);
    if (plan.status !== 'loaded') return;
    const M = plan.file;
    const ar = plan.activeRelocation;
    if (ar) {
      const allowed = RELOCATION_STATES.join('|');
      if (ar.state === undefined) ctx.report({ messageId: 'missingState', data: { allowed }, file: M, pointer: ar.statePointer });
      else if (!(RELOCATION_STATES as readonly string[]).includes(ar.state)) {
        ctx.report({
          messageId: 'unknownState',
          data: { value: ar.state, allowed, suggestion: suggest(ar.state, RELOCATION_STATES) },
          file: M,
          pointer: ar.statePointer,
          fix: renameFix(ctx.workspace, M, ar.statePointer, ar.state, spellingOf(ar.state, RELOCATION_STATES)),
        });
      }
    }
    for (const t of plan.vmTargets) {
      if (t.status === undefined || (VM_TARGET_STATUSES as readonly string[]).includes(t.status)) continue;
      ctx.report({
        messageId: 'unknownVmStatus',
        data: { target: t.hostname ?? `vm_targets[${t.index}]`, value: t.status, allowed: VM_TARGET_STATUSES.join('|'), suggestion: suggest(t.status, VM_TARGET_STATUSES) },
        file: M,
        pointer: `${t.pointer}/status`,
        fix: renameFix(ctx.workspace, M, `${t.pointer}/status`, t.status, spellingOf(t.status, VM_TARGET_STATUSES)),
      });
    }
    const finished = relocationFinished(plan);
    for (const s of plan.services) {
      const service = s.service ?? `services[${s.index}]`;
      if (s.status === undefined) continue;
      if (s.status === 'migrated') {
        // The rename is advice for a running relocation; a finished one's statuses are history (spec §3.4: nothing
        // looks at them but D37, which reads migrated like applied).
        if (finished) continue;
        ctx.report({
          messageId: 'legacyMigrated',
          data: { service, value: s.status },
          file: M,
          pointer: `${s.pointer}/status`,
          severity: 'warning',
          hint: "Replace 'migrated' with 'applied'.",
          fix: renameFix(ctx.workspace, M, `${s.pointer}/status`, 'migrated', 'applied'),
        });
      } else if (!(SERVICE_STATUSES as readonly string[]).includes(s.status)) {
        ctx.report({
          messageId: 'unknownServiceStatus',
          data: { service, value: s.status, allowed: SERVICE_STATUSES.join('|'), suggestion: suggest(s.status, SERVICE_STATUSES) },
          file: M,
          pointer: `${s.pointer}/status`,
          fix: renameFix(ctx.workspace, M, `${s.pointer}/status`, s.status, spellingOf(s.status, SERVICE_STATUSES)),
        });
      }
    }
  },
});
