import check from '../../src/rules/site-topology-parity.js';
import { checkTester } from '../support/checkTester.js';

const topo = (alias = 'pve', targets = '[observability]') => `status: authoritative
owner: "@ronny"
last_verified: 2026-02-23
scope: platform-site-topology-ssot
sites:
  - id: shop
    status: active
    lan_cidr: 192.168.1.0/24
    tailscale_anchor: pve
    proxmox_alias: ${alias}
    vmid_range: 200-299
    compose_targets: ${targets}
    notes: Shop
`;
const base = { 'ssh.targets': 'ssh:\n  targets:\n    - id: pve\n', 'docker.compose.targets': 'targets:\n  observability:\n    ssh_target: observability\n' };

checkTester(check, {
  valid: [{ name: 'complete site joined to ssh and compose targets', files: { ...base, 'topology.sites': topo() } }],
  invalid: [
    { name: 'missing binding', files: base, errors: [{ messageId: 'missingBinding' }] },
    {
      name: 'unknown alias and compose target',
      files: { ...base, 'topology.sites': topo('pve2', '[observability, ghost]') },
      errors: [
        { messageId: 'unknownProxmoxAlias', data: { site: 'shop', alias: 'pve2' }, line: 10, column: 20 },
        { messageId: 'unknownComposeTarget', data: { target: 'ghost' }, line: 12, column: 38 },
      ],
    },
    {
      name: 'missing keys',
      files: { ...base, 'topology.sites': topo().replace('owner: "@ronny"\n', '').replace('    notes: Shop\n', '') },
      errors: [
        { messageId: 'missingTopKey', data: { key: 'owner' }, line: 1, column: 1 },
        { messageId: 'missingSiteKey', data: { site: 'shop', key: 'notes' }, line: 5, column: 5 },
      ],
    },
  ],
});
