/**
 * `check --fix` and `--fix-dry-run` (issue 17), as users run them: on a git copy of the example
 * spine through the built CLI (the one changed value, a second run changes nothing, the dry run's
 * diff is what `git apply` turns into the same files), the refusals, the safety of the write, and
 * on mutations of the newest real tree in-process (fixes introduce no finding, every YAML parses).
 *
 * Needs `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitCopyOfExample, REPO, runCli } from './support/exampleSpine.js';
import { MemorySource, runChecks, syntaxScan, Workspace, type Report } from '@spine-lint/core';
import { catalog, defaultPaths } from '@spine-lint/checks';
import { fixPasses, writeFixed } from '../packages/cli/src/fixRun.js';
import { treeFiles } from './support/corpus.js';

const REGISTRY = 'docs/governance/SERVICE_REGISTRY.yaml';

let scratch: string;
let counter = 0;
beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-fix-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const example = (): string => gitCopyOfExample(join(scratch, `case-${++counter}`));
const cli = (args: string[], cwd: string) => runCli(args, cwd, scratch);

describe('check --fix on the example spine', () => {
  it('exit 0 afterwards, git diff shows exactly the one changed value (the comment above it kept), and a second --fix changes nothing', () => {
    const root = example();
    const r = cli(['check', '--fix'], root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`spine-lint: applied 1 fix to ${REGISTRY}\n`);
    expect(r.stdout).toMatch(/✔ no problems/);
    const diff = git(root, 'diff', '-U0', '--no-color');
    expect(diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l))).toEqual(['-    host: docker-host', '+    host: observability']);
    const again = cli(['check', '--fix'], root);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe('');
    expect(git(root, 'diff', '-U0', '--no-color')).toBe(diff);
  });

  it('--fix-dry-run prints the unified diff and writes nothing; git apply of that diff gives what --fix writes', () => {
    const root = example();
    const dry = cli(['check', '--fix-dry-run'], root);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^--- a/${REGISTRY}\\n\\+\\+\\+ b/${REGISTRY}\\n@@ -47,7 \\+47,7 @@\\n`));
    expect(dry.stderr).toBe('spine-lint: 1 fix in 1 file would be applied; 0 error(s) and 0 warning(s) would remain (nothing was written)\n');
    expect(git(root, 'status', '--porcelain')).toBe('');
    writeFileSync(join(scratch, 'dry.diff'), dry.stdout);
    git(root, 'apply', join(scratch, 'dry.diff'));
    const applied = readFileSync(join(root, REGISTRY), 'utf8');
    git(root, 'checkout', '-q', '.');
    cli(['check', '--fix'], root);
    expect(readFileSync(join(root, REGISTRY), 'utf8')).toBe(applied);
  });

  it('the JSON finding carries the fix (edits by range), SARIF carries it as fixes[] (deletedRegion + insertedContent)', () => {
    const root = example();
    const json = JSON.parse(cli(['check', '-f', 'json'], root).stdout) as {
      results: { checkId: string; fix?: { description: string; edits: { file: string; range: { line: number; column: number; endLine: number; endColumn: number }; text: string }[] } }[];
    };
    for (const d of json.results) {
      expect(d.fix, d.checkId).toEqual({
        description: "set the SERVICE_REGISTRY host of 'grafana' to 'observability', as the relocation manifest says",
        edits: [{ file: REGISTRY, range: { line: 50, column: 11, endLine: 50, endColumn: 22 }, text: 'observability' }],
      });
    }
    const sarif = JSON.parse(cli(['check', '-f', 'sarif'], root).stdout) as { runs: { results: { fixes?: unknown[] }[] }[] };
    expect(sarif.runs[0]!.results[0]!.fixes).toEqual([
      {
        description: { text: "set the SERVICE_REGISTRY host of 'grafana' to 'observability', as the relocation manifest says" },
        artifactChanges: [
          {
            artifactLocation: { uri: REGISTRY, uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 50, startColumn: 11, endLine: 50, endColumn: 22 }, insertedContent: { text: 'observability' } }],
          },
        ],
      },
    ]);
  });

  it('refused with --base, --head, --staged and --update-baseline, and --fix with --fix-dry-run (exit 2, nothing written)', () => {
    const root = example();
    for (const args of [['--base', 'HEAD'], ['--head', 'HEAD'], ['--staged'], ['--baseline', 'b.json', '--update-baseline'], ['--fix-dry-run']]) {
      const r = cli(['check', '--fix', ...args], root);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^spine-lint: --fix (edits the working tree's bindings; it cannot be combined with --|writes the fixes, --fix-dry-run prints them: give one)/);
    }
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('a binding changed on disk after the run read it is not overwritten: exit 2, nothing written', () => {
    const root = example();
    const before = readFileSync(join(root, REGISTRY), 'utf8');
    writeFileSync(join(root, REGISTRY), before + '# edited meanwhile\n');
    expect(() => writeFixed(root, new Map([[REGISTRY, { before, after: before.replace('host: docker-host', 'host: observability') }]]))).toThrow(
      /--fix: docs\/governance\/SERVICE_REGISTRY.yaml changed on disk while spine-lint ran/,
    );
    expect(readFileSync(join(root, REGISTRY), 'utf8')).toBe(before + '# edited meanwhile\n');
  });

  it('a binding that starts with a byte order mark is fixed and keeps it', () => {
    const root = example();
    const text = readFileSync(join(root, REGISTRY), 'utf8');
    writeFileSync(join(root, REGISTRY), `\ufeff${text}`);
    const r = cli(['check', '--fix'], root);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(root, REGISTRY), 'utf8')).toBe(`\ufeff${text.replace('    host: docker-host\n    port: 3000', '    host: observability\n    port: 3000')}`);
  });

  it('two manifest entries for one service want different hosts: no fix follows "the" manifest (no ping-pong, nothing written)', () => {
    const root = example();
    const plan = 'ops/bindings/infra.relocation.plan.yaml';
    const text = readFileSync(join(root, plan), 'utf8');
    writeFileSync(join(root, plan), text.replace(/^ {2}- service: "loki"/m, '  - service: "grafana"\n    to_host: "infra-core"\n    status: "applied"\n$&'));
    git(root, 'commit', '-qam', 'two entries for grafana');
    const r = cli(['check', '--fix'], root);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(git(root, 'status', '--porcelain')).toBe('');
    // The duplicate entries are what the findings say.
    expect(r.stdout).toMatch(/relocation-unique-ids/);
  });

  it('fix passes: fixes wanting different text at one place are contested (neither applied); fixes that keep undoing each other do not settle', () => {
    const file = 'a.yaml';
    const ws = new Workspace(new MemorySource({ [file]: 'host: x\n' }), { paths: {} });
    const finding = (text: string) => ({ fix: { description: text, edits: [{ file, range: { line: 1, column: 7, endLine: 1, endColumn: 8 }, text }] }, data: {} });
    const report = (...results: unknown[]) => ({ results }) as unknown as Report;
    const contested = fixPasses(
      report(finding('y'), finding('z'), finding('y')),
      ws,
      () => report(),
      () => ws,
      new MemorySource({}),
    );
    expect(contested).toMatchObject({ contested: 2, fixesApplied: 0, settled: true });
    expect(contested.changed.size).toBe(0);
    // Each pass's fix turns the value into the other one: after MAX_PASSES it has not settled, and writeFixed refuses.
    const flip = (w: Workspace) => report(finding(w.text(file)!.includes('host: y') ? 'z' : 'y'));
    const pingPong = fixPasses(flip(ws), ws, flip, (overlay) => new Workspace(overlay, { paths: {} }), new MemorySource({ [file]: 'host: x\n' }));
    expect(pingPong.settled).toBe(false);
    expect(() => writeFixed(scratch, pingPong.changed, pingPong)).toThrow(/the fixes still changed the bindings after 10 passes \(they undo each other\); nothing was written/);
  });

  it('a write that fails after another file was written names the file already written', () => {
    const root = example();
    const a = 'ops/bindings/ssh.targets.yaml';
    const before = readFileSync(join(root, REGISTRY), 'utf8');
    const other = readFileSync(join(root, a), 'utf8');
    // The second file is a link inside the root: it reads as its target, but no write goes through a link.
    writeFileSync(join(root, 'ops/bindings/ssh.targets.real'), other);
    rmSync(join(root, a));
    symlinkSync('ssh.targets.real', join(root, a));
    const changed = new Map([
      [REGISTRY, { before, after: before.replace('host: docker-host', 'host: observability') }],
      [a, { before: other, after: `${other}# x\n` }],
    ]);
    expect(() => writeFixed(root, changed)).toThrow(new RegExp(`already written: ${REGISTRY.replace(/\//g, '\\/')}; the others were not\\)$`));
    expect(readFileSync(join(root, REGISTRY), 'utf8')).toContain('host: observability');
    expect(readFileSync(join(root, 'ops/bindings/ssh.targets.real'), 'utf8')).toBe(other);
  });
});

describe('fixes on mutations of the newest real tree', () => {
  const files = treeFiles('19-a00cb7b7');
  const PLAN = 'ops/bindings/infra.relocation.plan.yaml';
  const run = (ws: Workspace): Report => runChecks({ workspace: ws, checks: catalog, now: new Date('2026-03-06T00:00:00Z'), producers: [syntaxScan(['ops/bindings'])] });
  const workspace = (source: ConstructorParameters<typeof Workspace>[0]) => new Workspace(source, { paths: defaultPaths });

  it('statuses and states respelt (Applied, CUTOVER, rolled_back) or renamed to migrated: the fixes restore them, introduce no finding, and every YAML file still parses', () => {
    const statusLines = [...files[PLAN]!.matchAll(/^(\s+(?:status|state): )"?([a-z-]+)"?/gm)].map((m) => m.index!);
    expect(statusLines.length).toBeGreaterThan(5);
    const respell = (v: string, how: number): string => (how === 0 ? v[0]!.toUpperCase() + v.slice(1) : how === 1 ? v.toUpperCase() : how === 2 ? v.replace(/-/g, '_') : 'migrated');
    let fixedRuns = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(statusLines.length - 1), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(3), { minLength: 4, maxLength: 4 }), (which, hows) => {
        let plan = files[PLAN]!;
        for (const [n, i] of which.entries()) {
          const at = statusLines[i]!;
          plan = plan.slice(0, at) + plan.slice(at).replace(/^(\s+(?:status|state): )("?)([a-z-]+)/, (_, key: string, q: string, v: string) => key + q + respell(v, hows[n]!));
        }
        const mutated = { ...files, [PLAN]: plan };
        const source = new MemorySource(mutated);
        const ws = workspace(source);
        const before = run(ws);
        const outcome = fixPasses(before, ws, run, (overlay) => workspace(overlay), source);
        const known = new Set(before.results.map((d) => d.fingerprint));
        expect(outcome.report.results.filter((d) => !known.has(d.fingerprint)).map((d) => `${d.checkId} ${d.file}:${d.line} ${d.message}`)).toEqual([]);
        for (const [file, { after }] of outcome.changed) {
          expect(file).toBe(PLAN);
          expect(parseAllDocuments(after).every((doc) => doc.errors.length === 0)).toBe(true);
        }
        expect(outcome.passes).toBeLessThanOrEqual(2);
        if (outcome.changed.size > 0) fixedRuns++;
      }),
      { numRuns: 6, seed: 2026 },
    );
    expect(fixedRuns).toBeGreaterThan(0);
  });
});
