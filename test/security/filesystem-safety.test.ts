/**
 * Filesystem safety (issue 9): spine-lint never writes inside the checked repository, except the
 * files a user explicitly names (`--update-baseline` with `--baseline FILE`, `probe --record FILE`,
 * `--output FILE`) and the run cache a user asks for (`--cache`, under the user's cache directory). Every command runs through the built CLI on a git copy of a real corpus
 * snapshot, with the repository as the working directory (the worst case for a stray relative
 * write) and HOME pointed at a scratch directory; every file is hashed before and after.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../support/corpus.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const SNAPSHOT = readdirSync(`${CORPUS}/snapshots`)
  .filter((d) => /^\d{3}-/.test(d))
  .sort()
  .at(-1)!;

/** sha256 of every file under `dir` (symlinks by target text), by relative path. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = statSync(full, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(full);
      else out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex') + ` ${st.mode.toString(8)}`;
    }
  };
  walk(dir);
  return out;
}

/** The tree without git's index (which `git status`-like reads may legitimately refresh). */
const withoutGitIndex = (h: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(h).filter(([p]) => p !== '.git/index'));

describe('the tool writes nothing inside the checked repository', () => {
  let root: string;
  let scratch: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(CLI)) execFileSync('npx', ['tsc', '-b', 'packages/cli'], { cwd: REPO });
    scratch = mkdtempSync(join(tmpdir(), 'spine-lint-fs-'));
    root = join(scratch, 'spine');
    home = join(scratch, 'home');
    mkdirSync(home);
    cpSync(`${CORPUS}/snapshots/${SNAPSHOT}`, root, { recursive: true });
    rmSync(join(root, 'oracle.json'), { force: true });
    rmSync(join(root, 'oracle.head.json'), { force: true });
    const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'snapshot');
    // Everything the CLI might read from the environment points away from the repository.
    env = { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8' };
    server = createServer((_q, res) => res.writeHead(200).end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(scratch, { recursive: true, force: true });
  });

  const cli = (args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } => {
    const res = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  };

  it('check (every format, --base), list, explain, diff and probe --dry-run / --replay leave every file byte-identical', () => {
    const recording = join(scratch, 'empty-recording.json');
    writeFileSync(recording, JSON.stringify({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '2026-03-05T00:00:00Z', observations: [] }));
    const before = hashTree(root);
    expect(Object.keys(before).length).toBeGreaterThan(10);
    const runs: [string[], number[]][] = [
      [
        ['check', '--root', '.', '--now', '2026-03-05'],
        [0, 1],
      ],
      ...['json', 'sarif', 'junit', 'github'].map((f): [string[], number[]] => [
        ['check', '--format', f, '--now', '2026-03-05'],
        [0, 1],
      ]),
      [
        ['check', '--base', 'HEAD', '--format', 'json'],
        [0, 1],
      ],
      [
        ['check', '--staged', '--format', 'json'],
        [0, 1],
      ],
      [['list'], [0]],
      [['list', '--format', 'json'], [0]],
      [['explain', 'placement-policy'], [0]],
      [['diff', '--base', 'HEAD'], [0]],
      [['diff', '--base', 'HEAD', '--format', 'json'], [0]],
      [['probe', '--dry-run'], [0]],
      [
        ['probe', '--replay', recording, '--format', 'json', '--now', '2026-03-05'],
        [0, 1],
      ],
    ];
    for (const [args, codes] of runs) {
      const r = cli(args);
      expect(codes, `spine-lint ${args.join(' ')} → ${r.status}\n${r.stderr}`).toContain(r.status);
      expect(r.stderr, args.join(' ')).not.toMatch(/internal error/);
    }
    const after = hashTree(root);
    expect(withoutGitIndex(after)).toEqual(withoutGitIndex(before));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(readdirSync(home)).toEqual([]);
  }, 180_000);

  it('--update-baseline writes exactly the named baseline file, nothing else', () => {
    const before = hashTree(root);
    const r = cli(['check', '--baseline', '.spine-lint-baseline.json', '--update-baseline', '--format', 'json', '--now', '2026-03-05']);
    expect([0, 1], r.stderr).toContain(r.status);
    const after = hashTree(root);
    const added = Object.keys(after).filter((p) => !(p in before));
    expect(added).toEqual(['.spine-lint-baseline.json']);
    expect(withoutGitIndex(Object.fromEntries(Object.entries(after).filter(([p]) => p !== '.spine-lint-baseline.json')))).toEqual(withoutGitIndex(before));
    expect(() => JSON.parse(readFileSync(join(root, '.spine-lint-baseline.json'), 'utf8'))).not.toThrow();
    rmSync(join(root, '.spine-lint-baseline.json'));
  }, 60_000);

  it('--cache writes only its cache file, under the user cache directory, and replays without writing', () => {
    const before = hashTree(root);
    const first = cli(['check', '--cache', '--format', 'json', '--now', '2026-03-05']);
    const second = cli(['check', '--cache', '--format', 'json', '--now', '2026-03-05']);
    expect([0, 1], first.stderr).toContain(first.status);
    expect(second.status).toBe(first.status);
    expect(second.stdout).toBe(first.stdout);
    expect(withoutGitIndex(hashTree(root))).toEqual(withoutGitIndex(before));
    const cacheDir = join(home, '.cache', 'spine-lint');
    const stored = readdirSync(cacheDir);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^spine-lint-[0-9a-f]{16}\.json$/);
    expect(readdirSync(home)).toEqual(['.cache']);
    rmSync(join(home, '.cache'), { recursive: true });
  }, 60_000);

  it('probe --record writes exactly the named recording (a loopback-only spine), nothing else', async () => {
    const spine = join(scratch, 'loopback-spine');
    mkdirSync(join(spine, 'ops/bindings'), { recursive: true });
    writeFileSync(
      join(spine, 'ops/bindings/services.health.yaml'),
      `version: 1\ndefaults:\n  connect_timeout_sec: 1\n  max_time_sec: 2\nendpoints:\n  - id: local\n    host: here\n    url: "http://127.0.0.1:${port}/health"\n    expect: 200\n`,
    );
    const before = hashTree(spine);
    // Asynchronous: the loopback server lives in this process and must answer while the CLI runs.
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, 'probe', '--only', 'health-endpoints', '--allow', '127.0.0.1/32', '--record', 'rec.json', '--format', 'json'],
        { cwd: spine, env, encoding: 'utf8', timeout: 60_000 },
        (error, _stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    expect(r.status, r.stderr).toBe(0);
    const after = hashTree(spine);
    expect(Object.keys(after).filter((p) => !(p in before))).toEqual(['rec.json']);
    const { 'rec.json': _rec, ...rest } = after;
    expect(rest).toEqual(before);
    expect(JSON.parse(readFileSync(join(spine, 'rec.json'), 'utf8'))).toMatchObject({ format: 'spine-lint-probe-recording', observations: [{ outcome: 'response', status: 200 }] });
    expect(readdirSync(home)).toEqual([]);
  }, 60_000);
});
