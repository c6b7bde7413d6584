import type { Diagnostic } from '../diagnostic.js';
import type { Report } from '../runner.js';
import { escapeMarkdownCell, escapeTerminal, escapeWorkflowData, escapeWorkflowProperty, plural } from './escape.js';
import { checkLabel, groupByLocation, locationsSuffix, type FindingGroup } from './group.js';
import { checkoutPrefix } from './paths.js';
import type { Reporter, ReporterContext } from './types.js';

/** GitHub shows at most 10 annotations of each level per step (anchors §5.2); the rest are dropped. */
export const ANNOTATIONS_PER_LEVEL = 10;
/** GitHub caps a step summary at 1 MiB; stay well below it. */
export const STEP_SUMMARY_MAX_BYTES = 900 * 1024;

const visible = (results: readonly Diagnostic[], ctx: ReporterContext): Diagnostic[] => (ctx.quiet ? results.filter((r) => r.severity === 'error') : [...results]);

/** One `::error …::message` / `::warning …::message` line; untrusted text cannot end the command. */
export function annotation(d: Diagnostic, ctx: ReporterContext): string {
  return groupAnnotation({ findings: [d], severity: d.severity }, ctx);
}

/**
 * One annotation for the findings of several checks on the same value (see {@link groupByLocation}):
 * at the highest severity, titled with every check and alias, and saying each check's message,
 * fix hint and docs link in turn. A group of one is a plain finding's annotation.
 */
export function groupAnnotation(g: FindingGroup, ctx: ReporterContext): string {
  const d = g.findings[0]!;
  const props: string[] = [];
  if (d.file !== null) {
    // The file from the checkout (GITHUB_WORKSPACE), where GitHub looks for it; from the root when
    // no checkout contains it. Control characters in a path are shown escaped too (an absurd name
    // then misses its file, but cannot drive the log).
    props.push(`file=${escapeWorkflowProperty(escapeTerminal(checkoutPrefix(ctx) + d.file))}`);
    props.push(`line=${d.line}`, `endLine=${d.endLine}`);
    // Columns only for single-line ranges (actions/toolkit AnnotationProperties).
    if (d.line === d.endLine) props.push(`col=${d.column}`, `endColumn=${d.endColumn}`);
  }
  props.push(`title=${escapeWorkflowProperty(escapeTerminal(g.findings.map(checkLabel).join(', ')))}`);
  const blocks = g.findings.map((f) => {
    const lines = [escapeTerminal(g.findings.length === 1 ? f.message : `${checkLabel(f)}${f.severity === g.severity ? '' : ` [${f.severity}]`}: ${f.message}`)];
    if (f.hint) lines.push(`Fix: ${escapeTerminal(f.hint)}`);
    if (f.docsUrl) lines.push(`Docs: ${escapeTerminal(f.docsUrl)}`);
    return lines.join('\n');
  });
  return `::${g.severity} ${props.join(',')}::${escapeWorkflowData(blocks.join('\n\n'))}`;
}

/**
 * GitHub Actions workflow commands: one annotation per location — findings of several checks on
 * the same value are one annotation naming every check ({@link groupAnnotation}) — errors first, at
 * most {@link ANNOTATIONS_PER_LEVEL} per level (GitHub drops the rest silently), then one
 * `::notice::` counting the findings that were cut and pointing at the step summary (see
 * {@link githubStepSummary}) and the SARIF report, then a plain summary line counting findings (as
 * JSON does). All text is escaped: names containing `%`, CR, LF, `:`, `,` or `::` cannot start or
 * alter a workflow command, and terminal controls are shown escaped.
 */
export const githubReporter: Reporter = (report, ctx) => {
  const results = visible(report.results, ctx);
  const errors = results.filter((r) => r.severity === 'error');
  const warnings = results.filter((r) => r.severity === 'warning');
  const located = groupByLocation(results);
  const levels = [located.filter((g) => g.severity === 'error'), located.filter((g) => g.severity === 'warning')];
  const out: string[] = [];
  const cut: Diagnostic[] = [];
  for (const groups of levels) {
    for (const g of groups.slice(0, ANNOTATIONS_PER_LEVEL)) out.push(groupAnnotation(g, ctx));
    for (const g of groups.slice(ANNOTATIONS_PER_LEVEL)) cut.push(...g.findings);
  }
  const cutErrors = cut.filter((d) => d.severity === 'error').length;
  const cutWarnings = cut.length - cutErrors;
  if (cutErrors + cutWarnings > 0) {
    const parts = [cutErrors ? `${cutErrors} error${cutErrors === 1 ? '' : 's'}` : '', cutWarnings ? `${cutWarnings} warning${cutWarnings === 1 ? '' : 's'}` : ''].filter(Boolean);
    out.push(
      `::notice title=spine-lint::${escapeWorkflowData(
        `${cutErrors + cutWarnings} more finding${cutErrors + cutWarnings === 1 ? '' : 's'} not annotated (${parts.join(', ')}): GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations per level and step. The step summary and the SARIF report (--format sarif) list every finding.`,
      )}`,
    );
  }
  const { checksRun, filesRead, suppressed } = report.summary;
  out.push(
    `spine-lint: ${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}${locationsSuffix(results, located)}${suppressed ? `, ${suppressed} suppressed` : ''} (${plural(checksRun, 'check')}, ${plural(filesRead, 'file')})`,
  );
  return out.join('\n') + '\n';
};

/**
 * Markdown for `$GITHUB_STEP_SUMMARY`: the counts and a table of every finding (not only the
 * annotated ones), one row per location as the annotations (the findings of several checks on the
 * same value are one row naming every check, each check's message prefixed with its id), cut only
 * when it would exceed GitHub's 1 MiB summary limit. Pure: the CLI appends it to the file.
 */
export function githubStepSummary(report: Report, ctx: ReporterContext): string {
  const results = visible(report.results, ctx);
  const located = groupByLocation(results);
  const groups = [...located.filter((g) => g.severity === 'error'), ...located.filter((g) => g.severity !== 'error')];
  const errors = results.filter((r) => r.severity === 'error').length;
  const warnings = results.length - errors;
  const { checksRun, filesRead, suppressed } = report.summary;
  const head = [
    '## spine-lint',
    '',
    `${errors === 0 ? '✅' : '❌'} **${errors}** error${errors === 1 ? '' : 's'}, **${warnings}** warning${warnings === 1 ? '' : 's'}${locationsSuffix(results, located)}${suppressed ? `, ${suppressed} suppressed` : ''} — ${plural(checksRun, 'check')}, ${plural(filesRead, 'file')}`,
    '',
  ];
  if (results.length === 0) return head.join('\n') + '\n';
  const lines = [...head, '| Severity | Check | Location | Message |', '| --- | --- | --- | --- |'];
  let bytes = Buffer.byteLength(lines.join('\n'));
  let shown = 0;
  for (const g of groups) {
    const d = g.findings[0]!;
    const check = g.findings.map((f) => (f.docsUrl ? `[${escapeMarkdownCell(checkLabel(f))}](${encodeURI(f.docsUrl)})` : escapeMarkdownCell(checkLabel(f)))).join(', ');
    const where = d.file === null ? '(run)' : escapeMarkdownCell(`${checkoutPrefix(ctx)}${d.file}:${d.line}:${d.column}`);
    const message =
      g.findings.length === 1
        ? escapeMarkdownCell(d.message)
        : g.findings.map((f) => escapeMarkdownCell(`${f.checkId}${f.severity === g.severity ? '' : ` [${f.severity}]`}: ${f.message}`)).join(' · ');
    const row = `| ${g.severity} | ${check} | ${where} | ${message} |`;
    bytes += Buffer.byteLength(row) + 1;
    if (bytes > STEP_SUMMARY_MAX_BYTES) break;
    lines.push(row);
    shown += g.findings.length;
  }
  if (shown < results.length) lines.push('', `… ${results.length - shown} more findings not shown (summary size limit); see the SARIF or JSON report.`);
  return lines.join('\n') + '\n';
}
