import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, runLiveCheckOnFiles, type Diagnostic } from '@spine-lint/core';
import { defaultPaths, remoteCommands } from '@spine-lint/checks';
import check, { guestIpv4 } from '../../src/rules/vm-address-drift.js';
import { exited, failed, liveTester } from '../support/liveTester.js';
import { LOOPBACK_ONLY } from '../../../core/test/probe/servers.js';
import { sshdUnavailableReason, startSshd, type SshdHandle } from '../../../../test/support/sshd/sshd.js';

const unavailable = sshdUnavailableReason();
if (unavailable) console.warn(`\n!!!!! SKIPPING vm-address-drift live tests: ${unavailable} !!!!!\n`);

const ifaces = (lan: string) =>
  JSON.stringify([
    { name: 'lo', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 }] },
    {
      name: 'eth0',
      'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': lan, prefix: 24 },
        { 'ip-address-type': 'ipv6', 'ip-address': 'fe80::1', prefix: 64 },
      ],
    },
    { name: 'tailscale0', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '100.120.163.70', prefix: 32 }] },
  ]);

describe('guestIpv4', () => {
  it('IPv4 of every interface but lo; undefined for non-JSON', () => {
    expect(guestIpv4(ifaces('192.168.1.205'))).toEqual(['192.168.1.205', '100.120.163.70']);
    expect(guestIpv4('{"result":[{"name":"ens18","ip-addresses":[{"ip-address-type":"ipv4","ip-address":"10.0.0.5"}]}]}')).toEqual(['10.0.0.5']);
    expect(guestIpv4('QEMU guest agent is not running')).toBeUndefined();
  });
});

describe.skipIf(Boolean(unavailable))('vm-address-drift against a real sshd with a stub qm', () => {
  let sshd: SshdHandle;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => sshd?.stop());

  it('agrees, drifts (pointer at the binding that says otherwise), agent down', async () => {
    sshd.clearState();
    sshd.setState('vm-205/interfaces.json', ifaces('192.168.1.205'));
    sshd.setState('vm-204/interfaces.json', ifaces('192.168.1.77'));
    const files = {
      'ops/bindings/ssh.targets.yaml': [
        'ssh:', // 1
        '  targets:', // 2
        '    - id: pve', // 3
        '      host: "127.0.0.1"', // 4
        `      user: ${sshd.user}`, // 5
        `      port: ${sshd.port}`, // 6
        '    - id: infra-core', // 7
        '      host: "192.168.1.204"', // 8
        '',
      ].join('\n'),
      'ops/bindings/vm.lifecycle.yaml': [
        'vms:',
        '  - id: 205',
        '    hostname: observability',
        '    lan_ip: "192.168.1.205"',
        '  - id: 206',
        '    hostname: broken',
        '    lan_ip: "192.168.1.206"',
        '',
      ].join('\n'),
      'ops/bindings/infra.relocation.plan.yaml': [
        'vm_targets:', // 1
        '  - vm_id: "205"', // 2
        '    hostname: "observability"', // 3
        '    proxmox_host: "pve"', // 4
        '    status: "ready"', // 5
        '  - vm_id: "204"', // 6
        '    hostname: "infra-core"', // 7
        '    proxmox_host: "pve"', // 8
        '    status: "ready"', // 9
        '  - vm_id: "206"', // 10
        '    hostname: "broken"', // 11
        '    proxmox_host: "pve"', // 12
        '    status: "ready"', // 13
        '',
      ].join('\n'),
    };
    const report = await runLiveCheckOnFiles(check, {
      files,
      paths: defaultPaths,
      executor: new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts }),
    });
    expect(report.results.map((d: Diagnostic) => ({ file: d.file, line: d.line, column: d.column, messageId: d.messageId, vm: d.data.vm }))).toEqual([
      { file: 'ops/bindings/infra.relocation.plan.yaml', line: 10, column: 12, messageId: 'probeFailed', vm: 'broken' },
      { file: 'ops/bindings/ssh.targets.yaml', line: 8, column: 13, messageId: 'drift', vm: 'infra-core' },
    ]);
    expect(report.results[1]!.message).toBe('VM infra-core (vmid 204): bindings say LAN address 192.168.1.204, the guest reports 192.168.1.77, 100.120.163.70');
    expect(report.results[0]!.message).toBe('VM broken (vmid 206): cannot read guest interfaces: exit 255: QEMU guest agent is not running');
  });
});

// ---------------------------------------------------------------------------------------------
// Table: no network, no sshd. Observations by probe id (`<hostname>:interfaces`): what
// `qm guest cmd <vmid> network-get-interfaces` printed on the Proxmox host.
// ---------------------------------------------------------------------------------------------

const SSH = ['ssh:', '  targets:', '    - id: pve', '      host: "10.0.0.1"', '    - id: infra-core', '      host: "192.168.1.204"', ''].join('\n');
const LIFECYCLE = ['vms:', '  - id: 205', '    hostname: observability', '    lan_ip: "192.168.1.205"', ''].join('\n');
const PLAN = [
  'vm_targets:', // 1
  '  - vm_id: "205"', // 2
  '    hostname: "observability"', // 3
  '    proxmox_host: "pve"', // 4
  '    status: "ready"', // 5
  '  - vm_id: "204"', // 6
  '    hostname: "infra-core"', // 7
  '    proxmox_host: "pve"', // 8
  '    status: "ready"', // 9
  '  - vm_id: "210"', // 10
  '    hostname: "no-address"', // 11
  '    status: "ready"', // 12
  '  - vm_id: "211"', // 13
  '    hostname: "later"', // 14
  '    status: "planned"', // 15
  '',
].join('\n');
const FILES = { 'ssh.targets': SSH, 'vm.lifecycle': LIFECYCLE, 'infra.relocation.plan': PLAN };
const AGREE = { 'observability:interfaces': exited(0, ifaces('192.168.1.205')), 'infra-core:interfaces': exited(0, `{"result":${ifaces('192.168.1.204')}}`) };

liveTester(check, {
  valid: [
    {
      name: 'the guest reports the LAN address of vm.lifecycle, or of ssh.targets (nothing to compare: not planned)',
      files: FILES,
      observations: AGREE,
      plan: ['observability:interfaces', 'infra-core:interfaces'],
    },
  ],
  invalid: [
    {
      name: 'drift: at the binding that gives the address (vm.lifecycle lan_ip, else ssh.targets host)',
      files: FILES,
      observations: {
        'observability:interfaces': exited(0, ifaces('192.168.1.77')),
        'infra-core:interfaces': exited(0, '[{"name":"lo","ip-addresses":[{"ip-address-type":"ipv4","ip-address":"127.0.0.1"}]}]'),
      },
      errors: [
        { messageId: 'drift', data: { vm: 'infra-core', vmid: '204', expected: '192.168.1.204', actual: 'no IPv4 address' }, file: 'ops/bindings/ssh.targets.yaml', line: 6, column: 13 },
        {
          messageId: 'drift',
          data: { vm: 'observability', vmid: '205', expected: '192.168.1.205', actual: '192.168.1.77, 100.120.163.70' },
          file: 'ops/bindings/vm.lifecycle.yaml',
          line: 4,
          column: 13,
        },
      ],
    },
    {
      name: 'the first VM has no observation: only it fails; the second is judged on its own answer',
      files: FILES,
      observations: { 'infra-core:interfaces': exited(0, ifaces('192.168.1.99')) },
      errors: [
        { messageId: 'probeFailed', data: { vm: 'observability', detail: 'no observation' }, file: 'ops/bindings/infra.relocation.plan.yaml', line: 2, column: 12 },
        { messageId: 'drift', data: { vm: 'infra-core', actual: '192.168.1.99, 100.120.163.70' }, file: 'ops/bindings/ssh.targets.yaml', line: 6, column: 13 },
      ],
    },
    {
      name: 'the guest agent does not answer; the output is not the interface list: at vm_id',
      files: FILES,
      observations: { 'observability:interfaces': exited(255, '', 'QEMU guest agent is not running'), 'infra-core:interfaces': exited(0, 'garbage') },
      errors: [
        { messageId: 'probeFailed', data: { vm: 'observability', detail: 'exit 255: QEMU guest agent is not running' }, line: 2, column: 12 },
        { messageId: 'probeFailed', data: { vm: 'infra-core', detail: "output is not the agent's interface list" }, line: 6, column: 12 },
      ],
    },
    {
      name: 'the Proxmox host is unreachable',
      files: FILES,
      observations: { ...AGREE, 'infra-core:interfaces': failed('refused', 'connection refused (10.0.0.1:22)') },
      errors: [{ messageId: 'probeFailed', data: { vm: 'infra-core', detail: 'connection refused' }, line: 6, column: 12 }],
    },
    {
      name: 'no ssh.targets entry for the Proxmox host: unprobed, at proxmox_host',
      files: { ...FILES, 'infra.relocation.plan': PLAN.replace('    proxmox_host: "pve"\n    status: "ready"\n  - vm_id: "204"', '    proxmox_host: "pve-2"\n    status: "ready"\n  - vm_id: "204"') },
      observations: { 'infra-core:interfaces': AGREE['infra-core:interfaces'] },
      plan: ['infra-core:interfaces'],
      errors: [{ messageId: 'unprobed', data: { vm: 'observability', why: "no ssh.targets entry for Proxmox host 'pve-2'" }, line: 4, column: 19 }],
    },
  ],
});
