import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, runLiveCheckOnFiles, type Diagnostic } from '@spine-lint/core';
import { defaultPaths, remoteCommands } from '@spine-lint/checks';
import check from '../../src/rules/backup-freshness.js';
import { exited, failed, liveTester } from '../support/liveTester.js';
import { LOOPBACK_ONLY } from '../../../core/test/probe/servers.js';
import { sshdUnavailableReason, startSshd, type SshdHandle } from '../../../../test/support/sshd/sshd.js';

const unavailable = sshdUnavailableReason();
if (unavailable) console.warn(`\n!!!!! SKIPPING backup-freshness live tests: ${unavailable} !!!!!\n`);

const brief = (d: Diagnostic) => ({ line: d.line, column: d.column, messageId: d.messageId, backup: d.data.backup });
const NOW = new Date('2026-03-05T12:00:00Z');
const hoursAgo = (h: number): number => Math.floor(NOW.getTime() / 1000) - h * 3600;

describe.skipIf(Boolean(unavailable))('backup-freshness against a real sshd and real files', () => {
  let sshd: SshdHandle;
  let dump: string;
  beforeAll(async () => {
    sshd = await startSshd();
    dump = mkdtempSync(join(tmpdir(), 'spine-lint-dump-'));
    const touch = (name: string, ageH: number): void => {
      mkdirSync(join(dump, name, '..'), { recursive: true });
      writeFileSync(join(dump, name), 'x');
      utimesSync(join(dump, name), hoursAgo(ageH), hoursAgo(ageH));
    };
    touch('vzdump-qemu-205-old.vma.zst', 50);
    touch('vzdump-qemu-205-new.vma.zst', 3); // fresh
    touch('vzdump-qemu-204-a.vma.zst', 27.5); // floor(27.5) = 27 > 26: stale
    touch('vzdump-qemu-203-a.vma.zst', 26.9); // floor = 26, not > 26: fresh (backup.status semantics)
    touch('app/run-1/manifest.txt', 200);
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(dump, { recursive: true, force: true });
  });

  it('stale, fresh, boundary, no match, missing path, unknown host, disabled', async () => {
    const files = {
      'ops/bindings/ssh.targets.yaml': `ssh:\n  defaults:\n    user: ${sshd.user}\n    port: ${sshd.port}\n  targets:\n    - id: pve\n      host: "127.0.0.1"\n`,
      'ops/bindings/backup.inventory.yaml': [
        'defaults:', // 1
        '  stale_after_hours: 26', // 2
        'targets:', // 3
        '  - name: vm-205-primary', // 4
        '    enabled: true', // 5
        '    kind: file_glob', // 6
        '    host: pve', // 7
        `    base_path: "${dump}"`, // 8
        '    glob: "vzdump-qemu-205-*.vma.zst"', // 9
        '  - name: vm-204-primary', // 10
        '    enabled: true', // 11
        '    kind: file_glob', // 12
        '    host: pve', // 13
        `    base_path: "${dump}"`, // 14
        '    glob: "vzdump-qemu-204-*.vma.zst"', // 15
        '    stale_after_hours: 26', // 16
        '  - name: vm-203-primary', // 17
        '    enabled: true', // 18
        '    kind: file_glob', // 19
        '    host: pve', // 20
        `    base_path: "${dump}"`, // 21
        '    glob: "vzdump-qemu-203-*.vma.zst"', // 22
        '  - name: vm-202-primary', // 23
        '    enabled: true', // 24
        '    kind: file_glob', // 25
        '    host: pve', // 26
        `    base_path: "${dump}"`, // 27
        '    glob: "vzdump-qemu-202-*.vma.zst"', // 28
        '  - name: offsite', // 29
        '    enabled: true', // 30
        '    kind: file_glob', // 31
        '    host: pve', // 32
        `    base_path: "${dump}/not-mounted"`, // 33
        '    glob: "*.zst"', // 34
        '  - name: app-manifests', // 35
        '    enabled: true', // 36
        '    kind: file_glob', // 37
        '    host: pve', // 38
        `    base_path: "${dump}/app"`, // 39
        '    glob: "*/manifest.txt"', // 40
        '    stale_after_hours: 192', // 41
        '  - name: nas-thing', // 42
        '    enabled: true', // 43
        '    kind: file_glob', // 44
        '    host: nas', // 45
        '    base_path: "/volume1"', // 46
        '    glob: "*"', // 47
        '  - name: disabled', // 48
        '    enabled: false', // 49
        '    kind: file_glob', // 50
        '    host: pve', // 51
        '    base_path: "/nope"', // 52
        '    glob: "*"', // 53
        '',
      ].join('\n'),
    };
    const report = await runLiveCheckOnFiles(check, {
      files,
      paths: defaultPaths,
      now: NOW,
      executor: new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts }),
    });
    expect(report.results.map(brief)).toEqual([
      { line: 16, column: 24, messageId: 'stale', backup: 'vm-204-primary' },
      { line: 28, column: 11, messageId: 'noMatches', backup: 'vm-202-primary' },
      { line: 33, column: 16, messageId: 'pathMissing', backup: 'offsite' },
      { line: 41, column: 24, messageId: 'stale', backup: 'app-manifests' },
      { line: 45, column: 11, messageId: 'unresolved', backup: 'nas-thing' },
    ]);
    expect(report.results[0]!.message).toBe(`backup vm-204-primary on pve: newest ${dump}/vzdump-qemu-204-a.vma.zst is 27 h old, older than stale_after_hours 26`);
    expect(report.results[4]!.message).toBe("backup nas-thing: cannot be probed: host 'nas' is not an ssh.targets id (unknown_host_binding)");
    expect(report.probes).toHaveLength(6);
  });
});

// ---------------------------------------------------------------------------------------------
// Table: no network, no sshd. Observations by probe id (`backup:<name>`): what the allowlisted
// `find … -printf '%T@ %p'` printed, judged against `now`.
// ---------------------------------------------------------------------------------------------

const SSH = 'ssh:\n  targets:\n    - id: pve\n      host: "10.0.0.1"\n';
const INVENTORY = [
  'defaults:', // 1
  '  stale_after_hours: 26', // 2
  'targets:', // 3
  '  - name: vm-205', // 4
  '    enabled: true', // 5
  '    kind: file_glob', // 6
  '    host: pve', // 7
  '    base_path: "/tank/dump"', // 8
  '    glob: "vzdump-qemu-205-*.vma.zst"', // 9
  '  - name: app', // 10
  '    enabled: true', // 11
  '    kind: file_glob', // 12
  '    host: pve', // 13
  '    base_path: "/tank/app"', // 14
  '    glob: "*/manifest.txt"', // 15
  '    stale_after_hours: 192', // 16
  '  - name: disabled', // 17
  '    enabled: false', // 18
  '    kind: file_glob', // 19
  '    host: pve', // 20
  '    base_path: "/nope"', // 21
  '    glob: "*"', // 22
  '',
].join('\n');
const FILES = { 'ssh.targets': SSH, 'backup.inventory': INVENTORY };
const newest = (ageHours: number, path: string) => exited(0, `${hoursAgo(ageHours)}.5270000000 ${path}\n`);
const FRESH = { 'backup:vm-205': newest(3, '/tank/dump/vzdump-qemu-205-new.vma.zst'), 'backup:app': newest(100, '/tank/app/run-1/manifest.txt') };

liveTester(check, {
  valid: [
    { name: 'every enabled file_glob target is fresh (disabled ones are not planned)', files: FILES, now: NOW, observations: FRESH, plan: ['backup:vm-205', 'backup:app'] },
    { name: 'the boundary: 26.9 h is floor 26, not over 26 (backup.status semantics)', files: FILES, now: NOW, observations: { ...FRESH, 'backup:vm-205': newest(26.9, '/tank/dump/a.vma.zst') } },
    { name: 'a path with spaces after the epoch', files: FILES, now: NOW, observations: { ...FRESH, 'backup:vm-205': exited(0, `${hoursAgo(1)} /tank/dump/with space.vma.zst`) } },
  ],
  invalid: [
    {
      name: 'stale against the default, at the name; stale against its own stale_after_hours, there',
      files: FILES,
      now: NOW,
      observations: { 'backup:vm-205': newest(27.5, '/tank/dump/vzdump-qemu-205-old.vma.zst'), 'backup:app': newest(200, '/tank/app/run-9/manifest.txt') },
      errors: [
        {
          messageId: 'stale',
          data: { backup: 'vm-205', host: 'pve', file: '/tank/dump/vzdump-qemu-205-old.vma.zst', ageHours: 27, staleAfterHours: 26 },
          line: 4,
          column: 11,
          endLine: 4,
          endColumn: 17,
        },
        { messageId: 'stale', data: { backup: 'app', ageHours: 200, staleAfterHours: 192 }, line: 16, column: 24 },
      ],
    },
    {
      name: 'the first target has no observation: only it fails; the second is judged on its own answer',
      files: FILES,
      now: NOW,
      observations: { 'backup:app': newest(500, '/tank/app/x/manifest.txt') },
      errors: [
        { messageId: 'probeFailed', data: { backup: 'vm-205', detail: 'no observation' }, line: 7, column: 11 },
        { messageId: 'stale', data: { backup: 'app', ageHours: 500 }, line: 16, column: 24 },
      ],
    },
    {
      name: 'no file matches (at glob); base_path does not exist (at base_path)',
      files: FILES,
      now: NOW,
      observations: { 'backup:vm-205': exited(0, ''), 'backup:app': exited(3, '', 'no such directory') },
      errors: [
        { messageId: 'noMatches', data: { backup: 'vm-205', glob: 'vzdump-qemu-205-*.vma.zst', basePath: '/tank/dump' }, line: 9, column: 11 },
        { messageId: 'pathMissing', data: { backup: 'app', basePath: '/tank/app' }, line: 14, column: 16 },
      ],
    },
    {
      name: 'the command fails, authentication is refused: at host',
      files: FILES,
      now: NOW,
      observations: { 'backup:vm-205': exited(1, '', 'find: Permission denied'), 'backup:app': failed('auth-failed', "authentication as 'root' refused (no identity and no SSH agent)") },
      errors: [
        { messageId: 'probeFailed', data: { backup: 'vm-205', detail: 'exit 1: find: Permission denied' }, line: 7, column: 11 },
        { messageId: 'probeFailed', data: { backup: 'app', detail: "authentication as 'root' refused (no identity and no SSH agent)" }, line: 13, column: 11 },
      ],
    },
    {
      name: 'a glob the command table refuses: not probed, the reason at host',
      files: { ...FILES, 'backup.inventory': INVENTORY.replace('glob: "*/manifest.txt"', 'glob: "-delete"') },
      now: NOW,
      observations: { 'backup:vm-205': FRESH['backup:vm-205'] },
      errors: [
        {
          messageId: 'probeFailed',
          data: { backup: 'app', detail: `not probed: refused before connecting: command 'newest-file': glob must be non-empty, relative and must not start with '-' (got "-delete")` },
          line: 13,
          column: 11,
        },
      ],
    },
    {
      name: 'a host that is no ssh.targets id: unresolved, not planned',
      files: { ...FILES, 'ssh.targets': 'ssh:\n  targets:\n    - id: nas\n      host: "10.0.0.2"\n' },
      now: NOW,
      plan: [],
      errors: [
        { messageId: 'unresolved', data: { backup: 'vm-205', why: "host 'pve' is not an ssh.targets id (unknown_host_binding)" }, line: 7, column: 11 },
        { messageId: 'unresolved', data: { backup: 'app' }, line: 13, column: 11 },
      ],
    },
  ],
});
