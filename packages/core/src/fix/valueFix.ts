import type { Workspace } from '../workspace/workspace.js';
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
  return { description, edits: [{ file: workspace.pathOf(file), range, text: written }] };
}
