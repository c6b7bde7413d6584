import check from '../../src/rules/vm-target-readiness-bindings.js';
import { checkTester } from '../support/checkTester.js';

const plan = (status: string, ip = '100.120.163.70', vmId = '"205"'): string =>
  ['vm_targets:', `  - vm_id: ${vmId}`, '    hostname: observability', `    tailscale_ip: ${ip}`, `    status: ${status}`, ''].join('\n');
const SSH = 'ssh:\n  targets:\n    - id: observability\n      host: 192.168.1.205\n';
const BACKUP = 'targets:\n  - name: vm-205-observability-primary\n    glob: "vzdump-qemu-205-*.vma.zst"\n';

checkTester(check, {
  valid: [
    { name: 'no manifest', files: {} },
    { name: 'planned targets need nothing', files: { 'infra.relocation.plan': plan('planned', 'null') } },
    { name: 'ready target with both bindings and a Tailscale IP', files: { 'infra.relocation.plan': plan('ready'), 'ssh.targets': SSH, 'backup.inventory': BACKUP } },
    { name: 'provisioned target may lack a Tailscale IP yet', files: { 'infra.relocation.plan': plan('provisioned', 'null'), 'ssh.targets': SSH, 'backup.inventory': BACKUP } },
    { name: 'backup matched by name vm-205 only', files: { 'infra.relocation.plan': plan('ready'), 'ssh.targets': SSH, 'backup.inventory': 'targets:\n  - name: vm-205\n' } },
  ],
  invalid: [
    {
      name: 'ready target without ssh target and backup target',
      files: { 'infra.relocation.plan': plan('ready'), 'ssh.targets': 'ssh:\n  targets: []\n', 'backup.inventory': 'targets:\n  - name: vm-2050-x\n    glob: "vzdump-qemu-2050-*"\n' },
      errors: [
        { messageId: 'backupBinding', data: { vmId: '205', target: 'observability', status: 'ready' }, line: 2, column: 12, endColumn: 17 },
        { messageId: 'sshTargetBinding', data: { target: 'observability' }, line: 3, column: 15 },
      ],
    },
    {
      name: 'ssh target without host (c73c3ac1)',
      files: { 'infra.relocation.plan': plan('cutover'), 'ssh.targets': 'ssh:\n  targets:\n    - id: observability\n      host: null\n', 'backup.inventory': BACKUP },
      errors: [{ messageId: 'sshTargetNoHost', file: 'ops/bindings/ssh.targets.yaml', line: 3, column: 7 }],
    },
    {
      name: 'Tailscale IP missing for ready, malformed for provisioned',
      files: {
        'infra.relocation.plan': plan('ready', 'null') + plan('provisioned', '192.168.1.205', '"206"').replace('vm_targets:\n', '').replace('observability', 'dev-tools'),
        'ssh.targets': SSH + '    - id: dev-tools\n      host: 192.168.1.206\n',
        'backup.inventory': BACKUP + '  - name: vm-206-primary\n',
      },
      errors: [
        { messageId: 'tailscaleIpMissing', data: { target: 'observability', status: 'ready' }, line: 4, column: 19 },
        { messageId: 'tailscaleIpInvalid', data: { target: 'dev-tools', ip: '192.168.1.205' }, line: 8, column: 19, endColumn: 32 },
      ],
    },
    {
      name: 'vm_id missing',
      files: { 'infra.relocation.plan': 'vm_targets:\n  - hostname: observability\n    tailscale_ip: 100.120.163.70\n    status: ready\n', 'ssh.targets': SSH, 'backup.inventory': BACKUP },
      errors: [{ messageId: 'vmIdMissing', line: 2, column: 5 }],
    },
  ],
});
