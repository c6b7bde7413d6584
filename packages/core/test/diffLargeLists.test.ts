import fc from 'fast-check';
import type { ArrayDelta } from 'jsondiffpatch';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LCS_CELLS, diffValues, formatDiffStylish, type FileDiff, type SemanticChange } from '@spine-lint/core';
import { diffEngine } from '../src/diff/engine.js';
import { boundedListFilter, lcsBudget, longestIncreasing, matchedBaseIndices, type Hash } from '../src/diff/lists.js';

/**
 * Large lists are not matched by jsondiffpatch's LCS (quadratic in time and memory: a shuffled
 * list of 20 000 scalars took 40 s and 3.4 GB, 32 000 aborted V8) but in O(n log n) by id or value
 * (packages/core/src/diff/lists.ts). These tests pin the results of that fallback; the memory bound
 * through the real CLI is test/diff-large-list.test.ts.
 */

const idFields = ['id', 'service', 'stack_id', 'name', 'hostname', 'vm_id'];

/** A deterministic shuffle (LCG), so a failure replays. */
function shuffled<T>(items: readonly T[], seed = 42): T[] {
  const out = [...items];
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const names = (n: number, prefix = 'item-'): string[] => Array.from({ length: n }, (_, i) => prefix + String(i).padStart(6, '0'));

/** One line per change, pointers included: the whole result, exactly. */
const lines = (changes: readonly SemanticChange[]): string[] =>
  changes
    .map((c) => `${c.kind} ${c.path} ${c.pointer} ${c.basePointer ?? '-'} ${JSON.stringify(c.kind === 'added' ? c.after : c.before)}${c.kind === 'changed' ? ' → ' + JSON.stringify(c.after) : ''}`)
    .sort();

describe('large lists: matched by id or value in O(n log n), not by LCS', () => {
  it('a shuffled list of 100 000 scalars is no change (a reorder is moves only), quickly', () => {
    const base = names(100_000);
    const start = performance.now();
    expect(diffValues({ values: base }, { values: shuffled(base) }, { idFields })).toEqual([]);
    expect(performance.now() - start).toBeLessThan(5_000); // ~0.3 s; the LCS never ended
  });

  it('additions and removals in a shuffled list of 100 000 scalars are exact, duplicates and types counted', () => {
    const base: unknown[] = [...names(100_000), 'dup', 'dup', 'dup', 42, true];
    // Removed: two names, two of the three 'dup', the number 42. Added: two names and the string '42' (not the number).
    const kept = base.filter((v, i) => v !== 'item-000010' && v !== 'item-050000' && i !== 100_001 && i !== 100_002 && v !== 42);
    const head = shuffled([...kept, 'new-1', 'new-2', '42'], 7);
    const changes = diffValues({ values: base }, { values: head }, { idFields });
    // Each head item takes the first base item not yet taken with the same value: the first 'dup' stays.
    expect(lines(changes)).toEqual(
      lines([
        { kind: 'removed', path: 'values', pointer: '/values', basePointer: '/values/10', before: 'item-000010' },
        { kind: 'removed', path: 'values', pointer: '/values', basePointer: '/values/50000', before: 'item-050000' },
        { kind: 'removed', path: 'values', pointer: '/values', basePointer: '/values/100001', before: 'dup' },
        { kind: 'removed', path: 'values', pointer: '/values', basePointer: '/values/100002', before: 'dup' },
        { kind: 'removed', path: 'values', pointer: '/values', basePointer: '/values/100003', before: 42 },
        { kind: 'added', path: 'values', pointer: `/values/${head.indexOf('new-1')}`, after: 'new-1' },
        { kind: 'added', path: 'values', pointer: `/values/${head.indexOf('new-2')}`, after: 'new-2' },
        { kind: 'added', path: 'values', pointer: `/values/${head.indexOf('42')}`, after: '42' },
      ]),
    );
  });

  it('a large list of records with ids: shuffled, one moved and changed, one added, one removed — exactly those, with head and base pointers', () => {
    const base = Array.from({ length: 50_000 }, (_, i) => ({ service: `svc-${i}`, port: i, tags: ['a', 'b'] }));
    const head = shuffled(
      base.filter((r) => r.service !== 'svc-7').map((r) => (r.service === 'svc-123' ? { ...r, port: 9999, tags: ['b', 'c'] } : r)),
      3,
    );
    head.splice(20_000, 0, { service: 'svc-new', port: 1, tags: [] });
    const at = head.findIndex((r) => r.service === 'svc-123');
    const changes = diffValues({ services: base }, { services: head }, { idFields });
    expect(lines(changes)).toEqual(
      lines([
        { kind: 'changed', path: 'services[svc-123].port', pointer: `/services/${at}/port`, basePointer: '/services/123/port', before: 123, after: 9999 },
        { kind: 'removed', path: 'services[svc-123].tags', pointer: `/services/${at}/tags`, basePointer: '/services/123/tags/0', before: 'a' },
        { kind: 'added', path: 'services[svc-123].tags', pointer: `/services/${at}/tags/1`, after: 'c' },
        { kind: 'removed', path: 'services[svc-7]', pointer: '/services', basePointer: '/services/7', before: base[7] },
        { kind: 'added', path: 'services[svc-new]', pointer: '/services/20000', after: head[20_000] },
      ]),
    );
    expect(changes.find((c) => c.kind === 'removed' && c.id !== undefined)).toMatchObject({ collection: 'services', id: 'svc-7' });
  });

  it('every record of a shuffled list of 100 000 changed: one change each, at the right base index (no quadratic lookup)', () => {
    const base = Array.from({ length: 100_000 }, (_, i) => ({ id: `r${i}`, port: i }));
    const head = shuffled(
      base.map((r) => ({ ...r, port: r.port + 1 })),
      5,
    );
    const start = performance.now();
    const changes = diffValues({ records: base }, { records: head }, { idFields });
    expect(performance.now() - start).toBeLessThan(10_000); // ~1 s
    expect(changes).toHaveLength(100_000);
    const wrong = changes.filter((c) => {
      const id = /^records\[r(\d+)\]\.port$/.exec(c.path)?.[1];
      const headIndex = Number(/^\/records\/(\d+)\/port$/.exec(c.pointer)?.[1]);
      return c.kind !== 'changed' || c.basePointer !== `/records/${id}/port` || c.before !== Number(id) || c.after !== Number(id) + 1 || head[headIndex]?.id !== `r${id}`;
    });
    expect(wrong).toEqual([]);
    expect(new Set(changes.map((c) => c.path)).size).toBe(100_000);
  });

  it('records without an id in a large list are matched by position, as with the LCS', () => {
    const records = Array.from({ length: 2_000 }, (_, i) => ({ x: i }));
    const base = [...records, ...names(1_000)];
    const head = [...records.map((r) => (r.x === 500 ? { x: -1 } : r)), ...shuffled(names(1_000))];
    const changes = diffValues({ list: base }, { list: head }, { idFields });
    expect(lines(changes)).toEqual(['changed list[500].x /list/500/x /list/500/x 500 → -1']);
  });

  it('Markdown table rows of a large table are matched by their first cell', () => {
    const rows = names(20_000, 'host-').map((h, i) => ({ Host: h, IP: `10.0.${i >> 8}.${i & 255}` }));
    const head = shuffled(rows).map((r) => (r.Host === 'host-000300' ? { ...r, IP: '10.9.9.9' } : r));
    const changes = diffValues({ tables: [{ heading: 'Hosts', rows }] }, { tables: [{ heading: 'Hosts', rows: head }] }, { markdown: true });
    expect(changes.map((c) => `${c.kind} ${c.path} ${c.before} → ${c.after}`)).toEqual(['changed tables[Hosts].rows[host-000300].IP 10.0.1.44 → 10.9.9.9']);
  });

  it('a list of 200 000 added items is formatted (no stack overflow from Math.max(...))', () => {
    const changes = Array.from({ length: 200_000 }, (_, i) => ({ kind: 'added' as const, path: 'values', pointer: `/values/${i}`, after: i, line: i + 2, column: 5, endLine: i + 2, endColumn: 6 }));
    const file: FileDiff = { file: 'big.yaml', status: 'modified', changes };
    const text = formatDiffStylish([file], { color: false, rootPrefix: '', base: 'a', head: 'b' });
    expect(text.split('\n').at(-2)).toBe('200000 changes in 1 file (200000 added, 0 removed, 0 changed) between a and b');
  });
});

describe('the fallback agrees with the LCS', () => {
  const scalar = fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 0, max: 3 }), fc.boolean());
  const withId = fc.record({ service: fc.constantFrom('s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'), port: fc.integer({ min: 0, max: 2 }) });
  const noId = fc.record({ x: fc.integer({ min: 0, max: 2 }) });
  // Ids unique within a list (a duplicated id is a finding of its own; which duplicate is matched is unspecified).
  const list = fc.array(fc.oneof(scalar, withId, noId), { maxLength: 14 }).map((items) => {
    const seen = new Set<string>();
    return items.filter((v) => !(typeof v === 'object' && 'service' in v) || (!seen.has(v.service) && seen.add(v.service)));
  });
  /** The result with the pointers that depend on which of equal scalars is matched left out. */
  const comparable = (changes: readonly SemanticChange[]): string[] =>
    changes
      .map((c) => {
        const exact = c.kind === 'changed' || c.id !== undefined;
        return `${c.kind} ${c.path} ${JSON.stringify(c.before)} ${JSON.stringify(c.after)}${exact ? ` ${c.pointer} ${c.basePointer}` : ''}`;
      })
      .sort();

  it('same additions, removals and changes as the LCS on small lists (seeded property)', () => {
    fc.assert(
      fc.property(list, list, list, list, (b1, h1, b2, h2) => {
        const base = { one: b1, two: { nested: b2 } };
        const head = { one: h1, two: { nested: h2 } };
        const lcs = diffValues(base, head, { idFields });
        const linear = diffValues(base, head, { idFields, maxLcsCells: 0 });
        expect(comparable(linear)).toEqual(comparable(lcs));
      }),
      { seed: 20_251_203, numRuns: 2_000 },
    );
  });

  it('its delta still patches base into head, and a shuffle is moves only (seeded property)', () => {
    const hash: Hash = (item, index) => {
      const id = (item as { service?: unknown }).service;
      return typeof id === 'string' ? `service=${id}` : `@${index ?? 0}`;
    };
    fc.assert(
      fc.property(list, list, (base, head) => {
        const patcher = diffEngine().create({ objectHash: hash, arrays: { detectMove: true, includeValueOnMove: false } });
        patcher.processor.pipes.diff.before('arrays', boundedListFilter(hash, lcsBudget(0)));
        const delta = patcher.diff(structuredClone(base), structuredClone(head));
        expect(patcher.patch(structuredClone(base), delta)).toEqual(head);
        // The matching read back from the delta pairs every kept head item with an equal base item.
        if (delta !== undefined && !Array.isArray(delta) && '_t' in delta) {
          matchedBaseIndices(delta as ArrayDelta, base.length, head.length).forEach((i, j) => {
            if (i >= 0 && typeof head[j] !== 'object') expect(base[i]).toBe(head[j]);
          });
        }
      }),
      { seed: 7, numRuns: 1_000 },
    );
    const patcher = diffEngine().create({ objectHash: hash });
    patcher.processor.pipes.diff.before('arrays', boundedListFilter(hash, lcsBudget(0)));
    const delta = patcher.diff(names(50), shuffled(names(50))) as Record<string, unknown>;
    const entries = Object.entries(delta).filter(([k]) => k !== '_t');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every(([k, v]) => k.startsWith('_') && (v as unknown[])[2] === 3)).toBe(true);
  });

  it('longestIncreasing marks a longest increasing run', () => {
    const seq = [3, 1, 2, 8, 5, 6, 4, 7, 0];
    const keep = longestIncreasing(seq);
    const run = seq.filter((_, p) => keep[p]);
    expect(run).toEqual([1, 2, 5, 6, 7]);
    expect(longestIncreasing([])).toHaveLength(0);
  });

  it('the LCS budget is shared: small lists use it up, later ones are matched linearly with the same result', () => {
    const budget = lcsBudget(100); // per list ≤ 100 cells, 1 000 in total
    expect(budget).toEqual({ perList: 100, left: 1_000 });
    const lists = Array.from({ length: 30 }, (_, i) => names(10, `l${i}-`));
    const base = Object.fromEntries(lists.map((l, i) => [`k${i}`, l]));
    const head = Object.fromEntries(lists.map((l, i) => [`k${i}`, [...shuffled(l, i + 1).slice(1), 'extra']]));
    const expected = diffValues(base, head, { idFields, maxLcsCells: 1e9 });
    expect(expected).toHaveLength(60);
    const hash: Hash = (_item, index) => `@${index ?? 0}`;
    const patcher = diffEngine().create({ objectHash: hash, arrays: { detectMove: true } });
    patcher.processor.pipes.diff.before('arrays', boundedListFilter(hash, budget));
    patcher.diff(base, head);
    expect(budget.left).toBeGreaterThanOrEqual(0);
    expect(budget.left).toBeLessThan(100); // spent: the later lists went to the linear matching
    expect(comparable(diffValues(base, head, { idFields, maxLcsCells: 100 }))).toEqual(comparable(expected));
    expect(DEFAULT_MAX_LCS_CELLS).toBe(250_000);
  });
});
