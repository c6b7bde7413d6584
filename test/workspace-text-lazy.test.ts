import { describe, expect, it } from 'vitest';
import { defineCheck, MemorySource, runChecks, syntaxScan, Workspace, type FileSource } from '@spine-lint/core';

/** A source that counts reads per path (to see that text() then yaml() reads a file once). */
function counting(files: Record<string, string>): { source: FileSource; reads: Map<string, number> } {
  const inner = new MemorySource(files);
  const reads = new Map<string, number>();
  return {
    reads,
    source: {
      label: inner.label,
      read(path, max) {
        reads.set(path, (reads.get(path) ?? 0) + 1);
        return inner.read(path, max);
      },
      list: (dir) => inner.list(dir),
    },
  };
}

// A check that only reads raw text (like ssot-freshness) and reports without a pointer.
const textOnly = defineCheck({
  id: 'text-only',
  title: 'Text only',
  description: 'Reports files whose text contains TODO.',
  severity: 'error',
  kind: 'static',
  reads: ['ops/bindings/*.yaml'],
  messages: { todo: 'TODO left in {{file}}.' },
  run(ctx) {
    for (const file of ctx.workspace.list('ops/bindings')) {
      const text = ctx.workspace.text(file);
      if (text?.includes('TODO')) ctx.report({ messageId: 'todo', data: { file }, file });
    }
  },
});

describe('Workspace.text() on YAML files (no positioned parse unless needed)', () => {
  const files = {
    // `*` in a comment and in a quoted glob: not aliases, must still take the fast path
    'ops/bindings/globs.yaml': '# paths like docs/*.md and *arr are fine\nglob: "vzdump-*.vma.zst"\nkeep: [a, b]\n',
    'ops/bindings/dup.yaml': '# see *.md\na: 1\na: 2\n',
    'ops/bindings/anchors.yaml': 'base: &b {x: 1}\nuse: *b\n',
    'ops/bindings/todo.yaml': 'v: TODO # spine-lint-disable-line text-only -- tracked in GAP-1\n',
  };

  it('returns the text, and a later yaml() parses it without reading the file again', () => {
    const { source, reads } = counting(files);
    const ws = new Workspace(source);
    expect(ws.text('ops/bindings/globs.yaml')).toBe(files['ops/bindings/globs.yaml']);
    expect(ws.exists('ops/bindings/globs.yaml')).toBe(true);
    expect(ws.yaml('ops/bindings/globs.yaml')?.value).toEqual({ glob: 'vzdump-*.vma.zst', keep: ['a', 'b'] });
    expect(ws.yaml('ops/bindings/globs.yaml')?.locate('/keep/1')).toEqual({ line: 3, column: 11, endLine: 3, endColumn: 12 });
    expect(reads.get('ops/bindings/globs.yaml')).toBe(1);
    expect(ws.filesRead).toBe(1);
  });

  it('still reports the parse problems of a file read only as text, at their exact position', () => {
    const ws = new Workspace(new MemorySource(files));
    const report = runChecks({ workspace: ws, checks: [textOnly], producers: [syntaxScan(['ops/bindings'])] });
    const parse = report.results.filter((r) => r.checkId === 'parse').map((r) => `${r.file} ${r.line}:${r.column} ${String(r.data.code)}`);
    expect(parse).toEqual(['ops/bindings/dup.yaml 3:1 duplicate-key']);
    // real anchors take the full parser (alias limits), and parse to the same value
    expect(ws.yaml('ops/bindings/anchors.yaml')?.value).toEqual({ base: { x: 1 }, use: { x: 1 } });
  });

  it('honours inline directives in files read only as text', () => {
    const ws = new Workspace(new MemorySource(files));
    const report = runChecks({ workspace: ws, checks: [textOnly] });
    expect(report.results.filter((r) => r.checkId === 'text-only')).toEqual([]);
    expect(report.suppressedResults.map((r) => `${r.checkId} ${r.file} ${r.line}`)).toEqual(['text-only ops/bindings/todo.yaml 1']);
  });
});
