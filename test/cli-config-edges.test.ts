/**
 * Configuration that can be found and checked, and the CLI's rough edges (issue 16), through the
 * built CLI on a copy of the example spine: unknown `paths:` names and check ids are exit 2 with a
 * position and the closest name, `list` shows the binding names `paths:` takes, `--root` naming a
 * file says so, a root that holds no spine says so, and `probe --dry-run --format json` is JSON.
 *
 * Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');

let scratch: string;
let counter = 0;
beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-config-edges-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function spine(config?: string): string {
  const root = join(scratch, `case-${++counter}`);
  cpSync(EXAMPLE, root, { recursive: true });
  if (config !== undefined) writeFileSync(join(root, '.spine-lint.yaml'), config);
  return root;
}
const cli = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: scratch, NO_COLOR: '1' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const noStack = (stderr: string): void => expect(stderr).not.toMatch(/internal error|\n\s+at /);

describe('configuration that can be found and checked', () => {
  it('an unknown paths: name is exit 2 at its line and column, with the closest name and the known ones (it was silently ignored: 30 errors, exit 1)', () => {
    const root = spine('paths:\n  ssh.target: spine/ssh.yaml\n');
    const r = cli(['check'], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^spine-lint: .*\.spine-lint\.yaml:2:3: paths\.ssh\.target: no binding has this name \(did you mean 'ssh\.targets'\?\); the names are those of 'spine-lint list --bindings': .*SERVICE_REGISTRY.*ssh\.targets/m,
    );
    noStack(r.stderr);
    // A known name is accepted (and used).
    const ok = cli(['check', '--format', 'json'], spine('paths:\n  ssh.targets: ops/bindings/ssh.targets.yaml\n'));
    expect(ok.status).toBe(1);
  });

  it('a misspelt check id in checks: is exit 2 with the closest id', () => {
    const r = cli(['check'], spine('checks:\n  relocation-parit: off\n'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.spine-lint\.yaml:2:3: checks\.relocation-parit: no check has this id or alias \(did you mean 'relocation-parity'\?\)/);
    noStack(r.stderr);
  });

  it("list --bindings names every binding with its path here and its default; list --format json gives each check's bindings by name; stylish is the human format's name (text still accepted)", () => {
    const root = spine('paths:\n  ssh.targets: ops/bindings/ssh.targets.yaml\n');
    const text = cli(['list', '--bindings'], root);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^SERVICE_REGISTRY\s+docs\/governance\/SERVICE_REGISTRY\.yaml$/m);
    const json = JSON.parse(cli(['list', '--bindings', '-f', 'json'], root).stdout) as { name: string; path: string; defaultPath: string | null }[];
    expect(json.find((b) => b.name === 'ssh.targets')).toEqual({ name: 'ssh.targets', path: 'ops/bindings/ssh.targets.yaml', defaultPath: 'ops/bindings/ssh.targets.yaml' });
    const checks = JSON.parse(cli(['list', '--format', 'json'], root).stdout) as { id: string; bindings: { name: string; path: string }[] }[];
    expect(checks.find((c) => c.id === 'relocation-parity')!.bindings.map((b) => b.name)).toContain('SERVICE_REGISTRY');
    expect(cli(['list', '--format', 'stylish'], root).stdout).toBe(cli(['list', '--format', 'text'], root).stdout);
    const bad = cli(['list', '--format', 'sarif'], root);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown format 'sarif' for list (choose stylish or json)");
  });
});

describe('--print-config', () => {
  it('prints the configuration the run would use, every default filled in, as JSON (exit 0; --cache does not replay a report for it)', () => {
    const root = spine('checks:\n  ssot-freshness:\n    options:\n      thresholdDays: 30\n  D35: warning\npaths:\n  ssh.targets: ops/bindings/ssh.targets.yaml\n');
    for (const args of [
      ['check', '--print-config'],
      ['check', '--cache', '--print-config'],
    ]) {
      const r = cli(args, root);
      expect(r.status, r.stderr).toBe(0);
      const config = JSON.parse(r.stdout) as {
        configFile: string;
        paths: Record<string, string>;
        checks: Record<string, { severity: string; options?: Record<string, unknown> }>;
        limits: Record<string, number>;
      };
      expect(config.configFile).toBe(join(root, '.spine-lint.yaml'));
      expect(config.checks['ssot-freshness']).toEqual({ severity: 'error', options: { thresholdDays: 30 } });
      expect(config.checks['relocation-parity']).toEqual({ severity: 'warning' });
      expect(config.paths.SERVICE_REGISTRY).toBe('docs/governance/SERVICE_REGISTRY.yaml');
      expect(config.limits).toEqual({ maxFileBytes: 16 * 1024 * 1024, maxAliasCount: 100 });
    }
  });
});

describe('CLI rough edges', () => {
  it('--root naming a file says it is a file, not "root directory not found"', () => {
    const root = spine();
    const r = cli(['check', '--root', 'README.md'], root);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--root README.md is a file, not a directory: --root names the spine repository's top directory");
    expect(cli(['check', '--root', 'nowhere'], root).stderr).toContain('root directory not found: nowhere');
  });

  it('a root that holds no spine: one hint on stderr that --root is probably wrong', () => {
    const empty = join(scratch, `empty-${++counter}`);
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.md'), '# notes\n');
    const r = cli(['check'], empty);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /no spine bindings under \. \(none of docs\/governance\/SERVICE_REGISTRY\.yaml, ops\/bindings\/ssh\.targets\.yaml, … exists\): is --root the spine repository's top directory/,
    );
    // A real spine gets no such hint.
    expect(cli(['check'], spine()).stderr).not.toMatch(/no spine bindings/);
  });

  it("probe's SARIF is its own code scanning category (spine-lint-probe/), so it does not replace check's (spine-lint/) when both are uploaded", () => {
    const root = spine();
    writeFileSync(join(root, 'rec.json'), JSON.stringify({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '2026-03-05T00:00:00Z', observations: [] }));
    const probe = cli(['probe', '--replay', 'rec.json', '-f', 'sarif'], root);
    const check = cli(['check', '-f', 'sarif'], root);
    const category = (text: string): string => (JSON.parse(text) as { runs: { automationDetails: { id: string } }[] }).runs[0]!.automationDetails.id;
    expect(category(probe.stdout)).toBe('spine-lint-probe/');
    expect(category(check.stdout)).toBe('spine-lint/');
  });

  it('probe --dry-run --format json prints the plan as JSON (it printed text); a report format is refused for a plan', () => {
    const root = spine();
    const r = cli(['probe', '--dry-run', '--format', 'json'], root);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as { version: number; sent: boolean; probes: { check: string; kind: string; request?: string; refused?: string }[] };
    expect(plan).toMatchObject({ version: 1, sent: false });
    expect(plan.probes.length).toBeGreaterThan(3);
    expect(plan.probes.some((p) => p.kind === 'http' && p.request?.startsWith('GET http://127.'))).toBe(true);
    expect(plan.probes.some((p) => p.kind === 'ssh' && (p.request !== undefined || p.refused !== undefined))).toBe(true);
    const text = cli(['probe', '--dry-run'], root);
    expect(text.stdout).toMatch(/^Probe plan: \d+ probe\(s\)/);
    const sarif = cli(['probe', '--dry-run', '--format', 'sarif'], root);
    expect(sarif.status).toBe(2);
    expect(sarif.stderr).toContain('--dry-run prints the plan as stylish text or json, not sarif');
  });
});
