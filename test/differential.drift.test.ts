import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectorySource, runChecks, Workspace, type Check, type Diagnostic } from '@spine-lint/core';
import { catalog, defaultPaths } from '@spine-lint/checks';
import './support/corpus.js'; // fails on CI when the corpus is missing instead of skipping

/**
 * Differential test of the drift checks against the reference bash gates, over the whole-tree corpus
 * (`../shared/corpus/trees`). A check must give the reference's verdict and its number of error
 * findings on every tree whose oracle was produced by the newest gate script (same `script_blob` as
 * `19-a00cb7b7`); every place where we follow the gate's documented intent instead is listed below
 * and asserted finding by finding.
 */
const TREES = fileURLToPath(new URL('../../shared/corpus/trees/', import.meta.url));
const HEAD = '19-a00cb7b7';

interface GateResult {
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

const trees = existsSync(TREES)
  ? readdirSync(TREES)
      .filter((d) => /^\d\d-/.test(d))
      .sort()
  : [];
const oracle = (tree: string): Oracle => JSON.parse(readFileSync(`${TREES}${tree}/oracle.json`, 'utf8')) as Oracle;
const oracles = new Map(trees.map((t) => [t, oracle(t)]));
const workspaces = new Map<string, Workspace>();
const workspaceOf = (tree: string): Workspace => {
  let ws = workspaces.get(tree);
  if (!ws) {
    ws = new Workspace(new DirectorySource(`${TREES}${tree}`), { paths: defaultPaths });
    workspaces.set(tree, ws);
  }
  return ws;
};

const byAlias = (alias: string): Check => {
  const c = catalog.find((x) => (x.aliases ?? []).includes(alias));
  if (!c) throw new Error(`no check with alias ${alias}`);
  return c;
};

function run(check: Check, tree: string, now?: Date): Diagnostic[] {
  const report = runChecks({ workspace: workspaceOf(tree), checks: [check], now: now ?? new Date('2026-03-06T00:00:00Z') });
  return report.results.filter((d) => d.checkId === check.id);
}

/** Trees whose oracle for `gate` came from the newest script (the only ones comparable). */
const comparable = (gate: string): string[] => {
  const head = oracles.get(HEAD)?.results[gate]?.script_blob;
  return trees.filter((t) => oracles.get(t)!.results[gate]?.script_blob === head);
};

/** The reference's number of findings: the stated/line count, or 1 for a single-message failure. */
const referenceCount = (r: GateResult): number => (r.verdict === 'pass' ? 0 : (r.count ?? 1));

interface GateSpec {
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

export function differential(spec: GateSpec): void {
  const check = byAlias(spec.alias);
  describe(`${spec.alias} ${check.id} vs the reference gate`, () => {
    const list = comparable(spec.gate);
    it('has comparable trees', () => expect(list.length).toBeGreaterThan(0));
    for (const tree of list) {
      it(tree, () => {
        const ref = oracles.get(tree)!.results[spec.gate]!;
        const now = spec.clock && ref.now ? new Date(ref.now.utc) : undefined;
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
}

const base = (d: Diagnostic): string => (d.file ?? '').replace(/^.*\//, '');

/** Extra inputs the reference read at the tree's commit (meta.json `extra_inputs`, present) that the corpus copy does not hold. */
const corpusGaps = (tree: string): string[] => {
  const meta = JSON.parse(readFileSync(`${TREES}${tree}/meta.json`, 'utf8')) as { extra_inputs?: Record<string, { present?: boolean }> };
  return Object.entries(meta.extra_inputs ?? {})
    .filter(([path, input]) => input.present === true && !existsSync(`${TREES}${tree}/${path}`))
    .map(([path]) => path);
};

if (trees.length === 0) describe.skip('drift differential (corpus not present)', () => undefined);
else {
  // D69 check 5 counts disabled probes, as the reference does: disabling a probe is a deliberate decision (docs/guide.md §3).
  differential({ alias: 'D69', gate: 'd69' });
  differential({ alias: 'D258', gate: 'd258' });
  differential({ alias: 'D259', gate: 'd259' });
  differential({ alias: 'D280', gate: 'd280' });
  differential({ alias: 'D59', gate: 'd59' });
  differential({ alias: 'D100', gate: 'd100' });
  // D281 reports a listed surface that does not exist, like the reference. The corpus trees lack
  // surfaces/verify/verify-identity.sh, which the reference did read (meta.json `extra_inputs`: present):
  // each such file is a gap of the corpus copy, and exactly those findings are expected.
  differential({
    alias: 'D281',
    gate: 'd281',
    classify: (d) => (d.messageId === 'missingSurface' ? `corpus-gap:${String(d.data.file)}` : undefined),
    extra: Object.fromEntries(trees.map((t) => [t, corpusGaps(t).map((p) => `corpus-gap:${p}`)])),
  });
  differential({ alias: 'D45', gate: 'd45' });
  differential({ alias: 'D173', gate: 'd173' });
  differential({ alias: 'D262', gate: 'd262' });
  differential({ alias: 'D149', gate: 'd149' });
  differential({ alias: 'D129', gate: 'd129' });
  // D58 also reads `updated_at:` (the reference greps only `^updated:`, so renamed bindings left the check, spec §1.0).
  differential({
    alias: 'D58',
    gate: 'd58',
    clock: true,
    classify: (d) => (d.messageId === 'staleBinding' && d.data.key === 'updated_at' ? base(d) : undefined),
    extra: {
      '15-1637b1f4': ['host.audit.allowlist.yaml', 'infra.vm.profiles.yaml', 'legacy.entrypoint.exceptions.yaml'],
      '16-181599ef': ['agent.entrypoint.lock.yaml', 'cross-repo.authority.yaml', 'host.audit.allowlist.yaml'],
      '17-150cee3c': ['agent.entrypoint.lock.yaml', 'cross-repo.authority.yaml', 'host.audit.allowlist.yaml'],
      '18-916de805': ['agent.entrypoint.lock.yaml', 'cross-repo.authority.yaml', 'deprecated.terms.yaml', 'extraction.mode.yaml', 'host.audit.allowlist.yaml', 'infra.relocation.plan.yaml'],
      '19-a00cb7b7': [
        'agent.entrypoint.lock.yaml',
        'cross-repo.authority.yaml',
        'deprecated.terms.yaml',
        'extraction.mode.yaml',
        'home.output.sinks.yaml',
        'host.audit.allowlist.yaml',
        'infra.placement.policy.yaml',
        'infra.relocation.plan.yaml',
      ],
    },
  });
}

describe.skipIf(trees.length === 0)('new checks on the newest tree (19-a00cb7b7)', () => {
  it("D69 counts docker-host's deliberately disabled probes as coverage (one meaning of a disabled probe)", () => {
    for (const tree of ['17-150cee3c', '18-916de805', HEAD]) {
      expect(
        run(byAlias('D69'), tree)
          .filter((d) => d.messageId === 'missingHealthProbe')
          .map((d) => d.data.host),
        tree,
      ).not.toContain('docker-host');
    }
  });
  it('ssh-user-parity reports exactly the immich ubuntu/ronny mismatch', () => {
    const check = catalog.find((c) => c.id === 'ssh-user-parity')!;
    const found = run(check, HEAD).map((d) => [d.data.host, d.data.registry, d.data.actual]);
    expect(found).toEqual([['immich', 'ubuntu', 'ronny']]);
  });
});
