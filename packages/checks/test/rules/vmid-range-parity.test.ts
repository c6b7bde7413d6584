import { describe, expect, it } from 'vitest';
import check, { parseRange } from '../../src/rules/vmid-range-parity.js';
import { checkTester } from '../support/checkTester.js';

const placement = (shopMax = '299') => `sites:
  shop:
    proxmox_hosts: [pve]
    vmid_min: 200
    vmid_max: ${shopMax}
  home:
    proxmox_hosts: [proxmox-home]
    vmid_min: 100
    vmid_max: 199
  mobile:
    proxmox_hosts: []
`;
const topology = (shop = '200-299', homeId = 'home') => `status: authoritative
sites:
  - id: shop
    proxmox_alias: pve
    vmid_range: ${shop}
  - id: ${homeId}
    proxmox_alias: proxmox-home
    vmid_range: 100-199
  - id: template-site
    status: planned
    vmid_range: 300-399
`;
const identity = (rows = '| 100-199 | proxmox-home | Home VMs/LXCs |\n| 200-299 | pve (shop) | Shop VMs |\n') => `# Device identity

### Proxmox VMID Ranges

| Range | Location | Purpose |
|-------|----------|---------|
${rows}
### Container Naming
`;

checkTester(check, {
  valid: [
    { name: 'all three agree (sites without ranges and topology-only sites ignored)', files: { 'infra.placement.policy': placement(), 'topology.sites': topology(), DEVICE_IDENTITY: identity() } },
    { name: 'topology site joined by proxmox_alias', files: { 'infra.placement.policy': placement(), 'topology.sites': topology('200-299', 'homelab'), DEVICE_IDENTITY: identity() } },
    { name: 'only the placement policy', files: { 'infra.placement.policy': placement() } },
  ],
  invalid: [
    {
      name: 'placement widened shop to 200-399: topology and DEVICE_IDENTITY disagree',
      files: { 'infra.placement.policy': placement('399'), 'topology.sites': topology(), DEVICE_IDENTITY: identity() },
      errors: [
        {
          messageId: 'identityMismatch',
          data: { site: 'shop', location: 'pve (shop)', actual: '200-299', expected: '200-399' },
          line: 8,
          column: 3,
          endColumn: 10,
          file: 'docs/governance/DEVICE_IDENTITY_SSOT.md',
        },
        { messageId: 'topologyMismatch', data: { site: 'shop', actual: '200-299', expected: '200-399' }, line: 5, column: 17, file: 'ops/bindings/topology.sites.yaml' },
      ],
    },
    {
      name: 'unparsable topology range; home row missing from the table',
      files: { 'infra.placement.policy': placement(), 'topology.sites': topology('two hundreds'), DEVICE_IDENTITY: identity('| 200-299 | pve (shop) | Shop VMs |\n') },
      errors: [
        { messageId: 'identityMissing', data: { site: 'home', expected: '100-199' }, line: 8, column: 15, file: 'ops/bindings/infra.placement.policy.yaml' },
        { messageId: 'topologyMismatch', data: { site: 'shop', actual: 'two hundreds' }, line: 5, column: 17 },
      ],
    },
    {
      name: 'no VMID table in DEVICE_IDENTITY',
      files: { 'infra.placement.policy': placement(), DEVICE_IDENTITY: '# Device identity\n' },
      errors: [{ messageId: 'identityTableMissing', line: 1, column: 1 }],
    },
  ],
});

describe('parseRange', () => {
  it.each([
    ['200-299', [200, 299]],
    [' 100 – 199 ', [100, 199]],
    ['200', undefined],
    [undefined, undefined],
  ])('%s', (text, expected) => expect(parseRange(text)).toEqual(expected));
});
