/**
 * The pre-commit hook reports what the staged change introduces, not the spine's old debt: on a git
 * repository made from the real spine's newest corpus tree (19-a00cb7b7, which carries real drift),
 * one staged edit of ops/bindings/ssh.targets.yaml, run through the built CLI the way a developer
 * (`check --staged`) and the hook (`.pre-commit-hooks.yaml`'s entry with the changed file as its
 * argument) run it:
 * - only the finding the edit causes is shown, the existing findings are one count line, exit 1;
 * - a harmless edit: exit 0, with the count line;
 * - `--all-findings` lists the debt too; JSON keeps it in `summary.hidden` (as `--base` does);
 * - file arguments without `--staged` still list every finding of the checks that read the file;
 * - no commit yet (unborn HEAD): nothing to compare with, everything is new.
 *
 * Needs `npm run build` (spawns packages/cli/dist/bin.cjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TREES } from './support/corpus.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const TREE = join(TREES, '19-a00cb7b7');
const present = existsSync(join(TREE, 'oracle.json'));
/** The clock the reference D58 ran with on this tree (as test/drift-newest-tree.test.ts). */
const NOW = present ? (JSON.parse(readFileSync(join(TREE, 'oracle.json'), 'utf8')) as { results: { d58: { now: { utc: string } } } }).results.d58.now.utc : '';
const SSH = 'ops/bindings/ssh.targets.yaml';
/** The hook's command as .pre-commit-hooks.yaml declares it, without the program name. */
const HOOK_ARGS = (() => {
  const hooks = parseYaml(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string }[];
  const [program, ...args] = hooks.find((h) => h.id === 'spine-lint')!.entry.split(/\s+/);
  if (program !== 'spine-lint') throw new Error(`unexpected hook entry program '${program}'`);
  return args;
})();

const work = mkdtempSync(join(tmpdir(), 'spine-staged-new-only-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: work,
  XDG_CACHE_HOME: join(work, 'cache'),
  NO_COLOR: '1',
};
for (const k of ['GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE', 'SPINE_LINT_NO_FAST_PATH']) delete env[k];
const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd, env, encoding: 'utf8' });
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
const cli = (cwd: string, args: string[]): Run => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
interface JsonReport {
  results: { checkId: string; messageId: string; file: string; data: Record<string, unknown>; fingerprint: string }[];
  summary: { errors: number; warnings: number; hidden?: number };
}
const json = (r: Run): JsonReport => JSON.parse(r.stdout) as JsonReport;
/**
 * The finding lines of a stylish report: a location's line and, when several checks find the same
 * value, one `also <check>: <message>` line per other check (one line per finding either way).
 */
const findingLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^\s+(\d+:\d+\s+(error|warning)\s|also \S)/.test(l));
const debtLine = (n: number): string => `${n} existing findings are not shown (HEAD has them too); --all-findings to list them`;

/** The tree as a repository (its bindings and the other files its checks read), committed unless told. */
function treeRepo(name: string, commit = true): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const entry of ['ops', 'docs', 'surfaces']) if (existsSync(join(TREE, entry))) cpSync(join(TREE, entry), join(dir, entry), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  if (commit) git(dir, 'commit', '-q', '-m', 'a00cb7b7');
  return dir;
}

/** Replace one exact text of a file (it must occur once) and stage the file. */
function stageEdit(dir: string, path: string, edits: [from: string, to: string][]): void {
  let text = readFileSync(join(dir, path), 'utf8');
  for (const [from, to] of edits) {
    expect(text.split(from).length - 1, from).toBe(1);
    text = text.replace(from, to);
  }
  writeFileSync(join(dir, path), text);
  git(dir, 'add', path);
}

describe.skipIf(!present)('check --staged on the real spine: the change, not the debt (19-a00cb7b7)', () => {
  let repo: string;
  /** Every finding of the checks that read ssh.targets.yaml, before any edit: the existing debt. */
  let debt: JsonReport;

  beforeAll(() => {
    repo = treeRepo('spine');
    const before = cli(repo, ['check', '--format', 'json', '--now', NOW, SSH]);
    expect(before.status).toBe(1);
    debt = json(before);
    // Real drift the spec found at this commit is among it (device-identity-tables, D258/D259/D69…).
    expect(debt.results.filter((d) => d.checkId === 'device-identity-tables').map((d) => d.data.host)).toEqual(['communications-stack', 'surveillance-stack']);
    expect(debt.summary.errors).toBeGreaterThan(10);
  }, 60_000);

  it('one staged edit with one new problem: only its finding and the debt count line, exit 1 — as --staged and as the hook runs it', () => {
    // nas moves to a new tailnet address that the DEVICE_IDENTITY Tailscale Host Table does not have;
    // a comment line above moves every existing finding of the file one line down.
    stageEdit(repo, SSH, [
      ['# Last verified: 2026-03-05\n', '# Last verified: 2026-03-05\n# nas: new tailnet address after the re-enrolment\n'],
      ['      tailscale_ip: "100.102.199.111"', '      tailscale_ip: "100.102.199.112"'],
    ]);
    const n = debt.results.length;

    const staged = cli(repo, ['check', '--staged', '--now', NOW]);
    expect(staged.stderr).toBe('');
    expect(staged.status).toBe(1);
    expect(findingLines(staged.stdout)).toHaveLength(1);
    expect(findingLines(staged.stdout)[0]).toMatch(
      /^\s+\d+:\d+\s+error\s+Tailscale Host Table row 'nas' has 100\.102\.199\.111 but ssh\.targets 'nas' tailscale_ip is 100\.102\.199\.112\.\s+device-identity-tables$/,
    );
    expect(staged.stdout).toContain('docs/governance/DEVICE_IDENTITY_SSOT.md');
    expect(staged.stdout).toContain('✖ 1 problem (1 error, 0 warnings)\n');
    expect(staged.stdout).not.toContain('hidden (already at base or in baseline)');
    expect(staged.stdout.trimEnd().split('\n').at(-1)).toBe(debtLine(n));
    expect(staged.stdout).not.toContain('communications-stack');

    // The hook: its entry with the changed file as pre-commit passes it (and --cache), same answer.
    const hook = cli(repo, [...HOOK_ARGS, '--now', NOW, SSH]);
    expect(HOOK_ARGS).toContain('--staged');
    expect({ status: hook.status, stdout: hook.stdout, stderr: hook.stderr }).toEqual(staged);

    // JSON: the new finding only; the existing ones are counted in summary.hidden, as --base does.
    const report = json(cli(repo, ['check', '--staged', '--now', NOW, '--format', 'json']));
    expect(report.results.map((d) => `${d.checkId} ${d.messageId} ${d.file} ${String(d.data.host)}`)).toEqual([
      'device-identity-tables tailscaleIpMismatch docs/governance/DEVICE_IDENTITY_SSOT.md nas',
    ]);
    expect(report.summary).toMatchObject({ errors: 1, hidden: n });
    expect(debt.results.map((d) => d.fingerprint)).not.toContain(report.results[0]!.fingerprint);

    // --quiet counts the existing errors only.
    const quiet = cli(repo, ['check', '--staged', '--quiet', '--now', NOW]);
    expect(quiet.stdout.trimEnd().split('\n').at(-1)).toBe(`${debt.summary.errors} existing errors are not shown (HEAD has them too); --all-findings to list them`);

    // --all-findings: the debt is listed too, no count line; the exit code is the same.
    const all = cli(repo, ['check', '--staged', '--all-findings', '--now', NOW]);
    expect(all.status).toBe(1);
    expect(findingLines(all.stdout)).toHaveLength(n + 1);
    expect(all.stdout).toContain("ssh target 'communications-stack' (tailscale_ip 100.115.16.37) is missing from the DEVICE_IDENTITY Tailscale Host Table.");
    expect(all.stdout).toContain("Tailscale Host Table row 'nas'");
    expect(all.stdout).not.toContain('existing finding');
    const allJson = json(cli(repo, ['check', '--staged', '--all-findings', '--now', NOW, '--format', 'json']));
    expect(allJson.results).toHaveLength(n + 1);
    expect(allJson.summary.hidden).toBeUndefined();
    // With the hook's arguments (pre-commit's `args: [--all-findings]`).
    expect(cli(repo, [...HOOK_ARGS, '--all-findings', '--now', NOW, SSH]).stdout).toBe(all.stdout);

    // File arguments without --staged keep their meaning: every finding of the checks reading the file.
    const files = cli(repo, ['check', '--now', NOW, SSH]);
    expect(files.status).toBe(1);
    expect(findingLines(files.stdout)).toHaveLength(n + 1);
  }, 120_000);

  it('a harmless staged edit: exit 0, no finding, the debt count line', () => {
    git(repo, 'reset', '-q', '--hard', 'HEAD');
    stageEdit(repo, SSH, [['      description: "Synology NAS 918+"', '      description: "Synology NAS 918+ (backup target)"']]);
    for (const args of [
      ['check', '--staged', '--now', NOW],
      [...HOOK_ARGS, '--now', NOW, SSH],
    ]) {
      const r = cli(repo, args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.status, args.join(' ')).toBe(0);
      expect(findingLines(r.stdout)).toEqual([]);
      expect(r.stdout).toMatch(/^✔ no problems \(\d+ checks, \d+ files\)\n/);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(debtLine(debt.results.length));
    }
    // A staged file no check reads: the fast path still answers exit 0 silently, before the CLI loads.
    git(repo, 'reset', '-q', '--hard', 'HEAD');
    writeFileSync(join(repo, 'NOTES.txt'), 'not a binding\n');
    git(repo, 'add', 'NOTES.txt');
    const fast = spawnSync(process.execPath, [CLI, ...HOOK_ARGS, 'NOTES.txt'], { cwd: repo, env: { ...env, SPINE_LINT_DEBUG_FAST_PATH: '1' }, encoding: 'utf8' });
    expect(fast.stderr).toMatch(/^spine-lint: fast path: exit 0 \(/);
    expect(fast.status).toBe(0);
    expect(fast.stdout).toBe('');
    const allFast = spawnSync(process.execPath, [CLI, ...HOOK_ARGS, '--all-findings', 'NOTES.txt'], { cwd: repo, env: { ...env, SPINE_LINT_DEBUG_FAST_PATH: '1' }, encoding: 'utf8' });
    expect(allFast.stderr).toMatch(/^spine-lint: fast path: exit 0 \(/);
  }, 120_000);

  it('no commit yet (unborn HEAD): nothing to compare with, every finding is new', () => {
    const fresh = treeRepo('unborn', false);
    const staged = cli(fresh, ['check', '--staged', '--now', NOW, '--format', 'json']);
    expect(staged.status).toBe(1);
    const report = json(staged);
    expect(report.summary.hidden).toBeUndefined();
    // Everything is staged, so every check runs: the debt of the ssh.targets checks is all there.
    const fingerprints = new Set(report.results.map((d) => d.fingerprint));
    for (const d of debt.results) expect(fingerprints.has(d.fingerprint), `${d.checkId} ${d.file}`).toBe(true);
    expect(cli(fresh, ['check', '--staged', '--now', NOW, SSH]).stdout).not.toContain('existing finding');
  }, 120_000);
});
