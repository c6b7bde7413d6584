import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, runLiveCheckOnFiles, type Diagnostic, MemorySource, Workspace } from '@spine-lint/core';
import { defaultPaths, remoteCommands } from '@spine-lint/checks';
import check, { requiredHosts } from '../../src/rules/relocation-preflight.js';
import { exited, failed, liveTester } from '../support/liveTester.js';
import { LOOPBACK_ONLY } from '../../../core/test/probe/servers.js';
import { freePort, sshdUnavailableReason, startSshd, type SshdHandle } from '../../../../test/support/sshd/sshd.js';

const unavailable = sshdUnavailableReason();
if (unavailable) console.warn(`\n!!!!! SKIPPING relocation-preflight live tests: ${unavailable} !!!!!\n`);

const plan = [
  'vm_targets:', // 1
  '  - vm_id: "204"', // 2
  '    hostname: "infra-core"', // 3
  '    status: "ready"', // 4
  '  - vm_id: "214"', // 5
  '    hostname: "comms"', // 6
  '    status: "planned"', // 7
  'services:', // 8
  '  - service: "vaultwarden"', // 9
  '    from_host: "proxmox-home"', // 10
  '    to_host: "infra-core"', // 11
  '    rollback_to: "proxmox-home"', // 12
  '    status: "cutover"', // 13
  '  - service: "grafana"', // 14
  '    from_host: null', // 15
  '    to_host: "observability"', // 16
  '    status: "migrated"', // 17
  '  - service: "loki"', // 18
  '    from_host: "old-box"', // 19
  '    to_host: "observability"', // 20
  '    status: "applied"', // 21
  '',
].join('\n');

describe('required-host registry (spec §2.5)', () => {
  it('required by VM status and service status/role; new/null ignored', () => {
    const ws = new Workspace(new MemorySource({ 'ops/bindings/infra.relocation.plan.yaml': plan }), { paths: defaultPaths });
    expect(requiredHosts(ws).map((h) => [h.host, h.required, h.reasons.join(',')])).toEqual([
      ['comms', false, 'vm:planned'],
      ['infra-core', true, 'vm:ready,service:vaultwarden:to:cutover'],
      ['observability', true, 'service:grafana:to:migrated,service:loki:to:applied'],
      ['old-box', false, 'service:loki:from:applied'],
      ['proxmox-home', true, 'service:vaultwarden:from:cutover,service:vaultwarden:rollback:cutover'],
    ]);
  });
});

describe.skipIf(Boolean(unavailable))('relocation-preflight against a real sshd', () => {
  let sshd: SshdHandle;
  let closed: number;
  beforeAll(async () => {
    sshd = await startSshd();
    closed = await freePort();
  });
  afterAll(async () => sshd?.stop());

  it('reachable, unreachable (required: error, optional: warning), missing ssh target', async () => {
    const files = {
      'ops/bindings/infra.relocation.plan.yaml': plan,
      'ops/bindings/ssh.targets.yaml': [
        'ssh:',
        '  defaults:',
        `    user: ${sshd.user}`,
        `    port: ${sshd.port}`,
        '  targets:',
        '    - id: infra-core',
        '      host: "127.0.0.1"',
        '    - id: observability',
        '      host: "127.0.0.1"',
        '    - id: proxmox-home',
        '      host: "127.0.0.1"',
        `      port: ${closed}`,
        '    - id: old-box',
        '      host: "127.0.0.1"',
        `      port: ${closed}`,
        '',
      ].join('\n'),
    };
    const report = await runLiveCheckOnFiles(check, {
      files,
      paths: defaultPaths,
      executor: new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts }),
    });
    expect(report.results.map((d: Diagnostic) => ({ line: d.line, column: d.column, severity: d.severity, messageId: d.messageId, host: d.data.host }))).toEqual([
      { line: 6, column: 15, severity: 'warning', messageId: 'missingTarget', host: 'comms' },
      { line: 10, column: 16, severity: 'error', messageId: 'unreachable', host: 'proxmox-home' },
      { line: 19, column: 16, severity: 'warning', messageId: 'unreachable', host: 'old-box' },
    ]);
    expect(report.results[1]!.message).toBe(
      `proxmox-home (${sshd.user}@127.0.0.1): UNREACHABLE (required; reasons=service:vaultwarden:from:cutover,service:vaultwarden:rollback:cutover): connection refused`,
    );
    expect(report.summary).toMatchObject({ errors: 1, warnings: 2 });
  });
});

// ---------------------------------------------------------------------------------------------
// Table: no network, no sshd. Observations by probe id (`reach:<host>`): the allowlisted `true`.
// ---------------------------------------------------------------------------------------------

const TARGETS = [
  'ssh:',
  '  defaults:',
  '    user: ops',
  '  targets:',
  '    - id: infra-core',
  '      host: "10.0.0.4"',
  '    - id: observability',
  '      host: "10.0.0.5"',
  '    - id: proxmox-home',
  '      host: "10.0.0.1"',
  '      user: root',
  '    - id: old-box',
  '      host: "10.0.0.9"',
  '',
].join('\n');
const WITH_COMMS = TARGETS + '    - id: comms\n      host: "10.0.0.14"\n';
const FILES = { 'infra.relocation.plan': plan, 'ssh.targets': TARGETS };
const HOSTS = ['infra-core', 'observability', 'old-box', 'proxmox-home'];
const ALL_UP = Object.fromEntries(HOSTS.map((h) => [`reach:${h}`, exited(0)]));

liveTester(check, {
  valid: [
    {
      name: 'every host the manifest names answers',
      files: { ...FILES, 'ssh.targets': WITH_COMMS },
      observations: { ...ALL_UP, 'reach:comms': exited(0) },
      plan: ['reach:comms', ...HOSTS.map((h) => `reach:${h}`)],
    },
  ],
  invalid: [
    {
      name: 'an optional host without an ssh.targets entry: a warning at the field that names it',
      files: FILES,
      observations: ALL_UP,
      plan: HOSTS.map((h) => `reach:${h}`),
      errors: [{ messageId: 'missingTarget', data: { host: 'comms', requirement: 'optional in current state', reasons: 'vm:planned' }, severity: 'warning', line: 6, column: 15 }],
    },
    {
      name: 'unreachable: a required host is an error, an optional one a warning; at the field that makes it required',
      files: { ...FILES, 'ssh.targets': WITH_COMMS },
      observations: {
        ...ALL_UP,
        'reach:comms': exited(0),
        'reach:proxmox-home': failed('refused', 'connection refused (10.0.0.1:22)'),
        'reach:old-box': failed('timeout', 'connect timeout after 6000 ms'),
      },
      errors: [
        {
          messageId: 'unreachable',
          data: {
            host: 'proxmox-home',
            user: 'root',
            address: '10.0.0.1',
            requirement: 'required',
            reasons: 'service:vaultwarden:from:cutover,service:vaultwarden:rollback:cutover',
            detail: 'connection refused',
          },
          severity: 'error',
          line: 10,
          column: 16,
        },
        {
          messageId: 'unreachable',
          data: { host: 'old-box', user: 'ops', requirement: 'optional in current state', detail: 'timeout (connect timeout after 6000 ms)' },
          severity: 'warning',
          line: 19,
          column: 16,
        },
      ],
    },
    {
      name: 'a missing observation stays missing for exactly its host (observability); the next host is judged on its own answer',
      files: { ...FILES, 'ssh.targets': WITH_COMMS },
      observations: { 'reach:comms': exited(0), 'reach:infra-core': exited(0), 'reach:old-box': exited(0), 'reach:proxmox-home': exited(255, '', 'Permission denied (publickey)') },
      errors: [
        { messageId: 'unreachable', data: { host: 'proxmox-home', detail: 'exit 255: Permission denied (publickey)' }, line: 10, column: 16 },
        { messageId: 'unreachable', data: { host: 'observability', detail: 'no observation' }, line: 16, column: 14 },
      ],
    },
  ],
});
