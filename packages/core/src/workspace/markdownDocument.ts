import type { Range } from '../diagnostic.js';
import { parsePointer } from '../pointer.js';
import { hasLineTerminator, isSpaceCode, skipSpaces, trimEndIndex } from '../text.js';
import { LineIndex } from './lines.js';
import { WHOLE_FILE, type ParseProblem } from './problems.js';
import { parseYamlDocument, type YamlDocument } from './yamlDocument.js';

/** One cell of a GFM table, with its raw and normalised text and its position. */
export interface MarkdownCell {
  /** Cell text, trimmed, surrounding backticks stripped, `\|` unescaped; `null` for `—`, `-` or empty. */
  value: string | null;
  raw: string;
  range: Range;
  pointer: string;
}

export interface MarkdownTableRow {
  /** Cells by header name (first occurrence wins on repeated headers). */
  cells: Record<string, MarkdownCell | undefined>;
  /** Cells in column order. */
  list: MarkdownCell[];
  line: number;
  pointer: string;
}

export interface MarkdownTable {
  index: number;
  /** The nearest `##`/`###` heading above the table, without the `#` marks. */
  heading: string;
  headingLevel: number;
  headers: string[];
  rows: MarkdownTableRow[];
  line: number;
  pointer: string;
}

/** A Markdown file: its front matter (as a positioned YAML document) and its GFM tables. */
export interface MarkdownDocument {
  readonly kind: 'markdown';
  readonly path: string;
  readonly text: string;
  readonly frontMatter: YamlDocument | undefined;
  readonly tables: readonly MarkdownTable[];
  readonly problems: readonly ParseProblem[];
  readonly lines: LineIndex;
  /** The first table under a heading that starts with `headingPrefix` (and has all `requiredColumns`). */
  table(headingPrefix: string, requiredColumns?: string[]): MarkdownTable | undefined;
  /** Range of a pointer: `/frontmatter/...`, `/tables/<i>`, `/tables/<i>/rows/<r>`, `/tables/<i>/rows/<r>/<column>`. */
  locate(pointer: string): Range;
}

const NULL_CELLS = new Set(['', '—', '-', '–']);

/** Split a table line into cells on unescaped pipes, keeping each cell's offset in the line. */
function splitCells(line: string): { raw: string; start: number; end: number }[] {
  const cells: { raw: string; start: number; end: number }[] = [];
  let i = 0;
  const trimmedStart = line.length - line.trimStart().length;
  i = trimmedStart;
  if (line[i] === '|') i++;
  let cellStart = i;
  let inCode = false;
  for (; i <= line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && line[i + 1] === '|') {
      i++;
      continue;
    }
    if (ch === '`') inCode = !inCode;
    if (i === line.length || (ch === '|' && !inCode)) {
      cells.push({ raw: line.slice(cellStart, i), start: cellStart, end: i });
      cellStart = i + 1;
    }
  }
  // A trailing pipe leaves one empty cell after it; drop it.
  const last = cells[cells.length - 1];
  if (last && last.raw.trim() === '' && line.trimEnd().endsWith('|')) cells.pop();
  return cells;
}

function normaliseCell(raw: string): string | null {
  let text = raw.trim().replace(/\\\|/g, '|');
  if (/^`[^`]*`$/.test(text)) text = text.slice(1, -1).trim();
  text = text.replace(/^\*\*(.*)\*\*$/, '$1').trim();
  return NULL_CELLS.has(text) ? null : text;
}

const PIPE = 0x7c;
const COLON = 0x3a;
const DASH = 0x2d;
const HASH = 0x23;

/**
 * Is the line a GFM table separator (`|---|:--:|`)? What `/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/`
 * accepts, scanned once: that expression's adjacent `\s*` runs made it quadratic on a line of spaces.
 */
export function isSeparatorRow(line: string): boolean {
  let start = skipSpaces(line);
  let end = trimEndIndex(line, line.length, start);
  if (line.charCodeAt(start) === PIPE) start++;
  if (end > start && line.charCodeAt(end - 1) === PIPE) end--;
  // Now one or more cells `\s*:?-+:?\s*` separated by single pipes.
  let i = start;
  for (;;) {
    i = skipSpaces(line, i, end);
    if (line.charCodeAt(i) === COLON && i < end) i++;
    const dashes = i;
    while (i < end && line.charCodeAt(i) === DASH) i++;
    if (i === dashes) return false;
    if (i < end && line.charCodeAt(i) === COLON) i++;
    i = skipSpaces(line, i, end);
    if (i === end) return true;
    if (line.charCodeAt(i) !== PIPE) return false;
    i++;
  }
}

/**
 * An ATX heading line: its level and text, as `/^(#{1,6})\s+(.*?)\s*#*\s*$/` captured them — the
 * text without the spaces around it and without a closing run of `#` — by scanning from both ends
 * (the expression backtracked cubically over runs of spaces). `undefined` when it is no heading;
 * as with `.`, a line terminator (lone `\r`, U+2028, U+2029) inside the text makes it none.
 */
export function parseHeading(line: string): { level: number; text: string } | undefined {
  let level = 0;
  while (level < line.length && line.charCodeAt(level) === HASH) level++;
  if (level < 1 || level > 6 || !isSpaceCode(line.charCodeAt(level))) return undefined;
  const start = skipSpaces(line, level);
  let end = trimEndIndex(line, line.length, start);
  while (end > start && line.charCodeAt(end - 1) === HASH) end--;
  end = trimEndIndex(line, end, start);
  if (hasLineTerminator(line, start, end)) return undefined;
  return { level, text: line.slice(start, end) };
}

interface FrontMatterPart {
  frontMatter: YamlDocument | undefined;
  problems: ParseProblem[];
  bodyStartLine: number;
}

/** Front matter: a '---' first line, closed by the next '---' line. */
function readFrontMatter(path: string, lines: LineIndex): FrontMatterPart {
  const problems: ParseProblem[] = [];
  let frontMatter: YamlDocument | undefined;
  let bodyStartLine = 1;
  if (lines.lineText(1).trim() === '---') {
    let close = -1;
    for (let l = 2; l <= lines.lineCount; l++) {
      if (/^(---|\.\.\.)\s*$/.test(lines.lineText(l))) {
        close = l;
        break;
      }
    }
    if (close === -1) {
      problems.push({ code: 'front-matter', message: "Front matter opened with '---' on line 1 is never closed.", range: lines.lineRange(1), severity: 'error' });
    } else {
      const yamlLines: string[] = [''];
      for (let l = 2; l < close; l++) yamlLines.push(lines.lineText(l));
      // Keep line numbers: line 1 of the file is an empty line in the YAML text.
      frontMatter = parseYamlDocument(path, yamlLines.join('\n'));
      for (const p of frontMatter.problems) problems.push(p);
      bodyStartLine = close + 1;
    }
  }
  return { frontMatter, problems, bodyStartLine };
}

/**
 * The problems of a Markdown file's front matter alone, without reading its tables: for a file
 * read only as text (`Workspace.text()`), whose tables no check asked for.
 */
export function markdownFrontMatterProblems(path: string, text: string): readonly ParseProblem[] {
  const nl = text.indexOf('\n');
  if (text.slice(0, nl === -1 ? undefined : nl).trim() !== '---') return []; // same test as readFrontMatter
  return readFrontMatter(path, new LineIndex(text)).problems;
}

/**
 * A Markdown file. The front matter is parsed at once; the tables (and their `table-shape`
 * problems) the first time `tables`, `table()`, `problems` or a table pointer is asked for.
 */
export function parseMarkdownDocument(path: string, text: string): MarkdownDocument {
  const lines = new LineIndex(text);
  const head = readFrontMatter(path, lines);
  const frontMatter = head.frontMatter;
  let body: { tables: MarkdownTable[]; problems: ParseProblem[] } | undefined;
  const parsed = (): { tables: MarkdownTable[]; problems: ParseProblem[] } => (body ??= readTables(lines, head.bodyStartLine));

  const locate = (ptr: string): Range => {
    if (ptr.startsWith('/frontmatter')) {
      return frontMatter ? frontMatter.locate(ptr.slice('/frontmatter'.length)) : lines.lineRange(1);
    }
    let segs: string[];
    try {
      segs = parsePointer(ptr);
    } catch {
      return WHOLE_FILE;
    }
    if (segs[0] !== 'tables') return WHOLE_FILE;
    const table = parsed().tables[Number(segs[1])];
    if (!table) return WHOLE_FILE;
    if (segs.length === 2) return lines.lineRange(table.line);
    const row = table.rows[Number(segs[3])];
    if (!row) return lines.lineRange(table.line);
    if (segs.length === 4) return lines.lineRange(row.line);
    const col = /^\d+$/.test(segs[4]!) ? Number(segs[4]) : table.headers.indexOf(segs[4]!);
    return row.list[col]?.range ?? lines.lineRange(row.line);
  };

  return {
    kind: 'markdown',
    path,
    text,
    frontMatter,
    get tables() {
      return parsed().tables;
    },
    get problems() {
      return [...head.problems, ...parsed().problems];
    },
    lines,
    table(headingPrefix: string, requiredColumns: string[] = []) {
      return parsed().tables.find((t) => t.heading.startsWith(headingPrefix) && requiredColumns.every((c) => t.headers.includes(c)));
    },
    locate,
  };
}

/** GFM tables of the body (from `bodyStartLine`), outside fenced code, with their shape problems. */
function readTables(lines: LineIndex, bodyStartLine: number): { tables: MarkdownTable[]; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const tables: MarkdownTable[] = [];
  let heading = '';
  let headingLevel = 0;
  let inFence = false;
  let fenceMarker = '';
  for (let l = bodyStartLine; l <= lines.lineCount; l++) {
    const line = lines.lineText(l);
    const fence = /^\s*(```+|~~~+)/.exec(line);
    if (fence) {
      if (!inFence) {
        inFence = true;
        fenceMarker = fence[1]!.slice(0, 3);
      } else if (line.trim().startsWith(fenceMarker)) inFence = false;
      continue;
    }
    if (inFence) continue;
    const h = parseHeading(line);
    if (h) {
      heading = h.text;
      headingLevel = h.level;
      continue;
    }
    if (!line.trimStart().startsWith('|')) continue;
    // A table: header line, separator line, then rows while lines start with '|'.
    const separator = lines.lineText(l + 1);
    if (!isSeparatorRow(separator)) continue;
    const index = tables.length;
    const tablePointer = `/tables/${index}`;
    const headers = splitCells(line).map((c) => normaliseCell(c.raw) ?? '');
    const rows: MarkdownTableRow[] = [];
    let r = l + 2;
    for (; r <= lines.lineCount && lines.lineText(r).trimStart().startsWith('|'); r++) {
      const rowLine = lines.lineText(r);
      const rowIndex = rows.length;
      const rowPointer = `${tablePointer}/rows/${rowIndex}`;
      const parts = splitCells(rowLine);
      const list: MarkdownCell[] = [];
      const cells: Record<string, MarkdownCell | undefined> = Object.create(null) as Record<string, MarkdownCell | undefined>;
      headers.forEach((name, col) => {
        const part = parts[col];
        const leading = part ? part.raw.length - part.raw.trimStart().length : 0;
        const startCol = part ? part.start + leading + 1 : rowLine.length + 1;
        const endCol = part ? part.start + part.raw.trimEnd().length + 1 : rowLine.length + 1;
        const cell: MarkdownCell = {
          value: part ? normaliseCell(part.raw) : null,
          raw: part?.raw ?? '',
          range: { line: r, column: startCol, endLine: r, endColumn: Math.max(startCol, endCol) },
          pointer: `${rowPointer}/${col}`,
        };
        list.push(cell);
        if (!(name in cells)) cells[name] = cell;
      });
      if (parts.length !== headers.length) {
        problems.push({
          code: 'table-shape',
          message: `Table row has ${parts.length} cell(s) but the header "${heading}" table has ${headers.length}; ${parts.length < headers.length ? 'missing cells read as empty' : 'extra cells are ignored'}.`,
          range: lines.lineRange(r),
          severity: 'warning',
        });
      }
      rows.push({ cells, list, line: r, pointer: rowPointer });
    }
    tables.push({ index, heading, headingLevel, headers, rows, line: l, pointer: tablePointer });
    l = r - 1;
  }

  return { tables, problems };
}
