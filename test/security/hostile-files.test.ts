/**
 * Hostile files around the checked repository, through the built CLI (packages/core/src/safeFs.ts):
 * a config that is a FIFO or a link to /dev/zero, links planted where spine-lint writes (a
 * committed baseline link, the old predictable temporary names), paths in the repository's config
 * that leave it (`baseline: ../../x`, `probes.knownHosts` with accept-new), and I/O errors on the
 * paths a user names. Each run ends quickly with a clear exit 2 (never "internal error"), writes
 * nothing outside the files named, and never quotes a file it refused.
 *
 * Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInCache } from '../../packages/cli/src/runCache.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
/** Content of a file outside the repository that must never show up in any output. */
const SECRET = 'root:x:0:0:SECRET-TOKEN-4711';

/** Every entry under `dir`: file content hash and mode, link target, or the kind of special file. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const rel = relative(dir, full);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(full)}`;
      else if (st.isDirectory()) walk(full);
      else if (st.isFile()) out[rel] = createHash('sha256').update(readFileSync(full)).digest('hex') + ` ${st.mode.toString(8)}`;
      else out[rel] = `special ${st.mode.toString(8)}`;
    }
  };
  walk(dir);
  return out;
}
/** A JSON report without its timing. */
const withoutDuration = (json: string): unknown => {
  const report = JSON.parse(json) as { summary: { durationMs?: number } };
  delete report.summary.durationMs;
  return report;
};
const withoutGitIndex = (h: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(h).filter(([p]) => p !== '.git/index'));

let scratch: string;
let home: string;
let env: NodeJS.ProcessEnv;
let counter = 0;

beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-hostile-files-'));
  home = join(scratch, 'home');
  mkdirSync(home);
  // A heap limit far above what a real run needs: the old unbounded read of /dev/zero died on it.
  env = { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8', NODE_OPTIONS: '--max-old-space-size=512' };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A git copy of the example spine inside `<case>/repo`, and a secret file beside it (outside the root). */
function spine(): { dir: string; root: string; secret: string } {
  const dir = join(scratch, `case-${++counter}`);
  const root = join(dir, 'repo');
  cpSync(EXAMPLE, root, { recursive: true });
  const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'example');
  const secret = join(dir, 'secret');
  writeFileSync(secret, SECRET + '\n');
  return { dir, root, secret };
}

const cli = (args: string[], cwd: string, timeout = 30_000): { status: number | null; stdout: string; stderr: string; ms: number } => {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
};

/** Exit 2 with one clear line: the expected message, no internal error, nothing of the secret. */
function expectUsageError(r: ReturnType<typeof cli>, message: RegExp): void {
  expect(r.status, `${r.stderr}\n(killed after ${r.ms} ms when null)`).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr + r.stdout).not.toContain('SECRET');
  expect(r.stderr + r.stdout).not.toContain('root:x');
}

describe('hostile files around the repository (built CLI)', () => {
  it('a config that is a link to /dev/zero or a FIFO: exit 2 at once, memory bounded, the repository byte-identical', () => {
    const { root } = spine();
    rmSync(join(root, '.spine-lint.yaml'), { force: true });
    const before = hashTree(root);
    symlinkSync('/dev/zero', join(root, '.spine-lint.yaml'));
    const zero = cli(['check', '--format', 'json', '--now', '2026-03-05'], root, 20_000);
    expectUsageError(zero, /cannot read config file .*\.spine-lint\.yaml: it resolves to \/dev\/zero, outside the root/);
    expect(zero.ms).toBeLessThan(15_000);
    // Named on the command line a link is followed, and /dev/zero is refused as a device; --cache digests the config first.
    for (const args of [
      ['check', '--config', '/dev/zero'],
      ['check', '--cache', '--config', '.spine-lint.yaml'],
      ['probe', '--dry-run', '--config', '/dev/zero'],
    ]) {
      expectUsageError(cli(args, root, 20_000), /cannot read config file .*: it is a character device, not a regular file/);
    }
    rmSync(join(root, '.spine-lint.yaml'));
    execFileSync('mkfifo', [join(root, '.spine-lint.yaml')]);
    // The pre-commit fast path reads the config too (file arguments, as the hook passes them): it hands a FIFO to the full path.
    writeFileSync(join(root, 'NOTES.txt'), 'not a binding\n');
    for (const args of [['check'], ['check', '--config', '.spine-lint.yaml'], ['list'], ['probe', '--dry-run'], ['check', 'NOTES.txt']]) {
      const r = cli(args, root, 20_000);
      expectUsageError(r, /cannot read config file .*\.spine-lint\.yaml: it is a FIFO, not a regular file/);
      expect(r.ms).toBeLessThan(15_000);
    }
    rmSync(join(root, 'NOTES.txt'));
    rmSync(join(root, '.spine-lint.yaml'));
    expect(withoutGitIndex(hashTree(root))).toEqual(withoutGitIndex(before));
  }, 120_000);

  it('--update-baseline does not follow a committed baseline link; the file outside is unchanged', () => {
    const { root, secret } = spine();
    symlinkSync('../secret', join(root, '.spine-lint-baseline.json'));
    const before = hashTree(root);
    const r = cli(['check', '--baseline', '.spine-lint-baseline.json', '--update-baseline', '--now', '2026-03-05'], root);
    expectUsageError(r, /cannot write baseline .*\.spine-lint-baseline\.json: it is a symbolic link; spine-lint does not write through links/);
    expect(readFileSync(secret, 'utf8')).toBe(SECRET + '\n');
    expect(hashTree(root)).toEqual(before);
  }, 60_000);

  it('a config baseline outside the root is refused for reading and writing, and its bytes never appear in the message', () => {
    const { root, secret } = spine();
    writeFileSync(join(root, '.spine-lint.yaml'), 'baseline: ../secret\n');
    const before = hashTree(root);
    for (const args of [['check'], ['check', '--format', 'json'], ['check', '--update-baseline']]) {
      expectUsageError(cli([...args, '--now', '2026-03-05'], root), /\.spine-lint\.yaml: baseline '\.\.\/secret': it is outside the root .*; a baseline named by the config must be inside the root/);
    }
    // The same through a link inside the root that leaves it.
    symlinkSync('../secret', join(root, 'baseline-link.json'));
    writeFileSync(join(root, '.spine-lint.yaml'), 'baseline: baseline-link.json\n');
    expectUsageError(cli(['check', '--update-baseline', '--now', '2026-03-05'], root), /baseline 'baseline-link\.json': it resolves to .*secret, outside the root/);
    expect(readFileSync(secret, 'utf8')).toBe(SECRET + '\n');
    // Named on the command line, the file is read (the user's choice), but not quoted when it is no baseline.
    expectUsageError(cli(['check', '--baseline', secret, '--now', '2026-03-05'], root), /secret: the baseline is not valid JSON; regenerate it with --update-baseline/);
    rmSync(join(root, 'baseline-link.json'));
    writeFileSync(join(root, '.spine-lint.yaml'), 'baseline: ../secret\n');
    expect(hashTree(root)).toEqual(before);
  }, 90_000);

  it('probe --format prometheus --output: a link at the old out.prom.tmp is not followed, a link at out.prom is refused', () => {
    const { dir, root } = spine();
    const recording = join(dir, 'empty-recording.json');
    writeFileSync(recording, JSON.stringify({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '2026-03-05T00:00:00Z', observations: [] }));
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'victim\n');
    const out = join(dir, 'metrics');
    mkdirSync(out);
    symlinkSync(victim, join(out, 'out.prom.tmp'));
    const r = cli(['probe', '--replay', recording, '--format', 'prometheus', '--output', join(out, 'out.prom'), '--now', '2026-03-05'], root);
    expect([0, 1], r.stderr).toContain(r.status);
    expect(readFileSync(victim, 'utf8')).toBe('victim\n');
    expect(readFileSync(join(out, 'out.prom'), 'utf8')).toMatch(/^# HELP spine_lint_probe_/);
    expect(readdirSync(out).sort()).toEqual(['out.prom', 'out.prom.tmp']);
    rmSync(join(out, 'out.prom'));
    symlinkSync(victim, join(out, 'out.prom'));
    expectUsageError(
      cli(['probe', '--replay', recording, '--format', 'prometheus', '--output', join(out, 'out.prom'), '--now', '2026-03-05'], root),
      /cannot write .*out\.prom: it is a symbolic link/,
    );
    expect(readFileSync(victim, 'utf8')).toBe('victim\n');
  }, 60_000);

  it('the run cache: a link at the old predictable temporary name is not followed; a cache that is a FIFO, a link to /dev/zero or a link elsewhere is not used and not written', () => {
    // In-process: the old temporary name was `<cache file>.<pid>.tmp`, and the pid is this process's.
    const dir = join(scratch, `case-${++counter}`);
    mkdirSync(dir);
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'victim\n');
    const file = join(dir, 'spine-lint-0123456789abcdef.json');
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    expect(storeInCache({ file, root: dir, tool: 'test' }, { wellFormed: new Set(['a'.repeat(64)]) })).toBeUndefined();
    expect(readFileSync(victim, 'utf8')).toBe('victim\n');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'spine-lint-cache', wellFormed: { tool: 'test' } });
    symlinkSync(victim, join(dir, 'linked-cache.json'));
    expect(storeInCache({ file: join(dir, 'linked-cache.json'), root: dir, tool: 'test' }, { wellFormed: new Set(['b'.repeat(64)]) })).toMatch(/not a spine-lint cache file/);
    expect(readFileSync(victim, 'utf8')).toBe('victim\n');

    // Through the CLI: the verdict is the one of a run without a cache, and the planted files stay as they are.
    const { dir: caseDir, root } = spine();
    const plain = cli(['check', '--format', 'json', '--now', '2026-03-05'], root);
    expect([0, 1]).toContain(plain.status);
    const fifoCache = join(caseDir, 'fifo-cache.json');
    execFileSync('mkfifo', [fifoCache]);
    symlinkSync('/dev/zero', join(caseDir, 'zero-cache.json'));
    symlinkSync(victim, join(caseDir, 'victim-cache.json'));
    for (const location of [fifoCache, join(caseDir, 'zero-cache.json'), join(caseDir, 'victim-cache.json')]) {
      for (let i = 0; i < 2; i++) {
        const r = cli(['check', '--cache', '--cache-location', location, '--format', 'json', '--now', '2026-03-05'], root, 20_000);
        expect(r.status, `${location}: ${r.stderr}`).toBe(plain.status);
        expect(withoutDuration(r.stdout)).toEqual(withoutDuration(plain.stdout));
      }
    }
    expect(statSync(fifoCache).isFIFO()).toBe(true);
    expect(readlinkSync(join(caseDir, 'zero-cache.json'))).toBe('/dev/zero');
    expect(readFileSync(victim, 'utf8')).toBe('victim\n');
  }, 120_000);

  it('probes.knownHosts outside the root with acceptNew: refused before probing; the file outside is unchanged', () => {
    const { root, secret } = spine();
    writeFileSync(join(root, '.spine-lint.yaml'), 'probes:\n  acceptNew: true\n  knownHosts: ../secret\n');
    const r = cli(['probe', '--only', 'health-endpoints', '--allow', '127.0.0.1/32', '--timeout', '1'], root);
    expectUsageError(r, /probes\.knownHosts '\.\.\/secret' with accept-new: it is outside the root .*; spine-lint writes a known_hosts named by the repository only inside it/);
    expect(readFileSync(secret, 'utf8')).toBe(SECRET + '\n');
    // Named on the command line instead, it is the user's file: no refusal (the run goes on).
    writeFileSync(join(root, '.spine-lint.yaml'), 'probes:\n  knownHosts: ../secret\n');
    const dry = cli(['probe', '--dry-run'], root);
    expect(dry.status, dry.stderr).toBe(0);
  }, 60_000);

  it('I/O errors on --output, --baseline and --record paths: exit 2 with "cannot read/write" the path and the reason, never "internal error"', () => {
    const { dir, root } = spine();
    const recording = join(dir, 'empty-recording.json');
    writeFileSync(recording, JSON.stringify({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '2026-03-05T00:00:00Z', observations: [] }));
    const before = hashTree(root);
    const cases: [string[], RegExp][] = [
      [['check', '--output', 'ops'], /^spine-lint: cannot write ops: it is a directory, not a regular file\n$/],
      [['check', '--output', 'no-such-dir/report.txt'], /^spine-lint: cannot write no-such-dir\/report\.txt: its directory .*no-such-dir does not exist\n$/],
      [['check', '--format', 'json', '--output', 'no-such-dir/report.json', '--cache', '--cache-location', join(dir, 'cache.json')], /cannot write no-such-dir\/report\.json: its directory/],
      [['check', '--baseline', 'ops'], /^spine-lint: cannot read baseline .*ops: it is a directory, not a regular file\n$/],
      [['check', '--baseline', join(dir, 'no-such-dir/b.json'), '--update-baseline'], /^spine-lint: cannot write baseline .*no-such-dir\/b\.json: its directory .* does not exist\n$/],
      [['check', '--baseline', 'ops', '--update-baseline'], /^spine-lint: cannot write baseline .*ops: it is a directory, not a regular file\n$/],
      [['probe', '--replay', recording, '--output', join(dir, 'no-such-dir/out.prom'), '--format', 'prometheus'], /cannot write .*no-such-dir\/out\.prom: its directory .* does not exist/],
      [['probe', '--replay', 'ops'], /cannot read recording .*ops: it is a directory, not a regular file/],
      [
        ['probe', '--only', 'health-endpoints', '--allow', '127.0.0.1/32', '--timeout', '1', '--record', join(dir, 'no-such-dir/rec.json')],
        /^spine-lint: cannot write recording .*no-such-dir\/rec\.json: its directory .* does not exist\n$/,
      ],
    ];
    for (const [args, message] of cases) expectUsageError(cli([...args, '--now', '2026-03-05'], root), message);
    expect(withoutGitIndex(hashTree(root))).toEqual(withoutGitIndex(before));
  }, 120_000);
});
