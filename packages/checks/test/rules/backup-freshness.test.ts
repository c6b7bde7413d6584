import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, runLiveCheckOnFiles, type Diagnostic } from '@spine-lint/core';
import { defaultPaths } from '@spine-lint/checks';
import check from '../../src/rules/backup-freshness.js';
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
    const report = await runLiveCheckOnFiles(check, { files, paths: defaultPaths, now: NOW, executor: new LiveExecutor({ allow: LOOPBACK_ONLY, identity: sshd.clientKey, knownHostsFile: sshd.knownHosts }) });
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
