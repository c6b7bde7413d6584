import check from '../../src/rules/cross-registry-completeness.js';
import { checkTester } from '../support/checkTester.js';

const naming = `hosts:
  - canonical_name: observability
    kind: vm
    site: shop
    surfaces:
      ssh_target: true
  - canonical_name: pve
    kind: proxmox
    site: shop
    surfaces:
      ssh_target: true
  - canonical_name: media-stack
    status: decommissioned
    surfaces:
      ssh_target: true
`;
const ssh = (ids: string[]) => `ssh:\n  targets:\n${ids.map((id) => `    - id: ${id}\n      host: "10.0.0.1"\n`).join('')}`;
const registry = 'hosts:\n  observability:\n    ssh: observability\n';

checkTester(check, {
  valid: [
    {
      name: 'ssh targets exist; proxmox and decommissioned hosts need no registry entry',
      files: { 'naming.policy': naming, 'ssh.targets': ssh(['observability', 'pve']), SERVICE_REGISTRY: registry },
    },
    {
      name: 'hosts absent from naming.policy are not checked (reference behaviour)',
      files: { 'naming.policy': naming, 'ssh.targets': ssh(['observability', 'pve', 'surveillance-stack']), SERVICE_REGISTRY: registry },
    },
  ],
  invalid: [
    {
      name: 'naming says ssh target, none exists',
      files: { 'naming.policy': naming, 'ssh.targets': ssh(['pve']), SERVICE_REGISTRY: registry },
      errors: [{ messageId: 'missingSshTarget', data: { host: 'observability' }, line: 2, column: 21 }],
    },
    {
      name: 'shop ssh target not in the registry',
      files: { 'naming.policy': naming, 'ssh.targets': ssh(['observability', 'pve']), SERVICE_REGISTRY: 'hosts: {}\n' },
      errors: [{ messageId: 'missingRegistryHost', data: { host: 'observability' }, line: 3, column: 11 }],
    },
    { name: 'missing naming.policy', files: { 'ssh.targets': ssh(['pve']) }, errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/naming.policy.yaml' } }] },
  ],
});
