/**
 * What each command loads (performance: module loading). The built CLI is spawned with a module
 * hook logging every ES module it loads and, at exit, every CommonJS module in the require cache:
 * - `--version` loads no command, no core, no catalog, no dependency;
 * - `list` and `explain` load the catalog but no diff engine (jsondiffpatch), no `yaml` package,
 *   no probe transport (undici, node-ssh, ssh2) and no other command's module;
 * - `check` on the example spine (every YAML file takes the js-yaml fast path) loads no diff
 *   engine, no `yaml` package and no probe transport;
 * - `diff` does load the diff engine (the log sees what is loaded, and the output is unchanged).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
let work = '';
let counter = 0;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every module loaded: ES modules as file: URLs, CommonJS modules as paths. */
  modules: string[];
}

function cli(args: string[], cwd = REPO): Run {
  const log = join(work, `modules-${++counter}.log`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(work, 'register.mjs')).href, CLI, ...args], {
    cwd,
    env: { ...process.env, MODULE_LOG: log, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const loaded = (r: Run, pattern: RegExp): string[] => r.modules.filter((m) => pattern.test(m));
const pkg = (name: string): RegExp => new RegExp(`/node_modules/${name}/`);
const PROBE_TRANSPORTS = ['undici', 'node-ssh', 'ssh2'];

function expectNone(r: Run, patterns: RegExp[]): void {
  for (const p of patterns) expect(loaded(r, p), String(p)).toEqual([]);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'spine-module-loading-'));
  // The hook runs in node's hooks thread, hence its own file; the require cache is read at exit.
  writeFileSync(
    join(work, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(process.env.MODULE_LOG, url + '\\n');\n  return next(url, context);\n}\n`,
  );
  writeFileSync(
    join(work, 'register.mjs'),
    `import { appendFileSync } from 'node:fs';\nimport { createRequire, register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\nconst cache = createRequire(import.meta.url).cache;\nprocess.on('exit', () => appendFileSync(process.env.MODULE_LOG, Object.keys(cache).map((p) => p + '\\n').join('')));\n`,
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('module loading per command (built CLI)', () => {
  it('--version: the CLI entry only (no command module, no core, no catalog, no dependency)', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(loaded(r, /\/packages\/cli\/dist\/main\.js$/)).toHaveLength(1);
    expectNone(r, [/\/packages\/cli\/dist\/commands\//, /\/packages\/core\//, /\/packages\/checks\//, /\/node_modules\//]);
  });

  it('list and explain: the catalog, but no diff engine, no yaml package, no probe transport, no other command', () => {
    for (const [args, own] of [
      [['list'], 'list'],
      [['explain', 'placement-policy'], 'explain'],
    ] as const) {
      const r = cli([...args]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('placement-policy');
      expect(loaded(r, /\/packages\/checks\/dist\/catalog\.js$/)).toHaveLength(1);
      expect(loaded(r, new RegExp(`/packages/cli/dist/commands/${own}\\.js$`))).toHaveLength(1);
      const others = ['check', 'diff', 'list', 'explain', 'probe'].filter((c) => c !== own).join('|');
      expectNone(r, [pkg('jsondiffpatch'), pkg('yaml'), ...PROBE_TRANSPORTS.map(pkg), new RegExp(`/packages/cli/dist/(commands/(${others})|prGate)\\.js$`)]);
    }
  });

  it('check on the example spine: findings as usual, without the diff engine, the yaml package or a probe transport', () => {
    const r = cli(['check', '--root', EXAMPLE, '--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { checkId: string }[] };
    expect(report.results.map((f) => f.checkId)).toContain('placement-policy');
    // The CommonJS side of the log sees js-yaml (the fast path), so an absent `yaml` is really absent.
    expect(loaded(r, pkg('js-yaml')).length).toBeGreaterThan(0);
    expectNone(r, [pkg('jsondiffpatch'), pkg('yaml'), ...PROBE_TRANSPORTS.map(pkg), /\/packages\/cli\/dist\/commands\/(diff|list|explain|probe)\.js$/]);
  });

  it('diff loads the diff engine when it runs, and reports the change', () => {
    const repo = join(work, 'repo');
    mkdirSync(repo);
    cpSync(EXAMPLE, repo, { recursive: true });
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: work,
    };
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: repo, env, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const file = join(repo, 'ops/bindings/naming.policy.yaml');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(/^(\s*version:\s*).*$/m, '$1999');
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    const r = cli(['diff', '--base', 'main', '--format', 'json'], repo);
    expect(r.status, r.stderr).not.toBe(2);
    expect(r.stdout).toContain('naming.policy.yaml');
    expect(loaded(r, pkg('jsondiffpatch')).length).toBeGreaterThan(0);
    expectNone(r, PROBE_TRANSPORTS.map(pkg));
  });

  it('the library: diffValues loads the diff engine at its first call, or needs loadDiffEngine() first on a Node without require(esm)', () => {
    const script = join(work, 'diff-consumer.mjs');
    writeFileSync(
      script,
      `import { diffValues, loadDiffEngine } from ${JSON.stringify(pathToFileURL(join(REPO, 'packages/core/dist/index.js')).href)};
const base = { services: [{ id: 'grafana', host: 'a' }] };
const head = { services: [{ id: 'grafana', host: 'b' }] };
const out = [];
let sync;
try { sync = diffValues(base, head); } catch (error) { sync = String(error.message); }
out.push(sync);
await loadDiffEngine();
out.push(diffValues(base, head));
console.log(JSON.stringify(out));
`,
    );
    const change = [{ kind: 'changed', path: 'services[grafana].host', pointer: '/services/0/host', basePointer: '/services/0/host', before: 'a', after: 'b' }];
    const run = (flags: string[]): unknown => {
      const r = spawnSync(process.execPath, [...flags, script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout);
    };
    expect(run([])).toEqual([change, change]);
    const [refused, after] = run(['--no-experimental-require-module']) as [string, unknown];
    expect(refused).toMatch(/await loadDiffEngine\(\) once before diffing/);
    expect(after).toEqual(change);
  });
});
