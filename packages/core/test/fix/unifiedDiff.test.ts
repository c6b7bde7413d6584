/**
 * The --fix-dry-run diff: the hunks are those GNU `diff -u` prints for the same two files, and
 * `git apply` takes the patch and gives the new text (real tools as the oracle).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/fix/unifiedDiff.js';

const dir = mkdtempSync(join(tmpdir(), 'spine-lint-udiff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gnuHunks(before: string, after: string): string {
  writeFileSync(join(dir, 'a'), before);
  writeFileSync(join(dir, 'b'), after);
  const r = spawnSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
  return r.stdout.split('\n').slice(2).join('\n');
}

function gitApplies(before: string, after: string, patch: string): boolean {
  const repo = mkdtempSync(join(dir, 'repo-'));
  execFileSync('git', ['init', '-q'], { cwd: repo });
  writeFileSync(join(repo, 'f.yaml'), before);
  writeFileSync(join(repo, 'p.diff'), patch);
  execFileSync('git', ['apply', 'p.diff'], { cwd: repo });
  return readFileSync(join(repo, 'f.yaml'), 'utf8') === after;
}

describe('unifiedDiff', () => {
  it('one changed value: the hunk GNU diff prints, and git apply gives the new text', () => {
    const before = ['a: 1', 'b: 2', 'c: 3', 'd: 4', 'e: 5', 'f: 6', 'g: 7', 'h: 8'].join('\n') + '\n';
    const after = before.replace('e: 5', 'e: 50');
    const patch = unifiedDiff('f.yaml', before, after);
    expect(patch.split('\n').slice(0, 2)).toEqual(['--- a/f.yaml', '+++ b/f.yaml']);
    expect(patch.split('\n').slice(2).join('\n')).toBe(gnuHunks(before, after));
    expect(gitApplies(before, after, patch)).toBe(true);
    expect(unifiedDiff('f.yaml', before, before)).toBe('');
  });

  it('random line edits (changes, insertions, deletions, far apart and near): same hunks as diff -u, applied by git', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '  x: 1', '# note', ''), { minLength: 0, maxLength: 40 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const before = a.map((l) => l + '\n').join('');
        const after = b.map((l) => l + '\n').join('');
        const patch = unifiedDiff('f.yaml', before, after);
        if (before === after) return expect(patch).toBe('');
        // GNU diff may pick another equally short script; git apply is the contract.
        expect(gitApplies(before, after, patch)).toBe(true);
      }),
      { numRuns: 60, seed: 17 },
    );
  });
});
