import { describe, expect, it } from 'vitest';
import { runCheckOnFiles } from '@spine-lint/core';
import check from '../../src/rules/nas-baseline-coverage.js';
import { defaultPaths } from '../../src/layout.js';
import { checkTester, runCase } from '../support/checkTester.js';

// Line 1 `devices:`; each row is 4 lines (`- id`, `ip`, `role`), the NAS row starts at line 5.
const registry = (nas = '  - id: nas\n    ip: "10.0.0.150"\n    role: "Storage, backups"\n') => `devices:\n  - id: udr-home\n    ip: "10.0.0.1"\n    role: Router\n${nas}`;

/** A backup target: 7 lines. */
const target = (name: string, host: string, basePath: string, enabled = 'true', glob = '"*.tar.gz"') =>
  `  - name: ${name}\n    kind: file_glob\n    host: ${host}\n    base_path: ${basePath}\n    glob: ${glob}\n    enabled: ${enabled}\n    stale_after_hours: 26\n`;

const UNITS = 'runtime_units:\n  - unit_id: pve\n    kind: machine\n  - unit_id: vm-200\n    kind: vm\n  - unit_id: docker-fleet\n    kind: container-fleet\n';

/** targets at line 1, rows from line 2 (7 lines each). */
const inventory = (targets: string[], units = UNITS) => `targets:\n${targets.join('')}${units}`;

const OFFSITE = target('vm-offsite-critical', 'pve', '/var/lib/vz/dump', 'true', '"vzdump-qemu-*.vma.zst"');
const HOME = target('home-vzdump', 'proxmox-home', '/var/lib/vz/dump');
const DOWNLOAD = target('app-media-config-download-stack', 'nas', '/volume1/backups/apps/media');
const STREAMING = target('app-media-config-streaming-stack', 'nas', '/volume1/backups/apps/media');
const GOOD = [OFFSITE, HOME, DOWNLOAD, STREAMING];

checkTester(check, {
  valid: [
    {
      name: 'the NAS is registered and every lane, the NAS volume, the offsite and media targets and the unit classes are covered',
      files: { 'home.device.registry': registry(), 'backup.inventory': inventory(GOOD) },
    },
    {
      name: '`enabled: "true"` counts as enabled (the reference compares text); a disabled duplicate of a required target does not count twice',
      files: {
        'home.device.registry': registry(),
        'backup.inventory': inventory([OFFSITE, HOME, DOWNLOAD, target('app-media-config-streaming-stack', 'nas', '/volume1/media', '"true"'), target('vm-offsite-critical', 'pve', '/old', 'false')]),
      },
    },
    {
      name: 'options: other lanes, NAS id, volume, offsite and media targets, unit classes',
      files: {
        'home.device.registry': registry('  - id: syno\n    ip: "10.0.0.151"\n    role: Storage\n'),
        'backup.inventory': inventory([target('offsite-b2', 'pve', '/dump'), target('media-cfg', 'syno', '/volume2/media')], 'runtime_units:\n  - unit_id: pve\n    kind: machine\n'),
      },
      options: { nasDeviceId: 'syno', lanes: ['pve', 'syno'], nasHost: 'syno', nasVolumePrefix: '/volume2/', offsiteTarget: 'offsite-b2', mediaTargets: ['media-cfg'], runtimeUnitKinds: ['machine'] },
    },
  ],
  invalid: [
    {
      name: 'both files absent: one finding each (the reference prints both)',
      files: {},
      errors: [
        { messageId: 'missingFile', data: { file: 'ops/bindings/backup.inventory.yaml' }, line: 1, column: 1, file: 'ops/bindings/backup.inventory.yaml' },
        { messageId: 'missingFile', data: { file: 'ops/bindings/home.device.registry.yaml' }, line: 1, column: 1, file: 'ops/bindings/home.device.registry.yaml' },
      ],
    },
    {
      name: 'registry absent, inventory checked',
      files: { 'backup.inventory': inventory([OFFSITE, DOWNLOAD, STREAMING]) },
      errors: [
        { messageId: 'noLaneTarget', data: { lane: 'proxmox-home' }, line: 2, column: 3 },
        { messageId: 'missingFile', data: { file: 'ops/bindings/home.device.registry.yaml' } },
      ],
    },
    {
      name: 'no device with id nas',
      files: { 'home.device.registry': registry(''), 'backup.inventory': inventory(GOOD) },
      errors: [{ messageId: 'nasMissing', data: { id: 'nas' }, line: 2, column: 3, file: 'ops/bindings/home.device.registry.yaml' }],
    },
    {
      name: 'NAS without ip (null) and without role',
      files: { 'home.device.registry': registry('  - id: nas\n    ip: null\n    name: Synology\n'), 'backup.inventory': inventory(GOOD) },
      errors: [
        { messageId: 'nasFieldMissing', data: { id: 'nas', field: 'role' }, line: 5, column: 5 },
        { messageId: 'nasFieldMissing', data: { id: 'nas', field: 'ip' }, line: 6, column: 9 },
      ],
    },
    {
      name: "ip: false and role: '' are missing (yq's `//` and the empty text)",
      files: { 'home.device.registry': registry("  - id: nas\n    ip: false\n    role: ''\n"), 'backup.inventory': inventory(GOOD) },
      errors: [
        { messageId: 'nasFieldMissing', data: { field: 'ip' }, line: 6, column: 9 },
        { messageId: 'nasFieldMissing', data: { field: 'role' }, line: 7, column: 11 },
      ],
    },
    {
      name: 'two devices with id nas: the duplicate is reported (the reference says "missing id=nas")',
      files: { 'home.device.registry': registry() + '  - id: nas\n    ip: "10.0.0.152"\n    role: Spare\n', 'backup.inventory': inventory(GOOD) },
      errors: [{ messageId: 'nasDuplicate', data: { id: 'nas', first: 1 }, line: 8, column: 9 }],
    },
    {
      name: 'devices is a map, not a list',
      files: { 'home.device.registry': 'devices:\n  nas: { ip: "10.0.0.150" }\n', 'backup.inventory': inventory(GOOD) },
      errors: [{ messageId: 'wrongShape', data: { path: 'devices', found: 'a map', expected: 'a list' }, line: 2, column: 3 }],
    },
    {
      name: 'the registry is a list, not a map',
      files: { 'home.device.registry': '- id: nas\n', 'backup.inventory': inventory(GOOD) },
      errors: [{ messageId: 'wrongShape', data: { path: '(the document)', found: 'a list', expected: 'a map' }, line: 1, column: 1 }],
    },
    {
      name: 'an empty backup model: zero targets and no runtime units (each gap, as the reference lists them)',
      files: { 'home.device.registry': registry(), 'backup.inventory': 'targets: []\nruntime_units: []\n' },
      // Same position: ordered by message text.
      errors: [
        { messageId: 'zeroTargets', line: 1, column: 10 },
        { messageId: 'noNasVolume', data: { volume: '/volume1' }, line: 1, column: 10 },
        { messageId: 'mediaMissing', data: { expected: 'app-media-config-download-stack + app-media-config-streaming-stack' } },
        { messageId: 'offsiteMissing', data: { target: 'vm-offsite-critical' } },
        { messageId: 'noLaneTarget', data: { lane: 'nas' } },
        { messageId: 'noLaneTarget', data: { lane: 'proxmox-home' } },
        { messageId: 'noLaneTarget', data: { lane: 'pve' }, line: 1, column: 10 },
        { messageId: 'runtimeKindMissing', data: { kind: 'container-fleet' }, line: 2, column: 16 },
        { messageId: 'runtimeKindMissing', data: { kind: 'machine' } },
        { messageId: 'runtimeKindMissing', data: { kind: 'vm' } },
        { messageId: 'runtimeUnitsMissing', line: 2, column: 16 },
      ],
    },
    {
      name: 'no targets key and no runtime_units key',
      files: { 'home.device.registry': registry(), 'backup.inventory': 'version: 1\n' },
      errors: [
        { messageId: 'zeroTargets', line: 1, column: 1 },
        { messageId: 'noNasVolume' },
        { messageId: 'mediaMissing' },
        { messageId: 'offsiteMissing' },
        { messageId: 'noLaneTarget' },
        { messageId: 'noLaneTarget' },
        { messageId: 'noLaneTarget' },
        { messageId: 'runtimeKindMissing' },
        { messageId: 'runtimeKindMissing' },
        { messageId: 'runtimeKindMissing' },
        { messageId: 'runtimeUnitsMissing', line: 1, column: 1 },
      ],
    },
    {
      name: 'a file_glob target without host and with an empty glob (at the target)',
      files: { 'home.device.registry': registry(), 'backup.inventory': inventory([...GOOD, '  - name: stray\n    kind: file_glob\n    base_path: /srv\n    glob: ""\n    enabled: false\n']) },
      errors: [{ messageId: 'fileGlobFields', data: { target: 'stray', fields: 'host, glob' }, line: 30, column: 5 }],
    },
    {
      name: 'a file_glob target whose name is "" or false is named by its index (the name is one of the missing fields)',
      files: {
        'home.device.registry': registry(),
        'backup.inventory': inventory([
          ...GOOD,
          '  - name: ""\n    kind: file_glob\n    host: pve\n    base_path: /srv\n    glob: "*.zst"\n    enabled: false\n',
          '  - name: false\n    kind: file_glob\n    host: pve\n    base_path: /srv\n    glob: "*.zst"\n    enabled: false\n',
        ]),
      },
      errors: [
        { messageId: 'fileGlobFields', data: { target: `targets[${GOOD.length}]`, fields: 'name' }, line: 30, column: 5 },
        { messageId: 'fileGlobFields', data: { target: `targets[${GOOD.length + 1}]`, fields: 'name' }, line: 36, column: 5 },
      ],
    },
    {
      name: 'a disabled lane target and `enabled: yes` (a string, not true) leave the proxmox-home lane empty',
      files: {
        'home.device.registry': registry(),
        'backup.inventory': inventory([OFFSITE, target('home-vzdump', 'proxmox-home', '/dump', 'false'), target('home-2', 'proxmox-home', '/dump', 'yes'), DOWNLOAD, STREAMING]),
      },
      errors: [{ messageId: 'noLaneTarget', data: { lane: 'proxmox-home' }, line: 2, column: 3 }],
    },
    {
      name: 'enabled NAS targets outside /volume1/ (a prefix, not a substring: /volume10 does not count)',
      files: {
        'home.device.registry': registry(),
        'backup.inventory': inventory([OFFSITE, HOME, target('app-media-config-download-stack', 'nas', '/volume10/media'), target('app-media-config-streaming-stack', 'nas', '/mnt/volume1/media')]),
      },
      errors: [{ messageId: 'noNasVolume', data: { volume: '/volume1', host: 'nas' }, line: 2, column: 3 }],
    },
    {
      name: 'offsite target enabled twice; one media target disabled',
      files: {
        'home.device.registry': registry(),
        'backup.inventory': inventory([OFFSITE, HOME, DOWNLOAD, target('app-media-config-streaming-stack', 'nas', '/volume1/media', 'false'), OFFSITE]),
      },
      errors: [
        { messageId: 'mediaMissing', data: { missing: 'app-media-config-streaming-stack' }, line: 2, column: 3 },
        { messageId: 'duplicateEnabled', data: { target: 'vm-offsite-critical', first: 0 }, line: 30, column: 11 },
      ],
    },
    {
      name: 'a media target enabled twice (the reference counts 3 and says "missing")',
      files: { 'home.device.registry': registry(), 'backup.inventory': inventory([...GOOD, DOWNLOAD]) },
      errors: [{ messageId: 'duplicateEnabled', data: { target: 'app-media-config-download-stack', first: 2 }, line: 30, column: 11 }],
    },
    {
      name: 'no container-fleet runtime unit',
      files: { 'home.device.registry': registry(), 'backup.inventory': inventory(GOOD, 'runtime_units:\n  - unit_id: pve\n    kind: machine\n  - unit_id: vm-200\n    kind: vm\n') },
      errors: [{ messageId: 'runtimeKindMissing', data: { kind: 'container-fleet' }, line: 31, column: 3 }],
    },
    {
      name: 'targets and runtime_units are maps: one finding each, nothing read from them',
      files: { 'home.device.registry': registry(), 'backup.inventory': 'targets:\n  offsite: { host: pve }\nruntime_units:\n  pve: { kind: machine }\n' },
      errors: [
        { messageId: 'wrongShape', data: { path: 'targets', found: 'a map', expected: 'a list', what: 'the backup targets' }, line: 2, column: 3 },
        { messageId: 'wrongShape', data: { path: 'runtime_units', found: 'a map', expected: 'a list' }, line: 4, column: 3 },
      ],
    },
    {
      name: 'a target that is not a map',
      files: { 'home.device.registry': registry(), 'backup.inventory': inventory([...GOOD, '  - just-a-name\n']) },
      errors: [{ messageId: 'wrongShape', data: { path: 'targets[4]', found: 'the string "just-a-name"', expected: 'a map' }, line: 30, column: 5 }],
    },
    {
      name: 'the inventory is a scalar, not a map',
      files: { 'home.device.registry': registry(), 'backup.inventory': 'just text\n' },
      errors: [{ messageId: 'wrongShape', data: { path: '(the document)', found: 'the string "just text"' }, line: 1, column: 1 }],
    },
  ],
});

describe('nas-baseline-coverage messages', () => {
  it('reproduce the reference lines', () => {
    const found = runCase(check, { name: 'messages', files: { 'backup.inventory': 'targets: []\n' } }).map((d) => d.message);
    // runtime_units is absent: at the document (line 1, column 1), before `targets: []` (column 10).
    expect(found).toEqual([
      'runtime_units missing container-fleet class coverage',
      'runtime_units missing machine class coverage',
      'runtime_units missing vm class coverage',
      'runtime_units model missing from backup inventory',
      'backup.inventory has zero targets',
      'enabled NAS targets do not use /volume1 backup lane',
      'media config-state targets missing (expected app-media-config-download-stack + app-media-config-streaming-stack)',
      'missing enabled vm-offsite-critical target',
      "no enabled targets for host lane 'nas'",
      "no enabled targets for host lane 'proxmox-home'",
      "no enabled targets for host lane 'pve'",
      'ops/bindings/home.device.registry.yaml missing',
    ]);
    const registry = runCase(check, { name: 'nas', files: { 'home.device.registry': 'devices:\n  - id: nas\n    role: Storage\n', 'backup.inventory': inventory(GOOD) } });
    expect(registry.map((d) => d.message)).toEqual(['device registry nas.ip missing']);
  });
});

describe('nas-baseline-coverage on files that do not parse', () => {
  it('does not run on an unparsable registry: the parse finding says why, once', () => {
    const report = runCheckOnFiles(check, {
      files: { [defaultPaths['home.device.registry']]: 'devices:\n  - id: nas\n   ip: [\n', [defaultPaths['backup.inventory']]: inventory(GOOD) },
      paths: defaultPaths,
    });
    expect(report.results.filter((d) => d.checkId === check.id)).toEqual([]);
    expect(report.results.filter((d) => d.checkId === 'parse' && d.file === defaultPaths['home.device.registry']).length).toBeGreaterThan(0);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: defaultPaths['home.device.registry'], state: 'unparsable' }] }]);
  });
});
