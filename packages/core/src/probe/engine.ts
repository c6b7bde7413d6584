import { RunClock } from '../clock.js';
import { optionsWithDefaults, type CheckContext, type LiveCheck } from '../check.js';
import type { Finding, Severity } from '../diagnostic.js';
import { buildReport, findingCollector, guardCheck, selectChecks, type Report } from '../runner.js';
import type { Check } from '../check.js';
import type { Workspace } from '../workspace/workspace.js';
import type { CommandTable } from './commands.js';
import { localKeys } from './keys.js';
import { redactText, shownProbe } from './redact.js';
import { clampProbeTimeouts } from './timeouts.js';
import type { KeyedProbe, Observation, Probe, ProbeExecutor, ProbeProgress } from './types.js';

export interface LivePlanOptions {
  workspace: Workspace;
  checks: readonly Check[];
  only?: readonly string[];
  severities?: Readonly<Record<string, Severity>>;
  checkOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  now?: Date;
  /**
   * The command table the executor will be given (`LiveExecutorOptions.commands`), for the
   * `--dry-run` plan to show each command line, or why it is refused. Without it every SSH probe
   * shows as refused, as an executor without a table refuses it.
   */
  commands?: CommandTable;
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
    const keys = localKeys(probes);
    // Timeouts over the maximum are lowered here, so the plan shows what will be used (and why).
    const keyed = probes.map((p, i) => ({ ...clampProbeTimeouts(p), key: `${check.id}/${keys[i]}` }) as KeyedProbe);
    checks.push({ check, probes: keyed });
  }
  return { options, now, checks, findings, started };
}

/**
 * What a check's `evaluate` gets for a probe the executor returned no observation for: an `error`
 * outcome, "no observation", for exactly that probe (its key, its probe).
 */
export function missingObservation(p: KeyedProbe): Observation {
  const { key, ...probe } = p;
  return { key, kind: p.kind, probe: shownProbe(probe as Probe), outcome: 'error', error: 'no observation', durationMs: 0, attempts: 0 } as Observation;
}

/**
 * Execute a plan and evaluate every check on its observations. Each check gets one observation per
 * planned probe, in plan order, paired by key (never by position): the one with the probe's key
 * (keys compared with credentials redacted, as recordings store them), else {@link missingObservation}.
 */
export async function executeLivePlan(plan: LivePlan, executor: ProbeExecutor, onProgress?: (p: ProbeProgress) => void): Promise<ProbeReport> {
  const all = plan.checks.flatMap((c) => c.probes);
  const observations = await executor.execute(all, onProgress);
  const byKey = new Map<string, Observation>();
  for (const o of observations) {
    const k = redactText(String(o.key));
    if (!byKey.has(k)) byKey.set(k, o);
  }
  const findings = [...plan.findings];
  for (const { check, probes } of plan.checks) {
    const mine = probes.map((p) => {
      const o = byKey.get(p.key);
      return o === undefined ? missingObservation(p) : o.key === p.key ? o : ({ ...o, key: p.key } as Observation);
    });
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
