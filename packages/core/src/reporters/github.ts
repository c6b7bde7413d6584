import type { Diagnostic } from '../diagnostic.js';
import type { Report } from '../runner.js';
import { escapeMarkdownCell, escapeTerminal, escapeWorkflowData, escapeWorkflowProperty } from './escape.js';
import type { Reporter, ReporterContext } from './types.js';

/** GitHub shows at most 10 annotations of each level per step (anchors §5.2); the rest are dropped. */
export const ANNOTATIONS_PER_LEVEL = 10;
/** GitHub caps a step summary at 1 MiB; stay well below it. */
export const STEP_SUMMARY_MAX_BYTES = 900 * 1024;

const visible = (results: readonly Diagnostic[], ctx: ReporterContext): Diagnostic[] =>
  ctx.quiet ? results.filter((r) => r.severity === 'error') : [...results];

const titleOf = (d: Diagnostic): string => d.checkId + (d.aliases.length ? ` (${d.aliases.join(', ')})` : '');

/** One `::error …::message` / `::warning …::message` line; untrusted text cannot end the command. */
export function annotation(d: Diagnostic, ctx: ReporterContext): string {
  const props: string[] = [];
  if (d.file !== null) {
    // Control characters in a path are shown escaped too (an absurd name then misses its file, but cannot drive the log).
    props.push(`file=${escapeWorkflowProperty(escapeTerminal(ctx.rootPrefix + d.file))}`);
    props.push(`line=${d.line}`, `endLine=${d.endLine}`);
    // Columns only for single-line ranges (actions/toolkit AnnotationProperties).
    if (d.line === d.endLine) props.push(`col=${d.column}`, `endColumn=${d.endColumn}`);
  }
  props.push(`title=${escapeWorkflowProperty(escapeTerminal(titleOf(d)))}`);
  const lines = [escapeTerminal(d.message)];
  if (d.hint) lines.push(`Fix: ${escapeTerminal(d.hint)}`);
  if (d.docsUrl) lines.push(`Docs: ${escapeTerminal(d.docsUrl)}`);
  return `::${d.severity} ${props.join(',')}::${escapeWorkflowData(lines.join('\n'))}`;
}

/**
 * GitHub Actions workflow commands: one annotation per finding, errors first, at most
 * {@link ANNOTATIONS_PER_LEVEL} per level (GitHub drops the rest silently), then one `::notice::`
 * counting what was cut and pointing at the step summary (see {@link githubStepSummary}) and the
 * SARIF report, then a plain summary line. All text is escaped: names containing `%`, CR, LF, `:`,
 * `,` or `::` cannot start or alter a workflow command, and terminal controls are shown escaped.
 */
export const githubReporter: Reporter = (report, ctx) => {
  const results = visible(report.results, ctx);
  const errors = results.filter((r) => r.severity === 'error');
  const warnings = results.filter((r) => r.severity === 'warning');
  const out: string[] = [];
  for (const d of errors.slice(0, ANNOTATIONS_PER_LEVEL)) out.push(annotation(d, ctx));
  for (const d of warnings.slice(0, ANNOTATIONS_PER_LEVEL)) out.push(annotation(d, ctx));
  const cutErrors = Math.max(0, errors.length - ANNOTATIONS_PER_LEVEL);
  const cutWarnings = Math.max(0, warnings.length - ANNOTATIONS_PER_LEVEL);
  if (cutErrors + cutWarnings > 0) {
    const parts = [cutErrors ? `${cutErrors} error${cutErrors === 1 ? '' : 's'}` : '', cutWarnings ? `${cutWarnings} warning${cutWarnings === 1 ? '' : 's'}` : ''].filter(Boolean);
    out.push(
      `::notice title=spine-lint::${escapeWorkflowData(
        `${cutErrors + cutWarnings} more finding${cutErrors + cutWarnings === 1 ? '' : 's'} not annotated (${parts.join(', ')}): GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations per level and step. The step summary and the SARIF report (--format sarif) list every finding.`,
      )}`,
    );
  }
  const { checksRun, filesRead, suppressed } = report.summary;
  out.push(`spine-lint: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}${suppressed ? `, ${suppressed} suppressed` : ''} (${checksRun} checks, ${filesRead} files)`);
  return out.join('\n') + '\n';
};

/**
 * Markdown for `$GITHUB_STEP_SUMMARY`: the counts and a table of every finding (not only the
 * annotated ones), cut only when it would exceed GitHub's 1 MiB summary limit. Pure: the CLI
 * appends it to the file.
 */
export function githubStepSummary(report: Report, ctx: ReporterContext): string {
  const results = visible(report.results, ctx).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = results.filter((r) => r.severity === 'error').length;
  const warnings = results.length - errors;
  const { checksRun, filesRead, suppressed } = report.summary;
  const head = [
    '## spine-lint',
    '',
    `${errors === 0 ? '✅' : '❌'} **${errors}** error${errors === 1 ? '' : 's'}, **${warnings}** warning${warnings === 1 ? '' : 's'}${suppressed ? `, ${suppressed} suppressed` : ''} — ${checksRun} checks, ${filesRead} files`,
    '',
  ];
  if (results.length === 0) return head.join('\n') + '\n';
  const lines = [...head, '| Severity | Check | Location | Message |', '| --- | --- | --- | --- |'];
  let bytes = Buffer.byteLength(lines.join('\n'));
  let shown = 0;
  for (const d of results) {
    const check = d.docsUrl ? `[${escapeMarkdownCell(titleOf(d))}](${encodeURI(d.docsUrl)})` : escapeMarkdownCell(titleOf(d));
    const where = d.file === null ? '(run)' : escapeMarkdownCell(`${ctx.rootPrefix}${d.file}:${d.line}:${d.column}`);
    const row = `| ${d.severity} | ${check} | ${where} | ${escapeMarkdownCell(d.message)} |`;
    bytes += Buffer.byteLength(row) + 1;
    if (bytes > STEP_SUMMARY_MAX_BYTES) break;
    lines.push(row);
    shown++;
  }
  if (shown < results.length) lines.push('', `… ${results.length - shown} more findings not shown (summary size limit); see the SARIF or JSON report.`);
  return lines.join('\n') + '\n';
}
