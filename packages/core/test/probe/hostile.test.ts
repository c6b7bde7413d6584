/**
 * Hostile values in the probes themselves: URLs that parse but cannot be used, and timeouts
 * beyond what a timer can hold. Loopback servers only (`LOOPBACK_ONLY`, a resolver that never
 * sends a DNS packet).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddressPolicy,
  clampTimeoutMs,
  defineCheck,
  executeLivePlan,
  formatPlan,
  LiveExecutor,
  MAX_PROBE_TIMEOUT_MS,
  MemorySource,
  planLiveChecks,
  ReplayExecutor,
  resolveAllowed,
  Workspace,
  type HttpObservation,
  type HttpProbe,
  type KeyedProbe,
  type Lookup,
} from '../../src/index.js';
import { LOOPBACK_ONLY, handlers, httpServer, type TestServer } from './servers.js';

/** What `max_time_sec: 3000000` becomes: more than a timer holds (2^31-1 ms), so it used to fire after 1 ms. */
const HUGE_MS = 3_000_000 * 1000;

const noDns: Lookup = async (name) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};
const exec = (): LiveExecutor => new LiveExecutor({ allow: LOOPBACK_ONLY, lookup: noDns });

const probe = (id: string, url: string, extra: Partial<HttpProbe> = {}): KeyedProbe & HttpProbe => ({
  kind: 'http',
  id,
  key: `t/${id}`,
  target: id,
  url,
  connectTimeoutMs: 1000,
  totalTimeoutMs: 1500,
  ...extra,
});

describe('hostile probe values: malformed URLs and huge timeouts', () => {
  let healthy: TestServer;
  let slow: TestServer;
  beforeAll(async () => {
    healthy = await httpServer(handlers.healthy());
    // Answers after 1.2 s: longer than any timer that fired early, shorter than a test timeout.
    slow = await httpServer((_q, res) => void setTimeout(() => res.writeHead(200).end('ok'), 1200));
  });
  afterAll(async () => {
    await Promise.all([healthy.close(), slow.close()]);
  });

  it('a URL whose user name is not valid percent-encoding (http://%ff@…) is a refused-policy observation, not a crash; the other probes still run', async () => {
    const before = healthy.connections();
    const bad = probe('bad', `http://%ff@127.0.0.1:${healthy.port}/x`);
    const badPassword = probe('badpw', `http://u:%E0%A4%A@127.0.0.1:${healthy.port}/x`);
    const good = probe('good', `${healthy.url}/-/healthy`);
    const [b, bp, g] = (await exec().execute([bad, badPassword, good])) as HttpObservation[];
    expect(b).toMatchObject({ key: 't/bad', outcome: 'refused-policy', attempts: 0 });
    expect(b!.error).toBe(`not a valid URL: the user name of "http://***@127.0.0.1:${healthy.port}/x" is not valid percent-encoding (e.g. '%ff'); write it as percent-encoded UTF-8`);
    expect(b!.probe.url).toBe(`http://***@127.0.0.1:${healthy.port}/x`);
    expect(bp).toMatchObject({ outcome: 'refused-policy', attempts: 0 });
    expect(bp!.error).toContain('the password of "http://***:***@');
    expect(g).toMatchObject({ key: 't/good', outcome: 'response', status: 200 });
    // Only the good probe connected.
    expect(healthy.connections() - before).toBe(1);
  });

  it('--dry-run shows such a URL as REFUSED with the reason (credentials redacted)', () => {
    const check = liveCheck([probe('bad', 'http://%ff@127.0.0.1:9/x'), probe('ftp', 'ftp://user:S3cret@127.0.2.205:3000/api/health')]);
    const text = formatPlan(planLiveChecks({ workspace: new Workspace(new MemorySource({})), checks: [check] }));
    expect(text).toContain(`REFUSED GET http://***@127.0.0.1:9/x: not a valid URL: the user name of "http://***@127.0.0.1:9/x" is not valid percent-encoding`);
    expect(text).toContain("REFUSED GET ftp://***:***@127.0.2.205:3000/api/health: scheme 'ftp' refused (only http and https are probed)  [hostile ftp]");
    expect(text).not.toContain('S3cret');
  });

  it('timeouts beyond the timer limit (max_time_sec 3000000) are clamped: a healthy endpoint that takes 1.2 s is a response, not a timeout', async () => {
    const [o] = (await exec().execute([probe('slow', `${slow.url}/`, { connectTimeoutMs: HUGE_MS, totalTimeoutMs: HUGE_MS })])) as HttpObservation[];
    expect(o).toMatchObject({ outcome: 'response', status: 200, attempts: 1 });
    expect(o!.probe).toMatchObject({ connectTimeoutMs: MAX_PROBE_TIMEOUT_MS, totalTimeoutMs: MAX_PROBE_TIMEOUT_MS });
    // Infinity (YAML .inf) and the --timeout override are bounded the same way.
    const [inf] = (await exec().execute([probe('inf', `${healthy.url}/`, { connectTimeoutMs: Infinity, totalTimeoutMs: Infinity })])) as HttpObservation[];
    expect(inf).toMatchObject({ outcome: 'response', status: 200 });
    const [override] = (await new LiveExecutor({ allow: LOOPBACK_ONLY, lookup: noDns, timeoutMs: HUGE_MS }).execute([probe('override', `${slow.url}/`)])) as HttpObservation[];
    expect(override).toMatchObject({ outcome: 'response', status: 200 });
  });

  it('the plan lowers a timeout over the maximum and says so; the observation and the recording keep the note', async () => {
    const check = liveCheck([probe('slow', `${slow.url}/`, { connectTimeoutMs: 5000, totalTimeoutMs: HUGE_MS })]);
    const plan = planLiveChecks({ workspace: new Workspace(new MemorySource({})), checks: [check] });
    const text = formatPlan(plan);
    expect(text).toContain(`GET ${slow.url}/  [hostile slow] connect 5000 ms, total ${MAX_PROBE_TIMEOUT_MS} ms (total timeout ${HUGE_MS} ms lowered to the ${MAX_PROBE_TIMEOUT_MS} ms maximum)`);
    const report = await executeLivePlan(plan, exec());
    const o = report.observations[0] as HttpObservation;
    expect(o).toMatchObject({ outcome: 'response', status: 200 });
    expect(o.probe.clampedTimeouts).toEqual([{ field: 'totalTimeoutMs', configuredMs: HUGE_MS, ms: MAX_PROBE_TIMEOUT_MS }]);
  });

  it('the name lookup timer is clamped too (a slow answer is not a dns timeout)', async () => {
    const slowLookup: Lookup = (name) => new Promise((resolve) => setTimeout(() => resolve(name === 'svc.test' ? ['127.0.0.1'] : []), 50));
    expect(await resolveAllowed('svc.test', new AddressPolicy(LOOPBACK_ONLY), slowLookup, HUGE_MS)).toMatchObject({ ok: true, address: '127.0.0.1' });
    expect([clampTimeoutMs(HUGE_MS), clampTimeoutMs(Infinity), clampTimeoutMs(NaN), clampTimeoutMs(0), clampTimeoutMs(1500.4)]).toEqual([
      MAX_PROBE_TIMEOUT_MS,
      MAX_PROBE_TIMEOUT_MS,
      MAX_PROBE_TIMEOUT_MS,
      1,
      1500,
    ]);
    expect(MAX_PROBE_TIMEOUT_MS).toBeLessThan(2 ** 31 - 1);
  });

  it('replay matches recordings whose keys carry the earlier REDACTED marker, and never shows credentials of a probe it did not find', async () => {
    const keyed = { ...probe('http://u:p@h/x', 'http://u:p@127.0.0.1:9/x'), key: 'c/http://***:***@h/x' };
    const recorded = {
      key: 'c/http://REDACTED:REDACTED@h/x',
      kind: 'http',
      probe: { ...keyed, url: 'http://REDACTED:REDACTED@127.0.0.1:9/x' },
      outcome: 'response',
      status: 204,
      durationMs: 1,
      attempts: 1,
    } as unknown as HttpObservation;
    const [hit] = await new ReplayExecutor({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '', observations: [recorded] }).execute([keyed]);
    expect(hit).toMatchObject({ outcome: 'response', status: 204 });
    const [miss] = (await new ReplayExecutor({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '', observations: [] }).execute([keyed])) as HttpObservation[];
    expect(miss).toMatchObject({ outcome: 'not-recorded' });
    expect(JSON.stringify(miss)).not.toContain('u:p@');
  });
});

/** A live check that plans the given probes (ids and targets as given). */
function liveCheck(probes: HttpProbe[]) {
  return defineCheck({
    id: 'hostile',
    title: 't',
    description: 'd',
    severity: 'error',
    kind: 'live',
    reads: [],
    messages: { m: 'x' },
    plan: () => probes.map(({ key: _key, ...p }: HttpProbe & { key?: string }) => p),
    evaluate: () => undefined,
  });
}
