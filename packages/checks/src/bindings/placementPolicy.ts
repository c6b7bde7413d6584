import { pointer, type Workspace } from '@spine-lint/core';
import { asArray, asMap, boolOr, isMap, loadYaml, mapEntries, memoised, optScalar, optStringList, type BindingBase } from './util.js';

export interface PlacementSite {
  readonly name: string;
  readonly pointer: string;
  /** `undefined` when absent or not a list. */
  readonly proxmox_hosts: string[] | undefined;
  /** Raw values: the check decides what "numeric" means (the reference: digits only). */
  readonly vmid_min: unknown;
  readonly vmid_max: unknown;
}

export interface PlacementHost {
  readonly id: string;
  readonly pointer: string;
  readonly site: string | undefined;
  readonly kind: string | undefined;
  readonly machine_id: string | undefined;
}

export interface VmTargetRequirement {
  readonly id: string;
  readonly pointer: string;
  /** Whether the entry is a map (the reference ignores anything else). */
  readonly isMap: boolean;
  readonly required_site: string | undefined;
  readonly required_proxmox_host: string | undefined;
}

export interface ServicePlacement {
  readonly service: string;
  readonly pointer: string;
  readonly isMap: boolean;
  readonly primary_site: string | undefined;
  /** `undefined` when absent or not a list. */
  readonly dr_sites: string[] | undefined;
}

export const PLACEMENT_GUARDS = [
  'enforce_vmid_ranges',
  'require_explicit_vm_target_requirements',
  'require_service_policy_for_manifest_services',
  'enforce_service_primary_site',
  'enforce_vm_site_matches_hypervisor_site',
] as const;
export type PlacementGuard = (typeof PLACEMENT_GUARDS)[number];

export interface PlacementPolicyView extends BindingBase {
  readonly sites: ReadonlyMap<string, PlacementSite>;
  readonly hosts: ReadonlyMap<string, PlacementHost>;
  readonly vmTargetRequirements: ReadonlyMap<string, VmTargetRequirement>;
  readonly servicePlacement: ReadonlyMap<string, ServicePlacement>;
  /** A guard as a real boolean: `false` is false, absent or non-boolean is `false` (the reference's default). */
  guard(name: PlacementGuard | string): boolean;
  readonly guardsPointer: string;
}

export const placementPolicy = memoised((ws: Workspace): PlacementPolicyView => {
  const file = 'infra.placement.policy';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const sites = new Map<string, PlacementSite>();
  for (const e of mapEntries(root?.sites, ['sites'])) {
    const m = asMap(e.value);
    sites.set(e.key, { name: e.key, pointer: e.pointer, proxmox_hosts: optStringList(m?.proxmox_hosts), vmid_min: m?.vmid_min, vmid_max: m?.vmid_max });
  }
  const hosts = new Map<string, PlacementHost>();
  for (const e of mapEntries(root?.hosts, ['hosts'])) {
    const m = asMap(e.value);
    hosts.set(e.key, { id: e.key, pointer: e.pointer, site: optScalar(m?.site), kind: optScalar(m?.kind), machine_id: optScalar(m?.machine_id) });
  }
  const vmTargetRequirements = new Map<string, VmTargetRequirement>();
  for (const e of mapEntries(root?.vm_target_requirements, ['vm_target_requirements'])) {
    const m = asMap(e.value);
    vmTargetRequirements.set(e.key, {
      id: e.key,
      pointer: e.pointer,
      isMap: isMap(e.value),
      required_site: optScalar(m?.required_site),
      required_proxmox_host: optScalar(m?.required_proxmox_host),
    });
  }
  const servicePlacement = new Map<string, ServicePlacement>();
  for (const e of mapEntries(root?.service_placement, ['service_placement'])) {
    const m = asMap(e.value);
    servicePlacement.set(e.key, {
      service: e.key,
      pointer: e.pointer,
      isMap: isMap(e.value),
      primary_site: optScalar(m?.primary_site),
      dr_sites: asArray(m?.dr_sites) ? optStringList(m?.dr_sites) : undefined,
    });
  }
  const guards = asMap(root?.guards);
  return {
    file,
    status,
    sites,
    hosts,
    vmTargetRequirements,
    servicePlacement,
    guard: (name) => boolOr(guards?.[name], false),
    guardsPointer: pointer('guards'),
  };
});
