/**
 * ESLint RuleTester, for the live checks: no network, no sshd. A case gives the bindings, what came
 * back for each probe (keyed by probe id), options and "now"; the tester plans the check (pure),
 * answers each planned probe from the case by its id through the real engine (`executeLivePlan`:
 * a probe the case does not answer gets what the engine gives a missing observation), lets the
 * check evaluate, and compares the findings with the expected ones (message id, data subset, exact
 * positions). A valid case yields no finding.
 *
 * The case must only answer probes the plan asked for: an observation under an id the plan does
 * not have (a typo) fails the test, listing the planned ids. An SSH probe the command table refuses
 * (a vmid with a space) is answered as the executor answers it, `refused-policy` before anything
 * connects; a case may not answer it otherwise.
 */
import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  executeLivePlan,
  localKeyOf,
  MemorySource,
  planLiveChecks,
  Workspace,
  type Check,
  type Diagnostic,
  type KeyedProbe,
  type Observation,
  type Outcome,
  type ProbeExecutor,
} from '@spine-lint/core';
import { remoteCommands } from '../../src/commands.js';
import { defaultPaths, recordIdFields } from '../../src/layout.js';
import type { ExpectedFinding } from './checkTester.js';

export type { ExpectedFinding } from './checkTester.js';

/** What came back for one probe: the fields of an observation (key, kind and probe are filled in). */
export interface ObservationInput {
  /** Default: `response` for an HTTP probe, `exited` for an SSH one. */
  outcome?: Outcome;
  error?: string;
  durationMs?: number;
  attempts?: number;
  address?: string;
  /** HTTP only. */
  status?: number;
  timeoutPhase?: 'connect' | 'headers' | 'body' | 'total';
  body?: string;
  bodyTruncated?: boolean;
  /** SSH only (`exitCode` defaults to 0 for an `exited` outcome). */
  exitCode?: number | null;
  stdout?: string;
  stderr?: string;
}

/** An HTTP answer. */
export const http = (status: number, body?: string): ObservationInput => ({ outcome: 'response', status, ...(body !== undefined ? { body } : {}) });
/** A command that ran to an exit code. */
export const exited = (exitCode: number, stdout = '', stderr = ''): ObservationInput => ({ outcome: 'exited', exitCode, stdout, stderr });
/** A probe that got no answer (`timeout`, `refused`, `dns`, `host-key-unknown` …). */
export const failed = (outcome: Exclude<Outcome, 'response' | 'exited'>, error?: string, extra: ObservationInput = {}): ObservationInput => ({
  outcome,
  ...(error !== undefined ? { error } : {}),
  ...extra,
});

export interface LiveCase {
  name: string;
  /** Files by repository path (or by binding name from the default layout). */
  files: Record<string, string>;
  /** What came back, by probe id (`endpoint:grafana`; a repeated id's later probes are `id#2` …). */
  observations?: Record<string, ObservationInput>;
  options?: Record<string, unknown>;
  now?: Date;
  /** The probe ids the plan must ask for, in order (checked when given). */
  plan?: string[];
}

export interface InvalidLiveCase extends LiveCase {
  errors: ExpectedFinding[];
}

const HTTP_ONLY = ['status', 'timeoutPhase', 'body', 'bodyTruncated'] as const;
const SSH_ONLY = ['exitCode', 'stdout', 'stderr'] as const;
const DEFAULT_NOW = new Date('2026-03-05T00:00:00Z');

const toPaths = (files: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(files).map(([k, v]) => [(defaultPaths as Record<string, string>)[k] ?? k, v]));

/** The observation the case gives for a probe (key, kind and probe filled in), or why it cannot be one. */
function observationOf(p: KeyedProbe, input: ObservationInput): Observation {
  const { key, ...probe } = p;
  const wrong = (p.kind === 'http' ? SSH_ONLY : HTTP_ONLY).filter((f) => input[f] !== undefined);
  if (wrong.length > 0) throw new Error(`observation '${localKeyOf(key)}': ${wrong.join(', ')} do not belong to an ${p.kind} probe`);
  const outcome = input.outcome ?? (p.kind === 'http' ? 'response' : 'exited');
  if (p.kind === 'http') return { key, kind: 'http', probe: probe as never, durationMs: 0, attempts: 1, ...input, outcome };
  const built = buildCommand(remoteCommands, p.command, p.args);
  return {
    key,
    kind: 'ssh',
    probe: probe as never,
    durationMs: 0,
    attempts: 1,
    ...(built.ok ? { commandLine: built.commandLine } : {}),
    ...(outcome === 'exited' ? { exitCode: 0, stdout: '', stderr: '' } : {}),
    ...input,
    outcome,
  };
}

/** Answers each probe from a case, by probe id; the probes the case does not answer get no observation. */
class TableExecutor implements ProbeExecutor {
  constructor(private readonly answers: Readonly<Record<string, ObservationInput>>) {}

  async execute(probes: readonly KeyedProbe[]): Promise<Observation[]> {
    return probes.flatMap((p): Observation[] => {
      const id = localKeyOf(p.key);
      const input = Object.prototype.hasOwnProperty.call(this.answers, id) ? this.answers[id] : undefined;
      if (p.kind === 'ssh') {
        // As the live executor: a command the table refuses is answered before anything connects.
        const built = buildCommand(remoteCommands, p.command, p.args);
        if (!built.ok) {
          if (input !== undefined && input.outcome !== 'refused-policy') throw new Error(`observation '${id}': the command table refuses this probe (${built.error}); the executor never runs it`);
          return [observationOf(p, { outcome: 'refused-policy', error: `refused before connecting: ${built.error}`, attempts: 0, ...input })];
        }
      }
      return input === undefined ? [] : [observationOf(p, input)];
    });
  }
}

/** Plan, answer from the case, evaluate: the check's findings (and any check-error). */
export async function runLiveCase(check: Check, c: LiveCase): Promise<{ planned: string[]; findings: Diagnostic[] }> {
  const workspace = new Workspace(new MemorySource(toPaths(c.files)), { paths: defaultPaths, recordIdFields });
  const plan = planLiveChecks({ workspace, checks: [check], now: c.now ?? DEFAULT_NOW, checkOptions: c.options ? { [check.id]: c.options } : undefined, commands: remoteCommands });
  const planned = plan.checks.flatMap((pc) => pc.probes.map((p) => localKeyOf(p.key)));
  const unasked = Object.keys(c.observations ?? {}).filter((id) => !planned.includes(id));
  expect(unasked, `observations for probes the plan did not ask for (planned: ${planned.join(', ') || 'none'})`).toEqual([]);
  if (c.plan) expect(planned, 'planned probe ids').toEqual(c.plan);
  const report = await executeLivePlan(plan, new TableExecutor(c.observations ?? {}));
  return { planned, findings: report.results.filter((d) => d.checkId === check.id || d.checkId === 'check-error') };
}

const shown = (d: Diagnostic): string => `${d.line}:${d.column} ${d.messageId} ${d.message}`;

/**
 * Every valid case yields no finding of the check; every invalid case yields exactly the expected
 * findings, in order (message id, data subset, exact positions, severity, file).
 */
export function liveTester(check: Check, cases: { valid: LiveCase[]; invalid: InvalidLiveCase[] }): void {
  describe(`${check.id} (live table)`, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const { findings } = await runLiveCase(check, c);
        expect(findings.map(shown)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const { findings } = await runLiveCase(check, c);
        expect(findings.filter((d) => d.checkId === 'check-error').map(shown)).toEqual([]);
        expect(findings.length, findings.map(shown).join('\n')).toBe(c.errors.length);
        c.errors.forEach((expected, i) => {
          const d = findings[i]!;
          const picked: Record<string, unknown> = { messageId: d.messageId };
          for (const k of ['line', 'column', 'endLine', 'endColumn', 'severity', 'file'] as const) if (expected[k] !== undefined) picked[k] = d[k];
          if (expected.data) picked.data = Object.fromEntries(Object.keys(expected.data).map((k) => [k, d.data[k]]));
          expect(picked, shown(d)).toEqual(expected);
        });
      });
    }
  });
}
