import { defineCheck, type CheckContext } from '@spine-lint/core';
import { backupInventory, type BackupTarget } from '../bindings/backupInventory.js';
import { valueKind as kindOfValue } from '../bindings/infra/valueKind.js';
import { homeDeviceRegistry } from '../bindings/infra/homeDeviceRegistry.js';
import { asArray, asMap, optScalar } from '../bindings/util.js';

export interface NasBaselineCoverageOptions {
  /** `devices[].id` of the NAS in home.device.registry. */
  nasDeviceId: string;
  /** Hosts that each need at least one enabled backup target. */
  lanes: readonly string[];
  /** The host whose enabled targets must include one under {@link nasVolumePrefix}. */
  nasHost: string;
  nasVolumePrefix: string;
  /** The offsite copy: exactly one enabled target of this name. */
  offsiteTarget: string;
  /** The media config-state targets: each enabled exactly once. */
  mediaTargets: readonly string[];
  /** `runtime_units[].kind` classes that must each have a unit. */
  runtimeUnitKinds: readonly string[];
}

const DEFAULT_OPTIONS: NasBaselineCoverageOptions = {
  nasDeviceId: 'nas',
  lanes: ['pve', 'proxmox-home', 'nas'],
  nasHost: 'nas',
  nasVolumePrefix: '/volume1/',
  offsiteTarget: 'vm-offsite-critical',
  mediaTargets: ['app-media-config-download-stack', 'app-media-config-streaming-stack'],
  runtimeUnitKinds: ['machine', 'vm', 'container-fleet'],
};

const name = (description: string) => ({ type: 'string', minLength: 1, description });
const names = (description: string) => ({ type: 'array', items: { type: 'string', minLength: 1 }, description });

/** The fields a `file_glob` target needs (the reference: `null`, `false` and `""` are missing). */
const FILE_GLOB_FIELDS = ['name', 'host', 'base_path', 'glob'] as const;
const isYqMissing = (v: unknown): boolean => v === undefined || v === null || v === false || v === '';

type MessageId =
  | 'missingFile'
  | 'wrongShape'
  | 'nasMissing'
  | 'nasDuplicate'
  | 'nasFieldMissing'
  | 'zeroTargets'
  | 'fileGlobFields'
  | 'noLaneTarget'
  | 'noNasVolume'
  | 'offsiteMissing'
  | 'duplicateEnabled'
  | 'mediaMissing'
  | 'runtimeUnitsMissing'
  | 'runtimeKindMissing';

/**
 * D139 nas-baseline-coverage (gates-tier2.md): the NAS is registered in home.device.registry and the
 * backup inventory has the minimum host lanes, NAS volume, offsite and media targets, and runtime
 * unit classes.
 */
export default defineCheck({
  id: 'nas-baseline-coverage',
  aliases: ['D139'],
  title: 'NAS baseline and backup coverage',
  description:
    'home.device.registry has exactly one device with id `nas`, with an ip and a role; backup.inventory has targets, every file_glob target has name, host, ' +
    'base_path and glob, each lane host (pve, proxmox-home, nas) has an enabled target, an enabled nas target lies under /volume1/, vm-offsite-critical and ' +
    'both media config-state targets are enabled exactly once, and runtime_units covers the machine, vm and container-fleet classes.',
  severity: 'error',
  kind: 'static',
  reads: ['home.device.registry', 'backup.inventory'],
  fixHint: 'Register the NAS (id, ip, role) in home.device.registry and add or enable the backup targets and runtime units the message names.',
  ports: 'surfaces/verify/d139-nas-baseline-coverage.sh',
  optionsSchema: {
    type: 'object',
    properties: {
      nasDeviceId: name('`devices[].id` of the NAS in home.device.registry.'),
      lanes: names('Backup hosts that each need at least one enabled target (replaces the default list).'),
      nasHost: name('Backup host of the NAS lane, whose enabled targets must include one under `nasVolumePrefix`.'),
      nasVolumePrefix: name('Path prefix of the NAS backup volume.'),
      offsiteTarget: name('Name of the offsite target that must be enabled exactly once.'),
      mediaTargets: names('Media config-state targets that must each be enabled exactly once (replaces the default list).'),
      runtimeUnitKinds: names('`runtime_units[].kind` classes that must each have at least one unit (replaces the default list).'),
    },
  },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    missingFile: '{{file}} missing',
    wrongShape: '{{file}}: {{path}} is {{found}}, not {{expected}}, so {{what}} cannot be checked.',
    nasMissing: 'device registry missing id={{id}}',
    nasDuplicate: 'device registry lists id={{id}} more than once (first at devices[{{first}}]); exactly one device is expected.',
    nasFieldMissing: 'device registry {{id}}.{{field}} missing',
    zeroTargets: 'backup.inventory has zero targets',
    fileGlobFields: 'file_glob targets missing required schema fields (name/host/base_path/glob): {{target}} lacks {{fields}}',
    noLaneTarget: "no enabled targets for host lane '{{lane}}'",
    noNasVolume: 'enabled NAS targets do not use {{volume}} backup lane',
    offsiteMissing: 'missing enabled {{target}} target',
    duplicateEnabled: "enabled backup target '{{target}}' is listed more than once (first at targets[{{first}}]); exactly one is expected.",
    mediaMissing: 'media config-state targets missing (expected {{expected}})',
    runtimeUnitsMissing: 'runtime_units model missing from backup inventory',
    runtimeKindMissing: 'runtime_units missing {{kind}} class coverage',
  },
  run(ctx) {
    const ws = ctx.workspace;
    const hasRegistry = ws.exists('home.device.registry');
    const hasInventory = ws.exists('backup.inventory');
    // Both absences are findings, as in the reference (which then skips that file's checks).
    if (!hasRegistry) ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf('home.device.registry') }, file: 'home.device.registry' });
    if (!hasInventory) ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf('backup.inventory') }, file: 'backup.inventory' });
    if (hasRegistry) checkRegistry(ctx);
    if (hasInventory) checkInventory(ctx);
  },
});

function checkRegistry(ctx: CheckContext<MessageId, NasBaselineCoverageOptions>): void {
  const ws = ctx.workspace;
  const reg = homeDeviceRegistry(ws);
  // Unparsable or unreadable: the runner does not run the check and `parse` reports the file.
  if (reg.status !== 'loaded') return;
  const file = reg.file;
  const what = 'the NAS registration';
  if (reg.shape === 'root-not-a-map') {
    ctx.report({ messageId: 'wrongShape', data: { file: ws.pathOf(file), path: '(the document)', found: reg.found, expected: 'a map', what }, file, pointer: '' });
    return;
  }
  if (reg.shape === 'not-a-list') {
    ctx.report({ messageId: 'wrongShape', data: { file: ws.pathOf(file), path: 'devices', found: reg.found, expected: 'a list', what }, file, pointer: '/devices' });
    return;
  }
  const id = ctx.options.nasDeviceId;
  const rows = reg.devicesById.get(id) ?? [];
  if (rows.length === 0) {
    ctx.report({ messageId: 'nasMissing', data: { id }, file, pointer: '/devices' });
    return;
  }
  for (const dup of rows.slice(1)) ctx.report({ messageId: 'nasDuplicate', data: { id, first: rows[0]!.index }, file, pointer: `${dup.pointer}/id` });
  for (const row of rows) {
    if (row.ip === undefined || row.ip === '' || row.ip === 'null') ctx.report({ messageId: 'nasFieldMissing', data: { id, field: 'ip' }, file, pointer: `${row.pointer}/ip` });
    if (row.role === undefined || row.role === '' || row.role === 'null') ctx.report({ messageId: 'nasFieldMissing', data: { id, field: 'role' }, file, pointer: `${row.pointer}/role` });
  }
}

function checkInventory(ctx: CheckContext<MessageId, NasBaselineCoverageOptions>): void {
  const ws = ctx.workspace;
  const o = ctx.options;
  const inv = backupInventory(ws);
  if (inv.status !== 'loaded') return; // the runner skips the check; `parse` reports the file
  const file = inv.file;
  const path = ws.pathOf(file);
  // The view reads a wrong-typed value as absent; the shapes (and `enabled: "true"`, which the
  // reference's text comparison accepts) are read from the same parsed value.
  const root = asMap(ws.yaml(file)?.value);
  if (!root) {
    ctx.report({ messageId: 'wrongShape', data: { file: path, path: '(the document)', found: kindOfValue(ws.yaml(file)?.value), expected: 'a map', what: 'the backup model' }, file, pointer: '' });
    return;
  }

  const rawTargets = root.targets;
  if (rawTargets !== undefined && rawTargets !== null && !asArray(rawTargets)) {
    ctx.report({ messageId: 'wrongShape', data: { file: path, path: 'targets', found: kindOfValue(rawTargets), expected: 'a list', what: 'the backup targets' }, file, pointer: '/targets' });
  } else {
    const raws = asArray(rawTargets) ?? [];
    if (raws.length === 0) ctx.report({ messageId: 'zeroTargets', file, pointer: '/targets' });
    const enabled: BackupTarget[] = [];
    raws.forEach((raw, i) => {
      const t = inv.targets[i]!;
      const m = asMap(raw);
      if (!m) {
        ctx.report({ messageId: 'wrongShape', data: { file: path, path: `targets[${i}]`, found: kindOfValue(raw), expected: 'a map', what: 'this target' }, file, pointer: t.pointer });
        return;
      }
      if (t.kind === 'file_glob') {
        const lacking = FILE_GLOB_FIELDS.filter((f) => isYqMissing(m[f]));
        if (lacking.length > 0)
          ctx.report({ messageId: 'fileGlobFields', data: { target: isYqMissing(m.name) ? `targets[${i}]` : (t.name ?? `targets[${i}]`), fields: lacking.join(', ') }, file, pointer: t.pointer });
      }
      // `.enabled == true` compares text: `enabled: "true"` counts, `yes` does not.
      if (optScalar(m.enabled) === 'true') enabled.push(t);
    });

    for (const lane of o.lanes) if (!enabled.some((t) => t.host === lane)) ctx.report({ messageId: 'noLaneTarget', data: { lane }, file, pointer: '/targets' });
    if (!enabled.some((t) => t.host === o.nasHost && t.base_path !== undefined && t.base_path.startsWith(o.nasVolumePrefix)))
      ctx.report({ messageId: 'noNasVolume', data: { volume: o.nasVolumePrefix.replace(/\/+$/, ''), host: o.nasHost }, file, pointer: '/targets' });

    /** The enabled targets of a name; a repeated one is reported at each later row. */
    const enabledNamed = (target: string): BackupTarget[] => {
      const rows = enabled.filter((t) => t.name === target);
      for (const dup of rows.slice(1)) ctx.report({ messageId: 'duplicateEnabled', data: { target, first: rows[0]!.index }, file, pointer: `${dup.pointer}/name` });
      return rows;
    };
    if (enabledNamed(o.offsiteTarget).length === 0) ctx.report({ messageId: 'offsiteMissing', data: { target: o.offsiteTarget }, file, pointer: '/targets' });
    const missingMedia = o.mediaTargets.filter((target) => enabledNamed(target).length === 0);
    if (missingMedia.length > 0) ctx.report({ messageId: 'mediaMissing', data: { expected: o.mediaTargets.join(' + '), missing: missingMedia.join(', ') }, file, pointer: '/targets' });
  }

  const rawUnits = root.runtime_units;
  if (rawUnits !== undefined && rawUnits !== null && !asArray(rawUnits)) {
    ctx.report({
      messageId: 'wrongShape',
      data: { file: path, path: 'runtime_units', found: kindOfValue(rawUnits), expected: 'a list', what: 'the runtime unit classes' },
      file,
      pointer: '/runtime_units',
    });
    return;
  }
  if ((asArray(rawUnits) ?? []).length === 0) ctx.report({ messageId: 'runtimeUnitsMissing', file, pointer: '/runtime_units' });
  const kinds = new Set(inv.runtimeUnits.map((u) => u.kind));
  for (const kind of o.runtimeUnitKinds) if (!kinds.has(kind)) ctx.report({ messageId: 'runtimeKindMissing', data: { kind }, file, pointer: '/runtime_units' });
}
