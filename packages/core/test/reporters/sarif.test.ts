import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { artifactUri, FINGERPRINT_KEY, reporters, sarifReporter, type Report } from '@spine-lint/core';
import { ctx, expectGolden, sampleReport } from './support.js';

const require = createRequire(import.meta.url);
// The official OASIS SARIF 2.1.0 schema (draft-07), vendored: see docs/formats.md for its provenance.
const schema = JSON.parse(readFileSync(new URL('../../../../test/fixtures/sarif-2.1.0.schema.json', import.meta.url), 'utf8')) as object;
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version?: string; semanticVersion?: string; informationUri: string; rules: { id: string; helpUri: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string }; defaultConfiguration: { level: string }; properties: { tags: string[] } }[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string }; associatedRule: { id: string; index: number } }[] }[];
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

const sarifOf = (report: Report, over = {}): SarifLog => JSON.parse(sarifReporter(report, ctx(over))) as SarifLog;

const expectValid = (text: string): void => {
  const ok = validate(JSON.parse(text));
  expect(ok, JSON.stringify(validate.errors, null, 2)).toBe(true);
};

describe('sarif reporter', () => {
  test('is registered as --format sarif', () => {
    expect(reporters.sarif).toBe(sarifReporter);
  });

  test('golden output', () => {
    expectGolden('sarif.json', sarifReporter(sampleReport(), ctx()));
  });

  test('validates against the official SARIF 2.1.0 schema, hostile text included', () => {
    expectValid(sarifReporter(sampleReport(), ctx()));
    expectValid(sarifReporter(sampleReport('', { 'dir with space/a,b:c%d#e?.yaml': 'odd: 1\n' }), ctx({ rootPrefix: 'sub dir/', version: 'dev' })));
  });

  test('the schema really rejects a broken log (the validation is not vacuous)', () => {
    const log = sarifOf(sampleReport());
    (log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region as { startLine: number }).startLine = 0;
    expect(validate(log)).toBe(false);
    const noVersion = { ...sarifOf(sampleReport()), version: '2.0.0' };
    expect(validate(noVersion)).toBe(false);
  });

  test('driver and rules carry what code scanning needs', () => {
    const log = sarifOf(sampleReport());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0]!.tool;
    expect(driver).toMatchObject({ name: 'spine-lint', version: '1.2.3', semanticVersion: '1.2.3' });
    expect(driver.rules.map((r) => r.id)).toEqual(['service-host']);
    const rule = driver.rules[0]!;
    expect(rule.helpUri).toBe('https://github.com/spine-lint/spine-lint/blob/main/docs/checks/service-host.md');
    expect(rule.shortDescription.text).toBe('Every service names its host');
    expect(rule.fullDescription.text).toBe('A service in services.yaml must name the host it runs on.');
    expect(rule.help.markdown).toContain('**How to fix:** Add `host:` to the service.');
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(rule.properties.tags).toEqual(['spine-lint', 'static', 'D99']);
    // A non-semver version is kept as `version` only.
    expect(sarifOf(sampleReport(), { version: 'dev' }).runs[0]!.tool.driver.semanticVersion).toBeUndefined();
  });

  test('results: rule index, level, exact regions, fingerprints; run-level findings become notifications', () => {
    const report = sampleReport();
    const run = sarifOf(report).runs[0]!;
    const withFile = report.results.filter((r) => r.file !== null);
    expect(run.results).toHaveLength(withFile.length);
    expect(run.results.map((r) => [r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region])).toEqual([
      ['warning', 'REGISTRY.md', { startLine: 8, startColumn: 10, endLine: 8, endColumn: 28 }],
      ['error', 'services.yaml', { startLine: 3, startColumn: 11, endLine: 3, endColumn: 13 }],
      ['warning', 'services.yaml', { startLine: 5, startColumn: 7, endLine: 7, endColumn: 1 }],
      ['error', 'services.yaml', { startLine: 10, startColumn: 5, endLine: 11, endColumn: 1 }],
    ]);
    for (const [i, r] of run.results.entries()) {
      expect(r.ruleId).toBe('service-host');
      expect(r.ruleIndex).toBe(0);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(withFile[i]!.fingerprint);
    }
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
    const notes = run.invocations[0]!.toolExecutionNotifications!;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'error', associatedRule: { id: 'service-host', index: 0 } });
    expect(notes[0]!.message.text).toBe('run-level note: probe cache % stale <b>&</b> \u0001 \ud800 \u{1f680}');
  });

  test('URIs are relative to the working directory (root prefix), percent-encoded, with / separators', () => {
    const run = sarifOf(sampleReport('', { 'dir with space/a,b:c%d#e?.yaml': 'odd: 1\n' }), { rootPrefix: 'infra/spine/' }).runs[0]!;
    const uris = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('infra/spine/dir%20with%20space/a%2Cb%3Ac%25d%23e%3F.yaml');
    expect(uris).toContain('infra/spine/services.yaml');
    expect(artifactUri('./a\\b/c.yaml')).toBe('a/b/c.yaml');
  });

  test('executionSuccessful is false when a check crashed (check-error), true otherwise', () => {
    const clean = sampleReport();
    expect(sarifOf(clean).runs[0]!.invocations[0]!.executionSuccessful).toBe(true);
    const crashed: Report = {
      ...clean,
      results: [...clean.results, { ...clean.results.find((r) => r.file === null)!, checkId: 'check-error', messageId: 'crashed', message: "Check 'producer' crashed: ENOENT" }],
    };
    const run = sarifOf(crashed).runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications!.map((n) => n.associatedRule.id)).toContain('check-error');
    expectValid(sarifReporter(crashed, ctx()));
  });

  test('checks that did not run on an unreadable binding are notes of the invocation', () => {
    const report: Report = { ...sampleReport(), skipped: [{ checkId: 'relocation-parity', because: [{ file: 'registry.yaml', state: 'unparsable' }] }] };
    const run = sarifOf(report).runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(true);
    expect(run.invocations[0]!.toolExecutionNotifications!.at(-1)).toMatchObject({ level: 'note', message: { text: 'relocation-parity did not run: registry.yaml is unparsable.' }, associatedRule: { id: 'relocation-parity' } });
    expectValid(sarifReporter(report, ctx()));
  });

  test('quiet keeps errors only; rules of core checks that reported are included', () => {
    const run = sarifOf(sampleReport(), { quiet: true }).runs[0]!;
    expect(run.results.every((r) => r.level === 'error')).toBe(true);
    expect(run.results).toHaveLength(2);
  });
});
