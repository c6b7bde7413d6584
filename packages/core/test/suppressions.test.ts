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
    expect(report.results.map((r) => `${r.line}:${r.column} ${r.checkId}/${r.messageId}/${r.severity}`)).toEqual(['1:1 suppression/missingReason/error', '2:4 no-foo/foo/error']);
  });

  it('reports unused directives and unknown check names', () => {
    const report = run(['# spine-lint-disable-next-line no-foo -- stale', 'a: bar', 'b: bar # spine-lint-disable-line nope -- typo', ''].join('\n'));
    expect(report.results.map((r) => `${r.line}:${r.column} ${r.checkId}/${r.messageId}/${r.severity}`)).toEqual(['1:1 suppression/unused/warning', '3:8 suppression/unknownCheck/error']);
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

  describe('directives count only in real comments', () => {
    const results = (text: string) => {
      const report = run(text);
      return { kept: report.results.map((r) => `${r.line} ${r.checkId}/${r.messageId}`), suppressed: report.suppressedResults.map((r) => r.line) };
    };
    const approved = '# spine-lint-disable-next-line no-foo -- approved';

    it('a directive line inside a literal block scalar suppresses nothing', () => {
      expect(results(['description: |', `  ${approved}`, 'a: foo', ''].join('\n'))).toEqual({ kept: ['3 no-foo/foo'], suppressed: [] });
      expect(results(['description: |-', '  text', `  ${approved}`, '', 'a: foo', ''].join('\n'))).toEqual({ kept: ['5 no-foo/foo'], suppressed: [] });
    });

    it('a directive line inside a folded block scalar suppresses nothing', () => {
      expect(results(['description: >', `  ${approved}`, 'a: foo', ''].join('\n'))).toEqual({ kept: ['3 no-foo/foo'], suppressed: [] });
      expect(results(['list:', '  - note: >+', `      ${approved}`, 'a: foo', ''].join('\n'))).toEqual({ kept: ['4 no-foo/foo'], suppressed: [] });
    });

    it('a directive inside a multi-line quoted string suppresses nothing (double and single quotes)', () => {
      expect(results(['description: "first', `  ${approved}"`, 'a: foo', ''].join('\n'))).toEqual({ kept: ['3 no-foo/foo'], suppressed: [] });
      expect(results(["description: 'first", `  ${approved}'`, 'a: foo', ''].join('\n'))).toEqual({ kept: ['3 no-foo/foo'], suppressed: [] });
      expect(results(['a: "foo # spine-lint-disable-line no-foo -- approved"', ''].join('\n')).suppressed).toEqual([]);
    });

    it('a directive inside a string of a flow collection suppresses nothing', () => {
      expect(results(['tags: [x, "y', `  ${approved}"]`, 'a: foo', ''].join('\n'))).toEqual({ kept: ['3 no-foo/foo'], suppressed: [] });
      expect(results(['{a: foo, note: "x # spine-lint-disable-line no-foo -- approved"}', ''].join('\n'))).toEqual({ kept: ['1 no-foo/foo'], suppressed: [] });
    });

    it('real comments still suppress: after a block scalar, at a line end, inside a flow collection', () => {
      expect(results(['description: |', '  text', approved, 'a: foo', ''].join('\n'))).toEqual({ kept: [], suppressed: [4] });
      expect(results(['x: "a # b"', 'a: "foo" # spine-lint-disable-line no-foo -- approved', ''].join('\n'))).toEqual({ kept: [], suppressed: [2] });
      expect(results(['{ # spine-lint-disable-next-line no-foo -- approved', '  a: foo }', ''].join('\n'))).toEqual({ kept: [], suppressed: [2] });
      // Stacked directives skip comment lines; a `#` line inside a block scalar is content, not a comment.
      expect(results([approved, '# spine-lint-disable-next-line D900 -- also', 'a: foo', ''].join('\n'))).toEqual({ kept: [], suppressed: [3] });
      expect(results(['x: | ' + approved, '  # content', 'a: foo', ''].join('\n')).kept).toEqual(['1 suppression/unused', '3 no-foo/foo']);
    });

    it('the comment text is read from its own start: a marker in a string before a real comment on the line does not shift it', () => {
      const report = run(['b: "# spine-lint-disable-line nope -- x" # spine-lint-disable-line no-foo -- real', 'a: foo', ''].join('\n'));
      expect(report.results.map((r) => `${r.line}:${r.column} ${r.checkId}/${r.messageId}`)).toEqual(['1:42 suppression/unused', '2:4 no-foo/foo']);
    });

    const noBad = defineCheck({
      id: 'no-bad',
      title: 'No BAD lines',
      description: 'Lines must not say BAD.',
      severity: 'error',
      kind: 'static',
      reads: ['doc.md'],
      messages: { bad: 'BAD here.' },
      run(ctx) {
        const text = ctx.workspace.text('doc.md') ?? '';
        text.split('\n').forEach((line, i) => {
          const at = line.indexOf('BAD');
          if (at !== -1) ctx.report({ messageId: 'bad', data: {}, file: 'doc.md', range: { line: i + 1, column: at + 1, endLine: i + 1, endColumn: at + 4 } });
        });
      },
    });
    const markdown = (text: string) => {
      const report = runChecks({ workspace: new Workspace(new MemorySource({ 'doc.md': text })), checks: [noBad] });
      return { kept: report.results.map((r) => `${r.line} ${r.checkId}/${r.messageId}`), suppressed: report.suppressedResults.map((r) => r.line) };
    };
    const html = '<!-- spine-lint-disable-next-line no-bad -- approved -->';

    it('Markdown: an HTML comment suppresses; inside a fenced code block, inline code or as a heading it does not', () => {
      expect(markdown(['# Title', '', html, '| BAD | x |', ''].join('\n'))).toEqual({ kept: [], suppressed: [4] });
      expect(markdown(['| BAD | x | <!-- spine-lint-disable-line no-bad -- approved -->', ''].join('\n'))).toEqual({ kept: [], suppressed: [1] });
      expect(markdown(['```yaml', html, 'BAD', '```', ''].join('\n'))).toEqual({ kept: ['3 no-bad/bad'], suppressed: [] });
      expect(markdown(['~~~~', html, '~~~', 'BAD', '~~~~', html, 'BAD', ''].join('\n'))).toEqual({ kept: ['4 no-bad/bad'], suppressed: [7] });
      expect(markdown(['  > ```', '  > ' + html, '  > BAD', ''].join('\n'))).toEqual({ kept: ['3 no-bad/bad'], suppressed: [] });
      expect(markdown(['BAD `<!-- spine-lint-disable-line no-bad -- approved -->`', ''].join('\n'))).toEqual({ kept: ['1 no-bad/bad'], suppressed: [] });
      expect(markdown(['# spine-lint-disable-next-line no-bad -- approved', 'BAD', ''].join('\n'))).toEqual({ kept: ['2 no-bad/bad'], suppressed: [] });
    });

    it('Markdown front matter: a YAML comment suppresses, a line of a block scalar does not', () => {
      expect(markdown(['---', '# spine-lint-disable-next-line no-bad -- approved', 'title: BAD', '---', ''].join('\n'))).toEqual({ kept: [], suppressed: [3] });
      expect(markdown(['---', 'note: |', '  # spine-lint-disable-next-line no-bad -- approved', 'title: BAD', '---', ''].join('\n'))).toEqual({ kept: ['4 no-bad/bad'], suppressed: [] });
    });
  });
});
