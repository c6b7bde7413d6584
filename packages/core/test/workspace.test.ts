import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectorySource, MemorySource, runChecks, syntaxScan, Workspace } from '@spine-lint/core';

describe('Workspace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spine-ws-'));
  const outside = mkdtempSync(join(tmpdir(), 'spine-outside-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  mkdirSync(join(dir, 'ops/bindings'), { recursive: true });
  writeFileSync(join(dir, 'ops/bindings/good.yaml'), 'a: 1\n');
  writeFileSync(join(dir, 'ops/bindings/dup.yaml'), 'a: 1\nb:\n  c: 1\n  c: 2\n');
  writeFileSync(join(dir, 'ops/bindings/latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  writeFileSync(join(dir, 'ops/bindings/big.yaml'), 'x: ' + 'y'.repeat(2000) + '\n');
  writeFileSync(join(dir, 'ops/bindings/bom.yaml'), '\ufeffa: [1\n');
  writeFileSync(join(dir, 'ops/bindings/crlf.yaml'), 'a: 1\r\na: 2\r\n');
  writeFileSync(join(dir, 'ops/bindings/empty.yaml'), '');
  writeFileSync(join(dir, 'ops/bindings/bin.yaml'), Buffer.from([0x00, 0x01, 0x02]));
  writeFileSync(join(outside, 'secret.yaml'), 'token: x\n');
  symlinkSync(join(outside, 'secret.yaml'), join(dir, 'ops/bindings/link.yaml'));

  const ws = new Workspace(new DirectorySource(dir), { maxFileBytes: 1000 });
  const report = runChecks({ workspace: ws, checks: [], producers: [syntaxScan(['ops/bindings'])] });
  const byFile = (f: string) => report.results.filter((r) => r.file === `ops/bindings/${f}`).map((r) => `${r.line}:${r.column} ${String(r.data.code)}`);

  it('reports each kind of unreadable file as a positioned parse finding', () => {
    expect(byFile('good.yaml')).toEqual([]);
    expect(byFile('empty.yaml')).toEqual([]);
    expect(byFile('dup.yaml')).toEqual(['4:3 duplicate-key']);
    expect(byFile('latin1.yaml')).toEqual(['1:4 encoding']);
    expect(byFile('big.yaml')).toEqual(['1:1 too-large']);
    expect(byFile('bom.yaml')[0]).toMatch(/^\d+:\d+ syntax$/);
    expect(byFile('crlf.yaml')).toEqual(['2:1 duplicate-key']);
    expect(byFile('bin.yaml')).toEqual(['1:1 binary']);
    expect(byFile('link.yaml')).toEqual(['1:1 outside-root']);
    expect(report.summary.errors).toBe(report.results.length);
  });

  it('reads each file once', () => {
    const first = ws.yaml('ops/bindings/good.yaml');
    expect(ws.yaml('./ops/bindings/good.yaml')).toBe(first);
  });

  it('resolves logical names through the layout', () => {
    const mem = new Workspace(new MemorySource({ 'x/y.yaml': 'k: v\n' }), { paths: { thing: 'x/y.yaml' } });
    expect(mem.yaml('thing')?.value).toEqual({ k: 'v' });
    expect(mem.exists('thing')).toBe(true);
    expect(mem.exists('other')).toBe(false);
  });

  it('refuses paths that climb out of the root', () => {
    const source = new DirectorySource(dir);
    expect(source.read('../etc/passwd', 1000)).toMatchObject({ status: 'refused', code: 'outside-root' });
  });
});

describe('DocumentCache: parsed documents shared across workspaces (the language server)', () => {
  it('an unchanged file is not parsed again; a changed text is; Markdown tables too', async () => {
    const { DocumentCache, MemorySource, Workspace } = await import('@spine-lint/core');
    const cache = new DocumentCache();
    const files = { 'a.yaml': 'x: 1\n', 'd.md': '| h |\n|---|\n| v |\n' };
    const first = new Workspace(new MemorySource(files), { documentCache: cache });
    const a1 = first.yaml('a.yaml');
    const d1 = first.markdown('d.md');
    const second = new Workspace(new MemorySource(files), { documentCache: cache });
    expect(second.yaml('a.yaml')).toBe(a1);
    expect(second.markdown('d.md')).toBe(d1);
    const third = new Workspace(new MemorySource({ ...files, 'a.yaml': 'x: 2\n' }), { documentCache: cache });
    expect(third.yaml('a.yaml')).not.toBe(a1);
    expect(third.yaml('a.yaml')!.value).toEqual({ x: 2 });
    // Without a cache, every workspace parses its own.
    expect(new Workspace(new MemorySource(files)).yaml('a.yaml')).not.toBe(a1);
  });
});
