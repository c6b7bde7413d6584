import type { Workspace } from '@spine-lint/core';
import { asMap, groupBy, listItems, loadYaml, memoised, optBool, optNumber, optScalar, optString, type BindingBase } from './util.js';

/** One `endpoints[]` entry of services.health.yaml (spec §1.4). */
export interface HealthEndpoint {
  readonly index: number;
  readonly pointer: string;
  readonly id: string | undefined;
  readonly host: string | undefined;
  readonly url: string | undefined;
  /** An int or a comma-separated string of codes, normalised to a list; `undefined` when absent or malformed. */
  readonly expect: number[] | undefined;
  /** `undefined` when absent (absent means enabled); a non-boolean reads as absent. */
  readonly enabled: boolean | undefined;
  readonly description: string | undefined;
}

export interface ServicesHealthView extends BindingBase {
  readonly defaults: { connect_timeout_sec: number | undefined; max_time_sec: number | undefined };
  readonly endpoints: readonly HealthEndpoint[];
  readonly byId: ReadonlyMap<string, readonly HealthEndpoint[]>;
  readonly byHost: ReadonlyMap<string, readonly HealthEndpoint[]>;
}

const parseExpect = (v: unknown): number[] | undefined => {
  if (typeof v === 'number' && Number.isInteger(v)) return [v];
  // `/^\s*\d{3}(\s*,\s*\d{3})*\s*$/`, piece by piece: every comma-separated piece is three digits between spaces.
  if (typeof v === 'string') {
    const pieces = v.split(',');
    if (pieces.every((x) => /^\d{3}$/.test(x.trim()))) return pieces.map((x) => Number(x.trim()));
  }
  return undefined;
};

export const servicesHealth = memoised((ws: Workspace): ServicesHealthView => {
  const file = 'services.health';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const d = asMap(root?.defaults);
  const endpoints: HealthEndpoint[] = listItems(root?.endpoints, ['endpoints']).map(({ index, value: v, pointer: p }) => {
    const e = asMap(v);
    return {
      index,
      pointer: p,
      id: optScalar(e?.id),
      host: optScalar(e?.host),
      url: optString(e?.url),
      expect: parseExpect(e?.expect),
      enabled: optBool(e?.enabled),
      description: optString(e?.description) ?? optString(e?.notes),
    };
  });
  return {
    file,
    status,
    defaults: { connect_timeout_sec: optNumber(d?.connect_timeout_sec), max_time_sec: optNumber(d?.max_time_sec) },
    endpoints,
    byId: groupBy(endpoints, (e) => e.id),
    byHost: groupBy(endpoints, (e) => e.host),
  };
});
