import { defineCheck, hasLineTerminator, skipSpaces, trimEndIndex, type Range, type Workspace } from '@spine-lint/core';
import { parseIsoDate } from '../bindings/drift/freshness.js';
import { asMap } from '../bindings/util.js';
import { defaultPaths } from '../layout.js';

export const DEFAULT_STATUSES: readonly string[] = ['authoritative', 'projection'];
/** Keys (top-level YAML or Markdown front matter) that carry a document's freshness date (spec §1.0). */
export const DATE_KEYS: readonly string[] = ['last_verified', 'updated_at', 'updated'];
/** How far into a YAML file the header comments are looked for. */
const COMMENT_HEADER_LINES = 40;

/** A header value and where it is: a pointer (parsed key) or an explicit range (comment). */
interface Located {
  readonly source: string;
  readonly value: unknown;
  readonly pointer?: string;
  readonly range?: Range;
}

const FIRST_LINE: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export interface BindingHeadersOptions {
  /** The status values a binding may declare. */
  statuses: readonly string[];
}

const DEFAULT_OPTIONS: BindingHeadersOptions = { statuses: DEFAULT_STATUSES };

/** An ASCII letter's lower case; any other code unit as it is (a case-insensitive expression without `u` folds only ASCII onto ASCII). */
const asciiLower = (code: number): number => (code >= 0x41 && code <= 0x5a ? code + 0x20 : code);

/**
 * One line as `# <label>: value`: what `^(\s*#\s*<label, each space \s+>\s*:\s*)(.*?)\s*$` (case-insensitive)
 * captured — `prefix` the length of the first group, `value` the second — scanned once. The expression
 * backtracked over every split of a run of spaces after the value (quadratic). `label` is ASCII letters,
 * `_` and single spaces.
 */
export function matchCommentHeader(line: string, label: string): { prefix: number; value: string } | undefined {
  let i = skipSpaces(line);
  if (line.charCodeAt(i) !== 0x23 /* # */) return undefined;
  i = skipSpaces(line, i + 1);
  for (let k = 0; k < label.length; k++) {
    const want = label.charCodeAt(k);
    if (want === 0x20) {
      const from = i;
      i = skipSpaces(line, i);
      if (i === from) return undefined;
    } else if (i < line.length && asciiLower(line.charCodeAt(i)) === asciiLower(want)) i++;
    else return undefined;
  }
  i = skipSpaces(line, i);
  if (line.charCodeAt(i) !== 0x3a /* : */) return undefined;
  const prefix = skipSpaces(line, i + 1);
  const end = trimEndIndex(line, line.length, prefix);
  // `.` does not cross a line terminator (a lone '\r', U+2028, U+2029): then no split matches.
  if (hasLineTerminator(line, prefix, end)) return undefined;
  return { prefix, value: line.slice(prefix, end) };
}

/** The first comment line among the first lines matching `# <label>: value` (label case-insensitive). */
function commentHeader(text: string, label: string): Located | undefined {
  const lines = text.split(/\r?\n/, COMMENT_HEADER_LINES);
  for (let i = 0; i < lines.length; i++) {
    const m = matchCommentHeader(lines[i]!, label);
    if (!m) continue;
    const column = m.prefix + 1;
    return { source: `# ${label}:`, value: m.value, range: { line: i + 1, column, endLine: i + 1, endColumn: column + m.value.length } };
  }
  return undefined;
}

/** Status and date sources of one binding, YAML or Markdown. */
function headerOf(ws: Workspace, path: string): { status: Located[]; dates: Located[]; hasFrontMatter: boolean } {
  if (path.endsWith('.md')) {
    const md = ws.markdown(path);
    const fm = asMap(md?.frontMatter?.value);
    const status: Located[] = fm && 'status' in fm ? [{ source: 'status:', value: fm.status, pointer: '/frontmatter/status' }] : [];
    const dates: Located[] = fm ? DATE_KEYS.filter((k) => k in fm).map((k) => ({ source: `${k}:`, value: fm[k], pointer: `/frontmatter/${k}` })) : [];
    return { status, dates, hasFrontMatter: md?.frontMatter !== undefined };
  }
  const text = ws.text(path) ?? '';
  const root = asMap(ws.yaml(path)?.value);
  const status: Located[] = [];
  const dates: Located[] = [];
  for (const label of ['Status', 'authority_state']) {
    const hit = commentHeader(text, label);
    if (hit) status.push(hit);
  }
  if (root && 'status' in root) status.push({ source: 'status:', value: root.status, pointer: '/status' });
  const lv = commentHeader(text, 'Last verified');
  if (lv) dates.push(lv);
  if (root) for (const k of DATE_KEYS) if (k in root) dates.push({ source: `${k}:`, value: root[k], pointer: `/${k}` });
  return { status, dates, hasFrontMatter: true };
}

/**
 * New check (spec §1.0): every binding of the layout says whether it is the authority or a projection,
 * and when it was last verified, in one of the three header styles the spine uses.
 */
export default defineCheck({
  id: 'binding-headers',
  title: 'Bindings carry a status header and a freshness date',
  description:
    'Every binding of the layout that exists declares its status — a `# Status:` (or `# authority_state:`) comment or a top-level `status:` key in YAML, a ' +
    'front-matter `status:` in Markdown — with a value from `options.statuses` (default authoritative, projection), and a freshness date — `# Last ' +
    'verified:` comment, `last_verified:`, `updated_at:` or `updated:` — that parses as an ISO date not in the future.',
  severity: 'warning',
  kind: 'static',
  reads: Object.keys(defaultPaths),
  fixHint: 'Add `# Status: authoritative` (or projection) and `# Last verified: YYYY-MM-DD` at the top of the YAML binding, or `status:` and `last_verified:` to the Markdown front matter.',
  optionsSchema: {
    type: 'object',
    properties: { statuses: { type: 'array', items: { type: 'string' }, description: 'The status values a binding may declare (replaces the default list).' } },
  },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    missingStatus: '{{file}} has no status header (# Status: comment, status: key or front matter).',
    invalidStatus: "{{file}}: {{source}} '{{status}}' is not one of {{allowed}}.",
    missingDate: '{{file}} has no freshness date (# Last verified: comment, last_verified:, updated_at: or updated:).',
    unparsableDate: "{{file}}: {{source}} '{{date}}' is not an ISO date (YYYY-MM-DD).",
    futureDate: "{{file}}: {{source}} {{date}} is later than the run's date {{now}}.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    const allowed = ctx.options.statuses;
    const seen = new Set<string>();
    for (const name of Object.keys(defaultPaths)) {
      // Missing files, and files the workspace refused to read (the parse check reports those), have no header to judge.
      if (!ws.exists(name) || ws.text(name) === undefined) continue;
      const file = ws.pathOf(name);
      if (seen.has(file)) continue;
      seen.add(file);
      const { status, dates } = headerOf(ws, file);
      const at = (l: Located) => (l.range ? { range: l.range, pointer: undefined } : { pointer: l.pointer });

      if (status.length === 0) ctx.report({ messageId: 'missingStatus', data: { file, binding: name }, file, range: FIRST_LINE });
      for (const s of status) {
        const value = typeof s.value === 'string' ? s.value.replace(/^(["'])(.*)\1$/, '$2').trim() : s.value;
        if (typeof value === 'string' && allowed.includes(value)) continue;
        ctx.report({ messageId: 'invalidStatus', data: { file, binding: name, source: s.source, status: String(value), allowed: allowed.join(', ') }, file, ...at(s) });
      }

      if (dates.length === 0) ctx.report({ messageId: 'missingDate', data: { file, binding: name }, file, range: FIRST_LINE });
      for (const d of dates) {
        const text = typeof d.value === 'string' ? d.value.replace(/^(["'])(.*)\1$/, '$2').trim() : String(d.value);
        const date = typeof d.value === 'string' ? parseIsoDate(text) : undefined;
        if (!date) ctx.report({ messageId: 'unparsableDate', data: { file, binding: name, source: d.source, date: text }, file, ...at(d) });
        // More than a day ahead of now, i.e. now is before date − 1 day.
        else if (ctx.clock.isBefore(date.getTime() - 86_400_000))
          ctx.report({ messageId: 'futureDate', data: { file, binding: name, source: d.source, date: text, now: ctx.clock.utcDate() }, file, ...at(d) });
      }
    }
  },
});
