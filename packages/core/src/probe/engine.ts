import { RunClock } from '../clock.js';
import { optionsWithDefaults, type CheckContext, type LiveCheck } from '../check.js';
import type { Finding, Severity } from '../diagnostic.js';
import { buildReport, findingCollector, guardCheck, selectChecks, type Report } from '../runner.js';
import type { Check } from '../check.js';
import type { Workspace } from '../workspace/workspace.js';
import { redactText } from './redact.js';
import { clampProbeTimeouts } from './timeouts.js';
import type { KeyedProbe, Observation, Probe, ProbeExecutor, ProbeProgress } from './types.js';

export interface LivePlanOptions {
  workspace: Workspace;
  checks: readonly Check[];
  only?: readonly string[];
  severities?: Readonly<Record<string, Severity>>;
  checkOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  now?: Date;
}

/** One live check with the probes it planned. */
export interface PlannedCheck {
  check: LiveCheck<string, Probe, Observation>;
  probes: KeyedProbe[];
}

export interface LivePlan {
  options: LivePlanOptions;
  now: Date;
  checks: PlannedCheck[];
  /** Findings from planning (a check that crashed while planning). */
  findings: Finding[];
  started: number;
}

/** What one probe came to, for metrics (`--format prometheus`). */
export interface ProbeSummary {
  checkId: string;
  target: string;
  key: string;
  outcome: Observation['outcome'];
  durationMs: number;
}

/** A probe run's report: the usual report plus the per-probe summary and raw observations. */
export interface ProbeReport extends Report {
  probes: ProbeSummary[];
  observations: Observation[];
}

function contextFor(options: LivePlanOptions, now: Date, check: Check, sink: Finding[]): CheckContext {
  const checkOptions = optionsWithDefaults(check, options.checkOptions?.[check.id]);
  return { workspace: options.workspace, now, clock: new RunClock(now, true), options: checkOptions, report: findingCollector(check, options.workspace, sink) };
}

/** Plan every selected live check (pure: no I/O beyond reading bindings). */
export function planLiveChecks(options: LivePlanOptions): LivePlan {
  const started = performance.now();
  const now = options.now ?? new Date();
  const selected = selectChecks({ checks: options.checks, only: options.only, severities: options.severities, kinds: ['live'] }) as LiveCheck<string, Probe, Observation>[];
  const findings: Finding[] = [];
  const checks: PlannedCheck[] = [];
  for (const check of selected) {
    let probes: Probe[] = [];
    guardCheck(check, findings, () => {
      probes = check.plan(contextFor(options, now, check, findings));
    });
    const seen = new Map<string, number>();
    const keyed = probes.map((p) => {
      const base = `${check.id}/${redactText(p.id)}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      // Timeouts over the maximum are lowered here, so the plan shows what will be used (and why).
      return { ...clampProbeTimeouts(p), key: n === 1 ? base : `${base}#${n}` } as KeyedProbe;
    });
    checks.push({ check, probes: keyed });
  }
  return { options, now, checks, findings, started };
}

/** Execute a plan and evaluate every check on its observations. */
export async function executeLivePlan(plan: LivePlan, executor: ProbeExecutor, onProgress?: (p: ProbeProgress) => void): Promise<ProbeReport> {
  const all = plan.checks.flatMap((c) => c.probes);
  const observations = await executor.execute(all, onProgress);
  const byKey = new Map(observations.map((o) => [o.key, o]));
  const findings = [...plan.findings];
  for (const { check, probes } of plan.checks) {
    const mine = probes.map((p) => byKey.get(p.key)!).filter(Boolean);
    guardCheck(check, findings, () => check.evaluate(contextFor(plan.options, plan.now, check, findings), mine));
  }
  const report = buildReport({
    workspace: plan.options.workspace,
    findings,
    checks: plan.options.checks,
    ran: plan.checks.map((c) => c.check),
    severities: plan.options.severities,
    started: plan.started,
  });
  const probes: ProbeSummary[] = plan.checks.flatMap(({ check, probes: ps }) =>
    ps.map((p) => {
      const o = byKey.get(p.key);
      return { checkId: check.id, target: redactText(String(p.target)), key: p.key, outcome: o?.outcome ?? 'not-recorded', durationMs: o?.durationMs ?? 0 };
    }),
  );
  return { ...report, probes, observations };
}

/** Plan, execute and evaluate in one call. */
export async function runLiveChecks(options: LivePlanOptions & { executor: ProbeExecutor; onProgress?: (p: ProbeProgress) => void }): Promise<ProbeReport> {
  return executeLivePlan(planLiveChecks(options), options.executor, options.onProgress);
}
