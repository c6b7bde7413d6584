/**
 * The shared filesystem helpers (packages/core/src/safeFs.ts) and the readers and writers built on
 * them: every read opens once and is judged by fstat of the opened descriptor (a FIFO, /dev/zero,
 * a file swapped for either after a first look: refused, never a hang or an unbounded read); every
 * write goes through an exclusive temporary file with an unpredictable name and never through a
 * symbolic link; a path named by the repository stays inside the root.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendFileSafe,
  DirectorySource,
  FileAccessError,
  KnownHostsFile,
  loadBaseline,
  loadConfigFile,
  parseBaseline,
  readRecording,
  readRegularFile,
  runChecks,
  syntaxScan,
  UsageError,
  Workspace,
  writeBaseline,
  writeFileAtomic,
} from '@spine-lint/core';

const scratch = mkdtempSync(join(tmpdir(), 'spine-lint-safefs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => {
  const d = join(scratch, `case-${++counter}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const fifo = (path: string): string => (execFileSync('mkfifo', [path]), path);
/** What must never appear in a message: the content of a file outside the root. */
const SECRET = 'root:x:0:0:SECRET-TOKEN-0123';

describe('readRegularFile', () => {
  it('reads a regular file; missing is missing', () => {
    const d = fresh();
    writeFileSync(join(d, 'a.yaml'), 'a: 1\n');
    const r = readRegularFile(join(d, 'a.yaml'), 100);
    expect(r.status === 'ok' && r.bytes.toString()).toBe('a: 1\n');
    expect(readRegularFile(join(d, 'nope.yaml'), 100)).toEqual({ status: 'missing' });
    expect(readRegularFile(join(d, 'nope/x.yaml'), 100)).toEqual({ status: 'missing' });
  });

  it('a FIFO is refused at once (no writer: the old read hung forever)', () => {
    const d = fresh();
    const t0 = Date.now();
    expect(readRegularFile(fifo(join(d, 'pipe.yaml')), 1000)).toMatchObject({ status: 'refused', code: 'not-a-file', reason: 'it is a FIFO, not a regular file' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a link to /dev/zero is refused, not read without bound; a directory too', () => {
    const d = fresh();
    symlinkSync('/dev/zero', join(d, 'zero.yaml'));
    expect(readRegularFile(join(d, 'zero.yaml'), 1000)).toMatchObject({ status: 'refused', code: 'not-a-file', reason: 'it is a character device, not a regular file' });
    expect(readRegularFile('/dev/zero', 1000)).toMatchObject({ status: 'refused', code: 'not-a-file' });
    expect(readRegularFile(d, 1000)).toMatchObject({ status: 'refused', code: 'not-a-file', reason: 'it is a directory, not a regular file' });
  });

  it('over the bound: refused by size, not read', () => {
    const d = fresh();
    writeFileSync(join(d, 'big'), 'x'.repeat(2000));
    expect(readRegularFile(join(d, 'big'), 1000)).toMatchObject({ status: 'refused', code: 'too-large', size: 2000 });
    expect(readRegularFile(join(d, 'big'), 2000).status).toBe('ok');
  });

  it('followSymlinks: false refuses a link; insideRoot refuses a link leaving the root and follows one inside', () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(root);
    writeFileSync(join(d, 'secret'), SECRET);
    writeFileSync(join(root, 'in.yaml'), 'in: 1\n');
    symlinkSync('in.yaml', join(root, 'link-in.yaml'));
    symlinkSync('../secret', join(root, 'link-out.yaml'));
    expect(readRegularFile(join(root, 'link-in.yaml'), 100, { followSymlinks: false })).toMatchObject({ status: 'refused', code: 'symlink' });
    const inside = readRegularFile(join(root, 'link-in.yaml'), 100, { insideRoot: root });
    expect(inside.status === 'ok' && inside.bytes.toString()).toBe('in: 1\n');
    const out = readRegularFile(join(root, 'link-out.yaml'), 100, { insideRoot: root });
    expect(out).toMatchObject({ status: 'refused', code: 'outside-root', realPath: join(d, 'secret') });
    expect(JSON.stringify(out)).not.toContain('SECRET');
  });

  it('a file swapped for a FIFO or a /dev/zero link between checks and read: every read ends, refused or the real bytes (swapper running)', async () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(join(root, 'ops/bindings'), { recursive: true });
    const target = join(root, 'ops/bindings/x.yaml');
    const good = 'a: 1\n';
    writeFileSync(target, good);
    fifo(join(root, 'ops/bindings/pipe'));
    // A separate process swaps x.yaml (rename: atomic) between a regular file, a FIFO and links to
    // /dev/zero and to the FIFO, as fast as it can, while this process reads.
    const swapper = `
      const fs = require('fs'); const p = require('path');
      const dir = ${JSON.stringify(join(root, 'ops/bindings'))};
      const t = p.join(dir, 'x.yaml'); let i = 0;
      for (;;) {
        const k = i++ % 4; const tmp = p.join(dir, '.swap' + k);
        try {
          if (k === 0) fs.writeFileSync(tmp, ${JSON.stringify(good)});
          else if (k === 1) fs.symlinkSync('/dev/zero', tmp);
          else if (k === 2) fs.symlinkSync('pipe', tmp);
          else { require('child_process').execFileSync('mkfifo', [tmp]); }
          fs.renameSync(tmp, t);
          // The regular file stays a moment: the other states (a mkfifo process) last milliseconds.
          if (k === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        } catch {}
      }`;
    const child: ChildProcess = spawn(process.execPath, ['-e', swapper], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const source = new DirectorySource(root);
      const seen = new Set<string>();
      const t0 = Date.now();
      const bothSeen = (): boolean => seen.has('ok') && [...seen].some((s) => s === 'not-a-file' || s === 'outside-root');
      // At least 3000 reads, and on until both kinds of answer were seen (a loaded machine swaps slowly).
      for (let i = 0; i < 3000 || (!bothSeen() && Date.now() - t0 < 15_000); i++) {
        const r = source.read('ops/bindings/x.yaml', 1 << 20);
        if (r.status === 'ok') expect(Buffer.from(r.bytes).toString()).toBe(good);
        else if (r.status === 'refused') expect(['not-a-file', 'outside-root', 'unreadable']).toContain(r.code);
        seen.add(r.status === 'refused' ? r.code : r.status);
        const direct = readRegularFile(target, 1 << 20);
        if (direct.status === 'ok') expect(direct.bytes.toString()).toBe(good);
        seen.add(`direct:${direct.status === 'refused' ? direct.code : direct.status}`);
      }
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(seen.has('ok')).toBe(true);
      expect([...seen].some((s) => s === 'not-a-file' || s === 'outside-root')).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  }, 40_000);
});

describe('DirectorySource', () => {
  it('a FIFO binding and a link to /dev/zero are findings (not-a-file, outside-root), not a hang', () => {
    const d = fresh();
    mkdirSync(join(d, 'ops/bindings'), { recursive: true });
    writeFileSync(join(d, 'ops/bindings/good.yaml'), 'a: 1\n');
    fifo(join(d, 'ops/bindings/pipe-target'));
    symlinkSync('pipe-target', join(d, 'ops/bindings/fifo.yaml'));
    symlinkSync('/dev/zero', join(d, 'ops/bindings/zero.yaml'));
    const source = new DirectorySource(d);
    expect(source.read('ops/bindings/fifo.yaml', 1000)).toEqual({ status: 'refused', code: 'not-a-file', reason: "'ops/bindings/fifo.yaml' is not a regular file (it is a FIFO)." });
    expect(source.read('ops/bindings/zero.yaml', 1000)).toMatchObject({ status: 'refused', code: 'outside-root' });
    const report = runChecks({ workspace: new Workspace(source, { maxFileBytes: 1000 }), checks: [], producers: [syntaxScan(['ops/bindings'])] });
    expect(report.results.map((r) => `${r.file} ${String(r.data.code)}`).sort()).toEqual(['ops/bindings/fifo.yaml not-a-file', 'ops/bindings/zero.yaml outside-root']);
  });
});

describe('the config, baseline, recording and known_hosts readers', () => {
  it('config: a FIFO, a link to /dev/zero and (found in the repository) a link leaving the root are usage errors', () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(root);
    const t0 = Date.now();
    expect(() => loadConfigFile(fifo(join(root, 'fifo.yaml')))).toThrow(/cannot read config file .*fifo\.yaml: it is a FIFO, not a regular file/);
    symlinkSync('/dev/zero', join(root, 'zero.yaml'));
    expect(() => loadConfigFile(join(root, 'zero.yaml'))).toThrow(/it is a character device, not a regular file/);
    expect(Date.now() - t0).toBeLessThan(2000);
    writeFileSync(join(d, 'outside.yaml'), `${SECRET}: 1\n`);
    symlinkSync('../outside.yaml', join(root, '.spine-lint.yaml'));
    let message = '';
    try {
      loadConfigFile(join(root, '.spine-lint.yaml'), { insideRoot: root });
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/outside the root/);
    expect(message).not.toContain('SECRET');
    // Named on the command line (no insideRoot), the same file is read.
    expect(() => loadConfigFile(join(root, '.spine-lint.yaml'))).toThrow(/unknown config key/);
  });

  it('baseline: outside the root refused (config), not-JSON content never quoted, a FIFO refused', () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(root);
    writeFileSync(join(d, 'secret'), SECRET + '\n');
    const messageOf = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      return 'no error';
    };
    const outside = messageOf(() => loadBaseline(join(root, '../secret'), false, { insideRoot: root }));
    expect(outside).toMatch(/cannot read baseline .*: it resolves to .*secret, outside the root/);
    // Named on the command line it is read, but the error does not quote it (JSON.parse's message did).
    for (const m of [
      outside,
      messageOf(() => loadBaseline(join(d, 'secret'))),
      messageOf(() => parseBaseline(SECRET, 'b.json')),
      messageOf(() => parseBaseline(JSON.stringify({ version: SECRET }), 'b.json')),
    ]) {
      expect(m).not.toContain('SECRET');
      expect(m).not.toContain('root:x');
    }
    expect(messageOf(() => loadBaseline(fifo(join(root, 'b.json'))))).toMatch(/cannot read baseline .*: it is a FIFO, not a regular file/);
    expect(messageOf(() => loadBaseline(root))).toMatch(/cannot read baseline .*: it is a directory, not a regular file/);
  });

  it('recording: a FIFO and a link to /dev/zero refused; invalid JSON not quoted', () => {
    const d = fresh();
    expect(() => readRecording(fifo(join(d, 'rec.json')))).toThrow(/cannot read recording .*: it is a FIFO/);
    symlinkSync('/dev/zero', join(d, 'zero.json'));
    expect(() => readRecording(join(d, 'zero.json'))).toThrow(/character device/);
    writeFileSync(join(d, 'secret.json'), SECRET);
    expect(() => readRecording(join(d, 'secret.json'))).toThrow(/^cannot read recording .*secret\.json: not valid JSON$/);
  });
});

describe('writeFileAtomic', () => {
  it('writes through an exclusive temporary file: nothing else is left in the directory, the mode of an existing file is kept', () => {
    const d = fresh();
    writeFileAtomic(join(d, 'out.json'), 'one');
    expect(readFileSync(join(d, 'out.json'), 'utf8')).toBe('one');
    chmodSync(join(d, 'out.json'), 0o640);
    writeFileAtomic(join(d, 'out.json'), 'two');
    expect(readFileSync(join(d, 'out.json'), 'utf8')).toBe('two');
    expect(statSync(join(d, 'out.json')).mode & 0o777).toBe(0o640);
    expect(readdirSync(d)).toEqual(['out.json']);
  });

  it('a symbolic link at the target is refused, never followed', () => {
    const d = fresh();
    writeFileSync(join(d, 'victim'), 'victim\n');
    symlinkSync(join(d, 'victim'), join(d, 'out.prom'));
    expect(() => writeFileAtomic(join(d, 'out.prom'), 'metrics')).toThrow(FileAccessError);
    expect(() => writeFileAtomic(join(d, 'out.prom'), 'metrics')).toThrow(/cannot write .*out\.prom: it is a symbolic link/);
    expect(readFileSync(join(d, 'victim'), 'utf8')).toBe('victim\n');
    expect(lstatSync(join(d, 'out.prom')).isSymbolicLink()).toBe(true);
  });

  it('links pre-placed at the old predictable temporary names (out.prom.tmp, <file>.<pid>.tmp) are not followed', () => {
    const d = fresh();
    writeFileSync(join(d, 'victim'), 'victim\n');
    symlinkSync(join(d, 'victim'), join(d, 'out.prom.tmp'));
    symlinkSync(join(d, 'victim'), join(d, `cache.json.${process.pid}.tmp`));
    writeFileAtomic(join(d, 'out.prom'), 'metrics\n');
    writeFileAtomic(join(d, 'cache.json'), '{}');
    expect(readFileSync(join(d, 'victim'), 'utf8')).toBe('victim\n');
    expect(readFileSync(join(d, 'out.prom'), 'utf8')).toBe('metrics\n');
    expect(readdirSync(d).sort()).toEqual(['cache.json', `cache.json.${process.pid}.tmp`, 'out.prom', 'out.prom.tmp', 'victim']);
  });

  it('insideRoot: a target outside the root, or whose directory links out of it, is refused; nothing is created outside', () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(root);
    mkdirSync(join(d, 'elsewhere'));
    symlinkSync('../elsewhere', join(root, 'linked-dir'));
    expect(() => writeFileAtomic(join(root, '../../x'), 'x', { insideRoot: root, mkdirParents: true })).toThrow(/outside the root/);
    expect(() => writeFileAtomic(join(root, '../new-dir/x'), 'x', { insideRoot: root, mkdirParents: true })).toThrow(/outside the root/);
    expect(existsSync(join(d, 'new-dir'))).toBe(false);
    expect(() => writeFileAtomic(join(root, 'linked-dir/b.json'), 'x', { insideRoot: root })).toThrow(/its directory resolves to .*elsewhere, outside the root/);
    expect(readdirSync(join(d, 'elsewhere'))).toEqual([]);
    writeFileAtomic(join(root, 'b.json'), 'ok', { insideRoot: root });
    expect(readFileSync(join(root, 'b.json'), 'utf8')).toBe('ok');
  });

  it('I/O errors are "cannot write <path>: <reason>" usage errors', () => {
    const d = fresh();
    mkdirSync(join(d, 'a-dir'));
    expect(() => writeFileAtomic(join(d, 'a-dir'), 'x')).toThrow(/^cannot write .*a-dir: it is a directory, not a regular file$/);
    expect(() => writeFileAtomic(join(d, 'missing/out.json'), 'x')).toThrow(/^cannot write .*missing\/out\.json: its directory .*missing does not exist$/);
    expect(() => writeFileAtomic(join(d, 'missing/out.json'), 'x')).toThrow(UsageError);
    expect(() => writeFileAtomic(fifo(join(d, 'p')), 'x')).toThrow(/it is a FIFO, not a regular file/);
  });

  it('devices: /dev/null is written in place, not replaced', () => {
    expect(() => writeFileAtomic('/dev/null', 'x', { devices: true })).not.toThrow();
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('writeBaseline: a committed link is refused; insideRoot keeps it in the root', () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(root);
    writeFileSync(join(d, 'x'), 'outside\n');
    symlinkSync('../x', join(root, '.spine-lint-baseline.json'));
    const empty = { version: 1 as const, files: {} };
    expect(() => writeBaseline(join(root, '.spine-lint-baseline.json'), empty)).toThrow(/cannot write baseline .*: it is a symbolic link/);
    expect(() => writeBaseline(join(root, '../x'), empty, { insideRoot: root })).toThrow(/cannot write baseline .*: it is outside the root/);
    expect(readFileSync(join(d, 'x'), 'utf8')).toBe('outside\n');
  });
});

describe('appendFileSafe and known_hosts (accept-new)', () => {
  const key = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);

  it('appends (adding a missing newline), creates the file 0600', () => {
    const d = fresh();
    const kh = new KnownHostsFile(join(d, 'ssh/known_hosts'));
    kh.add('127.0.0.1', 2222, key);
    expect(statSync(join(d, 'ssh/known_hosts')).mode & 0o777).toBe(0o600);
    expect(kh.verify('127.0.0.1', 2222, key)).toEqual({ status: 'known', line: 1 });
    writeFileSync(join(d, 'kh2'), '# no newline');
    const two = new KnownHostsFile(join(d, 'kh2'));
    two.add('host', 22, key);
    expect(readFileSync(join(d, 'kh2'), 'utf8')).toBe(`# no newline\nhost ssh-ed25519 ${key.toString('base64')}\n`);
    expect(two.verify('host', 22, key)).toEqual({ status: 'known', line: 2 });
  });

  it('a known_hosts named by the config outside the root is not written; a link is not written through', () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(root);
    writeFileSync(join(d, 'x'), 'outside\n');
    const fromConfig = new KnownHostsFile(join(root, '../x'), { insideRoot: root });
    expect(() => fromConfig.add('host', 22, key)).toThrow(/cannot write known_hosts .*: it is outside the root/);
    symlinkSync('../x', join(root, 'known_hosts'));
    expect(() => new KnownHostsFile(join(root, 'known_hosts'), { insideRoot: root }).add('host', 22, key)).toThrow(/its directory|symbolic link|outside the root/);
    expect(() => new KnownHostsFile(join(root, 'known_hosts')).add('host', 22, key)).toThrow(/cannot write known_hosts .*: it is a symbolic link/);
    expect(readFileSync(join(d, 'x'), 'utf8')).toBe('outside\n');
    // The user's own file (the default ~/.ssh/known_hosts) may be a link: followSymlinks.
    new KnownHostsFile(join(root, 'known_hosts'), { followSymlinks: true }).add('host', 22, key);
    expect(readFileSync(join(d, 'x'), 'utf8')).toMatch(/^outside\nhost ssh-ed25519 /);
  });

  it('a known_hosts in the root that is a hard link to a file outside it is not appended to (config-named)', () => {
    const d = fresh();
    const root = join(d, 'root');
    mkdirSync(root);
    writeFileSync(join(d, 'x'), 'outside\n');
    linkSync(join(d, 'x'), join(root, 'known_hosts'));
    expect(() => new KnownHostsFile(join(root, 'known_hosts'), { insideRoot: root }).add('host', 22, key)).toThrow(/cannot write known_hosts .*: it has 1 other hard link/);
    expect(readFileSync(join(d, 'x'), 'utf8')).toBe('outside\n');
  });

  it('a FIFO or /dev/zero as known_hosts: a usage error, not a hang', () => {
    const d = fresh();
    expect(() => new KnownHostsFile(fifo(join(d, 'kh')))).toThrow(/cannot read known_hosts .*: it is a FIFO/);
    expect(() => appendFileSafe(join(d, 'kh'), () => 'x', { followSymlinks: true })).toThrow(/it is a FIFO, not a regular file/);
    symlinkSync('/dev/zero', join(d, 'zero'));
    expect(() => new KnownHostsFile(join(d, 'zero'))).toThrow(/character device/);
  });
});
