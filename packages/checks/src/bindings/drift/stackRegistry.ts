import type { Workspace } from '@spine-lint/core';
import { asMap, listItems, loadYaml, memoised, optScalar, type BindingBase } from '../util.js';

/** `stacks[]` of docs/governance/STACK_REGISTRY.yaml: the fields D69's advisory lookup reads. */
export interface RegistryStack {
  readonly index: number;
  readonly pointer: string;
  readonly stack_id: string | undefined;
  readonly name: string | undefined;
  readonly path: string | undefined;
  readonly deploy_target: string | undefined;
}

export const stackRegistry = memoised((ws: Workspace): BindingBase & { stacks: readonly RegistryStack[] } => {
  const file = 'STACK_REGISTRY';
  const { status, value } = loadYaml(ws, file);
  const stacks = listItems(asMap(value)?.stacks, ['stacks']).map(({ index, value: v, pointer: p }) => {
    const m = asMap(v);
    return { index, pointer: p, stack_id: optScalar(m?.stack_id), name: optScalar(m?.name), path: optScalar(m?.path), deploy_target: optScalar(m?.deploy_target) };
  });
  return { file, status, stacks };
});
