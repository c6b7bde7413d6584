/**
 * What the relocation state calls for (spec §3.4): one reading of `active_relocation.state` shared
 * by the checks that must stay quiet about a finished relocation or probe only a running one. Pure.
 */
import type { RelocationPlanView, RelocationService } from './bindings/relocationPlan.js';
import { isYqEmpty } from './bindings/util.js';

/** States in which D35 checks service parity: a relocation is running. */
export const D35_ACTIVE_STATES: ReadonlySet<string> = new Set(['preflight', 'cutover', 'cleanup']);

/** `active_relocation.state` as the gates read it: `'null'` when there is no active relocation (or it has no state). */
export const relocationStateOf = (plan: RelocationPlanView): string => plan.activeRelocation?.state ?? 'null';

/**
 * A relocation is running in `preflight`, `cutover` and `cleanup`: the states in which D35 checks
 * parity and in which a service can be moved, promoted or rolled back.
 */
export const relocationInProgress = (plan: RelocationPlanView): boolean => D35_ACTIVE_STATES.has(relocationStateOf(plan));

/**
 * The manifest's services belong to a finished relocation: its state is `complete`, or there is no
 * active relocation (`null`, `none`: the services list is what the archived relocation left,
 * `877dc938`). Nothing is left to roll back or rename there.
 */
export function relocationFinished(plan: RelocationPlanView): boolean {
  const ar = plan.activeRelocation;
  // A relocation map without a state is not finished: relocation-vocabulary asks for its state.
  if (ar && ar.state === undefined) return false;
  const state = relocationStateOf(plan);
  return state === 'complete' || state === 'null' || state === 'none';
}

/**
 * Service statuses that `infra.relocation.promote` has yet to gate (it promotes a service at `cutover`,
 * which `planned` and `shadow` services become; `migrated`/`applied` are promoted, `rolled-back` is out).
 */
export const AWAITING_PROMOTION: ReadonlySet<string> = new Set(['planned', 'shadow', 'cutover']);

/** Service statuses with the service deployed on `to_host` (shadow, cutover, and promoted: migrated/applied). */
export const ON_TO_HOST: ReadonlySet<string> = new Set(['shadow', 'cutover', 'migrated', 'applied']);

/**
 * The relocation services whose `health_url` the live check probes: only while a relocation is in
 * progress (the reference probes a health URL only in `infra.relocation.promote`, §2.6, which needs
 * a service at `cutover`, itself only reachable in a running relocation, §3.3), and only for services
 * deployed on `to_host` (a `planned` service is not there yet, a `rolled-back` one runs on
 * `rollback_to`). Null/none/planning/complete: none.
 */
export function probedHealthUrls(plan: RelocationPlanView): RelocationService[] {
  if (!relocationInProgress(plan)) return [];
  return plan.services.filter((s) => !!s.service && !isYqEmpty(s.health_url) && ON_TO_HOST.has(s.status ?? 'planned'));
}
