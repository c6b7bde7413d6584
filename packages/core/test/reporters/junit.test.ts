import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { escapeXml, junitReporter, reporters, type Report } from '@spine-lint/core';
import { ctx, expectGolden, sampleReport } from './support.js';

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: string;
  failure?: { message: string; type: string; '#text': string }[];
  'system-out'?: string[];
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  testcase: Case[];
}
interface Doc {
  testsuites: { name: string; tests: string; failures: string; errors: string; time: string; testsuite: Suite[] };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'system-out', 'property'].includes(name),
});

/** XML 1.0 `Char` production: anything outside it makes the document ill-formed. */
const XML10_FORBIDDEN = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

function read(xml: string): Doc {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(XML10_FORBIDDEN.test(xml)).toBe(false);
  return parser.parse(xml) as Doc;
}

describe('junit reporter', () => {
  test('is registered as --format junit', () => {
    expect(reporters.junit).toBe(junitReporter);
  });

  test('golden output', () => {
    expectGolden('junit.xml', junitReporter(sampleReport(), ctx()));
  });

  test('parsed back by an XML reader: one suite per check, one case per finding, failures for errors', () => {
    const report = sampleReport();
    const doc = read(junitReporter(report, ctx()));
    const root = doc.testsuites;
    expect(root).toMatchObject({ name: 'spine-lint', tests: '5', failures: '3', errors: '0', time: '0.000' });
    expect(root.testsuite.map((s) => s.name)).toEqual(['service-host']);
    const suite = root.testsuite[0]!;
    expect(suite).toMatchObject({ tests: '5', failures: '3' });
    expect(suite.testcase).toHaveLength(5);
    const failures = suite.testcase.filter((c) => c.failure);
    expect(failures).toHaveLength(3);
    expect(suite.testcase.filter((c) => c['system-out'])).toHaveLength(2);
    // Names: the check and the finding's identity (file, JSON pointer, fingerprint), never the line.
    const fp = report.results.map((r) => r.fingerprint);
    expect(suite.testcase.map((c) => c.name)).toEqual([
      `service-host: (run) [${fp[0]}]`,
      `service-host: REGISTRY.md#/tables/0/rows/1/1 [${fp[1]}]`,
      `service-host: services.yaml#/services/grafana/host [${fp[2]}]`,
      `service-host: services.yaml#/services/grafana/ports [${fp[3]}]`,
      `service-host: services.yaml#/services/evil%0A::error::x,y:z\\x1b[31m\r\n::warning file=a::injected [${fp[4]}]`,
    ]);
    const grafana = suite.testcase[2]!;
    expect(grafana).toMatchObject({ classname: 'service-host', file: 'services.yaml', line: '3' });
    expect(grafana.failure![0]).toMatchObject({ message: "service 'grafana' has no host", type: 'error' });
    expect(grafana.failure![0]!['#text']).toContain('fix: Add `host:` to the service.');
    // Markup in names round-trips through the escaping.
    expect(suite.testcase[1]!['system-out']![0]).toContain(`warning: registry row for 'loki' has status '<retired> & "gone"'`);
  });

  test('control characters and lone surrogates cannot break the document; CR/LF survive in attributes', () => {
    const doc = read(junitReporter(sampleReport('bell\u0007 esc\u001b[31m nul\u0000 \ufffe lone\udc00 ok\u{1f680} "q" \'a\' <x/> ]]>'), ctx()));
    const cases = doc.testsuites.testsuite[0]!.testcase;
    expect(cases[0]!.failure![0]!.message).toBe(`run-level note: bell\\x07 esc\\x1b[31m nul\\x00 \\ufffe lone\\udc00 ok\u{1f680} "q" 'a' <x/> ]]>`);
    const evil = cases[4]!.failure![0]!.message;
    expect(evil).toBe("service 'evil%0A::error::x,y:z\\x1b[31m\r\n::warning file=a::injected' has no host");
  });

  test('a check without findings is one passing case; quiet drops warnings', () => {
    const report = sampleReport();
    const clean = { ...report, results: [] };
    const doc = read(junitReporter(clean, ctx()));
    expect(doc.testsuites).toMatchObject({ tests: '1', failures: '0' });
    expect(doc.testsuites.testsuite[0]!.testcase).toEqual([{ name: 'service-host', classname: 'service-host', time: '0' }]);
    const quiet = read(junitReporter(report, ctx({ quiet: true })));
    expect(quiet.testsuites).toMatchObject({ tests: '3', failures: '3' });
  });

  test('test case names stay the same when lines move, and are unique (classname + name) even for identical findings', () => {
    const report = sampleReport();
    const names = (r: Report): string[] => read(junitReporter(r, ctx())).testsuites.testsuite.flatMap((t) => t.testcase.map((c) => `${c.classname}\u0000${c.name}`));
    const moved: Report = { ...report, results: report.results.map((r) => (r.file ? { ...r, line: r.line + 7, endLine: r.endLine + 7 } : r)) };
    expect(names(moved)).toEqual(names(report));
    const dup = report.results.find((r) => r.file === 'services.yaml')!;
    const twice = names({ ...report, results: [...report.results, { ...dup }, { ...dup }] });
    expect(new Set(twice).size).toBe(twice.length);
    expect(twice.filter((n) => n.includes(dup.fingerprint)).map((n) => n.split('\u0000')[1]!.replace(/^.*\]/, ''))).toEqual(['', ' (2)', ' (3)']);
  });

  test('warnings: failures (type="warning") when --max-warnings makes them fail the run, passing cases with <system-out> otherwise', () => {
    const report = sampleReport();
    expect(report.summary.warnings).toBe(2);
    const failuresOf = (over: Parameters<typeof ctx>[0]) => {
      const doc = read(junitReporter(report, ctx(over)));
      const cases = doc.testsuites.testsuite.flatMap((t) => t.testcase);
      return { total: doc.testsuites.failures, types: cases.flatMap((c) => (c.failure ?? []).map((f) => f.type)).sort(), out: cases.filter((c) => c['system-out']).length };
    };
    // No --max-warnings, or warnings within it: the run passes on warnings; they are passing cases.
    expect(failuresOf({})).toEqual({ total: '3', types: ['error', 'error', 'error'], out: 2 });
    expect(failuresOf({ maxWarnings: 2 })).toEqual({ total: '3', types: ['error', 'error', 'error'], out: 2 });
    // More warnings than allowed: exit 1, and the test view says why.
    expect(failuresOf({ maxWarnings: 1 })).toEqual({ total: '5', types: ['error', 'error', 'error', 'warning', 'warning'], out: 0 });
    expect(failuresOf({ maxWarnings: 0 })).toMatchObject({ total: '5' });
    // --quiet drops warnings (and the exit code ignores them).
    expect(failuresOf({ maxWarnings: 0, quiet: true })).toEqual({ total: '3', types: ['error', 'error', 'error'], out: 0 });
  });

  test('escapeXml', () => {
    expect(escapeXml('a&b<c>"d"\'e\'')).toBe('a&amp;b&lt;c&gt;"d"\'e\'');
    expect(escapeXml('"\t\n\r', true)).toBe('&quot;&#9;&#10;&#13;');
    expect(escapeXml('\u0001\u007f\ud800x\ud83d\ude80')).toBe('\\x01\\x7f\\ud800x\ud83d\ude80');
  });
});

describe('junit reporter read by a JUnit reader (junit2json)', () => {
  test('the JUnit model sees the suites, cases and failures the report holds', async () => {
    const { parse } = await import('junit2json');
    const report = sampleReport();
    const parsed = (await parse(junitReporter(report, ctx()))) as {
      tests?: number;
      failures?: number;
      testsuite?: { name?: string; tests?: number; failures?: number; testcase?: { name?: string; failure?: { message?: string }[] }[] }[];
    };
    const errors = report.results.filter((r) => r.severity === 'error').length;
    expect(parsed.failures).toBe(errors);
    const suites = parsed.testsuite ?? [];
    expect(suites.map((s) => s.name).sort()).toEqual([...new Set(report.checks.map((c) => c.id))].sort());
    const failures = suites.flatMap((s) => (s.testcase ?? []).flatMap((c) => c.failure ?? []));
    expect(failures).toHaveLength(errors);
    for (const suite of suites) expect(suite.failures).toBe((suite.testcase ?? []).filter((c) => (c.failure ?? []).length > 0).length);
  });
});
