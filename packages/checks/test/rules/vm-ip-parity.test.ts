import check from '../../src/rules/vm-ip-parity.js';
import { checkTester } from '../support/checkTester.js';

const contract = 'canonical: ops/bindings/vm.lifecycle.yaml\n';
const lifecycle = (ip = '192.168.1.205', home = '') => `vms:
  - id: 205
    hostname: observability
    proxmox_host: pve
    status: active
    lan_ip: ${ip}
${home}`;
const homeVm = `  - id: 100
    hostname: homeassistant
    proxmox_host: proxmox-home
    status: active
    lan_ip: 10.0.0.100
`;
const identity = `# Device identity

### Shop VM LAN IPs (Static or reserved)

| VM | Canonical Name | LAN IP | VMID | MAC | Notes |
|----|----------------|--------|------|-----|-------|
| observability | \`observability\` | 192.168.1.205 | 205 | — | Static IP |
`;

checkTester(check, {
  valid: [
    {
      name: 'row present with the same IP; home IP in MINILAB',
      files: { 'vm.lifecycle.contract': contract, 'vm.lifecycle': lifecycle('192.168.1.205', homeVm), DEVICE_IDENTITY: identity, MINILAB_SSOT: '# Minilab\nHA at 10.0.0.100\n' },
    },
  ],
  invalid: [
    { name: 'missing contract', files: { 'vm.lifecycle': lifecycle() }, errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/vm.lifecycle.contract.yaml' } }] },
    {
      name: 'IP differs: points at the table cell',
      files: { 'vm.lifecycle.contract': contract, 'vm.lifecycle': lifecycle('192.168.1.215'), DEVICE_IDENTITY: identity },
      errors: [
        {
          messageId: 'ipMismatch',
          data: { host: 'observability', ip: '192.168.1.215', actual: '192.168.1.205' },
          line: 7,
          column: 37,
          endColumn: 50,
          // Which side is right is a decision: a suggestion per side, no fix.
          suggestions: [
            {
              description: "set the DEVICE_IDENTITY_SSOT.md LAN IP of 'observability' to 192.168.1.215 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { DEVICE_IDENTITY: identity.replace('| 192.168.1.205 |', '| 192.168.1.215 |') },
            },
            {
              description: "set the lan_ip of VM 'observability' to 192.168.1.205 (as DEVICE_IDENTITY_SSOT.md says)",
              output: { 'vm.lifecycle': lifecycle('192.168.1.205') },
            },
          ],
        },
      ],
    },
    {
      name: 'IP differs, the table holds a placeholder and a comment sits beside the lifecycle value: only the table side is offered',
      files: {
        'vm.lifecycle.contract': contract,
        'vm.lifecycle': lifecycle("'192.168.1.215' # reserved"),
        DEVICE_IDENTITY: identity.replace('| 192.168.1.205 |', '| TBD           |'),
      },
      errors: [
        {
          messageId: 'ipMismatch',
          data: { host: 'observability', ip: '192.168.1.215', actual: 'TBD' },
          line: 7,
          suggestions: [
            {
              description: "set the DEVICE_IDENTITY_SSOT.md LAN IP of 'observability' to 192.168.1.215 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { DEVICE_IDENTITY: identity.replace('| 192.168.1.205 |', '| 192.168.1.215 |') },
            },
          ],
        },
      ],
    },
    {
      name: 'the lifecycle side keeps quoting and a comment',
      files: { 'vm.lifecycle.contract': contract, 'vm.lifecycle': lifecycle("'192.168.1.215' # static"), DEVICE_IDENTITY: identity },
      errors: [
        {
          messageId: 'ipMismatch',
          line: 7,
          suggestions: [
            {
              description: "set the DEVICE_IDENTITY_SSOT.md LAN IP of 'observability' to 192.168.1.215 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { DEVICE_IDENTITY: identity.replace('| 192.168.1.205 |', '| 192.168.1.215 |') },
            },
            { description: "set the lan_ip of VM 'observability' to 192.168.1.205 (as DEVICE_IDENTITY_SSOT.md says)", output: { 'vm.lifecycle': lifecycle("'192.168.1.205' # static") } },
          ],
        },
      ],
    },
    {
      name: 'VM not in the table; home IP not in MINILAB',
      files: {
        'vm.lifecycle.contract': contract,
        'vm.lifecycle': lifecycle('192.168.1.205', homeVm).replace('hostname: observability', 'hostname: surveillance-stack'),
        DEVICE_IDENTITY: identity,
        MINILAB_SSOT: '# Minilab\n',
      },
      errors: [
        { messageId: 'notInTable', data: { host: 'surveillance-stack', ip: '192.168.1.205' }, line: 6, column: 13 },
        { messageId: 'homeNotFound', data: { host: 'homeassistant' }, line: 11, column: 13 },
      ],
    },
  ],
});
