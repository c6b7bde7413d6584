import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, runLiveCheckOnFiles, type Diagnostic } from '@spine-lint/core';
import { defaultPaths } from '@spine-lint/checks';
import check from '../../src/rules/compose-stacks-running.js';
import { LOOPBACK_ONLY } from '../../../core/test/probe/servers.js';
import { sshdUnavailableReason, startSshd, type SshdHandle } from '../../../../test/support/sshd/sshd.js';

const unavailable = sshdUnavailableReason();
if (unavailable) console.warn(`\n!!!!! SKIPPING compose-stacks-running live tests: ${unavailable} !!!!!\n`);

describe.skipIf(Boolean(unavailable))('compose-stacks-running against a real sshd with a stub docker', () => {
  let sshd: SshdHandle;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => sshd?.stop());

  it('missing, exited, retired-but-running, docker down; legacy_only and disabled skipped', async () => {
    sshd.clearState();
    sshd.setState(
      'compose.json',
      JSON.stringify([
        { Name: 'prometheus', Status: 'running(1)', ConfigFiles: '/opt/stacks/prometheus/docker-compose.yml' },
        { Name: 'grafana', Status: 'exited(1)', ConfigFiles: '/opt/stacks/grafana/docker-compose.yml' },
        { Name: 'old-dashboard', Status: 'running(2)', ConfigFiles: '/opt/stacks/old-dashboard/docker-compose.yml' },
        { Name: 'uptime-kuma', Status: 'running(1)', ConfigFiles: '/opt/stacks/kuma/docker-compose.yml' },
      ]),
    );
    const files = {
      'ops/bindings/ssh.targets.yaml': `ssh:\n  defaults:\n    user: ${sshd.user}\n    port: ${sshd.port}\n  targets:\n    - id: observability\n      host: "127.0.0.1"\n`,
      'ops/bindings/docker.compose.targets.yaml': [
        'targets:', // 1
        '  observability:', // 2
        '    ssh_target: observability', // 3
        '    stacks:', // 4
        '      - name: prometheus', // 5
        '        path: /opt/stacks/prometheus', // 6
        '      - name: grafana', // 7
        '        path: /opt/stacks/grafana', // 8
        '      - name: loki', // 9
        '        path: /opt/stacks/loki', // 10
        '      - name: kuma-stack', // 11
        '        path: /opt/stacks/uptime-kuma', // 12
        '      - name: mint-legacy', // 13
        '        path: /opt/stacks/mint', // 14
        '        legacy_only: true', // 15
        '  old-host:', // 16
        '    ssh_target: old-host', // 17
        '    enabled: false', // 18
        '  ghost:', // 19
        '    ssh_target: ghost', // 20
        '',
      ].join('\n'),
      'docs/governance/SERVICE_REGISTRY.yaml': ['services:', '  old-dashboard:', '    host: observability', '    status: retired', '  prometheus:', '    host: observability', '    status: active', ''].join('\n'),
    };
    const exec = new LiveExecutor({ allow: LOOPBACK_ONLY, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts });
    const report = await runLiveCheckOnFiles(check, { files, paths: defaultPaths, executor: exec });
    const brief = (d: Diagnostic) => ({ file: d.file, line: d.line, column: d.column, messageId: d.messageId, target: d.data.target });
    expect(report.results.map(brief)).toEqual([
      { file: 'docs/governance/SERVICE_REGISTRY.yaml', line: 4, column: 13, messageId: 'retiredRunning', target: 'observability' },
      { file: 'ops/bindings/docker.compose.targets.yaml', line: 7, column: 15, messageId: 'notRunning', target: 'observability' },
      { file: 'ops/bindings/docker.compose.targets.yaml', line: 9, column: 15, messageId: 'missing', target: 'observability' },
      { file: 'ops/bindings/docker.compose.targets.yaml', line: 20, column: 17, messageId: 'unprobed', target: 'ghost' },
    ]);
    expect(report.results[1]!.message).toBe('stack grafana on observability is not running (compose status: exited(1))');
    expect(report.results[2]!.message).toBe('stack loki on observability: no compose project named loki (running projects: prometheus, old-dashboard, uptime-kuma)');
    expect(report.results[0]!.message).toBe('service old-dashboard is retired in SERVICE_REGISTRY but its compose project still runs on observability (running(2))');

    sshd.clearState(); // docker daemon "down": the stub fails like docker does
    const down = await runLiveCheckOnFiles(check, { files, paths: defaultPaths, executor: exec, options: {} });
    expect(down.results.map(brief)[0]).toEqual({ file: 'ops/bindings/docker.compose.targets.yaml', line: 3, column: 17, messageId: 'probeFailed', target: 'observability' });
    expect(down.results[0]!.message).toContain('exit 1: Cannot connect to the Docker daemon');
  });
});
