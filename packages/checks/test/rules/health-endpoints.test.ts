import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, ReplayExecutor, readRecording, runLiveCheckOnFiles, writeRecording, type Diagnostic } from '@spine-lint/core';
import { defaultPaths } from '@spine-lint/checks';
import check from '../../src/rules/health-endpoints.js';
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
        'active_relocation: null', // 2
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
      files: { 'ops/bindings/services.health.yaml': `endpoints:\n  - id: prometheus\n    host: observability\n    url: "${s.prom!.url}/-/healthy"\n    expect: 200\n  - id: custom\n    host: x\n    url: "${s.plain!.url}/status"\n` },
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
          'services:\n  - service: prometheus\n    to_host: observability\n    health_url: "http://127.0.0.1:9/-/healthy"\n    status: cutover\n  - service: loki\n    to_host: observability\n    health_url: "http://127.0.0.1:9/ready"\n    status: cutover\n',
      }),
      { paths: defaultPaths },
    );
    const probes = check.plan({ workspace: ws, now: new Date(), options: {}, report: () => undefined }) as { url: string }[];
    expect(probes.map((p) => p.url)).toEqual(['http://127.0.0.1:9/-/healthy', 'http://127.0.0.1:9/ready']);
  });
});
