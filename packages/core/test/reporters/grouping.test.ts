import { describe, expect, test } from 'vitest';
import { groupByLocation, jsonReporter, junitReporter, sarifReporter, type Diagnostic } from '@spine-lint/core';
import { ctx, groupedReport } from './support.js';

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  checkId: 'a',
  aliases: [],
  severity: 'error',
  messageId: 'm',
  message: 'msg',
  data: {},
  file: 'f.yaml',
  pointer: '/x',
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  hint: null,
  docsUrl: null,
  fingerprint: 'f',
  ...over,
});

describe('groupByLocation (stylish and github show one item per value)', () => {
  test('same file, pointer and range: one group, the most severe first, otherwise in report order', () => {
    const w = d({ checkId: 'w', severity: 'warning' });
    const e1 = d({ checkId: 'e1' });
    const e2 = d({ checkId: 'e2' });
    const groups = groupByLocation([w, e1, e2]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.severity).toBe('error');
    expect(groups[0]!.findings.map((x) => x.checkId)).toEqual(['e1', 'e2', 'w']);
    expect(groupByLocation([w, d({ checkId: 'w2', severity: 'warning' })])[0]!.severity).toBe('warning');
  });

  test('another file, pointer or range, or no file or pointer: not grouped', () => {
    const base = d({});
    const others = [d({ file: 'g.yaml' }), d({ pointer: '/y' }), d({ endColumn: 3 }), d({ file: null, pointer: null }), d({ file: null, pointer: null }), d({ pointer: null }), d({ pointer: null })];
    expect(groupByLocation([base, ...others]).map((g) => g.findings.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  test('the machine formats keep one result per check (each gate its own verdict)', () => {
    const report = groupedReport();
    expect(report.results.map((r) => `${r.checkId} ${r.severity} ${r.line}:${r.column}`)).toEqual([
      'host-parity error 3:11',
      'host-placement error 3:11',
      'host-style warning 3:11',
      'host-parity error 6:11',
      'host-style warning 8:11',
      'host-placement warning 10:11',
      'host-style warning 10:11',
    ]);
    expect(report.summary).toMatchObject({ errors: 3, warnings: 4, suppressed: 1 });
    expect((JSON.parse(jsonReporter(report, ctx())) as { results: unknown[] }).results).toHaveLength(7);
    expect((JSON.parse(sarifReporter(report, ctx())) as { runs: { results: unknown[] }[] }).runs[0]!.results).toHaveLength(7);
    expect(junitReporter(report, ctx()).match(/<testcase name="host-[a-z]+: hosts\.yaml#/g)).toHaveLength(7);
  });
});
