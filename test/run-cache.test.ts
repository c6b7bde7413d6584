/**
 * `spine-lint check --cache` through the built CLI (packages/cli/src/runCache.ts): a stored run is
 * replayed only when everything it depended on is unchanged — the bindings it read (content,
 * symlink status), the directories it listed, the config, the arguments, and the clock within the
 * window its freshness checks depend on — and a replay is the stored output byte for byte.
 * Every change below must be a miss whose fresh verdict is the right one.
 *
 * Needs `npm run build` (the run cache keys on the build manifest written by scripts/build-validators.mjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from './support/corpus.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const REGISTRY = 'docs/governance/SERVICE_REGISTRY.yaml';

let scratch: string;
let counter = 0;

beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-run-cache-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What the cache said (SPINE_LINT_DEBUG_CACHE): 'replayed', or the reason it was not used. */
  cache: string;
}

/** A fresh copy of the example spine and its own cache directory. */
function spine(): { root: string; cacheHome: string; run: (args: string[], extraEnv?: Record<string, string>) => Run } {
  const dir = join(scratch, `case-${++counter}`);
  const root = join(dir, 'spine');
  const cacheHome = join(dir, 'cache');
  cpSync(EXAMPLE, root, { recursive: true });
  const run = (args: string[], extraEnv: Record<string, string> = {}): Run => {
    const env = { PATH: process.env.PATH, HOME: join(dir, 'home'), XDG_CACHE_HOME: cacheHome, NO_COLOR: '1', SPINE_LINT_DEBUG_CACHE: '1', NODE_OPTIONS: process.env.NODE_OPTIONS ?? '', ...extraEnv };
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    const said = /spine-lint: cache: (.*)/.exec(r.stderr)?.[1] ?? '(no replay attempted)';
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, cache: said.startsWith('replayed') ? 'replayed' : said };
  };
  return { root, cacheHome, run };
}

const CHECK = ['check', '--cache', '--format', 'json'];
const cacheFile = (cacheHome: string): string => {
  const dir = join(cacheHome, 'spine-lint');
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
};
const withoutDuration = (json: string): unknown => {
  const report = JSON.parse(json) as { summary: { durationMs?: number } };
  delete report.summary.durationMs;
  return report;
};

describe('check --cache', () => {
  it('stores a run, then replays it byte for byte with the same exit code', () => {
    const { run } = spine();
    const first = run(CHECK);
    expect(first.cache).toBe('no stored run with this key');
    expect(first.status).toBe(1);
    expect(JSON.parse(first.stdout).summary.errors).toBe(3);
    const second = run(CHECK);
    expect(second.cache).toBe('replayed');
    expect(second.status).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    // The recording run itself reports what a run without the cache reports.
    const plain = run(['check', '--format', 'json']);
    expect(plain.cache).toBe('(no replay attempted)');
    expect(withoutDuration(first.stdout)).toEqual(withoutDuration(plain.stdout));
  });

  it('a changed binding is a miss, and the fresh verdict is the new one (fixing the violation: exit 0)', () => {
    const { root, run } = spine();
    expect(run(CHECK).status).toBe(1);
    appendFileSync(join(root, 'ops/bindings/ssh.targets.yaml'), '# reviewed\n');
    const afterComment = run(CHECK);
    expect(afterComment.cache).toBe('changed: ops/bindings/ssh.targets.yaml');
    expect(afterComment.status).toBe(1);
    expect(run(CHECK).cache).toBe('replayed');

    const registry = join(root, REGISTRY);
    writeFileSync(registry, readFileSync(registry, 'utf8').replace('    host: docker-host\n    port: 3000', '    host: observability\n    port: 3000'));
    const fixed = run(CHECK);
    expect(fixed.cache).toBe(`changed: ${REGISTRY}`);
    expect(fixed.status).toBe(0);
    expect(JSON.parse(fixed.stdout).summary.errors).toBe(0);
    const replayed = run(CHECK);
    expect(replayed.cache).toBe('replayed');
    expect(replayed.status).toBe(0);
  });

  it('a new file in a scanned binding directory is a miss (the listing is an input): its syntax error is reported', () => {
    const { root, run } = spine();
    run(CHECK);
    writeFileSync(join(root, 'ops/bindings/new.binding.yaml'), 'a: [1, 2\n');
    const r = run(CHECK);
    expect(r.cache).toBe('changed: ops/bindings/');
    const report = JSON.parse(r.stdout) as { results: { checkId: string; file: string; line: number }[] };
    expect(report.results.filter((d) => d.checkId === 'parse').map((d) => d.file)).toContain('ops/bindings/new.binding.yaml');
  });

  it('a binding replaced by a symlink leaving the root is a miss: the refusal is reported', () => {
    const { root, run } = spine();
    run(CHECK);
    const outside = join(scratch, `outside-${counter}.yaml`);
    writeFileSync(outside, readFileSync(join(root, 'ops/bindings/ssh.targets.yaml')));
    unlinkSync(join(root, 'ops/bindings/ssh.targets.yaml'));
    symlinkSync(outside, join(root, 'ops/bindings/ssh.targets.yaml'));
    const r = run(CHECK);
    expect(r.cache).toBe('changed: ops/bindings/ssh.targets.yaml');
    expect(r.stdout).toMatch(/symbolic link \(or under one\) that leaves the checked root/);
  });

  it('a changed config or different arguments use another key; each stored run replays on its own', () => {
    const { root, cacheHome, run } = spine();
    const json = run(CHECK);
    const sarif = run(['check', '--cache', '--format', 'sarif']);
    expect(sarif.cache).toBe('no stored run with this key');
    expect(run(CHECK).stdout).toBe(json.stdout);
    expect(run(['check', '--cache', '--format', 'sarif']).cache).toBe('replayed');
    expect(run(['check', '--cache', '--format', 'json', '--only', 'D35']).cache).toBe('no stored run with this key');
    expect(JSON.parse(readFileSync(cacheFile(cacheHome), 'utf8')).entries).toHaveLength(3);

    // Turning the D35 check off in the config changes the verdict: a miss, then the new report.
    appendFileSync(join(root, '.spine-lint.yaml'), '  relocation-parity: off\n');
    const r = run(CHECK);
    expect(r.cache).toBe('no stored run with this key');
    expect(JSON.parse(r.stdout).summary.errors).toBe(2);
  });

  it('the clock: a run is replayed only inside the window its freshness checks depend on; --now fixes it', () => {
    const { cacheHome, run } = spine();
    const started = Date.now();
    run(CHECK);
    const file = cacheFile(cacheHome);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { entries: { validFrom: number; validUntil: number | null }[] };
    const [entry] = stored.entries;
    // D58 compares dated bindings with now in whole days: the verdict holds at most until a day count changes.
    expect(entry!.validFrom).toBeGreaterThanOrEqual(started - 1000);
    expect(entry!.validUntil).toBeGreaterThan(entry!.validFrom);
    expect(entry!.validUntil! - entry!.validFrom).toBeLessThanOrEqual(86_400_000);
    expect(run(CHECK).cache).toBe('replayed');

    // Move the window into the past, as if the day had turned: a miss, and a fresh run is stored again.
    entry!.validUntil = Date.now() - 1;
    writeFileSync(file, JSON.stringify(stored));
    expect(run(CHECK).cache).toBe('the clock has moved past what the stored verdict depends on');
    expect(run(CHECK).cache).toBe('replayed');

    // With --now the instant is an argument (part of the key): no window.
    run([...CHECK, '--now', '2026-03-05']);
    const fixed = (JSON.parse(readFileSync(file, 'utf8')) as { entries: { validUntil: number | null }[] }).entries[0]!;
    expect(fixed.validUntil).toBeNull();
    expect(run([...CHECK, '--now', '2026-03-05']).cache).toBe('replayed');
  });

  it('--output: the replay writes the same file', () => {
    const { root, run } = spine();
    const first = run([...CHECK, '--output', 'report.json']);
    expect(first.stdout).toBe('');
    const written = readFileSync(join(root, 'report.json'), 'utf8');
    rmSync(join(root, 'report.json'));
    const second = run([...CHECK, '--output', 'report.json']);
    expect(second.cache).toBe('replayed');
    expect(second.stdout).toBe('');
    expect(readFileSync(join(root, 'report.json'), 'utf8')).toBe(written);
  });

  it('a corrupt cache file is a miss (no crash) and is replaced; an unwritable location only costs the store', () => {
    const { cacheHome, run } = spine();
    const first = run(CHECK);
    const file = cacheFile(cacheHome);
    writeFileSync(file, '{"version": 1, "entries": [ {"key": 42}, null, "x" ');
    const afterCorrupt = run(CHECK);
    expect(afterCorrupt.cache).toBe('no stored run with this key');
    expect(withoutDuration(afterCorrupt.stdout)).toEqual(withoutDuration(first.stdout));
    expect(run(CHECK).cache).toBe('replayed');
    writeFileSync(file, JSON.stringify({ version: 1, entries: [{ key: 'x' }, null, 7] }));
    expect(run(CHECK).status).toBe(1);

    // A cache location below a regular file cannot be created: the run is unaffected, and says why only when asked.
    const blocker = join(cacheHome, 'a-file');
    writeFileSync(blocker, '');
    const quiet = spawnSync(process.execPath, [CLI, ...CHECK, '--cache-location', join(blocker, 'sub', 'cache.json'), '--root', join(cacheHome, '..', 'spine')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_OPTIONS: process.env.NODE_OPTIONS ?? '' },
    });
    expect(quiet.status).toBe(1);
    expect(quiet.stderr).toBe('');
    expect(withoutDuration(quiet.stdout)).toEqual(withoutDuration(first.stdout));
  });

  it('--cache-location pointed at a file that is not a spine-lint cache (a binding, a report) leaves it as it is', () => {
    const { root, run } = spine();
    const binding = join(root, 'ops/bindings/ssh.targets.yaml');
    const before = readFileSync(binding, 'utf8');
    const report = join(root, 'report.json');
    writeFileSync(report, '{"version": 1, "entries": []}\n');
    for (const target of [binding, report]) {
      const r = run([...CHECK, '--cache-location', target]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('is not a spine-lint cache file: left as it is');
      expect(run([...CHECK, '--cache-location', target]).cache).toBe('no stored run with this key');
    }
    expect(readFileSync(binding, 'utf8')).toBe(before);
    expect(readFileSync(report, 'utf8')).toBe('{"version": 1, "entries": []}\n');
    // A file of its own is written, and replayed, at a chosen path.
    const own = join(root, '..', 'my-cache.json');
    run([...CHECK, '--cache-location', own]);
    expect(run([...CHECK, '--cache-location', own]).cache).toBe('replayed');
  });

  it('runs with inputs the recording cannot see are never stored: --baseline, --staged, files, plugins', () => {
    const { root, cacheHome, run } = spine();
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    execFileSync('git', ['add', '-A'], { cwd: root });
    expect(run([...CHECK, '--staged']).cache).toMatch(/--staged/);
    expect(run([...CHECK, REGISTRY]).cache).toMatch(/files/);
    writeFileSync(join(root, 'baseline.json'), JSON.stringify({ version: 1, entries: [] }));
    expect(run([...CHECK, '--baseline', 'baseline.json']).cache).toBe('a baseline run');
    // Only the well-formed digests (no run) may have been stored by those runs.
    expect((JSON.parse(readFileSync(cacheFile(cacheHome), 'utf8')) as { entries: unknown[] }).entries).toEqual([]);

    writeFileSync(join(root, 'plugin.mjs'), `export default { id: 'plugin-check', title: 't', description: 'd', severity: 'error', kind: 'static', reads: [], messages: { m: 'x' }, run() {} };\n`);
    appendFileSync(join(root, '.spine-lint.yaml'), 'plugins:\n  - ./plugin.mjs\n');
    const r = run(CHECK);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/run not stored in the cache: plugins/);
    expect(run(CHECK).cache).toBe('no stored run with this key');
  });

  it('well-formed digests: a later run (replayable or --staged) parses only YAML texts no earlier run accepted', () => {
    const { root, cacheHome, run } = spine();
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    execFileSync('git', ['add', '-A'], { cwd: root });
    run(CHECK);
    const stored = JSON.parse(readFileSync(cacheFile(cacheHome), 'utf8')) as { wellFormed: { tool: string; digests: string[] } };
    const yamlFiles = [...readdirSync(join(root, 'ops/bindings')).map((f) => `ops/bindings/${f}`), ...readdirSync(join(root, 'docs/governance')).map((f) => `docs/governance/${f}`)].filter((f) =>
      f.endsWith('.yaml'),
    );
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const digest = (f: string): string =>
      createHash('sha256')
        .update(readFileSync(join(root, f)))
        .digest('hex');
    // Every YAML file of the binding directories (the run also read a few elsewhere).
    expect(stored.wellFormed.digests).toEqual(expect.arrayContaining([...new Set(yamlFiles.map(digest))]));

    // A staged malformed binding: not known, so judged — and reported, with its position.
    writeFileSync(join(root, 'ops/bindings/ssh.targets.yaml'), readFileSync(join(root, 'ops/bindings/ssh.targets.yaml'), 'utf8') + 'broken: [1, 2\n');
    execFileSync('git', ['add', 'ops/bindings/ssh.targets.yaml'], { cwd: root });
    const staged = run(['check', '--cache', '--staged', '--format', 'json']);
    expect(staged.status).toBe(1);
    const parse = (JSON.parse(staged.stdout) as { results: { checkId: string; file: string; line: number }[] }).results.filter((d) => d.checkId === 'parse');
    expect(parse.map((d) => d.file)).toEqual(['ops/bindings/ssh.targets.yaml']);
    const after = JSON.parse(readFileSync(cacheFile(cacheHome), 'utf8')) as { entries: unknown[]; wellFormed: { digests: string[] } };
    expect(after.wellFormed.digests).not.toContain(digest('ops/bindings/ssh.targets.yaml'));
    // The same report as a run without the cache.
    const plain = run(['check', '--staged', '--format', 'json']);
    expect(withoutDuration(staged.stdout)).toEqual(withoutDuration(plain.stdout));
  });

  it('the newest corpus tree: the replay is the recording run, which is the plain run', () => {
    const tree = join(
      CORPUS,
      'trees',
      readdirSync(join(CORPUS, 'trees'))
        .filter((d) => /^\d+-/.test(d))
        .sort()
        .at(-1)!,
    );
    const { run } = spine();
    const args = ['check', '--root', tree, '--format', 'json'];
    const plain = run(args);
    const recorded = run([...args, '--cache']);
    const replayed = run([...args, '--cache']);
    expect(plain.status).toBe(1);
    expect(recorded.status).toBe(1);
    expect(replayed.cache).toBe('replayed');
    expect(replayed.status).toBe(1);
    expect(replayed.stdout).toBe(recorded.stdout);
    expect(withoutDuration(recorded.stdout)).toEqual(withoutDuration(plain.stdout));
  }, 60_000);
});
