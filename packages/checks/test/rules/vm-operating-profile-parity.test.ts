import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectorySource, MemorySource, runCheckOnFiles, runChecks, Workspace } from '@spine-lint/core';
import check from '../../src/rules/vm-operating-profile-parity.js';
import { defaultPaths } from '../../src/layout.js';
import { schemaProducer } from '../../src/schemaMap.js';
import { checkTester } from '../support/checkTester.js';
import { TREES } from '../../../../test/support/corpus.js';

const CONTRACT = (fields: string[] = ['id', 'hostname', 'status'], canonical = 'ops/bindings/vm.lifecycle.yaml') =>
  `version: 1\ncanonical: ${canonical}\nrequired_vm_fields:\n${fields.map((f) => `  - ${f}\n`).join('')}`;
const vm = (id: string | number, host: string, status = 'active', extra = '') => `  - id: ${id}\n    hostname: ${host}\n    status: ${status}\n${extra}`;
const lifecycle = (...vms: string[]) => `vms:\n${vms.join('')}`;

const FIELDS = {
  ssh_mode: 'standard',
  runtime_inspection_mode: 'docker-group',
  health_probe_policy: 'full',
  startup_policy: 'auto',
  diagnostic_user_policy: 'docker-group-member',
  backup_policy: 'vzdump-scheduled',
} as const;
/** A profile row; a field set to `undefined` is left out, any other override replaces the value as written. */
const row = (key: string, overrides: Partial<Record<keyof typeof FIELDS, string | undefined>> = {}) => {
  const fields = { ...FIELDS, ...overrides } as Record<string, string | undefined>;
  return `  - ${key}\n${Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `    ${k}: ${v}\n`)
    .join('')}`;
};
const profiles = (...rows: string[]) => `version: 1\nprofiles:\n${rows.join('')}`;

/** A consistent spine: two active VMs with profiles, a retired one without. */
const good = (extra: Record<string, string> = {}) => ({
  'vm.lifecycle.contract': CONTRACT(),
  'vm.lifecycle': lifecycle(vm(205, 'observability'), vm(215, 'surveillance-stack'), vm(201, 'media-stack', 'decommissioned')),
  'vm.operating.profile': profiles(row('id: 205'), row('id: 215')),
  ...extra,
});

checkTester(check, {
  valid: [
    { name: 'every active VM has a complete profile; a retired VM needs none', files: good() },
    { name: 'a canonical path with . and .. segments naming the same file', files: good({ 'vm.lifecycle.contract': CONTRACT(['id'], 'ops/./bindings/../bindings/vm.lifecycle.yaml') }) },
    {
      name: 'keys as text ("205" = 205), the legacy vmid key, id: false falls back to vmid (yq //), a ./ canonical path',
      files: {
        'vm.lifecycle.contract': CONTRACT(['hostname'], './ops/bindings/vm.lifecycle.yaml'),
        'vm.lifecycle': lifecycle(vm('"205"', 'observability'), `  - id: false\n    vmid: 215\n    hostname: surveillance-stack\n    status: active\n`),
        'vm.operating.profile': profiles(row('id: 205'), row('vmid: "215"')),
      },
    },
    {
      name: 'a contract without required_vm_fields requires nothing; a reused VMID of two retired VMs is not a join problem',
      files: good({
        'vm.lifecycle.contract': 'canonical: ops/bindings/vm.lifecycle.yaml\n',
        'vm.lifecycle': lifecycle(vm(205, 'observability'), vm(215, 'surveillance-stack'), vm(101, 'immich', 'decommissioned'), vm(101, 'vaultwarden', 'decommissioned')),
      }),
    },
    {
      name: 'a retired VM with a malformed or missing key is not read',
      files: good({
        'vm.lifecycle': lifecycle(vm(205, 'observability'), vm(215, 'surveillance-stack'), vm('vm-old', 'old', 'decommissioned'), `  - hostname: planned\n    status: planning\n`),
      }),
    },
  ],
  invalid: [
    {
      name: 'the contract is absent (trees 01-10): one finding, nothing else is read',
      files: { 'vm.operating.profile': profiles(row('id: 205')) },
      errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/vm.lifecycle.contract.yaml' }, file: 'ops/bindings/vm.lifecycle.contract.yaml', line: 1, column: 1 }],
    },
    {
      name: 'the profile binding is absent',
      files: { 'vm.lifecycle.contract': CONTRACT(), 'vm.lifecycle': lifecycle(vm(205, 'observability')) },
      errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/vm.operating.profile.yaml' }, file: 'ops/bindings/vm.operating.profile.yaml' }],
    },
    {
      name: 'a contract that is a list',
      files: good({ 'vm.lifecycle.contract': '- canonical: ops/bindings/vm.lifecycle.yaml\n' }),
      errors: [{ messageId: 'wrongShape', data: { path: '(root)', expected: 'a map', actual: 'a list' }, line: 1, column: 1 }],
    },
    {
      name: 'canonical null',
      files: good({ 'vm.lifecycle.contract': 'version: 1\ncanonical: null\n' }),
      errors: [{ messageId: 'missingCanonical', line: 2, column: 12 }],
    },
    {
      name: 'canonical present but no path (a list, a boolean): the wrong shape, not "missing"',
      files: good({ 'vm.lifecycle.contract': 'version: 1\ncanonical: [ops/bindings/vm.lifecycle.yaml]\n' }),
      errors: [{ messageId: 'wrongShape', data: { path: 'canonical', expected: 'a path', actual: 'a list' }, line: 2, column: 12 }],
    },
    {
      name: 'canonical absent: at the top of the contract',
      files: good({ 'vm.lifecycle.contract': 'version: 1\nrequired_vm_fields: [id]\n' }),
      errors: [{ messageId: 'missingCanonical', line: 1, column: 1 }],
    },
    {
      name: 'canonical names another file: reported, not followed',
      files: good({ 'vm.lifecycle.contract': CONTRACT(['id'], 'ops/bindings/vm.lifecycle.v2.yaml') }),
      errors: [{ messageId: 'canonicalElsewhere', data: { canonical: 'ops/bindings/vm.lifecycle.v2.yaml', file: 'ops/bindings/vm.lifecycle.yaml' }, line: 2, column: 12 }],
    },
    {
      name: 'the canonical lifecycle file is missing',
      files: { 'vm.lifecycle.contract': CONTRACT(), 'vm.operating.profile': profiles(row('id: 205')) },
      errors: [{ messageId: 'canonicalMissing', data: { canonical: 'ops/bindings/vm.lifecycle.yaml' }, file: 'ops/bindings/vm.lifecycle.contract.yaml', line: 2, column: 12 }],
    },
    {
      name: 'a lifecycle without vms: one finding, no "no matching lifecycle entry" for every profile',
      files: good({ 'vm.lifecycle': 'version: 1\nvm: []\n' }),
      errors: [{ messageId: 'wrongShape', data: { file: 'ops/bindings/vm.lifecycle.yaml', path: 'vms', expected: 'a list of VMs', actual: 'missing' }, line: 1, column: 1 }],
    },
    {
      name: 'profiles written as a map: one finding; the lifecycle fields are still checked, no "missing from vm.operating.profile.yaml"',
      files: good({
        'vm.lifecycle': lifecycle(vm(205, 'observability'), `  - id: 215\n    status: active\n`),
        'vm.operating.profile': 'profiles:\n  "205":\n    ssh_mode: standard\n',
      }),
      errors: [
        { messageId: 'missingRequiredField', data: { vmid: '215', host: 'null', field: 'hostname' }, file: 'ops/bindings/vm.lifecycle.yaml', line: 5, column: 5 },
        { messageId: 'wrongShape', data: { path: 'profiles', expected: 'a list of VM profiles', actual: 'a map' }, file: 'ops/bindings/vm.operating.profile.yaml', line: 2, column: 3 },
      ],
    },
    {
      name: 'required_vm_fields not a list, and a profile row that is not a map',
      files: good({
        'vm.lifecycle.contract': 'canonical: ops/bindings/vm.lifecycle.yaml\nrequired_vm_fields: id hostname\n',
        'vm.operating.profile': profiles(row('id: 205'), row('id: 215'), '  - 216\n'),
      }),
      errors: [
        { messageId: 'wrongShape', data: { path: 'required_vm_fields', expected: 'a list of field names', actual: 'the string "id hostname"' }, line: 2, column: 21 },
        { messageId: 'wrongShape', data: { path: 'profiles[2]', expected: 'a map', actual: 'the number 216' }, file: 'ops/bindings/vm.operating.profile.yaml', line: 17, column: 5 },
      ],
    },
    {
      name: 'required_vm_fields entries that are not field names, or listed twice, are reported and checked once',
      files: good({ 'vm.lifecycle.contract': CONTRACT(['hostname', '{ name: os }', 'hostname', '""']) }),
      errors: [
        { messageId: 'requiredFieldInvalid', data: { index: 1, actual: 'a map' }, line: 5, column: 5 },
        { messageId: 'requiredFieldDuplicate', data: { field: 'hostname' }, line: 6, column: 5 },
        { messageId: 'requiredFieldInvalid', data: { index: 3, actual: 'the string ""' }, line: 7, column: 5 },
      ],
    },
    {
      name: 'required lifecycle fields: absent (at the row), null (at the value); trees 11-12: vmid required, rows spell id',
      files: good({
        'vm.lifecycle.contract': CONTRACT(['vmid', 'hostname', 'os']),
        'vm.lifecycle': lifecycle(vm(205, 'observability', 'active', '    os: ubuntu\n    vmid: 205\n'), vm(215, 'surveillance-stack', 'active', '    os: null\n')),
      }),
      errors: [
        { messageId: 'missingRequiredField', data: { vmid: '215', host: 'surveillance-stack', field: 'vmid' }, line: 7, column: 5 },
        { messageId: 'missingRequiredField', data: { vmid: '215', host: 'surveillance-stack', field: 'os' }, line: 10, column: 9 },
      ],
    },
    {
      name: 'HEAD (a00cb7b7): VM 215 added to vm.lifecycle but not to vm.operating.profile',
      files: good({ 'vm.operating.profile': profiles(row('id: 205')) }),
      errors: [{ messageId: 'missingProfile', data: { vmid: '215', host: 'surveillance-stack' }, file: 'ops/bindings/vm.lifecycle.yaml', line: 5, column: 9 }],
    },
    {
      name: 'profile fields: missing (absent, null, empty, the string "null") before invalid (wrong case, a boolean, a list)',
      files: good({
        'vm.operating.profile': profiles(
          row('id: 205', { ssh_mode: 'Standard', runtime_inspection_mode: undefined, startup_policy: 'false', backup_policy: '[vzdump-manual]' }),
          row('id: 215', { health_probe_policy: 'null', diagnostic_user_policy: '""', backup_policy: '"null"' }),
        ),
      }),
      errors: [
        { messageId: 'fieldMissing', data: { vmid: '205', host: 'observability', field: 'runtime_inspection_mode' }, line: 3, column: 5 },
        { messageId: 'fieldInvalid', data: { vmid: '205', field: 'ssh_mode', value: 'Standard' }, line: 4, column: 15 },
        { messageId: 'fieldInvalid', data: { field: 'startup_policy', value: 'false' }, line: 6, column: 21 },
        { messageId: 'fieldInvalid', data: { field: 'backup_policy', value: '["vzdump-manual"]' }, line: 8, column: 20 },
        { messageId: 'fieldMissing', data: { vmid: '215', host: 'surveillance-stack', field: 'health_probe_policy' }, line: 12, column: 26 },
        { messageId: 'fieldMissing', data: { vmid: '215', field: 'diagnostic_user_policy' }, line: 14, column: 29 },
        { messageId: 'fieldMissing', data: { vmid: '215', field: 'backup_policy' }, line: 15, column: 20 },
      ],
    },
    {
      name: 'orphaned profile rows: no lifecycle entry, or a retired VM (status text as written)',
      files: good({ 'vm.operating.profile': profiles(row('id: 205'), row('id: 215'), row('id: 201'), row('vmid: 299')) }),
      errors: [
        { messageId: 'inactiveProfile', data: { vmid: '201', status: 'decommissioned' }, line: 17, column: 9 },
        { messageId: 'orphanProfile', data: { vmid: '299' }, line: 24, column: 11 },
      ],
    },
    {
      name: 'rows that cannot be joined: active VM and profile without a key, malformed keys (yq crashed on them)',
      files: good({
        'vm.lifecycle': lifecycle(vm(205, 'observability'), vm(215, 'surveillance-stack'), `  - hostname: nvr\n    status: active\n`, vm('vm-x', 'lab')),
        'vm.operating.profile': profiles(row('id: 205'), row('id: 215'), row('hostname: nvr'), row('id: 2.5')),
      }),
      errors: [
        { messageId: 'missingKey', data: { row: 'Active VM vms[2] (nvr)' }, file: 'ops/bindings/vm.lifecycle.yaml', line: 8, column: 5 },
        { messageId: 'malformedKey', data: { row: 'Active VM vms[3] (lab)', key: 'vm-x' }, file: 'ops/bindings/vm.lifecycle.yaml', line: 10, column: 9 },
        { messageId: 'missingKey', data: { row: 'Profile entry profiles[2]' }, file: 'ops/bindings/vm.operating.profile.yaml', line: 17, column: 5 },
        { messageId: 'malformedKey', data: { row: 'Profile entry profiles[3]', key: '2.5' }, file: 'ops/bindings/vm.operating.profile.yaml', line: 24, column: 9 },
      ],
    },
    {
      name: 'duplicate keys are reported once each and the first row is joined (no newline-joined values)',
      files: good({
        'vm.lifecycle': lifecycle(vm(205, 'observability'), vm(215, 'surveillance-stack'), vm(205, 'observability-new')),
        'vm.operating.profile': profiles(row('id: 205'), row('id: 215'), row('id: 215', { ssh_mode: 'bogus' })),
      }),
      errors: [
        { messageId: 'duplicateKey', data: { file: 'ops/bindings/vm.lifecycle.yaml', vmid: '205', first: 'vms[0]' }, line: 8, column: 9 },
        { messageId: 'duplicateKey', data: { file: 'ops/bindings/vm.operating.profile.yaml', vmid: '215', first: 'profiles[1]' }, line: 17, column: 9 },
      ],
    },
  ],
});

describe('vm-operating-profile-parity on unreadable bindings', () => {
  const files = (profile: string) => Object.fromEntries(Object.entries(good({ 'vm.operating.profile': profile })).map(([name, text]) => [(defaultPaths as Record<string, string>)[name]!, text]));
  it('an unparsable profile binding: its parse finding only; the check does not run', () => {
    const report = runCheckOnFiles(check, { files: files('profiles:\n  - id: [205\n'), paths: defaultPaths });
    expect(report.results.map((d) => d.checkId)).toEqual(expect.arrayContaining(['parse']));
    expect(report.results.filter((d) => d.checkId === check.id)).toEqual([]);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: 'ops/bindings/vm.operating.profile.yaml', state: 'unparsable' }] }]);
  });
  it('an empty profile binding: one finding naming the check', () => {
    const report = runCheckOnFiles(check, { files: files('# to be written\n'), paths: defaultPaths });
    expect(report.results.map((d) => `${d.checkId} ${d.file}:${d.line}:${d.column}`)).toEqual(['parse ops/bindings/vm.operating.profile.yaml:1:1']);
    expect(report.results[0]!.message).toMatch(/empty.*vm-operating-profile-parity \(D86\)/);
  });
});

describe('vm-operating-profile-parity beside schema validation (as the CLI runs it): one finding per root cause', () => {
  const run = (extra: Record<string, string>) => {
    const files = Object.fromEntries(Object.entries(good(extra)).map(([name, text]) => [(defaultPaths as Record<string, string>)[name]!, text]));
    const workspace = new Workspace(new MemorySource(files), { paths: defaultPaths });
    return runChecks({ workspace, checks: [check], producers: [schemaProducer()] });
  };
  it("a lifecycle without vms: the check finding replaces the schema's missing required key", () => {
    const report = run({ 'vm.lifecycle': 'version: 1\n' });
    expect(report.results.map((d) => `${d.checkId} ${d.messageId} ${d.file}:${d.line}:${d.column}`)).toEqual([`${check.id} wrongShape ops/bindings/vm.lifecycle.yaml:1:1`]);
  });
  it('profiles written as a map: the schema finding; the check does not run', () => {
    const report = run({ 'vm.operating.profile': 'profiles:\n  "205":\n    ssh_mode: standard\n' });
    expect(report.results.map((d) => `${d.checkId} ${d.file}:${d.line}:${d.column}`)).toEqual(['schema ops/bindings/vm.operating.profile.yaml:2:3']);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: 'ops/bindings/vm.operating.profile.yaml', state: 'wrong-shape' }] }]);
  });
});

describe.skipIf(!existsSync(join(TREES, '19-a00cb7b7')))('vm-operating-profile-parity at HEAD (corpus tree 19-a00cb7b7)', () => {
  it('reports VM 215 at its id in vm.lifecycle.yaml, and nothing else', () => {
    const workspace = new Workspace(new DirectorySource(join(TREES, '19-a00cb7b7')), { paths: defaultPaths });
    const found = runChecks({ workspace, checks: [check] }).results;
    expect(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'ops/bindings/vm.lifecycle.yaml:488:9 Active VM 215 (surveillance-stack) missing from vm.operating.profile.yaml.',
    ]);
  });
});
