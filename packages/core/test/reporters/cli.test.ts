import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../cli/test/support.js';

// Every format through the CLI, on a real directory with a real parse finding (a duplicate key).
const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'spine-lint-formats-'));
  mkdirSync(join(root, 'ops/bindings'), { recursive: true });
  writeFileSync(join(root, 'ops/bindings/dup.yaml'), 'a: 1\nb: 2\na: 3\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('formats through the CLI', () => {
  test('github: annotations on stdout, the full table appended to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(root, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['check', '--root', root, '--only', 'parse', '--format', 'github'], { cwd: root, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=ops\/bindings\/dup\.yaml,line=3,endLine=3,col=1,endColumn=2,title=parse::/m);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## spine-lint\n')).toBe(true);
    expect(text).toMatch(/^\| error \| \[parse\]\(.*\) \| ops\/bindings\/dup\.yaml:3:1 \| .*duplicate.* \|$/im);
    // Annotations do not depend on the summary file.
    const again = await runCli(['check', '--root', root, '--only', 'parse', '--format', 'github'], { cwd: root, env: {} });
    expect(again.stdout).toBe(r.stdout);
  });

  test('sarif output of the CLI is valid against the official schema', async () => {
    const r = await runCli(['check', '--root', root, '--only', 'parse', '--format', 'sarif'], { cwd: root });
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../../test/fixtures/sarif-2.1.0.schema.json', import.meta.url), 'utf8')) as object);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([['parse', 'ops/bindings/dup.yaml']]);
  });

  test('junit output of the CLI parses back', async () => {
    const r = await runCli(['check', '--root', root, '--only', 'parse', '--format', 'junit']);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(r.stdout) as { testsuites: { failures: string } };
    expect(doc.testsuites.failures).toBe('1');
  });
});
