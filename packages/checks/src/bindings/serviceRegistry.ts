import type { Workspace } from '@spine-lint/core';
import { asMap, loadYaml, mapEntries, memoised, optNumber, optScalar, optString, type BindingBase } from './util.js';

/** `services.<id>` of SERVICE_REGISTRY.yaml (spec §1.6). */
export interface RegistryService {
  readonly id: string;
  readonly pointer: string;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly health: string | undefined;
  readonly status: string | undefined;
  readonly compose: string | undefined;
  readonly container: string | undefined;
}

/** `hosts.<id>` of SERVICE_REGISTRY.yaml. */
export interface RegistryHost {
  readonly id: string;
  readonly pointer: string;
  readonly tailscale_ip: string | undefined;
  /** The ssh target id (`localhost` for the workstation). */
  readonly ssh: string | undefined;
  readonly os: string | undefined;
  readonly vmid: number | undefined;
  readonly proxmox_host: string | undefined;
  readonly ssh_user: string | undefined;
}

export interface ServiceRegistryView extends BindingBase {
  readonly services: ReadonlyMap<string, RegistryService>;
  readonly hosts: ReadonlyMap<string, RegistryHost>;
}

export const serviceRegistry = memoised((ws: Workspace): ServiceRegistryView => {
  const file = 'SERVICE_REGISTRY';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const services = new Map<string, RegistryService>();
  for (const e of mapEntries(root?.services, ['services'])) {
    const m = asMap(e.value);
    services.set(e.key, {
      id: e.key,
      pointer: e.pointer,
      host: optScalar(m?.host),
      port: optNumber(m?.port),
      health: optScalar(m?.health),
      status: optScalar(m?.status),
      compose: optString(m?.compose),
      container: optScalar(m?.container),
    });
  }
  const hosts = new Map<string, RegistryHost>();
  for (const e of mapEntries(root?.hosts, ['hosts'])) {
    const m = asMap(e.value);
    hosts.set(e.key, {
      id: e.key,
      pointer: e.pointer,
      tailscale_ip: optScalar(m?.tailscale_ip),
      ssh: optScalar(m?.ssh),
      os: optScalar(m?.os),
      vmid: optNumber(m?.vmid),
      proxmox_host: optScalar(m?.proxmox_host),
      ssh_user: optScalar(m?.ssh_user),
    });
  }
  return { file, status, services, hosts };
});
