import type { Workspace } from '@spine-lint/core';
import { asMap, listItems, loadYaml, mapEntries, memoised, optBool, optNumber, optScalar, optString, type BindingBase } from './util.js';

export interface ComposeStack {
  readonly index: number;
  readonly pointer: string;
  readonly name: string | undefined;
  readonly path: string | undefined;
  readonly legacy_only: boolean | undefined;
  readonly authoritative_runtime: boolean | undefined;
}

/** `targets.<host id>` of docker.compose.targets.yaml (spec §1.5). */
export interface ComposeTarget {
  readonly id: string;
  readonly pointer: string;
  readonly ssh_target: string | undefined;
  readonly connect_timeout_sec: number | undefined;
  /** `undefined` when absent (absent means enabled). */
  readonly enabled: boolean | undefined;
  readonly description: string | undefined;
  readonly stacks: readonly ComposeStack[];
}

export interface ComposeTargetsView extends BindingBase {
  readonly targets: ReadonlyMap<string, ComposeTarget>;
}

export const composeTargets = memoised((ws: Workspace): ComposeTargetsView => {
  const file = 'docker.compose.targets';
  const { status, value } = loadYaml(ws, file);
  const targets = new Map<string, ComposeTarget>();
  for (const e of mapEntries(asMap(value)?.targets, ['targets'])) {
    const m = asMap(e.value);
    targets.set(e.key, {
      id: e.key,
      pointer: e.pointer,
      ssh_target: optScalar(m?.ssh_target),
      connect_timeout_sec: optNumber(m?.connect_timeout_sec),
      enabled: optBool(m?.enabled),
      description: optString(m?.description),
      stacks: listItems(m?.stacks, ['targets', e.key, 'stacks']).map(({ index, value: v, pointer: p }) => {
        const s = asMap(v);
        return {
          index,
          pointer: p,
          name: optScalar(s?.name),
          path: optString(s?.path),
          legacy_only: optBool(s?.legacy_only),
          authoritative_runtime: optBool(s?.authoritative_runtime),
        };
      }),
    });
  }
  return { file, status, targets };
});
