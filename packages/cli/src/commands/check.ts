import { checkMatches, CORE_CHECKS, exitCodeFor, githubStepSummary, reporterNames, reporters, runChecks, syntaxScan, UsageError, type FindingProducer, type Report } from '@spine-lint/core';
import { schemaBindingsFor, schemaProducer } from '@spine-lint/checks';
import { parse, parseInteger, parseNow, splitList } from '../args.js';
import type { CliIo } from '../io.js';
import { setup, type Setup } from '../setup.js';
import { toolVersion } from '../version.js';

export const checkHelp = `Usage: spine-lint check [options]

Run the static checks on a spine's bindings.

Options:
  --root DIR          spine repository root (default: .)
  --config FILE       config file (default: <root>/.spine-lint.yaml when present)
  --only IDS          run only these checks (ids or aliases, comma-separated: D35,placement-policy)
  --format F          ${reporterNames().join(' | ')} (default: stylish)
  --output FILE       write the report to FILE instead of stdout
  --max-warnings N    exit 1 when there are more than N warnings
  --quiet             report errors only
  --no-color          never colour output (colour is used only on a TTY)
  --color             colour even when not a TTY
  --now DATE          the date freshness checks compare against (default: the current time)
  -h, --help          this help

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage, config or input error.
`;

const options = {
  root: { type: 'string' },
  config: { type: 'string' },
  only: { type: 'string', multiple: true },
  format: { type: 'string' },
  output: { type: 'string' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Extra producers (schema validation) registered by the catalog or other modules. */
export const extraProducers: ((setup: Setup, only: readonly string[]) => FindingProducer)[] = [];
extraProducers.push((s, only) => schemaProducer({ bindings: schemaBindingsFor(only, s.checks, s.workspace) }));

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, options);
  if (values.help) {
    io.stdout(checkHelp);
    return 0;
  }
  const format = values.format ?? 'stylish';
  const reporter = reporters[format];
  if (!reporter) throw new UsageError(`unknown format '${format}' (choose from ${reporterNames().join(', ')})`);
  const maxWarnings = parseInteger('max-warnings', values['max-warnings']);
  const now = parseNow(values.now);
  const s = await setup({ root: values.root, config: values.config }, io);
  const only = splitList(values.only);
  for (const name of only) {
    if (![...CORE_CHECKS, ...s.checks].some((c) => checkMatches(c, name))) throw new UsageError(`--only: no check has the id or alias '${name}' (see 'spine-lint list')`);
  }
  const report: Report = runChecks({
    workspace: s.workspace,
    checks: s.checks,
    only,
    severities: s.severities,
    checkOptions: s.checkOptions,
    now,
    producers: [...(only.length === 0 || only.includes('parse') ? [syntaxScan(s.bindingDirs)] : []), ...extraProducers.map((p) => p(s, only))],
  });
  const color = values['no-color'] ? false : values.color ? true : io.stdoutIsTTY && !io.env.NO_COLOR;
  const reporterContext = { color, cwd: io.cwd, rootPrefix: s.rootPrefix, version: toolVersion(), quiet: values.quiet };
  const text = reporter(report, reporterContext);
  // GitHub shows only 10 annotations per level: the step summary gets the full table.
  if (format === 'github' && io.env.GITHUB_STEP_SUMMARY) {
    const { appendFileSync } = await import('node:fs');
    appendFileSync(io.env.GITHUB_STEP_SUMMARY, githubStepSummary(report, reporterContext));
  }
  if (values.output) {
    const { writeFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    writeFileSync(resolve(io.cwd, values.output), text);
  } else io.stdout(text);
  return exitCodeFor(values.quiet ? { errors: report.summary.errors, warnings: 0 } : report.summary, maxWarnings);
}
