/**
 * `check --staged` selects checks by their declared reads (packages/cli/src/prGate.ts `scopeOf`), so
 * an undeclared read is a missed finding in the pre-commit hook. These cases run the built CLI in
 * real temporary git repositories holding the example spine (test/reads-declared.test.ts verifies
 * the declarations themselves). Files a check reads because a binding lists them (`readsListedIn`)
 * select it too, through the pre-commit fast path (packages/cli/src/fastPath.cts) and the full
 * path alike. Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const SSH_TARGETS = 'ops/bindings/ssh.targets.yaml';
const LIFECYCLE = 'ops/bindings/vm.lifecycle.yaml';
const CONTRACT = 'ops/bindings/ssh.target.lifecycle.contract.yaml';

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};
const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd, env: gitEnv, encoding: 'utf8' });

/** Replace `from` (exactly once) by `to` in a file of the repository. */
function edit(dir: string, path: string, from: string, to: string): void {
  const text = readFileSync(join(dir, path), 'utf8');
  expect(text.split(from).length - 1, `'${from}' occurs once in ${path}`).toBe(1);
  writeFileSync(join(dir, path), text.replace(from, to));
}

/** A git repository holding the example spine, `prepare`d, committed. */
function exampleRepo(prepare: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'spine-staged-reads-'));
  repos.push(dir);
  cpSync(EXAMPLE, dir, { recursive: true });
  prepare(dir);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'spine');
  return dir;
}

interface JsonReport {
  results: { checkId: string; messageId: string; data: Record<string, unknown>; file: string; fingerprint: string }[];
  summary: { checksRun: number };
}

function check(dir: string, ...args: string[]): JsonReport {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { cwd: dir, env: { ...gitEnv, NO_COLOR: '1' }, encoding: 'utf8' });
  expect(r.status, r.stderr).not.toBe(2);
  return JSON.parse(r.stdout) as JsonReport;
}

const fingerprints = (r: JsonReport): string[] => r.results.map((f) => f.fingerprint).sort();

interface Run {
  status: number | null;
  stdout: string;
  /** The fast path's decision (SPINE_LINT_DEBUG_FAST_PATH), '' when not printed. */
  decision: string;
  stderr: string;
}

/** The built CLI as the hook runs it, with the fast path's decision line (or the fast path disabled). */
function run(dir: string, args: string[], opts: { fast?: boolean } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...gitEnv, NO_COLOR: '1', SPINE_LINT_DEBUG_FAST_PATH: '1' };
  if (opts.fast === false) env.SPINE_LINT_NO_FAST_PATH = '1';
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8' });
  const decision = /spine-lint: fast path: (.*)\n/.exec(r.stderr)?.[1] ?? '';
  return { status: r.status, stdout: r.stdout, decision, stderr: r.stderr.replace(/spine-lint: fast path: .*\n/, '') };
}

const SURFACE = 'surfaces/verify/verify-identity.sh';
/** The example spine with a shell surface listed in ssh.target.lifecycle.contract's active_reference_surfaces (D281 greps it). */
function surfaceRepo(contract = CONTRACT, extra: (dir: string) => void = () => {}): string {
  return exampleRepo((d) => {
    mkdirSync(join(d, 'surfaces/verify'), { recursive: true });
    writeFileSync(join(d, SURFACE), '#!/bin/sh\nssh observability true\n');
    writeFileSync(join(d, 'surfaces/verify/unlisted.sh'), '#!/bin/sh\nssh observability true\n');
    edit(d, CONTRACT, '  - ops/bindings/docker.compose.targets.yaml\n', `  - ops/bindings/docker.compose.targets.yaml\n  - ${SURFACE}\n`);
    if (contract !== CONTRACT) {
      mkdirSync(join(d, contract, '..'), { recursive: true });
      writeFileSync(join(d, contract), readFileSync(join(d, CONTRACT), 'utf8'));
      rmSync(join(d, CONTRACT));
    }
    extra(d);
  });
}

describe('check --staged runs every check that reads a staged file, through the host graph too', () => {
  it('a staged vm.lifecycle edit that breaks a host alias reports vm-target-readiness-bindings', () => {
    // Committed: the observability VM's ssh target is spelled `obs-vm`; vm.lifecycle joins it to the
    // relocation target `observability` (a decommissioned entry obs-vm → observability: a host-graph alias).
    const dir = exampleRepo((d) => {
      edit(d, SSH_TARGETS, '- id: "observability"', '- id: "obs-vm"');
      appendFileSync(
        join(d, LIFECYCLE),
        '\n  - id: 299\n    hostname: obs-vm\n    proxmox_host: pve\n    status: decommissioned\n    ssh_target: observability\n    description: "The name the observability VM\'s ssh target had before the rename."\n',
      );
    });
    expect(check(dir).results.filter((f) => f.checkId === 'vm-target-readiness-bindings')).toEqual([]);

    // Staged: only vm.lifecycle changes; the alias is gone, so `observability` has no ssh target.
    edit(dir, LIFECYCLE, '    status: decommissioned\n    ssh_target: observability\n', '    status: decommissioned\n    ssh_target: obs-legacy\n');
    git(dir, 'add', LIFECYCLE);
    expect(git(dir, 'diff', '--cached', '--name-only').trim()).toBe(LIFECYCLE);

    const full = check(dir);
    const finding = full.results.filter((f) => f.checkId === 'vm-target-readiness-bindings');
    expect(finding.map((f) => [f.messageId, f.data.target])).toEqual([['sshTargetBinding', 'observability']]);

    const staged = check(dir, '--staged');
    expect(staged.results.filter((f) => f.checkId === 'vm-target-readiness-bindings').map((f) => f.fingerprint)).toEqual(finding.map((f) => f.fingerprint));
    // And nothing else is missed: the staged run's new findings are those of a run of every check against HEAD.
    expect(fingerprints(staged)).toEqual(fingerprints(check(dir, '--base', 'HEAD')));
    expect(staged.summary.checksRun).toBeLessThan(full.summary.checksRun);
  });

  // A file listed in a `readsListedIn` binding (here a surface of ssh.target.lifecycle.contract) is
  // read by the check but named by no static `reads`: the CLI looks changed files up in those
  // bindings (scopeOf), lets files of any extension through to that test (mayMatter), and the fast
  // path sends the run to the full path when the listing's text mentions the file.
  it('a staged edit of a file listed in a readsListedIn binding runs the check that reads it', () => {
    const dir = surfaceRepo();
    appendFileSync(join(dir, SURFACE), 'ssh media-stack true\n');
    git(dir, 'add', SURFACE);
    const full = check(dir);
    expect(full.results.filter((f) => f.checkId === 'ssh-target-lifecycle' && f.file === SURFACE).map((f) => f.messageId)).toEqual(['referenced']);
    const staged = run(dir, ['check', '--staged', '--format', 'json']);
    expect(staged.decision).toBe(`full run (${SURFACE} may be listed in ${CONTRACT} (a check reads the files it lists))`);
    expect(staged.stdout, 'the staged run printed no report (nothing selected)').not.toBe('');
    const report = JSON.parse(staged.stdout) as JsonReport;
    expect(report.results.filter((f) => f.checkId === 'ssh-target-lifecycle').map((f) => f.messageId)).toEqual(['referenced']);
    // Only the checks that list (or read) the file ran, and the full path alone answers the same.
    expect(report.summary.checksRun).toBe(1);
    const slow = run(dir, ['check', '--staged', '--format', 'json'], { fast: false });
    expect(slow.decision).toMatch(/^full run \(disabled/);
    expect(fingerprints(JSON.parse(slow.stdout) as JsonReport)).toEqual(fingerprints(report));
    // The pre-commit framework's file argument alone (the working tree) selects it too.
    const arg = run(dir, ['check', '--format', 'json', SURFACE]);
    expect(arg.decision).toMatch(/^full run \(/);
    expect((JSON.parse(arg.stdout) as JsonReport).results.filter((f) => f.checkId === 'ssh-target-lifecycle' && f.file === SURFACE).map((f) => f.messageId)).toEqual(['referenced']);
  });

  it('a staged file no binding lists (nor any check reads) still takes the fast path: exit 0 without loading the CLI', () => {
    const dir = surfaceRepo();
    appendFileSync(join(dir, 'surfaces/verify/unlisted.sh'), 'ssh media-stack true\n');
    mkdirSync(join(dir, 'tools'));
    writeFileSync(join(dir, 'tools/deploy.py'), 'print("ssh media-stack")\n');
    git(dir, 'add', 'surfaces/verify/unlisted.sh', 'tools/deploy.py');
    for (const args of [
      ['check', '--staged'],
      ['check', '--staged', '--cache', '--quiet'],
      ['check', 'surfaces/verify/unlisted.sh'],
    ]) {
      const fast = run(dir, args);
      // The decision line says exit 0: bin.cjs returns before importing the CLI's main module.
      expect(fast.decision, args.join(' ')).toMatch(/^exit 0 \(.*none could be a binding or the config, none listed in ops\/bindings\//);
      expect({ status: fast.status, stdout: fast.stdout, stderr: fast.stderr }, args.join(' ')).toEqual({ status: 0, stdout: '', stderr: '' });
      // What the full path answers too: nothing selected, exit 0, no output.
      const slow = run(dir, args, { fast: false });
      expect({ status: slow.status, stdout: slow.stdout, stderr: slow.stderr }, args.join(' ')).toEqual({ status: 0, stdout: '', stderr: '' });
    }
    // A machine format always writes its (empty) document: the full path answers, still selecting nothing.
    const json = run(dir, ['check', '--staged', '--format', 'json']);
    expect(json.decision).toMatch(/^full run \(/);
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as JsonReport).results).toEqual([]);
    // With a Markdown file beside it (a possible binding no check reads): still the fast path.
    writeFileSync(join(dir, 'NOTES.md'), 'notes\n');
    git(dir, 'add', 'NOTES.md');
    expect(run(dir, ['check', '--staged']).decision).toMatch(/^exit 0 \(3 changed file\(s\), none read by a check, none listed in /);
  });

  it('the listing is read where the config puts it (paths:), from the index for --staged', () => {
    const moved = 'spine/ssh-contract.yaml';
    const dir = surfaceRepo(moved, (d) => writeFileSync(join(d, '.spine-lint.yaml'), readFileSync(join(d, '.spine-lint.yaml'), 'utf8') + `paths:\n  ssh.target.lifecycle.contract: ${moved}\n`));
    appendFileSync(join(dir, SURFACE), 'ssh media-stack true\n');
    git(dir, 'add', SURFACE);
    // The working tree no longer lists the surface (unstaged): the index, which --staged checks, does.
    edit(dir, moved, `  - ${SURFACE}\n`, '');
    const staged = run(dir, ['check', '--staged', '--format', 'json']);
    expect(staged.decision).toBe(`full run (${SURFACE} may be listed in ${moved} (a check reads the files it lists))`);
    expect((JSON.parse(staged.stdout) as JsonReport).results.filter((f) => f.checkId === 'ssh-target-lifecycle').map((f) => [f.messageId, f.file])).toEqual([['referenced', SURFACE]]);
    // The working tree (file arguments, no --staged) lists it no more: nothing relevant, both paths agree.
    const arg = run(dir, ['check', SURFACE]);
    expect(arg.decision).toMatch(/^exit 0 \(/);
    expect({ status: arg.status, stdout: arg.stdout }).toEqual({ status: 0, stdout: '' });
    const argSlow = run(dir, ['check', SURFACE], { fast: false });
    expect({ status: argSlow.status, stdout: argSlow.stdout, stderr: argSlow.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
    // With --base, the base's listing counts too: the path taken off the list still selects the check.
    const base = run(dir, ['check', '--base', 'HEAD', '--format', 'json', SURFACE]);
    expect(base.decision).toMatch(/^full run \(option --base/);
    expect(base.stdout, 'the --base run printed no report (nothing selected)').not.toBe('');
    expect((JSON.parse(base.stdout) as JsonReport).summary.checksRun).toBe(1);
  });
});
