import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, MAX_BODY_BYTES, type HttpObservation, type HttpProbe, type KeyedProbe, type Lookup } from '@spine-lint/core';
import { LOOPBACK_ONLY, handlers, httpServer, httpsServer, selfSignedCert, type TestServer } from './servers.js';

const probe = (url: string, extra: Partial<HttpProbe> = {}): KeyedProbe & HttpProbe => ({
  kind: 'http',
  id: url,
  key: `t/${url}`,
  target: 't',
  url,
  connectTimeoutMs: 1000,
  totalTimeoutMs: 1500,
  ...extra,
});

/** A resolver that never sends a DNS packet: a fixed table, ENOTFOUND for anything else. */
const tableLookup =
  (table: Record<string, string[]>): Lookup =>
  async (name) => {
    const hit = table[name];
    if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return hit;
  };

const exec = (opts: ConstructorParameters<typeof LiveExecutor>[0] = {}) => new LiveExecutor({ allow: LOOPBACK_ONLY, lookup: tableLookup({ localhost: ['127.0.0.1'] }), ...opts });
const run1 = async (p: KeyedProbe, opts?: ConstructorParameters<typeof LiveExecutor>[0]): Promise<HttpObservation> => (await exec(opts).execute([p]))[0] as HttpObservation;

describe('HTTP executor against real loopback servers', () => {
  const servers: Record<string, TestServer> = {};
  let flaky = 0;
  let seenAuth: string | undefined;
  beforeAll(async () => {
    servers.healthy = await httpServer(handlers.healthy());
    servers.error = await httpServer(handlers.status(500));
    servers.redirect = await httpServer(handlers.status(302, { location: 'http://127.0.0.1:1/elsewhere' }));
    servers.hang = await httpServer(handlers.hang());
    servers.reset = await httpServer(handlers.reset());
    servers.stall = await httpServer(handlers.stallMidBody());
    servers.big = await httpServer((_q, res) => res.writeHead(200).end('x'.repeat(MAX_BODY_BYTES * 3)));
    servers.flaky = await httpServer((_q, res) => res.writeHead(flaky++ < 2 ? 503 : 200).end('ok'));
    servers.auth = await httpServer((req, res) => {
      seenAuth = req.headers.authorization;
      res.writeHead(401).end();
    });
    servers.tls = await httpsServer(selfSignedCert(), handlers.healthy('ready'));
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  it('healthy: status and captured body', async () => {
    const o = await run1(probe(`${servers.healthy!.url}/-/healthy`, { captureBody: true }));
    expect(o).toMatchObject({ outcome: 'response', status: 200, body: 'Prometheus Server is Healthy.\n', attempts: 1, address: '127.0.0.1' });
    expect(o.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('500 and 302 are responses; the redirect is not followed', async () => {
    expect(await run1(probe(servers.error!.url))).toMatchObject({ outcome: 'response', status: 500 });
    const r = await run1(probe(servers.redirect!.url));
    expect(r).toMatchObject({ outcome: 'response', status: 302 });
  });

  it('hang: total timeout', async () => {
    const o = await run1(probe(servers.hang!.url, { totalTimeoutMs: 400 }));
    expect(o.outcome).toBe('timeout');
    expect(o.durationMs).toBeGreaterThanOrEqual(350);
    expect(o.durationMs).toBeLessThan(1500);
  });

  it('reset: connection reset', async () => {
    expect(await run1(probe(servers.reset!.url))).toMatchObject({ outcome: 'reset', error: 'connection reset by peer' });
  });

  it('stall mid-body: timeout after the status came back', async () => {
    const o = await run1(probe(servers.stall!.url, { totalTimeoutMs: 400 }));
    expect(o).toMatchObject({ outcome: 'timeout', status: 200, timeoutPhase: 'body' });
  });

  it('refused: nothing listening', async () => {
    const s = await httpServer(handlers.healthy());
    const url = s.url;
    await s.close();
    expect(await run1(probe(url))).toMatchObject({ outcome: 'refused', error: 'connection refused' });
  });

  it('self-signed TLS certificate: a TLS error, not a response', async () => {
    const o = await run1(probe(servers.tls!.url));
    expect(o.outcome).toBe('tls');
    expect(o.error).toMatch(/self[- ]signed|certificate/i);
  });

  it('body is read up to the cap only', async () => {
    const o = await run1(probe(servers.big!.url, { captureBody: true }));
    expect(o).toMatchObject({ outcome: 'response', status: 200, bodyTruncated: true });
    expect(o.body!.length).toBe(MAX_BODY_BYTES);
  });

  it('retries with backoff, counted in the observation (off by default)', async () => {
    flaky = 0;
    expect(await run1(probe(servers.flaky!.url, { expectStatus: [200] }))).toMatchObject({ status: 503, attempts: 1 });
    flaky = 0;
    expect(await run1(probe(servers.flaky!.url, { expectStatus: [200] }), { retries: 3 })).toMatchObject({ status: 200, attempts: 3 });
  });

  it('URL credentials are sent but redacted from the observation', async () => {
    const o = await run1({ ...probe(`http://admin:s3cret@127.0.0.1:${servers.auth!.port}/`), id: 'cred', key: 't/cred' });
    expect(seenAuth).toBe('Basic ' + Buffer.from('admin:s3cret').toString('base64'));
    expect(o.status).toBe(401);
    expect(JSON.stringify(o)).not.toContain('s3cret');
    expect(o.probe.url).toBe(`http://***:***@127.0.0.1:${servers.auth!.port}/`);
  });

  it('DNS failure is its own outcome', async () => {
    expect(await run1(probe('http://no-such-host.invalid/'))).toMatchObject({ outcome: 'dns', attempts: 0 });
  });

  it('address policy: refused after resolution, before any connection', async () => {
    const before = servers.healthy!.connections();
    // The name resolves to a loopback address the policy does not allow.
    const o = await run1(probe(`http://localhost:${servers.healthy!.port}/`), { allow: ['::1'] });
    expect(o).toMatchObject({ outcome: 'refused-policy', attempts: 0 });
    expect(o.error).toContain("'localhost' resolves to 127.0.0.1 is outside the allowed ranges (::1)");
    expect(servers.healthy!.connections()).toBe(before);
    // Outside loopback: refused, never sent.
    expect(await run1(probe('http://10.20.30.40:9090/'))).toMatchObject({ outcome: 'refused-policy' });
    // Default policy: link-local refused.
    const ll = await new LiveExecutor({ lookup: tableLookup({ metadata: ['169.254.169.254'] }) }).execute([probe('http://metadata/latest')]);
    expect(ll[0]).toMatchObject({ outcome: 'refused-policy' });
    expect(ll[0]!.error).toContain('link-local');
  });

  it('non-http schemes are refused', async () => {
    expect(await run1(probe('ftp://127.0.0.1/x'))).toMatchObject({ outcome: 'refused-policy', error: "scheme 'ftp' refused (only http and https are probed)" });
    expect(await run1(probe('file:///etc/passwd'))).toMatchObject({ outcome: 'refused-policy' });
  });

  it('several hanging endpoints finish in about one timeout, not the sum', async () => {
    const probes = [1, 2, 3, 4, 5].map((i) => ({ ...probe(`${servers.hang!.url}/${i}`, { totalTimeoutMs: 500 }), key: `t/hang${i}` }));
    probes.push({ ...probe(servers.healthy!.url), key: 't/ok' });
    const started = performance.now();
    const progress: number[] = [];
    const obs = await exec({ concurrency: 8 }).execute(probes, (p) => progress.push(p.done));
    const elapsed = performance.now() - started;
    expect(obs.map((o) => o.outcome)).toEqual(['timeout', 'timeout', 'timeout', 'timeout', 'timeout', 'response']);
    expect(elapsed).toBeLessThan(1400);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
