import type { Diagnostic } from '../diagnostic.js';
import { escapeTerminal } from './escape.js';
import type { Reporter } from './types.js';

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** ESLint-like: findings grouped by file, `line:col  severity  message  check-id`, a summary line. */
export const stylishReporter: Reporter = (report, ctx) => {
  const results = ctx.quiet ? report.results.filter((r) => r.severity === 'error') : report.results;
  const groups = new Map<string, Diagnostic[]>();
  for (const r of results) {
    const key = r.file === null ? '(run)' : ctx.rootPrefix + r.file;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const out: string[] = [];
  for (const [file, list] of groups) {
    out.push('', paint(ctx.color, '4', escapeTerminal(file)));
    const rows = list.map((d) => ({
      pos: `${d.line}:${d.column}`,
      sev: d.severity === 'error' ? 'error' : 'warning',
      msg: escapeTerminal(d.message),
      id: escapeTerminal(d.checkId + (d.aliases.length ? ` (${d.aliases.join(', ')})` : '')),
      hint: d.hint ? escapeTerminal(d.hint) : '',
    }));
    const posWidth = Math.max(...rows.map((r) => r.pos.length));
    for (const r of rows) {
      const sev = paint(ctx.color, r.sev === 'error' ? '31' : '33', r.sev.padEnd(7));
      out.push(`  ${paint(ctx.color, '2', r.pos.padEnd(posWidth))}  ${sev}  ${r.msg}  ${paint(ctx.color, '2', r.id)}`);
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
    out.push(paint(ctx.color, '32', `✔ no problems (${report.summary.checksRun} checks, ${report.summary.filesRead} files)${extra}`));
  } else {
    const line = `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${shownWarnings} warning${shownWarnings === 1 ? '' : 's'})${extra}`;
    out.push('', paint(ctx.color, errors ? '31;1' : '33;1', line));
    if (results.some((r) => r.hint)) out.push(paint(ctx.color, '2', "  run 'spine-lint explain <check-id>' for what a check enforces and how to fix it"));
  }
  return out.join('\n').replace(/^\n/, '') + '\n';
};
