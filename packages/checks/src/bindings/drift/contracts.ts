import type { Workspace } from '@spine-lint/core';
import { asArray, asMap, loadYaml, memoised, optScalar, optString, pointer, type PlainMap } from '../util.js';

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
    pointerOf: (host: string, field?: string): string => (field ? pointer('onboarding_capacity_contract', 'by_hostname', host, field) : pointer('onboarding_capacity_contract', 'by_hostname', host)),
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
  return { exists: ws.exists('infra.core.slo'), status: loadYaml(ws, 'infra.core.slo').status, host: optString(target?.host), required };
});

/** A scalar list entry with its pointer (the gates print them with `yq -r '…[]'` and match lines exactly). */
export interface ListedValue {
  value: string;
  pointer: string;
}

const scalarItems = (v: unknown, base: readonly (string | number)[]): ListedValue[] =>
  (asArray(v) ?? []).flatMap((item, i) => {
    const s = optScalar(item);
    return s === undefined ? [] : [{ value: s, pointer: pointer(...base, i) }];
  });

/** The files holding the wiring of the `infra.core.slo.status` capability (D149). */
export const INFRA_CORE_WIRING_FILES = {
  stability: 'ops/bindings/stability.control.contract.yaml',
  capabilities: 'ops/capabilities.yaml',
  capabilityMap: 'ops/bindings/capability_map.yaml',
  manifest: 'ops/plugins/MANIFEST.yaml',
} as const;

/**
 * How `infra.core.slo.status` is wired (D149's second half): the stability contract's probes and
 * guided recovery commands for `infra-core-stack`, the capability's `command` in ops/capabilities.yaml,
 * its `plugin`/`script` in capability_map.yaml, and the `scripts`/`capabilities` of the MANIFEST's
 * `observability` plugin(s). Each part carries its file's load state and the pointer of the deepest
 * node that exists (for the finding's position).
 */
export const infraCoreSloWiring = memoised((ws: Workspace) => {
  const F = INFRA_CORE_WIRING_FILES;
  const CAP = 'infra.core.slo.status';
  const STACK = 'infra-core-stack';

  const stabilityDoc = loadYaml(ws, F.stability);
  const stabilityRoot = asMap(stabilityDoc.value);
  const section = (key: string) => {
    const m = asMap(stabilityRoot?.[key]);
    const has = m !== undefined && Object.prototype.hasOwnProperty.call(m, STACK);
    return {
      items: scalarItems(m?.[STACK], [key, STACK]),
      pointer: has ? pointer(key, STACK) : m ? pointer(key) : undefined,
    };
  };

  const capabilityEntry = (name: string, fields: readonly string[]) => {
    const doc = loadYaml(ws, name);
    const caps = asMap(asMap(doc.value)?.capabilities);
    const entry = caps && Object.prototype.hasOwnProperty.call(caps, CAP) ? asMap(caps[CAP]) : undefined;
    const values = Object.fromEntries(fields.map((f) => [f, optScalar(entry?.[f])]));
    const pointerOf = (field: string): string | undefined =>
      entry && Object.prototype.hasOwnProperty.call(entry, field) ? pointer('capabilities', CAP, field) : entry ? pointer('capabilities', CAP) : caps ? pointer('capabilities') : undefined;
    return { status: doc.status, values, pointerOf };
  };

  const manifestDoc = loadYaml(ws, F.manifest);
  const plugins = asArray(asMap(manifestDoc.value)?.plugins) ?? [];
  const observability = plugins.flatMap((p, i) => (optScalar(asMap(p)?.name) === 'observability' ? [{ plugin: asMap(p)!, index: i }] : []));
  const manifestList = (key: string) => {
    const first = observability[0];
    return {
      items: observability.flatMap(({ plugin, index }) => scalarItems(plugin[key], ['plugins', index, key])),
      pointer: first
        ? Object.prototype.hasOwnProperty.call(first.plugin, key)
          ? pointer('plugins', first.index, key)
          : pointer('plugins', first.index)
        : asArray(asMap(manifestDoc.value)?.plugins)
          ? pointer('plugins')
          : undefined,
    };
  };

  return {
    capability: CAP,
    stability: { status: stabilityDoc.status, probes: section('probe_capabilities'), recovery: section('guided_recovery_commands') },
    capabilities: capabilityEntry(F.capabilities, ['command']),
    capabilityMap: capabilityEntry(F.capabilityMap, ['plugin', 'script']),
    manifest: { status: manifestDoc.status, scripts: manifestList('scripts'), capabilities: manifestList('capabilities') },
  };
});
