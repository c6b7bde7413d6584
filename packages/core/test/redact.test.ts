import { describe, expect, it } from 'vitest';
import { REDACTED, redactCredentials, redactData, redactText, redactUrl } from '@spine-lint/core';

describe('redactCredentials / redactUrl (the one credential redaction of every output)', () => {
  it('replaces the user and password of every URL-looking substring with ***, keeping the rest as written', () => {
    expect(REDACTED).toBe('***');
    expect(redactCredentials('http://admin:hunter2@127.0.0.1:1/x')).toBe('http://***:***@127.0.0.1:1/x');
    expect(redactCredentials('ftp://user:S3cret@127.0.2.205:3000/api/health')).toBe('ftp://***:***@127.0.2.205:3000/api/health');
    expect(redactCredentials("url 'ftp://user:S3cret@127.0.2.205:3000/api/health' is not")).toBe("url 'ftp://***:***@127.0.2.205:3000/api/health' is not");
    expect(redactCredentials('x http://u:p@h, https://v:q@k/y and HTTP://U:P@H')).toBe('x http://***:***@h, https://***:***@k/y and HTTP://***:***@H');
    expect(redactCredentials('http://token@h/')).toBe('http://***@h/');
    expect(redactCredentials('http://:pw@h')).toBe('http://:***@h');
    // A URL that does not parse (undecodable user), bare `//`, an unknown scheme.
    expect(redactCredentials('http://%ff@127.0.0.1:18080/x')).toBe('http://***@127.0.0.1:18080/x');
    expect(redactCredentials('//u:p@h/x and a //v:q@k')).toBe('//***:***@h/x and a //***:***@k');
    expect(redactCredentials('redis://default:pw@cache:6379/0')).toBe('redis://***:***@cache:6379/0');
  });

  it('splits userinfo at the last @ of the authority, as the URL parser does', () => {
    expect(redactCredentials('http://u:p@ss@h/x')).toBe('http://***:***@h/x');
    expect(redactCredentials('http://a@b:c@d/')).toBe('http://***:***@d/');
    // `\` ends a special scheme's authority; other schemes keep it in the userinfo.
    expect(redactCredentials('http://h\\x@y')).toBe('http://h\\x@y');
    expect(redactCredentials('http://u:p@h\\x@y')).toBe('http://***:***@h\\x@y');
    expect(redactCredentials('foo://u:p\\x@h')).toBe('foo://***:***@h');
  });

  it('leaves text without credentials unchanged (the same string), and is idempotent', () => {
    for (const t of ['http://h/x', 'http://@h/', 'mailto:a@b.c', 'http://h/#a@b', 'http://h?u@b', 'http://h//u@x', 'a@b', 'plain text']) expect(redactCredentials(t)).toBe(t);
    for (const t of ['http://u:p@h', 'http://REDACTED:REDACTED@h/', 'ftp://***:***@h']) expect(redactCredentials(redactCredentials(t))).toBe(redactCredentials(t));
    // The earlier marker maps to the new one (recording keys of older runs still match).
    expect(redactCredentials('http://REDACTED:REDACTED@h/')).toBe('http://***:***@h/');
  });

  it('redactUrl: a whole value also has whitespace inside its userinfo covered', () => {
    expect(redactUrl('http://u:p w@h/x')).toBe('http://***:***@h/x');
    expect(redactUrl('http://h/x')).toBe('http://h/x');
    expect(redactText('ids health-endpoints/http://u:p@h')).toBe('ids health-endpoints/http://***:***@h');
  });

  it('redactData: every string value, other values as they are; the same object when nothing changed', () => {
    const data = { url: 'http://u:p@h/x', n: 3, b: null };
    expect(redactData(data)).toEqual({ url: 'http://***:***@h/x', n: 3, b: null });
    expect(data.url).toBe('http://u:p@h/x');
    const clean = { url: 'http://h/x', n: 1 };
    expect(redactData(clean)).toBe(clean);
  });

  it('runs in linear time on hostile text (no backtracking blow-up)', () => {
    const inputs = ['a://'.repeat(250_000) + ' @', 'a'.repeat(1_000_000) + '//@', 'http://' + '@'.repeat(1_000_000), '//'.repeat(500_000) + '@', ('http://x' + ' '.repeat(10)).repeat(50_000) + '@'];
    const t0 = performance.now();
    for (const s of inputs) redactCredentials(s);
    for (const s of inputs) redactUrl(s);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
