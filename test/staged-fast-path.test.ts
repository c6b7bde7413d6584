/**
 * The pre-commit fast path (packages/cli/src/fastPath.cts, taken in bin.cts before anything else is
 * imported), through the built CLI in real temporary git repositories:
 * - nothing relevant staged: exit 0, silently, without loading the CLI's main module, the engine or
 *   the catalog: only the core's dependency-free `decide` module (every ES module the process
 *   loads is logged by a module hook, every CommonJS module from the require cache at exit);
 * - a staged binding, a changed config, an unusual invocation: the full path, with the same output
 *   as before (each case is also run with the fast path disabled and must answer identically);
 * - the config's `paths:`/`bindingDirs:` overrides are honoured both ways.
 * The decisions themselves (and the small YAML reader the config is read with) are the core's
 * dependency-free `decide` module: packages/core/test/decide.test.ts.
 *
 * Needs `npm run build` (the fast path's manifest is written by scripts/build-validators.mjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const WORK = join(REPO, `.tmp/staged-fast-path-${process.pid}`);
const HOOKS = join(WORK, 'hooks');
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1', HOME: WORK };

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd, env: gitEnv, encoding: 'utf8' });

let counter = 0;
/** A fresh git repository holding the example spine (committed), plus `extra` files. */
function spineRepo(extra: Record<string, string> = {}, opts: { commit?: boolean; sub?: string } = {}): string {
  const dir = join(WORK, `repo-${++counter}`);
  const spine = opts.sub ? join(dir, opts.sub) : dir;
  mkdirSync(spine, { recursive: true });
  cpSync(EXAMPLE, spine, { recursive: true });
  for (const [p, text] of Object.entries(extra)) {
    mkdirSync(join(spine, p, '..'), { recursive: true });
    writeFileSync(join(spine, p), text);
  }
  git(dir, 'init', '-q');
  if (opts.commit !== false) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'spine');
  }
  return dir;
}

function stage(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    appendFileSync(join(dir, p), text);
    git(dir, 'add', p);
  }
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The fast path's decision line (SPINE_LINT_DEBUG_FAST_PATH). */
  decision: string;
  /** Every module the process loaded through the ES module loader (file: URLs only). */
  modules: string[];
  /** Every CommonJS module in the require cache at exit (paths). */
  required: string[];
}

function cli(cwd: string, args: string[], opts: { fast?: boolean } = {}): Run {
  const log = join(WORK, `modules-${++counter}.log`);
  writeFileSync(log, '');
  const env: NodeJS.ProcessEnv = { ...gitEnv, SPINE_LINT_DEBUG_FAST_PATH: '1', MODULE_LOG: log, NO_COLOR: '1' };
  if (opts.fast === false) env.SPINE_LINT_NO_FAST_PATH = '1';
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(HOOKS, 'register.mjs')).href, CLI, ...args], { cwd, env, encoding: 'utf8' });
  const decision = /spine-lint: fast path: (.*)\n/.exec(r.stderr)?.[1] ?? '';
  const logged = readFileSync(log, 'utf8').split('\n');
  const stderr = r.stderr.replace(/spine-lint: fast path: .*\n/, '');
  return { status: r.status, stdout: r.stdout, stderr, decision, modules: logged.filter((u) => u.startsWith('file:')), required: logged.filter((u) => u.startsWith('/')) };
}

/** The same invocation without the fast path: what the CLI answered before it existed. */
function expectSameAsFullPath(cwd: string, args: string[], fast: Run): void {
  const slow = cli(cwd, args, { fast: false });
  expect(slow.decision).toMatch(/^full run \(disabled/);
  const timeless = (text: string): string => text.replace(/"durationMs": \d+/g, '"durationMs": 0');
  expect({ status: fast.status, stdout: timeless(fast.stdout), stderr: fast.stderr }).toEqual({ status: slow.status, stdout: timeless(slow.stdout), stderr: slow.stderr });
}

const HEAVY = [/\/packages\/cli\/dist\/main\.js$/, /\/packages\/core\//, /\/packages\/checks\//, /\/node_modules\/(yaml|js-yaml|ajv)\//];
function expectFastExit(r: Run): void {
  expect(r.decision).toMatch(/^exit 0 \(/);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('');
  // The entry and the fast path are CommonJS: no ES module is loaded (the hook sees the entry itself only).
  expect(r.modules.filter((u) => !u.endsWith('/packages/cli/dist/bin.cjs'))).toEqual([]);
  for (const heavy of HEAVY) expect(r.modules.filter((u) => heavy.test(u))).toEqual([]);
  // CommonJS: the entry, the fast path and the core's decide module (node built-ins only), nothing else.
  expect(r.required.filter((p) => !/\/packages\/cli\/dist\/(bin|fastPath)\.cjs$/.test(p) && !p.endsWith('/packages/core/dist/decide.cjs'))).toEqual([]);
  expect(r.required.some((p) => p.endsWith('/packages/core/dist/decide.cjs'))).toBe(true);
}

beforeAll(() => {
  mkdirSync(HOOKS, { recursive: true });
  // A module hook logging every module loaded (runs in node's hooks thread, hence the file).
  writeFileSync(
    join(HOOKS, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (process.env.MODULE_LOG) appendFileSync(process.env.MODULE_LOG, url + '\\n');\n  return next(url, context);\n}\n`,
  );
  writeFileSync(
    join(HOOKS, 'register.mjs'),
    `import { appendFileSync } from 'node:fs';\nimport { createRequire, register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n` +
      `const cache = createRequire(import.meta.url).cache;\n` +
      `process.on('exit', () => process.env.MODULE_LOG && appendFileSync(process.env.MODULE_LOG, Object.keys(cache).map((p) => p + '\\n').join('')));\n`,
  );
});
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('spine-lint check --staged: fast path', () => {
  it('nothing relevant staged (README.md, a script): exit 0 without loading the CLI, the engine or the catalog, as the full path answers', () => {
    const dir = spineRepo();
    stage(dir, { 'README.md': 'more words\n', 'tools/deploy.sh': 'echo hi\n' });
    const r = cli(dir, ['check', '--staged']);
    expectFastExit(r);
    expect(r.decision).toContain('2 changed file(s), none read by a check');
    expectSameAsFullPath(dir, ['check', '--staged'], r);
    // The default command, with options a hook may pass.
    expectFastExit(cli(dir, ['--staged', '--format', 'stylish', '--quiet', '--no-color']));
    expectFastExit(cli(dir, ['check', '-f', 'stylish', '--staged']));
    // A machine format always writes its document: the full path writes an empty report (same answer, exit 0).
    const json = cli(dir, ['--staged', '--format', 'json', '--quiet', '--no-color']);
    expect(json.decision).toBe('full run (nothing relevant changed, but --format json writes its (empty) report)');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, results: [], summary: { errors: 0, warnings: 0, checksRun: 0 } });
    expectSameAsFullPath(dir, ['--staged', '--format', 'json', '--quiet', '--no-color'], json);
    expect(cli(dir, ['check', '--staged', '-f', 'sarif']).decision).toBe('full run (nothing relevant changed, but --format sarif writes its (empty) report)');
    // The pre-commit hook's --cache does not change whether a run is a no-op.
    expectFastExit(cli(dir, ['check', '--cache', '--staged']));
    expectFastExit(cli(dir, ['check', '--cache', '--cache-location', join(WORK, 'c.json'), 'README.md']));
    expect(existsSync(join(WORK, 'c.json'))).toBe(false);
    // Nothing that could be a binding at all: decided before the config is read.
    const only = spineRepo();
    stage(only, { 'src/app.ts': 'export {};\n' });
    const r2 = cli(only, ['check', '--staged']);
    expectFastExit(r2);
    expect(r2.decision).toContain('none could be a binding or the config');
  });

  it('a staged binding: the full path, findings as before (and the module hook sees the heavy modules)', () => {
    const dir = spineRepo();
    stage(dir, { 'ops/bindings/ssh.targets.yaml': '    - id: Bad_Host\n      host: 12\n' });
    const r = cli(dir, ['check', '--staged', '--format', 'json']);
    expect(r.decision).toBe('full run (ops/bindings/ssh.targets.yaml is in a binding directory)');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { checkId: string; file: string; line: number }[] };
    expect(report.results.some((f) => f.checkId === 'schema' && f.file === 'ops/bindings/ssh.targets.yaml')).toBe(true);
    expect(r.modules.some((u) => u.endsWith('/packages/cli/dist/main.js'))).toBe(true);
    expect(r.modules.some((u) => /\/packages\/core\/dist\//.test(u))).toBe(true);
    expectSameAsFullPath(dir, ['check', '--staged', '--format', 'json'], r);
  });

  it('a file some check reads outside the binding directories (ops/plugins/MANIFEST.yaml) and the config itself: full path', () => {
    const dir = spineRepo();
    stage(dir, { 'ops/plugins/MANIFEST.yaml': '# touched\n' });
    const r = cli(dir, ['check', '--staged']);
    expect(r.decision).toBe('full run (ops/plugins/MANIFEST.yaml is read by a check (ops/plugins/MANIFEST.yaml))');
    expectSameAsFullPath(dir, ['check', '--staged'], r);
    const cfg = spineRepo();
    stage(cfg, { '.spine-lint.yaml': '# touched\n' });
    const c = cli(cfg, ['check', '--staged']);
    expect(c.decision).toBe('full run (the config file changed)');
    expectSameAsFullPath(cfg, ['check', '--staged'], c);
  });

  it('honours the config: paths and bindingDirs overrides move what is relevant', () => {
    const config =
      'paths:\n  SERVICE_REGISTRY: spine/services.yaml   # moved\n  "ssh.targets": spine/ssh.yaml\nbindingDirs:\n  - spine\n  - ops/bindings\nchecks:\n  ssot-freshness:\n    options:\n      thresholdDays: 3650\n';
    // The relocation plan's required_updates (files D35 reads: readsListedIn) names the moved registry too.
    const plan = readFileSync(join(EXAMPLE, 'ops/bindings/infra.relocation.plan.yaml'), 'utf8').replace('"docs/governance/SERVICE_REGISTRY.yaml"', '"spine/services.yaml"');
    const dir = spineRepo({
      '.spine-lint.yaml': config,
      'spine/services.yaml': readFileSync(join(EXAMPLE, 'docs/governance/SERVICE_REGISTRY.yaml'), 'utf8'),
      'spine/ssh.yaml': readFileSync(join(EXAMPLE, 'ops/bindings/ssh.targets.yaml'), 'utf8'),
      'ops/bindings/infra.relocation.plan.yaml': plan,
    });
    // The default location of SERVICE_REGISTRY is no longer a binding (nor listed): not relevant any more.
    stage(dir, { 'docs/governance/SERVICE_REGISTRY.yaml': '# stale copy\n' });
    const r = cli(dir, ['check', '--staged']);
    expectFastExit(r);
    expectSameAsFullPath(dir, ['check', '--staged'], r);
    // The overridden location is: the full path runs and reports at the new path (what the staged
    // change introduces, a duplicate key; the example's violation is in HEAD too, so only counted).
    stage(dir, { 'spine/services.yaml': 'bogus_top_level_key: 1\nbogus_top_level_key: 2\n' });
    const r2 = cli(dir, ['check', '--staged', '--format', 'json']);
    expect(r2.decision).toMatch(/^full run \(spine\/services\.yaml is in a binding directory\)/);
    expect(r2.status).toBe(1);
    expect((JSON.parse(r2.stdout) as { results: { file: string }[] }).results.some((f) => f.file === 'spine/services.yaml')).toBe(true);
    expectSameAsFullPath(dir, ['check', '--staged', '--format', 'json'], r2);
  });

  it('a config it cannot judge cheaply, or one the full path rejects, goes to the full path (which answers exit 2 for a bad one)', () => {
    const cases: [string, RegExp][] = [
      ['plugins:\n  - ./plugin.mjs\n', /plugins add checks/],
      ['paths: &p\n  ssh.targets: x.yaml\n', /not simple YAML/],
      ['checks:\n  no-such-check: error\n', /unknown check/],
      ['unknown_key: 1\n', /unknown key/],
      ['paths:\n  ssh.targets: 12\n', /paths\.ssh\.targets/],
    ];
    for (const [config, reason] of cases) {
      const dir = spineRepo({ '.spine-lint.yaml': config });
      stage(dir, { 'README.md': 'more\n' });
      const r = cli(dir, ['check', '--staged']);
      expect(r.decision, config).toMatch(/^full run \(config: /);
      expect(r.decision, config).toMatch(reason);
      expectSameAsFullPath(dir, ['check', '--staged'], r);
    }
  });

  it('file arguments (pre-commit passes the changed files), --root in a subdirectory, an unborn branch', () => {
    const dir = spineRepo();
    mkdirSync(join(dir, 'notes'), { recursive: true });
    writeFileSync(join(dir, 'notes/todo.md'), 'todo\n');
    expectFastExit(cli(dir, ['check', 'README.md', 'notes/todo.md']));
    // A directory (check ., check ops/bindings) or a missing file is the full path's to decide:
    // it walks the directory, and refuses the missing file (exit 2), never a silent exit 0.
    for (const [arg, decision] of [
      ['.', 'full run (. is a directory)'],
      ['notes', 'full run (notes is a directory)'],
      ['notes/gone.md', 'full run (notes/gone.md does not exist)'],
    ] as const) {
      const r = cli(dir, ['check', arg]);
      expect(r.decision).toBe(decision);
      expectSameAsFullPath(dir, ['check', arg], r);
    }
    expect(cli(dir, ['check', 'notes/gone.md']).status).toBe(2);
    const b = cli(dir, ['check', 'ops/bindings/ssh.targets.yaml']);
    expect(b.decision).toBe('full run (ops/bindings/ssh.targets.yaml is in a binding directory)');
    expect(b.stdout).toContain('SERVICE_REGISTRY.yaml'); // the checks reading ssh.targets ran: the example's deliberate violation
    expectSameAsFullPath(dir, ['check', 'ops/bindings/ssh.targets.yaml'], b);
    // Spine in a subdirectory: a staged binding-like file outside the root is not the spine's.
    const mono = spineRepo({}, { sub: 'infra/spine' });
    stage(mono, { 'ops/bindings/ssh.targets.yaml': 'not: [the spine\n', 'infra/spine/README.md': 'x\n' });
    const r = cli(mono, ['check', '--staged', '--root', 'infra/spine']);
    expectFastExit(r);
    expectSameAsFullPath(mono, ['check', '--staged', '--root', 'infra/spine'], r);
    const inside = cli(join(mono, 'infra/spine'), ['check', '--staged']);
    expectFastExit(inside);
    // No commit yet: every staged file counts (README only here).
    const fresh = spineRepo({}, { commit: false });
    git(fresh, 'add', 'README.md');
    const f = cli(fresh, ['check', '--staged']);
    expectFastExit(f);
    expectSameAsFullPath(fresh, ['check', '--staged'], f);
    git(fresh, 'add', 'ops/bindings/ssh.targets.yaml');
    expect(cli(fresh, ['check', '--staged']).decision).toMatch(/^full run \(ops\/bindings\/ssh\.targets\.yaml/);
  });

  it('leaves everything else to the full path: other options, help, not a git repository, a stale manifest', () => {
    const dir = spineRepo();
    stage(dir, { 'README.md': 'x\n' });
    for (const args of [
      ['check', '--staged', '--only', 'D35'],
      ['check', '--staged', '--now', 'yesterday'],
      ['check', '--staged', '--format', 'nope'],
      ['check', '--help'],
      ['--version'],
      ['check'],
      ['list'],
    ]) {
      const r = cli(dir, args);
      expect(r.decision, args.join(' ')).toMatch(/^full run/);
      if (args.includes('--format') || args.includes('--now')) expect(r.status, args.join(' ')).toBe(2);
    }
    const notGit = mkdtempSync(join(tmpdir(), 'spine-lint-not-a-repo-'));
    const n = cli(notGit, ['check', '--staged']);
    expect(n.decision).toBe('full run (git diff --cached failed)');
    expect(n.status).toBe(2);
    rmSync(notGit, { recursive: true, force: true });
    // A copy of the CLI's dist elsewhere (packages found through node's resolution, as when
    // installed): the same build under another mtime (npm pack resets them) is recognised by its
    // content; a manifest built before the packages it describes is not trusted.
    const copy = join(WORK, 'cli-copy/dist');
    cpSync(join(REPO, 'packages/cli/dist'), copy, { recursive: true });
    const manifestPath = join(copy, 'generated/fast-path.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { stamps: { checks: { mtimeMs: number; sha1: string } } };
    const runCopy = () => spawnSync(process.execPath, [join(copy, 'bin.cjs'), 'check', '--staged'], { cwd: dir, env: { ...gitEnv, SPINE_LINT_DEBUG_FAST_PATH: '1' }, encoding: 'utf8' });
    manifest.stamps.checks.mtimeMs -= 1000;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(runCopy().stderr).toContain('fast path: exit 0');
    manifest.stamps.checks.sha1 = '0'.repeat(40);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const s = runCopy();
    expect(s.stderr).toContain('fast path: full run (manifest older than the checks package build');
    expect(s.status).toBe(0);
    rmSync(manifestPath);
    expect(runCopy().stderr).toContain('fast path: full run (no fast-path manifest');
  });
});
