import type { ArrayDelta, DiffContext, Filter } from 'jsondiffpatch';

/** How the items of a list are matched: records by id (or `@index` without one), as the diff's objectHash. */
export type Hash = (item: object, index?: number) => string | undefined;

/**
 * The largest pair of lists matched by jsondiffpatch's longest common subsequence, in cells of its
 * matrix: (base length × head length), counted after the common start and end are cut. The LCS
 * takes time and memory in proportion (about 150 ns and 8 bytes a cell: 250 000 cells ≈ 40 ms,
 * 2 MB). Larger pairs are matched in O(n log n) by {@link matchListsLinear}.
 */
export const DEFAULT_MAX_LCS_CELLS = 250_000;

/** The LCS cells one diff (one `diffWorkspaces` call, or one `diffValues` call) may spend in total: this many lists at the bound. */
export const LCS_BUDGET_LISTS = 10;

/** What is left of a diff's LCS budget (shared by every list of every file of one diff). */
export interface LcsBudget {
  /** Largest pair of lists matched by LCS (cells). */
  perList: number;
  /** Cells still to spend on LCS in this diff; when spent, every further list is matched in O(n log n). */
  left: number;
}

export function lcsBudget(maxCells: number = DEFAULT_MAX_LCS_CELLS): LcsBudget {
  const perList = Math.max(0, maxCells);
  return { perList, left: perList * LCS_BUDGET_LISTS };
}

/**
 * The key a list item is matched by: scalars by type and value, records by the diff's hash (their
 * id, or `@index` for a record without one: matched by position). `undefined`: matches nothing.
 */
export function itemKey(item: unknown, index: number, hash: Hash): string | undefined {
  switch (typeof item) {
    case 'string':
      return `s:${item}`;
    case 'number':
      return `n:${item}`;
    case 'boolean':
      return item ? 'b:1' : 'b:0';
    case 'bigint':
      return `i:${item}`;
    case 'object': {
      if (item === null) return 'z';
      const h = hash(item, index);
      return h === undefined ? undefined : `h:${h}`;
    }
    default:
      return undefined;
  }
}

/**
 * A diff filter placed before jsondiffpatch's `arrays` filter: a pair of lists whose LCS would cost
 * more than the budget allows is matched here, in O(n log n) time and O(n) memory, and never
 * reaches the LCS (quadratic in time and memory: a shuffled list of 20 000 scalars took 3.4 GB).
 * Smaller pairs go on to jsondiffpatch as before, and are charged to the budget.
 */
export function boundedListFilter(hash: Hash, budget: LcsBudget): Filter<DiffContext> {
  const filter = (context: DiffContext): void => {
    if (!context.leftIsArray || !Array.isArray(context.left) || !Array.isArray(context.right)) return;
    const a = context.left as unknown[];
    const b = context.right as unknown[];
    // The common start and end, as jsondiffpatch cuts them before its LCS.
    const same = (i: number, j: number): boolean => {
      const x = a[i];
      const y = b[j];
      if (x === y) return true;
      if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
      const hx = hash(x, i);
      return hx !== undefined && hx === hash(y, j);
    };
    let head = 0;
    while (head < a.length && head < b.length && same(head, head)) head++;
    let tail = 0;
    while (head + tail < a.length && head + tail < b.length && same(a.length - 1 - tail, b.length - 1 - tail)) tail++;
    const cells = (a.length - head - tail) * (b.length - head - tail);
    if (cells <= budget.perList && cells <= budget.left) {
      budget.left -= cells;
      return; // jsondiffpatch's arrays filter: the LCS
    }
    matchListsLinear(context, a, b, head, tail, hash);
  };
  filter.filterName = 'boundedLists';
  return filter;
}

/**
 * Match two lists without an LCS and set the context's array delta, in jsondiffpatch's format (so
 * the delta still patches base into head):
 *
 * 1. the common start and end (`head`, `tail` items) are kept in place;
 * 2. in between, each head item, in order, takes the first base item not yet taken with the same key
 *    ({@link itemKey}: scalars by value, records by id): O(n) with a map;
 * 3. a base item left over is removed (`_i: [item, 0, 0]`), a head item left over is added (`j: [item]`):
 *    so additions and removals are exact — for each key, min(base count, head count) items match;
 * 4. of the matched pairs, a longest increasing run of base indices (in head order) stays in place,
 *    the others are moves (`_i: ['', j, 3]`): O(n log n). A shuffle is moves only.
 *
 * Every matched pair is diffed as a child (a record moved and changed shows its field changes).
 */
export function matchListsLinear(context: DiffContext, a: readonly unknown[], b: readonly unknown[], head: number, tail: number, hash: Hash): void {
  const arrays = context.options?.arrays;
  const detectMove = arrays?.detectMove !== false;
  const includeValueOnMove = arrays?.includeValueOnMove === true;
  const Child = context.constructor as new (left: unknown, right: unknown) => DiffContext;
  const end1 = a.length - tail;
  const end2 = b.length - tail;

  for (let i = 0; i < head; i++) context.push(new Child(a[i], b[i]), i);
  for (let t = 0; t < tail; t++) context.push(new Child(a[a.length - 1 - t], b[b.length - 1 - t]), b.length - 1 - t);

  // The base items in between, chained by key: the first index of each key, then the next one.
  const first = new Map<string, number>();
  const next = new Int32Array(Math.max(0, end1 - head)).fill(-1);
  for (let i = end1 - 1; i >= head; i--) {
    const key = itemKey(a[i], i, hash);
    if (key === undefined) continue;
    const f = first.get(key);
    if (f !== undefined) next[i - head] = f;
    first.set(key, i);
  }
  const taken = new Uint8Array(Math.max(0, end1 - head));
  const pairHead: number[] = [];
  const pairBase: number[] = [];
  const added: number[] = [];
  for (let j = head; j < end2; j++) {
    const key = itemKey(b[j], j, hash);
    const i = key === undefined ? undefined : first.get(key);
    if (i === undefined) {
      added.push(j);
      continue;
    }
    const n = next[i - head]!;
    if (n >= 0) first.set(key!, n);
    else first.delete(key!);
    taken[i - head] = 1;
    pairHead.push(j);
    pairBase.push(i);
  }
  first.clear();

  const result: Record<string, unknown> = { _t: 'a' };
  for (let i = head; i < end1; i++) if (!taken[i - head]) result[`_${i}`] = context.prepareDeltaResult([a[i], 0, 0]);
  const inPlace = longestIncreasing(pairBase);
  for (let p = 0; p < pairBase.length; p++) {
    const i = pairBase[p]!;
    const j = pairHead[p]!;
    if (!inPlace[p]) {
      if (!detectMove) {
        result[`_${i}`] = context.prepareDeltaResult([a[i], 0, 0]);
        result[j] = context.prepareDeltaResult([b[j]]);
        continue;
      }
      result[`_${i}`] = context.prepareDeltaResult([includeValueOnMove ? a[i] : '', j, 3]);
    }
    context.push(new Child(a[i], b[j]), j);
  }
  for (const j of added) result[j] = context.prepareDeltaResult([b[j]]);
  context.setResult(Object.keys(result).length > 1 ? (result as unknown as ArrayDelta) : undefined).exit();
}

/** A longest strictly increasing subsequence of `seq` (patience sorting, O(k log k)), as flags. */
export function longestIncreasing(seq: readonly number[]): Uint8Array {
  const k = seq.length;
  const tails = new Int32Array(k); // tails[l]: position of the smallest last value of an increasing run of length l + 1
  const prev = new Int32Array(k);
  let len = 0;
  for (let p = 0; p < k; p++) {
    const v = seq[p]!;
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seq[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    prev[p] = lo > 0 ? tails[lo - 1]! : -1;
    tails[lo] = p;
    if (lo === len) len++;
  }
  const keep = new Uint8Array(k);
  for (let p = len > 0 ? tails[len - 1]! : -1; p >= 0; p = prev[p]!) keep[p] = 1;
  return keep;
}

/**
 * For each head index of a list, the base index of the item it was matched with (-1: added), from
 * the list's array delta — whether jsondiffpatch's LCS or {@link matchListsLinear} made it: moves
 * name both indices; the items kept in place are, in order on both sides, the base items neither
 * removed nor moved away and the head items neither added nor moved here. O(n).
 */
export function matchedBaseIndices(delta: ArrayDelta, baseLength: number, headLength: number): Int32Array {
  const out = new Int32Array(headLength).fill(-1);
  const gone = new Uint8Array(baseLength);
  const arrived = new Uint8Array(headLength);
  const entries = delta as unknown as Record<string, unknown>;
  for (const k of Object.keys(entries)) {
    if (k === '_t') continue;
    const v = entries[k];
    if (k.startsWith('_')) {
      const i = Number(k.slice(1));
      if (i >= 0 && i < baseLength) gone[i] = 1;
      if (Array.isArray(v) && v[2] === 3 && typeof v[1] === 'number' && v[1] >= 0 && v[1] < headLength) {
        out[v[1]] = i;
        arrived[v[1]] = 1;
      }
    } else if (Array.isArray(v) && v.length === 1) {
      const j = Number(k);
      if (j >= 0 && j < headLength) arrived[j] = 1;
    }
  }
  for (let i = 0, j = 0; ; i++, j++) {
    while (i < baseLength && gone[i]) i++;
    while (j < headLength && arrived[j]) j++;
    if (i >= baseLength || j >= headLength) break;
    out[j] = i;
  }
  return out;
}
