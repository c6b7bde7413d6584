/**
 * The pull-request gate's trust model, through the built CLI on real git repositories made from
 * the example spine: with `check --base REV` the configuration (checks, severities, options, paths,
 * plugins, the baseline) is REV's, a change to it is a `config-change` finding, and a plugin file
 * the pull request changed never runs. And file arguments that are directories are walked (`check
 * .`, `check ops/bindings`), a missing one is a usage error: never exit 0 without checking.
 *
 * Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };

let scratch: string;
let counter = 0;

beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-trust-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });

/** A git repository holding the example spine, committed once (`main`); `edit` runs before the commit. */
function repo(edit?: (dir: string) => void): string {
  const dir = join(scratch, `r${counter++}`);
  cpSync(EXAMPLE, dir, { recursive: true });
  edit?.(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

function run(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SPINE_LINT_DEBUG_FAST_PATH: '' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const REGISTRY = 'docs/governance/SERVICE_REGISTRY.yaml';

/** A pull request that introduces a new D37 violation: grafana's registry host moves again. */
function introduceViolation(dir: string): void {
  const path = join(dir, REGISTRY);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // Another service's host set to one the manifest does not name: a new placement finding.
  const i = lines.findIndex((l, n) => n > 55 && /^\s+host: /.test(l));
  expect(i).toBeGreaterThan(0);
  lines[i] = lines[i]!.replace(/host: .*/, 'host: nowhere-host');
  writeFileSync(path, lines.join('\n'));
}

const findings = (stdout: string): { checkId: string; file?: string; line?: number; message: string }[] =>
  (JSON.parse(stdout) as { results: { checkId: string; file?: string; line?: number; message: string }[] }).results.map((r) => ({
    checkId: r.checkId,
    file: r.file,
    line: r.line,
    message: r.message,
  }));

describe('check --base: the gate configuration is the base revision’s', () => {
  it('a pull request that turns checks off in .spine-lint.yaml still gets their findings, plus a config-change finding at the first changed line', () => {
    const dir = repo();
    const clean = run(dir, 'check', '--base', 'main', '--format', 'json');
    expect(clean.code).toBe(0);
    introduceViolation(dir);
    const without = findings(run(dir, 'check', '--base', 'main', '--format', 'json').stdout);
    expect(without.length).toBeGreaterThan(0);
    const configLines = readFileSync(join(dir, '.spine-lint.yaml'), 'utf8').split('\n').length;
    appendFileSync(
      join(dir, '.spine-lint.yaml'),
      ['  placement-policy: off', '  relocation-parity: off', '  relocation-ssot-completeness: off', '  onboarding-registration: off', '  schema: off', ''].join('\n'),
    );
    // Without --base the working tree's config is the user's own: the checks are off.
    expect(run(dir, 'check', '--format', 'json').code).toBe(0);
    const r = run(dir, 'check', '--base', 'main', '--format', 'json');
    expect(r.code).toBe(1);
    const got = findings(r.stdout);
    expect(got.filter((f) => f.checkId !== 'config-change')).toEqual(without);
    const change = got.filter((f) => f.checkId === 'config-change');
    expect(change).toEqual([
      {
        checkId: 'config-change',
        file: '.spine-lint.yaml',
        line: configLines,
        message: `This pull request changes the gate's configuration .spine-lint.yaml (first at line ${configLines}); the gate ran with the configuration of main. The change takes effect once merged.`,
      },
    ]);
  });

  it('a config the pull request adds (none at the base) is a config-change finding; its paths: cannot point the bindings elsewhere', () => {
    const dir = repo((d) => rmSync(join(d, '.spine-lint.yaml')));
    const before = findings(run(dir, 'check', '--base', 'main', '--all-findings', '--format', 'json', '--now', '2026-02-20').stdout);
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty/registry.yaml'), 'services: {}\n');
    writeFileSync(join(dir, '.spine-lint.yaml'), 'paths:\n  serviceRegistry: empty/registry.yaml\n');
    const r = run(dir, 'check', '--base', 'main', '--all-findings', '--format', 'json', '--now', '2026-02-20');
    const got = findings(r.stdout);
    expect(got.filter((f) => f.checkId === 'config-change')).toEqual([
      {
        checkId: 'config-change',
        file: '.spine-lint.yaml',
        line: 1,
        message: "This pull request adds the gate's configuration .spine-lint.yaml; the gate ran with the configuration of main (it has none: the defaults). It takes effect once merged.",
      },
    ]);
    expect(got.filter((f) => f.checkId !== 'config-change')).toEqual(before);
    expect(r.code).toBe(1);
  });

  it('a plugin the pull request adds to the config (a data: URL) is not loaded; one named by the base config but changed in the pull request is refused (exit 2) and never runs', () => {
    const marker = join(scratch, `ran-${counter}`);
    const pluginSource = (tag: string): string =>
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, ${JSON.stringify(tag)});\nexport const checks = [{ id: 'p-${tag}', title: 't', description: 'd', severity: 'error', kind: 'static', reads: [], messages: {}, fixHint: 'f', run: () => [] }];\n`;
    const dir = repo((d) => {
      writeFileSync(join(d, 'plugin.mjs'), pluginSource('base'));
    });
    // Added by the pull request: a data: URL plugin in the config. The base has no plugins: nothing runs.
    const code = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'pwned'); export const checks = [];`;
    appendFileSync(join(dir, '.spine-lint.yaml'), `plugins:\n  - "data:text/javascript,${encodeURIComponent(code)}"\n`);
    const added = run(dir, 'check', '--base', 'main', '--format', 'json');
    expect(existsSync(marker)).toBe(false);
    expect(findings(added.stdout).map((f) => f.checkId)).toContain('config-change');
    expect(added.code).toBe(1);
    // The base names ./plugin.mjs; the pull request rewrites it: refused before it is imported.
    git(dir, 'checkout', '-q', '--', '.spine-lint.yaml');
    appendFileSync(join(dir, '.spine-lint.yaml'), 'plugins:\n  - ./plugin.mjs\n');
    git(dir, 'commit', '-q', '-am', 'plugin in the config');
    writeFileSync(join(dir, 'plugin.mjs'), pluginSource('pr'));
    const changed = run(dir, 'check', '--base', 'main');
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain("plugin './plugin.mjs' (plugin.mjs) differs from its content at main: with --base, spine-lint runs only plugin code the base revision has");
    expect(existsSync(marker)).toBe(false);
    // Unchanged, the base's plugin runs; named with --plugin it is the user's choice.
    git(dir, 'checkout', '-q', '--', 'plugin.mjs');
    expect(run(dir, 'check', '--base', 'main').code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('base');
    writeFileSync(join(dir, 'other.mjs'), pluginSource('cli').replace("'p-cli'", "'p-cli'"));
    expect(run(dir, 'check', '--plugin', './other.mjs', '--only', 'p-cli').code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('cli');
  });

  it('a baseline the pull request widens hides only what the base’s baseline lists, and the change is a config-change finding', () => {
    const dir = repo((d) => appendFileSync(join(d, '.spine-lint.yaml'), 'baseline: .spine-lint-baseline.json\n'));
    // The base's baseline is empty; the pull request records the existing findings in it.
    writeFileSync(join(dir, '.spine-lint-baseline.json'), '{"version":1,"files":{}}\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'empty baseline');
    introduceViolation(dir);
    const expected = findings(run(dir, 'check', '--base', 'main', '--format', 'json').stdout);
    expect(expected.length).toBeGreaterThan(0);
    expect(run(dir, 'check', '--update-baseline').code).toBe(0);
    // Without --base the widened baseline hides everything.
    expect(run(dir, 'check').code).toBe(0);
    const r = run(dir, 'check', '--base', 'main', '--format', 'json');
    expect(r.code).toBe(1);
    const got = findings(r.stdout);
    expect(got.filter((f) => f.checkId !== 'config-change')).toEqual(expected);
    expect(got.filter((f) => f.checkId === 'config-change').map((f) => [f.file, f.message.slice(0, 60)])).toEqual([
      ['.spine-lint-baseline.json', 'This pull request changes the baseline .spine-lint-baseline.'],
    ]);
  });

  it('config-change is configured like any check, by the base configuration', () => {
    const dir = repo((d) => appendFileSync(join(d, '.spine-lint.yaml'), '  config-change: warning\n'));
    appendFileSync(join(dir, '.spine-lint.yaml'), '  schema: off\n');
    const r = run(dir, 'check', '--base', 'main', '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { results: { checkId: string; severity: string }[] };
    expect(report.results.map((x) => [x.checkId, x.severity])).toEqual([['config-change', 'warning']]);
  });
});

describe('file arguments: directories are walked, a missing one is an error', () => {
  it("check . and check ops/bindings run the checks those files concern (exit 1 on the example's finding), never exit 0 without checking", () => {
    const dir = repo();
    const all = run(dir, 'check', '--format', 'json');
    expect(all.code).toBe(1);
    for (const arg of ['.', 'docs', 'docs/governance', './docs/governance/', REGISTRY]) {
      const r = run(dir, 'check', arg, '--format', 'json');
      expect([arg, r.code, r.stderr]).toEqual([arg, 1, '']);
      expect(findings(r.stdout)).toEqual(findings(all.stdout));
    }
    // From a subdirectory, `..` holds the root: every check.
    expect(run(join(dir, 'docs'), 'check', '--root', '..', '..').code).toBe(1);
    // A directory no check reads: nothing to do (its files were looked at), exit 0.
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes/todo.txt'), 'x\n');
    expect(run(dir, 'check', 'notes').code).toBe(0);
  });

  it('a file argument that does not exist, or a directory outside the root, is a usage error (exit 2)', () => {
    const dir = repo();
    const missing = run(dir, 'check', 'ops/bindingz');
    expect([missing.code, missing.stderr.trim()]).toEqual([2, "spine-lint: file argument 'ops/bindingz': no such file or directory"]);
    const outside = mkdtempSync(join(scratch, 'outside-'));
    const r = run(dir, 'check', outside);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a directory outside the root');
  });
});
