import check from '../../src/rules/ssh-tailscale-duplicates.js';
import { checkTester } from '../support/checkTester.js';

const vm = (id: number, host: string, ts: string, target = host) =>
  `  - id: ${id}\n    hostname: ${host}\n    proxmox_host: pve\n    status: active\n    tailscale_ip: ${ts}\n    ssh_target: ${target}\n`;
/** VM 100 on the home Proxmox (not a shop VM: checks 1–3 skip it, check 4 does not). */
const homeVm = '  - id: 100\n    hostname: homeassistant\n    proxmox_host: proxmox-home\n    status: active\n    ssh_target: ha\n';
const contract = 'approved_alias_overrides:\n  - vm_hostname: homeassistant\n    ssh_target: ha\n';
const ssh = 'ssh:\n  targets:\n    - id: a\n      host: "192.168.1.1"\n      tailscale_ip: "100.1.1.1"\n    - id: ha\n      host: "10.0.0.2"\n';
const registry = (ts = '100.1.1.1') => `hosts:\n  a:\n    tailscale_ip: ${ts}\n    ssh: a\n  mac:\n    ssh: localhost\n`;
const files = (vms: string, o: Record<string, string> = {}) => ({
  'tailscale.ssh.lifecycle.contract': contract,
  'vm.lifecycle': `vms:\n${vms}`,
  'ssh.targets': ssh,
  SERVICE_REGISTRY: registry(),
  ...o,
});

checkTester(check, {
  valid: [
    { name: 'distinct IPs; approved alias', files: files(vm(1, 'a', '100.1.1.1') + vm(2, 'homeassistant', '100.1.1.2', 'ha')) },
    { name: 'home VM whose alias is approved', files: files(vm(1, 'a', '100.1.1.1') + homeVm) },
  ],
  invalid: [
    {
      name: 'approved alias override removed: the home VM homeassistant=>ha is undocumented again',
      files: files(vm(1, 'a', '100.1.1.1') + homeVm, { 'tailscale.ssh.lifecycle.contract': 'approved_alias_overrides: []\n' }),
      errors: [
        {
          messageId: 'undocumentedAlias',
          data: { host: 'homeassistant', target: 'ha' },
          file: 'ops/bindings/vm.lifecycle.yaml',
          line: 12,
          column: 17,
          endLine: 12,
          endColumn: 19,
        },
      ],
    },
    { name: 'contract missing', files: { 'vm.lifecycle': 'vms: []\n' }, errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/tailscale.ssh.lifecycle.contract.yaml' } }] },
    {
      name: 'duplicate Tailscale IP; undocumented alias; registry mismatch',
      files: files(vm(1, 'a', '100.1.1.1') + vm(2, 'b', '100.1.1.1', 'bee'), { SERVICE_REGISTRY: registry('100.9.9.9') }),
      errors: [
        { messageId: 'registryTailscaleMismatch', data: { host: 'a', expected: '100.9.9.9', actual: '100.1.1.1' }, line: 3, column: 19 },
        { messageId: 'duplicateTailscaleIp', data: { ip: '100.1.1.1', hosts: ['a', 'b'] }, line: 12, column: 19 },
        { messageId: 'undocumentedAlias', data: { host: 'b', target: 'bee' }, line: 13, column: 17 },
      ],
    },
  ],
});
