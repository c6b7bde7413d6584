import type { Workspace } from '@spine-lint/core';
import { loadYaml, memoised, optScalar, pointer, type BindingBase } from '../util.js';
import { field, ShapeReader, type Member, type ShapeProblem } from './shape.js';

/** `gates[i]` of gate.registry.yaml. */
export interface RegistryGate {
  readonly index: number;
  readonly pointer: string;
  /** `id` as text; undefined when absent, null, a map or a list (the schema requires it). */
  readonly id: string | undefined;
  readonly idPointer: string;
  /** `retired` as written (undefined when absent). */
  readonly retired: unknown;
  readonly retiredPointer: string;
}

export interface GateRegistryView extends BindingBase {
  readonly exists: boolean;
  readonly shape: readonly ShapeProblem[];
  readonly gates: Member<readonly unknown[]> & { readonly items: readonly RegistryGate[] };
}

/** ops/bindings/gate.registry.yaml: every drift gate with its id and whether it is retired (D127). */
export const gateRegistry = memoised((ws: Workspace): GateRegistryView => {
  const file = 'gate.registry';
  const { status, value } = loadYaml(ws, file);
  const shape = new ShapeReader(file);
  const root = status === 'loaded' ? shape.root(value) : undefined;
  const gates = shape.list(root, 'gates');
  const items: RegistryGate[] = shape.mapItems(gates.value, ['gates']).map(({ index, pointer: p, entry }) => ({
    index,
    pointer: p,
    id: optScalar(field(entry, 'id')),
    idPointer: pointer('gates', index, 'id'),
    retired: field(entry, 'retired'),
    retiredPointer: pointer('gates', index, 'retired'),
  }));
  return { file, status, exists: ws.exists(file), shape: shape.problems, gates: { ...gates, items } };
});
