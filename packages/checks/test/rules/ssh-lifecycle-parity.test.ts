import check from '../../src/rules/ssh-lifecycle-parity.js';
import { checkTester } from '../support/checkTester.js';

const lifecycle = `vms:
  - id: 205
    hostname: observability
    proxmox_host: pve
    status: active
    lan_ip: 192.168.1.205
    tailscale_ip: 100.120.163.70
    ssh_target: observability
`;
const ssh = (host = '192.168.1.205', extra = '      access_policy: lan_first\n') => `ssh:
  targets:
    - id: observability
      host: "${host}"
      tailscale_ip: "100.120.163.70"
${extra}`;
const registry = (ts = '100.120.163.70', sshId = 'observability') => `hosts:
  observability:
    tailscale_ip: ${ts}
    ssh: ${sshId}
`;
const contract = 'spine_binding: ops/bindings/ssh.targets.yaml\nworkbench_ssh_config: dotfiles/ssh/config.d/tailscale.conf\n';
const all = (o: Record<string, string> = {}) => ({ 'vm.lifecycle': lifecycle, 'ssh.targets': ssh(), SERVICE_REGISTRY: registry(), 'workbench.ssh.attach.contract': contract, ...o });

checkTester(check, {
  valid: [{ name: 'all three registries agree', files: all() }],
  invalid: [
    {
      name: 'missing contract',
      files: { 'vm.lifecycle': lifecycle, 'ssh.targets': ssh(), SERVICE_REGISTRY: registry() },
      errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/workbench.ssh.attach.contract.yaml' } }],
    },
    {
      name: 'ssh host is the Tailscale IP and access_policy is missing (the pre-LAN-first shape)',
      files: all({ 'ssh.targets': ssh('100.120.163.70', '') }),
      errors: [
        { messageId: 'missingAccessPolicy', data: { host: 'observability' }, line: 3, column: 7 },
        { messageId: 'lanIpMismatch', data: { actual: '100.120.163.70', lifecycle: '192.168.1.205' }, line: 4, column: 13 },
      ],
    },
    {
      name: 'registry disagrees on Tailscale IP and ssh target',
      files: all({ SERVICE_REGISTRY: registry('100.1.1.1', 'obs') }),
      errors: [
        { messageId: 'registryTailscaleMismatch', data: { actual: '100.1.1.1' }, line: 3, column: 19 },
        { messageId: 'registrySshMismatch', data: { actual: 'obs' }, line: 4, column: 10 },
      ],
    },
    {
      name: 'missing registry host; wrong anchor',
      files: all({ SERVICE_REGISTRY: 'hosts: {}\n', 'workbench.ssh.attach.contract': contract.replace('ssh.targets.yaml', 'x.yaml') }),
      errors: [
        { messageId: 'missingRegistryHost', data: { host: 'observability' }, line: 3, column: 15, file: 'ops/bindings/vm.lifecycle.yaml' },
        { messageId: 'anchorMismatch', data: { field: 'spine_binding' }, line: 1, column: 16 },
      ],
    },
  ],
});
