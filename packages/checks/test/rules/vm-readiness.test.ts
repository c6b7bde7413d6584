import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, ReplayExecutor, runLiveCheckOnFiles, type Diagnostic } from '@spine-lint/core';
import { defaultPaths } from '@spine-lint/checks';
import check from '../../src/rules/vm-readiness.js';
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

  const exec = () => new LiveExecutor({ allow: LOOPBACK_ONLY, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts });

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
      { line: 13, column: 12, messageId: 'notReady', vm: 'no-ssh', row: 'qemu_agent_running', detail: `not probed: refused before connecting: command 'qm-agent-ping': vmid must be digits only (got "20 8")` },
      { line: 13, column: 12, messageId: 'notReady', vm: 'no-ssh', row: 'vm_running', detail: `not probed: refused before connecting: command 'qm-status': vmid must be digits only (got "20 8")` },
      { line: 14, column: 15, messageId: 'unprobed', vm: 'no-ssh', row: undefined, detail: undefined },
    ]);
    expect(report.results[8]!.message).toBe("VM no-ssh: ssh_reachability, tailscale_connected, cron_running cannot be probed: no ssh.targets entry for 'no-ssh'");
    expect(report.results[2]!.message).toBe('VM dead-vm (vmid 206): vm_running failed: qm status=stopped');
    // observability passes vm_running, qemu_agent_running, ssh_reachability and cron (crond active).
    expect(report.results.filter((r) => r.data.vm === 'observability')).toHaveLength(1);
    // Replay gives the same findings.
    const replay = await runLiveCheckOnFiles(check, { files: all, paths: defaultPaths, executor: new ReplayExecutor({ format: 'spine-lint-probe-recording', version: 1, recordedAt: '', observations: report.observations }) });
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
