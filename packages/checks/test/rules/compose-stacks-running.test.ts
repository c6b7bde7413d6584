import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, runLiveCheckOnFiles, type Diagnostic } from '@spine-lint/core';
import { defaultPaths, remoteCommands } from '@spine-lint/checks';
import check from '../../src/rules/compose-stacks-running.js';
import { exited, failed, liveTester } from '../support/liveTester.js';
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
      'docs/governance/SERVICE_REGISTRY.yaml': [
        'services:',
        '  old-dashboard:',
        '    host: observability',
        '    status: retired',
        '  prometheus:',
        '    host: observability',
        '    status: active',
        '',
      ].join('\n'),
    };
    const exec = new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts });
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

// ---------------------------------------------------------------------------------------------
// Table: no network, no sshd. Observations by probe id (`compose:<compose target id>`).
// ---------------------------------------------------------------------------------------------

const SSH = 'ssh:\n  targets:\n    - id: observability\n      host: "10.0.0.5"\n    - id: docker-host\n      host: "10.0.0.6"\n';
const COMPOSE = [
  'targets:', // 1
  '  observability:', // 2
  '    ssh_target: observability', // 3
  '    stacks:', // 4
  '      - name: prometheus', // 5
  '        path: /opt/stacks/prometheus', // 6
  '      - name: kuma-stack', // 7
  '        path: /opt/stacks/uptime-kuma', // 8
  '      - name: mint-legacy', // 9
  '        path: /opt/stacks/mint', // 10
  '        legacy_only: true', // 11
  '  docker-host:', // 12
  '    ssh_target: docker-host', // 13
  '    stacks:', // 14
  '      - name: immich', // 15
  '  old-host:', // 16
  '    ssh_target: old-host', // 17
  '    enabled: false', // 18
  '',
].join('\n');
const REGISTRY = ['services:', '  old-dashboard:', '    host: observability', '    status: retired', '  prometheus:', '    host: observability', '    status: active', ''].join('\n');
const FILES = { 'ssh.targets': SSH, 'docker.compose.targets': COMPOSE, SERVICE_REGISTRY: REGISTRY };
const projects = (...list: [name: string, status: string][]): string => JSON.stringify(list.map(([Name, Status]) => ({ Name, Status, ConfigFiles: `/opt/stacks/${Name}/docker-compose.yml` })));
const UP = {
  'compose:observability': exited(0, projects(['prometheus', 'running(3)'], ['uptime-kuma', 'running(1)'], ['old-dashboard', 'exited(0)'])),
  'compose:docker-host': exited(0, projects(['Immich', 'running(4)'])),
};

liveTester(check, {
  valid: [
    { name: 'every stack runs (by name or path basename, any case); legacy_only and disabled targets skipped', files: FILES, observations: UP, plan: ['compose:observability', 'compose:docker-host'] },
    {
      name: 'a retired service whose project has exited is fine',
      files: FILES,
      observations: { ...UP, 'compose:observability': exited(0, projects(['prometheus', 'running(1)'], ['kuma-stack', 'running(1)'], ['old-dashboard', 'exited(1)'])) },
    },
  ],
  invalid: [
    {
      name: 'a missing stack and an exited one, at the stack name',
      files: FILES,
      observations: { ...UP, 'compose:observability': exited(0, projects(['prometheus', 'exited(1)'])) },
      errors: [
        { messageId: 'notRunning', data: { stack: 'prometheus', host: 'observability', status: 'exited(1)' }, line: 5, column: 15, file: 'ops/bindings/docker.compose.targets.yaml' },
        { messageId: 'missing', data: { stack: 'kuma-stack', host: 'observability', project: 'kuma-stack or uptime-kuma', running: 'none' }, line: 7, column: 15 },
      ],
    },
    {
      name: 'a service SERVICE_REGISTRY calls retired still runs: at its status there',
      files: FILES,
      observations: { ...UP, 'compose:observability': exited(0, projects(['prometheus', 'running(1)'], ['uptime-kuma', 'running(1)'], ['old-dashboard', 'running(2)'])) },
      errors: [
        {
          messageId: 'retiredRunning',
          data: { service: 'old-dashboard', registryStatus: 'retired', host: 'observability', status: 'running(2)' },
          line: 4,
          column: 13,
          file: 'docs/governance/SERVICE_REGISTRY.yaml',
        },
      ],
    },
    {
      name: 'the first host has no observation: only it fails; the second host is judged on its own answer',
      files: FILES,
      observations: { 'compose:docker-host': exited(0, projects(['other', 'running(1)'])) },
      errors: [
        { messageId: 'probeFailed', data: { host: 'observability', detail: 'no observation' }, line: 3, column: 17 },
        { messageId: 'missing', data: { stack: 'immich', host: 'docker-host', running: 'other' }, line: 15, column: 15 },
      ],
    },
    {
      name: 'docker down, output that is not a JSON list, a timeout: at ssh_target',
      files: FILES,
      observations: { 'compose:observability': exited(1, '', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock'), 'compose:docker-host': exited(0, '{"not":"a list"}') },
      errors: [
        { messageId: 'probeFailed', data: { host: 'observability', detail: 'exit 1: Cannot connect to the Docker daemon at unix:///var/run/docker.sock' }, line: 3, column: 17 },
        { messageId: 'probeFailed', data: { host: 'docker-host', detail: 'output is not a JSON list' }, line: 13, column: 17 },
      ],
    },
    {
      name: 'a command timeout',
      files: FILES,
      observations: { ...UP, 'compose:docker-host': failed('timeout', 'command timed out after 15000 ms') },
      errors: [{ messageId: 'probeFailed', data: { host: 'docker-host', detail: 'timeout (command timed out after 15000 ms)' }, line: 13, column: 17 }],
    },
    {
      name: 'no ssh_target, or one ssh.targets does not have: unprobed, not planned',
      files: { ...FILES, 'docker.compose.targets': 'targets:\n  ghost:\n    ssh_target: ghost\n    stacks:\n      - name: a\n  bare:\n    stacks:\n      - name: b\n' },
      plan: [],
      errors: [
        { messageId: 'unprobed', data: { host: 'ghost', why: "ssh target 'ghost' missing in ssh.targets" }, line: 3, column: 17 },
        { messageId: 'unprobed', data: { host: 'bare', why: "target 'bare' has no ssh_target" }, line: 7, column: 5 },
      ],
    },
  ],
});
