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
        {
          messageId: 'lanIpMismatch',
          data: { actual: '100.120.163.70', lifecycle: '192.168.1.205' },
          line: 4,
          column: 13,
          // The ssh host is a Tailscale IP: it is not offered to vm.lifecycle as the LAN IP.
          suggestions: [
            {
              description: "set the host of ssh target 'observability' to 192.168.1.205 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { 'ssh.targets': ssh('192.168.1.205', '') },
            },
          ],
        },
      ],
    },
    {
      name: 'LAN IP and Tailscale IP disagree: a suggestion per side, quoting kept',
      files: all({ 'ssh.targets': ssh('192.168.1.215').replace('"100.120.163.70"', '"100.120.163.71" # moved') }),
      errors: [
        {
          messageId: 'lanIpMismatch',
          line: 4,
          suggestions: [
            {
              description: "set the host of ssh target 'observability' to 192.168.1.205 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { 'ssh.targets': ssh('192.168.1.205').replace('"100.120.163.70"', '"100.120.163.71" # moved') },
            },
            { description: "set the lan_ip of VM 'observability' to 192.168.1.215 (as ssh.targets says)", output: { 'vm.lifecycle': lifecycle.replace('192.168.1.205', '192.168.1.215') } },
          ],
        },
        {
          messageId: 'tailscaleMismatch',
          line: 5,
          suggestions: [
            {
              description: "set the tailscale_ip of ssh target 'observability' to 100.120.163.70 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { 'ssh.targets': ssh('192.168.1.215').replace('"100.120.163.70"', '"100.120.163.70" # moved') },
            },
            {
              description: "set the tailscale_ip of VM 'observability' to 100.120.163.71 (as ssh.targets says)",
              output: { 'vm.lifecycle': lifecycle.replace('100.120.163.70', '100.120.163.71') },
            },
          ],
        },
      ],
    },
    {
      name: 'registry disagrees on Tailscale IP and ssh target',
      files: all({ SERVICE_REGISTRY: registry('100.1.1.1', 'obs') }),
      errors: [
        {
          messageId: 'registryTailscaleMismatch',
          data: { actual: '100.1.1.1' },
          line: 3,
          column: 19,
          // 100.1.1.1 is outside 100.64.0.0/10: no Tailscale IP to offer vm.lifecycle.
          suggestions: [
            {
              description: "set SERVICE_REGISTRY tailscale_ip of 'observability' to 100.120.163.70 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { SERVICE_REGISTRY: registry('100.120.163.70', 'obs') },
            },
          ],
        },
        {
          messageId: 'registrySshMismatch',
          data: { actual: 'obs' },
          line: 4,
          column: 10,
          // 'obs' is no ssh target: only the registry side is offered.
          suggestions: [
            { description: "set SERVICE_REGISTRY ssh of 'observability' to 'observability' (as ops/bindings/vm.lifecycle.yaml says)", output: { SERVICE_REGISTRY: registry('100.1.1.1') } },
          ],
        },
      ],
    },
    {
      name: 'registry names another ssh target and a Tailscale IP: both sides offered',
      files: all({
        SERVICE_REGISTRY: registry('100.101.1.1', 'obs2'),
        'ssh.targets': ssh() + '    - id: obs2\n      host: "192.168.1.99"\n      access_policy: lan_first\n',
      }),
      errors: [
        {
          messageId: 'registryTailscaleMismatch',
          line: 3,
          suggestions: [
            {
              description: "set SERVICE_REGISTRY tailscale_ip of 'observability' to 100.120.163.70 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { SERVICE_REGISTRY: registry('100.120.163.70', 'obs2') },
            },
            {
              description: "set the tailscale_ip of VM 'observability' to 100.101.1.1 (as SERVICE_REGISTRY says)",
              output: { 'vm.lifecycle': lifecycle.replace('100.120.163.70', '100.101.1.1') },
            },
          ],
        },
        {
          messageId: 'registrySshMismatch',
          line: 4,
          suggestions: [
            { description: "set SERVICE_REGISTRY ssh of 'observability' to 'observability' (as ops/bindings/vm.lifecycle.yaml says)", output: { SERVICE_REGISTRY: registry('100.101.1.1') } },
            {
              description: "set the ssh_target of VM 'observability' to 'obs2' (as SERVICE_REGISTRY says)",
              output: { 'vm.lifecycle': lifecycle.replace('ssh_target: observability', 'ssh_target: obs2') },
            },
          ],
        },
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
