/**
 * spine-lint as its users get it, from outside this checkout: the three packages packed with
 * `npm pack`, published to a real registry (verdaccio on 127.0.0.1, test/support/registry.ts),
 * installed into empty folders with plain npm commands, and run. The installed CLI and library
 * must give exactly what the checkout gives, on the example and on a real corpus tree; a schema or
 * a check page missing from a tarball fails here. Then the two git installs: the documented
 * `npm install -g git+https://…#vX.Y.Z` (on a local clone: the URL is the only change), and the
 * exact command pre-commit 4's node language runs, `npm install --install-links -g git+file://…`,
 * into a fresh prefix with no devDependencies, whose hook then blocks a bad commit.
 *
 * The install commands documented in README.md, docs/guide.md and docs/ci.md are the ones run here
 * (`DOCUMENTED_INSTALLS`; the last test holds the docs to that list).
 *
 * Slow (npm installs through the registry's uplink, ~1-2 min); one registry for the whole file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, corpusPresent } from './support/corpus.js';
import { cleanEnv, packPackages, publish, REPO, repoVersion, startRegistry, type PackedPackage, type Registry } from './support/registry.js';

const VERSION = repoVersion();
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const TREE = join(CORPUS, 'trees/19-a00cb7b7');
const NOW = '2026-03-05T12:00:00Z';
/** The example's own date (its freshness checks pass), for the library consumer. */
const EXAMPLE_NOW = '2026-02-09T12:00:00Z';
const GIT_URL = 'git+https://github.com/spine-lint/spine-lint.git';

/** Every install command the docs show, as written (the git URL is replaced by a local clone when run). */
export const DOCUMENTED_INSTALLS = [
  'npm install -g spine-lint',
  'npm install --save-dev spine-lint',
  'npm install @spine-lint/core @spine-lint/checks',
  `npm install -g --install-links ${GIT_URL}#v${VERSION}`,
] as const;

let work: string;
let registry: Registry;
let packed: PackedPackage[];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeout = 300_000): Run {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A shell command line exactly as documented, in `cwd`, with the registry's environment. */
function sh(line: string, cwd: string, extra: NodeJS.ProcessEnv = {}): Run {
  const r = run('sh', ['-c', line], cwd, { ...registry.env, ...extra });
  if (r.status !== 0) throw new Error(`'${line}' failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=spine-lint test', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

/** The JSON report with what legitimately differs between two runs (timing) taken out. */
function comparable(json: string): string {
  const report = JSON.parse(json) as { summary: { durationMs?: number } };
  delete report.summary.durationMs;
  return JSON.stringify(report, null, 1);
}

const inRepoCli = join(REPO, 'packages/cli/dist/bin.cjs');
const checkArgs = (root: string, format = 'json'): string[] => ['check', '--root', root, '--format', format, '--now', NOW, '--no-color'];

/** A committed snapshot of this checkout, tagged as a release: what a git install clones. */
function releaseClone(): string {
  const clone = join(work, 'spine-lint-git');
  if (existsSync(clone)) return clone;
  mkdirSync(clone);
  const archive = execFileSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: REPO, maxBuffer: 512 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', clone], { input: archive });
  git(clone, 'init', '-q');
  git(clone, 'add', '-A');
  git(clone, 'commit', '-q', '-m', `spine-lint ${VERSION}`);
  git(clone, 'tag', `v${VERSION}`);
  return clone;
}

beforeAll(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'spine-dist-')));
  registry = await startRegistry(work);
  packed = packPackages(join(work, 'packs'));
  publish(registry, packed);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  const filesOf = (name: string): string[] => packed.find((p) => p.name === name)!.files;

  it('each is complete on its own: entry points and types, schemas with the checks, check pages with the CLI', () => {
    expect(packed.map((p) => `${p.name}@${p.version}`).sort()).toEqual([`@spine-lint/checks@${VERSION}`, `@spine-lint/core@${VERSION}`, `spine-lint@${VERSION}`]);
    const coreFiles = ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/workspace/recordingSource.js', 'dist/generated/validators/index.json'];
    expect(filesOf('@spine-lint/core')).toEqual(expect.arrayContaining([...coreFiles, 'dist/build-stamp.json', 'dist/decide.cjs', 'dist/decide.d.cts']));
    const schemas = readdirSync(join(REPO, 'packages/checks/schemas')).filter((f) => f.endsWith('.schema.json'));
    expect(schemas.length).toBeGreaterThanOrEqual(8);
    expect(filesOf('@spine-lint/checks')).toEqual(expect.arrayContaining(['README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/build-stamp.json', ...schemas.map((f) => `schemas/${f}`)]));
    const pages = readdirSync(join(REPO, 'docs/checks')).filter((f) => f.endsWith('.md'));
    expect(pages.length).toBeGreaterThanOrEqual(42);
    expect(filesOf('spine-lint')).toEqual(
      expect.arrayContaining(['README.md', 'dist/bin.cjs', 'dist/main.js', 'dist/main.d.ts', 'dist/generated/fast-path.json', 'dist/build-stamp.json', ...pages.map((f) => `dist/check-pages/${f}`)]),
    );
  });

  it('carry no build leftovers (no .tsbuildinfo, no source maps, no sources, no tests)', () => {
    for (const p of packed) {
      const leftovers = p.files.filter((f) => /\.tsbuildinfo$|\.map$|^src\/|^test\/|\.ts$(?<!\.d\.ts)|\.cts$(?<!\.d\.cts)/.test(f));
      expect(leftovers, p.name).toEqual([]);
    }
  });

  it('declare what a registry install needs: engines, exact sibling versions, bin, exports with types', () => {
    for (const p of packed) {
      const manifest = JSON.parse(execFileSync('tar', ['-xOzf', p.tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, any>;
      expect(manifest.engines?.node, p.name).toBe('>=20.18');
      for (const [dep, range] of Object.entries((manifest.dependencies ?? {}) as Record<string, string>)) if (dep.startsWith('@spine-lint/')) expect(range, `${p.name} → ${dep}`).toBe(VERSION);
      expect(manifest.exports['.'].types, p.name).toMatch(/\.d\.ts$/);
      // The dependency-free decide module the CLI's CommonJS fast path requires.
      if (p.name === '@spine-lint/core') expect(manifest.exports['./decide']).toEqual({ types: './dist/decide.d.cts', default: './dist/decide.cjs' });
      expect(manifest.devDependencies ?? {}, p.name).toEqual(p.name === '@spine-lint/core' ? expect.any(Object) : {});
    }
    // The root package (git installs) depends on the published CLI of the same version.
    const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      version: string;
      dependencies: Record<string, string>;
      bin: Record<string, string>;
      files: string[];
      scripts: Record<string, string>;
    };
    expect(root.version).toBe(VERSION);
    expect(root.dependencies).toEqual({ 'spine-lint': VERSION });
    expect(root.bin).toEqual({ 'spine-lint': 'bin/spine-lint.cjs' });
    // No script that npm runs when it packs or installs a git dependency (a build there failed without devDependencies).
    expect(Object.keys(root.scripts).filter((k) => ['prepare', 'prepack', 'postpack', 'preinstall', 'install', 'postinstall'].includes(k))).toEqual([]);
    const cli = JSON.parse(execFileSync('tar', ['-xOzf', packed.find((p) => p.name === 'spine-lint')!.tarball, 'package/package.json'], { encoding: 'utf8' })) as { bin: Record<string, string> };
    expect(cli.bin).toEqual({ 'spine-lint': './dist/bin.cjs' });
  });
});

describe('installed from the registry', () => {
  let project: string;
  let spine: string;

  beforeAll(() => {
    project = join(work, 'project');
    mkdirSync(project);
    sh('npm init -y', project);
    sh('npm install --save-dev spine-lint', project);
    spine = join(work, 'spine-example');
    cpSync(EXAMPLE, spine, { recursive: true });
  }, 300_000);

  it('npx spine-lint check gives the checkout’s JSON report, byte for byte, on the example and on a real corpus tree', () => {
    const installed = realpathSync(join(project, 'node_modules/spine-lint/package.json'));
    expect(installed.startsWith(project)).toBe(true);
    expect(existsSync(join(project, 'node_modules/spine-lint/dist/check-pages/relocation-parity.md'))).toBe(true);
    const roots = [spine, ...(corpusPresent ? [TREE] : [])];
    expect(roots.length, 'the corpus tree is needed').toBe(corpusPresent ? 2 : 1);
    for (const root of roots) {
      const theirs = run('npx', ['spine-lint', ...checkArgs(root)], project, registry.env);
      const ours = run(process.execPath, [inRepoCli, ...checkArgs(root)], project, cleanEnv());
      expect(theirs.stderr).toBe('');
      expect(ours.stderr).toBe('');
      expect(theirs.status).toBe(ours.status);
      expect(comparable(theirs.stdout)).toBe(comparable(ours.stdout));
      const results = (JSON.parse(theirs.stdout) as { results: { checkId: string }[] }).results;
      expect(results.filter((r) => r.checkId === 'check-error')).toEqual([]);
      expect(results.length).toBeGreaterThan(0);
    }
  }, 120_000);

  it('the example’s findings, SARIF with a successful execution, explain with the full page, the fast path', () => {
    const stylish = run('npx', ['spine-lint', 'check', '--root', spine, '--no-color'], project, registry.env);
    expect(stylish.status).toBe(1);
    expect(stylish.stdout).toContain('3 problems (3 errors, 0 warnings)');
    const sarif = JSON.parse(run('npx', ['spine-lint', ...checkArgs(spine, 'sarif')], project, registry.env).stdout) as {
      runs: { invocations: { executionSuccessful: boolean }[]; results: unknown[] }[];
    };
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(true);
    expect(sarif.runs[0]!.results).toHaveLength(3);

    const page = run('npx', ['spine-lint', 'explain', 'D35'], project, registry.env);
    expect(page.status).toBe(0);
    expect(page.stdout).toBe(run(process.execPath, [inRepoCli, 'explain', 'D35'], project, cleanEnv()).stdout);
    const source = readFileSync(join(REPO, 'docs/checks/relocation-parity.md'), 'utf8');
    expect(page.stdout.length).toBeGreaterThan(source.length * 0.9);

    // The pre-commit fast path trusts the installed build (its stamps travel in the packages).
    git(spine, 'init', '-q');
    // The project's installed command, run in the spine (npx there, outside the project, would install
    // into npm's shared npx cache, which may hold another build of the same version).
    const installedBin = join(project, 'node_modules/.bin/spine-lint');
    const fastEnv = { ...registry.env, SPINE_LINT_DEBUG_FAST_PATH: '1' };
    const fast = run(installedBin, ['check', '--staged'], spine, fastEnv);
    expect(fast.stderr).toMatch(/fast path: exit 0/);
    expect(fast.status).toBe(0);
    // A staged file to judge: the config, the scope and the listings, with the installed core's decide module.
    writeFileSync(join(spine, 'NOTES.md'), '# notes\n');
    git(spine, 'add', 'NOTES.md');
    const judged = run(installedBin, ['check', '--staged'], spine, fastEnv);
    expect(judged.stderr).toMatch(/fast path: exit 0 \(1 changed file\(s\), none read by a check/);
    expect(judged.status).toBe(0);
  }, 120_000);

  it('the library: a TypeScript consumer compiles with tsc --noEmit (nodenext) against the installed types, runs, and reports what the checkout reports', () => {
    const lib = join(work, 'library');
    mkdirSync(lib);
    sh('npm init -y', lib);
    sh('npm install @spine-lint/core @spine-lint/checks', lib);
    sh('npm install --save-dev @types/node@20', lib); // the consumer's own choice: it uses process.argv
    const pkg = JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(lib, 'package.json'), JSON.stringify({ ...pkg, type: 'module' }, null, 2));
    cpSync(join(REPO, 'test/fixtures/consumer-ts'), lib, { recursive: true });
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const typecheck = run(process.execPath, [tsc, '--noEmit', '-p', '.'], lib, cleanEnv());
    expect(typecheck.stdout + typecheck.stderr).toBe('');
    expect(typecheck.status).toBe(0);
    // A type error in the consumer is caught against the installed types (the check is not vacuous).
    writeFileSync(join(lib, 'broken.ts'), "import { defineCheck } from '@spine-lint/core';\nexport const c = defineCheck({ id: 'x', severity: 'fatal' });\n");
    expect(run(process.execPath, [tsc, '--noEmit', '-p', '.'], lib, cleanEnv()).status).not.toBe(0);
    rmSync(join(lib, 'broken.ts'));
    expect(run(process.execPath, [tsc, '-p', '.', '--outDir', 'out'], lib, cleanEnv()).status).toBe(0);
    const theirs = run(process.execPath, ['out/consumer.js', spine, EXAMPLE_NOW], lib, cleanEnv());
    expect(theirs.stderr).toBe('');
    // The same compiled consumer inside the checkout resolves the checkout's packages.
    const inRepo = join(REPO, '.tmp', `consumer-${process.pid}`);
    mkdirSync(inRepo, { recursive: true });
    try {
      cpSync(join(lib, 'out'), inRepo, { recursive: true });
      writeFileSync(join(inRepo, 'package.json'), '{"type":"module"}\n');
      const ours = run(process.execPath, [join(inRepo, 'consumer.js'), spine, EXAMPLE_NOW], inRepo, cleanEnv());
      expect(ours.stderr).toBe('');
      expect(theirs.stdout).toBe(ours.stdout);
    } finally {
      rmSync(inRepo, { recursive: true, force: true });
    }
    const out = JSON.parse(theirs.stdout) as { results: { checkId: string; line: number }[] };
    expect(out.results.map((r) => `${r.checkId}:${r.line}`).sort()).toEqual(['fixed-grafana:50', 'placement-policy:50', 'relocation-parity:50', 'relocation-ssot-completeness:50']);
  }, 180_000);

  it('the documented global install: npm install -g spine-lint', () => {
    const prefix = join(work, 'global');
    sh('npm install -g spine-lint', work, { npm_config_prefix: prefix });
    const bin = join(prefix, 'bin/spine-lint');
    expect(run(bin, ['--version'], work, registry.env).stdout.trim()).toContain(VERSION);
    const r = run(bin, checkArgs(spine), work, registry.env);
    expect(r.status).toBe(1);
    expect(comparable(r.stdout)).toBe(comparable(run(process.execPath, [inRepoCli, ...checkArgs(spine)], work, cleanEnv()).stdout));
    // The MCP SDK is an optional peer (the gate does not install a server stack): mcp says how to add it.
    const mcp = run(bin, ['mcp'], work, registry.env);
    expect(mcp.status).toBe(2);
    expect(mcp.stderr).toBe("spine-lint: 'spine-lint mcp' needs the MCP SDK beside spine-lint: npm install @modelcontextprotocol/sdk (with -g for a global spine-lint)\n");
  }, 180_000);
});

describe('installed from git (no devDependencies, nothing compiled at install time)', () => {
  it('the documented npm install -g git+https://…#vX.Y.Z installs the command', () => {
    const clone = releaseClone();
    const prefix = join(work, 'git-global');
    const documented = DOCUMENTED_INSTALLS.find((c) => c.includes(GIT_URL))!;
    sh(documented.replace(GIT_URL, `git+file://${clone}`), work, { npm_config_prefix: prefix });
    const bin = join(prefix, 'bin/spine-lint');
    const spine = join(work, 'spine-git');
    cpSync(EXAMPLE, spine, { recursive: true });
    const r = run(bin, checkArgs(spine), work, registry.env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(comparable(r.stdout)).toBe(comparable(run(process.execPath, [inRepoCli, ...checkArgs(spine)], work, cleanEnv()).stdout));
    // Nothing was built: the installed git package holds the command's shim only.
    const root = join(prefix, 'lib/node_modules/spine-lint-monorepo');
    expect(
      readdirSync(root)
        .filter((f) => f !== 'node_modules')
        .sort(),
    ).toEqual(['README.md', 'bin', 'package.json']);
  }, 180_000);

  it('pre-commit 4’s command (npm install --install-links -g git+file://<clone>) into a fresh prefix; its hook blocks a bad commit', () => {
    const clone = releaseClone();
    const prefix = join(work, 'precommit4-env');
    // What pre-commit 4's node language sets (languages/node.py get_env_patch) and runs.
    const env = {
      ...registry.env,
      XDG_CACHE_HOME: join(work, 'xdg-cache'),
      NPM_CONFIG_PREFIX: prefix,
      npm_config_prefix: prefix,
      NODE_VIRTUAL_ENV: prefix,
      PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
    };
    const install = run('npm', ['install', '--install-links', '-g', `git+file://${clone}`], work, env);
    expect(install.status, install.stderr).toBe(0);

    // The hook as .pre-commit-hooks.yaml declares it, run the way pre-commit runs it: the entry
    // with the staged files that match `files`, from the repository root.
    const hooks = parse(readFileSync(join(clone, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; files: string }[];
    const hook = hooks.find((h) => h.id === 'spine-lint')!;
    const spine = join(work, 'spine-precommit4');
    cpSync(EXAMPLE, spine, { recursive: true });
    const registryFile = join(spine, 'docs/governance/SERVICE_REGISTRY.yaml');
    writeFileSync(registryFile, readFileSync(registryFile, 'utf8').replace('    host: docker-host\n    port: 3000', '    host: observability\n    port: 3000'));
    // Dated today, so that the freshness checks (a hook uses the real clock) are satisfied.
    const today = new Date().toISOString().slice(0, 10);
    for (const rel of execFileSync('find', ['.', '-type', 'f'], { cwd: spine, encoding: 'utf8' }).trim().split('\n')) {
      writeFileSync(join(spine, rel), readFileSync(join(spine, rel), 'utf8').replace(/2026-02-0[6-9]/g, today));
    }
    git(spine, 'init', '-q');
    const script = ['#!/bin/sh', `files=$(git diff --cached --name-only --diff-filter=ACMR | grep -E '${hook.files}')`, '[ -z "$files" ] && exit 0', `exec ${hook.entry} $files`, ''].join('\n');
    writeFileSync(join(spine, '.git/hooks/pre-commit'), script);
    chmodSync(join(spine, '.git/hooks/pre-commit'), 0o755);
    const commit = (message: string): Run =>
      run('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message], spine, { ...env, NO_COLOR: '1' });
    git(spine, 'add', '-A');
    const good = commit('good spine');
    expect(good.stdout + good.stderr).toMatch(/no problems/); // git gives a hook's stdout to stderr
    expect(good.status).toBe(0);

    writeFileSync(registryFile, readFileSync(registryFile, 'utf8').replace('    host: observability\n    port: 3000', '    host: docker-host\n    port: 3000'));
    git(spine, 'add', '-A');
    const bad = commit('grafana back on docker-host');
    expect(bad.status).toBe(1);
    // D35's verdict in the one item at the stale value (the checks finding the same value are shown once).
    expect(bad.stdout + bad.stderr).toMatch(/^ +50:11 +error +.*(\n +also .*)*\n +also relocation-parity \(D35\): PARITY MISMATCH: grafana/m);
    expect(git(spine, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  }, 300_000);
});

describe('the docs show the commands these tests run', () => {
  it('every npm install line of README.md, docs/guide.md and docs/ci.md is one of DOCUMENTED_INSTALLS, and each is shown', () => {
    const shown = new Set<string>();
    for (const doc of ['README.md', 'docs/guide.md', 'docs/ci.md']) {
      const text = readFileSync(join(REPO, doc), 'utf8');
      for (const block of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
        for (const line of block[1]!.split('\n')) {
          const command = line.replace(/\s+#.*$/, '').trim();
          if (/^npm (install|i) /.test(command)) shown.add(command);
        }
      }
    }
    expect([...shown].sort()).toEqual([...DOCUMENTED_INSTALLS].sort());
  });
});
