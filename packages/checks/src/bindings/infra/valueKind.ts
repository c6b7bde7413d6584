import { pointer, type PlainMap } from '../util.js';
import type { PathSegment } from '@spine-lint/core';

/** A value in words, for messages: `missing`, `null`, `a list`, `a map`, `the string "yes"`, `the number 3`. */
export function valueKind(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `the ${typeof v} ${String(v)}`;
  if (v instanceof Date) return `the date ${v.toISOString().slice(0, 10)}`;
  return typeof v === 'object' ? 'a map' : typeof v;
}

/**
 * A container of a binding that does not have the shape a check iterates (a map where a list is
 * read, a missing collection): the check reports it once, at `pointer`, and reads nothing in it.
 */
export interface CollectionProblem {
  /** Pointer of the offending value, or of the nearest existing parent when the value is missing. */
  readonly pointer: string;
  /** Dotted path for messages (`profiles`, `services.radarr`, `(root)`). */
  readonly path: string;
  /** What the check needs there, in words (`a list of VM profiles`). */
  readonly expected: string;
  /** What was found ({@link valueKind}). */
  readonly actual: string;
}

/** The shape problem of `value` at `segments` when it is not what `ok` accepts, else undefined. */
export function collectionProblem(value: unknown, segments: readonly PathSegment[], expected: string, ok: (v: unknown) => boolean): CollectionProblem | undefined {
  if (ok(value)) return undefined;
  // A missing key points at its parent (a pointer to nothing has no position of its own).
  const at = value === undefined ? segments.slice(0, -1) : segments;
  return { pointer: pointer(...at), path: segments.length === 0 ? '(root)' : segments.join('.'), expected, actual: valueKind(value) };
}

/**
 * yq's "null/empty" test as the gates wrote it (`[[ -z "$v" || "$v" == "null" ]]`): absent, null,
 * the empty string and the string `null`. Maps, lists, `false` and `0` print as text and are values.
 */
export const isBlank = (v: unknown): boolean => v === undefined || v === null || v === '' || v === 'null';

/** A value as yq prints it in one line: scalars as text, maps and lists as compact JSON. */
export function valueText(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return JSON.stringify(v);
}

/** A map's own value for `key` (never an inherited property such as `constructor`). */
export const own = (m: PlainMap | undefined, key: string): unknown => (m !== undefined && Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined);
