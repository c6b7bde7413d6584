import type { Range } from '../diagnostic.js';

/** A problem found while reading or parsing a file: becomes a `parse` finding. */
export interface ParseProblem {
  /** Stable id: `syntax`, `duplicate-key`, `alias-limit`, `encoding`, `too-large`, `multiple-documents`, `unreadable`, ... */
  code: string;
  message: string;
  range: Range;
  severity: 'error' | 'warning';
  /** Edits a person or an agent may choose between (the runner names the file): which of two duplicate keys to keep. */
  suggestions?: { description: string; edits: { range: Range; text: string }[] }[];
}

export const WHOLE_FILE: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
