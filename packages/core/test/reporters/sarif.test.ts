import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { artifactUri, FINGERPRINT_KEY, LINE_HASH_KEY, reporters, ruleName, runCheckOnFiles, sarifCategoryId, sarifReporter, type Report } from '@spine-lint/core';
import { ctx, expectGolden, normalise, REGISTRY_MD, sampleReport, serviceCheck, SERVICES_YAML } from './support.js';

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
    tool: {
      driver: {
        name: string;
        version?: string;
        semanticVersion?: string;
        informationUri: string;
        rules: {
          id: string;
          name: string;
          helpUri: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string; markdown: string };
          defaultConfiguration: { level: string };
          properties: { tags: string[] };
        }[];
      };
    };
    automationDetails: { id: string };
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

  test('URIs are relative to the root (%SRCROOT% = the root), whatever the working directory; percent-encoded, / separators', () => {
    const report = sampleReport('', { 'dir with space/a,b:c%d#e?.yaml': 'odd: 1\n' });
    // --root infra/spine from /work/repo, and --root ../other (outside the working directory): never a `../` URI.
    for (const over of [{ rootPrefix: 'infra/spine/' }, { rootPrefix: '../other/', root: '/work/other' }]) {
      const run = sarifOf(report, over).runs[0]!;
      const uris = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
      expect(uris).toContain('dir%20with%20space/a%2Cb%3Ac%25d%23e%3F.yaml');
      expect(uris).toContain('services.yaml');
      expect(uris.some((u) => u.startsWith('../') || u.includes('infra'))).toBe(false);
      for (const r of run.results) expect(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    }
    expect(sarifOf(report, { rootPrefix: 'infra/spine/' }).runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/infra/spine/' } });
    expect(sarifOf(report, { rootPrefix: '../other/', root: '/work/other' }).runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/other/' } });
    expect(artifactUri('./a\\b/c.yaml')).toBe('a/b/c.yaml');
  });

  test('under a code host checkout that contains the root, URIs and %SRCROOT% are the checkout’s (GitHub ignores uriBaseId)', () => {
    const run = sarifOf(sampleReport(), { root: '/ws/infra/spine', checkout: '/ws' }).runs[0]!;
    expect(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('infra/spine/services.yaml');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///ws/' } });
    // A checkout that does not contain the root changes nothing.
    const outside = sarifOf(sampleReport(), { root: '/elsewhere', checkout: '/ws' }).runs[0]!;
    expect(outside.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('services.yaml');
    expect(outside.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///elsewhere/' } });
  });

  test('rules have PascalCase names; automationDetails.id is the category (default spine-lint/)', () => {
    expect(sarifOf(sampleReport()).runs[0]!.tool.driver.rules.map((r) => [r.id, r.name])).toEqual([['service-host', 'ServiceHost']]);
    expect(ruleName('relocation-ssot-completeness')).toBe('RelocationSsotCompleteness');
    expect(ruleName('check-error')).toBe('CheckError');
    // A one-word id: the name would be the id itself (case aside), which SARIF1001 forbids: no name.
    const report = sampleReport();
    const withParse: Report = { ...report, results: [...report.results, { ...report.results[1]!, checkId: 'parse' }] };
    expect(sarifOf(withParse).runs[0]!.tool.driver.rules.map((r) => [r.id, r.name])).toEqual([
      ['service-host', 'ServiceHost'],
      ['parse', undefined],
    ]);
    expect(sarifOf(sampleReport()).runs[0]!.automationDetails).toEqual({ id: 'spine-lint/' });
    expect(sarifOf(sampleReport(), { sarifCategory: 'bindings/pr' }).runs[0]!.automationDetails).toEqual({ id: 'bindings/pr/' });
    expect(sarifCategoryId('spine-lint/')).toBe('spine-lint/');
  });

  test('primaryLocationLineHash: GitHub’s <hash>:<n> form, from the line-independent fingerprint, unique per result', () => {
    const run = sarifOf(sampleReport()).runs[0]!;
    for (const r of run.results) {
      expect(r.partialFingerprints[LINE_HASH_KEY]).toMatch(/^[0-9a-f]{16}:1$/);
      expect(r.partialFingerprints[LINE_HASH_KEY]!.slice(0, 16)).toBe(r.partialFingerprints[FINGERPRINT_KEY]!.slice(0, 16));
    }
    expect(new Set(run.results.map((r) => r.partialFingerprints[LINE_HASH_KEY])).size).toBe(run.results.length);
    // Two results identical in every part (same fingerprint): :1 and :2, two alerts.
    const report = sampleReport();
    const dup = report.results.find((r) => r.file === 'services.yaml')!;
    const twice = sarifOf({ ...report, results: [...report.results, { ...dup }] }).runs[0]!.results.filter((r) => r.partialFingerprints[FINGERPRINT_KEY] === dup.fingerprint);
    expect(twice.map((r) => r.partialFingerprints[LINE_HASH_KEY])).toEqual([`${dup.fingerprint.slice(0, 16)}:1`, `${dup.fingerprint.slice(0, 16)}:2`]);
  });

  test('lines inserted above a finding leave its primaryLocationLineHash unchanged (the alert follows it)', () => {
    const hashes = (yaml: string, md: string) => {
      const report = normalise(runCheckOnFiles(serviceCheck, { files: { 'services.yaml': yaml, 'REGISTRY.md': md } }));
      return sarifOf(report).runs[0]!.results.map((r) => ({
        uri: r.locations[0]!.physicalLocation.artifactLocation.uri,
        line: r.locations[0]!.physicalLocation.region.startLine,
        hash: r.partialFingerprints[LINE_HASH_KEY],
      }));
    };
    const before = hashes(SERVICES_YAML, REGISTRY_MD);
    const after = hashes(`# a comment\n# another\n${SERVICES_YAML.replace('services:\n', 'services:\n  prometheus:\n    host: observability\n')}`, `<!-- moved -->\n\n${REGISTRY_MD}`);
    expect(after.map((r) => r.hash)).toEqual(before.map((r) => r.hash));
    // The lines did move.
    expect(after.map((r) => r.line)).not.toEqual(before.map((r) => r.line));
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
    expect(run.invocations[0]!.toolExecutionNotifications!.at(-1)).toMatchObject({
      level: 'note',
      message: { text: 'relocation-parity did not run: registry.yaml is unparsable.' },
      associatedRule: { id: 'relocation-parity' },
    });
    expectValid(sarifReporter(report, ctx()));
  });

  test('quiet keeps errors only; rules of core checks that reported are included', () => {
    const run = sarifOf(sampleReport(), { quiet: true }).runs[0]!;
    expect(run.results.every((r) => r.level === 'error')).toBe(true);
    expect(run.results).toHaveLength(2);
  });
});
