import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect, test } from 'vitest';
import { githubReporter, githubStepSummary, jsonReporter, junitReporter, runCheckOnFiles, sarifReporter, stylishReporter } from '@spine-lint/core';
import { ctx, normalise, serviceCheck } from './support.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../../test/fixtures/sarif-2.1.0.schema.json', import.meta.url), 'utf8')) as object);

/** Deterministic PRNG (mulberry32), so a failure is reproducible from the printed seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOL = [
  '%',
  '%0A',
  '\r',
  '\n',
  '::',
  ',',
  ':',
  '=',
  '<',
  '>',
  '&',
  '"',
  "'",
  ']]>',
  '|',
  '`',
  '[',
  ']',
  '(',
  ')',
  '\u001b[31m',
  '\u0000',
  '\u0007',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udc00',
  '\u{1f680}',
  'é',
  '漢',
  ' ',
  '\t',
  'a',
  'b',
  '-',
  '/',
];

function randomText(next: () => number): string {
  let s = '';
  const n = 1 + Math.floor(next() * 12);
  for (let i = 0; i < n; i++) s += POOL[Math.floor(next() * POOL.length)];
  return s;
}

const XML10_FORBIDDEN = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' || n === 'testsuite' });

test('every reporter stays well-formed and injection-free with arbitrary Unicode in names and messages', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const next = rng(seed);
    const names = [randomText(next), randomText(next)];
    const yaml = `services:\n${names.map((n) => `  ${JSON.stringify(n)}:\n    host: ""\n`).join('')}`;
    const report = normalise(runCheckOnFiles(serviceCheck, { files: { 'services.yaml': yaml }, options: { runNote: randomText(next) } }));
    const context = ctx({ rootPrefix: randomText(next).replace(/[\r\n]/g, '') + '/' });
    const label = `seed ${seed}`;

    expect(() => JSON.parse(jsonReporter(report, context)), label).not.toThrow();

    const sarif = JSON.parse(sarifReporter(report, context)) as object;
    expect(validate(sarif), `${label}: ${JSON.stringify(validate.errors)}`).toBe(true);

    const xml = junitReporter(report, context);
    expect(XMLValidator.validate(xml), label).toBe(true);
    expect(XML10_FORBIDDEN.test(xml), label).toBe(false);
    const doc = parser.parse(xml) as { testsuites: { tests: string; testsuite: { testcase: unknown[] }[] } };
    expect(
      doc.testsuites.testsuite.reduce((n, s) => n + s.testcase.length, 0),
      label,
    ).toBe(Number(doc.testsuites.tests));

    const gh = githubReporter(report, context);
    const commandLines = gh.split('\n').filter((l) => l.startsWith('::'));
    expect(commandLines, label).toHaveLength(report.results.length);
    expect(RAW_CONTROL.test(gh), label).toBe(false);
    expect(
      gh.split('\n').filter((l) => l !== '' && !l.startsWith('::')),
      label,
    ).toHaveLength(1);

    const summary = githubStepSummary(report, context);
    const rows = summary.split('\n').filter((l) => /^\| (error|warning) \|/.test(l));
    expect(rows, label).toHaveLength(report.results.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/), `${label}: ${row}`).toHaveLength(6);
    expect(/[<>]/.test(rows.join('')), label).toBe(false);

    const stylish = stylishReporter(report, context);
    expect(RAW_CONTROL.test(stylish.replace(/\n/g, '')), label).toBe(false);
  }
});
