import { posix } from 'node:path';
import { normalisePath, pointer as ptr, type PathSegment, type Workspace } from '@spine-lint/core';

/**
 * Defensive readers for binding values. A value of the wrong type reads as `undefined` (absent):
 * the `schema` check reports the type error; the policy checks must never throw on it.
 */
export type PlainMap = Record<string, unknown>;

export const isMap = (v: unknown): v is PlainMap => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
export const asMap = (v: unknown): PlainMap | undefined => (isMap(v) ? v : undefined);
export const asArray = (v: unknown): readonly unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** A string field; anything else (number, map, null) is absent. */
export const optString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * An identifier-like scalar as yq would print it: strings as is, finite numbers and booleans
 * stringified (`vm_id: 205` and `vm_id: "205"` are the same id). Maps, lists and null are absent.
 */
export const optScalar = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return undefined;
};

/** A real boolean; `"true"` (a string) is not a boolean and reads as absent. */
export const optBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** A finite number, or a string of digits (yq compares them the same way). */
export const optNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
};

/** A list of strings: non-string items are dropped; a non-list is absent. */
export const optStringList = (v: unknown): string[] | undefined => {
  const list = asArray(v);
  return list ? list.filter((x): x is string => typeof x === 'string') : undefined;
};

/**
 * yq's `X // default`: the default when X is null, absent **or `false`**. Ported gates that relied
 * on it for strings keep the behaviour; guards and flags must use {@link boolOr} instead.
 */
export function yqAlternative<T>(value: T | null | undefined | false, fallback: T): T {
  return value === null || value === undefined || value === false ? fallback : value;
}

/**
 * What the bash saw for `[[ "$(yq '.x // true')" == "true" ]]`: `true` for absent, null **and
 * `false`** (yq's `//` coalesces false), and for the string/boolean `true`. Only for reproducing a
 * reference verdict; guards read as real booleans through {@link boolOr}.
 */
export const isYqTruthyDefault = (v: unknown): boolean => String(yqAlternative(v, true as unknown)) === 'true';

/** A boolean flag with a null-only default: `false` is false (the fix for §6.1 #1). */
export const boolOr = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);

/** yq prints absent/null as the string `null`; the gates compared with `""` and `"null"`. */
export const isYqEmpty = (v: string | undefined | null): boolean => v === undefined || v === null || v === '' || v === 'null';

/** Memoise a view per Workspace: each binding is turned into its typed view once per run. */
export function memoised<T>(build: (ws: Workspace) => T): (ws: Workspace) => T {
  const cache = new WeakMap<Workspace, T>();
  return (ws) => {
    let v = cache.get(ws);
    if (v === undefined && !cache.has(ws)) {
      v = build(ws);
      cache.set(ws, v);
    }
    return v as T;
  };
}

/** Where a binding stands: absent (no file), unparsed (syntax error: the `parse` check reports), or loaded. */
export type BindingStatus = 'absent' | 'unparsed' | 'loaded';

export interface BindingBase {
  /** Logical binding name (layout key), usable as `file` in `ctx.report`. */
  readonly file: string;
  readonly status: BindingStatus;
}

/** Load a YAML binding's plain value and its status. */
export function loadYaml(ws: Workspace, name: string): { status: BindingStatus; value: unknown } {
  if (!ws.exists(name)) return { status: 'absent', value: undefined };
  const doc = ws.yaml(name);
  if (!doc || doc.value === undefined) return { status: 'unparsed', value: undefined };
  return { status: 'loaded', value: doc.value };
}

/** Entries of a map in document order, each with its pointer. */
export function mapEntries(value: unknown, base: readonly PathSegment[]): { key: string; value: unknown; pointer: string }[] {
  const m = asMap(value);
  if (!m) return [];
  return Object.entries(m).map(([key, v]) => ({ key, value: v, pointer: ptr(...base, key) }));
}

/**
 * Map entries in the order the file writes them. A JS object lists integer-like keys (`"2"`) first
 * whatever the file says; where the order matters (the first claim wins) it is read from the keys'
 * positions. Entries without an integer-like key are already in file order and are returned as they are.
 */
export function inFileOrder<T extends { key: string; pointer: string }>(ws: Workspace, file: string, entries: readonly T[]): T[] {
  if (!entries.some((e) => /^(0|[1-9]\d*)$/.test(e.key))) return [...entries];
  const doc = ws.yaml(file);
  const at = (e: T): number[] => {
    const r = doc?.locateKey(e.pointer);
    return r ? [r.line, r.column] : [Number.MAX_SAFE_INTEGER, 0];
  };
  return entries
    .map((e) => ({ e, pos: at(e) }))
    .sort((a, b) => a.pos[0]! - b.pos[0]! || a.pos[1]! - b.pos[1]!)
    .map(({ e }) => e);
}

/** Whether two root-relative paths a binding writes name one file (`./ops//x.yaml`, `ops/y/../x.yaml`, `ops/x.yaml`), as `<root>/<path>` resolves. */
export function sameRootPath(a: string, b: string): boolean {
  const norm = (p: string): string => posix.normalize(normalisePath(p.trim()));
  return norm(a) === norm(b);
}

/** Items of a list with their pointers. */
export function listItems(value: unknown, base: readonly PathSegment[]): { index: number; value: unknown; pointer: string }[] {
  const list = asArray(value);
  if (!list) return [];
  return list.map((v, index) => ({ index, value: v, pointer: ptr(...base, index) }));
}

/** Group items by a key (duplicates kept, in order). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Build a pointer (the core's `pointer`, re-exported so views and checks share one spelling). */
export const pointer = (...segments: PathSegment[]): string => ptr(...segments);
