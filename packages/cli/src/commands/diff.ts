import { recordIdFields } from '@spine-lint/checks';
import { diffWorkspaces, formatDiffJson, formatDiffStylish, normalisePath, UsageError, type Workspace } from '@spine-lint/core';
import { parse, splitList } from '../args.js';
import type { CliIo } from '../io.js';
import { changedScope, gateWorkspaces } from '../prGate.js';
import { setup } from '../setup.js';
import { useColor } from '../optionTables.js';

export const diffHelp = `Usage: spine-lint diff --base REV [--head REV | --staged] [options] [files...]

Print what changed in meaning between two states of the bindings: records added or removed by id
(services, hosts, endpoints, compose stacks, backup targets…), changed fields as old → new, each at
its line and column in the head file. Lists of records are matched by their id field, not by index,
so a reordering is no change.

Options:
  --base REV          the revision to compare against (required)
  --head REV          the revision to compare (default: the working tree)
  --staged            compare the index (what would be committed) instead of the working tree
  --root DIR          spine repository root (default: .)
  --config FILE       config file (default: <root>/.spine-lint.yaml when present)
  --format F          stylish | json (default: stylish)
  --id-fields LIST    fields identifying records, first present wins (default: ${recordIdFields.join(',')})
  --exit-code         exit 1 when there are changes (like git diff --exit-code)
  --no-color / --color
  files...            only these files (default: every binding of the layout and binding directories)
  -h, --help          this help

Exit codes: 0 (or 1 with --exit-code and changes), 2 usage error or unknown revision.
`;

const options = {
  base: { type: 'string' },
  head: { type: 'string' },
  staged: { type: 'boolean' },
  root: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  'id-fields': { type: 'string', multiple: true },
  'exit-code': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Every binding file of either side: the layout's files and the binding directories' YAML/Markdown. */
function candidateFiles(workspaces: readonly Workspace[], paths: Record<string, string>, dirs: readonly string[]): string[] {
  const out = new Set<string>(Object.values(paths).map(normalisePath));
  for (const ws of workspaces) for (const dir of dirs) for (const p of ws.list(dir)) if (/\.(ya?ml|md|markdown)$/i.test(p)) out.add(p);
  return [...out];
}

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, options, true);
  if (values.help) {
    io.stdout(diffHelp);
    return 0;
  }
  if (!values.base) throw new UsageError('diff needs --base REV (the revision to compare against)');
  const format = values.format ?? 'stylish';
  if (format !== 'stylish' && format !== 'json') throw new UsageError(`diff: unknown format '${format}' (choose from stylish, json)`);
  const idFields = splitList(values['id-fields']);
  const s = await setup({ root: values.root, config: values.config }, io);
  const gate = gateWorkspaces(s, { base: values.base, head: values.head, staged: values.staged });
  const base = gate.base!;
  // A path the head deleted is still a file to diff: missing arguments are kept.
  const only = changedScope(s.root, io.cwd, false, positionals, true);
  const files = only ?? candidateFiles([base, gate.head], s.paths, s.bindingDirs);
  const diff = diffWorkspaces(base, gate.head, files, idFields.length ? { idFields } : {});
  const color = useColor(values, io.stdoutIsTTY, io.env);
  const labels = { base: values.base, head: gate.headLabel };
  io.stdout(format === 'json' ? formatDiffJson(diff, labels) : formatDiffStylish(diff, { ...labels, color, rootPrefix: s.rootPrefix }));
  return values['exit-code'] && diff.length > 0 ? 1 : 0;
}
