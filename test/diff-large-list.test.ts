import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Hostile input for `spine-lint diff`: a binding with a list of 100 000 scalars, shuffled in the
 * working tree. jsondiffpatch's LCS is quadratic in time and memory (20 000 items: 40 s and 3.4 GB;
 * 32 000: V8 aborts, exit 134); large lists are matched in O(n log n) instead
 * (packages/core/src/diff/lists.ts). Run through the built CLI, in a real git repository, with a
 * 256 MB heap: before the fix this run aborted (out of memory, exit 134).
 */

const BIN = join(__dirname, '..', 'packages/cli/dist/bin.cjs');
const N = 100_000;
const FILE = 'ops/bindings/big.list.yaml';
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

/** A deterministic shuffle (LCG). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const items = Array.from({ length: N }, (_, i) => `item-${String(i).padStart(6, '0')}`);
const yamlList = (values: readonly string[]): string => `# ${values.length} items\nvalues:\n${values.map((v) => `  - ${v}\n`).join('')}`;

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'spine-diff-large-'));
  git(repo, 'init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'ops/bindings'), { recursive: true });
  writeFileSync(join(repo, FILE), yamlList(items)); // ~1.3 MB
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'a binding with a list of 100 000 scalars');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

/** The built CLI under a 256 MB heap (V8 aborts with exit 134 past it), timed. */
function diff(...args: string[]): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, 'diff', '--base', 'HEAD', '--no-color', ...args], {
    cwd: repo,
    env: { ...gitEnv, NODE_OPTIONS: '' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - start };
}

describe('spine-lint diff on a list of 100 000 scalars (256 MB heap)', () => {
  it('shuffled in the working tree: no semantic change, exit 0, in bounded time and memory', () => {
    writeFileSync(join(repo, FILE), yamlList(shuffled(items, 42)));
    const r = diff();
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0); // before: 134 (V8 out of memory)
    expect(r.stdout).toBe('No semantic changes between HEAD and the working tree.\n');
    expect(r.ms).toBeLessThan(30_000); // ~1.5 s
  }, 150_000);

  it('shuffled with two items removed and two added: exactly those four changes; --exit-code gives 1; --format json agrees', () => {
    const head = shuffled(
      items.filter((v) => v !== 'item-000123' && v !== 'item-099999'),
      7,
    );
    head.splice(500, 0, 'new-a');
    head.splice(70_000, 0, 'new-b');
    writeFileSync(join(repo, FILE), yamlList(head));

    const r = diff('--exit-code');
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1); // --exit-code and changes
    expect(r.ms).toBeLessThan(30_000);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      FILE,
      // Head lines: a comment, `values:`, then one item per line; a removal points at its list (which starts at 3:3).
      '  3:3      removed  values: "item-000123"',
      '  3:3      removed  values: "item-099999"',
      '  503:5    added    values: "new-a"',
      '  70003:5  added    values: "new-b"',
      '',
      '4 changes in 1 file (2 added, 2 removed, 0 changed) between HEAD and the working tree',
    ]);

    const j = diff('--format', 'json');
    expect(j.status).toBe(0);
    const json = JSON.parse(j.stdout) as { files: { file: string; changes: { kind: string; basePointer?: string; pointer: string }[] }[]; summary: Record<string, number> };
    expect(json.summary).toEqual({ files: 1, added: 2, removed: 2, changed: 0 });
    expect(json.files[0]!.changes.map((c) => `${c.kind} ${c.pointer} ${c.basePointer ?? ''}`)).toEqual([
      'removed /values /values/123',
      'removed /values /values/99999',
      'added /values/500 ',
      'added /values/70000 ',
    ]);
  }, 150_000);
});
