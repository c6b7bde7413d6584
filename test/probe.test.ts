/**
 * End-to-end: `spine-lint probe` (built CLI) against real loopback servers, with the address
 * policy set to loopback only. Never points at the corpus's real addresses except in --dry-run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../packages/cli/src/main.js';
import { handlers, httpServer, type TestServer } from '../packages/core/test/probe/servers.js';
import './support/corpus.js'; // fails on CI when the corpus is missing instead of skipping

const BIN = fileURLToPath(new URL('../packages/cli/dist/bin.cjs', import.meta.url));
const CORPUS_TREE = fileURLToPath(new URL('../../shared/corpus/trees/19-a00cb7b7', import.meta.url));
const ALLOW = '127.0.0.0/8,::1';

function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, SSH_AUTH_SOCK: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('spine-lint probe (built CLI)', () => {
  let root: string;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    const ok = await httpServer(handlers.healthy());
    const bad = await httpServer(handlers.status(503));
    const hang = await httpServer(handlers.hang());
    servers.push(ok, bad, hang);
    root = mkdtempSync(join(tmpdir(), 'spine-lint-probe-e2e-'));
    mkdirSync(join(root, 'ops/bindings'), { recursive: true });
    writeFileSync(
      join(root, 'ops/bindings/services.health.yaml'),
      [
        'version: 1',
        'defaults:',
        '  connect_timeout_sec: 1',
        '  max_time_sec: 1',
        'endpoints:',
        '  - id: prometheus',
        '    host: observability',
        `    url: "${ok.url}/-/healthy"`,
        '    expect: 200',
        '  - id: grafana',
        '    host: observability',
        `    url: "http://admin:hunter2@127.0.0.1:${bad.port}/api/health"`,
        '    expect: 200',
        '  - id: loki',
        '    host: observability',
        `    url: "${hang.url}/ready"`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(root, '.spine-lint.yaml'), `probes:\n  allow: ["127.0.0.0/8", "::1"]\n`);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(root, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(CORPUS_TREE))('--dry-run prints the plan per host and exits 0, sending nothing (corpus tree)', async () => {
    const r = await cli(['probe', '--root', CORPUS_TREE, '--dry-run', '--allow', ALLOW], process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Probe plan: \d+ probe\(s\) on \d+ host\(s\) from 6 live check\(s\)\. Nothing was sent\./);
    expect(r.stdout).toContain("$ qm status '205'  [vm-readiness]");
    expect(r.stdout).toContain('GET http://192.168.1.205:9090/-/healthy  [health-endpoints prometheus]');
    // The body the check looks for is part of the plan.
    expect(r.stdout).toMatch(/\/-\/healthy  \[health-endpoints prometheus\] .*expect 200, body contains "Prometheus Server is Healthy\."\n/);
    expect(r.stderr).toBe('');
  });

  it.skipIf(!existsSync(CORPUS_TREE))('--dry-run plans only what the relocation state calls for, one probe per URL (corpus tree, in-process)', async () => {
    let out = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: () => undefined, stdoutIsTTY: false, stderrIsTTY: false, cwd: process.cwd(), env: {} };
    expect(await main(['probe', '--root', CORPUS_TREE, '--dry-run', '--only', 'health-endpoints', '--allow', ALLOW], io)).toBe(0);
    // a00cb7b7: active_relocation null (archived) — none of the manifest's 13 health_urls is planned …
    expect(out).not.toMatch(/http:\/\/(download|streaming)-stack:/);
    // … and homarr is probed once, with services.health's 307 (the manifest's http://streaming-stack:7575 implied 200).
    expect(out.match(/:7575/g)).toHaveLength(2); // the host header line and the one request
    expect(out).toContain('GET http://192.168.1.210:7575/  [health-endpoints homarr] connect 5000 ms, total 10000 ms, expect 307\n');
    expect(out).toMatch(/^Probe plan: 52 probe\(s\) on \d+ host\(s\) from 1 live check\(s\)\. Nothing was sent\./);
  });

  it('live run: findings, exit 1, credentials redacted; --record then --replay gives the same findings', async () => {
    const rec = join(root, 'rec.json');
    const live = await cli(['probe', '--format', 'json', '--record', rec], root);
    expect(live.code).toBe(1);
    expect(live.stderr).toBe(''); // not a TTY: no progress line
    const results = JSON.parse(live.stdout).results as { messageId: string; data: Record<string, unknown>; line: number; column: number; message: string }[];
    expect(results.map((r) => [r.data.endpoint, r.messageId, r.line, r.column])).toEqual([
      ['grafana', 'unexpectedStatus', 12, 10],
      ['loki', 'unreachable', 16, 10],
    ]);
    expect(live.stdout).not.toContain('hunter2');
    expect(readFileSync(rec, 'utf8')).not.toContain('hunter2');
    const replay = await cli(['probe', '--format', 'json', '--replay', rec], root);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout).results).toEqual(results);
  });

  it('--format prometheus writes the node_exporter textfile format', async () => {
    const out = join(root, 'spine_lint.prom');
    const r = await cli(['probe', '--format', 'prometheus', '--output', out], root);
    expect(r.code).toBe(1);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('# TYPE spine_lint_probe_success gauge');
    expect(text).toContain('spine_lint_probe_success{check="health-endpoints",target="prometheus"} 1');
    expect(text).toContain('spine_lint_probe_success{check="health-endpoints",target="grafana"} 0');
    expect(text).toMatch(/spine_lint_probe_duration_seconds\{check="health-endpoints",target="loki"\} (0\.9|1\.)\d*/);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['probe', '--allow', 'not-a-cidr'], root)).code).toBe(2);
    expect((await cli(['probe', '--only', 'placement-policy'], root)).stderr).toContain("is a static check; 'spine-lint probe' runs live checks");
    expect((await cli(['probe', '--replay', join(root, 'nope.json')], root)).code).toBe(2);
    expect((await cli(['probe', '--format', 'nope'], root)).code).toBe(2);
  });

  it('the address policy from --allow overrides config and refuses before connecting', async () => {
    const r = await cli(['probe', '--format', 'json', '--allow', '::1'], root);
    const results = JSON.parse(r.stdout).results as { message: string }[];
    expect(results).toHaveLength(3);
    expect(results.every((x) => x.message.includes('not probed: refused before connecting: 127.0.0.1 is outside the allowed ranges (::1)'))).toBe(true);
    expect(servers.every((s) => s.connections() <= 3)).toBe(true);
  });

  it('progress line on a TTY only (stderr), in-process', async () => {
    let err = '';
    let out = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), stdoutIsTTY: false, stderrIsTTY: true, cwd: root, env: {} };
    const code = await main(['probe', '--only', 'health-endpoints', '--timeout', '0.5'], io);
    expect(code).toBe(1);
    expect(err).toContain('\rprobing 3/3, 1 failed'); // the hang; the 503 answered
    expect(out).toContain('grafana');
  });

  it('spine-lint check never runs live checks', async () => {
    const r = await cli(['check', '--format', 'json', '--only', 'health-endpoints'], root);
    expect(JSON.parse(r.stdout).summary.checksRun).toBe(0);
  });
});
