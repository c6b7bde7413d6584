import check from '../../src/rules/device-identity-tables.js';
import { checkTester } from '../support/checkTester.js';

const ssh = `ssh:
  targets:
    - id: pve
      host: 100.96.211.33
      tailscale_ip: 100.96.211.33
    - id: immich
      host: 192.168.1.203
      tailscale_ip: 100.114.101.50
    - id: surveillance-stack
      host: 192.168.1.215
      tailscale_ip: 100.89.1.111
    - id: ha
      host: 10.0.0.100
`;
const naming = `hosts: []
allowed_exceptions:
  - host: immich
    surface: tailscale_name
    actual: immich-1
`;
const lifecycle = `vms:
  - id: 203
    hostname: immich
    proxmox_host: pve
    status: active
    lan_ip: 192.168.1.203
  - id: 101
    hostname: immich
    proxmox_host: proxmox-home
    status: decommissioned
  - id: 214
    hostname: communications-stack
    proxmox_host: pve
    status: provisioned
    lan_ip: 192.168.1.26
`;
const identity = (tailscaleRows: string, shopRows: string) => `---
status: authoritative
---
# Device identity

### Tailscale Host Table (Canonical)

| Host | Tailscale IP | Location | Role |
|------|-------------|----------|------|
${tailscaleRows}
### Shop VM LAN IPs (Static or reserved)

| VM | Canonical Name | LAN IP | VMID | MAC | Notes |
|----|----------------|--------|------|-----|-------|
${shopRows}`;

const tsRows = (immichName = 'immich-1', immichIp = '100.114.101.50') => `| macbook | 100.85.186.7 | Mobile | Workstation |
| pve | 100.96.211.33 | Shop | Hypervisor |
| ${immichName} | ${immichIp} | Shop | Photos |
| surveillance-stack | 100.89.1.111 | Shop | Cameras |
| ha | 100.67.120.1 | Home | Home Assistant |
`;
const shopRows = (
  immich = '| immich | `immich` | 192.168.1.203 | 203 | — | photos |',
  comms = '| comms | `communications-stack` | 192.168.1.26 | 214 | — | mail |',
) => `| pve (hypervisor) | \`pve\` | 192.168.1.184 | — | — | host |
${immich}
${comms}
`;

const files = (di: string, extra: Record<string, string> = {}) => ({ 'ssh.targets': ssh, 'naming.policy': naming, 'vm.lifecycle': lifecycle, DEVICE_IDENTITY: di, ...extra });

checkTester(check, {
  valid: [
    { name: 'immich listed as immich-1 (approved exception); hypervisor row without VMID; macbook and ha rows not joined', files: files(identity(tsRows(), shopRows())) },
    { name: 'canonical name in the Tailscale table also joins', files: files(identity(tsRows('immich'), shopRows())) },
    { name: 'only the DEVICE_IDENTITY doc: nothing to compare', files: { DEVICE_IDENTITY: identity(tsRows(), shopRows()) } },
  ],
  invalid: [
    {
      name: 'surveillance-stack missing; immich-1 without the naming exception is not immich',
      files: files(identity(tsRows().replace(/^\| surveillance-stack.*\n/m, ''), shopRows()), { 'naming.policy': 'hosts: []\n' }),
      errors: [
        { messageId: 'missingTailscaleRow', data: { host: 'immich', ip: '100.114.101.50' }, line: 8, column: 21, endColumn: 35, file: 'ops/bindings/ssh.targets.yaml' },
        { messageId: 'missingTailscaleRow', data: { host: 'surveillance-stack', ip: '100.89.1.111' }, line: 11, column: 21 },
      ],
    },
    {
      name: 'Tailscale IP differs: points at the table cell',
      files: files(identity(tsRows('immich-1', '100.114.101.51'), shopRows())),
      errors: [
        {
          messageId: 'tailscaleIpMismatch',
          data: { host: 'immich', name: 'immich-1', ip: '100.114.101.50', actual: '100.114.101.51' },
          line: 12,
          column: 14,
          endColumn: 28,
          file: 'docs/governance/DEVICE_IDENTITY_SSOT.md',
        },
      ],
    },
    {
      name: 'Shop table: wrong VMID, LAN IP of a non-active VM, unknown VM, decommissioned VM',
      files: files(
        identity(
          tsRows(),
          shopRows('| immich | `immich` | 192.168.1.203 | 213 | — | photos |', '| comms | `communications-stack` | 192.168.1.27 | 214 | — | mail |') +
            '| nvr | `nvr-stack` | 192.168.1.216 | 216 | — | cameras |\n| old immich | `immich` | 10.0.0.101 | 101 | — | home |\n',
        ),
      ),
      errors: [
        { messageId: 'vmidMismatch', data: { host: 'immich', vmid: 203, actual: '213' }, line: 21, column: 39, endColumn: 42 },
        { messageId: 'lanIpMismatch', data: { host: 'communications-stack', vmid: 214, status: 'provisioned', ip: '192.168.1.26', actual: '192.168.1.27' }, line: 22, column: 36, endColumn: 48 },
        { messageId: 'unknownVm', data: { host: 'nvr-stack', vmid: '216' }, line: 23, column: 9 },
        { messageId: 'decommissionedVm', data: { host: 'immich', vmid: 101, status: 'decommissioned' }, line: 24, column: 16 },
      ],
    },
    {
      name: 'tables missing',
      files: files('---\nstatus: authoritative\n---\n# Device identity\n'),
      errors: [
        { messageId: 'missingTable', data: { table: 'Shop VM LAN IPs' }, line: 1, column: 1 },
        { messageId: 'missingTable', data: { table: 'Tailscale Host Table' }, line: 1, column: 1 },
      ],
    },
  ],
});
