import { describe, expect, it } from 'vitest';
import { defineCheck, MemorySource, pointer, runChecks, Workspace } from '@spine-lint/core';

const noFoo = defineCheck({
  id: 'no-foo',
  aliases: ['D900'],
  title: 'No foo values',
  description: 'Values must not be foo.',
  severity: 'error',
  kind: 'static',
  reads: ['data.yaml'],
  messages: { foo: "Key '{{key}}' is foo." },
  run(ctx) {
    const value = ctx.workspace.yaml('data.yaml')?.value as Record<string, unknown> | undefined;
    for (const [key, v] of Object.entries(value ?? {})) if (v === 'foo') ctx.report({ messageId: 'foo', data: { key }, file: 'data.yaml', pointer: pointer(key) });
  },
});

const run = (text: string) => runChecks({ workspace: new Workspace(new MemorySource({ 'data.yaml': text })), checks: [noFoo] });

describe('inline suppressions', () => {
  it('suppresses the next line with a reason, by id or alias', () => {
    const report = run(['a: foo', '# spine-lint-disable-next-line no-foo -- migrating in LOOP-1', 'b: foo', '# spine-lint-disable-next-line D900 -- legacy', '', 'c: foo', 'd: bar', ''].join('\n'));
    expect(report.results.map((r) => `${r.line}:${r.column} ${r.checkId}/${r.messageId}`)).toEqual(['1:4 no-foo/foo']);
    expect(report.suppressedResults.map((r) => r.line)).toEqual([3, 6]);
    expect(report.summary.suppressed).toBe(2);
  });

  it('a directive without a reason suppresses nothing and is an error', () => {
    const report = run(['# spine-lint-disable-next-line no-foo', 'a: foo', ''].join('\n'));
    expect(report.results.map((r) => `${r.line}:${r.column} ${r.checkId}/${r.messageId}/${r.severity}`)).toEqual([
      '1:1 suppression/missingReason/error',
      '2:4 no-foo/foo/error',
    ]);
  });

  it('reports unused directives and unknown check names', () => {
    const report = run(['# spine-lint-disable-next-line no-foo -- stale', 'a: bar', 'b: bar # spine-lint-disable-line nope -- typo', ''].join('\n'));
    expect(report.results.map((r) => `${r.line}:${r.column} ${r.checkId}/${r.messageId}/${r.severity}`)).toEqual([
      '1:1 suppression/unused/warning',
      '3:8 suppression/unknownCheck/error',
    ]);
    expect(report.results[0]!.message).toBe("Unused suppression of 'no-foo': no finding of that check is on line 2. Delete the directive.");
  });

  it('config severity off removes the check', () => {
    const report = runChecks({ workspace: new Workspace(new MemorySource({ 'data.yaml': 'a: foo\n' })), checks: [noFoo], severities: { D900: 'off' } });
    expect(report.results).toEqual([]);
    expect(report.summary.checksRun).toBe(0);
  });

  it('config severity override applies to findings', () => {
    const report = runChecks({ workspace: new Workspace(new MemorySource({ 'data.yaml': 'a: foo\n' })), checks: [noFoo], severities: { 'no-foo': 'warning' } });
    expect(report.summary).toMatchObject({ errors: 0, warnings: 1 });
  });
});
