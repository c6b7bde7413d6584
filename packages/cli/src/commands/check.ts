import {
  appendFileSafe,
  checkMatches,
  CORE_CHECKS,
  DEFAULT_MAX_ALIAS_COUNT,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_SARIF_CATEGORY,
  effectiveSeverity,
  escapeTerminal,
  optionsWithDefaults,
  terminalSafeJson,
  exitCodeFor,
  githubStepSummary,
  outsideRootReason,
  RecordingSource,
  reporterFor,
  reporterNames,
  RunClock,
  runChecks,
  syntaxScan,
  UsageError,
  writeFileAtomic,
  type FindingProducer,
  type Report,
} from '@spine-lint/core';
import { catalog, schemaBindingsFor, schemaProducer } from '@spine-lint/checks';
import { outputTargets, parse, parseInteger, parseNow, splitList, suggestion, type OutputTarget } from '../args.js';
import { checkOptions } from '../optionTables.js';
import { loadWellFormed, runCacheRequest, storeInCache, type CacheSite } from '../runCache.js';
import type { CliIo } from '../io.js';
import { DirectorySource, type FileSource, type ReporterContext, type Workspace } from '@spine-lint/core';
import { resolve } from 'node:path';
import { isConfigFileName, mayMatter, readsListedFiles, runLifetime } from '@spine-lint/core/decide';
import { baselineStep, changedScope, gateWorkspaces, hideKnownAtBase, scopeOf, workspaceFrom } from '../prGate.js';
import { assertSettled, fixDiff, fixPasses, writeFixed, type FixOutcome } from '../fixRun.js';
import { setup, type Setup } from '../setup.js';
import { configChangeProducer, trustedBaseline } from '../trustedConfig.js';
import { reporterContextFor } from '../reporterContext.js';

export const checkHelp = `Usage: spine-lint check [options] [files...]

Run the static checks on a spine's bindings.

Options:
  --root DIR          spine repository root (default: .); every report names files from it
  -c, --config FILE   config file (default: <root>/.spine-lint.yaml when present)
  --only IDS          run only these checks (ids or aliases, comma-separated: D35,placement-policy)
  -f, --format F      ${reporterNames().join(' | ')} (default: stylish)
  -o, --output FILE   write the report of the -f before it to FILE instead of stdout (also
                      --output-file). Pairs repeat, one run writing several reports:
                      -f sarif -o spine-lint.sarif -f github -f junit -o junit.xml
                      (at most one format without -o, written to stdout)
  --sarif-category C  SARIF runs[].automationDetails.id: the code scanning category that
                      analyses are compared within (default: ${DEFAULT_SARIF_CATEGORY})
  --max-warnings N    exit 1 when there are more than N warnings (JUnit then reports them as failures)
  --quiet             report errors only
  --no-color          never colour output (colour is used only on a TTY)
  --color             colour even when not a TTY
  --now DATE          the date freshness checks compare against (default: the current time)
  --base REV          pull-request gate: run the transition checks against REV and report only
                      findings that REV did not already have (the summary counts the hidden ones)
                      The gate's configuration (checks, severities, options, paths, plugins,
                      baseline) is REV's: a change to it is a config-change finding
  --head REV          check the bindings of REV instead of the working tree
  --staged            check the staged bindings (the git index) against HEAD, as --base does:
                      report only the findings the staged change introduces (and the transition
                      checks); one line counts the existing ones. No commit yet: everything is new
  --all-findings      list every finding, also those the base (--base REV, HEAD for --staged)
                      already has
  files...            only the checks whose bindings include one of these files run (pre-commit);
                      with --staged, the staged files. Nothing relevant changed: exit 0 at once
                      (json, sarif, junit, gitlab, github and any --output still get an empty report)
  --plugin MODULE     load extra checks from MODULE (a path or package name; repeatable)
  --baseline FILE     hide findings listed in FILE (fingerprint-keyed); report entries that no longer match
  --update-baseline   write every current finding to the --baseline FILE (the only file spine-lint writes
                      besides the --cache file)
  --cache             replay the report of an identical earlier run when nothing it read has changed
                      (same tool build, arguments, config, files, and a clock still inside what its
                      freshness checks depend on); otherwise run and store. Replays are not made for
                      --staged, --base, --head, files, baselines or plugins; every --cache run still
                      skips re-parsing YAML files an earlier run found well-formed (by content hash)
  --cache-location P  the cache file, or a directory for it (default: $XDG_CACHE_HOME/spine-lint/,
                      else ~/.cache/spine-lint/)
  --fix               apply the fixes of the findings that have one (edits that are certainly right;
                      never suggestions) to the bindings, in passes until nothing changes, then
                      report what is left. Only binding files inside the root are written, each
                      atomically and only if unchanged since it was read
  --fix-dry-run       print the fixes as a unified diff instead (nothing is written)
  --print-config      print the configuration the run would use (the config file merged with
                      every default: paths, severities, options, limits) as JSON, and exit 0
  -h, --help          this help

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage, config or input error.
`;

const options = checkOptions;

/** Extra producers (schema validation) registered by the catalog or other modules. */
export const extraProducers: ((setup: Setup, only: readonly string[]) => FindingProducer)[] = [];
extraProducers.push((s, only) => schemaProducer({ bindings: schemaBindingsFor(only, s.checks, s.workspace) }));

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, options, true);
  if (values.help) {
    io.stdout(checkHelp);
    return 0;
  }
  if (values['print-config']) {
    const loaded = await setup(
      { root: values.root, config: values.config, plugins: values.plugin, trustBase: values.base ? { base: values.base, side: { head: values.head, staged: values.staged } } : undefined },
      io,
    );
    io.stdout(terminalSafeJson(JSON.stringify(effectiveConfig(loaded), null, 2)) + '\n');
    return 0;
  }
  const targets = outputTargets(argv, options, reporterNames());
  const sarifCategory = values['sarif-category'];
  if (sarifCategory !== undefined && sarifCategory.trim() === '') throw new UsageError('--sarif-category takes a non-empty name, such as spine-lint/ or bindings/pr');
  const maxWarnings = parseInteger('max-warnings', values['max-warnings']);
  const fixing = Boolean(values.fix || values['fix-dry-run']);
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix writes the fixes, --fix-dry-run prints them: give one');
  // Fixes are edits of the working tree: never of a revision, the index or the base's files.
  for (const flag of ['base', 'head', 'staged', 'update-baseline'] as const) {
    if (fixing && values[flag]) throw new UsageError(`--${values.fix ? 'fix' : 'fix-dry-run'} edits the working tree's bindings; it cannot be combined with --${flag}`);
  }
  const now = parseNow(values.now);
  // Pre-commit fast path: decided before the config, the catalog run or any binding is read.
  const { relative: relativePath, resolve: resolvePath } = await import('node:path');
  const rootDir = resolvePath(io.cwd, values.root ?? '.');
  const changed = changedScope(rootDir, io.cwd, Boolean(values.staged), positionals);
  // Nothing to check: the machine formats (and any --output) still get their document, an empty
  // report; stylish on stdout stays silent (the pre-commit hook's quiet no-op).
  const nothingToDo = (): number => {
    const rel = relativePath(io.cwd, rootDir);
    const rootPrefix = rel === '' ? '' : rel.split('\\').join('/') + '/';
    writeReports(emptyReport(), targets, reporterContextFor({ root: rootDir, rootPrefix }, values, io, { maxWarnings, sarifCategory }), io, { silentStylish: true });
    return 0;
  };
  // A file that cannot be a binding matters only to a check that reads the files its bindings list
  // (the catalog has such checks): scopeOf decides for it, after setup. (A plugin's checks are
  // known only after setup: were the catalog to have none, this answer would not see a plugin's.)
  const listsFiles = readsListedFiles(catalog);
  if (changed && !changed.some((p) => mayMatter(p, listsFiles))) return nothingToDo();
  // --cache: record what the run reads, to store its report for an identical later run (runCache.ts).
  // Every --cache run (replayable or not: --staged too) also skips parsing YAML texts an earlier
  // run of this build found well-formed.
  const cacheRequest = values.cache ? runCacheRequest(argv, io.cwd, io.env, io.stdoutIsTTY) : undefined;
  const cacheSite: CacheSite | undefined = cacheRequest && ('reason' in cacheRequest ? cacheRequest.site : cacheRequest);
  const wellFormedYaml = cacheSite ? loadWellFormed(cacheSite) : undefined;
  const knownWellFormed = wellFormedYaml?.size ?? 0;
  let recorder: RecordingSource | undefined;
  const wrapSource = cacheRequest && !('reason' in cacheRequest) ? (source: FileSource) => (recorder = new RecordingSource(source)) : undefined;
  // With --base, the gate's configuration is the base revision's (trustedConfig.ts).
  const trustBase = values.base ? { base: values.base, side: { head: values.head, staged: values.staged } } : undefined;
  const loaded = await setup({ root: values.root, config: values.config, wrapSource, wellFormedYaml, trustBase, plugins: values.plugin }, io);
  let only = splitList(values.only);
  for (const name of only) {
    const known = [...CORE_CHECKS, ...loaded.checks];
    if (!known.some((c) => checkMatches(c, name)))
      throw new UsageError(
        `--only: no check has the id or alias '${name}'${suggestion(
          name,
          known.flatMap((c) => [c.id, ...(c.aliases ?? [])]),
        )} (see 'spine-lint list')`,
      );
  }
  let gated: ReturnType<typeof gateWorkspaces> | undefined;
  const gateOf = (): ReturnType<typeof gateWorkspaces> => (gated ??= gateWorkspaces(loaded, { base: values.base, head: values.head, staged: values.staged }));
  if (changed) {
    const configPath = loaded.config.source ? resolvePath(loaded.config.source) : undefined;
    const configChanged = changed.some((p) => isConfigFileName(p) || (configPath !== undefined && resolvePath(loaded.root, p) === configPath));
    // Listed files are looked up in the head's listing bindings and the base's (taken off a list matters too).
    const scope = scopeOf(loaded, changed, only, configChanged, () => {
      const g = gateOf();
      return g.base ? [g.head, g.base] : [g.head];
    });
    if (scope.nothingToDo) return nothingToDo();
    if (scope.only) only = scope.only;
  }
  const gate = gateOf();
  const s: Setup = { ...loaded, workspace: gate.head };
  const producersFor = (setupFor: Setup): FindingProducer[] => [
    ...(only.length === 0 || only.includes('parse') ? [syntaxScan(setupFor.bindingDirs)] : []),
    ...extraProducers.map((p) => p(setupFor, only)),
  ];
  const clock = new RunClock(now ?? new Date(), now !== undefined);
  // --base: a baseline in the repository is read as the base has it; a change to it is a config-change finding.
  const baselinePath = values.baseline ? resolvePath(io.cwd, values.baseline) : s.config.baseline !== undefined ? resolvePath(s.root, s.config.baseline) : undefined;
  const fromBase = s.trusted && baselinePath && !values['update-baseline'] ? trustedBaseline(s.root, s.trusted, baselinePath, trustBase!.side) : undefined;
  let report: Report = runChecks({
    workspace: s.workspace,
    base: gate.base,
    checks: s.checks,
    only,
    severities: s.severities,
    checkOptions: s.checkOptions,
    clock,
    producers: s.trusted ? [...producersFor(s), configChangeProducer(s.trusted)] : producersFor(s),
  });
  // --fix / --fix-dry-run: fix passes over the working tree's text; what is left is the report.
  let fixed: FixOutcome | undefined;
  if (fixing) {
    const runOn = (ws: Workspace): Report =>
      runChecks({ workspace: ws, checks: s.checks, only, severities: s.severities, checkOptions: s.checkOptions, clock, producers: producersFor({ ...s, workspace: ws }) });
    fixed = fixPasses(report, s.workspace, runOn, (overlay) => workspaceFrom(s, overlay), new DirectorySource(s.root));
    report = fixed.report;
    assertSettled(fixed);
    if (values.fix) writeFixed(s.root, fixed.changed);
    if (fixed.contested > 0)
      io.stderr(
        `spine-lint: ${fixed.contested} fix${fixed.contested === 1 ? ' was' : 'es were'} not applied: checks want different text at the same place, so none of them is certain (see the findings)\n`,
      );
  }
  // A baseline named by the repository's config (not --baseline) is read and written only inside the root.
  if (!values.baseline && s.config.baseline !== undefined) {
    const outside = outsideRootReason(resolvePath(s.root, s.config.baseline), s.root);
    if (outside)
      throw new UsageError(`${s.config.source ?? 'config'}: baseline '${s.config.baseline}': ${outside}; a baseline named by the config must be inside the root (name it with --baseline to use it)`);
  }
  // The baseline first (its stale entries are judged on every finding), then new-only.
  // Its notice (one line) quotes the baseline's path: through the terminal escape, its line end kept.
  const notices = { stderr: (t: string): void => io.stderr(t.endsWith('\n') ? `${escapeTerminal(t.slice(0, -1))}\n` : escapeTerminal(t)) };
  report = baselineStep(report, { root: s.root, cwd: io.cwd, baseline: values.baseline, configBaseline: s.config.baseline, update: values['update-baseline'], fromBase }, notices);
  // New-only, against --base REV, or for --staged against HEAD (what the commit would introduce;
  // no HEAD yet, no base: everything is new), unless --all-findings.
  let existing: { errors: number; warnings: number } | undefined;
  if ((values.base || values.staged) && gate.base && !values['all-findings']) {
    // The same static checks on the base; what it already had is hidden (transition findings stay).
    const atBase = runChecks({
      workspace: gate.base,
      checks: s.checks,
      only,
      severities: s.severities,
      checkOptions: s.checkOptions,
      now,
      kinds: ['static'],
      producers: producersFor({ ...loaded, workspace: gate.base }),
    });
    const before = report.summary;
    report = hideKnownAtBase(report, atBase);
    if (!values.base) existing = { errors: before.errors - report.summary.errors, warnings: before.warnings - report.summary.warnings };
  }
  const reporterContext = reporterContextFor(s, values, io, { maxWarnings, sarifCategory });
  // The cache stores one report: it is used only when the run writes one (runCache.ts).
  if (fixed && values['fix-dry-run']) {
    // The diff is the output; the findings the fixes would leave are counted on stderr.
    io.stdout(fixDiff(fixed.changed));
    io.stderr(
      `spine-lint: ${fixed.fixesApplied} fix${fixed.fixesApplied === 1 ? '' : 'es'} in ${fixed.changed.size} file${fixed.changed.size === 1 ? '' : 's'} would be applied; ${report.summary.errors} error(s) and ${report.summary.warnings} warning(s) would remain (nothing was written)\n`,
    );
    return exitCodeFor(values.quiet ? { errors: report.summary.errors, warnings: 0 } : report.summary, maxWarnings);
  }
  if (fixed && values.fix && fixed.changed.size > 0)
    io.stderr(`spine-lint: applied ${fixed.fixesApplied} fix${fixed.fixesApplied === 1 ? '' : 'es'} to ${[...fixed.changed.keys()].sort().map(escapeTerminal).join(', ')}\n`);
  const text = writeReports(report, targets, reporterContext, io, { existing })[0]!;
  const code = exitCodeFor(values.quiet ? { errors: report.summary.errors, warnings: 0 } : report.summary, maxWarnings);
  // After the report: why every check says a file is missing, when the root holds no spine at all.
  if (loaded.notASpine && report.summary.errors > 0) io.stderr(`spine-lint: ${escapeTerminal(loaded.notASpine)}\n`);
  if (cacheSite) {
    // Plugins and a config baseline are inputs the recording does not see: such runs are not stored.
    const storable = recorder !== undefined && recorder.consistent && loaded.config.plugins.length === 0 && !loaded.config.baseline && !('reason' in cacheRequest!);
    const request = cacheRequest as Exclude<typeof cacheRequest, { reason: string } | undefined>;
    const run = storable ? { request, entry: { ...runLifetime(clock), inputs: recorder!.records, text, exitCode: code } } : undefined;
    const grew = (wellFormedYaml?.size ?? 0) > knownWellFormed;
    const failed = run || grew ? storeInCache(cacheSite, { run, wellFormed: grew ? wellFormedYaml : undefined }) : undefined;
    if (io.env.SPINE_LINT_DEBUG_CACHE) {
      const why = 'reason' in cacheRequest! ? cacheRequest!.reason : !run ? 'plugins, a config baseline, or a binding that changed during the run' : undefined;
      if (why) io.stderr(`spine-lint: run not stored in the cache: ${escapeTerminal(why)}\n`);
      if (failed) io.stderr(`spine-lint: cache not written: ${escapeTerminal(failed)}\n`);
    }
  } else if (cacheRequest && 'reason' in cacheRequest && io.env.SPINE_LINT_DEBUG_CACHE) io.stderr(`spine-lint: cache not used: ${escapeTerminal(cacheRequest.reason)}\n`);
  return code;
}

/** A report of nothing: what the formats say when no check had anything to look at. */
function emptyReport(): Report {
  return { version: 1, results: [], suppressedResults: [], summary: { errors: 0, warnings: 0, suppressed: 0, checksRun: 0, filesRead: 0, durationMs: 0 }, checks: [] };
}

/**
 * Write each requested report (`-f F [-o FILE]` pairs): to its file, or to stdout. The github
 * format also appends its table to `$GITHUB_STEP_SUMMARY` (GitHub shows only 10 annotations per
 * level), once. With `silentStylish` (a run with nothing to check) stylish on stdout says nothing,
 * as the pre-commit hook's no-op always has; every other report is still written, so a machine
 * format is always a valid document and an `--output` file never keeps an earlier run's report.
 * Returns the texts, in the order of the targets.
 */
function writeReports(report: Report, targets: readonly OutputTarget[], ctx: ReporterContext, io: CliIo, opts: { existing?: { errors: number; warnings: number }; silentStylish?: boolean }): string[] {
  const texts = targets.map((t) => (t.format === 'stylish' && opts.existing ? stylishWithDebt(report, opts.existing, ctx) : reporterFor(t.format)!(report, ctx)));
  if (io.env.GITHUB_STEP_SUMMARY && targets.some((t) => t.format === 'github')) {
    const summary = githubStepSummary(report, ctx);
    appendFileSafe(resolve(io.cwd, io.env.GITHUB_STEP_SUMMARY), () => summary, { what: 'the step summary (GITHUB_STEP_SUMMARY)', label: io.env.GITHUB_STEP_SUMMARY, followSymlinks: true });
  }
  // Files first: a report that cannot be written (exit 2) stops the run before stdout says anything.
  targets.forEach((t, i) => {
    if (t.output !== undefined) writeFileAtomic(resolve(io.cwd, t.output), texts[i]!, { devices: true, label: t.output });
  });
  targets.forEach((t, i) => {
    if (t.output === undefined && !(opts.silentStylish && t.format === 'stylish')) io.stdout(texts[i]!);
  });
  return texts;
}

/**
 * `--staged` in the stylish format: the findings HEAD already has are not in the summary's
 * "hidden (already at base or in baseline)" count (that stays for baseline entries) but stated on a
 * line of their own, the existing debt of the checks that ran; `--all-findings` lists them.
 */
function stylishWithDebt(report: Report, existing: { errors: number; warnings: number }, ctx: ReporterContext): string {
  const fromHead = existing.errors + existing.warnings;
  const hidden = (report.summary.hidden ?? 0) - fromHead;
  const summary = { ...report.summary };
  delete summary.hidden;
  const text = reporterFor('stylish')!({ ...report, summary: hidden > 0 ? { ...summary, hidden } : summary }, ctx);
  const n = ctx.quiet ? existing.errors : fromHead;
  return n === 0 ? text : text + (ctx.color ? `\u001b[2m${debtLine(n, Boolean(ctx.quiet))}\u001b[0m` : debtLine(n, Boolean(ctx.quiet))) + '\n';
}

/** The one line `--staged` gives the existing debt (stylish output). */
const debtLine = (n: number, errorsOnly = false): string =>
  `${n} existing ${errorsOnly ? 'error' : 'finding'}${n === 1 ? ' is' : 's are'} not shown (HEAD has ${n === 1 ? 'it' : 'them'} too); --all-findings to list ${n === 1 ? 'it' : 'them'}`;

/**
 * `--print-config`: what the run would use, every default filled in (ESLint's --print-config): the
 * config file's settings merged over the catalog's layout, severities and option defaults.
 */
export function effectiveConfig(s: Setup): Record<string, unknown> {
  const checks: Record<string, { severity: string; options?: unknown }> = {};
  for (const c of [...CORE_CHECKS, ...s.checks]) {
    const options = optionsWithDefaults(c, s.checkOptions[c.id]);
    checks[c.id] = { severity: effectiveSeverity(c, s.severities), ...(c.optionsSchema || s.checkOptions[c.id] ? { options } : {}) };
  }
  return {
    configFile: s.config.source ?? null,
    root: s.root,
    paths: Object.fromEntries(Object.entries(s.paths).sort(([a], [b]) => (a < b ? -1 : 1))),
    bindingDirs: s.bindingDirs,
    checks,
    limits: { maxFileBytes: s.config.limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, maxAliasCount: s.config.limits.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT },
    plugins: s.config.plugins,
    baseline: s.config.baseline ?? null,
    probes: s.config.probes,
  };
}
