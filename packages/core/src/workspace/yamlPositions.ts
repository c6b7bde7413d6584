import { parsePointer } from '../pointer.js';

/**
 * Node positions of a YAML text, read from the text directly when it is in the plain block subset
 * (`scanTable`, one pass over the characters: most bindings), else from js-yaml's `listener`
 * events (one more js-yaml pass, `eventTable`); both are several times cheaper than the `yaml`
 * package's positioned parse, and give the same node table. Positions are normalised to the exact
 * ranges the `yaml` package gives (`node.range[0]`, `node.range[1]`): that package's range of a
 * block collection ends where its last entry's *node* ends (`range[2]`: the rest of the entry's
 * line, and the comment lines the parser attaches to it), which is modelled here. Where the model
 * is not known to be exact (an empty value followed by a comment, a comment after a block scalar,
 * tabs, explicit keys, empty sequence items, …) the range is "unknown" and `locate` answers
 * `undefined`: the caller then asks the `yaml` package. `test/yaml-positions-corpus.test.ts`
 * proves the answers equal on the nodes of every distinct YAML text of the corpus (up to 3000
 * pointers a file), `packages/core/test/yamlPositions.test.ts` on edge shapes and generated texts.
 * Memory: typed arrays of offsets and child ids, and the key strings; no js-yaml state is kept.
 *
 * Only texts the fast path accepts (`fastYamlValue`: one document, no anchors/aliases, no tags, no
 * collection or null keys, no CR) are indexed.
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
    scanner.lastDecline = 'not reached';
    if (text.includes('\t') || hasExplicitKey(text)) return declined('tab or explicit key');
    // a leading `---` (after comments) opens the document; any other marker: not modelled
    let docStart = skipBlank(text, 0, text.length);
    if (/^---(?:[ \n]|$)/.test(text.slice(docStart, docStart + 4))) docStart += 3;
    else docStart = 0;
    if (hasLineStarting(text, docStart, '---') || hasLineStarting(text, docStart, '...')) return declined('document marker');
    const table = (scanner.enabled ? scanTable(text, docStart) : undefined) ?? eventTable(text, load, docStart);
    return typeof table === 'string' ? declined(table) : YamlPositions.finish(text, table, keyOf);
  }

  /** Pass 2 over a node table (from `scanTable` or `eventTable`): node ends, keys, the index. */
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
  // children are the ids closed while it was open, gathered on one shared stack.
  let cap = Math.max(64, text.length >> 3);
  let starts = new Int32Array(cap);
  let rawEnds = new Int32Array(cap);
  let kindOf = new Uint8Array(cap); // 0 scalar/empty, 1 mapping, 2 sequence
  let childOff = new Int32Array(cap);
  let childLen = new Int32Array(cap);
  let flat = new Int32Array(cap);
  let flatLength = 0;
  let n = 0;
  const results: unknown[] = []; // released with this function; keys and counts are read from it
  const openStart: number[] = [];
  const openBase: number[] = [];
  const pending: number[] = [];
  let pendingLength = 0;
  let root = -1;
  let broken = false;
  const grow = <T extends Int32Array | Uint8Array>(a: T, size: number): T => {
    const b = new (a.constructor as new (n: number) => T)(size);
    b.set(a);
    return b;
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
      const kd = state.kind;
      const k = kd === 'mapping' ? 1 : kd === 'sequence' ? 2 : 0;
      let id: number;
      const only = count === 1 ? pending[base]! : -1;
      if (only !== -1 && kindOf[only] === k && Object.is(results[only], state.result) && (k !== 0 || starts[only]! < rawEnds[only]!)) {
        id = only; // a wrapper (js-yaml composes a block item through two nested calls)
      } else {
        // A scalar has no children: what js-yaml opened inside it was an attempt that read nothing
        // (a sequence item tried as a mapping key before its block scalar is read).
        const kept = k === 0 ? 0 : count;
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
        starts[id] = frameStart;
        rawEnds[id] = state.position;
        results.push(state.result);
        kindOf[id] = k;
        childOff[id] = flatLength;
        childLen[id] = kept;
        for (let c = base; c < base + kept; c++) flat[flatLength++] = pending[c]!;
      }
      pendingLength = base;
      if (openStart.length > 0) pending[pendingLength++] = id;
      else if (root === -1) root = id;
      else broken = true;
    });
  } catch {
    return 'js-yaml failed';
  }
  if (broken || root === -1 || openStart.length > 0) return 'unbalanced events';

  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const end2 = new Int32Array(n);
  const kind = new Uint8Array(n);
  const childOffset = childOff.slice(0, n);
  const childCount = childLen.slice(0, n);
  const children = flat.slice(0, flatLength);
  const keyString: (string | undefined)[] = new Array<string | undefined>(n);
  for (let i = 0; i < n; i++) {
    const count = childCount[i]!;
    const result = results[i];
    if (kindOf[i] === 1) {
      let keys = 0;
      for (const _ in result as object) keys++;
      if (count !== 2 * keys) return 'map entries do not pair up';
      const off = childOffset[i]!;
      for (let c = 0; c < count; c += 2) keyString[children[off + c]!] = String(results[children[off + c]!]); // raw; see keyOf below
    } else if (kindOf[i] === 2) {
      if (!Array.isArray(result) || count !== result.length) return 'sequence items do not match';
    } else if (count > 0) return 'scalar with children';
  }

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
      end[i] = e <= s || hasCommentStart(text, s, e) ? UNKNOWN : e;
    }
  }

  return { n, start, end, end2, kind, childOffset, childCount, children, keyString, root };
}

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

/**
 * Whether `build` tries `scanTable` before js-yaml's events (tests turn it off to compare the two
 * tables), and why the scanner left the last text it was given to js-yaml ('' when it read it).
 */
export const scanner = { enabled: true, lastDecline: '' };

/** Thrown inside the scanner: the text has a shape it does not read; js-yaml's events are used. */
class Unscanned extends Error {}
const unscanned = (reason: string): never => {
  throw new Unscanned(reason);
};

/**
 * The node table of a text in the plain block subset, read directly from the text in one pass
 * (several times cheaper than js-yaml's events): block maps and sequences (compact ones too),
 * one-line plain and quoted scalars, one-line flow collections of such scalars, empty map values,
 * comments and blank lines. Anything else (block scalars, multi-line scalars or flow collections,
 * empty sequence items, indicators, keys it would have to decode, a document marker, …) throws
 * `Unscanned` at once, and the caller reads the text through js-yaml's events instead: this
 * function gives either exactly the table `eventTable` gives or none (compared on the corpus by
 * `packages/core/test/yamlPositions.test.ts`). Only texts the fast path accepted reach it, so it
 * need not diagnose invalid YAML, only never read a text as a different tree than js-yaml does.
 */
function scanTable(text: string, docStart: number): NodeTable | undefined {
  try {
    const table = new Scan(text).table(docStart);
    scanner.lastDecline = '';
    return table;
  } catch (error) {
    if (error instanceof Unscanned || error instanceof RangeError) {
      scanner.lastDecline = error.message;
      return undefined;
    }
    throw error;
  }
}

function grown<T extends Int32Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

const SPACE = 32;
const NL = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQUOTE = 34;
const SQUOTE = 39;

/** First characters that are indicators (or need more care) where a plain scalar or key would start. */
const INDICATOR = new Uint8Array(128);
for (const ch of '-?:,[]{}#&*!|>\'"%@`') INDICATOR[ch.charCodeAt(0)] = 1;
/** Characters a plain scalar inside a flow collection stops at, or that this scanner leaves to js-yaml there. */
const FLOW_STOP = new Uint8Array(128);
for (const ch of ',[]{}#:\'"\n') FLOW_STOP[ch.charCodeAt(0)] = 1;

class Scan {
  private readonly len: number;
  // node columns in growable typed arrays (no object per node)
  private cap: number;
  private n = 0;
  private start: Int32Array;
  private end: Int32Array;
  private end2: Int32Array;
  private kind: Uint8Array;
  private childOffset: Int32Array;
  private childCount: Int32Array;
  private children: Int32Array;
  private childrenLength = 0;
  /** Key node ids and their strings, in order (spread into the table's `keyString` at the end). */
  private readonly keyIds: number[] = [];
  private readonly keyRaws: string[] = [];
  /** Start of the current content line (not blank, not a comment line), or `len` at the end. */
  private line = 0;
  /** Its indentation, or -1 at the end. */
  private ind = -1;
  /** `next`'s memory: for line breaks, `:` and `#`, the last position asked from and the answer. */
  private readonly nextFrom = new Int32Array([1, 1, 1]);
  private readonly nextAt = new Int32Array([0, 0, 0]);
  /** Where the value the last `inlineValue`, `flow…` call read ends (they return its node). */
  private after = 0;

  constructor(private readonly text: string) {
    this.len = text.length;
    this.cap = Math.max(64, text.length >> 3);
    this.start = new Int32Array(this.cap);
    this.end = new Int32Array(this.cap);
    this.end2 = new Int32Array(this.cap);
    this.kind = new Uint8Array(this.cap);
    this.childOffset = new Int32Array(this.cap);
    this.childCount = new Int32Array(this.cap);
    this.children = new Int32Array(this.cap);
  }

  /** The table of the document, which starts after the `---` ending at `docStart` (0: no marker). */
  table(docStart: number): NodeTable {
    const text = this.text;
    if (text.charCodeAt(0) === 0xfeff) unscanned('byte order mark');
    if (docStart > 0) {
      let p = docStart;
      while (text.charCodeAt(p) === SPACE) p++;
      if (text.charCodeAt(p) === HASH && p > docStart) p = text.indexOf('\n', p) === -1 ? this.len : text.indexOf('\n', p);
      if (p < this.len && text.charCodeAt(p) !== NL) unscanned('content after the document marker');
      this.advance(p + 1);
    } else this.advance(0);
    if (this.ind === -1) unscanned('no content');
    const root = this.blockNode();
    if (this.ind !== -1) unscanned('content after the root node');
    const n = this.n;
    const keyString = new Array<string | undefined>(n);
    for (let j = 0; j < this.keyIds.length; j++) keyString[this.keyIds[j]!] = this.keyRaws[j];
    return {
      n,
      start: this.start.slice(0, n),
      end: this.end.slice(0, n),
      end2: this.end2.slice(0, n),
      kind: this.kind.slice(0, n),
      childOffset: this.childOffset.slice(0, n),
      childCount: this.childCount.slice(0, n),
      children: this.children.slice(0, this.childrenLength),
      keyString,
      root,
    };
  }

  private node(kind: Kind, start: number, end: number, end2 = 0): number {
    if (this.n === this.cap) {
      const cap = (this.cap *= 2);
      this.start = grown(this.start, cap);
      this.end = grown(this.end, cap);
      this.end2 = grown(this.end2, cap);
      this.kind = grown(this.kind, cap);
      this.childOffset = grown(this.childOffset, cap);
      this.childCount = grown(this.childCount, cap);
    }
    const id = this.n++;
    this.start[id] = start;
    this.end[id] = end;
    this.end2[id] = end2;
    this.kind[id] = kind;
    this.childOffset[id] = this.childrenLength;
    return id;
  }

  private collection(kind: Kind, start: number, end: number, kids: number[]): number {
    const id = this.node(kind, start, end);
    const count = kids.length;
    if (this.childrenLength + count > this.children.length) this.children = grown(this.children, Math.max(this.children.length * 2, this.childrenLength + count));
    this.childCount[id] = count;
    for (let i = 0; i < count; i++) this.children[this.childrenLength++] = kids[i]!;
    return id;
  }

  /** Moves to the first content line at or after line start `p`. */
  private advance(p: number): void {
    const text = this.text;
    const len = this.len;
    while (p < len) {
      let s = p;
      while (text.charCodeAt(s) === SPACE) s++;
      const c = text.charCodeAt(s);
      if (c === NL) {
        p = s + 1;
      } else if (c === HASH) {
        const nl = text.indexOf('\n', s);
        p = nl === -1 ? len : nl + 1;
      } else if (s >= len) {
        p = len;
      } else {
        this.line = p;
        this.ind = s - p;
        return;
      }
    }
    this.line = len;
    this.ind = -1;
  }

  /** After a value ending at `e`: only spaces and a comment may follow on its line; moves to the next content line. */
  private endLine(e: number): void {
    const text = this.text;
    let p = e;
    while (text.charCodeAt(p) === SPACE) p++;
    if (text.charCodeAt(p) === HASH) {
      if (p === e) unscanned('comment without a space');
      const nl = text.indexOf('\n', p);
      p = nl === -1 ? this.len : nl;
    }
    if (p < this.len && text.charCodeAt(p) !== NL) unscanned('more after a value');
    this.advance(p + 1);
  }

  private isSeqItem(q: number): boolean {
    if (this.text.charCodeAt(q) !== DASH) return false;
    const c = this.text.charCodeAt(q + 1);
    return c === SPACE || c === NL || q + 1 >= this.len;
  }

  /** The block node at the current content line. */
  private blockNode(): number {
    const q = this.line + this.ind;
    if (this.isSeqItem(q)) return this.blockSeq(this.ind, q);
    if (this.keyColon(q) !== -1) return this.blockMap(this.ind, q);
    return unscanned('a scalar or flow collection on its own line');
  }

  private column(q: number): number {
    return q - (this.text.lastIndexOf('\n', q - 1) + 1);
  }

  /** The block sequence at column `col` whose first `-` is at `q`. */
  private blockSeq(col: number, q: number): number {
    const text = this.text;
    const kids: number[] = [];
    let item = q;
    for (;;) {
      let p = item + 1;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      if (p >= this.len || c === NL || c === HASH) {
        if (c === HASH && p === item + 1) unscanned('comment without a space');
        const nl = c === NL ? p : text.indexOf('\n', p);
        this.advance(nl === -1 ? this.len : nl + 1);
        if (this.ind <= col) unscanned('empty sequence item');
        kids.push(this.blockNode());
      } else if (this.isSeqItem(p)) {
        kids.push(this.blockSeq(this.column(p), p));
      } else if (this.keyColon(p) !== -1) {
        kids.push(this.blockMap(this.column(p), p));
      } else {
        const id = this.inlineValue(p);
        const e = this.after;
        kids.push(id);
        this.endLine(e);
        if (this.ind > col) unscanned('continuation line');
      }
      if (this.ind !== col || !this.isSeqItem(this.line + col)) break;
      item = this.line + col;
    }
    if (this.ind > col) unscanned('indented line after a sequence');
    return this.collection(Kind.BlockSeq, q, 0, kids);
  }

  /** The block map at column `col` whose first key is at `q`. */
  private blockMap(col: number, q: number): number {
    const text = this.text;
    const kids: number[] = [];
    let at = q;
    for (;;) {
      const colon = this.keyColon(at);
      if (colon === -1) unscanned('not a map entry');
      // (no duplicate check: the fast path's own parse already refused duplicate keys)
      const key = this.key(at, colon);
      let p = colon + 1;
      while (text.charCodeAt(p) === SPACE) p++;
      const c = text.charCodeAt(p);
      let value: number;
      if (p >= this.len || c === NL || c === HASH) {
        if (c === HASH && p === colon + 1) unscanned('comment without a space');
        const nl = c === NL ? p : text.indexOf('\n', p);
        this.advance(nl === -1 ? this.len : nl + 1);
        if (this.ind > col) value = this.blockNode();
        else if (this.ind === col && this.isSeqItem(this.line + col)) value = this.blockSeq(col, this.line + col);
        else {
          // an empty value: after the `:` and its spaces; `range[2]` unknown when a comment follows before the next content
          const next = this.ind === -1 ? this.len : this.line + this.ind;
          value = this.node(Kind.Empty, p, p, c === HASH || hasComment(text, p, next) ? UNKNOWN : p);
        }
      } else {
        const id = this.inlineValue(p);
        const e = this.after;
        value = id;
        this.endLine(e);
        if (this.ind > col) unscanned('continuation line');
      }
      kids.push(key, value);
      if (this.ind !== col) break;
      at = this.line + col;
      if (this.isSeqItem(at)) unscanned('sequence item at a map column');
    }
    if (this.ind > col) unscanned('indented line after a map');
    return this.collection(Kind.BlockMap, q, 0, kids);
  }

  /** Where the implicit key starting at `q` ends (its `:`), or -1 when the line holds no key there. */
  private keyColon(q: number): number {
    const text = this.text;
    const c = text.charCodeAt(q);
    let p = q;
    if (c === DQUOTE || c === SQUOTE) {
      p = this.quotedEnd(q);
      while (text.charCodeAt(p) === SPACE) p++;
      return text.charCodeAt(p) === COLON && this.separated(p + 1) ? p : -1;
    }
    // the first `:` followed by a space or the line end, unless a comment (` #`) starts before it
    const nl = this.next(NL, q);
    for (let colon = this.next(COLON, q); colon < nl; colon = this.next(COLON, colon + 1)) {
      if (!this.separated(colon + 1)) continue;
      for (let h = this.next(HASH, q); h < colon; h = this.next(HASH, h + 1)) if (text.charCodeAt(h - 1) === SPACE) return -1;
      return colon;
    }
    return -1;
  }

  /**
   * The first `ch` (a line break, `:` or `#`) at or after `p`, or the text's length: `indexOf`,
   * remembered per character, so that the forward walk of the scanner stays linear.
   */
  private next(ch: number, p: number): number {
    const slot = ch === NL ? 0 : ch === COLON ? 1 : 2;
    const at = this.nextAt[slot]!;
    if (p >= this.nextFrom[slot]! && p <= at) return at;
    const found = this.text.indexOf(ch === NL ? '\n' : ch === COLON ? ':' : '#', p);
    const r = found === -1 ? this.len : found;
    this.nextFrom[slot] = p;
    this.nextAt[slot] = r;
    return r;
  }

  /** A space, a line break or the end at `p` (what makes a `:` a value indicator in block context). */
  private separated(p: number): boolean {
    const c = this.text.charCodeAt(p);
    return c === SPACE || c === NL || p >= this.len;
  }

  /** The key node at `q` ending with the `:` at `colon`. */
  private key(q: number, colon: number): number {
    const text = this.text;
    const c = text.charCodeAt(q);
    let id: number;
    let raw: string;
    if (c === DQUOTE || c === SQUOTE) {
      const e = this.quotedEnd(q);
      raw = this.unquote(q, e);
      id = this.node(Kind.Quoted, q, e);
    } else {
      if (!(c < 128) || INDICATOR[c] === 1) {
        if (c !== DASH || this.separated(q + 1)) unscanned('key starts with an indicator');
      }
      let e = colon;
      while (e > q && text.charCodeAt(e - 1) === SPACE) e--;
      if (e === q) unscanned('empty key');
      raw = text.slice(q, e);
      id = this.node(Kind.Plain, q, e);
    }
    this.keyIds.push(id);
    this.keyRaws.push(raw);
    return id;
  }

  /** The end (after the closing quote) of the one-line quoted scalar at `q`. */
  private quotedEnd(q: number): number {
    const text = this.text;
    const quote = text.charCodeAt(q);
    for (let p = q + 1; p < this.len; p++) {
      const ch = text.charCodeAt(p);
      if (ch === NL) break;
      if (quote === DQUOTE && ch === 92) p++;
      else if (ch === quote) {
        if (quote === SQUOTE && text.charCodeAt(p + 1) === SQUOTE) p++;
        else return p + 1;
      }
    }
    return unscanned('multi-line quoted scalar');
  }

  /** The string a quoted key stands for (escapes in double quotes are left to js-yaml). */
  private unquote(q: number, e: number): string {
    const inner = this.text.slice(q + 1, e - 1);
    if (this.text.charCodeAt(q) === SQUOTE) return inner.replaceAll("''", "'");
    if (inner.includes('\\')) unscanned('escape in a quoted key');
    return inner;
  }

  /** A value on the rest of a line (scalar or flow collection) at `p`: its node (its end in `after`). */
  private inlineValue(p: number): number {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const e = this.quotedEnd(p);
      this.after = e;
      return this.node(Kind.Quoted, p, e);
    }
    if (c === 91 || c === 123) return this.flow(p, 0);
    if (!(c < 128) || INDICATOR[c] === 1) {
      if (c !== DASH || this.separated(p + 1)) unscanned('value starts with an indicator');
    }
    // up to the line end or a comment (` #`); a `: ` (or a `:` ending it) inside is left to js-yaml
    let e = this.next(NL, p);
    for (let h = this.next(HASH, p); h < e; h = this.next(HASH, h + 1)) {
      if (text.charCodeAt(h - 1) === SPACE) {
        e = h;
        break;
      }
    }
    for (let colon = this.next(COLON, p); colon < e; colon = this.next(COLON, colon + 1)) {
      if (this.separated(colon + 1)) unscanned('`: ` inside a plain value');
    }
    while (text.charCodeAt(e - 1) === SPACE) e--;
    this.after = e;
    return this.node(Kind.Plain, p, e);
  }

  /** The one-line flow collection at `p` (`[` or `{`): its node (its end in `after`). */
  private flow(p: number, depth: number): number {
    if (depth > 64) unscanned('deep flow nesting');
    const text = this.text;
    const isSeq = text.charCodeAt(p) === 91;
    const close = isSeq ? 93 : 125;
    const kids: number[] = [];
    let i = p + 1;
    const spaces = (): void => {
      while (text.charCodeAt(i) === SPACE) i++;
    };
    spaces();
    if (text.charCodeAt(i) !== close) {
      for (;;) {
        if (isSeq) {
          const id = this.flowItem(i, depth);
          const e = this.after;
          kids.push(id);
          i = e;
          spaces();
        } else {
          const c = text.charCodeAt(i);
          let key: number;
          if (c === DQUOTE || c === SQUOTE) {
            const e = this.quotedEnd(i);
            key = this.node(Kind.Quoted, i, e);
            this.keyIds.push(key);
            this.keyRaws.push(this.unquote(i, e));
            i = e;
          } else {
            const id = this.flowPlain(i, true);
            const e = this.after;
            key = id;
            this.keyIds.push(key);
            this.keyRaws.push(text.slice(i, e));
            i = e;
          }
          spaces();
          if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SPACE) unscanned('flow map entry without `: `');
          i++;
          spaces();
          const value = this.flowItem(i, depth);
          const e = this.after;
          kids.push(key, value);
          i = e;
          spaces();
        }
        const ch = text.charCodeAt(i);
        if (ch === close) break;
        if (ch !== 44) unscanned('flow collection syntax');
        i++;
        spaces();
        if (text.charCodeAt(i) === close) unscanned('trailing comma');
      }
    }
    const end = i + 1;
    this.after = end;
    return this.collection(isSeq ? Kind.FlowSeq : Kind.FlowMap, p, end, kids);
  }

  private flowItem(i: number, depth: number): number {
    const c = this.text.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const e = this.quotedEnd(i);
      this.after = e;
      return this.node(Kind.Quoted, i, e);
    }
    if (c === 91 || c === 123) return this.flow(i, depth + 1);
    return this.flowPlain(i, false);
  }

  /**
   * A plain scalar inside a flow collection: up to a `,` or a bracket (a key: up to its `: `);
   * a `:` elsewhere, a `#`, a quote or the line end inside it are left to js-yaml.
   */
  private flowPlain(i: number, key: boolean): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (!(c < 128) || INDICATOR[c] === 1 || c === SPACE || c === NL) unscanned('flow scalar starts with an indicator');
    let e = i;
    for (;;) {
      const ch = text.charCodeAt(e);
      if (e >= this.len) unscanned('flow collection not closed on its line');
      if (ch < 128 && FLOW_STOP[ch] === 1) break;
      e++;
    }
    const ch = text.charCodeAt(e);
    const ok = key ? ch === COLON && text.charCodeAt(e + 1) === SPACE : ch === 44 || ch === 93 || ch === 125;
    if (!ok) unscanned('flow scalar stops at `:`, `#`, a quote or the line end');
    while (text.charCodeAt(e - 1) === SPACE) e--;
    this.after = e;
    return this.node(Kind.Plain, i, e);
  }
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

/** A ` #` (or a `#` after a line break) between two offsets: a comment inside what should be one plain scalar. */
function hasCommentStart(text: string, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) {
    if (text.charCodeAt(i) !== 35) continue;
    const c = text.charCodeAt(i - 1);
    if (c === 32 || c === 10 || c === 9) return true;
  }
  return false;
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
