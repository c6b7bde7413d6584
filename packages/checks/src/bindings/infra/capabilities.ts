import type { Workspace } from '@spine-lint/core';
import { valueKind as kindOfValue } from './valueKind.js';
import { asMap, isMap, loadYaml, memoised, optScalar, pointer, type BindingBase, type PlainMap } from '../util.js';

/**
 * The `capabilities` map of ops/capabilities.yaml (the registry `ops cap run` executes from) and of
 * ops/bindings/capability_map.yaml (its navigation index): capability name → entry. Both files are
 * read through {@link capabilityNames}; capability-metadata-parity (D137) reads the registry's
 * routing fields, capability-map-parity (D67) the names of both.
 */

/** How the file holds its `capabilities` map: `map`, or why there is none to read. */
export type CapabilitiesShape = 'map' | 'root-not-a-map' | 'missing' | 'not-a-map';

export interface CapabilityEntry {
  readonly name: string;
  /** Pointer of the entry (`/capabilities/<name>`). */
  readonly pointer: string;
  /** The entry is a map of fields; when it is not, the fields below read as absent. */
  readonly isMap: boolean;
  /** What the entry is, in words, when it is not a map (`null`, `a list`, `the string "x"`). */
  readonly kind: string;
  /** The entry has a `description` key (whatever its value). */
  readonly hasDescription: boolean;
  /**
   * `plane` and `domain` as yq prints them: a scalar's text (`fabric`, `false`, `"null"` stays
   * `null`), a map or list as JSON; `undefined` when absent or null.
   */
  readonly plane: string | undefined;
  readonly domain: string | undefined;
  /** `requires`: a list or map as is, a scalar as its text; `undefined` when absent or null. */
  readonly requires: readonly unknown[] | PlainMap | string | undefined;
}

export interface CapabilityNamesView extends BindingBase {
  readonly shape: CapabilitiesShape;
  /** What is there instead of the map, in words (for `root-not-a-map` / `not-a-map`). */
  readonly found: string;
  /** Entries in file order; a repeated name appears once (YAML keeps the last value). */
  readonly entries: readonly CapabilityEntry[];
  readonly byName: ReadonlyMap<string, CapabilityEntry>;
}

/** yq's text of a field: scalars as printed, collections as JSON, null/absent `undefined`. */
function yqText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const scalar = optScalar(v);
  if (scalar !== undefined) return scalar;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function requiresOf(v: unknown): CapabilityEntry['requires'] {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v;
  if (isMap(v)) return v;
  return yqText(v);
}

function build(ws: Workspace, file: 'capabilities' | 'capability_map'): CapabilityNamesView {
  const { status, value } = loadYaml(ws, file);
  const empty = { file, status, entries: [], byName: new Map<string, CapabilityEntry>() };
  if (status !== 'loaded') return { ...empty, shape: 'missing', found: 'missing' };
  const root = asMap(value);
  if (!root) return { ...empty, shape: 'root-not-a-map', found: kindOfValue(value) };
  const caps = root.capabilities;
  if (caps === undefined || caps === null) return { ...empty, shape: 'missing', found: kindOfValue(caps) };
  if (!isMap(caps)) return { ...empty, shape: 'not-a-map', found: kindOfValue(caps) };
  const entries: CapabilityEntry[] = [];
  const byName = new Map<string, CapabilityEntry>();
  for (const [name, v] of Object.entries(caps)) {
    const m = asMap(v);
    const entry: CapabilityEntry = {
      name,
      pointer: pointer('capabilities', name),
      isMap: m !== undefined,
      kind: kindOfValue(v),
      hasDescription: m !== undefined && Object.prototype.hasOwnProperty.call(m, 'description'),
      plane: yqText(m?.plane),
      domain: yqText(m?.domain),
      requires: requiresOf(m?.requires),
    };
    entries.push(entry);
    byName.set(name, entry);
  }
  return { file, status, shape: 'map', found: 'a map', entries, byName };
}

/** ops/capabilities.yaml, the capability registry. */
export const capabilityRegistry = memoised((ws: Workspace): CapabilityNamesView => build(ws, 'capabilities'));

/** ops/bindings/capability_map.yaml, the capability → plugin/script index. */
export const capabilityMap = memoised((ws: Workspace): CapabilityNamesView => build(ws, 'capability_map'));
