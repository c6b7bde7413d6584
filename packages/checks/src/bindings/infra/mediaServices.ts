import type { Workspace } from '@spine-lint/core';
import { asMap, inFileOrder, loadYaml, mapEntries, memoised, type BindingBase, type PlainMap } from '../util.js';
import { own, collectionProblem, valueKind, type CollectionProblem } from './valueKind.js';

/** One `services.<name>` entry of media.services.yaml. */
export interface MediaService {
  readonly name: string;
  readonly pointer: string;
  /** The entry as written, and its map (undefined when it is not a map: `kind` says what it is). */
  readonly value: unknown;
  readonly map: PlainMap | undefined;
  readonly kind: string;
  /** `vm` and `port` as written. */
  readonly vm: unknown;
  readonly port: unknown;
}

export interface MediaServicesView extends BindingBase {
  /** The root is not a map, or `services` is missing or not a map: nothing else is read. */
  readonly problem: CollectionProblem | undefined;
  /** The services in file order. */
  readonly services: readonly MediaService[];
}

/** ops/bindings/media.services.yaml (D106): the media services, each with the VM it runs on and its port. */
export const mediaServices = memoised((ws: Workspace): MediaServicesView => {
  const file = 'media.services';
  const { status, value } = loadYaml(ws, file);
  if (status !== 'loaded') return { file, status, problem: undefined, services: [] };
  const root = asMap(value);
  const isMap = (v: unknown): boolean => asMap(v) !== undefined;
  const problem = collectionProblem(value, [], 'a map', isMap) ?? collectionProblem(own(root, 'services'), ['services'], 'a map of services (name: { vm, port })', isMap);
  const services = problem
    ? []
    : inFileOrder(ws, file, mapEntries(own(root, 'services'), ['services'])).map(({ key, value: v, pointer }) => {
        const map = asMap(v);
        return { name: key, pointer, value: v, map, kind: valueKind(v), vm: own(map, 'vm'), port: own(map, 'port') };
      });
  return { file, status, problem, services };
});
