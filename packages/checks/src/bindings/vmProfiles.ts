import type { Workspace } from '@spine-lint/core';
import { asMap, loadYaml, mapEntries, memoised, type BindingBase, type PlainMap } from './util.js';

/** A profile of infra.vm.profiles.yaml (spec §1.9); sections are plain maps (empty when absent or not maps). */
export interface VmProfile {
  readonly name: string;
  readonly pointer: string;
  readonly description: string | undefined;
  readonly provisioning: PlainMap;
  readonly bootstrap: PlainMap;
  readonly readiness: PlainMap;
}

export interface VmProfilesView extends BindingBase {
  readonly defaults: PlainMap;
  readonly profiles: ReadonlyMap<string, VmProfile>;
}

export const vmProfiles = memoised((ws: Workspace): VmProfilesView => {
  const file = 'infra.vm.profiles';
  const { status, value } = loadYaml(ws, file);
  const root = asMap(value);
  const profiles = new Map<string, VmProfile>();
  for (const e of mapEntries(root?.profiles, ['profiles'])) {
    const m = asMap(e.value);
    profiles.set(e.key, {
      name: e.key,
      pointer: e.pointer,
      description: typeof m?.description === 'string' ? m.description : undefined,
      provisioning: asMap(m?.provisioning) ?? {},
      bootstrap: asMap(m?.bootstrap) ?? {},
      readiness: asMap(m?.readiness) ?? {},
    });
  }
  return { file, status, defaults: asMap(root?.defaults) ?? {}, profiles };
});
