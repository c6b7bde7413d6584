/**
 * The pre-commit hook, end to end, with the real `pre-commit` tool (Debian's package, 3.x; install
 * it with test/support/install-precommit.sh): a spine repository uses this repository's
 * `.pre-commit-hooks.yaml` through a committed snapshot of the checkout; pre-commit installs the
 * root package the way it installs any node hook (npm install, npm pack, npm install -g). The root
 * package depends on the published `spine-lint` of its version, which comes from a real registry
 * (verdaccio on 127.0.0.1, this checkout's packages published to it; test/support/registry.ts).
 * A good commit passes, a commit staging a broken binding is blocked with the finding shown.
 * (pre-commit 4's install command is run by test/distribution.test.ts.)
 *
 * The snapshot is `git archive HEAD`: what is committed, as a clean clone (and CI) has it.
 * Slow (one npm install of the hook, about a minute): three commits, one environment.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackages, publish, startRegistry, type Registry } from './support/registry.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const example = join(repo, 'examples/phase4-observability');
const HOOK_LINE = 'spine-lint (static binding checks)';

let work: string;
let user: string;
let env: NodeJS.ProcessEnv;
let npmRegistry: Registry;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=spine-lint test', '-c', 'commit.gpgsign=false', ...args], { cwd, env, encoding: 'utf8' });
}

function commit(message: string): { status: number | null; output: string } {
  const r = spawnSync('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=spine-lint test', '-c', 'commit.gpgsign=false', 'commit', '-m', message], {
    cwd: user,
    env,
    encoding: 'utf8',
    timeout: 540_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('pre-commit is not installed: run test/support/install-precommit.sh');
  work = mkdtempSync(join(tmpdir(), 'spine-precommit-'));
  npmRegistry = await startRegistry(work);
  publish(npmRegistry, packPackages(join(work, 'packs')));
  // pre-commit runs npm with this environment (it unsets only npm's userconfig): the registry is npm_config_registry.
  env = { ...npmRegistry.env, PRE_COMMIT_HOME: join(work, 'cache'), XDG_CACHE_HOME: join(work, 'xdg-cache'), PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' };
  for (const k of ['GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE']) delete env[k];

  // The hook repository: a committed snapshot of this checkout.
  const snap = join(work, 'snap');
  mkdirSync(snap);
  const archive = execFileSync('git', ['archive', '--format=tar', 'HEAD'], { cwd: repo, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', snap], { input: archive });
  git(snap, 'init', '-q');
  git(snap, 'add', '-A');
  git(snap, 'commit', '-q', '-m', 'snapshot');
  const rev = git(snap, 'rev-parse', 'HEAD').trim();

  // The spine repository: the example with its deliberate violation fixed, dated today so that
  // freshness checks (which use the real clock in a hook) are satisfied.
  user = join(work, 'spine');
  cpSync(example, user, { recursive: true });
  const registry = join(user, 'docs/governance/SERVICE_REGISTRY.yaml');
  const registryLines = readFileSync(registry, 'utf8').split('\n');
  const grafana = registryLines.indexOf('  grafana:');
  const hostLine = registryLines.findIndex((l, i) => i > grafana && l === '    host: docker-host');
  registryLines[hostLine] = '    host: observability';
  writeFileSync(registry, registryLines.join('\n'));
  const today = new Date().toISOString().slice(0, 10);
  for (const rel of execFileSync('find', ['.', '-type', 'f'], { cwd: user, encoding: 'utf8' }).trim().split('\n')) {
    const file = join(user, rel);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/2026-02-0[6-9]/g, today));
  }
  writeFileSync(join(user, '.pre-commit-config.yaml'), `repos:\n  - repo: ${snap}\n    rev: ${rev}\n    hooks:\n      - id: spine-lint\n`);
  git(user, 'init', '-q');
  execFileSync('pre-commit', ['install'], { cwd: user, env });
}, 120_000);

afterAll(async () => {
  await npmRegistry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('pre-commit hook (real pre-commit, node language)', () => {
  it('a good spine commits; a broken binding is blocked with the finding; other files skip the hook', () => {
    git(user, 'add', '-A');
    const good = commit('good spine');
    expect(good.output).toMatch(new RegExp(`${HOOK_LINE.replace(/[()]/g, '\\$&')}\\.+Passed`));
    expect(good.status).toBe(0);
    // The hook runs with --cache: well-formed digests stored under XDG_CACHE_HOME, nothing in the repository.
    const cached = readdirSync(join(work, 'xdg-cache', 'spine-lint'));
    expect(cached).toHaveLength(1);
    expect((JSON.parse(readFileSync(join(work, 'xdg-cache', 'spine-lint', cached[0]!), 'utf8')) as { wellFormed?: { digests: string[] } }).wellFormed?.digests.length).toBeGreaterThan(10);
    expect(git(user, 'status', '--porcelain', '--ignored')).toBe('');

    // A duplicate key in a staged binding: a `parse` finding at the duplicate.
    const ssh = join(user, 'ops/bindings/ssh.targets.yaml');
    const lines = readFileSync(ssh, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('id: "observability"'));
    lines.splice(at + 2, 0, '      host: "127.0.2.206"');
    writeFileSync(ssh, lines.join('\n'));
    git(user, 'add', 'ops/bindings/ssh.targets.yaml');
    const bad = commit('broken binding');
    expect(bad.output).toMatch(new RegExp(`${HOOK_LINE.replace(/[()]/g, '\\$&')}\\.+Failed`));
    expect(bad.output).toContain('ops/bindings/ssh.targets.yaml');
    expect(bad.output).toMatch(new RegExp(`${at + 3}:7\\s+error\\s+.*host.*\\s+parse`));
    expect(bad.status).not.toBe(0);
    expect(git(user, 'rev-list', '--count', 'HEAD').trim()).toBe('1');

    // Unrelated files do not run the hook.
    git(user, 'reset', '-q', '--hard', 'HEAD');
    writeFileSync(join(user, 'NOTES.txt'), 'not a binding\n');
    git(user, 'add', 'NOTES.txt');
    const other = commit('unrelated');
    expect(other.output).toMatch(/\(no files to check\)Skipped/);
    expect(other.status).toBe(0);
  }, 600_000);
});
