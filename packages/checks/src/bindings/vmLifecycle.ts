import type { Workspace } from '@spine-lint/core';
import { asMap, listItems, loadYaml, memoised, optNumber, optScalar, type BindingBase } from './util.js';

/** One `vms[]` entry of vm.lifecycle.yaml (spec §1.9): the fields the host graph and drift gates join on. */
export interface LifecycleVm {
  readonly index: number;
  readonly pointer: string;
  /** `id` (was `vmid` until 02-16). */
  readonly id: number | undefined;
  readonly hostname: string | undefined;
  readonly ssh_target: string | undefined;
  readonly proxmox_host: string | undefined;
  readonly status: string | undefined;
  readonly lan_ip: string | undefined;
  readonly tailscale_ip: string | undefined;
  /** Drift gates (D69/D258/D259/D262) also read these. */
  readonly site_scope: string | undefined;
  readonly ssh_user: string | undefined;
  readonly profile: string | undefined;
  /** `has_docker` exactly as written (D69 reproduces yq's `// true` on it). */
  readonly has_docker: unknown;
  readonly resources: Readonly<Record<string, unknown>> | undefined;
}

export interface VmLifecycleView extends BindingBase {
  readonly vms: readonly LifecycleVm[];
}

export const vmLifecycle = memoised((ws: Workspace): VmLifecycleView => {
  const file = 'vm.lifecycle';
  const { status, value } = loadYaml(ws, file);
  const vms = listItems(asMap(value)?.vms, ['vms']).map(({ index, value: v, pointer: p }) => {
    const m = asMap(v);
    return {
      index,
      pointer: p,
      id: optNumber(m?.id) ?? optNumber(m?.vmid),
      hostname: optScalar(m?.hostname),
      ssh_target: optScalar(m?.ssh_target),
      proxmox_host: optScalar(m?.proxmox_host),
      status: optScalar(m?.status),
      lan_ip: optScalar(m?.lan_ip),
      tailscale_ip: optScalar(m?.tailscale_ip),
      site_scope: optScalar(m?.site_scope),
      ssh_user: optScalar(m?.ssh_user),
      profile: optScalar(m?.profile),
      has_docker: m?.has_docker,
      resources: asMap(m?.resources),
    };
  });
  return { file, status, vms };
});
