import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, ReplayExecutor, runLiveCheckOnFiles, type Diagnostic } from '@spine-lint/core';
import { defaultPaths, remoteCommands } from '@spine-lint/checks';
import check from '../../src/rules/vm-readiness.js';
import { exited, failed, liveTester } from '../support/liveTester.js';
import { LOOPBACK_ONLY } from '../../../core/test/probe/servers.js';
import { freePort, sshdUnavailableReason, startSshd, type SshdHandle } from '../../../../test/support/sshd/sshd.js';

const unavailable = sshdUnavailableReason();
if (unavailable) console.warn(`\n!!!!! SKIPPING vm-readiness live tests: ${unavailable} !!!!!\n`);

const brief = (d: Diagnostic) => ({ line: d.line, column: d.column, messageId: d.messageId, vm: d.data.vm, row: d.data.row, detail: d.data.detail });

describe.skipIf(Boolean(unavailable))('vm-readiness against a real sshd with stub qm/tailscale/systemctl', () => {
  let sshd: SshdHandle;
  let closedPort: number;
  beforeAll(async () => {
    sshd = await startSshd();
    closedPort = await freePort();
  });
  afterAll(async () => sshd?.stop());

  const files = (readiness: string) => ({
    'ops/bindings/ssh.targets.yaml': [
      'ssh:',
      '  defaults:',
      '    user: root',
      `    port: ${sshd.port}`,
      '  targets:',
      '    - id: pve',
      '      host: "127.0.0.1"',
      `      user: ${sshd.user}`,
      '    - id: observability',
      '      host: "127.0.0.1"',
      '    - id: dead-vm',
      '      host: "127.0.0.1"',
      `      port: ${closedPort}`,
      '',
    ].join('\n'),
    'ops/bindings/infra.vm.profiles.yaml': ['defaults:', '  proxmox_user: root', 'profiles:', '  spine-ready-v1:', '    readiness:', readiness, ''].join('\n'),
    'ops/bindings/infra.relocation.plan.yaml': [
      'vm_targets:', // 1
      '  - vm_id: "205"', // 2
      '    hostname: "observability"', // 3
      '    proxmox_host: "pve"', // 4
      '    status: "ready"', // 5
      '  - vm_id: "206"', // 6
      '    hostname: "dead-vm"', // 7
      '    proxmox_host: "pve"', // 8
      '    status: "provisioned"', // 9
      '  - vm_id: "207"', // 10
      '    hostname: "not-yet"', // 11
      '    status: "planned"', // 12
      '  - vm_id: "20 8"', // 13
      '    hostname: "no-ssh"', // 14
      '    proxmox_host: "pve"', // 15
      '    status: "ready"', // 16
      '',
    ].join('\n'),
  });

  const exec = () => new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts });

  it('reports each failing row at the VM target, honouring require_* flags', async () => {
    sshd.clearState();
    sshd.setState('vm-205/status', 'running');
    sshd.setState('vm-205/agent', 'ok');
    sshd.setState('vm-206/status', 'stopped');
    sshd.setState('tailscale.json', '{"BackendState":"NeedsLogin"}');
    sshd.setState('units/crond', 'active');
    const all = files('      require_running: true');
    const report = await runLiveCheckOnFiles(check, { files: all, paths: defaultPaths, executor: exec() });
    expect(report.results.map(brief)).toEqual([
      { line: 3, column: 15, messageId: 'notReady', vm: 'observability', row: 'tailscale_connected', detail: 'tailscale BackendState=NeedsLogin' },
      { line: 6, column: 12, messageId: 'notReady', vm: 'dead-vm', row: 'qemu_agent_running', detail: 'guest agent ping exit 255: QEMU guest agent is not running' },
      { line: 6, column: 12, messageId: 'notReady', vm: 'dead-vm', row: 'vm_running', detail: 'qm status=stopped' },
      { line: 7, column: 15, messageId: 'notReady', vm: 'dead-vm', row: 'cron_running', detail: 'connection refused' },
      { line: 7, column: 15, messageId: 'notReady', vm: 'dead-vm', row: 'ssh_reachability', detail: 'connection refused' },
      { line: 7, column: 15, messageId: 'notReady', vm: 'dead-vm', row: 'tailscale_connected', detail: 'connection refused' },
      {
        line: 13,
        column: 12,
        messageId: 'notReady',
        vm: 'no-ssh',
        row: 'qemu_agent_running',
        detail: `not probed: refused before connecting: command 'qm-agent-ping': vmid must be digits only (got "20 8")`,
      },
      { line: 13, column: 12, messageId: 'notReady', vm: 'no-ssh', row: 'vm_running', detail: `not probed: refused before connecting: command 'qm-status': vmid must be digits only (got "20 8")` },
      { line: 14, column: 15, messageId: 'unprobed', vm: 'no-ssh', row: undefined, detail: undefined },
    ]);
    expect(report.results[8]!.message).toBe("VM no-ssh: ssh_reachability, tailscale_connected, cron_running cannot be probed: no ssh.targets entry for 'no-ssh'");
    expect(report.results[2]!.message).toBe('VM dead-vm (vmid 206): vm_running failed: qm status=stopped');
    // observability passes vm_running, qemu_agent_running, ssh_reachability and cron (crond active).
    expect(report.results.filter((r) => r.data.vm === 'observability')).toHaveLength(1);
    // Replay gives the same findings.
    const replay = await runLiveCheckOnFiles(check, {
      files: all,
      paths: defaultPaths,
      executor: new ReplayExecutor({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '', observations: report.observations }),
    });
    expect(replay.results).toEqual(report.results);
  });

  it('require_*: false turns rows off (the reference coerced false to true)', async () => {
    sshd.clearState();
    sshd.setState('vm-205/status', 'running');
    const report = await runLiveCheckOnFiles(check, {
      files: files('      require_qemu_agent_running: false\n      require_tailscale_connected: false\n      require_cron_running: false\n      require_ssh_reachability: true'),
      paths: defaultPaths,
      executor: exec(),
      options: {},
    });
    const rows = report.results.filter((r) => r.data.vm === 'observability');
    expect(rows).toEqual([]);
    expect(report.probes.filter((p) => p.target === 'observability').map((p) => p.key)).toEqual(['vm-readiness/observability:vm_running', 'vm-readiness/observability:ssh_reachability']);
  });
});

// ---------------------------------------------------------------------------------------------
// Table: no network, no sshd. Observations by probe id (`<vm>:<row>`; cron_running is `<vm>:cron`
// and `<vm>:crond`); a probe the case does not answer gets the engine's missing observation.
// ---------------------------------------------------------------------------------------------

const SSH = ['ssh:', '  defaults:', '    user: root', '  targets:', '    - id: pve', '      host: "10.0.0.1"', '    - id: observability', '      host: "10.0.0.5"', ''].join('\n');
const PROFILES = (readiness = '      require_running: true') => ['profiles:', '  spine-ready-v1:', '    readiness:', readiness, ''].join('\n');
const PLAN = [
  'vm_targets:', // 1
  '  - vm_id: "205"', // 2
  '    hostname: "observability"', // 3
  '    proxmox_host: "pve"', // 4
  '    status: "ready"', // 5
  '  - vm_id: "207"', // 6
  '    hostname: "not-yet"', // 7
  '    status: "planned"', // 8
  '',
].join('\n');
const FILES = { 'ssh.targets': SSH, 'infra.vm.profiles': PROFILES(), 'infra.relocation.plan': PLAN };
const READY = {
  'observability:vm_running': exited(0, 'status: running'),
  'observability:qemu_agent_running': exited(0),
  'observability:ssh_reachability': exited(0),
  'observability:tailscale_connected': exited(0, '{"BackendState":"Running","Self":{"Online":true}}'),
  'observability:cron': exited(0, 'active'),
  'observability:crond': exited(3, 'inactive'),
};
const { 'observability:ssh_reachability': _answered, ...READY_BUT_SSH } = READY;
const ROWS = ['vm_running', 'qemu_agent_running', 'ssh_reachability', 'tailscale_connected', 'cron', 'crond'].map((r) => `observability:${r}`);

liveTester(check, {
  valid: [
    { name: 'every row answers (a planned VM is not probed)', files: FILES, observations: READY, plan: ROWS },
    { name: 'cron inactive but crond active is enough', files: FILES, observations: { ...READY, 'observability:cron': exited(3, 'inactive'), 'observability:crond': exited(0, 'active') } },
    {
      name: 'require_*: false turns rows off (only what is required is planned)',
      files: { ...FILES, 'infra.vm.profiles': PROFILES('      require_qemu_agent_running: false\n      require_tailscale_connected: false\n      require_cron_running: false') },
      observations: { 'observability:vm_running': exited(0, 'status: running'), 'observability:ssh_reachability': exited(0) },
      plan: ['observability:vm_running', 'observability:ssh_reachability'],
    },
    {
      name: 'the profile comes from the options',
      files: {
        ...FILES,
        'infra.vm.profiles':
          PROFILES() +
          '  minimal:\n    readiness:\n      require_running: false\n      require_qemu_agent_running: false\n      require_tailscale_connected: false\n      require_cron_running: false\n',
      },
      options: { profile: 'minimal' },
      observations: { 'observability:ssh_reachability': exited(0) },
      plan: ['observability:ssh_reachability'],
    },
  ],
  invalid: [
    {
      name: 'a missing observation stays missing for exactly its probe (ssh_reachability); the next row is judged on its own',
      files: FILES,
      observations: { ...READY_BUT_SSH, 'observability:tailscale_connected': exited(0, '{"BackendState":"Stopped"}') },
      errors: [
        { messageId: 'notReady', data: { vm: 'observability', row: 'ssh_reachability', detail: 'no observation' }, line: 3, column: 15 },
        { messageId: 'notReady', data: { vm: 'observability', row: 'tailscale_connected', detail: 'tailscale BackendState=Stopped' }, line: 3, column: 15 },
      ],
    },
    {
      name: 'the VM is stopped: at vm_id',
      files: FILES,
      observations: { ...READY, 'observability:vm_running': exited(0, 'status: stopped') },
      errors: [{ messageId: 'notReady', data: { vm: 'observability', vmid: '205', row: 'vm_running', detail: 'qm status=stopped' }, line: 2, column: 12, endLine: 2, endColumn: 17 }],
    },
    {
      name: 'qm status fails, the guest agent does not answer',
      files: FILES,
      observations: {
        ...READY,
        'observability:vm_running': exited(2, '', 'Configuration file does not exist'),
        'observability:qemu_agent_running': exited(255, '', 'QEMU guest agent is not running'),
      },
      errors: [
        { messageId: 'notReady', data: { row: 'qemu_agent_running', detail: 'guest agent ping exit 255: QEMU guest agent is not running' }, line: 2, column: 12 },
        { messageId: 'notReady', data: { row: 'vm_running', detail: 'qm status failed (exit 2: Configuration file does not exist)' }, line: 2, column: 12 },
      ],
    },
    {
      name: 'tailscale: not JSON; cron and crond both inactive; the reachability command exits non-zero',
      files: FILES,
      observations: { ...READY, 'observability:tailscale_connected': exited(0, 'not json'), 'observability:cron': exited(3, 'inactive'), 'observability:ssh_reachability': exited(1, '', 'boom') },
      errors: [
        { messageId: 'notReady', data: { row: 'cron_running', detail: 'cron/crond service not active (cron: inactive, crond: inactive)' }, line: 3, column: 15 },
        { messageId: 'notReady', data: { row: 'ssh_reachability', detail: 'reachability command exit 1: boom' }, line: 3, column: 15 },
        { messageId: 'notReady', data: { row: 'tailscale_connected', detail: 'tailscale status --json did not print JSON' }, line: 3, column: 15 },
      ],
    },
    {
      name: 'tailscale binary missing',
      files: FILES,
      observations: { ...READY, 'observability:tailscale_connected': exited(127, '', 'tailscale: command not found') },
      errors: [{ messageId: 'notReady', data: { row: 'tailscale_connected', detail: 'tailscale not connected or binary missing (exit 127: tailscale: command not found)' }, line: 3, column: 15 }],
    },
    {
      name: "the VM's host key is unknown: every row on the VM fails with the reason",
      files: FILES,
      observations: {
        ...READY,
        ...Object.fromEntries(
          ['ssh_reachability', 'tailscale_connected', 'cron', 'crond'].map((r) => [`observability:${r}`, failed('host-key-unknown', 'host key of 10.0.0.5 is not in known_hosts')]),
        ),
      },
      errors: ['cron_running', 'ssh_reachability', 'tailscale_connected'].map((row) => ({
        messageId: 'notReady',
        data: { row, detail: 'host key of 10.0.0.5 is not in known_hosts' },
        line: 3,
        column: 15,
      })),
    },
    {
      name: 'a vmid with a space: the command table refuses the qm rows before anything connects',
      files: { ...FILES, 'infra.relocation.plan': PLAN.replace('vm_id: "205"', 'vm_id: "20 5"') },
      observations: {
        'observability:ssh_reachability': exited(0),
        'observability:tailscale_connected': READY['observability:tailscale_connected'],
        'observability:cron': exited(0, 'active'),
        'observability:crond': exited(0, 'active'),
      },
      errors: [
        {
          messageId: 'notReady',
          data: { vmid: '20 5', row: 'qemu_agent_running', detail: 'not probed: refused before connecting: command \'qm-agent-ping\': vmid must be digits only (got "20 5")' },
          line: 2,
          column: 12,
        },
        {
          messageId: 'notReady',
          data: { vmid: '20 5', row: 'vm_running', detail: 'not probed: refused before connecting: command \'qm-status\': vmid must be digits only (got "20 5")' },
          line: 2,
          column: 12,
        },
      ],
    },
    {
      name: 'no ssh.targets entry for the VM or its Proxmox host: unprobed, nothing planned',
      files: { ...FILES, 'ssh.targets': 'ssh:\n  targets:\n    - id: other\n      host: "10.0.0.9"\n' },
      plan: [],
      errors: [
        {
          messageId: 'unprobed',
          data: { vm: 'observability', rows: ['ssh_reachability', 'tailscale_connected', 'cron_running'], why: "no ssh.targets entry for 'observability'" },
          line: 3,
          column: 15,
        },
        { messageId: 'unprobed', data: { vm: 'observability', rows: ['vm_running', 'qemu_agent_running'], host: 'pve', why: "no ssh.targets entry for Proxmox host 'pve'" }, line: 4, column: 19 },
      ],
    },
  ],
});
