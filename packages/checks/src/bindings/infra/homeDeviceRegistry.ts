import type { Workspace } from '@spine-lint/core';
import { asArray, asMap, groupBy, listItems, loadYaml, memoised, optScalar, type BindingBase } from '../util.js';
import { valueKind as kindOfValue } from './valueKind.js';

/** One `devices[]` row of ops/bindings/home.device.registry.yaml (the home network's device SSOT). */
export interface HomeDevice {
  readonly index: number;
  readonly pointer: string;
  readonly id: string | undefined;
  /**
   * `ip` and `role` as the gates read them (`.ip // ""`): a scalar's text; absent, null **and
   * `false`** read as `undefined` (yq's `//`), a map or list too (it is no address or role).
   */
  readonly ip: string | undefined;
  readonly role: string | undefined;
}

/** How the file holds its `devices` list: `ok` (a list, or no `devices` key: no rows), or why not. */
export type DevicesShape = 'ok' | 'root-not-a-map' | 'not-a-list';

export interface HomeDeviceRegistryView extends BindingBase {
  readonly shape: DevicesShape;
  /** What is there instead (for `root-not-a-map` / `not-a-list`), in words. */
  readonly found: string;
  readonly devices: readonly HomeDevice[];
  /** Rows by `id`, duplicates kept in order. */
  readonly devicesById: ReadonlyMap<string, readonly HomeDevice[]>;
}

const yqField = (v: unknown): string | undefined => (v === false ? undefined : optScalar(v));

export const homeDeviceRegistry = memoised((ws: Workspace): HomeDeviceRegistryView => {
  const file = 'home.device.registry';
  const { status, value } = loadYaml(ws, file);
  const none = { file, status, devices: [], devicesById: new Map<string, HomeDevice[]>() };
  if (status !== 'loaded') return { ...none, shape: 'ok', found: 'missing' };
  const root = asMap(value);
  if (!root) return { ...none, shape: 'root-not-a-map', found: kindOfValue(value) };
  const raw = root.devices;
  if (raw !== undefined && raw !== null && !asArray(raw)) return { ...none, shape: 'not-a-list', found: kindOfValue(raw) };
  const devices: HomeDevice[] = listItems(raw, ['devices']).map(({ index, value: v, pointer: p }) => {
    const d = asMap(v);
    return { index, pointer: p, id: optScalar(d?.id), ip: yqField(d?.ip), role: yqField(d?.role) };
  });
  return { file, status, shape: 'ok', found: 'a list', devices, devicesById: groupBy(devices, (d) => d.id) };
});
