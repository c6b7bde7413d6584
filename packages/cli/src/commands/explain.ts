import { readFileSync } from 'node:fs';
import { checkMatches, CORE_CHECKS, docsUrlFor, escapeTerminal, optionsTable, UsageError } from '@spine-lint/core';
import { catalog } from '@spine-lint/checks';
import { parse } from '../args.js';
import type { CliIo } from '../io.js';

export const explainHelp = `Usage: spine-lint explain <check-id-or-alias>

Print a check's documentation page: what it enforces, why, examples, and how to fix a finding.
`;

/**
 * The check pages this package ships: the build copies `docs/checks/<id>.md` of the repository to
 * `dist/check-pages/` (scripts/build-validators.mjs), which `files` publishes. Resolved from this
 * module: `../../dist/` is the same directory from `src/commands/` and from `dist/commands/`.
 */
export const checkPagesDir = new URL('../../dist/check-pages/', import.meta.url);

export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout(explainHelp);
    return 0;
  }
  const name = positionals[0];
  if (!name || positionals.length > 1) throw new UsageError("explain takes one check id or alias, e.g. 'spine-lint explain D35'");
  const check = [...CORE_CHECKS, ...catalog].find((c) => checkMatches(c, name));
  if (!check) throw new UsageError(`no check has the id or alias '${name}' (see 'spine-lint list')`);
  let page: string | undefined;
  try {
    page = readFileSync(new URL(`${check.id}.md`, checkPagesDir), 'utf8');
  } catch {
    page = undefined;
  }
  if (page === undefined) {
    page = `# ${check.id}\n\n${check.title}\n\n${check.description}\n\nSeverity: ${check.severity}\nKind: ${check.kind}\n${check.fixHint ? `\nHow to fix: ${check.fixHint}\n` : ''}\nDocs: ${docsUrlFor(check.id)}\n`;
    // The options, from the check's schema (a page shows the same table under `## Options`).
    const options = optionsTable(check);
    if (options) page += `\n## Options\n\n${options}`;
  }
  io.stdout(escapeTerminal(page).replace(/\\n/g, '\n').replace(/\\x09/g, '\t') + (page.endsWith('\n') ? '' : '\n'));
  return 0;
}
