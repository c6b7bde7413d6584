import type { Workspace } from '@spine-lint/core';
import { asArray, loadYaml, memoised, optScalar, pointer, type BindingBase, type PlainMap } from '../util.js';
import { field, ShapeReader, type Member, type ShapeProblem } from './shape.js';

/** A scalar list entry as yq prints it (`value` undefined for null, maps and lists), with its pointer. */
export interface ListedScalar {
  readonly value: string | undefined;
  readonly raw: unknown;
  readonly pointer: string;
}

/** `domain_metadata[i]` of gate.execution.topology.yaml. */
export interface TopologyDomain {
  readonly index: number;
  readonly pointer: string;
  readonly entry: PlainMap;
  /** `domain_id` as text (strings, numbers, booleans); undefined when absent, null, a map or a list. */
  readonly domainId: string | undefined;
}

/** `gate_assignments[i]` of gate.execution.topology.yaml. */
export interface TopologyAssignment {
  readonly index: number;
  readonly pointer: string;
  readonly entry: PlainMap;
  /** `gate_id` as text; undefined when absent, null, a map or a list. */
  readonly gateId: string | undefined;
  /** `secondary_domains` entries; undefined when absent or not a list (the schema reports the latter). */
  readonly secondary: readonly ListedScalar[] | undefined;
}

export interface GateTopologyView extends BindingBase {
  readonly exists: boolean;
  /** Collections of the wrong kind (root, top-level collections, their items). */
  readonly shape: readonly ShapeProblem[];
  readonly coreMode: Member<PlainMap>;
  readonly coreGateIds: Member<readonly unknown[]> & { readonly items: readonly ListedScalar[] };
  readonly domainMetadata: Member<readonly unknown[]> & { readonly items: readonly TopologyDomain[] };
  readonly gateAssignments: Member<readonly unknown[]> & { readonly items: readonly TopologyAssignment[] };
  readonly releaseSequence: Member<readonly unknown[]> & { readonly items: readonly ListedScalar[] };
  readonly validationRules: Member<PlainMap>;
}

const scalars = (list: readonly unknown[] | undefined, base: readonly (string | number)[]): ListedScalar[] =>
  (list ?? []).map((raw, i) => ({ value: optScalar(raw), raw, pointer: pointer(...base, i) }));

/**
 * ops/bindings/gate.execution.topology.yaml (D127, D134): the core gate set, the domains, one
 * assignment per gate, the release order and the validation flags. Read once per run (the file is
 * large: ~1,900 lines at HEAD); every entry keeps its pointer.
 */
export const gateTopology = memoised((ws: Workspace): GateTopologyView => {
  const file = 'gate.execution.topology';
  const { status, value } = loadYaml(ws, file);
  const shape = new ShapeReader(file);
  const root = status === 'loaded' ? shape.root(value) : undefined;

  const coreMode = shape.map(root, 'core_mode');
  const ids = shape.list(coreMode.value, 'core_gate_ids', ['core_mode']);
  const domains = shape.list(root, 'domain_metadata');
  const assignments = shape.list(root, 'gate_assignments');
  const release = shape.list(root, 'release_sequence');
  const rules = shape.map(root, 'validation_rules');

  const domainItems: TopologyDomain[] = shape
    .mapItems(domains.value, ['domain_metadata'])
    .map(({ index, pointer: p, entry }) => ({ index, pointer: p, entry, domainId: optScalar(field(entry, 'domain_id')) }));
  const assignmentItems: TopologyAssignment[] = shape.mapItems(assignments.value, ['gate_assignments']).map(({ index, pointer: p, entry }) => {
    const secondary = asArray(field(entry, 'secondary_domains'));
    return { index, pointer: p, entry, gateId: optScalar(field(entry, 'gate_id')), secondary: secondary ? scalars(secondary, ['gate_assignments', index, 'secondary_domains']) : undefined };
  });

  return {
    file,
    status,
    exists: ws.exists(file),
    shape: shape.problems,
    coreMode,
    coreGateIds: { ...ids, items: scalars(ids.value, ['core_mode', 'core_gate_ids']) },
    domainMetadata: { ...domains, items: domainItems },
    gateAssignments: { ...assignments, items: assignmentItems },
    releaseSequence: { ...release, items: scalars(release.value, ['release_sequence']) },
    validationRules: rules,
  };
});
