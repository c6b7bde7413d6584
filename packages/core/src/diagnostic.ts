import type { Fix } from './fix/textEdits.js';
/** Severity of a check or finding. `off` disables a check. */
export type Severity = 'error' | 'warning' | 'off';
/** Severity a reported finding can carry. */
export type FindingSeverity = Exclude<Severity, 'off'>;

/** A 1-based source range; `endColumn` is the column after the last character (SARIF convention). */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Scalar values a finding's `data` may carry (interpolated into messages, part of the fingerprint). */
export type DataValue = string | number | boolean | null | readonly (string | number)[];
export type FindingData = Record<string, DataValue | undefined>;

/**
 * What a check reports: a message id with its data, and where (a file and a JSON pointer into it).
 * Positions are resolved by the core, never by checks.
 */
export interface Finding {
  checkId: string;
  messageId: string;
  message: string;
  data: FindingData;
  /** Repository-relative path with `/` separators; undefined for findings about the run itself. */
  file?: string;
  /** RFC 6901 JSON pointer into the file's parsed value (or a Markdown table/front-matter pointer). */
  pointer?: string;
  /** Severity for this finding; defaults to the check's configured severity. */
  severity?: FindingSeverity;
  /** A fix hint for this finding; defaults to the check's hint. */
  hint?: string;
  /** An explicit range, when the finding is not about a node (e.g. a YAML syntax error). */
  range?: Range;
  /**
   * Findings of other checks this one explains away: when both are reported, only this one is
   * kept (one clear finding instead of two contradicting ones). A target matches a finding of the
   * named check (id or alias) with that message id (when given) whose data has every given entry.
   */
  supersedes?: readonly SupersededFinding[];
  /** Edits that certainly fix it (`check --fix` applies them). */
  fix?: Fix;
  /** Edits a person or an agent chooses between (never applied by `--fix`). */
  suggestions?: readonly Fix[];
}

/** A finding of another check that a finding replaces (see `Finding.supersedes`). */
export interface SupersededFinding {
  checkId: string;
  messageId?: string;
  data?: FindingData;
}

/** A finding after the core resolved its position, severity and fingerprint. The JSON contract's `results[]`. */
export interface Diagnostic extends Range {
  checkId: string;
  aliases: string[];
  severity: FindingSeverity;
  messageId: string;
  message: string;
  data: FindingData;
  file: string | null;
  pointer: string | null;
  hint: string | null;
  docsUrl: string | null;
  fingerprint: string;
  /** Present when the check can fix the finding: edits `--fix` applies (file paths from the root). */
  fix?: Fix;
  /** Present when the check offers choices: each a set of edits, none applied by `--fix`. */
  suggestions?: readonly Fix[];
}

/** Interpolate `{{name}}` placeholders of a message template with `data`. */
export function formatMessage(template: string, data: FindingData): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, key: string) => {
    const value = data[key];
    if (value === undefined) return whole;
    if (value === null) return 'null';
    if (Array.isArray(value)) return value.join(', ');
    return String(value);
  });
}
