/**
 * `reads` is verified, not trusted: every catalog check runs (static and transition checks their
 * `run`, live checks their `plan`) on a fresh recording workspace over the example spine, edits of
 * it, an empty spine, a spine under a non-default layout, and real corpus snapshots and trees; the
 * test fails when a check reads a path (through a typed view, the host graph or directly) that its
 * `reads` does not declare, nor one of its `readsListedIn` bindings lists. `--staged`, `--base`,
 * file arguments and `--only`'s schema selection choose checks by these declarations.
 * The harness is test/support/readsHarness.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DirectorySource, MemorySource, type Check, type FileSource } from '@spine-lint/core';
import { catalog, defaultPaths, recordIdFields } from '@spine-lint/checks';
import { describe, expect, it } from 'vitest';
import { corpusPresent, REPO_ROOT, SNAPSHOTS, TREES } from './support/corpus.js';
import { describeUndeclared, recordCheckReads, undeclaredReads, type ReadsLayout, type UndeclaredRead } from './support/readsHarness.js';

const EXAMPLE = join(REPO_ROOT, 'examples/phase4-observability');
const LAYOUT: ReadsLayout = { paths: { ...defaultPaths }, recordIdFields };

/** Every file of a directory tree, by repository path (for in-memory edits of it). */
function filesOf(root: string, dir = root, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) filesOf(root, abs, out);
    else out[relative(root, abs).split('\\').join('/')] = readFileSync(abs, 'utf8');
  }
  return out;
}

interface Dataset {
  name: string;
  layout: ReadsLayout;
  head: () => FileSource;
  /** The base revision for transition checks (default: the head itself). */
  base?: () => FileSource;
}

const example = filesOf(EXAMPLE);

/** The item-8 edit: the `observability` ssh target is reached through a vm.lifecycle alias. */
const aliased: Record<string, string> = {
  ...example,
  'ops/bindings/ssh.targets.yaml': example['ops/bindings/ssh.targets.yaml']!.replace('- id: "observability"', '- id: "obs-vm"'),
  'ops/bindings/vm.lifecycle.yaml': example['ops/bindings/vm.lifecycle.yaml']!.replace('ssh_target: observability', 'ssh_target: obs-vm'),
};

/** The example with every binding moved under `spine/`: checks must resolve names through the layout. */
const movedPaths: Record<string, string> = Object.fromEntries(Object.entries(defaultPaths).map(([name, path]) => [name, `spine/${path.split('/').pop()}`]));
const moved: Record<string, string> = {};
for (const [path, text] of Object.entries(example)) {
  const name = Object.entries(defaultPaths).find(([, p]) => p === path)?.[0];
  moved[name ? movedPaths[name]! : path] = text;
}

const datasets: Dataset[] = [
  { name: 'example', layout: LAYOUT, head: () => new DirectorySource(EXAMPLE) },
  { name: 'example, observability aliased through vm.lifecycle', layout: LAYOUT, head: () => new MemorySource(aliased), base: () => new DirectorySource(EXAMPLE) },
  { name: 'example under a moved layout', layout: { paths: movedPaths, recordIdFields }, head: () => new MemorySource(moved) },
  { name: 'empty spine', layout: LAYOUT, head: () => new MemorySource({}) },
];

if (corpusPresent) {
  const snapshots = readdirSync(SNAPSHOTS)
    .filter((d) => /^\d{3}-/.test(d))
    .sort();
  // The oldest, the D37 failures, a mid-history state, the newest; each against its predecessor.
  const picks = new Set(['001', '034', '069', '100', snapshots.at(-1)!.slice(0, 3)]);
  snapshots.forEach((snap, i) => {
    if (!picks.has(snap.slice(0, 3))) return;
    const prev = snapshots[i - 1];
    datasets.push({ name: `snapshot ${snap}`, layout: LAYOUT, head: () => new DirectorySource(join(SNAPSHOTS, snap)), base: prev ? () => new DirectorySource(join(SNAPSHOTS, prev)) : undefined });
  });
  const trees = readdirSync(TREES)
    .filter((d) => /^\d{2}-/.test(d) && existsSync(join(TREES, d, 'ops')))
    .sort();
  trees.forEach((tree, i) => {
    const prev = trees[i - 1];
    datasets.push({ name: `tree ${tree}`, layout: LAYOUT, head: () => new DirectorySource(join(TREES, tree)), base: prev ? () => new DirectorySource(join(TREES, prev)) : undefined });
  });
}

describe('every check declares what it reads', () => {
  it('readsListedIn names only bindings that are also in reads', () => {
    const wrong = catalog.flatMap((c) => (c.readsListedIn ?? []).filter((n) => !c.reads.includes(n)).map((n) => `${c.id}: readsListedIn '${n}' is not in reads`));
    expect(wrong).toEqual([]);
  });

  it.each(catalog.map((c) => [c.id, c] as [string, Check]))('%s reads only what it declares', (_id, check) => {
    const undeclared = new Map<string, UndeclaredRead & { datasets: string[] }>();
    const crashes: string[] = [];
    for (const d of datasets) {
      const head = d.head();
      const base = check.kind === 'transition' ? (d.base ?? d.head)() : undefined;
      const run = recordCheckReads(check, d.layout, head, base);
      if (run.error) crashes.push(`${d.name}: ${run.error}`);
      for (const u of undeclaredReads(check, run, d.layout, head, base)) {
        const key = `${u.side} ${u.op} ${u.path}`;
        const seen = undeclared.get(key);
        if (seen) seen.datasets.push(d.name);
        else undeclared.set(key, { ...u, datasets: [d.name] });
      }
    }
    const message = [...undeclared.values()]
      .map((u) => `${describeUndeclared([u])} (seen on: ${u.datasets.slice(0, 3).join('; ')}${u.datasets.length > 3 ? `; +${u.datasets.length - 3} more` : ''})`)
      .join('\n');
    expect(message, `check '${check.id}' reads undeclared paths:\n${message}`).toBe('');
    expect(crashes, `check '${check.id}' threw while its reads were recorded`).toEqual([]);
  });

  it('the harness sees reads made through the host graph (vm-target-readiness-bindings reads vm.lifecycle)', () => {
    const check = catalog.find((c) => c.id === 'vm-target-readiness-bindings')!;
    const run = recordCheckReads(check, LAYOUT, new MemorySource(aliased));
    expect(run.head.reads).toContain('ops/bindings/vm.lifecycle.yaml');
    expect(run.head.reads).toContain('ops/bindings/naming.policy.yaml');
    // and names the check and the path when one is not declared
    const undeclared = undeclaredReads({ ...check, reads: ['infra.relocation.plan'] }, run, LAYOUT, new MemorySource(aliased));
    expect(describeUndeclared(undeclared)).toContain("check 'vm-target-readiness-bindings' reads 'ops/bindings/vm.lifecycle.yaml', which its `reads` does not declare");
  });

  it('a path listed in a readsListedIn binding is declared; the same read without the declaration is not', () => {
    const check = catalog.find((c) => c.id === 'ssh-target-lifecycle')!;
    const files = {
      'ops/bindings/ssh.target.lifecycle.contract.yaml': 'decommissioned_targets: [old-host]\nactive_reference_surfaces:\n  - surfaces/verify/verify-identity.sh\n',
      'surfaces/verify/verify-identity.sh': 'ssh old-host true\n',
    };
    const run = recordCheckReads(check, LAYOUT, new MemorySource(files));
    expect(run.head.reads).toContain('surfaces/verify/verify-identity.sh');
    expect(undeclaredReads(check, run, LAYOUT, new MemorySource(files))).toEqual([]);
    const withoutList = undeclaredReads({ ...check, readsListedIn: undefined }, run, LAYOUT, new MemorySource(files));
    expect(withoutList.map((u) => u.path)).toEqual(['surfaces/verify/verify-identity.sh']);
  });
});
