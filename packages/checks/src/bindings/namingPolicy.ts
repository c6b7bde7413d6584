import type { Workspace } from '@spine-lint/core';
import { asMap, listItems, loadYaml, memoised, optScalar, type BindingBase } from './util.js';

export interface NamingHost {
  readonly index: number;
  readonly pointer: string;
  readonly canonical_name: string | undefined;
  readonly kind: string | undefined;
  readonly site: string | undefined;
  readonly status: string | undefined;
  /** `surfaces.<name>` as written (D45/D59 compare with `true`). */
  readonly surfaces: Readonly<Record<string, unknown>>;
}

/** An approved spelling difference: `actual` is `host` on `surface` (e.g. tailscale_name immich-1 → immich). */
export interface NamingException {
  readonly index: number;
  readonly pointer: string;
  readonly host: string | undefined;
  readonly surface: string | undefined;
  readonly actual: string | undefined;
}

export interface NamingPolicyView extends BindingBase {
  readonly hosts: readonly NamingHost[];
  readonly allowedExceptions: readonly NamingException[];
}

export const namingPolicy = memoised((ws: Workspace): NamingPolicyView => {
  const file = 'naming.policy';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const hosts = listItems(root?.hosts, ['hosts']).map(({ index, value: v, pointer: p }) => {
    const m = asMap(v);
    return { index, pointer: p, canonical_name: optScalar(m?.canonical_name), kind: optScalar(m?.kind), site: optScalar(m?.site), status: optScalar(m?.status), surfaces: asMap(m?.surfaces) ?? {} };
  });
  const allowedExceptions = listItems(root?.allowed_exceptions, ['allowed_exceptions']).map(({ index, value: v, pointer: p }) => {
    const m = asMap(v);
    return { index, pointer: p, host: optScalar(m?.host), surface: optScalar(m?.surface), actual: optScalar(m?.actual) };
  });
  return { file, status, hosts, allowedExceptions };
});
