import type { Workspace } from '@spine-lint/core';
import { asArray, asMap, memoised, optScalar, optString, pointer, type PlainMap } from '../util.js';

/** `tailscale.ssh.lifecycle.contract.yaml` `approved_alias_overrides[]` (D262 check 4). */
export interface AliasOverride {
  vmHostname: string | undefined;
  sshTarget: string | undefined;
  pointer: string;
}

export const tailscaleSshLifecycle = memoised((ws: Workspace) => {
  const root = asMap(ws.yaml('tailscale.ssh.lifecycle.contract')?.value);
  const overrides: AliasOverride[] = [];
  (asArray(root?.approved_alias_overrides) ?? []).forEach((item, i) => {
    const o = asMap(item);
    if (o) overrides.push({ vmHostname: optScalar(o.vm_hostname), sshTarget: optScalar(o.ssh_target), pointer: pointer('approved_alias_overrides', i) });
  });
  return { exists: ws.exists('tailscale.ssh.lifecycle.contract'), overrides };
});

/** `ssh.target.lifecycle.contract.yaml` (D281). */
export const sshTargetLifecycle = memoised((ws: Workspace) => {
  const root = asMap(ws.yaml('ssh.target.lifecycle.contract')?.value);
  const list = (key: string) =>
    (asArray(root?.[key]) ?? []).flatMap((v, i) => {
      const s = optScalar(v);
      return s === undefined ? [] : [{ value: s, pointer: pointer(key, i) }];
    });
  return {
    exists: ws.exists('ssh.target.lifecycle.contract'),
    decommissioned: list('decommissioned_targets'),
    surfaces: list('active_reference_surfaces'),
  };
});

/** `workbench.ssh.attach.contract.yaml` anchors D258 requires. */
export const workbenchSshAttach = memoised((ws: Workspace) => {
  const root = asMap(ws.yaml('workbench.ssh.attach.contract')?.value);
  return {
    exists: ws.exists('workbench.ssh.attach.contract'),
    spineBinding: optScalar(root?.spine_binding),
    workbenchSshConfig: optScalar(root?.workbench_ssh_config),
  };
});

/** `infra.capacity.guard.policy.yaml` `onboarding_capacity_contract` (D259). */
export const capacityGuard = memoised((ws: Workspace) => {
  const root = asMap(ws.yaml('infra.capacity.guard.policy')?.value);
  const contract = asMap(root?.onboarding_capacity_contract);
  const byHostname = asMap(contract?.by_hostname) ?? {};
  return {
    exists: ws.exists('infra.capacity.guard.policy'),
    entry: (host: string): PlainMap | undefined => (Object.prototype.hasOwnProperty.call(byHostname, host) ? asMap(byHostname[host]) : undefined),
    pointerOf: (host: string, field?: string): string =>
      field ? pointer('onboarding_capacity_contract', 'by_hostname', host, field) : pointer('onboarding_capacity_contract', 'by_hostname', host),
  };
});

/** `infra.core.slo.yaml` target (D149). */
export const infraCoreSlo = memoised((ws: Workspace) => {
  const root = asMap(ws.yaml('infra.core.slo')?.value);
  const target = asMap(root?.target);
  const required = (asArray(target?.required_service_ids) ?? []).flatMap((v, i) => {
    const s = optScalar(v);
    return s === undefined ? [] : [{ id: s, pointer: pointer('target', 'required_service_ids', i) }];
  });
  return { exists: ws.exists('infra.core.slo'), host: optString(target?.host), required };
});
