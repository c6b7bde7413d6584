import type { PathSegment } from '@spine-lint/core';
import { isMap, pointer, type PlainMap } from '../util.js';
import { valueKind as kindOf } from './valueKind.js';

/** `gate_assignments[3].secondary_domains` for the segments `gate_assignments, 3, secondary_domains`. */
export function dottedPath(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(the document)';
}

/**
 * A collection of the wrong kind near the root of a binding: the root, a top-level collection or
 * one of its items (what the runner's schema validation calls a wrong shape, and why it does not
 * run the checks reading the binding). A view records it instead of reading the node as empty.
 */
export interface ShapeProblem {
  /** Binding name (layout key). */
  readonly file: string;
  readonly pointer: string;
  /** Dotted path of the node (`gate_assignments[3]`). */
  readonly path: string;
  readonly expected: 'a map' | 'a list';
  /** What is there instead, in words. */
  readonly actual: string;
  /** The top-level key the node is under (`''` for the root), so a check can keep to the parts it reads. */
  readonly section: string;
}

/** A map or list member: `present` when the key holds a non-null value; `value` undefined when absent or of the wrong kind. */
export interface Member<T> {
  readonly present: boolean;
  readonly value: T | undefined;
  readonly pointer: string;
}

const own = (m: PlainMap | undefined, key: string): unknown => (m !== undefined && Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined);

/** Records the shape problems of one binding while its view reads it. */
export class ShapeReader {
  readonly problems: ShapeProblem[] = [];
  constructor(readonly file: string) {}

  private wrong(segments: readonly PathSegment[], expected: 'a map' | 'a list', actual: unknown): void {
    this.problems.push({ file: this.file, pointer: pointer(...segments), path: dottedPath(segments), expected, actual: kindOf(actual), section: segments.length === 0 ? '' : String(segments[0]) });
  }

  /** The document root, which must be a map. */
  root(value: unknown): PlainMap | undefined {
    if (isMap(value)) return value;
    this.wrong([], 'a map', value);
    return undefined;
  }

  /** `parent[key]` as a map (absent/null: not present). */
  map(parent: PlainMap | undefined, key: string, base: readonly PathSegment[] = []): Member<PlainMap> {
    const at = [...base, key];
    const v = own(parent, key);
    if (v === undefined || v === null) return { present: false, value: undefined, pointer: pointer(...at) };
    if (isMap(v)) return { present: true, value: v, pointer: pointer(...at) };
    this.wrong(at, 'a map', v);
    return { present: true, value: undefined, pointer: pointer(...at) };
  }

  /** `parent[key]` as a list (absent/null: not present). */
  list(parent: PlainMap | undefined, key: string, base: readonly PathSegment[] = []): Member<readonly unknown[]> {
    const at = [...base, key];
    const v = own(parent, key);
    if (v === undefined || v === null) return { present: false, value: undefined, pointer: pointer(...at) };
    if (Array.isArray(v)) return { present: true, value: v, pointer: pointer(...at) };
    this.wrong(at, 'a list', v);
    return { present: true, value: undefined, pointer: pointer(...at) };
  }

  /** The items of a list that must all be maps: each map with its index and pointer; any other item is a problem. */
  mapItems(list: readonly unknown[] | undefined, base: readonly PathSegment[]): { index: number; pointer: string; entry: PlainMap }[] {
    const out: { index: number; pointer: string; entry: PlainMap }[] = [];
    (list ?? []).forEach((item, index) => {
      if (isMap(item)) out.push({ index, pointer: pointer(...base, index), entry: item });
      else this.wrong([...base, index], 'a map', item);
    });
    return out;
  }
}

/** An own field of a map (never an inherited one). */
export const field = own;
