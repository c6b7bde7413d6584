import { pointer, type Workspace } from '@spine-lint/core';
import { asMap, groupBy, listItems, loadYaml, memoised, optNumber, optScalar, optString, type BindingBase } from './util.js';

/** `active_relocation` (spec §1.3); `null` in the file is `null` here, a missing key `undefined`. */
export interface ActiveRelocation {
  readonly pointer: string;
  readonly change_id: string | undefined;
  /** The state as yq prints it (numbers stringified); `undefined` when absent or not a scalar. */
  readonly state: string | undefined;
  readonly statePointer: string;
  readonly owner: string | undefined;
  readonly approved_by: string | undefined;
  readonly updated_at: string | undefined;
}

export interface VmTarget {
  readonly index: number;
  readonly pointer: string;
  /** `vm_id` as a string (quoted digits in the manifest; ints elsewhere compare numerically). */
  readonly vm_id: string | undefined;
  readonly hostname: string | undefined;
  readonly role: string | undefined;
  readonly tailscale_ip: string | undefined;
  readonly proxmox_host: string | undefined;
  readonly ci_network_cidr: string | undefined;
  readonly status: string | undefined;
}

export interface RelocationService {
  readonly index: number;
  readonly pointer: string;
  readonly service: string | undefined;
  readonly from_host: string | undefined;
  readonly to_host: string | undefined;
  readonly phase: number | undefined;
  readonly health_url: string | undefined;
  readonly rollback_to: string | undefined;
  readonly backup_target: string | undefined;
  /** Raw status; `undefined` when absent (D37 reads it as `planned`, D35 as `null`). */
  readonly status: string | undefined;
}

export interface RequiredUpdate {
  readonly index: number;
  readonly pointer: string;
  readonly path: string | undefined;
}

export interface RelocationPlanView extends BindingBase {
  /** `null`: `active_relocation: null`; `undefined`: the key is absent or not a map. */
  readonly activeRelocation: ActiveRelocation | null | undefined;
  readonly vmTargets: readonly VmTarget[];
  readonly services: readonly RelocationService[];
  /** `undefined` when the key is absent (or not a list). */
  readonly requiredUpdates: readonly RequiredUpdate[] | undefined;
  readonly servicesByName: ReadonlyMap<string, readonly RelocationService[]>;
  readonly vmTargetsByHostname: ReadonlyMap<string, readonly VmTarget[]>;
  readonly completedRelocations: readonly { pointer: string; change_id: string | undefined; state: string | undefined }[];
}

export const relocationPlan = memoised((ws: Workspace): RelocationPlanView => {
  const file = 'infra.relocation.plan';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const ar = root?.active_relocation;
  const arMap = asMap(ar);
  const activeRelocation: ActiveRelocation | null | undefined =
    ar === null
      ? null
      : arMap
        ? {
            pointer: pointer('active_relocation'),
            change_id: optScalar(arMap.change_id),
            state: optScalar(arMap.state),
            statePointer: pointer('active_relocation', 'state'),
            owner: optScalar(arMap.owner),
            approved_by: optScalar(arMap.approved_by),
            updated_at: optScalar(arMap.updated_at),
          }
        : undefined;
  const vmTargets: VmTarget[] = listItems(root?.vm_targets, ['vm_targets']).map(({ index, value: v, pointer: p }) => {
    const t = asMap(v);
    return {
      index,
      pointer: p,
      vm_id: optScalar(t?.vm_id),
      hostname: optScalar(t?.hostname),
      role: optString(t?.role),
      tailscale_ip: optScalar(t?.tailscale_ip),
      proxmox_host: optScalar(t?.proxmox_host),
      ci_network_cidr: optString(t?.ci_network_cidr),
      status: optScalar(t?.status),
    };
  });
  const services: RelocationService[] = listItems(root?.services, ['services']).map(({ index, value: v, pointer: p }) => {
    const s = asMap(v);
    return {
      index,
      pointer: p,
      service: optScalar(s?.service),
      from_host: optScalar(s?.from_host),
      to_host: optScalar(s?.to_host),
      phase: optNumber(s?.phase),
      health_url: optString(s?.health_url),
      rollback_to: optScalar(s?.rollback_to),
      backup_target: optString(s?.backup_target),
      status: optScalar(s?.status),
    };
  });
  const requiredUpdates = Array.isArray(root?.required_updates)
    ? listItems(root.required_updates, ['required_updates']).map(({ index, value: v, pointer: p }) => ({ index, pointer: p, path: optScalar(v) }))
    : undefined;
  const completedRelocations = listItems(root?.completed_relocations, ['completed_relocations']).map(({ value: v, pointer: p }) => ({
    pointer: p,
    change_id: optScalar(asMap(v)?.change_id),
    state: optScalar(asMap(v)?.state),
  }));
  return {
    file,
    status,
    activeRelocation,
    vmTargets,
    services,
    requiredUpdates,
    servicesByName: groupBy(services, (s) => s.service),
    vmTargetsByHostname: groupBy(vmTargets, (t) => t.hostname),
    completedRelocations,
  };
});
