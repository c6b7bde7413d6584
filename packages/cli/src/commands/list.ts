import { CORE_CHECKS, docsUrlFor, escapeTerminal, terminalSafeJson, UsageError } from '@spine-lint/core';
import { parse } from '../args.js';
import type { CliIo } from '../io.js';
import { setup } from '../setup.js';
import { defaultPaths } from '@spine-lint/checks';

export const listHelp = `Usage: spine-lint list [--bindings] [--format stylish|json] [--root DIR] [--config FILE]

List every check: id, aliases, title, severity, kind and the bindings it reads.
With --bindings, list the binding names instead: the names \`paths:\` in .spine-lint.yaml takes,
each with its path in this spine and its default path.
`;

export async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    format: { type: 'string', short: 'f' },
    root: { type: 'string' },
    config: { type: 'string', short: 'c' },
    bindings: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(listHelp);
    return 0;
  }
  // `stylish` as `check` calls its human format; `text` is the old name, still accepted.
  const format = values.format === 'text' ? 'stylish' : (values.format ?? 'stylish');
  if (format !== 'stylish' && format !== 'json') throw new UsageError(`unknown format '${format}' for list (choose stylish or json)`);
  const s = await setup({ root: values.root, config: values.config }, io);
  const bindingNames = new Set([...Object.keys(defaultPaths), ...[...CORE_CHECKS, ...s.checks].flatMap((c) => c.reads.filter((r) => !r.includes('/') && !r.includes('*')))]);
  const binding = (name: string): { name: string; path: string; defaultPath: string | null } => ({
    name,
    path: s.paths[name] ?? name,
    defaultPath: (defaultPaths as Record<string, string>)[name] ?? null,
  });
  if (values.bindings) {
    const rows = [...bindingNames].sort().map(binding);
    if (format === 'json') io.stdout(terminalSafeJson(JSON.stringify(rows, null, 2)) + '\n');
    else {
      const width = Math.max(...rows.map((r) => escapeTerminal(r.name).length));
      for (const r of rows)
        io.stdout(`${escapeTerminal(r.name).padEnd(width)}  ${escapeTerminal(r.path)}${r.defaultPath !== null && r.defaultPath !== r.path ? `  (default ${escapeTerminal(r.defaultPath)})` : ''}\n`);
    }
    return 0;
  }
  const rows = [...CORE_CHECKS, ...s.checks].map((c) => ({
    id: c.id,
    aliases: [...(c.aliases ?? [])],
    title: c.title,
    severity: s.severities[c.id] ?? Object.entries(s.severities).find(([k]) => (c.aliases ?? []).includes(k))?.[1] ?? c.severity,
    kind: c.kind,
    reads: c.reads.map((r) => s.paths[r] ?? r),
    // The binding names among the reads (what `paths:` takes), with their paths here and by default.
    bindings: c.reads.filter((r) => bindingNames.has(r)).map(binding),
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
