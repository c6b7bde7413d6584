import { describe, expect, it } from 'vitest';
import {
  defineCheck,
  executeLivePlan,
  localKeys,
  MemorySource,
  missingObservation,
  pairObservations,
  planLiveChecks,
  ReplayExecutor,
  Workspace,
  type HttpObservation,
  type HttpProbe,
  type KeyedProbe,
  type Observation,
  type ProbeExecutor,
} from '@spine-lint/core';

const probe = (id: string): HttpProbe => ({ kind: 'http', id, target: `target-${id}`, url: `http://127.0.0.1:9/${id}`, connectTimeoutMs: 1000, totalTimeoutMs: 1000 });
const answer = (p: KeyedProbe, status: number, key = p.key): Observation => {
  const { key: _key, ...rest } = p;
  return { key, kind: 'http', probe: rest as HttpProbe, outcome: 'response', status, durationMs: 1, attempts: 1 };
};

/** An executor that answers the probes it is given, in the order and with the statuses given; the rest get nothing. */
const executor = (statuses: Record<string, number>, order: 'plan' | 'reversed' = 'plan'): ProbeExecutor => ({
  async execute(probes) {
    const out = probes.filter((p) => statuses[p.id] !== undefined).map((p) => answer(p, statuses[p.id]!));
    return order === 'reversed' ? out.reverse() : out;
  },
});

/**
 * A check that reads its observations by position, as a plugin may: finding i names probe i and
 * what came back for it.
 */
const positional = defineCheck({
  id: 'positional',
  title: 't',
  description: 'd',
  severity: 'error',
  kind: 'live',
  reads: [],
  messages: { got: '{{probe}}: {{outcome}} {{status}}' },
  plan: () => ['a', 'b', 'c'].map(probe),
  evaluate(ctx, observations: readonly Observation[]) {
    const probes = ['a', 'b', 'c'].map(probe);
    probes.forEach((p, i) => {
      const o = observations[i] as HttpObservation | undefined;
      ctx.report({ messageId: 'got', data: { probe: p.id, outcome: o?.outcome ?? 'none', status: o?.status ?? '-', key: o?.key ?? 'none' } });
    });
  },
});

const workspace = (): Workspace => new Workspace(new MemorySource({}));
const run = (executorOf: ProbeExecutor, check = positional) => executeLivePlan(planLiveChecks({ workspace: workspace(), checks: [check] }), executorOf);
const brief = (r: { data: Record<string, unknown> }) => `${r.data.probe}: ${r.data.outcome} ${r.data.status} ${r.data.key}`;

describe('the engine pairs observations with probes by key, never by position', () => {
  it('three probes, the middle observation missing: it stays missing for exactly that probe; the third finding names the third probe', async () => {
    const report = await run(executor({ a: 200, c: 503 }));
    expect(report.results.map(brief)).toEqual(['a: response 200 positional/a', 'b: error - positional/b', 'c: response 503 positional/c']);
    expect(report.results[1]!.message).toBe('b: error -');
    // The summary and the raw observations are the executor's: b was not observed.
    expect(report.probes.map((p) => `${p.key} ${p.outcome}`)).toEqual(['positional/a response', 'positional/b not-recorded', 'positional/c response']);
    expect(report.observations.map((o) => o.key)).toEqual(['positional/a', 'positional/c']);
  });

  it('observations in any order reach the check in plan order', async () => {
    const report = await run(executor({ a: 201, b: 202, c: 203 }, 'reversed'));
    expect(report.results.map(brief)).toEqual(['a: response 201 positional/a', 'b: response 202 positional/b', 'c: response 203 positional/c']);
  });

  it('a missing observation is an error outcome, "no observation", with the probe it belongs to', () => {
    const [keyed] = planLiveChecks({ workspace: workspace(), checks: [positional] }).checks[0]!.probes;
    expect(missingObservation(keyed!)).toEqual({ key: 'positional/a', kind: 'http', probe: probe('a'), outcome: 'error', error: 'no observation', durationMs: 0, attempts: 0 });
  });

  it('a recording whose keys carry the earlier REDACTED marker is paired with its probe (credentials redacted either way)', async () => {
    const secret = defineCheck({
      ...positional,
      id: 'secret',
      plan: () => [probe('http://u:p@h/x')],
      evaluate: (ctx, observations: readonly Observation[]) =>
        observations.forEach((o) => ctx.report({ messageId: 'got', data: { probe: o.probe.id, outcome: o.outcome, status: (o as HttpObservation).status ?? '-', key: o.key } })),
    });
    const plan = planLiveChecks({ workspace: workspace(), checks: [secret] });
    const [keyed] = plan.checks[0]!.probes;
    expect(keyed!.key).toBe('secret/http://***:***@h/x');
    const recorded = answer(keyed!, 204, 'secret/http://REDACTED:REDACTED@h/x');
    const report = await executeLivePlan(plan, new ReplayExecutor({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '', observations: [recorded] }));
    expect(report.results.map((r) => `${r.data.outcome} ${r.data.status} ${r.data.key}`)).toEqual(['response 204 secret/http://***:***@h/x']);
    expect(report.probes[0]!.outcome).toBe('response');
  });
});

describe('pairObservations', () => {
  it('one entry per probe, by key: repeated ids are #2, #3 …; credentials redacted; an unknown key pairs with nothing', () => {
    const probes = [probe('x'), probe('y'), probe('x'), probe('http://u:p@h/')];
    expect(localKeys(probes)).toEqual(['x', 'y', 'x#2', 'http://***:***@h/']);
    const obs = [{ key: 'c/http://u:p@h/' }, { key: 'c/x#2' }, { key: 'c/zzz' }, { key: 'c/x' }];
    expect(pairObservations(probes, obs)).toEqual([{ key: 'c/x' }, undefined, { key: 'c/x#2' }, { key: 'c/http://u:p@h/' }]);
  });
});
