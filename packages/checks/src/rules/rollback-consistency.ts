import { defineCheck } from '@spine-lint/core';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { isYqEmpty } from '../bindings/util.js';
import { D35_ACTIVE_STATES, relocationFinished } from '../relocationPhase.js';

/** Statuses from which the service-transition script still allows `rolled-back` (spec §3.3); `applied` has no rollback edge. */
const CAN_ROLL_BACK = new Set(['cutover', 'migrated']);

/**
 * D35 wants a rolled-back service registered on `to_host`, D37 on `rollback_to` (spec §3.4, §6.2 #17):
 * during preflight/cutover/cleanup both cannot pass unless the two hosts are equal. Say so once.
 * And warn when a service that can still be rolled back has nowhere to roll back to — never about the
 * services of a finished relocation (state complete, or none active): there is nothing left to roll back.
 */
export default defineCheck({
  id: 'rollback-consistency',
  title: 'Rollbacks are satisfiable',
  description:
    'A rolled-back service during preflight/cutover/cleanup whose rollback_to differs from to_host can never pass both D35 (registry = to_host) and D37 ' +
    '(registry = rollback_to); a service at cutover or migrated without rollback_to cannot be rolled back (not reported once the relocation is complete or ' +
    'archived).',
  severity: 'error',
  kind: 'static',
  reads: ['infra.relocation.plan'],
  fixHint:
    'Finish or undo the rollback (set the service back in the manifest with to_host = the rollback host), or move the relocation out of ' +
    'preflight/cutover/cleanup; give services at cutover a rollback_to.',
  messages: {
    unsatisfiable:
      "service '{{service}}' is rolled-back to '{{rollbackTo}}' during state '{{state}}': D35 requires its registry host to be to_host '{{toHost}}', D37 " +
      "requires '{{rollbackTo}}' — no registry value satisfies both",
    noRollbackTarget: "service '{{service}}' is '{{status}}' without rollback_to: rolling it back (runbook Rollback section) will be impossible",
  },
  run(ctx) {
    const plan = relocationPlan(ctx.workspace);
    if (plan.status !== 'loaded') return;
    const state = plan.activeRelocation?.state ?? 'null';
    // A finished relocation (complete, or archived: active_relocation null/none) is history: no finding about its services.
    if (relocationFinished(plan)) return;
    for (const s of plan.services) {
      const service = s.service ?? `services[${s.index}]`;
      const status = s.status ?? 'planned';
      const hasRollback = !isYqEmpty(s.rollback_to);
      if (status === 'rolled-back' && hasRollback && D35_ACTIVE_STATES.has(state) && !isYqEmpty(s.to_host) && s.rollback_to !== s.to_host) {
        ctx.report({
          messageId: 'unsatisfiable',
          data: { service, state, toHost: s.to_host!, rollbackTo: s.rollback_to! },
          file: plan.file,
          pointer: `${s.pointer}/status`,
          // The one clear finding replaces the two contradicting gate findings about this service.
          supersedes: [
            { checkId: 'relocation-parity', messageId: 'hostMismatch', data: { service } },
            { checkId: 'placement-policy', messageId: 'registryHostMismatch', data: { service, status: 'rolled-back' } },
          ],
        });
      }
      if (CAN_ROLL_BACK.has(status) && !hasRollback) {
        ctx.report({ messageId: 'noRollbackTarget', data: { service, status }, file: plan.file, pointer: `${s.pointer}/rollback_to`, severity: 'warning' });
      }
    }
  },
});
