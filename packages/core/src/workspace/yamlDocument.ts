import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, YAMLParseError, type Document, type Node } from 'yaml';
import type { Range } from '../diagnostic.js';
import { parsePointer } from '../pointer.js';
import { LineIndex } from './lines.js';
import { WHOLE_FILE, type ParseProblem } from './problems.js';

export interface YamlParseOptions {
  /** Aliases resolved at most this many times per document (billion-laughs guard). */
  maxAliasCount?: number;
}

/** A parsed YAML file: its plain value, its parse problems and a pointer → range index. */
export interface YamlDocument {
  readonly kind: 'yaml';
  readonly path: string;
  readonly text: string;
  /** The plain JS value of the first document; `undefined` when the file could not be parsed. */
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

export function parseYamlDocument(path: string, text: string, options: YamlParseOptions = {}): YamlDocument {
  const lines = new LineIndex(text);
  const problems: ParseProblem[] = [];
  const lineCounter = new LineCounter();
  let doc: Document.Parsed | undefined;
  let value: unknown;

  const rangeOf = (start: number, end: number): Range => lines.range(start, end);

  const deep = flowDepthExceeded(text, MAX_FLOW_DEPTH);
  if (deep !== undefined) {
    problems.push({
      code: 'too-deep',
      message: `Flow collections nest more than ${MAX_FLOW_DEPTH} levels deep here; the file is not parsed (bindings never need this, and unbounded nesting can exhaust the parser).`,
      range: rangeOf(deep, deep + 1),
      severity: 'error',
    });
    return { kind: 'yaml', path, text, value: undefined, problems, lines, locate: () => WHOLE_FILE, locateKey: () => undefined };
  }

  try {
    // uniqueKeys is checked here in one pass (a Map per YAML map) instead of by the parser, whose
    // check scans every earlier key for each new one: quadratic in the size of a map (10 000
    // services under one `services:` key took tens of seconds). Same errors, same positions.
    const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true });
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
        problems.push({
          code: err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax',
          message: describeYamlError(err.code, err.message, text, start, end),
          range: rangeOf(start, Math.max(end, start + (err.code === 'DUPLICATE_KEY' ? keyLength(text, start) : 1))),
          severity: 'error',
        });
      }
    }
    if (doc && doc.errors.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
      } catch (error) {
        const alias = firstAliasOffset(doc);
        const isAliasBomb = error instanceof Error && /alias/i.test(error.message);
        problems.push({
          code: isAliasBomb ? 'alias-limit' : 'syntax',
          message: isAliasBomb
            ? `Too many alias expansions (limit ${options.maxAliasCount ?? 100}): the document would expand without bound (a "billion laughs" shape). Replace the aliases with plain values.`
            : `YAML could not be resolved: ${(error as Error).message}`,
          range: alias === undefined ? WHOLE_FILE : rangeOf(alias, alias + 1),
          severity: 'error',
        });
        value = undefined;
      }
    } else if (doc && doc.errors.length > 0) {
      // Keep what was understood so other files' checks still run; this file's checks see `undefined`.
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

  const findNode = (ptr: string): { node: Node | null; key?: Node; ancestor: Node | null } => {
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
        const pair = current.items.find((p) => isPair(p) && keyString(p.key) === segment);
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
  };

  const nodeRange = (node: Node | null | undefined): Range | undefined => {
    const r = node?.range;
    if (!r) return undefined;
    return rangeOf(r[0], r[1]);
  };

  return {
    kind: 'yaml',
    path,
    text,
    value,
    problems,
    lines,
    locate(ptr: string): Range {
      const found = findNode(ptr);
      const r = found.node?.range;
      // An empty value (`key:`) has an empty range: point at its key instead.
      const emptyValue = r !== undefined && r !== null && r[0] === r[1];
      return (emptyValue ? undefined : nodeRange(found.node)) ?? nodeRange(found.key) ?? nodeRange(found.ancestor) ?? WHOLE_FILE;
    },
    locateKey(ptr: string): Range | undefined {
      return nodeRange(findNode(ptr).key);
    },
  };
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
}

function firstAliasOffset(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  const visit = (node: unknown, depth: number): void => {
    if (found !== undefined || depth > MAX_DEPTH_GUARD) return;
    if (isAlias(node)) {
      found = node.range?.[0];
      return;
    }
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          visit(item.key, depth + 1);
          visit(item.value, depth + 1);
        } else visit(item, depth + 1);
      }
    }
  };
  visit(doc.contents, 0);
  return found;
}

/**
 * The parser's DUPLICATE_KEY errors (`uniqueKeys: true`), found in linear time: a later scalar key
 * equal (===) to an earlier one of the same map, reported at the later key's start.
 */
function addDuplicateKeyErrors(doc: Document.Parsed): void {
  let added = false;
  visit(doc, {
    Map(_, map) {
      if (map.items.length < 2) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        const value = key.value;
        if (typeof value === 'number' && Number.isNaN(value)) continue; // NaN !== NaN for the parser too
        if (seen.has(value)) {
          const start = key.range?.[0] ?? 0;
          doc.errors.push(new YAMLParseError([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
          added = true;
        } else seen.add(value);
      }
    },
  });
  if (added) doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}

function keyLength(text: string, start: number): number {
  const lineEnd = text.indexOf('\n', start);
  const rest = text.slice(start, lineEnd === -1 ? undefined : lineEnd);
  const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:#]*?)\s*:/.exec(rest);
  return Math.max(1, (m?.[1] ?? '').trimEnd().length);
}

function describeYamlError(code: string, message: string, text: string, start: number, end: number): string {
  if (code === 'DUPLICATE_KEY') {
    const lineEnd = text.indexOf('\n', start);
    const rest = text.slice(start, lineEnd === -1 ? undefined : lineEnd);
    const key = (/^("(?:[^"\\]|\\.)*"|'[^']*'|[^:#]*?)\s*:/.exec(rest)?.[1] ?? text.slice(start, end)).trim();
    return `Duplicate key '${key}': YAML keeps only one of them, so a value is silently lost. Merge or rename the entries.`;
  }
  if (code === 'TAB_AS_INDENT') return 'Tabs are not allowed as indentation in YAML; indent with spaces.';
  const first = message.split('\n')[0] ?? message;
  return `YAML syntax error: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}
