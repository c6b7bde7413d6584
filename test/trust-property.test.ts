/**
 * Property over the real corpus: a single realistic flaw in one binding — a duplicated key, a
 * syntax error, an emptied file, ssh targets written as a map — adds the one finding about that
 * flaw and no other. Every other finding after the mutation was already there before it (same
 * fingerprint: check, file, pointer, data), so no finding about a service, host or VM becomes false
 * because a binding it depends on could not be read. The unmutated verdicts are the reference
 * gates' (the differential tests), so what stays is true of the records as YAML loads them.
 *
 * Seeded (fast-check): the same mutations on every run; a failure prints the seed and the case.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DirectorySource, parseYamlDocument, runChecks, Workspace, type Report } from '@spine-lint/core';
import { catalog, defaultPaths, schemaProducer } from '@spine-lint/checks';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPresent, SNAPSHOTS, TREES } from './support/corpus.js';

const NOW = new Date('2026-03-05T12:00:00Z');
const BINDINGS = ['SERVICE_REGISTRY', 'ssh.targets', 'infra.relocation.plan', 'infra.placement.policy', 'services.health', 'backup.inventory', 'docker.compose.targets', 'vm.lifecycle'] as const;
const work = mkdtempSync(join(tmpdir(), 'spine-trust-prop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const roots = corpusPresent
  ? [
      ...readdirSync(SNAPSHOTS)
        .filter((d) => /^\d{3}-/.test(d))
        .filter((_, i) => i % 20 === 5)
        .map((d) => join(SNAPSHOTS, d)),
      join(TREES, '19-a00cb7b7'),
    ]
  : [];

function runOn(root: string): Report {
  const workspace = new Workspace(new DirectorySource(root), { paths: { ...defaultPaths } });
  return runChecks({ workspace, checks: catalog, now: NOW, producers: [schemaProducer()] });
}

const baselines = new Map<string, Report>();
const baselineOf = (root: string): Report => {
  let report = baselines.get(root);
  if (!report) baselines.set(root, (report = runOn(root)));
  return report;
};

type Mutation = { kind: 'duplicate-line'; at: number } | { kind: 'syntax' } | { kind: 'empty' } | { kind: 'targets-as-map' };

/** The mutated text, or undefined when this mutation does not apply to the file. */
function mutate(text: string, m: Mutation, binding: string): string | undefined {
  switch (m.kind) {
    case 'duplicate-line': {
      // A `key: scalar` line repeated right after itself: a duplicate key with the same value.
      const lines = text.split('\n');
      const candidates = lines.map((l, i) => (/^ +[A-Za-z_][\w.-]*: +[^\s#|>&*!{[][^#]*$/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (candidates.length === 0) return undefined;
      const i = candidates[m.at % candidates.length]!;
      lines.splice(i + 1, 0, lines[i]!);
      const out = lines.join('\n');
      // Only where YAML sees exactly one duplicate key and the same value (not inside a block scalar).
      const before = parseYamlDocument('x.yaml', text);
      const after = parseYamlDocument('x.yaml', out);
      const codes = after.problems.map((p) => p.code);
      if (codes.filter((c) => c === 'duplicate-key').length !== 1 || JSON.stringify(after.value) !== JSON.stringify(before.value)) return undefined;
      return out;
    }
    case 'syntax':
      return `${text}\n}{ broken: [\n`;
    case 'empty':
      return '';
    case 'targets-as-map': {
      if (binding !== 'ssh.targets') return undefined;
      const value = parse(text) as { ssh?: { targets?: { id?: string }[] } };
      const targets = value?.ssh?.targets;
      if (!Array.isArray(targets)) return undefined;
      value.ssh!.targets = Object.fromEntries(targets.map((t, i) => [String(t?.id ?? `t${i}`), t])) as never;
      return stringify(value);
    }
  }
}

let n = 0;
const applied: Record<Mutation['kind'], number> = { 'duplicate-line': 0, syntax: 0, empty: 0, 'targets-as-map': 0 };
describe.skipIf(!corpusPresent)('a single flaw in one binding adds its own finding and nothing else (corpus)', () => {
  it('duplicate keys, syntax errors, emptied files, targets as a map', () => {
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat(10_000) }),
      fc.constant({ kind: 'syntax' as const }),
      fc.constant({ kind: 'empty' as const }),
      fc.constant({ kind: 'targets-as-map' as const }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...roots), fc.constantFrom(...BINDINGS), mutation, (root, binding, m) => {
        const path = defaultPaths[binding];
        if (!existsSync(join(root, path))) return;
        const mutated = mutate(readFileSync(join(root, path), 'utf8'), m, binding);
        if (mutated === undefined) return;
        applied[m.kind]++;
        const copy = join(work, `case-${n++}`);
        cpSync(root, copy, { recursive: true });
        writeFileSync(join(copy, path), mutated);
        const before = baselineOf(root);
        const after = runOn(copy);
        const known = new Set(before.results.map((d) => d.fingerprint));
        // What is new must be about the flawed file itself, from the check that owns the flaw.
        const added = after.results.filter((d) => !known.has(d.fingerprint));
        const owner = m.kind === 'targets-as-map' ? 'schema' : 'parse';
        const stray = added.filter((d) => !(d.file === path && (d.checkId === owner || d.checkId === 'parse')));
        expect(
          stray.map((d) => `${d.checkId} ${d.file}:${d.line} ${d.message}`),
          `${m.kind} in ${path} of ${root}`,
        ).toEqual([]);
        expect(added.length, `${m.kind} in ${path} of ${root}: the flaw has a finding`).toBeGreaterThan(0);
        if (m.kind === 'duplicate-line') {
          // Same value (last wins): every earlier finding is still there, and the one new finding is the duplicate.
          expect(added.map((d) => `${d.checkId}:${String(d.data.code)}`)).toEqual(['parse:duplicate-key']);
          expect(after.results.filter((d) => known.has(d.fingerprint)).length).toBe(before.results.length);
        }
        rmSync(copy, { recursive: true, force: true });
      }),
      { seed: 20261203, numRuns: 60, endOnFailure: true },
    );
    // Not vacuous: every kind of flaw was really applied.
    for (const [kind, count] of Object.entries(applied)) expect(count, kind).toBeGreaterThanOrEqual(2);
  }, 240_000);
});
