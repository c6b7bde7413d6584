/**
 * A fingerprint is a finding's identity (issue 16): unique within a report on every real tree, so a
 * baseline entry or `--base` never hides a second finding that happens to share a first one's
 * check, file, record and data.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectorySource, MemorySource, runChecks, syntaxScan, Workspace, type Diagnostic } from '@spine-lint/core';
import { catalog, defaultPaths } from '@spine-lint/checks';
import { TREES, treeFiles } from './support/corpus.js';

describe('fingerprints are unique per finding', () => {
  it('on every corpus tree, all checks and the syntax scan of ops/bindings: no two findings of a report share a fingerprint', () => {
    const trees = readdirSync(TREES)
      .filter((d) => /^\d\d-/.test(d))
      .sort();
    expect(trees.length).toBeGreaterThanOrEqual(19);
    let findings = 0;
    for (const tree of trees) {
      const report = runChecks({
        workspace: new Workspace(new DirectorySource(join(TREES, tree)), { paths: defaultPaths }),
        checks: catalog,
        now: new Date('2026-03-06T00:00:00Z'),
        producers: [syntaxScan(['ops/bindings'])],
      });
      const seen = new Map<string, string>();
      for (const d of report.results) {
        const where = `${tree} ${d.checkId} ${d.file}:${d.line}:${d.column} ${d.message}`;
        expect(seen.get(d.fingerprint), `${where} shares a fingerprint`).toBeUndefined();
        seen.set(d.fingerprint, where);
      }
      findings += report.results.length;
    }
    expect(findings).toBeGreaterThan(100);
  });

  it('two duplicate keys of one name in one file (the real cli.tools.inventory.yaml case): two findings, two fingerprints, the first stable when the second goes', () => {
    const twice = 'tools:\n  a:\n    name: x\n    name: y\n  b:\n    name: x\n    name: y\n';
    const once = 'tools:\n  a:\n    name: x\n    name: y\n  b:\n    name: x\n';
    const ws = new Workspace(new MemorySource({ 'ops/bindings/t.yaml': twice }));
    ws.yaml('ops/bindings/t.yaml');
    const both = runChecks({ workspace: ws, checks: [] }).results.filter((d) => d.checkId === 'parse');
    expect(both.map((d) => d.line)).toEqual([4, 7]);
    expect(new Set(both.map((d) => d.fingerprint)).size).toBe(2);
    const ws1 = new Workspace(new MemorySource({ 'ops/bindings/t.yaml': once }));
    ws1.yaml('ops/bindings/t.yaml');
    const first = runChecks({ workspace: ws1, checks: [] }).results.filter((d) => d.checkId === 'parse');
    expect(first.map((d) => d.fingerprint)).toEqual([both[0]!.fingerprint]);
  });
});

const NEWEST = '19-a00cb7b7';
const runOn = (files: Record<string, string>, now: string): Diagnostic[] =>
  runChecks({ workspace: new Workspace(new MemorySource(files), { paths: defaultPaths }), checks: catalog, now: new Date(now), producers: [syntaxScan(['ops/bindings'])] }).results;
/** Findings at the same place, of the same check and message, in both runs: their fingerprints must be equal. */
function expectSameIdentities(before: Diagnostic[], after: Diagnostic[], atLeast: number): void {
  const place = (d: Diagnostic): string => `${d.checkId} ${d.messageId} ${d.file}:${d.line}:${d.column}`;
  const afterByPlace = new Map(after.map((d) => [place(d), d]));
  let compared = 0;
  for (const d of before) {
    const twin = afterByPlace.get(place(d));
    if (!twin) continue;
    compared++;
    expect(twin.fingerprint, `${place(d)}: "${d.message}" → "${twin.message}"`).toBe(d.fingerprint);
  }
  expect(compared).toBeGreaterThanOrEqual(atLeast);
}

describe('fingerprints are identities, not measurements', () => {
  const files = treeFiles(NEWEST);

  it('moving the clock a day (a D58 baseline taken with --now 2026-03-05 still matches on 2026-03-06): every finding keeps its fingerprint', () => {
    const monday = runOn(files, '2026-03-05T00:00:00Z');
    const tuesday = runOn(files, '2026-03-06T00:00:00Z');
    const freshness = monday.filter((d) => d.checkId === 'ssot-freshness');
    expect(freshness.length).toBeGreaterThan(0);
    expect(freshness.some((d) => /\d+d ago/.test(d.message))).toBe(true);
    expectSameIdentities(monday, tuesday, monday.length - 5);
  });

  it('bumping a stale date to another stale date, and renaming a status (applied → migrated), leave untouched findings with their fingerprints', () => {
    const before = runOn(files, '2026-03-06T00:00:00Z');
    const stale = before.find((d) => d.checkId === 'ssot-freshness' && d.file?.startsWith('ops/bindings/'))!;
    const bumped = { ...files, [stale.file!]: files[stale.file!]!.replace(/(updated_at|last_verified|last_reviewed): ["']?(\d{4}-\d{2}-\d{2})["']?/, '$1: "2025-12-01"') };
    expect(bumped[stale.file!]).not.toBe(files[stale.file!]);
    const afterBump = runOn(bumped, '2026-03-06T00:00:00Z');
    const moved = afterBump.find((d) => d.checkId === 'ssot-freshness' && d.file === stale.file)!;
    expect(moved.message).not.toBe(stale.message);
    expect(moved.fingerprint).toBe(stale.fingerprint);
    expectSameIdentities(before, afterBump, before.length - 5);

    const renamed = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, p.startsWith('ops/bindings/') ? t.replace(/(status|state): applied\b/g, '$1: migrated') : t]));
    const afterRename = runOn(renamed, '2026-03-06T00:00:00Z');
    expectSameIdentities(before, afterRename, 20);
  });
});
