import type { Workspace } from '@spine-lint/core';
import { asMap, groupBy, listItems, loadYaml, memoised, optBool, optNumber, optScalar, optString, optStringList, type BindingBase } from './util.js';

/** One `targets[]` entry of backup.inventory.yaml (spec §1.2), keyed by `name`. */
export interface BackupTarget {
  readonly index: number;
  readonly pointer: string;
  readonly name: string | undefined;
  readonly enabled: boolean | undefined;
  readonly kind: string | undefined;
  readonly host: string | undefined;
  readonly base_path: string | undefined;
  readonly glob: string | undefined;
  readonly stale_after_hours: number | undefined;
  readonly classification: string | undefined;
  readonly description: string | undefined;
}

export interface RuntimeUnit {
  readonly index: number;
  readonly pointer: string;
  readonly unit_id: string | undefined;
  readonly kind: string | undefined;
  readonly hostname: string | undefined;
  readonly backup_profile: string | undefined;
  readonly data_class: string | undefined;
  readonly destination_lane: string | undefined;
  readonly schedule_class: string | undefined;
  readonly restore_class: string | undefined;
  readonly inventory_targets: string[] | undefined;
  readonly backup_admission_state: string | undefined;
  /** D69 checks the media units exclude `/mnt/media`. */
  readonly exclude_paths: string[] | undefined;
}

export interface BackupInventoryView extends BindingBase {
  readonly targets: readonly BackupTarget[];
  readonly runtimeUnits: readonly RuntimeUnit[];
  readonly targetsByName: ReadonlyMap<string, readonly BackupTarget[]>;
}

export const backupInventory = memoised((ws: Workspace): BackupInventoryView => {
  const file = 'backup.inventory';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const targets: BackupTarget[] = listItems(root?.targets, ['targets']).map(({ index, value: v, pointer: p }) => {
    const t = asMap(v);
    return {
      index,
      pointer: p,
      name: optScalar(t?.name),
      enabled: optBool(t?.enabled),
      kind: optScalar(t?.kind),
      host: optScalar(t?.host),
      base_path: optString(t?.base_path),
      glob: optString(t?.glob),
      stale_after_hours: optNumber(t?.stale_after_hours),
      classification: optScalar(t?.classification),
      description: optString(t?.description),
    };
  });
  const runtimeUnits: RuntimeUnit[] = listItems(root?.runtime_units, ['runtime_units']).map(({ index, value: v, pointer: p }) => {
    const u = asMap(v);
    return {
      index,
      pointer: p,
      unit_id: optScalar(u?.unit_id),
      kind: optScalar(u?.kind),
      hostname: optScalar(u?.hostname),
      backup_profile: optScalar(u?.backup_profile),
      data_class: optScalar(u?.data_class),
      destination_lane: optScalar(u?.destination_lane),
      schedule_class: optScalar(u?.schedule_class),
      restore_class: optScalar(u?.restore_class),
      inventory_targets: optStringList(u?.inventory_targets),
      backup_admission_state: optScalar(u?.backup_admission_state),
      exclude_paths: optStringList(u?.exclude_paths),
    };
  });
  return { file, status, targets, runtimeUnits, targetsByName: groupBy(targets, (t) => t.name) };
});
