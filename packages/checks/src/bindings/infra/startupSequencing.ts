import type { Workspace } from '@spine-lint/core';
import { asMap, listItems, loadYaml, memoised, pointer, type BindingBase, type PlainMap } from '../util.js';
import { own, collectionProblem, valueKind, valueText, type CollectionProblem } from './valueKind.js';

/** One `phases[]` entry of startup.sequencing.yaml. */
export interface StartupPhase {
  readonly index: number;
  readonly pointer: string;
  /** The entry's map; undefined when the item is not a map (`kind` says what it is). */
  readonly map: PlainMap | undefined;
  readonly kind: string;
  /** `phase` as yq prints it (`null` when absent). */
  readonly id: string;
  /** `site` as written. */
  readonly site: unknown;
}

export interface StartupSequencingView extends BindingBase {
  /** The root is not a map (nothing else is read). */
  readonly rootProblem: CollectionProblem | undefined;
  /** `version` as written, and whether the key is present. */
  readonly version: unknown;
  readonly hasVersion: boolean;
  /** `phases` is present (not null) but not a list. */
  readonly phasesProblem: CollectionProblem | undefined;
  /** Where `phases` is (or its parent, the root, when it is missing). */
  readonly phasesPointer: string;
  readonly phases: readonly StartupPhase[];
}

/** ops/bindings/startup.sequencing.yaml (D138): format version and the site tag of each startup phase. */
export const startupSequencing = memoised((ws: Workspace): StartupSequencingView => {
  const file = 'startup.sequencing';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const rootProblem = status === 'loaded' ? collectionProblem(value, [], 'a map', (v) => asMap(v) !== undefined) : undefined;
  const rawPhases = own(root, 'phases');
  const phasesProblem = root && rawPhases !== undefined && rawPhases !== null ? collectionProblem(rawPhases, ['phases'], 'a list of startup phases', Array.isArray) : undefined;
  const phases = listItems(rawPhases, ['phases']).map(({ index, value: v, pointer: p }) => {
    const map = asMap(v);
    return { index, pointer: p, map, kind: valueKind(v), id: valueText(own(map, 'phase')), site: own(map, 'site') };
  });
  return {
    file,
    status,
    rootProblem,
    version: own(root, 'version'),
    hasVersion: root !== undefined && Object.prototype.hasOwnProperty.call(root, 'version'),
    phasesProblem,
    phasesPointer: rawPhases === undefined ? '' : pointer('phases'),
    phases,
  };
});
