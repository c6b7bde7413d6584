/**
 * Hostile lines through the built CLI (hostile-input issue, item 1): the three reported lines that
 * made the old backtracking expressions run for 28 s to over a minute each (hours at 16 MiB) —
 * a Markdown heading `# a` + 6 000 spaces + `x`, a table separator of 150 000 spaces + `x` under a
 * `| a |` header, a binding whose first line is `# Status: a` + 150 000 spaces + `x` — planted in a
 * copy of the example spine. `check` (full, pre-commit file arguments, `--staged`) and `diff` end
 * well inside a bound with their normal report. Unit-level equivalence and per-kB timing:
 * packages/core/test/linearParsing.test.ts, packages/checks/test/linearParsing.test.ts.
 *
 * Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const NOW = '2026-02-09T12:00:00Z';
/** Per run; the old expressions needed 28 s to over a minute for each of the three lines. */
const BOUND_MS = 20_000;

const DEVICE_IDENTITY = 'docs/governance/DEVICE_IDENTITY_SSOT.md';
const SSH_TARGETS = 'ops/bindings/ssh.targets.yaml';
const STATUS = `a${' '.repeat(150_000)}x`;

interface JsonResult {
  checkId: string;
  messageId?: string;
  severity: string;
  file: string | null;
  line: number;
  column: number;
  endColumn?: number;
  data: Record<string, unknown>;
}

let scratch: string;
let root: string;
const env = { PATH: process.env.PATH, HOME: '/nonexistent', NO_COLOR: '1', LANG: 'C.UTF-8' };

const cli = (args: string[]): { status: number | null; stdout: string; stderr: string; ms: number } => {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
};
const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' });
const key = (d: JsonResult): string => `${d.checkId} ${d.severity} ${d.file}:${d.line}:${d.column}`;

let baseline: string[];

beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-linear-parsing-'));
  root = join(scratch, 'repo');
  cpSync(EXAMPLE, root, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'example');
  const before = cli(['check', '--root', '.', '--format', 'json', '--now', NOW]);
  baseline = (JSON.parse(before.stdout) as { results: JsonResult[] }).results.map(key).sort();

  // The three hostile lines: at the end of the Markdown binding (after its tables, so no table changes heading), and as the YAML binding's first line.
  const md = readFileSync(join(root, DEVICE_IDENTITY), 'utf8');
  appendFileSync(join(root, DEVICE_IDENTITY), `${md.endsWith('\n') ? '' : '\n'}\n# a${' '.repeat(6000)}x\n\n| a |\n${' '.repeat(150_000)}x\n`);
  writeFileSync(join(root, SSH_TARGETS), `# Status: ${STATUS}\n${readFileSync(join(root, SSH_TARGETS), 'utf8')}`);
  git('add', '-A');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the reported hostile lines through the built CLI', () => {
  it('check --root: ends within the bound with the normal report plus the one finding about the hostile status', () => {
    const r = cli(['check', '--root', '.', '--format', 'json', '--now', NOW]);
    expect(r.ms, r.stderr).toBeLessThan(BOUND_MS);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.status);
    const results = (JSON.parse(r.stdout) as { results: JsonResult[] }).results;
    const hostile = results.filter((d) => d.file === SSH_TARGETS && d.checkId === 'binding-headers');
    expect(hostile.map((d) => ({ line: d.line, column: d.column, endColumn: d.endColumn, status: d.data.status }))).toEqual([{ line: 1, column: 11, endColumn: 11 + STATUS.length, status: STATUS }]);
    // Nothing else changed: the heading and the non-separator line are read as the old expressions read them.
    expect(
      results
        .filter((d) => !hostile.includes(d))
        .map(key)
        .sort(),
    ).toEqual(baseline);
  }, 60_000);

  it('the pre-commit paths (files as arguments, --staged) and diff end within the bound', () => {
    for (const args of [
      ['check', '--format', 'json', '--now', NOW, DEVICE_IDENTITY, SSH_TARGETS],
      ['check', '--staged', '--format', 'json', '--now', NOW],
      ['diff', '--base', 'HEAD', '--format', 'json'],
    ]) {
      const r = cli(args);
      expect(r.ms, `${args.join(' ')}\n${r.stderr}`).toBeLessThan(BOUND_MS);
      expect(r.stderr, args.join(' ')).toBe('');
      expect([0, 1], args.join(' ')).toContain(r.status);
      expect(() => JSON.parse(r.stdout), args.join(' ')).not.toThrow();
    }
  }, 120_000);
});
