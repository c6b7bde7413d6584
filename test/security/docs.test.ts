/**
 * docs/security.md names one test per threat; this keeps the page honest: every row names a
 * test file that exists and a test (it/test/describe title) that the file really declares.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(`${REPO}/docs/security.md`, 'utf8');

/** Rows of the threat tables: [threat, file, test name]. */
const rows = page
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| Threat') && !l.startsWith('|---'))
  .map((l) => {
    const m = /`([^`]+\.test\.ts)` › "(.+)" \|\s*$/.exec(l);
    return { line: l, file: m?.[1], name: m?.[2] };
  });

describe('docs/security.md', () => {
  it('has a row for each threat of issue 9, every row naming exactly one test', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const r of rows) expect(r.file, r.line).toBeDefined();
    for (const [heading] of [['## Broken YAML and Markdown'], ['## Wrong types at every field a check reads'], ['## Output injection'], ['## Remote safety'], ['## Filesystem safety']])
      expect(page).toContain(heading);
  });

  it.each(rows.filter((r) => r.file).map((r) => [r.name!, r.file!]))('"%s" is declared in %s', (name, file) => {
    expect(existsSync(`${REPO}/${file}`), file).toBe(true);
    const source = readFileSync(`${REPO}/${file}`, 'utf8');
    // The title as a string literal of it(…)/test(…)/describe(…), in any quote style.
    const literal = [`'${name.replace(/'/g, "\\'")}'`, `"${name}"`, `\`${name}\``];
    expect(
      literal.some((l) => source.includes(l)),
      `${file} does not declare a test named ${JSON.stringify(name)}`,
    ).toBe(true);
  });
});
