import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AddressPolicy, parseCidr, parseKnownHosts, parseProbeSettings, redactUrl, shellQuote, verifyHostKey, UsageError } from '@spine-lint/core';

describe('address policy', () => {
  it('parses IPv4/IPv6 CIDRs and bare addresses', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8 });
    expect(parseCidr('::1')).toMatchObject({ family: 6, prefix: 128 });
    expect(() => parseCidr('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => parseCidr('example.com')).toThrow(/not an IP/);
  });
  it('default: everything but link-local', () => {
    const p = new AddressPolicy();
    expect(p.check('192.168.1.205')).toBeUndefined();
    expect(p.check('100.120.163.70')).toBeUndefined();
    expect(p.check('169.254.169.254')).toMatch(/link-local/);
    expect(p.check('fe80::1')).toMatch(/link-local/);
    expect(p.check('::ffff:169.254.1.1')).toMatch(/link-local/);
  });
  it('explicit allow list: only those ranges', () => {
    const p = new AddressPolicy(['127.0.0.0/8', '::1']);
    expect(p.check('127.0.0.1')).toBeUndefined();
    expect(p.check('127.255.0.9')).toBeUndefined();
    expect(p.check('::1')).toBeUndefined();
    expect(p.check('::ffff:127.0.0.1')).toBeUndefined();
    expect(p.check('128.0.0.1')).toMatch(/outside the allowed ranges \(127\.0\.0\.0\/8, ::1\)/);
    expect(p.check('::2')).toMatch(/outside/);
    expect(p.check('192.168.1.1')).toMatch(/outside/);
  });
});

// The generic command mechanism is tested in commands.test.ts; the spine's table in packages/checks/test/commands.test.ts.
describe('command allowlist', () => {
  it('shellQuote survives embedded quotes (checked by a real shell)', () => {
    const nasty = `a'b"c $(x) \`y\` \\ z`;
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(nasty)}`], { encoding: 'utf8' })).toBe(nasty);
  });
});

describe('known_hosts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spine-lint-kh-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'a')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'b')]);
  const pub = (n: string): { line: string; raw: Buffer } => {
    const [type, b64] = readFileSync(join(dir, `${n}.pub`), 'utf8')
      .trim()
      .split(/\s+/);
    return { line: `${type} ${b64}`, raw: Buffer.from(b64!, 'base64') };
  };
  const a = pub('a');
  const b = pub('b');

  it('plain entries: host and [host]:port forms, lists and wildcards', () => {
    const entries = parseKnownHosts(`# comment\nobservability,192.168.1.205 ${a.line}\n[127.0.0.1]:2222 ${a.line}\n*.lan ${b.line}\n`);
    expect(verifyHostKey(entries, '192.168.1.205', 22, a.raw)).toEqual({ status: 'known', line: 2 });
    expect(verifyHostKey(entries, '127.0.0.1', 2222, a.raw)).toEqual({ status: 'known', line: 3 });
    expect(verifyHostKey(entries, '127.0.0.1', 22, a.raw)).toEqual({ status: 'unknown' });
    expect(verifyHostKey(entries, 'pve.lan', 22, b.raw)).toEqual({ status: 'known', line: 4 });
    expect(verifyHostKey(entries, 'observability', 22, b.raw)).toEqual({ status: 'mismatch', lines: [2] });
  });

  it('hashed entries written by ssh-keygen -H', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `[127.0.0.1]:2222 ${a.line}\npve ${b.line}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\|1\|/m);
    expect(text).not.toContain('pve');
    const entries = parseKnownHosts(text);
    expect(verifyHostKey(entries, '127.0.0.1', 2222, a.raw).status).toBe('known');
    expect(verifyHostKey(entries, 'pve', 22, b.raw).status).toBe('known');
    expect(verifyHostKey(entries, 'pve', 22, a.raw).status).toBe('mismatch');
    expect(verifyHostKey(entries, 'other', 22, a.raw).status).toBe('unknown');
  });

  it('@revoked keys are refused', () => {
    const entries = parseKnownHosts(`@revoked * ${a.line}\npve ${a.line}\n`);
    expect(verifyHostKey(entries, 'pve', 22, a.raw)).toEqual({ status: 'revoked', line: 1 });
  });

  it('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});

describe('probe settings and redaction', () => {
  it('validates probes: config', () => {
    expect(parseProbeSettings({ allow: ['127.0.0.0/8', '::1'], concurrency: 4, timeout: 2.5, retries: 1, acceptNew: true })).toEqual({
      allow: ['127.0.0.0/8', '::1'],
      concurrency: 4,
      timeout: 2.5,
      retries: 1,
      acceptNew: true,
    });
    expect(parseProbeSettings({ allow: '10.0.0.0/8,127.0.0.1' }).allow).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => parseProbeSettings({ allow: ['nope'] })).toThrow(UsageError);
    expect(() => parseProbeSettings({ concurrency: 0 })).toThrow(/probes.concurrency/);
    expect(parseProbeSettings({ concurrency: 64, sshConcurrency: 16 })).toEqual({ concurrency: 64, sshConcurrency: 16 });
    expect(() => parseProbeSettings({ sshConcurrency: 0 })).toThrow(/probes.sshConcurrency must be a whole number ≥ 1/);
    expect(() => parseProbeSettings({ sshConcurrency: 2.5 })).toThrow(/probes.sshConcurrency/);
    expect(() => parseProbeSettings({ bogus: 1 })).toThrow(/not a probe setting/);
  });
  it('redacts URL credentials', () => {
    expect(redactUrl('http://u:p@h:1/x')).toBe('http://***:***@h:1/x');
    expect(redactUrl('http://h/x')).toBe('http://h/x');
  });
});
