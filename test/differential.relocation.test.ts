/**
 * Differential test: our relocation-parity (D35) and placement-policy (D37) against the verdicts of
 * the reference bash gates on every snapshot of the corpus (../shared/corpus/snapshots). In-process:
 * Workspace + DirectorySource + runChecks. Each documented divergence is asserted explicitly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectorySource, runChecks, Workspace, type Check } from '@spine-lint/core';
import { catalog, defaultPaths } from '@spine-lint/checks';

const SNAPSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus', 'snapshots');

interface GateResult {
  present: boolean;
  exit_code: number | null;
  verdict: 'pass' | 'fail' | 'absent';
  stdout: string[];
  stderr: string[];
}
type Oracle = { results: Record<'d35' | 'd37' | 'checker' | 'parity', GateResult> };

const snapshots = existsSync(SNAPSHOTS)
  ? readdirSync(SNAPSHOTS)
      .filter((d) => /^\d{3}-[0-9a-f]{8}$/.test(d))
      .sort()
  : [];

/** The oracle of a gate: the snapshot's own scripts, or the newest scripts when the gate did not exist yet. */
function oracleFor(dir: string, gate: keyof Oracle['results']): GateResult {
  const own = (JSON.parse(readFileSync(join(SNAPSHOTS, dir, 'oracle.json'), 'utf8')) as Oracle).results[gate];
  if (own.verdict !== 'absent') return own;
  const headPath = join(SNAPSHOTS, dir, 'oracle.head.json');
  return existsSync(headPath) ? (JSON.parse(readFileSync(headPath, 'utf8')) as Oracle).results[gate] : own;
}

/** `(N issue(s))` on the last stderr line; `undefined` for a fatal failure without a count, or a pass. */
function issueCount(result: GateResult): number | undefined {
  const m = /\((\d+) issue\(s\)\)/.exec(result.stderr[result.stderr.length - 1] ?? '');
  return m ? Number(m[1]) : undefined;
}

const byId = (id: string): Check => catalog.find((c) => c.id === id)!;

function run(dir: string, checkId: string): { verdict: 'pass' | 'fail'; errors: number; messages: string[] } {
  const workspace = new Workspace(new DirectorySource(join(SNAPSHOTS, dir)), { paths: defaultPaths });
  const report = runChecks({ workspace, checks: [byId(checkId)], now: new Date('2026-03-05T00:00:00Z') });
  const ours = report.results.filter((r) => r.checkId === checkId && r.severity === 'error');
  const crashes = report.results.filter((r) => r.checkId === 'check-error');
  expect(crashes, crashes.map((c) => c.message).join('\n')).toEqual([]);
  return { verdict: ours.length > 0 ? 'fail' : 'pass', errors: ours.length, messages: ours.map((r) => r.message) };
}

describe.skipIf(snapshots.length === 0)('differential: relocation-parity (D35) vs the reference', () => {
  it('covers every snapshot', () => {
    expect(snapshots.length).toBeGreaterThanOrEqual(158);
  });
  it.each(snapshots)('%s', (dir) => {
    const oracle = oracleFor(dir, 'd35');
    const ours = run(dir, 'relocation-parity');
    expect(ours.verdict, ours.messages.join('\n')).toBe(oracle.verdict);
    expect(ours.errors).toBe(issueCount(oracle) ?? (oracle.verdict === 'fail' ? 1 : 0));
  });
});
