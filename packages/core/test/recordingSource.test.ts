import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectorySource, firstChangedInput, MemorySource, RecordingSource, syntaxScan, Workspace, yamlDigest } from '../src/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function spineDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'recording-source-'));
  dirs.push(dir);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('RecordingSource', () => {
  it('records each question once, with a digest of the answer, in the order asked', () => {
    const recorder = new RecordingSource(new MemorySource({ 'ops/a.yaml': 'a: 1\n', 'ops/b.yaml': 'b: 2\n' }));
    const ws = new Workspace(recorder);
    ws.yaml('ops/a.yaml');
    ws.exists('ops/missing.yaml');
    syntaxScan(['ops'])(ws);
    expect(recorder.records.map((r) => (r.op === 'read' ? `read ${r.path} ${r.digest.split(':')[0]}` : `list ${r.dir}`))).toEqual([
      'read ops/a.yaml ok',
      'read ops/missing.yaml missing',
      'list ops',
      'read ops/b.yaml ok',
    ]);
    expect(recorder.consistent).toBe(true);
    expect(recorder.label).toBe('memory');
  });

  it('every recorded answer is the same when nothing changed; the first that differs is named', () => {
    const dir = spineDir({ 'ops/a.yaml': 'a: 1\n', 'ops/b.yaml': 'b: 2\n' });
    const recorder = new RecordingSource(new DirectorySource(dir));
    const ws = new Workspace(recorder);
    ws.yaml('ops/a.yaml');
    ws.yaml('ops/gone.yaml');
    ws.list('ops');
    const records = recorder.records;
    expect(firstChangedInput(new DirectorySource(dir), records)).toBeUndefined();

    writeFileSync(join(dir, 'ops/a.yaml'), 'a: 2\n');
    expect(firstChangedInput(new DirectorySource(dir), records)).toMatchObject({ op: 'read', path: 'ops/a.yaml' });
    writeFileSync(join(dir, 'ops/a.yaml'), 'a: 1\n');
    expect(firstChangedInput(new DirectorySource(dir), records)).toBeUndefined();

    // A file appearing where the run found none, and a new name in a listed directory.
    writeFileSync(join(dir, 'ops/gone.yaml'), 'x: 1\n');
    expect(firstChangedInput(new DirectorySource(dir), records)).toMatchObject({ op: 'read', path: 'ops/gone.yaml' });
    unlinkSync(join(dir, 'ops/gone.yaml'));
    writeFileSync(join(dir, 'ops/c.yaml'), 'c: 3\n');
    expect(firstChangedInput(new DirectorySource(dir), records)).toMatchObject({ op: 'list', dir: 'ops' });
  });

  it('refusals are answers too: a symlink leaving the root, a size over the limit', () => {
    const outside = spineDir({ 'x.yaml': 'a: 1\n' });
    const dir = spineDir({ 'ops/a.yaml': 'a: 1\n' });
    const recorder = new RecordingSource(new DirectorySource(dir));
    const ws = new Workspace(recorder, { maxFileBytes: 100 });
    ws.yaml('ops/a.yaml');
    const records = recorder.records;
    unlinkSync(join(dir, 'ops/a.yaml'));
    symlinkSync(join(outside, 'x.yaml'), join(dir, 'ops/a.yaml'));
    // Same bytes, but now through a link that leaves the root: refused, so a different answer.
    expect(firstChangedInput(new DirectorySource(dir), records)).toMatchObject({ path: 'ops/a.yaml' });
    unlinkSync(join(dir, 'ops/a.yaml'));
    writeFileSync(join(dir, 'ops/a.yaml'), 'a: 1\n' + '#'.repeat(200) + '\n');
    expect(recorder.records[0]!.digest).toMatch(/^ok:/);
    expect(firstChangedInput(new DirectorySource(dir), records)).toMatchObject({ path: 'ops/a.yaml' });
  });

  it('a file that changes while the run reads it makes the recording inconsistent', () => {
    const dir = spineDir({ 'ops/a.yaml': 'a: 1\n' });
    const recorder = new RecordingSource(new DirectorySource(dir));
    recorder.read('ops/a.yaml', 1000);
    recorder.read('ops/a.yaml', 1000);
    expect(recorder.consistent).toBe(true);
    writeFileSync(join(dir, 'ops/a.yaml'), 'a: 2\n');
    recorder.read('ops/a.yaml', 1000);
    expect(recorder.consistent).toBe(false);
    expect(recorder.records).toHaveLength(1);
  });
});

describe('Workspace wellFormedYaml (the --cache store of well-formed YAML digests)', () => {
  const good = 'a: 1\n';
  const bad = 'a: [1, 2\n';
  const digestOf = (text: string): string => yamlDigest(new TextEncoder().encode(text));

  it('adds the digest of each file the fast parser accepts, never of a malformed one', () => {
    const known = new Set<string>();
    const ws = new Workspace(new MemorySource({ 'ops/good.yaml': good, 'ops/bad.yaml': bad, 'ops/text.yaml': 'b: 2\n' }), { wellFormedYaml: known });
    syntaxScan(['ops'])(ws);
    expect(ws.text('ops/text.yaml')).toBe('b: 2\n');
    expect([...known].sort()).toEqual([digestOf(good), digestOf('b: 2\n')].sort());
    expect(ws.loadedFiles().find((f) => f.path === 'ops/bad.yaml')?.problems.length).toBeGreaterThan(0);
  });

  it('a known digest is not parsed again: the syntax scan and text() trust it, yaml() still parses for the value', () => {
    // Proof of the skip: a malformed text whose digest is (wrongly) marked well-formed gets no parse finding from the scan.
    const ws = new Workspace(new MemorySource({ 'ops/bad.yaml': bad, 'ops/good.yaml': good }), { wellFormedYaml: new Set([digestOf(bad), digestOf(good)]) });
    syntaxScan(['ops'])(ws);
    expect(ws.loadedFiles().filter((f) => f.problems.length > 0)).toEqual([]);
    expect(ws.text('ops/good.yaml')).toBe(good);
    expect(ws.yaml('ops/good.yaml')?.value).toEqual({ a: 1 });
    expect(ws.filesRead).toBe(2);
    // Without the digest the same text is judged, and reported.
    const judged = new Workspace(new MemorySource({ 'ops/bad.yaml': bad }), { wellFormedYaml: new Set() });
    syntaxScan(['ops'])(judged);
    expect(judged.loadedFiles().find((f) => f.path === 'ops/bad.yaml')?.problems[0]?.code).toBeDefined();
  });
});
