import { defineCheck } from '@spine-lint/core';
import { relocationPlan } from '../bindings/relocationPlan.js';

const DONE = new Set(['applied', 'migrated']);

/**
 * The runbook's prerequisite ("Phase 2 Vaultwarden migrated before Phase 4"): a service of phase N
 * moves past `planned` only when every service of an earlier phase is applied/migrated.
 */
export default defineCheck({
  id: 'relocation-phase-order',
  title: 'Relocation phases run in order',
  description: 'A service of phase N is past planned only when every service of an earlier phase is applied (or migrated).',
  severity: 'warning',
  kind: 'static',
  reads: ['infra.relocation.plan'],
  fixHint: 'Finish (promote to applied) the earlier phase first, or move this service back to planned.',
  messages: {
    earlierPhaseOpen:
      "service '{{service}}' (phase {{phase}}) is '{{status}}' while phase {{blockingPhase}} service '{{blocking}}' is still '{{blockingStatus}}' — earlier phases must be applied first",
  },
  run(ctx) {
    const plan = relocationPlan(ctx.workspace);
    if (plan.status !== 'loaded') return;
    for (const s of plan.services) {
      const status = s.status ?? 'planned';
      if (status === 'planned' || s.phase === undefined) continue;
      const blockers = plan.services.filter((o) => o.phase !== undefined && o.phase < s.phase! && !DONE.has(o.status ?? 'planned'));
      if (blockers.length === 0) continue;
      const b = blockers.sort((x, y) => x.phase! - y.phase! || x.index - y.index)[0]!;
      ctx.report({
        messageId: 'earlierPhaseOpen',
        data: {
          service: s.service ?? `services[${s.index}]`,
          phase: s.phase,
          status,
          blocking: b.service ?? `services[${b.index}]`,
          blockingPhase: b.phase!,
          blockingStatus: b.status ?? 'planned',
          blockers: blockers.map((x) => x.service ?? `services[${x.index}]`),
        },
        file: plan.file,
        pointer: `${s.pointer}/status`,
      });
    }
  },
});
