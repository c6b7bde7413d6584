import type { ArrayDelta, Delta, ObjectDelta } from 'jsondiffpatch';
import type { Range } from '../diagnostic.js';
import { pointer as buildPointer, type PathSegment } from '../pointer.js';
import type { MarkdownDocument } from '../workspace/markdownDocument.js';
import type { Workspace } from '../workspace/workspace.js';
import { diffEngine } from './engine.js';
import { DEFAULT_ID_FIELDS, recordId } from './ids.js';
import { boundedListFilter, DEFAULT_MAX_LCS_CELLS, lcsBudget, matchedBaseIndices, type Hash, type LcsBudget } from './lists.js';

/** One semantic change in a binding. */
export interface SemanticChange {
  kind: 'added' | 'removed' | 'changed';
  /** Readable path: `services[grafana].host`, `hosts.observability`, `tables[Hosts].rows[nas].IP`. */
  path: string;
  /** Pointer into the head document (for a removal: the nearest container that still exists there). */
  pointer: string;
  /** Pointer into the base document (for removals and changes). */
  basePointer?: string;
  /** For a whole record added or removed from a list or map: the collection's path and the record's id. */
  collection?: string;
  id?: string;
  before?: unknown;
  after?: unknown;
}

/** A change with its position in the head file. */
export interface PositionedChange extends SemanticChange, Range {}

export interface FileDiff {
  file: string;
  /** `added`/`removed`: the whole file; `modified`: see changes; `unparsed`: one side could not be parsed, compared as text. */
  status: 'added' | 'removed' | 'modified' | 'unparsed';
  changes: PositionedChange[];
}

export interface DiffOptions {
  /** Fields identifying records in lists (first present wins). Default: {@link DEFAULT_ID_FIELDS}. */
  idFields?: readonly string[];
  /**
   * Lists are matched by a longest common subsequence (jsondiffpatch) while base length × head
   * length, after their common start and end are cut, is at most this many cells and the diff has
   * LCS budget left (10× this, for all lists of all files of one diff); larger lists are matched by
   * id or value in O(n log n) — same additions, removals and changes; a reorder is moves. Default
   * {@link DEFAULT_MAX_LCS_CELLS} (250 000). 0 matches every list that way.
   */
  maxLcsCells?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** Records are matched by id; a record without an id falls back to its position. */
const yamlHash =
  (idFields: readonly string[]): Hash =>
  (item, index) => {
    const id = recordId(item, idFields);
    return id ? `${id.field}=${id.value}` : `@${index ?? 0}`;
  };

/** Markdown tables are matched by heading, rows by their first cell. */
const markdownHash: Hash = (item, index) => {
  if (isRecord(item) && typeof item.heading === 'string' && Array.isArray(item.rows)) return `table:${item.heading}`;
  if (isRecord(item)) {
    const first = Object.values(item)[0];
    if (typeof first === 'string' && first !== '') return `row:${first}`;
  }
  return `@${index ?? 0}`;
};

/** The comparable value of a Markdown document, shaped like its pointers (`/tables/<i>/rows/<r>/<column>`). */
export function markdownValue(doc: MarkdownDocument): unknown {
  const value: Record<string, unknown> = {};
  if (doc.frontMatter?.value !== undefined) value.frontmatter = doc.frontMatter.value;
  value.tables = doc.tables.map((t) => ({
    heading: t.heading,
    rows: t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r.list[i]?.value ?? null]))),
  }));
  return value;
}

function readable(path: readonly string[]): string {
  let out = '';
  for (const seg of path) {
    if (seg.startsWith('[')) out += seg;
    else out += (out === '' ? '' : '.') + (/^[A-Za-z0-9_-]+$/.test(seg) ? seg : JSON.stringify(seg));
  }
  return out;
}

function idLabel(item: unknown, index: number, idFields: readonly string[], markdown: boolean): string {
  if (markdown) {
    const hash = markdownHash(item as object, index);
    return hash?.startsWith('@') ? String(index) : (hash?.replace(/^(table|row):/, '') ?? String(index));
  }
  return recordId(item, idFields)?.value ?? String(index);
}

/**
 * The semantic changes between two parsed values: lists of records are matched by id (not by
 * index), maps by key; a whole record added or removed is one change; a changed scalar is
 * `before → after`. Pointers name the head document; removals point at their container there.
 */
export function diffValues(base: unknown, head: unknown, options: DiffOptions & { markdown?: boolean; lcsBudget?: LcsBudget } = {}): SemanticChange[] {
  const idFields = options.idFields ?? DEFAULT_ID_FIELDS;
  const markdown = options.markdown ?? false;
  const hash = markdown ? markdownHash : yamlHash(idFields);
  const patcher = diffEngine().create({ objectHash: hash, arrays: { detectMove: true, includeValueOnMove: false } });
  // Large lists are matched in O(n log n), not by jsondiffpatch's quadratic LCS (lists.ts).
  patcher.processor.pipes.diff.before('arrays', boundedListFilter(hash, options.lcsBudget ?? lcsBudget(options.maxLcsCells ?? DEFAULT_MAX_LCS_CELLS)));
  const baseValue = normalise(base);
  const headValue = normalise(head);
  const delta = patcher.diff(baseValue, headValue);
  const changes: SemanticChange[] = [];
  if (delta === undefined) return changes;

  /** Lists of records inside an added record (compose stacks of a new target) are listed too, one change each. */
  const nestedRecords = (value: unknown, headPath: PathSegment[], labels: string[], depth = 0): void => {
    if (!isRecord(value) || depth > 2) return;
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(child)) continue;
      child.forEach((item, i) => {
        const id = recordId(item, idFields);
        if (!id) return;
        const path = readable([...labels, key, `[${id.value}]`]);
        changes.push({ kind: 'added', path, pointer: buildPointer(...headPath, key, i), collection: readable([...labels, key]), id: id.value, after: item });
        nestedRecords(item, [...headPath, key, i], [...labels, key, `[${id.value}]`], depth + 1);
      });
    }
  };

  const walk = (d: Delta, baseNode: unknown, headNode: unknown, headPath: PathSegment[], basePath: PathSegment[], labels: string[]): void => {
    if (d === undefined) return;
    if (Array.isArray(d)) {
      // A leaf: added [new], modified [old, new], deleted [old, 0, 0].
      if (d.length === 1) changes.push({ kind: 'added', path: readable(labels), pointer: buildPointer(...headPath), after: d[0] });
      else if (d.length === 2) changes.push({ kind: 'changed', path: readable(labels), pointer: buildPointer(...headPath), basePointer: buildPointer(...basePath), before: d[0], after: d[1] });
      else if (d.length === 3 && d[2] === 0)
        changes.push({ kind: 'removed', path: readable(labels), pointer: buildPointer(...headPath.slice(0, -1)), basePointer: buildPointer(...basePath), before: d[0] });
      return;
    }
    if ((d as ArrayDelta)._t === 'a') {
      const arr = d as ArrayDelta;
      const baseList = Array.isArray(baseNode) ? baseNode : [];
      const headList = Array.isArray(headNode) ? headNode : [];
      const collection = readable(labels);
      const keys = Object.keys(arr).filter((k) => k !== '_t');
      let matched: Int32Array | undefined; // head index → base index, computed once per list (O(n))
      // Removals first (old indices), then additions and modifications (new indices), each in order.
      // (Sorted as numbers, not by parsing both keys at each comparison: a list of 100 000 moves.)
      const removed = keys
        .filter((k) => k.startsWith('_'))
        .map((k) => Number(k.slice(1)))
        .sort((a, b) => a - b)
        .map((i) => `_${i}`);
      const current = keys
        .filter((k) => !k.startsWith('_'))
        .map(Number)
        .sort((a, b) => a - b)
        .map(String);
      for (const k of removed) {
        const entry = (arr as unknown as Record<string, unknown>)[k] as unknown[];
        if (entry[2] !== 0) continue; // a move: the record is still there; its own changes come under its new index
        const oldIndex = Number(k.slice(1));
        const item = baseList[oldIndex];
        const label = `[${idLabel(item, oldIndex, idFields, markdown)}]`;
        const isScalar = !isRecord(item) && !Array.isArray(item);
        changes.push({
          kind: 'removed',
          path: isScalar ? collection : readable([...labels, label]),
          pointer: buildPointer(...headPath),
          basePointer: buildPointer(...basePath, oldIndex),
          ...(isScalar ? {} : { collection, id: idLabel(item, oldIndex, idFields, markdown) }),
          before: item,
        });
      }
      for (const k of current) {
        const sub = (arr as unknown as Record<string, Delta>)[k];
        const newIndex = Number(k);
        const item = headList[newIndex];
        const label = `[${idLabel(item, newIndex, idFields, markdown)}]`;
        if (Array.isArray(sub) && sub.length === 1) {
          const isScalar = !isRecord(item) && !Array.isArray(item);
          changes.push({
            kind: 'added',
            path: isScalar ? collection : readable([...labels, label]),
            pointer: buildPointer(...headPath, newIndex),
            ...(isScalar ? {} : { collection, id: idLabel(item, newIndex, idFields, markdown) }),
            after: item,
          });
          if (!markdown) nestedRecords(item, [...headPath, newIndex], [...labels, label]);
          continue;
        }
        // Modified in place (or moved and modified): the base index of the item it was matched with.
        matched ??= matchedBaseIndices(arr, baseList.length, headList.length);
        const found = matched[newIndex] ?? -1;
        const baseIndex = found >= 0 ? found : Math.max(0, Math.min(newIndex, baseList.length - 1));
        walk(sub, baseList[baseIndex], item, [...headPath, newIndex], [...basePath, baseIndex], [...labels, label]);
      }
      return;
    }
    const obj = d as ObjectDelta;
    const baseMap = isRecord(baseNode) ? baseNode : {};
    const headMap = isRecord(headNode) ? headNode : {};
    for (const key of Object.keys(obj)) {
      const sub = obj[key];
      const nextLabels = [...labels, key];
      if (Array.isArray(sub) && sub.length === 1 && isRecord(sub[0]) && labels.length > 0) {
        // A record added to a map keyed by id (`services.grafana`).
        changes.push({ kind: 'added', path: readable(nextLabels), pointer: buildPointer(...headPath, key), collection: readable(labels), id: key, after: sub[0] });
        nestedRecords(sub[0], [...headPath, key], nextLabels);
        continue;
      }
      if (Array.isArray(sub) && sub.length === 3 && sub[2] === 0 && isRecord(sub[0]) && labels.length > 0) {
        changes.push({
          kind: 'removed',
          path: readable(nextLabels),
          pointer: buildPointer(...headPath),
          basePointer: buildPointer(...basePath, key),
          collection: readable(labels),
          id: key,
          before: sub[0],
        });
        continue;
      }
      walk(sub, baseMap[key], headMap[key], [...headPath, key], [...basePath, key], nextLabels);
    }
  };
  walk(delta, baseValue, headValue, [], [], []);
  return changes;
}

/** Dates become ISO strings so that equal dates compare equal. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

/** The comparable value of a file in a workspace; `undefined` when absent or unparsable. */
function valueOf(ws: Workspace, path: string): { exists: boolean; value: unknown; markdown: boolean; text: string | undefined } {
  const exists = ws.exists(path);
  if (!exists) return { exists, value: undefined, markdown: false, text: undefined };
  if (/\.ya?ml$/i.test(path)) return { exists, value: ws.yaml(path)?.value, markdown: false, text: ws.text(path) };
  if (/\.(md|markdown)$/i.test(path)) {
    const doc = ws.markdown(path);
    return { exists, value: doc ? markdownValue(doc) : undefined, markdown: true, text: ws.text(path) };
  }
  return { exists, value: undefined, markdown: false, text: ws.text(path) };
}

const WHOLE: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * The semantic diff of every given file between two workspaces (files equal as text are skipped).
 * Positions are in the head file.
 */
export function diffWorkspaces(base: Workspace, head: Workspace, files: readonly string[], options: DiffOptions = {}): FileDiff[] {
  const out: FileDiff[] = [];
  const budget = lcsBudget(options.maxLcsCells ?? DEFAULT_MAX_LCS_CELLS); // one LCS budget for the whole diff
  for (const file of [...new Set(files)].sort()) {
    const b = valueOf(base, file);
    const h = valueOf(head, file);
    if (!b.exists && !h.exists) continue;
    if (b.exists && h.exists && b.text === h.text) continue;
    if (!b.exists) {
      out.push({ file, status: 'added', changes: [{ kind: 'added', path: '', pointer: '', ...WHOLE }] });
      continue;
    }
    if (!h.exists) {
      out.push({ file, status: 'removed', changes: [{ kind: 'removed', path: '', pointer: '', ...WHOLE }] });
      continue;
    }
    if (b.value === undefined || h.value === undefined) {
      out.push({ file, status: 'unparsed', changes: [{ kind: 'changed', path: '', pointer: '', ...WHOLE }] });
      continue;
    }
    const doc = h.markdown ? undefined : head.yaml(file);
    const changes = diffValues(b.value, h.value, { idFields: head.recordIdFields, ...options, markdown: h.markdown, lcsBudget: budget }).map((c) => {
      // A record added to a map is shown at its key (`  grafana:`), everything else at the value.
      const atKey = c.kind === 'added' && c.id !== undefined && !c.path.endsWith(']') ? doc?.locateKey(c.pointer) : undefined;
      return { ...c, ...(atKey ?? head.locate(file, c.pointer)) };
    });
    changes.sort((x, y) => x.line - y.line || x.column - y.column);
    if (changes.length > 0) out.push({ file, status: 'modified', changes });
  }
  return out;
}
