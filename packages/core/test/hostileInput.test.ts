import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectorySource, MemorySource, parseYamlDocument, runChecks, syntaxScan, Workspace } from '@spine-lint/core';

/** Parse findings of one YAML text through the whole engine (workspace → report). */
function findingsFor(text: string | Uint8Array): string[] {
  const ws = new Workspace(new MemorySource({ 'ops/bindings/x.yaml': text }));
  const report = runChecks({ workspace: ws, checks: [], producers: [syntaxScan(['ops/bindings'])] });
  return report.results.map((r) => `${r.line}:${r.column} ${r.checkId}/${String(r.data.code)}/${r.severity}`);
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('hostile and broken YAML becomes positioned parse findings', () => {
  it('syntax error', () => expect(findingsFor('a: 1\nb: [1, 2\nc: 3\n')).toEqual([expect.stringMatching(/^\d+:\d+ parse\/syntax\/error$/)]));
  it('tab indentation', () => expect(findingsFor('a:\n\tb: 1\n')).toEqual(['2:1 parse/syntax/error']));
  it('duplicate keys, nested', () => expect(findingsFor('a:\n  b: 1\n  b: 2\n')).toEqual(['3:3 parse/duplicate-key/error']));
  it('empty file is fine', () => expect(findingsFor('')).toEqual([]));
  it('binary file', () => expect(findingsFor(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]))).toEqual(['1:5 parse/binary/error']));
  it('invalid UTF-8 at its line and column', () => expect(findingsFor(new Uint8Array([...Buffer.from('a: 1\nb: x'), 0xff, 0x0a]))).toEqual(['2:5 parse/encoding/error']));
  it('a BOM is accepted and does not shift columns', () => {
    expect(findingsFor('\ufeffa: 1\na: 2\n')).toEqual(['2:1 parse/duplicate-key/error']);
  });
  it('CRLF line ends keep line numbers', () => expect(findingsFor('a: 1\r\nb: 2\r\nb: 3\r\n')).toEqual(['3:1 parse/duplicate-key/error']));
  it('several documents: a warning at the second document', () => expect(findingsFor('a: 1\n---\nb: 2\n')).toEqual(['2:1 parse/multiple-documents/warning']));

  it('billion laughs is stopped quickly', () => {
    let bomb = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
    for (let i = 1; i < 10; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const { value, ms } = timed(() => findingsFor(bomb));
    expect(value).toEqual(['2:10 parse/alias-limit/error']);
    expect(ms).toBeLessThan(5000);
  });

  it('a recursive alias (a value that contains itself) is one finding at the alias and the file has no value; a plain alias is fine', () => {
    expect(findingsFor('version: 2\nphases:\n  - {phase: 2, site: &s [*s]}\n')).toEqual(['3:26 parse/syntax/error']);
    expect(findingsFor('a:\n  b: &n\n    c: [1, *n]\n')).toEqual(['3:12 parse/syntax/error']);
    expect(parseYamlDocument('r.yaml', 'a: &x [*x]\n').value).toBeUndefined();
    expect(parseYamlDocument('r.yaml', 'a: &x [1]\nb: *x\n').value).toEqual({ a: [1], b: [1] });
  });

  it('deep flow nesting is refused before parsing', () => {
    const n = 200_000;
    const { value, ms } = timed(() => findingsFor('a: ' + '['.repeat(n) + ']'.repeat(n) + '\n'));
    expect(value).toEqual(['1:68 parse/too-deep/error']);
    expect(ms).toBeLessThan(5000);
  });

  it('deep block nesting ends in a finding, not a crash', () => {
    const text = 'a:\n' + Array.from({ length: 3000 }, (_, i) => ' '.repeat(i + 1) + `k${i}:`).join('\n') + '\n';
    const { value, ms } = timed(() => findingsFor(text));
    expect(value.length).toBeGreaterThan(0);
    expect(value.every((v) => v.includes('parse/'))).toBe(true);
    expect(ms).toBeLessThan(10000);
  });

  it('__proto__ and constructor keys stay plain data (no prototype pollution)', () => {
    const doc = parseYamlDocument('p.yaml', '__proto__:\n  isAdmin: true\nconstructor:\n  prototype:\n    polluted: 1\n');
    expect(doc.problems).toEqual([]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(doc.value)).toBe(Object.prototype);
    expect(Object.keys(doc.value as object)).toEqual(['__proto__', 'constructor']);
    expect(doc.locate('/__proto__/isAdmin')).toEqual({ line: 2, column: 12, endLine: 2, endColumn: 16 });
  });

  it('control characters in scalars are reported, not passed through silently', () => {
    expect(findingsFor('a: "x\u0007y"\nb: 1\nb: 2\n')).toContain('3:1 parse/duplicate-key/error');
  });
});

describe('huge files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spine-huge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a 100 MB binding is refused by size before it is read', () => {
    mkdirSync(join(dir, 'ops/bindings'), { recursive: true });
    const fd = openSync(join(dir, 'ops/bindings/huge.yaml'), 'w');
    ftruncateSync(fd, 100 * 1024 * 1024); // sparse: costs no disk and no time
    closeSync(fd);
    writeFileSync(join(dir, 'ops/bindings/ok.yaml'), 'a: 1\n');
    const ws = new Workspace(new DirectorySource(dir));
    const { value: report, ms } = timed(() => runChecks({ workspace: ws, checks: [], producers: [syntaxScan(['ops/bindings'])] }));
    expect(report.results.map((r) => `${r.file}:${r.line}:${r.column} ${String(r.data.code)}`)).toEqual(['ops/bindings/huge.yaml:1:1 too-large']);
    expect(report.results[0]!.message).toContain('104857600 bytes, over the limit of 16777216 bytes');
    expect(ms).toBeLessThan(2000);
  });
});
