import { createRequire } from 'node:module';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { Range } from '../diagnostic.js';
import { parsePointer } from '../pointer.js';
import { trimEndIndex } from '../text.js';
import { LineIndex } from './lines.js';
import { WHOLE_FILE, type ParseProblem } from './problems.js';
import { YamlPositions } from './yamlPositions.js';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
/**
 * The `yaml` package (CommonJS, about 70 modules) is loaded on first use: a run whose YAML files
 * all take the js-yaml fast path and need no positions from it never loads it.
 */
const yaml = (): YamlModule => (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
const isAlias = ((node: unknown) => yaml().isAlias(node)) as YamlModule['isAlias'];
const isMap = ((node: unknown) => yaml().isMap(node)) as YamlModule['isMap'];
const isPair = ((node: unknown) => yaml().isPair(node)) as YamlModule['isPair'];
const isScalar = ((node: unknown) => yaml().isScalar(node)) as YamlModule['isScalar'];
const isSeq = ((node: unknown) => yaml().isSeq(node)) as YamlModule['isSeq'];
const parseAllDocuments: YamlModule['parseAllDocuments'] = (source, options) => yaml().parseAllDocuments(source, options);
const visit: YamlModule['visit'] = ((node, visitor) => yaml().visit(node, visitor)) as YamlModule['visit'];

export interface YamlParseOptions {
  /** Aliases resolved at most this many times per document (billion-laughs guard). */
  maxAliasCount?: number;
}

/** A parsed YAML file: its plain value, its parse problems and a pointer → range index. */
export interface YamlDocument {
  readonly kind: 'yaml';
  readonly path: string;
  readonly text: string;
  /**
   * The plain JS value of the first document (merge keys resolved); `undefined` when the file
   * could not be parsed. Duplicate keys alone (each a `duplicate-key` problem) keep a value: the
   * last occurrence of a key wins.
   */
  readonly value: unknown;
  readonly problems: readonly ParseProblem[];
  /** Range of the node a JSON pointer names (the value; the key when the value is empty; else the nearest ancestor). */
  locate(pointer: string): Range;
  /** Range of the key of the map entry a pointer names, when it is a map entry. */
  locateKey(pointer: string): Range | undefined;
  readonly lines: LineIndex;
}

const MAX_DEPTH_GUARD = 1000;
/** Deeper flow nesting (`[[[[...`) is refused before parsing: the parser's cost grows without bound. */
const MAX_FLOW_DEPTH = 64;

/** Offset where `[`/`{` nesting first exceeds `max`, ignoring quoted strings and comments. */
function flowDepthExceeded(text: string, max: number): number | undefined {
  if (text.length < max) return undefined;
  // Fewer brackets than the limit cannot nest deeper than it: most texts stop here (a few indexOf scans).
  let brackets = 0;
  for (let i = text.indexOf('['); i !== -1 && brackets <= max; i = text.indexOf('[', i + 1)) brackets++;
  for (let i = text.indexOf('{'); i !== -1 && brackets <= max; i = text.indexOf('{', i + 1)) brackets++;
  if (brackets <= max) return undefined;
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      else if (ch === '\n' && depth === 0) quote = '';
      continue;
    }
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) break;
      i = nl;
      continue;
    }
    if ((ch === '"' || ch === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) quote = ch;
    else if (ch === '[' || ch === '{') {
      if (++depth > max) return i;
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return undefined;
}

type JsYaml = typeof import('js-yaml');
let jsYamlModule: JsYaml | undefined;
/** js-yaml is loaded on first use (a run that parses no YAML never loads it). */
const jsYaml = (): JsYaml => (jsYamlModule ??= createRequire(import.meta.url)('js-yaml') as JsYaml);

/**
 * The value of a YAML text as js-yaml loads it (merge keys resolved, a duplicate key's last value
 * kept); throws on a syntax error. For comparisons of a text before and after an edit.
 */
export const loadYamlValue = (text: string): unknown => jsYaml().load(text, { json: true });

/**
 * The `yaml` package's YAML 1.2 core schema, as js-yaml implicit types: same patterns, same
 * values (js-yaml's own CORE_SCHEMA also reads `0b101`, `-0x1F`, `+0o17` as numbers, `-0` as 0,
 * `1e400` as a string and `+.5` as a string, where `yaml` does not). The schema has no explicit
 * types and the resolvers refuse explicit tags (`!!str 1`, `!!binary`, `!custom`): js-yaml then
 * throws and the file takes the `yaml` path, whose tag handling (and warnings) stay authoritative.
 */
const CORE_SCALARS: readonly { tag: string; test: RegExp; first: RegExp; construct(s: string): unknown }[] = [
  { tag: 'null', first: /^[~nN]/, test: /^(?:~|[Nn]ull|NULL)$/, construct: () => null },
  { tag: 'bool', first: /^[tTfF]/, test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, construct: (s) => s[0] === 't' || s[0] === 'T' },
  { tag: 'int', first: /^0/, test: /^0o[0-7]+$/, construct: (s) => parseInt(s.substring(2), 8) },
  { tag: 'int', first: /^[-+0-9]/, test: /^[-+]?[0-9]+$/, construct: (s) => parseInt(s, 10) },
  { tag: 'int', first: /^0/, test: /^0x[0-9a-fA-F]+$/, construct: (s) => parseInt(s.substring(2), 16) },
  {
    tag: 'float',
    first: /^[-+.]/,
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    construct: (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
  },
  { tag: 'float', first: /^[-+.0-9]/, test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, construct: (s) => parseFloat(s) },
  { tag: 'float', first: /^[-+.0-9]/, test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, construct: (s) => parseFloat(s) },
];

/** First characters each core scalar type can start with (ASCII table; the patterns need ASCII there). */
const FIRST_TABLES = CORE_SCALARS.map((t) => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (t.first.test(String.fromCharCode(c))) table[c] = 1;
  return table;
});

/** A plain scalar's value under the core schema (the fast path's implicit types, in their order). */
function coreScalar(s: string): unknown {
  const c = s.charCodeAt(0);
  if (!(c < 128)) return s;
  for (let i = 0; i < CORE_SCALARS.length; i++) {
    const t = CORE_SCALARS[i]!;
    if (FIRST_TABLES[i]![c] === 1 && t.test.test(s)) return t.construct(s);
  }
  return s;
}

let coreSchema: unknown;
function fastSchema(): unknown {
  if (coreSchema) return coreSchema;
  const js = jsYaml();
  const implicit = CORE_SCALARS.map(
    (t, i) =>
      new js.Type(`tag:spine-lint,2026:core-${t.tag}-${i}`, {
        kind: 'scalar',
        // An explicit tag calls resolve(data, tag): refuse, so the file goes to the `yaml` path.
        resolve: (data: unknown, explicitTag?: string) => explicitTag === undefined && typeof data === 'string' && FIRST_TABLES[i]![data.charCodeAt(0)] === 1 && t.test.test(data),
        construct: (data: string) => t.construct(data),
      }),
  );
  return (coreSchema = new js.Schema({ implicit, explicit: [] }));
}

/**
 * Something that may be an anchor (`&name`), even in a comment or a quoted string: then the parser
 * itself says whether an anchor was defined. An alias needs an anchor (js-yaml rejects one
 * without), so no anchor means no alias expansion.
 */
const MAYBE_ANCHOR = /(?:^|[\s[{,])&[^\s,\]}]/m;
/**
 * Texts whose value js-yaml would build differently from `yaml`, found cheaply (a superset: a
 * match only costs the slower path): a carriage return (`yaml` rejects a CRLF line break inside a
 * double-quoted string, js-yaml folds it), a `%YAML`/`%TAG` directive (`%YAML 1.1` switches
 * `yaml` to the 1.1 schema, where `yes` is true), a comment right after an explicit `?` key
 * indicator (in a flow collection the listener below would not see past it), or what may be a
 * merge key (`<<:`, `? <<`): `yaml` merges it (`merge: true`), js-yaml's core schema keeps `<<` as
 * a key. (With an alias, `<<: *a`, the anchor alone already refuses the text.)
 */
const DIVERGENT_TEXT = /\r|^%|(?:^|[\s[{,])\?[ \t]+#|(?:^|[\s[{,])(?:<<[ \t]*:|\?[ \t]+<<[ \t]*(?:[#,\]}]|$))/m;
/**
 * Something that may be a flow collection used as an implicit key (`[a, b]: x`) or an explicit
 * key (`? [a, b]`, `? - a`); the parser's listener decides.
 */
const MAYBE_COLLECTION_KEY = /[\]}][ \t]*:|(?:^|[\s[{,])\?(?:[ \t]|$)/m;

interface LoaderState {
  input: string;
  position: number;
  kind: string | null;
  anchorMap?: Record<string, unknown>;
}

/**
 * The value of a YAML text through js-yaml (about 10× faster than `yaml`'s positioned parse on the
 * corpus), or
 * `undefined` when the text must take the `yaml` path: js-yaml rejects it (syntax, duplicate key,
 * explicit tag, too deep); it defines an anchor (alias expansion is bounded by `maxAliasCount` on
 * the `yaml` path only); it holds zero or several documents; its value is null (a comment-only
 * file is no document for `yaml`, `null` for js-yaml); or it has a shape the two parsers turn into
 * different values: a collection as a key (js-yaml joins `[a, b]` to `a,b`, `yaml` writes
 * `[ a, b ]`), a null or empty key (`~: x`, `{: x}`: key `null` for js-yaml, the empty string for
 * `yaml`), or DIVERGENT_TEXT (merge keys included). `test/yaml-parity-corpus.test.ts` proves the values equal on every
 * distinct YAML file of the corpus.
 */
export function fastYamlValue(text: string): { value: unknown } | undefined {
  if (DIVERGENT_TEXT.test(text)) return undefined;
  let divergent = false;
  const watchAnchors = MAYBE_ANCHOR.test(text);
  const watchKeys = MAYBE_COLLECTION_KEY.test(text);
  const opened: number[] = [];
  const listener =
    watchAnchors || watchKeys
      ? (event: string, state: LoaderState) => {
          if (divergent) return;
          if (event === 'open') {
            if (watchKeys) opened.push(state.position);
            return;
          }
          if (watchAnchors && state.anchorMap) for (const _ in state.anchorMap) return void (divergent = true);
          if (!watchKeys) return;
          const start = opened.pop() ?? 0;
          if (state.kind !== 'sequence' && state.kind !== 'mapping') return;
          const input = state.input;
          // A collection followed by `:` is an implicit key; one right after `?` an explicit key (a
          // block key's node opens right after its `?`, a flow key's after the separating space).
          let i = state.position;
          while (input[i] === ' ' || input[i] === '\t') i++;
          let j = start - 1;
          while (input[j] === ' ' || input[j] === '\t' || input[j] === '\n') j--;
          if (input[i] === ':' || input[j] === '?') divergent = true;
        }
      : undefined;
  let documents = 0;
  let value: unknown;
  try {
    jsYaml().loadAll(
      text,
      (doc) => {
        documents++;
        value = doc;
      },
      { schema: fastSchema() as never, json: false, ...(listener ? { listener: listener as never } : {}) },
    );
  } catch {
    return undefined;
  }
  if (divergent || documents !== 1 || value === null || value === undefined || hasNullKey(value)) return undefined;
  return { value };
}

/** A `null` key anywhere: js-yaml's spelling of a null or empty key (`yaml` makes it the empty string). */
function hasNullKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    for (const key in v) {
      if (key === 'null') return true;
      const item = (v as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
  return false;
}

export function parseYamlDocument(path: string, text: string, options: YamlParseOptions = {}): YamlDocument {
  const deep = flowDepthExceeded(text, MAX_FLOW_DEPTH);
  if (deep !== undefined) {
    const lines = new LineIndex(text);
    const problems: ParseProblem[] = [
      {
        code: 'too-deep',
        message: `Flow collections nest more than ${MAX_FLOW_DEPTH} levels deep here; the file is not parsed (bindings never need this, and unbounded nesting can exhaust the parser).`,
        range: lines.range(deep, deep + 1),
        severity: 'error',
      },
    ];
    return { kind: 'yaml', path, text, value: undefined, problems, lines, locate: () => WHOLE_FILE, locateKey: () => undefined };
  }
  const fast = fastYamlValue(text);
  return fast ? lazyYamlDocument(path, text, fast.value) : fullYamlDocument(path, text, options);
}

/**
 * The document of a text whose value the fast path already built (`fastYamlValue`): the same
 * document `parseYamlDocument` returns, without parsing the text again.
 */
export function yamlDocumentFromValue(path: string, text: string, value: unknown, options: YamlParseOptions = {}): YamlDocument {
  if (flowDepthExceeded(text, MAX_FLOW_DEPTH) !== undefined) return parseYamlDocument(path, text, options);
  return lazyYamlDocument(path, text, value);
}

/**
 * A document whose value came from the fast parser: no problems, and positions from a position
 * index built (one more js-yaml pass with a listener, `YamlPositions`) the first time a position
 * is asked for; where that index does not know a range exactly, the positioned `yaml` document is
 * built from the same text. A file without findings pays for neither.
 */
function lazyYamlDocument(path: string, text: string, value: unknown): YamlDocument {
  let lines: LineIndex | undefined;
  let doc: Document.Parsed | undefined;
  let built = false;
  let index: YamlPositions | undefined;
  let indexed = false;
  const lineIndex = (): LineIndex => (lines ??= new LineIndex(text));
  const positions = (): YamlPositions | undefined => {
    if (!indexed) {
      indexed = true;
      index = yamlPositionsOf(text);
    }
    return index;
  };
  const positioned = (): Document.Parsed | undefined => {
    if (!built) {
      built = true;
      // Same options as the full parse (same ranges); no toJS: the value is already known.
      try {
        const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: true, merge: true });
        doc = Array.isArray(docs) ? docs[0] : undefined;
      } catch {
        doc = undefined; // positions degrade to the file start; the value stays valid
      }
    }
    return doc;
  };
  const document: YamlDocument = {
    kind: 'yaml',
    path,
    text,
    value,
    problems: [],
    get lines() {
      return lineIndex();
    },
    locate: (ptr) => {
      const r = positions()?.locate(ptr);
      return r ? lineIndex().range(r[0], r[1]) : locateIn(positioned(), lineIndex(), ptr);
    },
    locateKey: (ptr) => {
      const r = positions()?.locateKey(ptr);
      if (r === null) return undefined;
      return r ? lineIndex().range(r[0], r[1]) : locateKeyIn(positioned(), lineIndex(), ptr);
    },
  };
  fastDocuments.add(document);
  return document;
}

const fastDocuments = new WeakSet<YamlDocument>();

/**
 * Whether the fast parser accepted the document's text (value from js-yaml, no problems): a
 * verdict that depends on the text alone, not on parse options such as the alias limit.
 */
export const acceptedByFastParser = (doc: YamlDocument): boolean => fastDocuments.has(doc);

/**
 * The position index of a text the fast path accepts (`fastYamlValue`), from one more js-yaml
 * pass; `undefined` when the text has a shape the index does not model.
 */
export function yamlPositionsOf(text: string): YamlPositions | undefined {
  try {
    // Every scalar read as a string (twice as fast as the core schema's resolution): positions do
    // not depend on values; keys are then resolved as the core schema does (`1.0:` is key "1"). A
    // plain and a quoted key spelled alike (`0x1F:` and `"0x1F":`) collide there: no index, `yaml` positions.
    return YamlPositions.build(
      text,
      (listener) => {
        const js = jsYaml();
        js.load(text, { schema: js.FAILSAFE_SCHEMA, json: false, listener: listener as never });
      },
      (raw, quoted) => (quoted ? raw : String(coreScalar(raw))),
    );
  } catch {
    return undefined;
  }
}

/**
 * The document as the `yaml` package alone positions it (its positioned parse of the whole text),
 * whatever the fast path could do: the reference `test/yaml-positions-corpus.test.ts` compares
 * the position index with.
 */
export function parseYamlDocumentPositioned(path: string, text: string, options: YamlParseOptions = {}): YamlDocument {
  return fullYamlDocument(path, text, options);
}

/** The `yaml` package's positioned parse of the whole text: exact problems, value from `toJS`. */
function fullYamlDocument(path: string, text: string, options: YamlParseOptions): YamlDocument {
  const lines = new LineIndex(text);
  const problems: ParseProblem[] = [];
  const lineCounter = new (yaml().LineCounter)();
  let doc: Document.Parsed | undefined;
  let value: unknown;

  const rangeOf = (start: number, end: number): Range => lines.range(start, end);

  try {
    // uniqueKeys is checked here in one pass (a Map per YAML map) instead of by the parser, whose
    // check scans every earlier key for each new one: quadratic in the size of a map (10 000
    // services under one `services:` key took tens of seconds). Same errors, same positions.
    // merge: YAML 1.1 merge keys (`<<: *defaults`, `<<: [*a, *b]`, `<<: {...}`) are resolved as
    // 1.1 loaders and yq do: explicit keys override merged ones, an earlier source a later one.
    const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true, merge: true });
    const list = Array.isArray(docs) ? docs : [];
    for (const d of list) addDuplicateKeyErrors(d);
    doc = list[0];
    if (list.length > 1) {
      const second = list[1]!;
      const start = second.range?.[0] ?? 0;
      problems.push({
        code: 'multiple-documents',
        message: `File holds ${list.length} YAML documents; only the first is read. Remove the extra '---' separator or split the file.`,
        range: rangeOf(start, start + 3),
        severity: 'warning',
      });
    }
    for (const d of list) {
      for (const err of d.errors) {
        const [start, end] = err.pos;
        const pairs = duplicatePairs.get(err);
        const suggestions = pairs ? keepOneOf(text, lines, pairs.first, pairs.later) : [];
        problems.push({
          code: err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax',
          message: describeYamlError(err.code, err.message, text, start, end),
          range: rangeOf(start, Math.max(end, start + (err.code === 'DUPLICATE_KEY' ? keyLength(text, start) : 1))),
          severity: 'error',
          ...(suggestions.length > 0 ? { suggestions } : {}),
        });
      }
    }
    // Duplicate keys alone still give a value (each reported above): `toJS` keeps the last
    // occurrence of a key, at every depth, as YAML loaders and yq do. Without it every check would
    // read the file as missing.
    if (doc && doc.errors.every((e) => duplicateKeyErrors.has(e))) {
      try {
        value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
        // `&x [*x]` loads as a value that contains itself: no check can read it (nor print it).
        const recursive = text.includes('&') ? firstRecursiveAliasOffset(doc) : undefined;
        if (recursive !== undefined) {
          problems.push({
            code: 'syntax',
            message: `A recursive alias: '${text.slice(recursive, recursive + 40).split(/[\s,\]}]/)[0]}' sits inside the node its anchor names, so the value would contain itself. Replace the alias with a plain value.`,
            range: rangeOf(recursive, recursive + 1),
            severity: 'error',
          });
          value = undefined;
        }
      } catch (error) {
        // `yaml` throws a ReferenceError for its alias limit (a bad merge source is a plain Error
        // whose message also says "alias"); by name, not instanceof: the module may load in another realm.
        const isAliasBomb = (error as Error)?.name === 'ReferenceError' && /alias/i.test((error as Error).message);
        const badMerge = isAliasBomb ? undefined : firstBadMergeOffset(doc);
        const alias = badMerge ?? firstAliasOffset(doc);
        problems.push({
          code: isAliasBomb ? 'alias-limit' : 'syntax',
          message: isAliasBomb
            ? `Too many alias expansions (limit ${options.maxAliasCount ?? 100}): the document would expand without bound (a "billion laughs" shape). Replace the aliases with plain values.`
            : badMerge !== undefined
              ? `A merge key ('<<') must name a map or a list of maps (\`<<: *defaults\`, \`<<: [*a, *b]\`).`
              : `YAML could not be resolved: ${(error as Error).message}`,
          range: alias === undefined ? WHOLE_FILE : rangeOf(alias, alias + (badMerge !== undefined ? 2 : 1)),
          severity: 'error',
        });
        value = undefined;
      }
    } else if (doc) {
      // Syntax errors: keep what was understood so other files' checks still run; this file's checks see `undefined`.
      value = undefined;
    }
  } catch (error) {
    problems.push({
      code: 'syntax',
      message: `YAML could not be parsed: ${error instanceof RangeError ? 'nesting too deep' : (error as Error).message}`,
      range: WHOLE_FILE,
      severity: 'error',
    });
    doc = undefined;
    value = undefined;
  }

  return {
    kind: 'yaml',
    path,
    text,
    value,
    problems,
    lines,
    locate: (ptr) => locateIn(doc, lines, ptr),
    locateKey: (ptr) => locateKeyIn(doc, lines, ptr),
  };
}

function findNode(doc: Document.Parsed | undefined, ptr: string): { node: Node | null; key?: Node; ancestor: Node | null } {
  if (!doc) return { node: null, ancestor: null };
  let current: unknown = doc.contents;
  let key: Node | undefined;
  let ancestor: Node | null = (doc.contents as Node | null) ?? null;
  let segments: string[];
  try {
    segments = parsePointer(ptr);
  } catch {
    return { node: null, ancestor };
  }
  let depth = 0;
  for (const segment of segments) {
    if (++depth > MAX_DEPTH_GUARD) break;
    while (isAlias(current)) current = (current as { resolve(d: Document): unknown }).resolve(doc);
    if (isMap(current)) {
      const pair = entryPair(doc, current, segment);
      if (!pair) return { node: null, ancestor };
      key = pair.key as Node;
      current = pair.value;
      if (current === null || current === undefined) return { node: null, key, ancestor: key };
    } else if (isSeq(current)) {
      const index = Number(segment);
      const item = Number.isInteger(index) ? current.items[index] : undefined;
      if (item === undefined) return { node: null, ancestor };
      key = undefined;
      current = item;
      if (current === null) return { node: null, ancestor };
    } else {
      return { node: null, ancestor };
    }
    ancestor = current as Node;
  }
  return { node: (current as Node) ?? null, key, ancestor };
}

function nodeRange(lines: LineIndex, node: Node | null | undefined): Range | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return lines.range(r[0], r[1]);
}

/** Range of the node a pointer names: the value; the key when the value is empty; else the nearest ancestor. */
function locateIn(doc: Document.Parsed | undefined, lines: LineIndex, ptr: string): Range {
  const found = findNode(doc, ptr);
  const r = found.node?.range;
  // An empty value (`key:`) has an empty range: point at its key instead.
  const emptyValue = r !== undefined && r !== null && r[0] === r[1];
  return (emptyValue ? undefined : nodeRange(lines, found.node)) ?? nodeRange(lines, found.key) ?? nodeRange(lines, found.ancestor) ?? WHOLE_FILE;
}

function locateKeyIn(doc: Document.Parsed | undefined, lines: LineIndex, ptr: string): Range | undefined {
  return nodeRange(lines, findNode(doc, ptr).key);
}

const isMergeKey = (key: unknown): boolean => isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

/**
 * The pair that gives a map's entry `segment` its value, as `toJS` builds it: the last explicit
 * pair with that key (a duplicate key: last wins), else the first pair found in the merge sources
 * (`<<: *a`, `<<: [*a, *b]`, `<<: {...}`), in order, each source's own merges before the next
 * source (depth first, pre-order; a map is looked at once, so a cyclic merge ends).
 */
function entryPair(doc: Document.Parsed, map: YAMLMap, segment: string): Pair | undefined {
  const stack: YAMLMap[] = [map];
  const seen = new Set<YAMLMap>();
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const items = current.items;
    let merges: unknown[] | undefined;
    for (let i = items.length - 1; i >= 0; i--) {
      const pair = items[i]!;
      if (!isPair(pair)) continue;
      if (isMergeKey(pair.key)) (merges ??= []).push(pair.value);
      else if (keyString(pair.key) === segment) return pair;
    }
    if (!merges) continue;
    // merges holds the `<<` values last first: push their maps so that the first source pops first
    for (const value of merges) {
      const source = resolveAlias(doc, value);
      const sources = isSeq(source) ? [...source.items].reverse() : [source];
      for (const s of sources) {
        const m = resolveAlias(doc, s);
        if (isMap(m)) stack.push(m);
      }
    }
  }
  return undefined;
}

function resolveAlias(doc: Document.Parsed, node: unknown): unknown {
  for (let i = 0; i < MAX_DEPTH_GUARD && isAlias(node); i++) node = (node as { resolve(d: Document): unknown }).resolve(doc);
  return node;
}

/** Offset of the first merge key whose value is not a map, an alias of one or a list of those. */
function firstBadMergeOffset(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (!isMergeKey(pair.key)) return undefined;
      const source = resolveAlias(doc, pair.value);
      const sources = isSeq(source) ? source.items : [source];
      if (sources.every((s) => isMap(resolveAlias(doc, s)))) return undefined;
      found = (pair.key as Node).range?.[0];
      return yaml().visit.BREAK;
    },
  });
  return found;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return typeof key.value === 'symbol' ? undefined : String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
}

function firstAliasOffset(doc: Document.Parsed): number | undefined {
  return firstAliasWhere(doc, () => true);
}

/** Offset of the first alias inside the node its own anchor names (`&x [*x]`, `&m {<<: *m}`). */
function firstRecursiveAliasOffset(doc: Document.Parsed): number | undefined {
  return firstAliasWhere(doc, (alias, at) => {
    const r = (alias as { resolve(d: Document): Node | undefined }).resolve(doc)?.range;
    return !!r && r[0] <= at && at < r[2];
  });
}

/** Offset of the first alias of the document (in document order) that `test` accepts. */
function firstAliasWhere(doc: Document.Parsed, test: (alias: unknown, at: number) => boolean): number | undefined {
  let found: number | undefined;
  const walk = (node: unknown, depth: number): void => {
    if (found !== undefined || depth > MAX_DEPTH_GUARD) return;
    if (isAlias(node)) {
      const at = node.range?.[0];
      if (at !== undefined && test(node, at)) found = at;
      return;
    }
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          walk(item.key, depth + 1);
          walk(item.value, depth + 1);
        } else walk(item, depth + 1);
      }
    }
  };
  walk(doc.contents, 0);
  return found;
}

/** The errors `addDuplicateKeyErrors` added: a document with only these still gets a value (last wins). */
const duplicateKeyErrors = new WeakSet<object>();
/** For each of those errors, the first pair with the key and the later one the error is about. */
const duplicatePairs = new WeakMap<object, { first: Pair; later: Pair }>();

/**
 * Which of two duplicate keys to keep is a decision (ESLint's suggestions, not a fix): one
 * suggestion deletes the later entry, one the first. Only block-style entries whose lines hold
 * nothing else (the key first on its line, the value ending its line) are offered: deleting whole
 * lines there cannot touch a neighbour.
 */
function keepOneOf(text: string, lines: LineIndex, first: Pair, later: Pair): NonNullable<ParseProblem['suggestions']> {
  const linesOf = (pair: Pair): { start: number; end: number; line: number } | undefined => {
    const keyStart = (pair.key as Node | null)?.range?.[0];
    const valueEnd = (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node | null)?.range?.[1];
    if (keyStart === undefined || valueEnd === undefined) return undefined;
    const start = text.lastIndexOf('\n', keyStart - 1) + 1;
    if (text.slice(start, keyStart).trim() !== '') return undefined; // `- key:` or a flow map: not a line of its own
    let end = text.indexOf('\n', Math.max(keyStart, valueEnd - 1));
    end = end === -1 ? text.length : end + 1;
    const rest = text.slice(valueEnd, end).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
    return { start, end, line: lines.position(keyStart).line };
  };
  const a = linesOf(first);
  const b = linesOf(later);
  if (!a || !b || a.end > b.start) return [];
  const key = String((later.key as { value?: unknown }).value);
  return [
    { description: `keep the first '${key}' (line ${a.line}): delete the one on line ${b.line}`, edits: [{ range: lines.range(b.start, b.end), text: '' }] },
    { description: `keep the last '${key}' (line ${b.line}, the one YAML loaders and yq read): delete the one on line ${a.line}`, edits: [{ range: lines.range(a.start, a.end), text: '' }] },
  ];
}

/**
 * The parser's DUPLICATE_KEY errors (`uniqueKeys: true`), found in linear time: a later scalar key
 * equal (===) to an earlier one of the same map, reported at the later key's start. A merge key
 * (`<<`) is no duplicate of anything: a key it merges in and an explicit key overrides is not
 * compared (only explicit keys are), and two `<<` keys in one map are not reported either (each
 * parses to its own symbol; `yaml`'s own `uniqueKeys` and yamllint's default agree): they merge in
 * order, the earlier winning, as `<<: [*a, *b]` does.
 */
function addDuplicateKeyErrors(doc: Document.Parsed): void {
  let added = false;
  visit(doc, {
    Map(_, map) {
      if (map.items.length < 2) return;
      const seen = new Map<unknown, Pair>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        const value = key.value;
        if (typeof value === 'number' && Number.isNaN(value)) continue; // NaN !== NaN for the parser too
        const first = seen.get(value);
        if (first) {
          const start = key.range?.[0] ?? 0;
          const error = new (yaml().YAMLParseError)([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
          duplicateKeyErrors.add(error);
          duplicatePairs.set(error, { first, later: pair as Pair });
          doc.errors.push(error);
          added = true;
        } else seen.set(value, pair as Pair);
      }
    },
  });
  if (added) doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}

/** A quoted key and the `:` after it (linear: the quoted forms cannot end early, `\s*` is followed by a literal). */
const QUOTED_KEY = /^("(?:[^"\\]|\\.)*"|'[^']*')\s*:/;

/**
 * The key at the start of `rest` (one line): what `/^("(?:[^"\\]|\\.)*"|'[^']*'|[^:#]*?)\s*:/`
 * captured, `undefined` when it does not match. The plain form is the text before the first `:`
 * or `#` (a `:`, else no match) without the spaces before it, found by `indexOf` — the lazy
 * `[^:#]*?\s*:` retried every run of spaces at every position (quadratic).
 */
export function keyAtStart(rest: string): string | undefined {
  const quoted = QUOTED_KEY.exec(rest);
  if (quoted) return quoted[1]!;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest.charCodeAt(i);
    if (ch === 0x23 /* # */) return undefined;
    if (ch === 0x3a /* : */) return rest.slice(0, trimEndIndex(rest, i));
  }
  return undefined;
}

function keyLength(text: string, start: number): number {
  const lineEnd = text.indexOf('\n', start);
  const rest = text.slice(start, lineEnd === -1 ? undefined : lineEnd);
  return Math.max(1, (keyAtStart(rest) ?? '').trimEnd().length);
}

function describeYamlError(code: string, message: string, text: string, start: number, end: number): string {
  if (code === 'DUPLICATE_KEY') {
    const lineEnd = text.indexOf('\n', start);
    const rest = text.slice(start, lineEnd === -1 ? undefined : lineEnd);
    const key = (keyAtStart(rest) ?? text.slice(start, end)).trim();
    return `Duplicate key '${key}': YAML keeps only the last one, so the earlier value is silently lost. Merge or rename the entries.`;
  }
  if (code === 'TAB_AS_INDENT') return 'Tabs are not allowed as indentation in YAML; indent with spaces.';
  const first = message.split('\n')[0] ?? message;
  return `YAML syntax error: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}
