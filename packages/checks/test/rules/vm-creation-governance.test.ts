import check from '../../src/rules/vm-creation-governance.js';
import { checkTester } from '../support/checkTester.js';

const lifecycle = (extra = '') => `vms:
  - id: 205
    hostname: observability
    proxmox_host: pve
    status: active
    lan_ip: 192.168.1.205
    tailscale_ip: 100.120.163.70
${extra}`;
const ssh = (host = '192.168.1.205') => `ssh:
  targets:
    - id: observability
      host: "${host}"
      tailscale_ip: "100.120.163.70"
`;
const registry = `services: {}
hosts:
  observability:
    tailscale_ip: 100.120.163.70
    ssh: observability
    vmid: 205
`;
const backup = `targets:
  - name: vm-205-observability-primary
    host: pve
    glob: "vzdump-qemu-205-*.vma.zst"
runtime_units:
  - unit_id: vm-205-observability
    kind: vm
    hostname: observability
    backup_profile: vm-primary
    data_class: small_state
    destination_lane: pve-vzdump-primary
    schedule_class: daily-primary-est
    restore_class: vm-dry-run-quarterly
`;
const health = (enabled = 'true') => `endpoints:
  - id: prometheus
    host: observability
    url: "http://192.168.1.205:9090/-/healthy"
    enabled: ${enabled}
`;
const stacks = `stacks:
  - stack_id: observability
    path: proxmox:vm-205
`;
const all = (o: Partial<Record<string, string>> = {}) =>
  ({
    'vm.lifecycle': lifecycle(),
    'ssh.targets': ssh(),
    SERVICE_REGISTRY: registry,
    'backup.inventory': backup,
    'services.health': health(),
    STACK_REGISTRY: stacks,
    ...o,
  }) as Record<string, string>;

checkTester(check, {
  valid: [
    { name: 'fully registered VM', files: all() },
    { name: 'has_docker: false needs no probe (the reference coerced it to true)', files: all({ 'vm.lifecycle': lifecycle('    has_docker: false\n'), 'services.health': 'endpoints: []\n' }) },
    { name: 'a home VM is not checked', files: all({ 'vm.lifecycle': lifecycle('    site_scope: home\n'), SERVICE_REGISTRY: 'hosts: {}\n' }) },
    // docker-host at a00cb7b7: every probe disabled on purpose (decommissioned/superseded services).
    { name: 'a VM whose probes are all disabled is covered: disabling a probe is a deliberate decision (as the reference)', files: all({ 'services.health': health('false') }) },
  ],
  invalid: [
    { name: 'missing binding', files: { 'vm.lifecycle': lifecycle() }, errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/ssh.targets.yaml' }, line: 1, column: 1 }] },
    {
      name: 'LAN IP mismatch points at ssh.targets host',
      files: all({ 'ssh.targets': ssh('100.120.163.70') }),
      errors: [{ messageId: 'lanIpMismatch', data: { host: 'observability', vmid: 205, actual: '100.120.163.70' }, line: 4, column: 13, file: 'ops/bindings/ssh.targets.yaml' }],
    },
    {
      name: 'missing registry host, runtime unit and probe',
      files: all({ SERVICE_REGISTRY: 'hosts: {}\n', 'backup.inventory': backup.replace('kind: vm', 'kind: machine'), 'services.health': 'endpoints: []\n' }),
      errors: [
        { messageId: 'missingRegistryHost', data: { host: 'observability' }, line: 3, column: 15 },
        { messageId: 'missingRuntimeUnit', line: 3, column: 15 },
        { messageId: 'missingHealthProbe', line: 3, column: 15 },
      ],
    },
    {
      name: 'a probe on another host does not cover the VM, enabled or not',
      files: all({ 'services.health': health('false').replace('host: observability', 'host: docker-host') }),
      errors: [{ messageId: 'missingHealthProbe', data: { host: 'observability', vmid: 205 }, line: 3, column: 15 }],
    },
    {
      name: 'vzdump glob must be exact; registry vmid mismatch',
      files: all({ 'backup.inventory': backup.replace('vzdump-qemu-205-', 'vzdump-qemu-206-'), SERVICE_REGISTRY: registry.replace('vmid: 205', 'vmid: 206') }),
      errors: [
        { messageId: 'registryVmidMismatch', data: { actual: 206 }, line: 6, column: 11, file: 'docs/governance/SERVICE_REGISTRY.yaml' },
        { messageId: 'missingVzdumpTarget', data: { glob: 'vzdump-qemu-205-*.vma.zst' }, line: 2, column: 9 },
      ],
    },
    {
      name: 'orphan ssh target and missing stack entry (warning)',
      files: all({ 'ssh.targets': ssh() + '    - id: ghost\n      host: "192.168.1.99"\n', STACK_REGISTRY: 'stacks: []\n' }),
      errors: [
        { messageId: 'orphanSshTarget', data: { host: 'ghost' }, line: 6, column: 11 },
        { messageId: 'missingStackEntry', severity: 'warning', line: 3, column: 15 },
      ],
    },
  ],
});
