import { CORE_CHECKS, docsUrlFor, escapeTerminal, terminalSafeJson, UsageError } from '@spine-lint/core';
import { parse } from '../args.js';
import type { CliIo } from '../io.js';
import { setup } from '../setup.js';

export const listHelp = `Usage: spine-lint list [--format text|json] [--root DIR] [--config FILE]

List every check: id, aliases, title, severity, kind and the bindings it reads.
`;

export async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { format: { type: 'string' }, root: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(listHelp);
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' for list (choose text or json)`);
  const s = await setup({ root: values.root, config: values.config }, io);
  const rows = [...CORE_CHECKS, ...s.checks].map((c) => ({
    id: c.id,
    aliases: [...(c.aliases ?? [])],
    title: c.title,
    severity: s.severities[c.id] ?? Object.entries(s.severities).find(([k]) => (c.aliases ?? []).includes(k))?.[1] ?? c.severity,
    kind: c.kind,
    reads: c.reads.map((r) => s.paths[r] ?? r),
    docsUrl: docsUrlFor(c.id),
  }));
  if (format === 'json') {
    io.stdout(terminalSafeJson(JSON.stringify(rows, null, 2)) + '\n');
    return 0;
  }
  // Ids, titles and paths come from plugins and the config: shown through the terminal escape.
  const nameOf = (r: (typeof rows)[number]): string => escapeTerminal(r.id + (r.aliases.length ? ` (${r.aliases.join(', ')})` : ''));
  const idWidth = Math.max(...rows.map((r) => nameOf(r).length));
  for (const r of rows) {
    const reads = r.reads.length ? `  [reads: ${r.reads.join(', ')}]` : '';
    io.stdout(`${nameOf(r).padEnd(idWidth)}  ${r.severity.padEnd(7)}  ${escapeTerminal(r.kind).padEnd(10)}  ${escapeTerminal(r.title + reads)}\n`);
  }
  return 0;
}
