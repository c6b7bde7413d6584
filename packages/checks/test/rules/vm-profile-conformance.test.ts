import { describe, expect, it } from 'vitest';
import check, { describeValue } from '../../src/rules/vm-profile-conformance.js';
import { checkTester } from '../support/checkTester.js';

const profiles = (spineReady = '', readiness = '      require_qemu_agent_running: false\n') => `profiles:
  spine-ready-v1:
    provisioning:
      template_vmid: "9000"
      cpu_cores: 4
      memory_mb: 8192
      disk_gb: 50
      qemu_agent: true
      onboot: true
${spineReady}    readiness:
      require_running: true
${readiness}  home-lxc-dns-v1:
    provisioning:
      template_vmid: null
      cpu_cores: 1
      memory_mb: 512
      disk_gb: 4
      qemu_agent: false
    bootstrap:
      require_cron_running: false
    readiness:
      require_cron_running: false
`;
const vm = (id: number, host: string, profile: string, resources: string, status = 'active') => `  - id: ${id}\n    hostname: ${host}\n    status: ${status}\n    profile: ${profile}\n${resources}`;
const res = (cpu: number, mem: number, disk: number) => `    resources:\n      cpu_cores: ${cpu}\n      memory_mb: ${mem}\n      boot_disk_gb: ${disk}\n`;
const lifecycle = (...vms: string[]) => `vms:\n${vms.join('')}`;

checkTester(check, {
  valid: [
    {
      name: 'resources equal the profile; false booleans; VMs without profile or retired are skipped',
      files: {
        'infra.vm.profiles': profiles(),
        'vm.lifecycle': lifecycle(
          vm(205, 'observability', 'spine-ready-v1', res(4, 8192, 50) + '      data_disk_gb: 100\n'),
          vm(105, 'pihole-home', 'home-lxc-dns-v1', res(1, 512, 4)),
          vm(200, 'docker-host', 'null', res(16, 98304, 300)),
          vm(101, 'immich', 'gone-v0', res(2, 2048, 16), 'decommissioned'),
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'resized VM (automation-stack at a00cb7b7) and an unknown profile',
      files: {
        'infra.vm.profiles': profiles(),
        'vm.lifecycle': lifecycle(vm(202, 'automation-stack', 'spine-ready-v1', res(4, 16384, 100)), vm(216, 'nvr', 'spine-ready-v2', res(4, 8192, 50))),
      },
      errors: [
        { messageId: 'resourceMismatch', severity: 'warning', data: { vmid: 202, host: 'automation-stack', resource: 'memory_mb', actual: 16384, expected: 8192 }, line: 8, column: 18 },
        { messageId: 'resourceMismatch', severity: 'warning', data: { vmid: 202, resource: 'boot_disk_gb', field: 'disk_gb', actual: 100, expected: 50 }, line: 9, column: 21 },
        { messageId: 'unknownProfile', severity: 'error', data: { vmid: 216, host: 'nvr', profile: 'spine-ready-v2' }, line: 13, column: 14 },
      ],
    },
    {
      name: 'resources not recorded',
      files: { 'infra.vm.profiles': profiles(), 'vm.lifecycle': lifecycle(vm(205, 'observability', 'spine-ready-v1', '    resources:\n      cpu_cores: 4\n      memory_mb: 8192\n')) },
      errors: [{ messageId: 'missingResource', severity: 'warning', data: { vmid: 205, resource: 'boot_disk_gb' }, line: 7, column: 7 }],
    },
    {
      name: 'wrongly typed profile fields: quoted booleans, a string core count',
      files: {
        'infra.vm.profiles': profiles('    bootstrap:\n      require_docker_running: "yes"\n', '      require_qemu_agent_running: "false"\n')
          .replace('cpu_cores: 4', 'cpu_cores: "4"')
          .replace('onboot: true', 'onboot: 1'),
      },
      errors: [
        {
          messageId: 'wrongType',
          severity: 'error',
          data: { profile: 'spine-ready-v1', field: 'provisioning.cpu_cores', actual: 'the string "4"', expected: 'a positive integer' },
          line: 5,
          column: 18,
        },
        { messageId: 'wrongType', data: { field: 'provisioning.onboot', actual: 'the number 1', expected: 'a boolean (true or false)' }, line: 9, column: 15 },
        { messageId: 'wrongType', data: { field: 'bootstrap.require_docker_running', actual: 'the string "yes"' }, line: 11, column: 31 },
        { messageId: 'wrongType', data: { field: 'readiness.require_qemu_agent_running', actual: 'the string "false"' }, line: 14, column: 35 },
      ],
    },
  ],
});

describe('describeValue', () => {
  it.each([
    [undefined, 'missing'],
    [null, 'null'],
    [[1], 'a list'],
    [{}, 'a map'],
    [false, 'the boolean false'],
  ])('%s', (v, expected) => expect(describeValue(v)).toBe(expected));
});
