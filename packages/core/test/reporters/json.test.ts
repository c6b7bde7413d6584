import { describe, expect, test } from 'vitest';
import { jsonReporter, reporters } from '@spine-lint/core';
import { ctx, expectGolden, sampleReport } from './support.js';

// ARCHITECTURE.md "Output contract": the keys, exactly (no more, no fewer).
const TOP = ['version', 'results', 'summary'];
const RESULT = ['checkId', 'aliases', 'severity', 'messageId', 'message', 'data', 'file', 'line', 'column', 'endLine', 'endColumn', 'pointer', 'hint', 'docsUrl', 'fingerprint'];
const SUMMARY = ['errors', 'warnings', 'suppressed', 'checksRun', 'filesRead', 'durationMs'];

describe('json reporter (the machine contract)', () => {
  test('is registered as --format json', () => {
    expect(reporters.json).toBe(jsonReporter);
  });

  test('golden output', () => {
    expectGolden('json.json', jsonReporter(sampleReport(), ctx()));
  });

  test('keys are exactly the documented contract, with the documented types', () => {
    const out = JSON.parse(jsonReporter(sampleReport(), ctx())) as { version: number; results: Record<string, unknown>[]; summary: Record<string, unknown> };
    expect(Object.keys(out).sort()).toEqual([...TOP].sort());
    expect(out.version).toBe(1);
    expect(Object.keys(out.summary).sort()).toEqual([...SUMMARY].sort());
    for (const v of Object.values(out.summary)) expect(typeof v).toBe('number');
    expect(out.results).toHaveLength(5);
    for (const r of out.results) {
      expect(Object.keys(r).sort()).toEqual([...RESULT].sort());
      expect(['error', 'warning']).toContain(r.severity);
      for (const k of ['line', 'column', 'endLine', 'endColumn']) expect(Number.isInteger(r[k]) && (r[k] as number) >= 1).toBe(true);
      expect(r.fingerprint).toMatch(/^[0-9a-f]{20}$/);
      expect(Array.isArray(r.aliases)).toBe(true);
      expect(typeof r.data).toBe('object');
      for (const k of ['file', 'pointer', 'hint', 'docsUrl']) expect(r[k] === null || typeof r[k] === 'string').toBe(true);
    }
    const grafana = out.results.find((r) => r.pointer === '/services/grafana/host')!;
    expect(grafana).toMatchObject({
      checkId: 'service-host',
      aliases: ['D99'],
      severity: 'error',
      messageId: 'noHost',
      data: { service: 'grafana' },
      file: 'services.yaml',
      line: 3,
      column: 11,
      endLine: 3,
      endColumn: 13,
    });
  });

  test('skipped checks are listed after the summary, only when there are some', () => {
    const report = { ...sampleReport(), skipped: [{ checkId: 'service-host', because: [{ file: 'services.yaml', state: 'unparsable' as const }] }] };
    const out = JSON.parse(jsonReporter(report, ctx())) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['version', 'results', 'summary', 'skipped']);
    expect(out.skipped).toEqual([{ checkId: 'service-host', because: [{ file: 'services.yaml', state: 'unparsable' }] }]);
    expect(Object.keys(JSON.parse(jsonReporter({ ...sampleReport(), skipped: [] }, ctx())) as object)).toEqual(TOP);
  });

  test('any Unicode stays valid JSON (lone surrogates escaped by JSON.stringify)', () => {
    const text = jsonReporter(sampleReport('\u0000\u001b\ud800\udfff\u2028'), ctx());
    expect(() => JSON.parse(text)).not.toThrow();
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });
});
