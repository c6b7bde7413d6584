import { pointer, type Workspace } from '@spine-lint/core';
import { asMap, groupBy, listItems, loadYaml, memoised, optBool, optNumber, optScalar, optString, optStringList, type BindingBase } from './util.js';

/** One `ssh.targets[]` entry (spec §1.1). Wrong-typed fields read as `undefined`. */
export interface SshTarget {
  readonly index: number;
  readonly pointer: string;
  readonly id: string | undefined;
  readonly host: string | undefined;
  readonly tailscale_ip: string | undefined;
  readonly user: string | undefined;
  readonly port: number | undefined;
  readonly connect_timeout_sec: number | undefined;
  readonly access_policy: string | undefined;
  readonly access_method: string | undefined;
  readonly probe_via: string | undefined;
  readonly optional: boolean | undefined;
  readonly mac: string | undefined;
  readonly ssh_extra_opts: string | undefined;
  readonly description: string | undefined;
  readonly tags: string[] | undefined;
}

export interface SshDefaults {
  readonly pointer: string;
  readonly user: string | undefined;
  readonly port: number | undefined;
  readonly connect_timeout_sec: number | undefined;
  readonly batch_mode: boolean | undefined;
  readonly strict_host_key_checking: string | undefined;
  readonly user_known_hosts_file: string | undefined;
}

export interface SshTargetsView extends BindingBase {
  readonly defaults: SshDefaults;
  readonly targets: readonly SshTarget[];
  /** Targets by id (a list: duplicates are kept for the uniqueness check). */
  readonly byId: ReadonlyMap<string, readonly SshTarget[]>;
  /** The first target with this id. */
  get(id: string): SshTarget | undefined;
}

export const sshTargets = memoised((ws: Workspace): SshTargetsView => {
  const file = 'ssh.targets';
  const { status, value } = loadYaml(ws, file);
  const ssh = asMap(asMap(value)?.ssh);
  const d = asMap(ssh?.defaults);
  const defaults: SshDefaults = {
    pointer: pointer('ssh', 'defaults'),
    user: optScalar(d?.user),
    port: optNumber(d?.port),
    connect_timeout_sec: optNumber(d?.connect_timeout_sec),
    batch_mode: optBool(d?.batch_mode),
    strict_host_key_checking: optScalar(d?.strict_host_key_checking),
    user_known_hosts_file: optString(d?.user_known_hosts_file),
  };
  const targets: SshTarget[] = listItems(ssh?.targets, ['ssh', 'targets']).map(({ index, value: v, pointer: p }) => {
    const t = asMap(v);
    return {
      index,
      pointer: p,
      id: optScalar(t?.id),
      host: optScalar(t?.host),
      tailscale_ip: optScalar(t?.tailscale_ip),
      user: optScalar(t?.user),
      port: optNumber(t?.port),
      connect_timeout_sec: optNumber(t?.connect_timeout_sec),
      access_policy: optString(t?.access_policy),
      access_method: optString(t?.access_method),
      probe_via: optScalar(t?.probe_via),
      optional: optBool(t?.optional),
      mac: optString(t?.mac),
      ssh_extra_opts: optString(t?.ssh_extra_opts),
      description: optString(t?.description) ?? optString(t?.notes),
      tags: optStringList(t?.tags),
    };
  });
  const byId = groupBy(targets, (t) => t.id);
  return { file, status, defaults, targets, byId, get: (id) => byId.get(id)?.[0] };
});
