import { getAtPointer, parsePointer, pointer as pointerOf } from '../pointer.js';
import type { Range } from '../diagnostic.js';
import type { Workspace } from '../workspace/workspace.js';
import { loadYamlValue } from '../workspace/yamlDocument.js';
import { lineStarts, offsetAt, yamlScalarLike, type Fix } from './textEdits.js';

/**
 * A fix that replaces the scalar at `pointer` of a YAML binding with `value`, written in the style
 * the file uses there (plain stays plain when it can, quotes are kept): the edit covers the scalar's
 * characters only, so a comment after it, the key order and the indentation stay. Undefined when the
 * node is not a one-line scalar the workspace can place exactly (the finding then has no fix).
 */
export function replaceValueFix(workspace: Workspace, file: string, pointer: string, value: string, description: string): Fix | undefined {
  const text = workspace.text(file);
  const doc = workspace.yaml(file);
  if (text === undefined || !doc || doc.value === undefined) return undefined;
  const range = workspace.locate(file, pointer);
  if (range.line !== range.endLine || range.endColumn <= range.column) return undefined;
  const starts = lineStarts(text);
  const start = offsetAt(starts, text, range.line, range.column);
  const end = offsetAt(starts, text, range.endLine, range.endColumn);
  if (start === undefined || end === undefined) return undefined;
  const original = text.slice(start, end);
  // Only a scalar: a block or flow collection, an anchor, a tag or an alias is not replaced by text.
  if (/^[[{&*!|>]/.test(original)) return undefined;
  const written = yamlScalarLike(original, value);
  if (written === undefined || written === original) return undefined;
  // The edit must change that one value and nothing else as YAML loads the file: a value reached
  // through a merge key (`<<: *base`) is the anchor's, shared by every record that merges it.
  // Only a file with an anchor (`&name`) can share a value; without one the check costs two parses for nothing.
  if (/&[^\s,[\]{}]/.test(text) && !onlyValueChanged(text, text.slice(0, start) + written + text.slice(end), pointer, value)) return undefined;
  return { description, edits: [{ file: workspace.pathOf(file), range, text: written }] };
}

/**
 * A fix that moves the block-sequence item at `itemPointer` (its whole lines) to the end of the
 * block sequence at `toListPointer` of the same YAML file, re-indented to that list's items:
 * `- name: loki` leaves one compose target's `stacks:` for another's. Undefined unless both are
 * block sequences of one-or-more items the workspace places by line (a flow list or an empty one
 * is not edited: where the item should go is then not certain), and unless the item has company in
 * its list: moving the only item would leave `stacks:` null, a list no longer.
 */
export function moveListItemFix(workspace: Workspace, file: string, itemPointer: string, toListPointer: string, description: string): Fix | undefined {
  const text = workspace.text(file);
  const doc = workspace.yaml(file);
  if (text === undefined || !doc || doc.value === undefined) return undefined;
  const target = getAtPointer(doc.value, toListPointer);
  if (!Array.isArray(target) || target.length === 0) return undefined;
  const source = getAtPointer(doc.value, pointerOf(...parsePointer(itemPointer).slice(0, -1)));
  if (!Array.isArray(source) || source.length < 2) return undefined;
  const lines = text.split(/\r?\n/);
  const item = workspace.locate(file, itemPointer);
  const last = workspace.locate(file, `${toListPointer}/${target.length - 1}`);
  const dashOf = (line: number): number | undefined => {
    const m = /^(\s*)- /.exec(lines[line - 1] ?? '');
    return m ? m[1]!.length : undefined;
  };
  // The item's first line carries its `- `; the list's last item tells the indentation there.
  const fromIndent = dashOf(item.line);
  const toIndent = dashOf(workspace.locate(file, `${toListPointer}/0`).line);
  if (fromIndent === undefined || toIndent === undefined) return undefined;
  // Whole lines: from the item's dash line through its last line (a trailing block of deeper lines included).
  // A node's range ends at column 1 of the line after it (exclusive): its last line is the one before.
  const lastLine = (r: { endLine: number; endColumn: number }): number => (r.endColumn === 1 ? r.endLine - 1 : r.endLine);
  let end = lastLine(item);
  while (end < lines.length && lines[end]!.trim() !== '' && lines[end]!.length - lines[end]!.trimStart().length > fromIndent && !/^\s*- /.test(lines[end]!.slice(0, fromIndent + 2))) end++;
  let lastEnd = lastLine(last);
  while (lastEnd < lines.length && lines[lastEnd]!.trim() !== '' && lines[lastEnd]!.length - lines[lastEnd]!.trimStart().length > toIndent) lastEnd++;
  if (lastEnd >= item.line && lastEnd <= end) return undefined;
  const shift = toIndent - fromIndent;
  const moved = lines.slice(item.line - 1, end).map((l) => (shift >= 0 ? ' '.repeat(shift) + l : l.slice(Math.min(-shift, l.length - l.trimStart().length))));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const path = workspace.pathOf(file);
  // Without a line break at the end of the file, its last line has no line after it: the edits end
  // there (the item takes the break before it along; the moved item brings one before it).
  const endOfLine = (line: number) => ({ line, column: lines[line - 1]!.length + 1 });
  const atEnd = (line: number): boolean => line >= lines.length;
  const remove = atEnd(end) ? { ...endOfLine(item.line - 1), endLine: end, endColumn: endOfLine(end).column } : { line: item.line, column: 1, endLine: end + 1, endColumn: 1 };
  const insert = atEnd(lastEnd)
    ? { range: { ...endOfLine(lastEnd), endLine: lastEnd, endColumn: endOfLine(lastEnd).column }, text: eol + moved.join(eol) }
    : { range: { line: lastEnd + 1, column: 1, endLine: lastEnd + 1, endColumn: 1 }, text: moved.join(eol) + eol };
  return {
    description,
    edits: [
      { file: path, range: remove, text: '' },
      { file: path, ...insert },
    ],
  };
}

/** Whether `after` loads as `before` with the value at `pointer` set to `value` (merge keys resolved). */
function onlyValueChanged(before: string, after: string, pointer: string, value: string): boolean {
  try {
    // js-yaml (the workspace's fast parser, already loaded): merge keys resolved, a duplicate key's last value kept.
    const parse = loadYamlValue;
    const expected = parse(before);
    const segments = parsePointer(pointer);
    const parent = getAtPointer(expected, pointerOf(...segments.slice(0, -1)));
    if (typeof parent !== 'object' || parent === null) return false;
    (parent as Record<string, unknown>)[String(segments[segments.length - 1])] = value;
    return JSON.stringify(parse(after)) === JSON.stringify(expected);
  } catch {
    return false;
  }
}
/**
 * A fix that appends a row to a Markdown table (`/tables/<i>` of a Markdown binding): cells by header
 * name (a header not given is left empty; `|` is escaped), padded to the table's column widths when
 * its rows are aligned, so the table keeps its look. Undefined when the table is not found.
 */
export function appendTableRowFix(workspace: Workspace, file: string, tablePointer: string, cells: Readonly<Record<string, string>>, description: string): Fix | undefined {
  const doc = workspace.markdown(file);
  const index = /^\/tables\/(\d+)$/.exec(tablePointer)?.[1];
  const table = doc && index !== undefined ? doc.tables[Number(index)] : undefined;
  if (!doc || !table) return undefined;
  const lines = doc.text.split(/\r?\n/);
  const lastLine = table.rows.length > 0 ? table.rows[table.rows.length - 1]!.line : table.line + 1;
  const values = table.headers.map((h) => (cells[h] ?? '').replace(/\|/g, '\\|'));
  // Aligned: every row line of the table (header and separator included) splits into cells of one set of widths.
  const widthsOf = (line: string): number[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.length);
  const tableLines = lines.slice(table.line - 1, lastLine);
  const widths = widthsOf(tableLines[0] ?? '');
  const aligned = widths.length === values.length && tableLines.every((l) => widthsOf(l).join() === widths.join()) && values.every((v, i) => v.length + 2 <= widths[i]!);
  const row = aligned ? `|${values.map((v, i) => ` ${v.padEnd(widths[i]! - 2)} `).join('|')}|` : `| ${values.join(' | ')} |`;
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const end = (lines[lastLine - 1] ?? '').length + 1;
  return { description, edits: [{ file: workspace.pathOf(file), range: { line: lastLine, column: end, endLine: lastLine, endColumn: end }, text: eol + row }] };
}

/**
 * A fix that sets the text of one Markdown table cell (a `MarkdownCell` of the workspace), keeping
 * backticks around the value when the cell had them and the column's width where it fits: a
 * shorter value is padded, a longer one takes the cell's spare spaces. An empty cell, or a value
 * with a line break, gets no fix.
 */
export function replaceCellFix(workspace: Workspace, file: string, cell: { readonly raw: string; readonly range: Range }, value: string, description: string): Fix | undefined {
  const old = cell.raw.trim();
  if (old === '' || /[\r\n]/.test(value)) return undefined;
  const text = (/^`.*`$/.test(old) ? `\`${value}\`` : value).replace(/\|/g, '\\|');
  if (text === old) return undefined;
  const spare = Math.max(0, cell.raw.length - cell.raw.trimEnd().length - 1); // one space stays before the pipe
  const { line, column, endColumn } = cell.range;
  if (text.length <= old.length) return { description, edits: [{ file: workspace.pathOf(file), range: cell.range, text: text.padEnd(old.length) }] };
  const taken = Math.min(spare, text.length - old.length);
  return { description, edits: [{ file: workspace.pathOf(file), range: { line, column, endLine: line, endColumn: endColumn + taken }, text }] };
}
