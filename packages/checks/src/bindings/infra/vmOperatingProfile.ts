import type { Workspace } from '@spine-lint/core';
import { asMap, listItems, loadYaml, memoised, optScalar, type BindingBase, type PlainMap } from '../util.js';
import { isBlank, own, collectionProblem, valueKind, type CollectionProblem } from './valueKind.js';

/**
 * How a row's VM key (`id // vmid`, yq's alternative: `id` unless it is null, absent or `false`)
 * reads: `ok` (digits: a VMID), `missing` (null/empty), `malformed` (anything else: `vm-x`, `2.5`,
 * a map). The reference spliced keys unquoted into yq programs, so a malformed key crashed it.
 */
export type VmKeyState = 'ok' | 'missing' | 'malformed';

/** One row of a list keyed by VMID (`vms[]` of vm.lifecycle, `profiles[]` of vm.operating.profile). */
export interface VmKeyedRow {
  readonly index: number;
  readonly pointer: string;
  /** The row's map; undefined when the item is not a map (`kind` says what it is). */
  readonly map: PlainMap | undefined;
  readonly kind: string;
  /** The key as text (yq prints `205` and `"205"` alike); undefined when missing. */
  readonly key: string | undefined;
  readonly keyState: VmKeyState;
  /** Pointer of the key's value (`…/id` or `…/vmid`), or of the row when there is none. */
  readonly keyPointer: string;
  /** `hostname` as printed (`null` when absent). */
  readonly hostname: string;
  /** `status` as written, when a scalar. */
  readonly status: string | undefined;
}

function keyedRows(list: unknown, base: string): VmKeyedRow[] {
  return listItems(list, [base]).map(({ index, value, pointer: p }) => {
    const map = asMap(value);
    const id = own(map, 'id');
    const field = id === undefined || id === null || id === false ? 'vmid' : 'id';
    const raw = own(map, field);
    const text = typeof raw === 'string' ? raw.trim() : optScalar(raw);
    const keyState: VmKeyState = isBlank(raw) || text === '' ? 'missing' : text !== undefined && /^\d+$/.test(text) ? 'ok' : 'malformed';
    return {
      index,
      pointer: p,
      map,
      kind: valueKind(value),
      key: keyState === 'missing' ? undefined : (text ?? JSON.stringify(raw)),
      keyState,
      keyPointer: map && raw !== undefined ? `${p}/${field}` : p,
      hostname: optScalar(own(map, 'hostname')) ?? 'null',
      status: optScalar(own(map, 'status')),
    };
  });
}

export interface VmKeyedListView extends BindingBase {
  /** The root is not a map, or the list is missing or not a list: nothing else is read. */
  readonly problem: CollectionProblem | undefined;
  readonly rows: readonly VmKeyedRow[];
}

function keyedList(ws: Workspace, file: string, listKey: string, expected: string): VmKeyedListView {
  const { status, value } = loadYaml(ws, file);
  if (status !== 'loaded') return { file, status, problem: undefined, rows: [] };
  const root = asMap(value);
  const problem = collectionProblem(value, [], 'a map', (v) => asMap(v) !== undefined) ?? collectionProblem(own(root, listKey), [listKey], expected, Array.isArray);
  return { file, status, problem, rows: problem ? [] : keyedRows(own(root, listKey), listKey) };
}

/** ops/bindings/vm.operating.profile.yaml `profiles[]` (D86): one operating profile per VM, keyed by `id // vmid`. */
export const vmOperatingProfile = memoised((ws: Workspace): VmKeyedListView => keyedList(ws, 'vm.operating.profile', 'profiles', 'a list of VM profiles'));

/**
 * vm.lifecycle `vms[]` keyed as D86 keys them: the raw `id // vmid` (the shared vmLifecycle view
 * reads numeric ids only, so a malformed key would be indistinguishable from a missing one).
 */
export const vmLifecycleKeyed = memoised((ws: Workspace): VmKeyedListView => keyedList(ws, 'vm.lifecycle', 'vms', 'a list of VMs'));
