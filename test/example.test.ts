/**
 * Acceptance test of the embedded example spine (issue 2 item 7): the demo command shows the one
 * deliberate violation and nothing else. It spawns the built CLI exactly as the README does.
 *
 * The violation (commented in the file): grafana was promoted to `applied` on `observability`
 * during the cutover, but SERVICE_REGISTRY still says `host: docker-host`. D35 / relocation-parity,
 * D37 / placement-policy and relocation-ssot-completeness each see it, all at the registry value.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/dist/bin.cjs', import.meta.url));
const root = 'examples/phase4-observability';
const registry = `${root}/docs/governance/SERVICE_REGISTRY.yaml`;
// The bindings' freshness dates are from the rollout; judge them as of the day after.
const NOW = '2026-02-09T12:00:00Z';

interface JsonResult {
  checkId: string;
  severity: string;
  message: string;
  data: Record<string, unknown>;
  file: string | null;
  line: number;
  column: number;
}

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Where the deliberate violation is: the value of services.grafana.host in the registry. */
function violationPosition(): { line: number; column: number } {
  const lines = readFileSync(`${repo}/${registry}`, 'utf8').split('\n');
  const grafana = lines.findIndex((l) => l === '  grafana:');
  const offset = lines.slice(grafana).findIndex((l) => /^ {4}host: docker-host$/.test(l));
  expect(grafana).toBeGreaterThan(0);
  expect(offset).toBeGreaterThan(0);
  return { line: grafana + offset + 1, column: '    host: '.length + 1 };
}

describe('examples/phase4-observability', () => {
  it('the violation sits where the README says (SERVICE_REGISTRY.yaml:50:11)', () => {
    expect(violationPosition()).toEqual({ line: 50, column: 11 });
  });

  it('check shows the deliberate violation and nothing else', () => {
    const r = run(['check', '--root', root, '--now', NOW, '--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { results: JsonResult[]; summary: { errors: number; warnings: number } };
    const seen = report.results.map((d) => `${d.checkId} ${d.severity} ${d.file}:${d.line}:${d.column}`).sort();
    expect(seen).toEqual([
      // JSON paths are relative to the checked root.
      'placement-policy error docs/governance/SERVICE_REGISTRY.yaml:50:11',
      'relocation-parity error docs/governance/SERVICE_REGISTRY.yaml:50:11',
      'relocation-ssot-completeness error docs/governance/SERVICE_REGISTRY.yaml:50:11',
    ]);
    for (const d of report.results) {
      // Helpful: names the service and both hosts.
      expect(d.message).toContain('grafana');
      expect(d.message).toContain('docker-host');
      expect(d.message).toContain('observability');
    }
    expect(report.summary.warnings).toBe(0);
    expect(r.status).toBe(1);
  });

  it('the stylish demo output points at the file and line', () => {
    const r = run(['check', '--root', root, '--now', NOW, '--only', 'D35']);
    expect(r.status).toBe(1);
    // Named from the root, as every format names files (docs/formats.md "Paths").
    expect(r.stdout.split('\n')[0]).toBe(registry.slice(root.length + 1));
    expect(r.stdout).toMatch(/50:11\s+error\s+.*grafana/);
  });

  it('with the violation fixed, the example is clean (exit 0)', async () => {
    const { mkdtempSync, cpSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'spine-example-'));
    cpSync(`${repo}/${root}`, dir, { recursive: true });
    const file = join(dir, 'docs/governance/SERVICE_REGISTRY.yaml');
    const text = readFileSync(file, 'utf8').split('\n');
    text[49] = '    host: observability';
    writeFileSync(file, text.join('\n'));
    const r = run(['check', '--root', dir, '--now', NOW, '--format', 'json']);
    const report = JSON.parse(r.stdout) as { results: JsonResult[] };
    expect(report.results.map((d) => `${d.checkId} ${d.file}:${d.line}`)).toEqual([]);
    expect(r.status).toBe(0);
  });

  it("the README's JSON sample is the real output: its first result and its summary counts", () => {
    const readme = readFileSync(`${repo}/README.md`, 'utf8');
    const sample = JSON.parse(/## The JSON contract[^\n]*\n\n```json\n([\s\S]*?)```/.exec(readme)![1]!) as { results: Record<string, unknown>[]; summary: Record<string, number> };
    const r = run(['check', '--root', 'examples/phase4-observability', '--format', 'json']);
    const real = JSON.parse(r.stdout) as { results: Record<string, unknown>[]; summary: Record<string, number> };
    const shown = Object.fromEntries(Object.entries(sample.results[0]!).filter(([, v]) => v !== '…'));
    expect(real.results[0]).toMatchObject(shown);
    expect(Object.keys(sample.results[0]!).sort()).toEqual(Object.keys(real.results[0]!).sort());
    const { durationMs: _, ...counts } = sample.summary;
    expect(real.summary).toMatchObject(counts);
  });
});
