import type { Workspace } from '@spine-lint/core';
import { asMap, listItems, memoised, optScalar, type PlainMap } from '../util.js';

export interface TopologySite {
  readonly index: number;
  readonly pointer: string;
  readonly id: string | undefined;
  readonly status: string | undefined;
  /** `vmid_range` as written (`200-299`). */
  readonly vmidRange: string | undefined;
  readonly raw: PlainMap;
}

/** ops/bindings/topology.sites.yaml (D173; vmid ranges for vmid-range-parity). */
export const topologySites = memoised((ws: Workspace) => {
  const root = asMap(ws.yaml('topology.sites')?.value) ?? {};
  const sites: TopologySite[] = listItems(root.sites, ['sites']).map(({ index, value, pointer }) => {
    const m = asMap(value) ?? {};
    return { index, pointer, id: optScalar(m.id), status: optScalar(m.status), vmidRange: optScalar(m.vmid_range), raw: m };
  });
  return { exists: ws.exists('topology.sites'), root, sites };
});
