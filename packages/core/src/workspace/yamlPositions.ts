import { parsePointer } from '../pointer.js';

/**
 * Node positions of a YAML text, from js-yaml's `listener` events (one more js-yaml pass over a
 * text the fast path already accepted, `eventTable`): several times cheaper than the `yaml`
 * package's positioned parse (its lexer alone costs more than this whole pass), and built only for
 * a file whose findings need a line and column. Positions are normalised to the exact ranges the
 * `yaml` package gives (`node.range[0]`, `node.range[1]`): that package's range of a block
 * collection ends where its last entry's *node* ends (`range[2]`: the rest of the entry's line, and
 * the comment lines the parser attaches to it), which is modelled here. Where the model is not
 * known to be exact (an empty value followed by a comment, a comment after a block scalar, tabs,
 * explicit keys, empty sequence items, …) the range is "unknown" and `locate` answers `undefined`:
 * the caller then asks the `yaml` package. `test/yaml-positions-corpus.test.ts` proves the answers
 * equal on the nodes of every distinct YAML text of the corpus (up to 3000 pointers a file),
 * `packages/core/test/yamlPositions.test.ts` on edge shapes and generated texts.
 * Memory: typed arrays of offsets and child ids, and the key strings; no js-yaml state is kept.
 *
 * Only texts the fast path accepts (`fastYamlValue`: one document, no anchors/aliases, no tags, no
 * collection or null keys, no CR) are indexed. (A hand-written scanner of the plain block subset
 * used to build the same table without js-yaml; it was removed: docs/performance.md, "Positions
 * from js-yaml's events, not a scanner".)
 */

/** js-yaml's loader state, as the listener sees it (only what is read here). */
interface ListenerState {
  position: number;
  kind: string | null;
  result: unknown;
}

export type YamlLoad = (listener: (event: 'open' | 'close', state: ListenerState) => void) => void;

const enum Kind {
  Plain = 0,
  Quoted = 1,
  Block = 2,
  Empty = 3,
  BlockMap = 5,
  BlockSeq = 6,
  FlowMap = 7,
  FlowSeq = 8,
}

const UNKNOWN = -1;

/** Why the last `build` gave no index (for tests and debugging). */
export let lastDecline = '';
function declined(reason: string): undefined {
  lastDecline = reason;
  return undefined;
}

export class YamlPositions {
  private constructor(
    private readonly start: Int32Array,
    /** `range[1]`, or UNKNOWN */
    private readonly end: Int32Array,
    private readonly kind: Uint8Array,
    private readonly childOffset: Int32Array,
    private readonly childCount: Int32Array,
    private readonly children: Int32Array,
    /** map keys as strings (by node id of the key), for pointer lookup */
    private readonly keyString: (string | undefined)[],
    private readonly root: number,
  ) {}

  /**
   * Builds the index, or `undefined` when the text has a shape it does not model at all (then
   * every position comes from the `yaml` package). `keyOf` turns a key as `load` read it into the key the value has (when `load` reads scalars
   * with a cheaper schema than the value's, e.g. every scalar as a string); by default `String`.
   */
  static build(text: string, load: YamlLoad, keyOf?: (raw: string, quoted: boolean) => string): YamlPositions | undefined {
    lastDecline = '';
    if (text.includes('\t') || hasExplicitKey(text)) return declined('tab or explicit key');
    // a leading `---` (after comments) opens the document; any other marker: not modelled
    let docStart = skipBlank(text, 0, text.length);
    if (/^---(?:[ \n]|$)/.test(text.slice(docStart, docStart + 4))) docStart += 3;
    else docStart = 0;
    if (hasLineStarting(text, docStart, '---') || hasLineStarting(text, docStart, '...')) return declined('document marker');
    const table = eventTable(text, load, docStart);
    return typeof table === 'string' ? declined(table) : YamlPositions.finish(text, table, keyOf);
  }

  /** Pass 2 over the node table `eventTable` built: node ends, keys, the index. */
  private static finish(text: string, t: NodeTable, keyOf: ((raw: string, quoted: boolean) => string) | undefined): YamlPositions {
    const { n, start, end, end2, kind, childOffset, childCount, children, keyString, root } = t;
    const lineEndAfter = (p: number): number => {
      // the rest of the line after a value: spaces, a comment, the line break
      while (text.charCodeAt(p) === 32) p++;
      if (text.charCodeAt(p) === 35) {
        const nl = text.indexOf('\n', p);
        p = nl === -1 ? text.length : nl;
      }
      return text.charCodeAt(p) === 10 ? p + 1 : p;
    };

    // Pass 2: node ends (`range[2]`) and block collection ends, children before parents.
    let parents: Int32Array | undefined; // built the first time a comment region needs a parent
    const parentOf = (i: number): number => {
      if (!parents) {
        parents = new Int32Array(n).fill(-1);
        for (let j = 0; j < n; j++) for (let c = 0; c < childCount[j]!; c++) parents[children[childOffset[j]! + c]!] = j;
      }
      return parents[i]!;
    };
    const column = (p: number): number => p - (text.lastIndexOf('\n', p - 1) + 1);
    for (let i = 0; i < n; i++) {
      const kd = kind[i]!;
      if (kd === Kind.Plain || kd === Kind.Quoted || kd === Kind.FlowMap || kd === Kind.FlowSeq) {
        end2[i] = end[i] === UNKNOWN ? UNKNOWN : lineEndAfter(end[i]!);
      } else if (kd === Kind.Block) {
        end2[i] = end[i]!;
      } else if (kd === Kind.BlockMap || kd === Kind.BlockSeq) {
        const last = children[childOffset[i]! + childCount[i]! - 1]!;
        let e = end2[last]!;
        let e2 = e;
        if (e !== UNKNOWN) {
          const region = trailingRegion(text, e);
          if (region?.mixed && region.end === text.length) {
            // comment lines at several indentations ending the text: which nodes take which is not modelled
            e = e2 = UNKNOWN;
          } else if (region) {
            const lk = kind[last]!;
            const indent = column(start[i]!);
            const parent = parentOf(i);
            // a sequence at its parent key's column (`key:\n- a`) never takes the comments
            const sameIndentSeq = kd === Kind.BlockSeq && parent !== -1 && kind[parent] === Kind.BlockMap && column(start[parent]!) === indent;
            if (region.indent > indent && (lk === Kind.Plain || lk === Kind.Quoted || lk === Kind.FlowMap || lk === Kind.FlowSeq)) {
              e = e2 = region.end; // the last value's node takes them
            } else if (region.indent > indent && lk === Kind.Empty) {
              e = e2 = UNKNOWN;
            } else if (region.indent > indent && lk === Kind.Block) {
              e2 = region.end;
            } else if (region.indent >= indent && !sameIndentSeq) {
              e2 = region.end;
            }
          }
        }
        end[i] = e;
        end2[i] = e2;
      }
    }
    if (keyOf) {
      for (let i = 0; i < n; i++) {
        const raw = keyString[i];
        if (raw === undefined) continue;
        const q = text.charCodeAt(start[i]!);
        keyString[i] = keyOf(raw, q === 34 || q === 39);
      }
    }
    return new YamlPositions(start, end, kind, childOffset, childCount, children, keyString, root);
  }

  /** Big maps' keys → child offset (the first entry with that key), built on their first lookup. */
  private readonly bigMaps = new Map<number, Map<string, number>>();

  private keysOf(map: number): Map<string, number> {
    let keys = this.bigMaps.get(map);
    if (!keys) {
      keys = new Map();
      const off = this.childOffset[map]!;
      const count = this.childCount[map]!;
      for (let c = 0; c < count; c += 2) {
        const k = this.keyString[this.children[off + c]!];
        if (k !== undefined && !keys.has(k)) keys.set(k, c);
      }
      this.bigMaps.set(map, keys);
    }
    return keys;
  }

  /** The child offset of the first entry with key `segment` among a map's `count` children at `off`, or -1. */
  private keyAt(off: number, count: number, segment: string): number {
    for (let c = 0; c < count; c += 2) if (this.keyString[this.children[off + c]!] === segment) return c;
    return -1;
  }

  private find(ptr: string): { node: number; key: number; ancestor: number } {
    let current = this.root;
    let key = -1;
    let ancestor = this.root;
    let segments: string[];
    try {
      segments = parsePointer(ptr);
    } catch {
      return { node: -1, key: -1, ancestor };
    }
    let depth = 0;
    for (const segment of segments) {
      if (++depth > 1000) break;
      const kd = this.kind[current]!;
      const off = this.childOffset[current]!;
      const count = this.childCount[current]!;
      if (kd === Kind.BlockMap || kd === Kind.FlowMap) {
        const found = count > 64 ? (this.keysOf(current).get(segment) ?? -1) : this.keyAt(off, count, segment);
        if (found === -1) return { node: -1, key: -1, ancestor };
        key = this.children[off + found]!;
        current = this.children[off + found + 1]!;
      } else if (kd === Kind.BlockSeq || kd === Kind.FlowSeq) {
        const index = Number(segment);
        if (!Number.isInteger(index) || index < 0 || index >= count) return { node: -1, key: -1, ancestor };
        key = -1;
        current = this.children[off + index]!;
      } else {
        return { node: -1, key: -1, ancestor };
      }
      ancestor = current;
    }
    return { node: current, key, ancestor };
  }

  /** `[start, end]` offsets of a node, or `undefined` when not known exactly. */
  private rangeOf(node: number): [number, number] | undefined {
    const e = this.end[node]!;
    return e === UNKNOWN ? undefined : [this.start[node]!, e];
  }

  /**
   * Offsets of the range `locate` gives (the value; the key when the value is empty; else the
   * nearest ancestor), or `undefined` when the index does not know it exactly.
   */
  locate(ptr: string): [number, number] | undefined {
    const found = this.find(ptr);
    if (found.node !== -1) {
      const r = this.rangeOf(found.node);
      if (!r) return undefined;
      if (r[0] !== r[1]) return r;
    }
    if (found.key !== -1) return this.rangeOf(found.key);
    return this.rangeOf(found.ancestor);
  }

  /** Offsets of the key of the map entry a pointer names; `null` when it names none; `undefined` when unknown. */
  locateKey(ptr: string): [number, number] | null | undefined {
    const found = this.find(ptr);
    return found.key === -1 ? null : this.rangeOf(found.key);
  }

  /** Number of nodes (for tests). */
  get size(): number {
    return this.start.length;
  }
}

/**
 * The node table from js-yaml's listener events (`load`): a node's children are the ids closed
 * while it was open; then pass 1 (starts, kinds, own ends). A string: why the text is not indexed.
 */
function eventTable(text: string, load: YamlLoad, docStart: number): NodeTable | string {
  // Events → post-order node table in flat typed arrays (no object per node): a node's
  // children are the ids closed while it was open, gathered on one shared stack (with the values
  // js-yaml built for them, which are checked and dropped when their parent closes).
  let cap = Math.max(64, text.length >> 3);
  let starts = new Int32Array(cap);
  let rawEnds = new Int32Array(cap);
  let kindOf = new Uint8Array(cap); // 0 scalar/empty, 1 mapping, 2 sequence
  let childOff = new Int32Array(cap);
  let childLen = new Int32Array(cap);
  let flat = new Int32Array(cap);
  let flatLength = 0;
  let n = 0;
  const keyString: (string | undefined)[] = []; // raw key strings by node id (dense: one entry a node); see keyOf in `finish`
  const openStart: number[] = [];
  const openBase: number[] = [];
  const pending: number[] = [];
  const pendingResult: unknown[] = [];
  let pendingLength = 0;
  let root = -1;
  let failure = '';
  const grow = <T extends Int32Array | Uint8Array>(a: T, size: number): T => {
    const b = new (a.constructor as new (n: number) => T)(size);
    b.set(a);
    return b;
  };
  const stop = (reason: string): never => {
    failure = reason;
    throw stopped;
  };
  try {
    load((event, state) => {
      if (event === 'open') {
        openStart.push(state.position);
        openBase.push(pendingLength);
        return;
      }
      const frameStart = openStart.pop()!;
      const base = openBase.pop()!;
      const count = pendingLength - base;
      const result = state.result;
      const kd = state.kind;
      const k = kd === 'mapping' ? 1 : kd === 'sequence' ? 2 : 0;
      let id: number;
      const only = count === 1 ? pending[base]! : -1;
      if (only !== -1 && kindOf[only] === k && Object.is(pendingResult[base], result) && (k !== 0 || starts[only]! < rawEnds[only]!)) {
        id = only; // a wrapper (js-yaml composes a block item through two nested calls)
      } else {
        // A scalar has no children: what js-yaml opened inside it was an attempt that read nothing
        // (a sequence item tried as a mapping key before its block scalar is read).
        const kept = k === 0 ? 0 : count;
        if (k === 1) {
          let keys = 0;
          for (const _ in result as object) keys++;
          if (count !== 2 * keys) stop('map entries do not pair up');
          for (let c = base; c < base + count; c += 2) keyString[pending[c]!] = String(pendingResult[c]);
        } else if (k === 2 && (!Array.isArray(result) || count !== result.length)) stop('sequence items do not match');
        if (n === cap) {
          cap *= 2;
          starts = grow(starts, cap);
          rawEnds = grow(rawEnds, cap);
          kindOf = grow(kindOf, cap);
          childOff = grow(childOff, cap);
          childLen = grow(childLen, cap);
        }
        if (flatLength + kept > flat.length) flat = grow(flat, Math.max(flat.length * 2, flatLength + kept));
        id = n++;
        keyString.push(undefined);
        starts[id] = frameStart;
        rawEnds[id] = state.position;
        kindOf[id] = k;
        childOff[id] = flatLength;
        childLen[id] = kept;
        for (let c = base; c < base + kept; c++) flat[flatLength++] = pending[c]!;
      }
      pendingLength = base;
      if (openStart.length > 0) {
        pending[pendingLength] = id;
        pendingResult[pendingLength++] = result;
      } else if (root === -1) root = id;
      else stop('unbalanced events');
    });
  } catch (error) {
    return error === stopped ? failure : 'js-yaml failed';
  }
  if (root === -1 || openStart.length > 0) return 'unbalanced events';
  pendingResult.length = 0;

  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const end2 = new Int32Array(n);
  const kind = new Uint8Array(n);
  const childOffset = childOff.slice(0, n);
  const childCount = childLen.slice(0, n);
  const children = flat.slice(0, flatLength);

  // `#` positions by `indexOf`, the last answer remembered: plain scalars (leaves) come in document
  // order, so looking for comments inside them stays one walk over the text.
  let hashFrom = text.length + 1;
  let hashAt = -1;
  const nextHash = (p: number): number => {
    if (p < hashFrom || (hashAt !== -1 && p > hashAt)) {
      hashFrom = p;
      hashAt = text.indexOf('#', p);
    }
    return hashAt;
  };
  /** A ` #` (or a `#` after a line break or tab) between two offsets: a comment inside what should be one plain scalar. */
  const hasCommentStart = (from: number, to: number): boolean => {
    for (let i = nextHash(from + 1); i !== -1 && i < to; i = nextHash(i + 1)) {
      const c = text.charCodeAt(i - 1);
      if (c === 32 || c === 10 || c === 9) return true;
    }
    return false;
  };

  // Pass 1: starts, kinds, own ends (children are numbered before their parents).
  for (let i = 0; i < n; i++) {
    let s = skipBlank(text, Math.max(starts[i]!, docStart), rawEnds[i]!);
    const raw = rawEnds[i]!;
    const k = kindOf[i];
    if (k !== 0) {
      const ch = text[s];
      if (ch === '[' || ch === '{') {
        kind[i] = ch === '[' ? Kind.FlowSeq : Kind.FlowMap;
        const e = trimBack(text, raw, s);
        end[i] = text[e - 1] === (ch === '[' ? ']' : '}') ? e : UNKNOWN;
      } else {
        kind[i] = k === 1 ? Kind.BlockMap : Kind.BlockSeq;
        if (childCount[i] === 0) return 'empty block collection';
        if (k === 1) s = start[children[childOffset[i]!]!]!;
        else if (text[s] !== '-') return 'sequence without an indicator';
      }
      start[i] = s;
      continue;
    }
    if (s >= raw) {
      // an empty value (`key:`): the `yaml` package puts it after the indicator and spaces
      let p = starts[i]!;
      kind[i] = Kind.Empty;
      if (text[p - 1] !== ':') {
        // not a map value (or a discarded attempt that belongs to no parent): not modelled
        start[i] = p;
        end[i] = end2[i] = UNKNOWN;
        continue;
      }
      while (text.charCodeAt(p) === 32) p++;
      start[i] = p;
      end[i] = p;
      end2[i] = text.charCodeAt(p) === 35 || hasComment(text, p, raw) ? UNKNOWN : p;
      continue;
    }
    start[i] = s;
    const ch = text[s];
    if (ch === '"' || ch === "'") {
      kind[i] = Kind.Quoted;
      const e = trimBack(text, raw, s);
      end[i] = e > s + 1 && text[e - 1] === ch ? e : UNKNOWN;
    } else if (ch === '|' || ch === '>') {
      kind[i] = Kind.Block;
      end[i] = blockScalarEnd(text, s, raw);
    } else {
      kind[i] = Kind.Plain;
      const e = trimBack(text, raw, s);
      end[i] = e <= s || hasCommentStart(s, e) ? UNKNOWN : e;
    }
  }

  return { n, start, end, end2, kind, childOffset, childCount, children, keyString, root };
}

/** Thrown from the listener to stop js-yaml once the text is known not to give a table. */
const stopped = new Error('no position table');

/**
 * A node table after pass 1: per node its start, own end (`range[1]`, UNKNOWN; block collections:
 * set by pass 2), `end2` of empty values, kind, children (post-order: children before parents;
 * a map's children are key, value, key, value, …) and the raw key strings by key node id.
 */
interface NodeTable {
  n: number;
  start: Int32Array;
  end: Int32Array;
  end2: Int32Array;
  kind: Uint8Array;
  childOffset: Int32Array;
  childCount: Int32Array;
  children: Int32Array;
  keyString: (string | undefined)[];
  root: number;
}

/** `/(?:^|[\s[{,])\?(?:[ \t]|$)/m.test(text)` (an explicit key indicator), by `indexOf`. */
function hasExplicitKey(text: string): boolean {
  for (let i = text.indexOf('?'); i !== -1; i = text.indexOf('?', i + 1)) {
    const before = i === 0 ? ' ' : text[i - 1]!;
    if (!/[\s[{,]/.test(before)) continue;
    if (i + 1 === text.length || /[ \t\n\r\u2028\u2029]/.test(text[i + 1]!)) return true;
  }
  return false;
}

/** `/^marker/m.test(text.slice(from))`, by `indexOf`. */
function hasLineStarting(text: string, from: number, marker: string): boolean {
  for (let i = text.indexOf(marker, from); i !== -1; i = text.indexOf(marker, i + 1)) {
    if (i === from) return true;
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** Skips spaces, line breaks and comments from `p` (not past `limit`). */
function skipBlank(text: string, p: number, limit: number): number {
  while (p < limit) {
    const c = text.charCodeAt(p);
    if (c === 32 || c === 10) p++;
    else if (c === 35 && (p === 0 || /\s/.test(text[p - 1]!))) {
      const nl = text.indexOf('\n', p);
      p = nl === -1 ? text.length : nl;
    } else break;
  }
  return p;
}

function trimBack(text: string, e: number, floor: number): number {
  while (e > floor && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 10)) e--;
  return e;
}

function hasComment(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 35) return true;
  return false;
}

/**
 * Blank and comment lines after offset `p` (a line start, or the end of a value's line), up to
 * the next content: the indentation of the first comment line, whether other comment lines have
 * another one, and where the region ends (the first character of the next content line).
 * `undefined` when there is no comment.
 */
function trailingRegion(text: string, p: number): { indent: number; end: number; mixed: boolean } | undefined {
  if (p > 0 && text.charCodeAt(p - 1) !== 10) return undefined; // value at the end of the text
  let indent = -1;
  let mixed = false;
  let q = p;
  while (q < text.length) {
    let s = q;
    while (text.charCodeAt(s) === 32) s++;
    const c = text.charCodeAt(s);
    if (c === 10) {
      q = s + 1;
      continue;
    }
    if (c === 35) {
      if (indent === -1) indent = s - q;
      else if (indent !== s - q) mixed = true;
      const nl = text.indexOf('\n', s);
      q = nl === -1 ? text.length : nl + 1;
      continue;
    }
    if (Number.isNaN(c)) return indent === -1 ? undefined : { indent, end: text.length, mixed };
    return indent === -1 ? undefined : { indent, end: s, mixed };
  }
  return indent === -1 ? undefined : { indent, end: text.length, mixed };
}

/**
 * The end of a block scalar's source as the `yaml` lexer computes it: from the header at `s` to
 * the line break of its last content line (clip and strip chomping drop trailing lines that are
 * blank or no more indented than the content), or every trailing blank line (keep chomping).
 * `raw` is where js-yaml stopped reading it (the start of the line that ended it).
 */
function blockScalarEnd(text: string, s: number, raw: number): number {
  let h = s + 1;
  let keep = false;
  while (h < text.length && text[h] !== '\n' && text[h] !== ' ' && text[h] !== '#') {
    const ch = text[h]!;
    if (ch === '+') keep = true;
    else if (ch !== '-') return UNKNOWN; // explicit indentation indicator
    h++;
  }
  const headerEnd = text.indexOf('\n', s);
  if (headerEnd === -1) return UNKNOWN;
  const body = headerEnd + 1;
  // indentation of the first content line
  let q = body;
  let indent = 0;
  for (; q < text.length; q++) {
    const c = text.charCodeAt(q);
    if (c === 32) indent++;
    else if (c === 10) indent = 0;
    else break;
  }
  if (q >= raw) return UNKNOWN; // no content
  let nl: number;
  if (raw >= text.length) nl = text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
  else if (text.charCodeAt(raw - 1) === 10) nl = raw - 1;
  else return UNKNOWN;
  if (!keep) {
    for (;;) {
      let i = nl - 1;
      const lastChar = i;
      while (text.charCodeAt(i) === 32) i--;
      if (text.charCodeAt(i) === 10 && i >= body && i + 1 + indent > lastChar) nl = i;
      else break;
    }
  }
  return Math.min(nl + 1, text.length);
}
