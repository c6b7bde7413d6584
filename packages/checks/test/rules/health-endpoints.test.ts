import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, ReplayExecutor, readRecording, runLiveCheckOnFiles, writeRecording, type Diagnostic } from '@spine-lint/core';
import { defaultPaths } from '@spine-lint/checks';
import check from '../../src/rules/health-endpoints.js';
import { failed, http, liveTester } from '../support/liveTester.js';
import { LOOPBACK_ONLY, handlers, httpServer, type TestServer } from '../../../core/test/probe/servers.js';

const brief = (d: Diagnostic) => ({ messageId: d.messageId, line: d.line, column: d.column, endpoint: d.data.endpoint, got: d.data.got });

describe('health-endpoints against real loopback servers', () => {
  const s: Record<string, TestServer> = {};
  let files: Record<string, string>;
  beforeAll(async () => {
    s.prom = await httpServer(handlers.healthy());
    s.err = await httpServer(handlers.status(500));
    s.redirect = await httpServer(handlers.status(302, { location: '/dashboard' }));
    s.plain = await httpServer(handlers.healthy('ok'));
    s.hang = await httpServer(handlers.hang());
    s.loki = await httpServer(handlers.healthy('Ingester not ready: waiting for 15s after being ready'));
    s.refused = await httpServer(handlers.healthy());
    await s.refused.close();
    files = {
      'ops/bindings/services.health.yaml': [
        'version: 1', // 1
        'defaults:', // 2
        '  connect_timeout_sec: 1', // 3
        '  max_time_sec: 1', // 4
        'endpoints:', // 5
        '  - id: prometheus', // 6
        '    host: observability', // 7
        `    url: "${s.prom.url}/-/healthy"`, // 8
        '    expect: 200', // 9
        '  - id: grafana', // 10
        '    host: observability', // 11
        `    url: "${s.err.url}/api/health"`, // 12
        '    expect: 200', // 13
        '  - id: uptime-kuma', // 14
        '    host: observability', // 15
        `    url: "${s.redirect.url}"`, // 16
        '    expect: 302', // 17
        '  - id: vaultwarden', // 18
        '    host: infra-core', // 19
        `    url: "${s.plain.url}/admin"`, // 20
        '    expect: "401,403"', // 21
        '  - id: loki', // 22
        '    host: observability', // 23
        `    url: "${s.hang.url}/ready"`, // 24
        '    expect: 200', // 25
        '  - id: loki-warming', // 26
        '    host: observability', // 27
        `    url: "${s.loki.url}/ready"`, // 28
        '  - id: legacy', // 29
        '    host: docker-host', // 30
        '    url: "http://10.255.0.1:8080/"', // 31 (disabled: never probed, and outside loopback anyway)
        '    enabled: false', // 32
        '  - id: gone', // 33
        '    host: docker-host', // 34
        `    url: ${s.refused.url}/`, // 35
        '',
      ].join('\n'),
      'ops/bindings/infra.relocation.plan.yaml': [
        'version: 1', // 1
        'active_relocation: {state: cutover}', // 2 (a running relocation: its health_urls are probed)
        'services:', // 3
        '  - service: "grafana"', // 4
        '    to_host: "observability"', // 5
        `    health_url: "${s.plain.url}/api/health"`, // 6
        '    status: "applied"', // 7
        '  - service: "prometheus"', // 8
        '    to_host: "observability"', // 9
        `    health_url: "${s.err.url}/-/healthy"`, // 10
        '    status: "applied"', // 11
        '  - service: "pihole"', // 12
        '    health_url: null', // 13
        '',
      ].join('\n'),
    };
  });
  afterAll(async () => {
    await Promise.all(Object.values(s).map((x) => x.close().catch(() => undefined)));
  });

  const live = () => new LiveExecutor({ allow: LOOPBACK_ONLY, concurrency: 8 });

  it('reports each failure with expected vs got, at the url value; the hanging one costs one timeout', async () => {
    const started = performance.now();
    const report = await runLiveCheckOnFiles(check, { files, paths: defaultPaths, executor: live() });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(2500); // max_time_sec 1 → one hang, bounded
    expect(report.results.map(brief)).toEqual([
      { messageId: 'unexpectedStatus', line: 10, column: 17, endpoint: 'prometheus', got: 500 },
      { messageId: 'unexpectedStatus', line: 12, column: 10, endpoint: 'grafana', got: 500 },
      { messageId: 'unexpectedStatus', line: 20, column: 10, endpoint: 'vaultwarden', got: 200 },
      { messageId: 'unreachable', line: 24, column: 10, endpoint: 'loki', got: 'timeout (no response)' },
      { messageId: 'bodyMismatch', line: 28, column: 10, endpoint: 'loki-warming', got: 'Ingester not ready: waiting for 15s after being ready' },
      { messageId: 'unreachable', line: 35, column: 10, endpoint: 'gone', got: 'connection refused' },
    ]);
    const [relocProm, grafana, vault, loki, warming, gone] = report.results;
    expect(relocProm!.file).toBe('ops/bindings/infra.relocation.plan.yaml');
    expect(grafana!.message).toMatch(new RegExp(`^grafana \\(observability\\): expected HTTP 200, got HTTP 500 from ${s.err!.url}/api/health in \\d+ ms$`));
    expect(vault!.message).toContain('expected HTTP 401,403, got HTTP 200');
    expect(loki!.message).toMatch(/^loki \(observability\): expected HTTP 200, got timeout \(no response\) from .* after \d+ ms$/);
    expect(Number(loki!.data.durationMs)).toBeGreaterThanOrEqual(900);
    expect(warming!.message).toBe(`loki-warming (observability): HTTP 200 but the body is not "ready" (got "Ingester not ready: waiting for 15s after being ready") from ${s.loki!.url}/ready`);
    expect(gone!.data.target).toBe('gone');
    expect(report.summary.errors).toBe(6);
    // The disabled endpoint outside loopback was never planned.
    expect(report.probes.map((p) => p.target)).not.toContain('legacy');
  });

  it('a replay of the recorded run gives the same findings, without a network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spine-lint-rec-'));
    try {
      const first = await runLiveCheckOnFiles(check, { files, paths: defaultPaths, executor: live() });
      writeRecording(join(dir, 'rec.json'), first.observations);
      // Close every server: a replay that touched the network would now fail differently.
      const replayed = await runLiveCheckOnFiles(check, { files, paths: defaultPaths, executor: new ReplayExecutor(readRecording(join(dir, 'rec.json'))) });
      expect(replayed.results).toEqual(first.results);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the body expectation passes on the real Prometheus answer, and a body override can be set', async () => {
    const report = await runLiveCheckOnFiles(check, {
      files: {
        'ops/bindings/services.health.yaml': `endpoints:\n  - id: prometheus\n    host: observability\n    url: "${s.prom!.url}/-/healthy"\n    expect: 200\n  - id: custom\n    host: x\n    url: "${s.plain!.url}/status"\n`,
      },
      paths: defaultPaths,
      executor: live(),
      options: { expectBody: { custom: 'healthy' } },
    });
    expect(report.results.map(brief)).toEqual([{ messageId: 'bodyMismatch', line: 8, column: 10, endpoint: 'custom', got: 'ok' }]);
  });

  it('the address policy refuses a non-loopback URL with a finding, before any packet', async () => {
    const report = await runLiveCheckOnFiles(check, {
      files: { 'ops/bindings/services.health.yaml': 'endpoints:\n  - id: lan\n    host: x\n    url: "http://192.168.1.205:9090/-/healthy"\n' },
      paths: defaultPaths,
      executor: live(),
    });
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ messageId: 'unreachable', line: 4, column: 10 });
    expect(report.results[0]!.message).toContain('not probed: refused before connecting: 192.168.1.205 is outside the allowed ranges (127.0.0.0/8, ::1)');
  });
});

describe('health-endpoints plan', () => {
  it('asks a URL once when a relocation health_url repeats an enabled endpoint', async () => {
    const { MemorySource, Workspace } = await import('@spine-lint/core');
    const ws = new Workspace(
      new MemorySource({
        'ops/bindings/services.health.yaml': 'endpoints:\n  - id: prometheus\n    host: observability\n    url: "http://127.0.0.1:9/-/healthy"\n    expect: 200\n',
        'ops/bindings/infra.relocation.plan.yaml':
          'active_relocation: {state: cutover}\nservices:\n  - service: prometheus\n    to_host: observability\n    health_url: "http://127.0.0.1:9/-/healthy"\n    status: cutover\n  - service: loki\n    to_host: observability\n    health_url: "http://127.0.0.1:9/ready"\n    status: cutover\n',
      }),
      { paths: defaultPaths },
    );
    const probes = check.plan({ workspace: ws, now: new Date(), options: {}, report: () => undefined }) as { url: string }[];
    expect(probes.map((p) => p.url)).toEqual(['http://127.0.0.1:9/-/healthy', 'http://127.0.0.1:9/ready']);
  });
});

describe('health-endpoints plan: only the probes the relocation state calls for, one expectation per URL', () => {
  type Planned = { id: string; url: string; expectStatus: number[] };
  const planOf = async (files: Record<string, string>, options: Record<string, unknown> = {}): Promise<[string, string, number[]][]> => {
    const { MemorySource, Workspace } = await import('@spine-lint/core');
    const ws = new Workspace(new MemorySource(files), { paths: defaultPaths });
    const probes = check.plan({ workspace: ws, now: new Date(), options, report: () => undefined }) as Planned[];
    return probes.map((p) => [p.id, p.url, p.expectStatus]);
  };
  // services.health as at a00cb7b7: LAN addresses, homarr answers 307 (a redirect to its login is healthy).
  const HEALTH = [
    'endpoints:',
    '  - id: homarr',
    '    host: streaming-stack',
    '    url: "http://192.168.1.210:7575/"',
    '    expect: 307',
    '  - id: jellyfin',
    '    host: streaming-stack',
    '    url: "http://192.168.1.210:8096/health"',
    '    expect: 200',
    '  - id: minio',
    '    host: docker-host',
    '    url: "http://192.168.1.200:9000/minio/health/live"',
    '    expect: 200',
    '    enabled: false',
    '',
  ].join('\n');
  const ENDPOINT_PROBES: [string, string, number[]][] = [
    ['endpoint:homarr', 'http://192.168.1.210:7575/', [307]],
    ['endpoint:jellyfin', 'http://192.168.1.210:8096/health', [200]],
  ];
  // The manifest names hosts, not addresses (spec §1.3).
  const manifest = (activeRelocation: string, services: [string, string, string][]): string =>
    [
      `active_relocation: ${activeRelocation}`,
      'services:',
      ...services.flatMap(([service, url, status]) => [`  - service: ${service}`, '    to_host: streaming-stack', `    health_url: "${url}"`, `    status: ${status}`]),
      '',
    ].join('\n');
  const SERVICES: [string, string, string][] = [
    ['homarr', 'http://streaming-stack:7575', 'applied'],
    ['navidrome', 'http://streaming-stack:4533', 'applied'],
  ];
  const files = (activeRelocation: string, services = SERVICES): Record<string, string> => ({
    'ops/bindings/services.health.yaml': HEALTH,
    'ops/bindings/infra.relocation.plan.yaml': manifest(activeRelocation, services),
  });

  it.each([
    ['null (archived, a00cb7b7)', 'null'],
    ['none', '{state: none}'],
    ['planning', '{state: planning}'],
    ['complete', '{state: complete}'],
    ['a map without a state', '{change_id: LOOP-X}'],
  ])('no relocation in progress (%s): the manifest health_urls are not planned', async (_name, active) => {
    expect(await planOf(files(active))).toEqual(ENDPOINT_PROBES);
  });

  it('no active_relocation key at all: not planned either', async () => {
    expect(
      await planOf({
        'ops/bindings/services.health.yaml': HEALTH,
        'ops/bindings/infra.relocation.plan.yaml': 'services:\n  - service: navidrome\n    to_host: streaming-stack\n    health_url: "http://streaming-stack:4533"\n    status: applied\n',
      }),
    ).toEqual(ENDPOINT_PROBES);
  });

  it.each(['preflight', 'cutover', 'cleanup'])('relocation in %s: the health_url of a service on to_host is planned (expect 200, what promote gates on)', async (state) => {
    expect(await planOf(files(`{state: ${state}}`))).toEqual([...ENDPOINT_PROBES, ['relocation:navidrome', 'http://streaming-stack:4533', [200]]]);
  });

  it('only services deployed on to_host: shadow, cutover, migrated, applied — not planned (or no status), not rolled-back', async () => {
    const services: [string, string, string][] = [
      ['a', 'http://streaming-stack:1001', 'planned'],
      ['b', 'http://streaming-stack:1002', 'shadow'],
      ['c', 'http://streaming-stack:1003', 'cutover'],
      ['d', 'http://streaming-stack:1004', 'migrated'],
      ['e', 'http://streaming-stack:1005', 'applied'],
      ['f', 'http://streaming-stack:1006', 'rolled-back'],
      ['g', 'http://streaming-stack:1007', 'Applied'],
    ];
    const plan = await planOf(files('{state: cutover}', services));
    expect(plan.slice(ENDPOINT_PROBES.length).map(([id]) => id)).toEqual(['relocation:b', 'relocation:c', 'relocation:d', 'relocation:e']);
  });

  it('one URL, one probe: homarr in the manifest (200 implied) and in services.health (307) is probed once, expecting 307', async () => {
    const plan = await planOf(files('{state: cutover}'));
    expect(plan.filter(([, url]) => url.includes(':7575'))).toEqual([['endpoint:homarr', 'http://192.168.1.210:7575/', [307]]]);
  });

  it('the same URL written another way is still one probe (host case, explicit default port, trailing slash)', async () => {
    const health = 'endpoints:\n  - id: web\n    host: web-1\n    url: "http://10.0.0.9/status"\n    expect: 302\n';
    const plan = (url: string) => planOf({ 'ops/bindings/services.health.yaml': health, 'ops/bindings/infra.relocation.plan.yaml': manifest('{state: cleanup}', [['web', url, 'applied']]) });
    for (const url of ['http://WEB-1:80/status/', 'HTTP://10.0.0.9:80/status', 'http://web-1/status']) {
      expect(await plan(url), url).toEqual([['endpoint:web', 'http://10.0.0.9/status', [302]]]);
    }
    // A real difference (another path, port or host) is another probe.
    for (const url of ['http://web-1/status/deep', 'http://web-1:8080/status', 'http://web-2/status']) {
      expect(await plan(url), url).toEqual([
        ['endpoint:web', 'http://10.0.0.9/status', [302]],
        ['relocation:web', url, [200]],
      ]);
    }
  });

  it("a disabled endpoint with the same URL is not probed itself, but its expect is the relocation probe's", async () => {
    const plan = await planOf({
      'ops/bindings/services.health.yaml': HEALTH,
      'ops/bindings/infra.relocation.plan.yaml': manifest('{state: cutover}', [['minio', 'http://docker-host:9000/minio/health/live', 'shadow']]),
    });
    expect(plan).toEqual([...ENDPOINT_PROBES, ['relocation:minio', 'http://docker-host:9000/minio/health/live', [200]]]);
    const health307 = HEALTH.replace('    expect: 200\n    enabled: false', '    expect: 307\n    enabled: false');
    const plan307 = await planOf({
      'ops/bindings/services.health.yaml': health307,
      'ops/bindings/infra.relocation.plan.yaml': manifest('{state: cutover}', [['minio', 'http://docker-host:9000/minio/health/live', 'shadow']]),
    });
    expect(plan307).toEqual([...ENDPOINT_PROBES, ['relocation:minio', 'http://docker-host:9000/minio/health/live', [307]]]);
  });

  it('two manifest services naming one URL are one probe', async () => {
    const plan = await planOf(
      files('{state: cutover}', [
        ['a', 'http://streaming-stack:4533', 'applied'],
        ['b', 'http://streaming-stack:4533/', 'applied'],
      ]),
    );
    expect(plan.slice(ENDPOINT_PROBES.length)).toEqual([['relocation:a', 'http://streaming-stack:4533', [200]]]);
  });

  it('option relocationHealthUrls: false plans none, in any state', async () => {
    expect(await planOf(files('{state: cutover}'), { relocationHealthUrls: false })).toEqual(ENDPOINT_PROBES);
  });

  it('evaluated: a 307 from homarr is healthy (no false failure from the manifest), a 200 is not', async () => {
    const answering = (status: number) => ({
      execute: async (probes: readonly ({ key: string } & Planned & { kind: 'http' })[]) =>
        probes.map((p) => ({ key: p.key, kind: 'http' as const, probe: p, outcome: 'response' as const, status: p.url.includes(':7575') ? status : 200, durationMs: 1, attempts: 1 })),
    });
    const run = (status: number) => runLiveCheckOnFiles(check, { files: files('{state: cutover}'), paths: defaultPaths, executor: answering(status) as never });
    expect((await run(307)).results).toEqual([]);
    expect((await run(200)).results.map((d) => [d.messageId, d.data.endpoint, d.data.expected, d.data.got, d.file])).toEqual([
      ['unexpectedStatus', 'homarr', '307', 200, 'ops/bindings/services.health.yaml'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Table: no network. Observations by probe id; a probe the case does not answer gets what the
// engine gives a missing observation ("no observation"), for exactly that probe.
// ---------------------------------------------------------------------------------------------

const HEALTH = [
  'version: 1', // 1
  'defaults:', // 2
  '  connect_timeout_sec: 2', // 3
  '  max_time_sec: 4', // 4
  'endpoints:', // 5
  '  - id: prometheus', // 6
  '    host: observability', // 7
  '    url: "http://10.0.0.5:9090/-/healthy"', // 8
  '    expect: 200', // 9
  '  - id: grafana', // 10
  '    host: observability', // 11
  '    url: "http://10.0.0.5:3000/api/health"', // 12
  '  - id: vaultwarden', // 13
  '    host: infra-core', // 14
  '    url: "http://10.0.0.6:8200/admin"', // 15
  '    expect: "401,403"', // 16
  '  - id: legacy', // 17
  '    host: docker-host', // 18
  '    url: "http://10.0.0.7:8080/"', // 19
  '    enabled: false', // 20
  '',
].join('\n');
const PROMETHEUS_OK = http(200, 'Prometheus Server is Healthy.\n');
const ALL_OK = { 'endpoint:prometheus': PROMETHEUS_OK, 'endpoint:grafana': http(200), 'endpoint:vaultwarden': http(403) };
const RELOCATING = [
  'active_relocation: {state: cutover}', // 1
  'services:', // 2
  '  - service: loki', // 3
  '    to_host: observability', // 4
  '    health_url: "http://observability:3100/ready"', // 5
  '    status: cutover', // 6
  '  - service: grafana', // 7
  '    to_host: observability', // 8
  '    health_url: "http://10.0.0.5:3000/api/health"', // 9
  '    status: applied', // 10
  '',
].join('\n');

liveTester(check, {
  valid: [
    {
      name: 'every endpoint answers as expected (disabled ones are not planned)',
      files: { 'services.health': HEALTH },
      observations: ALL_OK,
      plan: ['endpoint:prometheus', 'endpoint:grafana', 'endpoint:vaultwarden'],
    },
    {
      name: '302 and 401 are fine when expected',
      files: {
        'services.health': 'endpoints:\n  - id: kuma\n    host: h\n    url: "http://10.0.0.8/"\n    expect: 302\n  - id: admin\n    host: h\n    url: "http://10.0.0.8/admin"\n    expect: "401,403"\n',
      },
      observations: { 'endpoint:kuma': http(302), 'endpoint:admin': http(401) },
    },
    {
      name: 'expectBody null: the Prometheus body is not checked',
      files: { 'services.health': HEALTH },
      options: { expectBody: { prometheus: null } },
      observations: { ...ALL_OK, 'endpoint:prometheus': http(200, 'something else') },
    },
    {
      name: 'a running relocation: its health_url is probed; one naming an endpoint URL is that endpoint',
      files: { 'services.health': HEALTH, 'infra.relocation.plan': RELOCATING },
      plan: ['endpoint:prometheus', 'endpoint:grafana', 'endpoint:vaultwarden', 'relocation:loki'],
      observations: { ...ALL_OK, 'relocation:loki': http(200, 'ready') },
    },
    {
      name: 'option relocationHealthUrls: false plans no health_url',
      files: { 'services.health': HEALTH, 'infra.relocation.plan': RELOCATING },
      options: { relocationHealthUrls: false },
      observations: ALL_OK,
      plan: ['endpoint:prometheus', 'endpoint:grafana', 'endpoint:vaultwarden'],
    },
  ],
  invalid: [
    {
      name: 'unexpected status, at the url value',
      files: { 'services.health': HEALTH },
      observations: { ...ALL_OK, 'endpoint:grafana': http(500) },
      errors: [
        {
          messageId: 'unexpectedStatus',
          data: { endpoint: 'grafana', host: 'observability', expected: '200', got: 500, url: 'http://10.0.0.5:3000/api/health' },
          line: 12,
          column: 10,
          endLine: 12,
          endColumn: 43,
          file: 'ops/bindings/services.health.yaml',
        },
      ],
    },
    {
      name: 'three probes, the middle observation missing: it stays missing for exactly grafana; the third finding names vaultwarden',
      files: { 'services.health': HEALTH },
      observations: { 'endpoint:prometheus': http(500), 'endpoint:vaultwarden': http(200) },
      errors: [
        { messageId: 'unexpectedStatus', data: { endpoint: 'prometheus', got: 500 }, line: 8, column: 10 },
        { messageId: 'unreachable', data: { endpoint: 'grafana', got: 'no observation', durationMs: 0 }, line: 12, column: 10 },
        { messageId: 'unexpectedStatus', data: { endpoint: 'vaultwarden', expected: '401,403', got: 200 }, line: 15, column: 10 },
      ],
    },
    {
      name: 'no answer: timeout, connection refused, DNS failure, refused by the address policy',
      files: { 'services.health': HEALTH },
      observations: {
        'endpoint:prometheus': failed('timeout', 'total timeout', { timeoutPhase: 'total' }),
        'endpoint:grafana': failed('refused', 'connect ECONNREFUSED'),
        'endpoint:vaultwarden': failed('refused-policy', 'refused before connecting: 10.0.0.6 is outside the allowed ranges (127.0.0.0/8)', { attempts: 0 }),
      },
      errors: [
        { messageId: 'unreachable', data: { endpoint: 'prometheus', got: 'timeout (no response)' }, line: 8, column: 10 },
        { messageId: 'unreachable', data: { endpoint: 'grafana', got: 'connection refused' }, line: 12, column: 10 },
        { messageId: 'unreachable', data: { endpoint: 'vaultwarden', got: 'not probed: refused before connecting: 10.0.0.6 is outside the allowed ranges (127.0.0.0/8)' }, line: 15, column: 10 },
      ],
    },
    {
      name: 'a body that stalls after the status: a timeout in the body phase',
      files: { 'services.health': HEALTH },
      observations: { ...ALL_OK, 'endpoint:prometheus': failed('timeout', 'body stalled', { timeoutPhase: 'body', status: 200 }) },
      errors: [{ messageId: 'unreachable', data: { endpoint: 'prometheus', got: 'timeout (HTTP 200, body stalled)' }, line: 8, column: 10 }],
    },
    {
      name: 'the runbook body of /-/healthy, whitespace collapsed in the message',
      files: { 'services.health': HEALTH },
      observations: { ...ALL_OK, 'endpoint:prometheus': http(200, 'Prometheus is\n  starting') },
      errors: [{ messageId: 'bodyMismatch', data: { endpoint: 'prometheus', status: 200, expectedBody: 'Prometheus Server is Healthy.', got: 'Prometheus is starting' }, line: 8, column: 10 }],
    },
    {
      name: 'a body expected by option, for an endpoint id',
      files: { 'services.health': HEALTH },
      options: { expectBody: { grafana: 'ok' } },
      observations: { ...ALL_OK, 'endpoint:grafana': http(200, '{"database":"ok"}') },
      errors: [{ messageId: 'bodyMismatch', data: { endpoint: 'grafana', expectedBody: 'ok', got: '{"database":"ok"}' }, line: 12, column: 10 }],
    },
    {
      name: "a running relocation's health_url failing: at the manifest's health_url, expect 200",
      files: { 'services.health': HEALTH, 'infra.relocation.plan': RELOCATING },
      observations: { ...ALL_OK, 'relocation:loki': http(503, 'not ready') },
      errors: [{ messageId: 'unexpectedStatus', data: { endpoint: 'loki', host: 'observability', expected: '200', got: 503 }, line: 5, column: 17, file: 'ops/bindings/infra.relocation.plan.yaml' }],
    },
    {
      name: 'URL credentials are redacted in the data and the message',
      files: { 'services.health': 'endpoints:\n  - id: secret\n    host: h\n    url: "http://admin:hunter2@10.0.0.9/health"\n' },
      observations: { 'endpoint:secret': http(401) },
      errors: [{ messageId: 'unexpectedStatus', data: { endpoint: 'secret', url: 'http://***:***@10.0.0.9/health', got: 401 }, line: 4, column: 10 }],
    },
  ],
});
