/**
 * Hostile values in services.health.yaml, end to end through the built CLI (packages/cli/dist):
 * a URL that crashed the probe run, a timeout that overflowed the timer, and URL credentials that
 * `check` printed. Only loopback servers started here are contacted (`probes.allow` is loopback).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers, httpServer, type TestServer } from '../../packages/core/test/probe/servers.js';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.cjs', import.meta.url));

function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, SSH_AUTH_SOCK: '', GITHUB_STEP_SUMMARY: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A spine root with the given files (repository paths), loopback-only probes. */
function spineRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'spine-lint-hostile-'));
  for (const [path, text] of Object.entries({ '.spine-lint.yaml': 'probes:\n  allow: ["127.0.0.0/8", "::1"]\n', ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const healthYaml = (defaults: string, endpoints: [id: string, url: string][]): string =>
  ['version: 1', 'defaults:', defaults, 'endpoints:', ...endpoints.map(([id, url]) => `  - id: ${id}\n    host: observability\n    url: ${JSON.stringify(url)}\n    expect: 200`), ''].join('\n');

type JsonResult = { checkId: string; messageId: string; message: string; data: Record<string, unknown>; line: number; column: number; fingerprint: string };

describe('hostile services.health values through the built CLI', () => {
  const servers: TestServer[] = [];
  const roots: string[] = [];
  let healthy: TestServer;
  let slow: TestServer;
  beforeAll(async () => {
    healthy = await httpServer(handlers.healthy());
    // Answers after 1.2 s: a timer that overflowed fires after 1 ms and calls this a timeout.
    slow = await httpServer((_q, res) => void setTimeout(() => res.writeHead(200).end('ok'), 1200));
    servers.push(healthy, slow);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('a URL with an undecodable user name (http://%ff@…) is a finding of that endpoint, not a crash: the others are probed, the recording is written and replays', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const root = spineRoot({
      'ops/bindings/services.health.yaml': healthYaml('  connect_timeout_sec: 1\n  max_time_sec: 2', [
        ['broken', `http://%ff@127.0.0.1:${healthy.port}/x`],
        ['prometheus', `${healthy.url}/-/healthy`],
      ]),
    });
    roots.push(root);
    const before = healthy.connections();
    const rec = join(root, 'rec.json');
    const live = await cli(['probe', '--format', 'json', '--record', rec], root);
    expect(live.stderr).not.toContain('internal error');
    expect(live.code).toBe(1);
    const results = JSON.parse(live.stdout).results as JsonResult[];
    expect(results.map((r) => [r.checkId, r.data.endpoint, r.messageId, r.line, r.column])).toEqual([['health-endpoints', 'broken', 'unreachable', 8, 10]]);
    expect(results[0]!.message).toBe(
      `broken (observability): expected HTTP 200, got not probed: not a valid URL: the user name of "http://***@127.0.0.1:${healthy.port}/x" is not valid percent-encoding (e.g. '%ff'); write it as percent-encoded UTF-8 from http://***@127.0.0.1:${healthy.port}/x after ${results[0]!.data.durationMs} ms`,
    );
    // prometheus was probed (and passed); the broken URL never connected.
    expect(healthy.connections() - before).toBe(1);
    const recording = JSON.parse(readFileSync(rec, 'utf8'));
    expect(recording.observations.map((o: { key: string; outcome: string }) => [o.key, o.outcome])).toEqual([
      ['health-endpoints/endpoint:broken', 'refused-policy'],
      ['health-endpoints/endpoint:prometheus', 'response'],
    ]);
    const replay = await cli(['probe', '--format', 'json', '--replay', rec], root);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout).results).toEqual(results);
    // --dry-run names the reason too.
    const dry = await cli(['probe', '--dry-run'], root);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`REFUSED GET http://***@127.0.0.1:${healthy.port}/x: not a valid URL: the user name of`);
  });

  it('max_time_sec: 3000000 (more than a timer holds) is lowered to the maximum: a healthy endpoint passes, and --dry-run says so', async () => {
    const root = spineRoot({
      'ops/bindings/services.health.yaml': healthYaml('  connect_timeout_sec: 3000000\n  max_time_sec: 3000000', [['slow', `${slow.url}/`]]),
    });
    roots.push(root);
    const live = await cli(['probe', '--format', 'json'], root);
    expect(JSON.parse(live.stdout).results).toEqual([]);
    expect(live.code).toBe(0);
    expect(live.stderr).toBe(''); // no TimeoutOverflowWarning either
    const dry = await cli(['probe', '--dry-run'], root);
    expect(dry.stdout).toContain(
      `GET ${slow.url}/  [health-endpoints slow] connect 600000 ms, total 600000 ms, expect 200 (connect timeout 3000000000 ms lowered to the 600000 ms maximum; total timeout 3000000000 ms lowered to the 600000 ms maximum)`,
    );
    // --timeout is bounded the same way.
    const flag = await cli(['probe', '--format', 'json', '--timeout', '3000000'], root);
    expect(JSON.parse(flag.stdout).results).toEqual([]);
    expect(flag.stderr).toBe('');
  });

  it('check on a spine with ftp://user:S3cret@… in services.health: no output format contains the password', async () => {
    const root = spineRoot({
      'ops/bindings/services.health.yaml': healthYaml('  connect_timeout_sec: 1\n  max_time_sec: 1', [['grafana', 'ftp://user:S3cret@127.0.2.205:3000/api/health']]),
      'docs/governance/SERVICE_REGISTRY.yaml': 'services:\n  grafana:\n    host: observability\n    port: 3000\n    health: /api/health\n',
    });
    roots.push(root);
    const outputs: Record<string, string> = {};
    for (const format of ['stylish', 'json', 'sarif', 'junit', 'github']) {
      const r = await cli(['check', '--format', format, '--no-color'], root);
      expect(r.code, `${format}: ${r.stderr}`).toBe(1);
      outputs[format] = r.stdout + r.stderr;
    }
    // GitHub annotates at most 10 findings per level: the two that print the URL, in a run of those two checks.
    const annotated = await cli(['check', '--format', 'github', '--no-color', '--only', 'schema,health-endpoint-registry-parity'], root);
    outputs['github --only'] = annotated.stdout + annotated.stderr;
    for (const [format, text] of Object.entries(outputs)) {
      expect(text, format).not.toContain('S3cret');
      expect(text, format).not.toContain('user:');
      if (format !== 'github') expect(text, format).toContain('ftp://***:***@127.0.2.205:3000/api/health');
    }
    // Both findings that printed the URL, in redacted form, message and data alike.
    const results = JSON.parse(outputs.json!).results as JsonResult[];
    const byCheck = Object.fromEntries(results.filter((r) => r.checkId === 'schema' || r.checkId === 'health-endpoint-registry-parity').map((r) => [r.checkId, r]));
    expect(byCheck['health-endpoint-registry-parity']).toMatchObject({
      messageId: 'badUrl',
      message: "Endpoint 'grafana' url 'ftp://***:***@127.0.2.205:3000/api/health' is not an http(s) URL, so it cannot be compared with service 'grafana'.",
      data: { url: 'ftp://***:***@127.0.2.205:3000/api/health' },
    });
    expect(byCheck.schema).toMatchObject({
      message: "services.health.endpoints[0].url must be an http(s) URL (got 'ftp://***:***@127.0.2.205:3000/api/health')",
      data: { actual: "'ftp://***:***@127.0.2.205:3000/api/health'" },
    });
    // The fingerprint is computed from the redacted data: the same on every run.
    const again = JSON.parse((await cli(['check', '--format', 'json'], root)).stdout).results as JsonResult[];
    expect(again.map((r) => r.fingerprint)).toEqual(results.map((r) => r.fingerprint));
  });
});
