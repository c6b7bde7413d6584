import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DirectorySource, runChecks, Workspace, type Check, type Diagnostic } from '@spine-lint/core';
import { catalog, defaultPaths } from '@spine-lint/checks';
import { TREES } from './corpus.js';

/**
 * The differential harness: a check against the reference bash gate's verdicts over the whole-tree
 * corpus (`../shared/corpus/trees/NN-*`), one oracle file per gate tier. A check gives the
 * reference's verdict and number of error findings on every comparable tree; every place where it
 * follows the gate's documented intent instead is listed in the spec and asserted finding by finding.
 */
export interface GateResult {
  verdict: 'pass' | 'fail' | 'timeout' | 'absent';
  count?: number | null;
  script_blob: string;
  now?: { utc: string };
  stdout: string[];
  stderr: string[];
}
interface Oracle {
  results: Record<string, GateResult>;
}

export interface GateSpec {
  alias: string;
  gate: string;
  /** Run "now" for time-dependent gates (the oracle's fixed clock). */
  clock?: boolean;
  /**
   * Documented divergences (see the check's docs page). `classify` names an error finding that exists
   * only because we follow the gate's intent (return its label), `extra[tree]` lists exactly the labels
   * expected on that tree (none when absent), and `missing[tree]` counts reference findings we
   * deliberately do not raise.
   */
  classify?: (d: Diagnostic) => string | undefined;
  extra?: Record<string, string[]>;
  missing?: Record<string, number>;
}

export interface Corpus {
  /** The trees holding the oracle file, sorted. */
  readonly trees: readonly string[];
  readonly oracle: (tree: string) => Oracle;
  /** Define the differential suite of one gate. */
  readonly differential: (spec: GateSpec) => void;
  readonly byAlias: (alias: string) => Check;
  /** One check's findings on a tree (the tree's workspace is shared by all runs). */
  readonly run: (check: Check, tree: string, now?: Date) => Diagnostic[];
}

/**
 * The corpus trees with `oracleFile`, and a suite builder. `comparable(gate)` picks the trees whose
 * oracle for the gate is comparable (default: all); `now` is the run date for gates without a clock.
 */
export function differentialCorpus(oracleFile: string, options: { comparable?: (gate: string, corpus: Pick<Corpus, 'trees' | 'oracle'>) => readonly string[]; now?: Date } = {}): Corpus {
  const trees = existsSync(TREES)
    ? readdirSync(TREES)
        .filter((d) => /^\d\d-/.test(d) && existsSync(`${TREES}/${d}/${oracleFile}`))
        .sort()
    : [];
  const oracles = new Map(trees.map((t) => [t, JSON.parse(readFileSync(`${TREES}/${t}/${oracleFile}`, 'utf8')) as Oracle]));
  const oracle = (tree: string): Oracle => oracles.get(tree)!;
  const workspaces = new Map<string, Workspace>();
  const workspaceOf = (tree: string): Workspace => {
    let ws = workspaces.get(tree);
    if (!ws) {
      ws = new Workspace(new DirectorySource(`${TREES}/${tree}`), { paths: defaultPaths });
      workspaces.set(tree, ws);
    }
    return ws;
  };
  const byAlias = (alias: string): Check => {
    const c = catalog.find((x) => (x.aliases ?? []).includes(alias));
    if (!c) throw new Error(`no check with alias ${alias}`);
    return c;
  };
  const defaultNow = options.now ?? new Date('2026-03-06T00:00:00Z');
  const run = (check: Check, tree: string, now = defaultNow): Diagnostic[] => runChecks({ workspace: workspaceOf(tree), checks: [check], now }).results.filter((d) => d.checkId === check.id);
  /** The reference's number of findings: the stated/line count, or 1 for a single-message failure. */
  const referenceCount = (r: GateResult): number => (r.verdict === 'pass' ? 0 : (r.count ?? 1));
  const comparable = (gate: string): readonly string[] => options.comparable?.(gate, { trees, oracle }) ?? trees;

  const differential = (spec: GateSpec): void => {
    const check = byAlias(spec.alias);
    describe(`${spec.alias} ${check.id} vs the reference gate`, () => {
      const list = comparable(spec.gate);
      it('has comparable trees', () => expect(list.length).toBeGreaterThan(0));
      for (const tree of list) {
        it(tree, () => {
          const ref = oracle(tree).results[spec.gate]!;
          const now = spec.clock && ref.now ? new Date(ref.now.utc) : defaultNow;
          const errors = run(check, tree, now).filter((d) => d.severity === 'error');
          const divergent = errors.flatMap((d) => {
            const label = spec.classify?.(d);
            return label === undefined ? [] : [label];
          });
          expect(divergent.sort(), 'documented divergences').toEqual([...(spec.extra?.[tree] ?? [])].sort());
          const remaining = errors.filter((d) => spec.classify?.(d) === undefined);
          const expected = referenceCount(ref) - (spec.missing?.[tree] ?? 0);
          expect(remaining.length, remaining.map((d) => `\n  ${d.file}:${d.line}:${d.column} ${d.message}`).join('')).toBe(expected);
          expect(remaining.length > 0, 'verdict').toBe(expected > 0);
        });
      }
    });
  };
  return { trees, oracle, differential, byAlias, run };
}
