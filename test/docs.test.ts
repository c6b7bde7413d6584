/**
 * Docs cannot drift from code: every check (catalog and core) has `docs/checks/<id>.md` whose front
 * matter `title` is the id and `severity` the metadata's default severity, with the sections the
 * check pages share; a check with options shows them under `## Options` as the table its
 * `optionsSchema` and `defaultOptions` give (`optionsTable`), with a YAML example the schema accepts,
 * and a check without options has no such section; and no page documents a check that does not exist. (The CI workflow,
 * docs/github-workflow.yml, is linted and run by test/action.test.ts.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkOptionsProblems, CORE_CHECKS, optionsTable, type CheckMeta } from '@spine-lint/core';
import { catalog } from '@spine-lint/checks';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const docsDir = fileURLToPath(new URL('../docs/checks/', import.meta.url));
const checks: CheckMeta[] = [...CORE_CHECKS, ...catalog];

function frontMatter(text: string): Record<string, unknown> | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  return m ? (parse(m[1]!) as Record<string, unknown>) : undefined;
}

describe('docs/checks/<id>.md', () => {
  it('the catalog is not empty and ids are unique', () => {
    expect(catalog.length).toBeGreaterThan(0);
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });

  it.each(checks.map((c) => [c.id, c] as const))('%s has a page whose front matter agrees with its metadata', (id, check) => {
    const file = `${docsDir}${id}.md`;
    expect(existsSync(file), `missing docs/checks/${id}.md`).toBe(true);
    const text = readFileSync(file, 'utf8');
    const fm = frontMatter(text);
    expect(fm, `docs/checks/${id}.md has no front matter`).toBeDefined();
    expect(fm!.title).toBe(id);
    expect(fm!.severity).toBe(check.severity);
    // Real content below the front matter, with a heading.
    const body = text.replace(/^---[\s\S]*?\n---\r?\n/, '');
    expect(body).toMatch(/^#{1,3} /m);
    expect(body.trim().length).toBeGreaterThan(200);
  });

  it.each(checks.map((c) => [c.id, c] as const))('%s documents its options as its schema declares them', (id, check) => {
    const text = readFileSync(`${docsDir}${id}.md`, 'utf8');
    const section = /^## Options\r?\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text)?.[1];
    if (!check.optionsSchema) {
      expect(section, `docs/checks/${id}.md has an Options section but the check declares no optionsSchema`).toBeUndefined();
      return;
    }
    expect(section, `docs/checks/${id}.md needs an '## Options' section`).toBeDefined();
    // The table is the schema's, verbatim (the expected text is printed on failure: paste it into the page).
    expect(section!.replace(/\r\n/g, '\n'), `docs/checks/${id}.md: the options table must be\n${optionsTable(check)}`).toContain(optionsTable(check));
    // The example configures options the schema accepts.
    const example = /```yaml\r?\n([\s\S]*?)```/.exec(section!)?.[1];
    expect(example, `docs/checks/${id}.md: the Options section needs a YAML example`).toBeDefined();
    const options = (parse(example!) as { checks: Record<string, { options: Record<string, unknown> }> }).checks[id]!.options;
    expect(checkOptionsProblems(check, options)).toEqual([]);
  });

  it('every page documents an existing check', () => {
    const ids = new Set(checks.map((c) => c.id));
    const orphans = readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.slice(0, -3))
      .filter((id) => !ids.has(id));
    expect(orphans).toEqual([]);
  });
});
