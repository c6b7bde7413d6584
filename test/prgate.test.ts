import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/main.js';
import type { CliIo } from '../packages/cli/src/io.js';
import { SNAPSHOTS } from './support/corpus.js';

const BIN = join(__dirname, '..', 'packages/cli/dist/bin.cjs');
const PLAN = 'ops/bindings/infra.relocation.plan.yaml';
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** The snapshot directory whose name ends with this commit's short sha. */
const snapshot = (sha: string): string => {
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const dir = readdirSync(SNAPSHOTS).find((d) => d.endsWith('-' + sha));
  if (!dir) throw new Error(`no snapshot for ${sha}`);
  return join(SNAPSHOTS, dir);
};

/** Replace the repository's bindings with a snapshot's. */
function loadSnapshot(repo: string, sha: string): void {
  rmSync(join(repo, 'ops'), { recursive: true, force: true });
  rmSync(join(repo, 'docs'), { recursive: true, force: true });
  cpSync(join(snapshot(sha), 'ops'), join(repo, 'ops'), { recursive: true });
  cpSync(join(snapshot(sha), 'docs'), join(repo, 'docs'), { recursive: true });
}

/** A repository with `main` at the first snapshot and a branch `pr` at the second (the real commit replayed). */
function replay(baseSha: string, headSha: string): string {
  const repo = mkdtempSync(join(tmpdir(), `spine-prgate-${headSha}-`));
  repos.push(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), '# spine\n');
  loadSnapshot(repo, baseSha);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', `snapshot ${baseSha}`);
  git(repo, 'checkout', '-q', '-b', 'pr');
  loadSnapshot(repo, headSha);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', `snapshot ${headSha}`);
  return repo;
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTTY: false, stderrIsTTY: false, cwd, env: {} };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

interface JsonReport {
  results: { checkId: string; messageId: string; message: string; line: number; column: number; file: string; severity: string; fingerprint: string; data: Record<string, unknown> }[];
  summary: { errors: number; warnings: number; hidden?: number; checksRun: number };
}
const json = (text: string): JsonReport => JSON.parse(text) as JsonReport;
const transitions = (r: JsonReport) => r.results.filter((d) => /-transition$/.test(d.checkId));

describe('check --base: the historical violations replayed as commits', () => {
  it('planning → cleanup jump at 3fdc9fef', async () => {
    const repo = replay('d16ed6f0', '3fdc9fef');
    const r = await cli(['check', '--base', 'main', '--head', 'pr', '--format', 'json'], repo);
    expect(r.code).toBe(1);
    const t = transitions(json(r.stdout));
    const state = t.filter((d) => d.checkId === 'relocation-state-transition');
    expect(state).toHaveLength(1);
    expect(state[0]).toMatchObject({ messageId: 'invalidEdge', data: { from: 'planning', to: 'cleanup', allowed: 'planning, preflight' }, file: PLAN });
    const line = readFileSync(join(repo, PLAN), 'utf8').split('\n')[state[0]!.line - 1]!;
    expect(line.slice(state[0]!.column - 1)).toMatch(/^"?cleanup/);
    expect(t.filter((d) => d.checkId === 'service-status-transition' && d.messageId === 'invalidEdge')).toHaveLength(29);
  });

  it('complete → planning restart at 04e1158e', async () => {
    const repo = replay('0ceefd79', '04e1158e');
    const r = await cli(['check', '--base', 'main', '--head', 'pr', '--format', 'json', '--only', 'relocation-state-transition'], repo);
    expect(r.code).toBe(1);
    expect(transitions(json(r.stdout))).toEqual([
      expect.objectContaining({ messageId: 'restart', data: expect.objectContaining({ from: 'complete', to: 'planning', allowed: 'complete', changeId: 'LOOP-MEDIA-STACK-SPLIT-20260208' }) }),
    ]);
  });

  it('the mass migrated → applied rename at 1143f61a is a rename: it passes, with one note', async () => {
    const repo = replay(snapshotBefore('1143f61a'), '1143f61a');
    const r = await cli(['check', '--base', 'main', '--head', 'pr', '--format', 'json', '--only', 'service-status-transition'], repo);
    const t = transitions(json(r.stdout));
    expect(t).toEqual([expect.objectContaining({ messageId: 'renamed', severity: 'warning', data: expect.objectContaining({ count: 29, from: 'migrated', to: 'applied' }) })]);
    expect(r.code).toBe(0);
  });

  it('the built CLI reports the jump in stylish form against a branch (spawned)', () => {
    const repo = replay('d16ed6f0', '3fdc9fef');
    const out = spawnSync(process.execPath, [BIN, 'check', '--base', 'main', '--only', 'relocation-state-transition'], { cwd: repo, encoding: 'utf8' });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(
      /ops\/bindings\/infra\.relocation\.plan\.yaml\n\s+\d+:\d+\s+error\s+relocation state 'planning' → 'cleanup' is not an allowed transition \(allowed from 'planning': planning, preflight\)\s+relocation-state-transition/,
    );
  });

  it('an unknown base revision is a usage error (exit 2)', async () => {
    const repo = replay('d16ed6f0', '3fdc9fef');
    const r = await cli(['check', '--base', 'no-such-rev'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown git revision 'no-such-rev'/);
  });
});

function snapshotBefore(sha: string): string {
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const dirs = readdirSync(SNAPSHOTS)
    .filter((d) => /^\d{3}-/.test(d))
    .sort();
  const i = dirs.findIndex((d) => d.endsWith(sha));
  return dirs[i - 1]!.slice(4);
}

describe('check --base: new-only mode', () => {
  it('hides findings the base already had (even after an edit above them) and reports the new one', async () => {
    // 3fdc9fef: a running relocation (cleanup) whose 29 `migrated` services get the legacy-name warning
    // (a completed relocation's services get none, see relocation-vocabulary).
    const repo = replay('3fdc9fef', '3fdc9fef');
    const plan = readFileSync(join(repo, PLAN), 'utf8');
    // Unrelated edits above the existing findings, and one new problem (a status typo).
    const edited = '# reviewed 2026-02-08\n# (comment added above every finding)\n' + plan.replace(/status: "migrated"(\s*\n)(?![\s\S]*status: "migrated")/, 'status: "Migrated"$1');
    expect(edited).not.toBe(plan);
    writeFileSync(join(repo, PLAN), edited);
    const full = json((await cli(['check', '--format', 'json', '--only', 'relocation-vocabulary'], repo)).stdout);
    const r = await cli(['check', '--base', 'pr', '--format', 'json', '--only', 'relocation-vocabulary'], repo);
    const report = json(r.stdout);
    expect(report.results.map((d) => `${d.messageId} ${d.data.value}`)).toEqual(['unknownServiceStatus Migrated']);
    expect(report.summary.hidden).toBe(full.results.length - 1);
    expect(report.summary.hidden).toBeGreaterThan(3);
    expect(r.code).toBe(1);
  });
});

describe('--baseline and --update-baseline', () => {
  it('writes only the named file, hides what it lists, and reports entries that no longer match', async () => {
    const repo = replay('3fdc9fef', '3fdc9fef');
    const status = git(repo, 'status', '--porcelain');
    const w = await cli(['check', '--baseline', 'spine-baseline.json', '--update-baseline', '--only', 'relocation-vocabulary', '--format', 'json'], repo);
    expect(w.stderr).toMatch(/wrote \d+ findings? to the baseline spine-baseline.json/);
    expect(w.code).toBe(0);
    expect(git(repo, 'status', '--porcelain')).toBe(status + '?? spine-baseline.json\n');
    const baseline = JSON.parse(readFileSync(join(repo, 'spine-baseline.json'), 'utf8')) as { files: Record<string, Record<string, { count: number }>> };
    const known = baseline.files[PLAN]!['relocation-vocabulary']!.count;
    expect(known).toBeGreaterThan(3);

    const again = json((await cli(['check', '--baseline', 'spine-baseline.json', '--only', 'relocation-vocabulary', '--format', 'json'], repo)).stdout);
    expect(again.results).toEqual([]);
    expect(again.summary.hidden).toBe(known);

    // Fix one finding (migrated → applied for the first service): its entry is now stale.
    const plan = readFileSync(join(repo, PLAN), 'utf8');
    writeFileSync(join(repo, PLAN), plan.replace('status: "migrated"', 'status: "applied"'));
    const after = await cli(['check', '--baseline', 'spine-baseline.json', '--only', 'relocation-vocabulary', '--format', 'json'], repo);
    const stale = json(after.stdout).results;
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ checkId: 'baseline', messageId: 'unused-entry', severity: 'warning', file: PLAN });
    expect(after.code).toBe(0);
  });

  it('--update-baseline without a file is a usage error; nothing is written', async () => {
    const repo = replay('279e3568', '279e3568');
    const r = await cli(['check', '--update-baseline'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--update-baseline needs --baseline FILE/);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('pre-commit: --staged and file arguments', () => {
  it('--staged checks the index against HEAD, not the working tree', async () => {
    const repo = replay('d16ed6f0', 'd16ed6f0');
    const planning = readFileSync(join(repo, PLAN), 'utf8');
    writeFileSync(join(repo, PLAN), readFileSync(join(snapshot('3fdc9fef'), PLAN), 'utf8'));
    git(repo, 'add', PLAN);
    writeFileSync(join(repo, PLAN), planning); // the working tree is back at planning; the index holds the jump
    const staged = await cli(['check', '--staged', '--format', 'json', '--only', 'relocation-state-transition'], repo);
    expect(transitions(json(staged.stdout)).map((d) => d.messageId)).toEqual(['invalidEdge']);
    expect(staged.code).toBe(1);
    const tree = await cli(['check', '--base', 'HEAD', '--format', 'json', '--only', 'relocation-state-transition'], repo);
    expect(transitions(json(tree.stdout))).toEqual([]);
  });

  it('nothing relevant staged or passed: exit 0 at once, with no output', async () => {
    const repo = replay('d16ed6f0', 'd16ed6f0');
    writeFileSync(join(repo, 'README.md'), '# changed\n');
    git(repo, 'add', 'README.md');
    mkdirSync(join(repo, 'docs'), { recursive: true });
    writeFileSync(join(repo, 'docs/notes.txt'), 'notes\n');
    for (const argv of [
      ['check', '--staged'],
      ['check', 'README.md'],
      ['check', 'docs/notes.txt'],
    ]) {
      const r = await cli(argv, repo);
      expect(r, argv.join(' ')).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    const spawned = spawnSync(process.execPath, [BIN, 'check', 'README.md'], { cwd: repo, encoding: 'utf8' });
    expect(spawned.status).toBe(0);
    expect(spawned.stdout).toBe('');
  });

  it('file arguments run only the checks whose bindings include a changed file', async () => {
    const repo = replay('279e3568', '279e3568');
    const all = json((await cli(['check', '--format', 'json'], repo)).stdout);
    const scoped = json((await cli(['check', '--format', 'json', PLAN], repo)).stdout);
    expect(scoped.summary.checksRun).toBeGreaterThan(0);
    expect(scoped.summary.checksRun).toBeLessThan(all.summary.checksRun);
    const { catalog } = await import('@spine-lint/checks');
    // The checks that name the plan, and those reading a glob it matches (ssot-freshness: ops/bindings/*.yaml).
    const reading = catalog.filter((c) => c.kind === 'static' && (c.reads.includes('infra.relocation.plan') || c.reads.includes('ops/bindings/*.yaml'))).length;
    expect(scoped.summary.checksRun).toBe(reading);
    // A binding no check reads still gets its syntax checked.
    writeFileSync(join(repo, 'ops/bindings/extra.yaml'), 'a: [\n');
    const extra = json((await cli(['check', '--format', 'json', 'ops/bindings/extra.yaml'], repo)).stdout);
    expect(extra.results.map((d) => `${d.checkId} ${d.file}`)).toContain('parse ops/bindings/extra.yaml');
  });

  it('a glob read selects its check: any changed binding runs ssot-freshness (D58 reads ops/bindings/*.yaml)', async () => {
    const { scopeOf } = await import('../packages/cli/src/prGate.js');
    const { catalog, defaultPaths, defaultBindingDirs } = await import('@spine-lint/checks');
    const { MemorySource, Workspace } = await import('@spine-lint/core');
    const s = { workspace: new Workspace(new MemorySource({}), { paths: defaultPaths }), bindingDirs: [...defaultBindingDirs], checks: catalog };
    const only = (changed: string[]): string[] => scopeOf(s, changed, [], false).only ?? [];
    expect(only(['ops/bindings/gate.registry.yaml'])).toEqual(expect.arrayContaining(['ssot-freshness', 'parse', 'schema']));
    expect(only(['docs/governance/MINILAB_SSOT.md'])).toContain('ssot-freshness');
    // `*` stays inside one path segment, and the extension is part of the glob.
    expect(only(['ops/bindings/archive/old.yaml'])).not.toContain('ssot-freshness');
    expect(only(['ops/bindings/notes.txt'])).not.toContain('ssot-freshness');
    // A file read by exact path selects the checks that name it, not the glob readers only.
    expect(only(['ops/bindings/ssh.targets.yaml'])).toEqual(expect.arrayContaining(['ssot-freshness', 'relocation-parity', 'ssh-lifecycle-parity']));
  });
});

describe('spine-lint diff', () => {
  it('the Phase 4 rollout (c73c3ac1 → 279e3568) lists every added record once, with head positions', async () => {
    const repo = replay('e24c7772', '279e3568');
    const r = await cli(['diff', '--base', 'main', '--head', 'pr'], repo);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const once = (re: RegExp): void =>
      expect(
        lines.filter((l) => re.test(l)),
        String(re),
      ).toHaveLength(1);
    for (const s of ['prometheus', 'grafana', 'loki', 'uptime-kuma', 'node-exporter']) {
      once(new RegExp(`^\\s+\\d+:\\d+\\s+added\\s+services\\.${s}$`));
      once(new RegExp(`^\\s+\\d+:\\d+\\s+added\\s+endpoints\\[${s}\\]$`));
      once(new RegExp(`^\\s+\\d+:\\d+\\s+added\\s+stacks\\[${s}\\]$`));
      once(new RegExp(`^\\s+\\d+:\\d+\\s+added\\s+targets\\.observability\\.stacks\\[${s}\\]$`));
    }
    once(/added\s+hosts\.observability$/);
    once(/added\s+targets\[vm-205-observability-primary\]$/);
    once(/changed\s+active_relocation\.state: "cutover" → "complete"$/);
    expect(r.stdout).toMatch(/between main and pr\n$/);
  });

  it('--format json gives the structured changes; the working tree is the default head', async () => {
    const repo = replay('e24c7772', 'e24c7772');
    writeFileSync(join(repo, PLAN), readFileSync(join(repo, PLAN), 'utf8').replace('state: "cutover"', 'state: "cleanup"'));
    const r = await cli(['diff', '--base', 'HEAD', '--format', 'json'], repo);
    const out = JSON.parse(r.stdout) as { head: string; files: { file: string; changes: { kind: string; path: string; before: unknown; after: unknown; line: number }[] }[] };
    expect(out.head).toBe('the working tree');
    expect(out.files).toEqual([{ file: PLAN, status: 'modified', changes: [expect.objectContaining({ kind: 'changed', path: 'active_relocation.state', before: 'cutover', after: 'cleanup' })] }]);
    expect(existsSync(join(repo, '.git/index.lock'))).toBe(false);
  });

  it('needs --base', async () => {
    const repo = replay('e24c7772', 'e24c7772');
    expect((await cli(['diff'], repo)).code).toBe(2);
  });
});
