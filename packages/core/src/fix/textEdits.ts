/**
 * Fixes as data (ESLint's `fix` and `suggestions`): a check attaches text edits to a finding,
 * computed from the positions the workspace already has; `check --fix` applies them. Edits are
 * ranges of one file's text (1-based line and column, end column exclusive, as finding ranges)
 * plus replacement text, so a fix touches only the characters it must: comments, key order,
 * indentation and the quoting around an edited value stay as they were.
 */
import type { Range } from '../diagnostic.js';

/** Replace `range` of `file` with `text` (an empty range inserts). */
export interface TextEdit {
  file: string;
  range: Range;
  text: string;
}

/** Edits that are certainly right (`--fix` applies them), or one choice among several (a suggestion). */
export interface Fix {
  /** What the edit does, for `--fix-dry-run`, suggestions and SARIF `fixes[].description`. */
  description: string;
  edits: TextEdit[];
}

/** Offsets of each line start in `text` (`\n`, `\r\n` and `\r` end lines, as the parsers count them). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/** The text offset of a 1-based line and column, or undefined when it is not in the text. */
export function offsetAt(starts: readonly number[], text: string, line: number, column: number): number | undefined {
  const start = starts[line - 1];
  if (start === undefined || column < 1) return undefined;
  const next = starts[line] ?? text.length + 1;
  const offset = start + column - 1;
  return offset < next ? offset : undefined;
}

export type ApplyResult = { ok: true; text: string; applied: number; skipped: number } | { ok: false; reason: string };

/**
 * Apply edits of one file to its text: each edit's range must lie in the text; overlapping edits
 * are left for a later pass (the first in document order wins, the rest are `skipped`), as ESLint
 * does. Identical edits (two checks fixing one root cause the same way) count once.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): ApplyResult {
  const starts = lineStarts(text);
  const located: { start: number; end: number; text: string }[] = [];
  for (const e of edits) {
    const start = offsetAt(starts, text, e.range.line, e.range.column);
    const end = offsetAt(starts, text, e.range.endLine, e.range.endColumn);
    if (start === undefined || end === undefined || end < start) return { ok: false, reason: `edit at ${e.range.line}:${e.range.column} is outside the file's text` };
    located.push({ start, end, text: e.text });
  }
  located.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  let applied = 0;
  let skipped = 0;
  let last: { start: number; end: number; text: string } | undefined;
  for (const e of located) {
    if (last && e.start === last.start && e.end === last.end && e.text === last.text) continue;
    if (e.start < at || (last && e.start === at && e.end === at && last.end === at && last.start === at)) {
      skipped++;
      continue;
    }
    out += text.slice(at, e.start) + e.text;
    at = e.end;
    applied++;
    last = e;
  }
  return { ok: true, text: out + text.slice(at), applied, skipped };
}

/**
 * The text a YAML scalar is written as, in the style `original` (its source text) uses: a plain
 * scalar stays plain when the new value can be, a quoted one keeps its quotes. Undefined when the
 * value cannot be written safely in that style (the fix is then not offered).
 */
export function yamlScalarLike(original: string, value: string): string | undefined {
  // A line break or a character YAML does not allow as is (controls, DEL, C1, U+2028/2029, a BOM)
  // can be written only escaped, in double quotes: a single-quoted scalar would fold or carry it raw.
  if (UNPRINTABLE.test(value)) return doubleQuoted(value);
  if (original.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  if (original.startsWith('"')) return doubleQuoted(value);
  // Plain: only text YAML reads back as this very string (no indicators, no number/bool/null look; y and n are YAML 1.1 booleans).
  if (/^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(value) && !/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(value)) return value;
  // Dotted numbers (addresses, versions) are strings to YAML 1.1 and 1.2 readers alike; a single dot would be a float.
  if (/^\d+(\.\d+){2,}$/.test(value)) return value;
  return doubleQuoted(value);
}

const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** A YAML double-quoted scalar: JSON's escapes (YAML's are a superset), plus the characters JSON leaves raw that YAML does not print. */
const doubleQuoted = (value: string): string => JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
