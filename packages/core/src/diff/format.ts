import { escapeTerminal, terminalSafeJson } from '../reporters/escape.js';
import { recordId } from './ids.js';
import type { FileDiff, PositionedChange } from './semanticDiff.js';

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value in one short line: scalars as JSON, records by id, long text cut. */
export function shortValue(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = '(absent)';
  else if (Array.isArray(value)) text = value.length === 0 ? '[]' : `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  else if (isRecord(value)) {
    const id = recordId(value);
    text = id ? `{${id.field}: ${id.value}, …}` : `{${Object.keys(value).slice(0, 3).join(', ')}${Object.keys(value).length > 3 ? ', …' : ''}}`;
  } else text = JSON.stringify(value) ?? String(value);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function describeChange(c: PositionedChange): string {
  if (c.path === '') return c.kind === 'added' ? 'file added' : c.kind === 'removed' ? 'file removed' : 'file changed (could not be parsed on one side; compared as text)';
  if (c.kind === 'changed') {
    if (typeof c.before === 'string' && typeof c.after === 'string' && (c.before.length > 40 || c.after.length > 40)) {
      const [before, after] = elideCommon(c.before, c.after);
      return `${c.path}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`;
    }
    return `${c.path}: ${shortValue(c.before)} → ${shortValue(c.after)}`;
  }
  if (c.id !== undefined) return c.path;
  return `${c.path}: ${shortValue(c.kind === 'added' ? c.after : c.before)}`;
}

/** Two long strings with their common start and end cut to a little context: `…core, observability, auto…`. */
export function elideCommon(a: string, b: string, context = 12): [string, string] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const from = Math.max(0, start - context);
  const cut = (s: string): string => {
    const to = Math.min(s.length, s.length - end + context);
    const mid = s.slice(from, to);
    const short = mid.length > 80 ? mid.slice(0, 79) + '…' : mid;
    return (from > 0 ? '…' : '') + short + (to < s.length ? '…' : '');
  };
  return [cut(a), cut(b)];
}

export interface DiffSummary {
  files: number;
  added: number;
  removed: number;
  changed: number;
}

export function summariseDiff(files: readonly FileDiff[]): DiffSummary {
  const all = files.flatMap((f) => f.changes);
  return {
    files: files.length,
    added: all.filter((c) => c.kind === 'added').length,
    removed: all.filter((c) => c.kind === 'removed').length,
    changed: all.filter((c) => c.kind === 'changed').length,
  };
}

/** ESLint-style text: a file header, then `line:col  kind  path: old → new`, then a summary. */
export function formatDiffStylish(files: readonly FileDiff[], options: { color: boolean; rootPrefix: string; base: string; head: string }): string {
  const out: string[] = [];
  const kindColor = { added: '32', removed: '31', changed: '33' } as const;
  for (const f of files) {
    out.push('', paint(options.color, '4', escapeTerminal(options.rootPrefix + f.file)));
    // A loop, not Math.max(...): a list of 100 000 added items is 100 000 arguments (stack overflow).
    let posWidth = 0;
    for (const c of f.changes) posWidth = Math.max(posWidth, `${c.line}:${c.column}`.length);
    for (const c of f.changes) {
      const pos = `${c.line}:${c.column}`.padEnd(posWidth);
      out.push(`  ${paint(options.color, '2', pos)}  ${paint(options.color, kindColor[c.kind], c.kind.padEnd(7))}  ${escapeTerminal(describeChange(c))}`);
    }
  }
  const s = summariseDiff(files);
  // The labels are revisions the user typed (`--base REV`): shown through the terminal escape too.
  const [base, head] = [escapeTerminal(options.base), escapeTerminal(options.head)];
  if (files.length === 0) return `No semantic changes between ${base} and ${head}.\n`;
  out.push(
    '',
    `${s.added + s.removed + s.changed} change${s.added + s.removed + s.changed === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'} (${s.added} added, ${s.removed} removed, ${s.changed} changed) between ${base} and ${head}`,
  );
  return out.join('\n').replace(/^\n/, '') + '\n';
}

/** `--format json`: the structured changes. */
export function formatDiffJson(files: readonly FileDiff[], options: { base: string; head: string }): string {
  return terminalSafeJson(JSON.stringify({ version: 1, base: options.base, head: options.head, files, summary: summariseDiff(files) }, null, 2)) + '\n';
}
