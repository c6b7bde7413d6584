import check from '../../src/rules/relocation-unique-ids.js';
import { checkTester } from '../support/checkTester.js';

const PLAN = [
  'vm_targets:',
  '  - vm_id: "204"',
  '    hostname: infra-core',
  '  - vm_id: 205', // 4
  '    hostname: observability', // 5
  'services:',
  '  - service: pihole',
  '    to_host: infra-core',
  '  - service: grafana', // 9
  '    to_host: observability',
  '',
].join('\n');

checkTester(check, {
  valid: [
    { name: 'no files', files: {} },
    {
      name: 'distinct ids everywhere',
      files: {
        'infra.relocation.plan': PLAN,
        'ssh.targets': 'ssh:\n  targets:\n    - id: a\n    - id: b\n',
        'backup.inventory': 'targets:\n  - name: vm-204-primary\n  - name: vm-205-primary\n',
      },
    },
  ],
  invalid: [
    {
      name: 'duplicate service, hostname and vm_id (quoted and unquoted compare equal)',
      files: { 'infra.relocation.plan': PLAN.replace('vm_id: 205', 'vm_id: 204').replace('hostname: observability', 'hostname: infra-core').replace('service: grafana', 'service: pihole') },
      errors: [
        { messageId: 'duplicate', data: { field: 'vm_targets[].vm_id', id: '204', first: 'vm_targets[0]' }, line: 4, column: 12, endColumn: 15 },
        { messageId: 'duplicate', data: { field: 'vm_targets[].hostname', id: 'infra-core' }, line: 5, column: 15 },
        { messageId: 'duplicate', data: { field: 'services[].service', id: 'pihole', first: 'services[0]' }, line: 9, column: 14 },
      ],
    },
    {
      name: 'duplicate ssh target id and backup target name',
      files: {
        'ssh.targets': 'ssh:\n  targets:\n    - id: pve\n      host: 1.2.3.4\n    - id: pve\n      host: 1.2.3.5\n',
        'backup.inventory': 'targets:\n  - name: vm-205-primary\n  - name: vm-205-primary\n',
      },
      errors: [
        { messageId: 'duplicate', data: { field: 'targets[].name', id: 'vm-205-primary' }, file: 'ops/bindings/backup.inventory.yaml', line: 3, column: 11 },
        { messageId: 'duplicate', data: { field: 'ssh.targets[].id', id: 'pve', first: 'ssh.targets[0]' }, file: 'ops/bindings/ssh.targets.yaml', line: 5, column: 11 },
      ],
    },
  ],
});
