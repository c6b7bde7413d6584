import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { defineCheck, DirectorySource, MemorySource, parseDirectives, parsePointer, pointer, runChecks, Workspace, type Check } from '@spine-lint/core';
import { recordId, stablePointer } from '../packages/core/src/diff/ids.js';
import { catalog, defaultPaths, recordIdFields, type BackupTarget } from '@spine-lint/checks';
import { coveredVmIds, coversVm } from '../packages/checks/src/shared/coverage.js';
// @ts-expect-error plain JavaScript benchmark module (bench/ is not a TypeScript project)
import { generateSpine } from '../bench/generate-spine.mjs';

/**
 * Scale without a stopwatch: each check's work is counted as the elements its array/map/set
 * scans could visit (`some`, `find`, `filter`, `map`, spreads, `for…of`, …: the receiver's length
 * or size at each call; each regular expression built counts too). A check that scans a list inside a loop over another list (every VM
 * against every stack) grows with the product of the sizes; a linear one with their sum. Counts are
 * deterministic, so this cannot flake on a loaded machine the way a timing assertion would.
 */

const ARRAY_SCANS = [
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'filter',
  'map',
  'flatMap',
  'forEach',
  'reduce',
  'includes',
  'indexOf',
  'join',
  'slice',
  'entries',
  'values',
  'keys',
  Symbol.iterator,
] as const;
const COLLECTION_SCANS = ['forEach', 'values', 'keys', 'entries', Symbol.iterator] as const;

function countWork(body: () => void): number {
  let work = 0;
  const restore: (() => void)[] = [];
  const patch = (proto: object, names: readonly (string | symbol)[], size: (self: unknown) => number): void => {
    for (const name of names) {
      const original = (proto as Record<string | symbol, unknown>)[name] as (...args: unknown[]) => unknown;
      if (typeof original !== 'function') continue;
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) {
          work += size(this) + 1;
          return original.apply(this, args);
        },
      });
      restore.push(() => Object.defineProperty(proto, name, { configurable: true, writable: true, value: original }));
    }
  };
  patch(Array.prototype, ARRAY_SCANS, (self) => (self as unknown[]).length);
  patch(Map.prototype, COLLECTION_SCANS, (self) => (self as Map<unknown, unknown>).size);
  patch(Set.prototype, COLLECTION_SCANS, (self) => (self as Set<unknown>).size);
  // Building a regular expression (`new RegExp(\`qemu-${id}-\`)` per pair) costs like a scan: count each one.
  const NativeRegExp = globalThis.RegExp;
  globalThis.RegExp = class extends NativeRegExp {
    constructor(...args: ConstructorParameters<RegExpConstructor>) {
      super(...args);
      work += 10;
    }
  } as RegExpConstructor;
  restore.push(() => void (globalThis.RegExp = NativeRegExp));
  try {
    body();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return work;
}

describe('the static catalog scales linearly with the spine (work counts, no timing)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scale-linear-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Two services per host, so hosts grow with services: host × service scans show up as 10×10.
  const SMALL = 40;
  const LARGE = 400;
  const spines = {
    small: generateSpine(join(dir, 'small'), { services: SMALL, perHost: 2 }) as { root: string; stats: { hosts: number } },
    large: generateSpine(join(dir, 'large'), { services: LARGE, perHost: 2 }) as { root: string; stats: { hosts: number } },
  };

  /** Work of each static check on a spine, with every binding parsed and every view built beforehand by a first run. */
  const workPerCheck = (root: string): Map<string, number> => {
    const workspace = new Workspace(new DirectorySource(root), { paths: { ...defaultPaths }, recordIdFields });
    const now = new Date('2026-02-09T00:00:00Z');
    const checks = catalog.filter((c: Check) => c.kind === 'static');
    runChecks({ workspace, checks, now }); // warm: parses, views, positions of the findings
    const out = new Map<string, number>();
    for (const check of checks)
      out.set(
        check.id,
        countWork(() => runChecks({ workspace, checks: [check], now })),
      );
    return out;
  };
  const small = workPerCheck(spines.small.root);
  const large = workPerCheck(spines.large.root);

  it('the large spine really is ten times the small one (hosts too)', () => {
    expect(spines.large.stats.hosts).toBeGreaterThanOrEqual(8 * spines.small.stats.hosts);
    // the counter sees real work: some check scans at least every generated service
    expect(Math.max(...large.values())).toBeGreaterThan(LARGE);
  });

  it('no check does more than 20× the work for 10× the services (a quadratic one does ~100×)', () => {
    const ratios = [...large].map(([id, w]) => ({ id, small: small.get(id)!, large: w, ratio: w / Math.max(1, small.get(id)!) }));
    // Constant-size work (a handful of records, whatever the spine size) is not scale: skip the tiny ones.
    const superLinear = ratios.filter((r) => r.large > 2000 && r.ratio > 20);
    expect(superLinear).toEqual([]);
  });
});

describe('index lookups replace scans with the same answers', () => {
  const target = (glob: string | undefined, name: string | undefined): BackupTarget => ({
    index: 0,
    pointer: '/targets/0',
    name,
    glob,
    enabled: undefined,
    kind: undefined,
    host: undefined,
    base_path: undefined,
    stale_after_hours: undefined,
    classification: undefined,
    description: undefined,
  });
  // Strings made of the pieces that matter (digits, `qemu-`, `vm-`, dashes) so matches are frequent.
  const piece = fc.constantFrom('qemu-', 'vm-', '-', '1', '2', '20', '205', '0', 'x', '*', '.vma.zst', 'vzdump-', 'a');
  const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
  const maybe = fc.option(text, { nil: undefined });

  it('coveredVmIds(targets).has(id) === targets.some(coversVm(·, id)) for every all-digit id', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(maybe, maybe), { maxLength: 4 }), fc.constantFrom('1', '2', '20', '205', '0', '2051', '12', '05'), (pairs, id) => {
        const targets = pairs.map(([g, n]) => target(g, n));
        expect(coveredVmIds(targets).has(id)).toBe(targets.some((t) => coversVm(t, id)));
      }),
      { numRuns: 3000, seed: 20261125 },
    );
  });

  it('coveredVmIds: the exact globs and names of the reference', () => {
    const ids = coveredVmIds([target('vzdump-qemu-205-*.vma.zst', undefined), target('1qemu-300-x', 'vm-2051'), target('qemu-7x-', 'vm-99-media')]);
    expect([...ids].sort()).toEqual(['205', '2051', '99']);
  });

  it('directives are found only on lines holding the marker, with the same lines, columns and targets', () => {
    const text = [
      'a: 1 # spine-lint-disable-line D35 -- why',
      '# plain comment',
      '# spine-lint-disable-next-line D37,placement-policy -- moved  # spine-lint-disable',
      '',
      '# another comment',
      'b: 2\r',
      'c: 3 # spine-lint-disable-line',
      '# spine-lint-disable-next-line D1 -- trailing',
    ].join('\n');
    expect(parseDirectives('f.yaml', text).map(({ line, column, endColumn, target, checks, reason }) => ({ line, column, endColumn, target, checks, reason }))).toEqual([
      { line: 1, column: 6, endColumn: 42, target: 1, checks: ['D35'], reason: 'why' },
      { line: 3, column: 1, endColumn: 83, target: 6, checks: ['D37', 'placement-policy'], reason: 'moved  # spine-lint-disable' },
      { line: 7, column: 6, endColumn: 31, target: 7, checks: [], reason: undefined },
      { line: 8, column: 1, endColumn: 46, target: undefined, checks: ['D1'], reason: 'trailing' },
    ]);
  });

  it('stablePointer (returns the pointer unchanged when nothing is replaced) equals rebuilding it segment by segment', () => {
    // The reference: every segment walked and the pointer always rebuilt.
    const reference = (value: unknown, ptr: string): string => {
      const out: string[] = [];
      let current: unknown = value;
      for (const segment of parsePointer(ptr)) {
        if (Array.isArray(current) && /^\d+$/.test(segment)) {
          const id = recordId(current[Number(segment)]);
          out.push(id ? `[${id.field}=${id.value}]` : segment);
          current = current[Number(segment)];
        } else {
          out.push(segment);
          current = current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
        }
      }
      return pointer(...out);
    };
    const value = { services: [{ id: 'a/b~c' }, { name: 'grafana' }, 7, { other: 1 }], '': [{ id: 'x' }], 'a~b': { 'c/d': [{ name: 'n' }] }, list: [[{ id: 'deep' }]] };
    const segment = fc.constantFrom('services', '0', '1', '2', '3', '9', '', 'a~0b', 'a~1b', 'c~1d', '~2', '~', 'list', 'id', 'name', 'x~01');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), fc.boolean(), (segments, rooted) => {
        const ptr = segments.length === 0 ? (rooted ? '/' : '') : '/' + segments.join('/');
        expect(stablePointer(value, ptr)).toBe(reference(value, ptr));
      }),
      { numRuns: 5000, seed: 20261125 },
    );
  });
});

describe('SPINE_LINT_TIMING', () => {
  const run = (env: string | undefined): string => {
    const saved = process.env.SPINE_LINT_TIMING;
    if (env === undefined) delete process.env.SPINE_LINT_TIMING;
    else process.env.SPINE_LINT_TIMING = env;
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const workspace = new Workspace(new MemorySource({ 'ops/bindings/ssh.targets.yaml': 'ssh:\n  targets: []\n' }), { paths: { ...defaultPaths } });
      runChecks({ workspace, checks: catalog, only: ['ssh-target-lifecycle', 'ssh-tailscale-duplicates'], now: new Date('2026-02-09T00:00:00Z') });
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.SPINE_LINT_TIMING;
      else process.env.SPINE_LINT_TIMING = saved;
    }
    return written.join('');
  };

  it('prints one line per check that ran, the report and the total on stderr when set', () => {
    const out = run('1');
    expect(out).toMatch(/^spine-lint timing \(SPINE_LINT_TIMING\):\n/);
    expect(out).toMatch(/^ +\d+\.\d ms {2}ssh-target-lifecycle$/m);
    expect(out).toMatch(/^ +\d+\.\d ms {2}ssh-tailscale-duplicates$/m);
    expect(out).toMatch(/^ +\d+\.\d ms {2}\(buildReport\)$/m);
    expect(out).toMatch(/^ +\d+\.\d ms {2}total\n$/m);
    expect(out).not.toMatch(/ssh-user-parity/);
  });

  it('prints nothing by default', () => {
    expect(run(undefined)).toBe('');
  });
});

describe('superseded findings are matched per check (grouped once), with the same outcome', () => {
  const noisy = defineCheck({
    id: 'noisy',
    aliases: ['N1'],
    title: 'Noisy',
    description: 'One finding per item.',
    severity: 'error',
    kind: 'static',
    reads: [],
    messages: { item: 'item {{n}}', other: 'other {{n}}' },
    run(ctx) {
      for (let n = 0; n < 50; n++) ctx.report({ messageId: n % 5 === 0 ? 'other' : 'item', data: { n, tag: { even: n % 2 === 0 } } });
    },
  });
  const quiet = defineCheck({
    id: 'quiet',
    title: 'Quiet',
    description: 'Supersedes some noisy findings.',
    severity: 'error',
    kind: 'static',
    reads: [],
    messages: { replaces: 'replaces {{n}}' },
    run(ctx) {
      ctx.report({ messageId: 'replaces', data: { n: 1 }, supersedes: [{ checkId: 'n1', messageId: 'item', data: { n: 1 } }] }); // alias, any case
      ctx.report({ messageId: 'replaces', data: { n: 10 }, supersedes: [{ checkId: 'noisy', messageId: 'item', data: { n: 10 } }] }); // n 10 is an 'other' finding: this one does not match it
      ctx.report({ messageId: 'replaces', data: { n: 2 }, supersedes: [{ checkId: 'noisy', data: { tag: { even: true } } }] }); // every even item
      ctx.report({ messageId: 'replaces', data: { n: 3 }, supersedes: [{ checkId: 'quiet', messageId: 'replaces' }, { checkId: 'unknown-check' }] }); // a superseding finding stays
    },
  });

  it('drops exactly the findings a reported finding names (id or alias, message id, data subset)', () => {
    const report = runChecks({ workspace: new Workspace(new MemorySource({})), checks: [noisy, quiet] });
    const kept = report.results.filter((r) => r.checkId === 'noisy').map((r) => r.data.n as number);
    const expected = Array.from({ length: 50 }, (_, n) => n).filter((n) => n !== 1 && n % 2 !== 0);
    expect(kept.sort((a, b) => a - b)).toEqual(expected);
    expect(report.results.filter((r) => r.checkId === 'quiet')).toHaveLength(4);
  });
});
