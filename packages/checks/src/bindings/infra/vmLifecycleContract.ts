import type { Workspace } from '@spine-lint/core';
import { asArray, asMap, loadYaml, memoised, pointer, type BindingBase } from '../util.js';
import { own, collectionProblem, type CollectionProblem } from './valueKind.js';

/** One `required_vm_fields[]` entry as written. */
export interface RequiredVmField {
  readonly index: number;
  readonly pointer: string;
  /** The field name; undefined when the entry is not a non-empty string. */
  readonly name: string | undefined;
  readonly value: unknown;
}

export interface VmLifecycleContractView extends BindingBase {
  /** The root is not a map (nothing else is read). */
  readonly rootProblem: CollectionProblem | undefined;
  /** `canonical` as written (the lifecycle binding's path, relative to the root). */
  readonly canonical: unknown;
  /** `required_vm_fields` is present but not a list. */
  readonly requiredFieldsProblem: CollectionProblem | undefined;
  /** `required_vm_fields[]` in order (empty when absent or not a list). */
  readonly requiredFields: readonly RequiredVmField[];
}

/** ops/bindings/vm.lifecycle.contract.yaml (D86): which file is the canonical lifecycle, and the fields every VM row must carry. */
export const vmLifecycleContract = memoised((ws: Workspace): VmLifecycleContractView => {
  const file = 'vm.lifecycle.contract';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const rootProblem = status === 'loaded' ? collectionProblem(value, [], 'a map', (v) => asMap(v) !== undefined) : undefined;
  const rawFields = own(root, 'required_vm_fields');
  const requiredFieldsProblem = root && rawFields !== undefined && rawFields !== null ? collectionProblem(rawFields, ['required_vm_fields'], 'a list of field names', Array.isArray) : undefined;
  const requiredFields = (asArray(rawFields) ?? []).map((v, index) => ({
    index,
    pointer: pointer('required_vm_fields', index),
    name: typeof v === 'string' && v.trim() !== '' ? v : undefined,
    value: v,
  }));
  return { file, status, rootProblem, canonical: own(root, 'canonical'), requiredFieldsProblem, requiredFields };
});
