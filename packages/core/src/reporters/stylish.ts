import type { Diagnostic } from '../diagnostic.js';
import { escapeTerminal, plural } from './escape.js';
import { checkLabel, groupByLocation, locationsSuffix, type FindingGroup } from './group.js';
import type { Reporter } from './types.js';

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * ESLint-like: findings grouped by file (named from the root, as in every format), `line:col
 * severity  message  check-id`, a summary line.
 * Findings of several checks on the same value (same file, JSON pointer and range) are one item:
 * the most severe finding's line, then one `also <check-id (aliases)>: <message>` line under its
 * message for each other check (with `[warning]` when its severity is lower), so every check's
 * verdict is shown while the location is shown once. The summary still counts findings (as JSON
 * does) and adds `at N locations` when some share a location.
 */
export const stylishReporter: Reporter = (report, ctx) => {
  const results = ctx.quiet ? report.results.filter((r) => r.severity === 'error') : report.results;
  const located = groupByLocation(results);
  const files = new Map<string, FindingGroup[]>();
  for (const g of located) {
    const head = g.findings[0]!;
    const key = head.file === null ? '(run)' : head.file;
    const list = files.get(key) ?? [];
    list.push(g);
    files.set(key, list);
  }
  const out: string[] = [];
  for (const [file, list] of files) {
    out.push('', paint(ctx.color, '4', escapeTerminal(file)));
    const rows = list.map((g) => {
      const [head, ...others] = g.findings as [Diagnostic, ...Diagnostic[]];
      return {
        pos: `${head.line}:${head.column}`,
        sev: head.severity === 'error' ? 'error' : 'warning',
        msg: escapeTerminal(head.message),
        id: escapeTerminal(checkLabel(head)),
        also: others.map((d) => ({
          id: escapeTerminal(checkLabel(d)) + (d.severity === head.severity ? '' : ` [${d.severity}]`),
          msg: escapeTerminal(d.message),
        })),
      };
    });
    const posWidth = Math.max(...rows.map((r) => r.pos.length));
    // Continuation lines start under the message column: 2 + position + 2 + severity (7) + 2.
    const indent = ' '.repeat(2 + posWidth + 2 + 7 + 2);
    for (const r of rows) {
      const sev = paint(ctx.color, r.sev === 'error' ? '31' : '33', r.sev.padEnd(7));
      out.push(`  ${paint(ctx.color, '2', r.pos.padEnd(posWidth))}  ${sev}  ${r.msg}  ${paint(ctx.color, '2', r.id)}`);
      for (const a of r.also) out.push(`${indent}${paint(ctx.color, '2', `also ${a.id}:`)} ${a.msg}`);
    }
  }
  const { errors, warnings, suppressed, hidden } = report.summary;
  const shownWarnings = ctx.quiet ? 0 : warnings;
  const total = errors + shownWarnings;
  const extras: string[] = [];
  if (suppressed) extras.push(`${suppressed} suppressed`);
  if (hidden) extras.push(`${hidden} hidden (already at base or in baseline)`);
  const extra = extras.length ? ` — ${extras.join(', ')}` : '';
  if (total === 0) {
    out.push(paint(ctx.color, '32', `✔ no problems (${plural(report.summary.checksRun, 'check')}, ${plural(report.summary.filesRead, 'file')})${extra}`));
  } else {
    const line = `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${shownWarnings} warning${shownWarnings === 1 ? '' : 's'})${locationsSuffix(results, located)}${extra}`;
    out.push('', paint(ctx.color, errors ? '31;1' : '33;1', line));
    if (results.some((r) => r.hint)) out.push(paint(ctx.color, '2', "  run 'spine-lint explain <check-id>' for what a check enforces and how to fix it"));
  }
  // Checks that did not run on an unreadable binding: said once, so a quiet gate is never mistaken for a pass.
  const skipped = report.skipped ?? [];
  if (skipped.length > 0) {
    const files = [...new Set(skipped.flatMap((s) => s.because.map((b) => escapeTerminal(b.file))))];
    out.push(
      paint(
        ctx.color,
        '33',
        `  ${skipped.length} check${skipped.length === 1 ? '' : 's'} did not run: ${files.join(', ')} could not be read as data (see the parse and schema findings): ${skipped.map((s) => s.checkId).join(', ')}`,
      ),
    );
  }
  return out.join('\n').replace(/^\n/, '') + '\n';
};
