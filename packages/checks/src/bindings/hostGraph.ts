import type { Workspace } from '@spine-lint/core';
import { backupInventory } from './backupInventory.js';
import { composeTargets } from './composeTargets.js';
import { deviceIdentity } from './deviceIdentity.js';
import { namingPolicy } from './namingPolicy.js';
import { placementPolicy } from './placementPolicy.js';
import { relocationPlan } from './relocationPlan.js';
import { serviceRegistry } from './serviceRegistry.js';
import { servicesHealth } from './servicesHealth.js';
import { sshTargets } from './sshTargets.js';
import { vmLifecycle } from './vmLifecycle.js';
import { memoised } from './util.js';

/** Where a host id appears (spec §1.0: six spellings plus Markdown tables). */
export type HostRole =
  | 'ssh-target' // ssh.targets .ssh.targets[].id
  | 'registry-host' // SERVICE_REGISTRY .hosts.<id>
  | 'registry-host-ssh' // SERVICE_REGISTRY .hosts.<id>.ssh
  | 'registry-service-host' // SERVICE_REGISTRY .services.<svc>.host
  | 'health-endpoint-host' // services.health .endpoints[].host
  | 'compose-target' // docker.compose.targets .targets.<id>
  | 'compose-ssh-target' // docker.compose.targets .targets.<id>.ssh_target
  | 'backup-target-host' // backup.inventory .targets[].host
  | 'backup-runtime-unit' // backup.inventory .runtime_units[].hostname
  | 'relocation-vm-target' // infra.relocation.plan .vm_targets[].hostname
  | 'relocation-proxmox-host' // .vm_targets[].proxmox_host
  | 'relocation-from-host'
  | 'relocation-to-host'
  | 'relocation-rollback-to'
  | 'placement-host' // infra.placement.policy .hosts.<id>
  | 'placement-vm-requirement' // .vm_target_requirements.<id>
  | 'placement-site-proxmox-host' // .sites.<site>.proxmox_hosts[]
  | 'lifecycle-vm' // vm.lifecycle .vms[].hostname
  | 'lifecycle-ssh-target' // vm.lifecycle .vms[].ssh_target
  | 'naming-canonical' // naming.policy .hosts[].canonical_name
  | 'identity-tailscale-host' // DEVICE_IDENTITY Tailscale Host Table
  | 'identity-shop-vm' // DEVICE_IDENTITY Shop VM LAN IPs
  | 'identity-lan-endpoint'; // DEVICE_IDENTITY LAN Endpoints

export interface HostAppearance {
  /** Binding name (layout key): usable as `file` in `ctx.report`. */
  readonly file: string;
  readonly pointer: string;
  readonly role: HostRole;
  /** The id as spelled in that place (may be an approved alias, e.g. `immich-1`). */
  readonly spelling: string;
}

export interface HostNode {
  /** The canonical id (naming.policy canonical name, else the ssh target id, else the spelling). */
  readonly id: string;
  readonly appearances: readonly HostAppearance[];
  /** Every spelling seen for this host. */
  readonly spellings: ReadonlySet<string>;
  has(role: HostRole): boolean;
  in(role: HostRole): readonly HostAppearance[];
}

export interface HostGraph {
  readonly hosts: ReadonlyMap<string, HostNode>;
  /** The canonical id of a spelling (`immich-1` → `immich`); the spelling itself when unknown. */
  resolve(spelling: string): string;
  /** The host node of a spelling. */
  get(spelling: string): HostNode | undefined;
}

/** Spellings that are not hosts: "new deployment" / "no rollback" placeholders and the local machine. */
const NOT_A_HOST = new Set(['', 'null', 'none', 'new', 'localhost']);

/**
 * One node per host, joining the six spellings of a host id across the bindings (spec §1.0).
 * Aliases come from naming.policy `allowed_exceptions` (surface `tailscale_name`) and from
 * vm.lifecycle entries whose `ssh_target` differs from their `hostname` (`ha` ↔ `homeassistant`).
 */
export const hostGraph = memoised((ws: Workspace): HostGraph => {
  const naming = namingPolicy(ws);
  const ssh = sshTargets(ws);
  const lifecycle = vmLifecycle(ws);
  const canonicalNames = new Set(naming.hosts.map((h) => h.canonical_name).filter((n): n is string => n !== undefined));
  const alias = new Map<string, string>();
  for (const e of naming.allowedExceptions) {
    if (e.surface === 'tailscale_name' && e.host && e.actual && e.host !== e.actual) alias.set(e.actual, e.host);
  }
  for (const vm of lifecycle.vms) {
    const { hostname, ssh_target } = vm;
    if (!hostname || !ssh_target || hostname === ssh_target) continue;
    const preferTarget = canonicalNames.has(ssh_target) || (!canonicalNames.has(hostname) && ssh.byId.has(ssh_target));
    if (preferTarget) alias.set(hostname, ssh_target);
    else alias.set(ssh_target, hostname);
  }
  const resolve = (spelling: string): string => {
    let id = spelling;
    for (let i = 0; i < 4 && alias.has(id); i++) id = alias.get(id)!;
    return id;
  };

  const appearances = new Map<string, HostAppearance[]>();
  const add = (spelling: string | undefined, file: string, pointer: string, role: HostRole): void => {
    if (spelling === undefined || NOT_A_HOST.has(spelling)) return;
    const id = resolve(spelling);
    const list = appearances.get(id);
    const a: HostAppearance = { file, pointer, role, spelling };
    if (list) list.push(a);
    else appearances.set(id, [a]);
  };

  for (const t of ssh.targets) add(t.id, ssh.file, `${t.pointer}/id`, 'ssh-target');
  const reg = serviceRegistry(ws);
  for (const h of reg.hosts.values()) {
    add(h.id, reg.file, h.pointer, 'registry-host');
    add(h.ssh, reg.file, `${h.pointer}/ssh`, 'registry-host-ssh');
  }
  for (const s of reg.services.values()) add(s.host, reg.file, `${s.pointer}/host`, 'registry-service-host');
  const health = servicesHealth(ws);
  for (const e of health.endpoints) add(e.host, health.file, `${e.pointer}/host`, 'health-endpoint-host');
  const compose = composeTargets(ws);
  for (const t of compose.targets.values()) {
    add(t.id, compose.file, t.pointer, 'compose-target');
    add(t.ssh_target, compose.file, `${t.pointer}/ssh_target`, 'compose-ssh-target');
  }
  const backup = backupInventory(ws);
  for (const t of backup.targets) add(t.host, backup.file, `${t.pointer}/host`, 'backup-target-host');
  for (const u of backup.runtimeUnits) add(u.hostname, backup.file, `${u.pointer}/hostname`, 'backup-runtime-unit');
  const plan = relocationPlan(ws);
  for (const t of plan.vmTargets) {
    add(t.hostname, plan.file, `${t.pointer}/hostname`, 'relocation-vm-target');
    add(t.proxmox_host, plan.file, `${t.pointer}/proxmox_host`, 'relocation-proxmox-host');
  }
  for (const s of plan.services) {
    add(s.from_host, plan.file, `${s.pointer}/from_host`, 'relocation-from-host');
    add(s.to_host, plan.file, `${s.pointer}/to_host`, 'relocation-to-host');
    add(s.rollback_to, plan.file, `${s.pointer}/rollback_to`, 'relocation-rollback-to');
  }
  const policy = placementPolicy(ws);
  for (const h of policy.hosts.values()) add(h.id, policy.file, h.pointer, 'placement-host');
  for (const r of policy.vmTargetRequirements.values()) add(r.id, policy.file, r.pointer, 'placement-vm-requirement');
  for (const s of policy.sites.values()) {
    (s.proxmox_hosts ?? []).forEach((h, i) => add(h, policy.file, `${s.pointer}/proxmox_hosts/${i}`, 'placement-site-proxmox-host'));
  }
  for (const vm of lifecycle.vms) {
    add(vm.hostname, lifecycle.file, `${vm.pointer}/hostname`, 'lifecycle-vm');
    add(vm.ssh_target, lifecycle.file, `${vm.pointer}/ssh_target`, 'lifecycle-ssh-target');
  }
  for (const h of naming.hosts) add(h.canonical_name, naming.file, `${h.pointer}/canonical_name`, 'naming-canonical');
  const identity = deviceIdentity(ws);
  for (const row of identity.tailscaleHosts?.rows ?? []) add(row.values.host, identity.file, row.cells.host?.pointer ?? row.pointer, 'identity-tailscale-host');
  for (const row of identity.shopVmLanIps?.rows ?? []) add(row.values.canonicalName, identity.file, row.cells.canonicalName?.pointer ?? row.pointer, 'identity-shop-vm');
  for (const row of identity.lanEndpoints?.rows ?? []) add(row.values.canonicalName, identity.file, row.cells.canonicalName?.pointer ?? row.pointer, 'identity-lan-endpoint');

  const hosts = new Map<string, HostNode>();
  for (const [id, list] of appearances) {
    hosts.set(id, {
      id,
      appearances: list,
      spellings: new Set(list.map((a) => a.spelling)),
      has: (role) => list.some((a) => a.role === role),
      in: (role) => list.filter((a) => a.role === role),
    });
  }
  return { hosts, resolve, get: (spelling) => hosts.get(resolve(spelling)) };
});
