import type { Diagnostic, Finding } from './diagnostic.js';
import { LineIndex } from './workspace/lines.js';

/** An inline directive found in a file's text. */
export interface SuppressionDirective {
  file: string;
  /** Line of the directive itself. */
  line: number;
  column: number;
  endColumn: number;
  /** Line whose findings it suppresses (undefined when nothing follows). */
  target: number | undefined;
  checks: string[];
  reason: string | undefined;
}

const DIRECTIVE = /(?:#|<!--)\s*spine-lint-disable-(next-line|line)\b([^\n]*?)(?:-->)?\s*$/;

const MARKER = 'spine-lint-disable';

const isCommentOrBlank = (text: string): boolean => {
  const t = text.trim();
  return t === '' || t.startsWith('#') || (t.startsWith('<!--') && t.endsWith('-->'));
};

/** Find every `spine-lint-disable-next-line` / `spine-lint-disable-line` directive in a text. */
export function parseDirectives(file: string, text: string): SuppressionDirective[] {
  if (!text.includes(MARKER)) return [];
  const lines = new LineIndex(text);
  const out: SuppressionDirective[] = [];
  // Only the lines holding the marker can match: visit those (in order, once each) instead of every line.
  let previous = 0;
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    const l = lines.position(at).line;
    if (l === previous) continue;
    previous = l;
    const lineText = lines.lineText(l);
    const m = DIRECTIVE.exec(lineText);
    if (!m) continue;
    const [body = '', reasonPart] = m[2]!.split(/\s--\s?/, 2) as [string, string | undefined];
    const checks = body
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    let target: number | undefined;
    if (m[1] === 'line') target = l;
    else {
      for (let n = l + 1; n <= lines.lineCount; n++) {
        if (!isCommentOrBlank(lines.lineText(n))) {
          target = n;
          break;
        }
      }
    }
    const reason = reasonPart?.trim();
    out.push({
      file,
      line: l,
      column: m.index + 1,
      endColumn: lineText.trimEnd().length + 1,
      target,
      checks,
      reason: reason ? reason : undefined,
    });
  }
  return out;
}

export interface SuppressionOutcome {
  kept: Diagnostic[];
  suppressed: Diagnostic[];
  /** Findings about the directives themselves (missing reason, unknown check, unused). */
  directiveFindings: Finding[];
}

/**
 * Apply directives to diagnostics. A directive without a reason suppresses nothing.
 * `knownCheck` answers whether a name is a check id or alias; `matches` whether a diagnostic is of that check.
 */
export function applySuppressions(
  diagnostics: Diagnostic[],
  directives: SuppressionDirective[],
  knownCheck: (name: string) => boolean,
  matches: (d: Diagnostic, name: string) => boolean,
): SuppressionOutcome {
  const kept: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  const directiveFindings: Finding[] = [];
  const used = new Set<string>();
  const byFileLine = new Map<string, SuppressionDirective[]>();
  for (const d of directives) {
    if (d.target === undefined || !d.reason) continue;
    const key = `${d.file}\u0000${d.target}`;
    const list = byFileLine.get(key) ?? [];
    list.push(d);
    byFileLine.set(key, list);
  }
  for (const diag of diagnostics) {
    // Suppressions cannot hide the engine's own findings about directives.
    const candidates = diag.checkId === 'suppression' ? undefined : byFileLine.get(`${diag.file}\u0000${diag.line}`);
    let hit = false;
    for (const directive of candidates ?? []) {
      for (const name of directive.checks) {
        if (matches(diag, name)) {
          used.add(`${directive.file}\u0000${directive.line}\u0000${name}`);
          hit = true;
        }
      }
    }
    (hit ? suppressed : kept).push(diag);
  }
  for (const d of directives) {
    const range = { line: d.line, column: d.column, endLine: d.line, endColumn: d.endColumn };
    const base = { checkId: 'suppression', file: d.file, range };
    if (d.target === undefined) {
      directiveFindings.push({ ...base, messageId: 'noTarget', message: '', data: {} });
      continue;
    }
    if (!d.reason) {
      directiveFindings.push({ ...base, messageId: 'missingReason', message: '', data: { checks: d.checks.join(', '), line: d.line }, severity: 'error' });
      continue;
    }
    for (const name of d.checks) {
      if (!knownCheck(name)) {
        directiveFindings.push({ ...base, messageId: 'unknownCheck', message: '', data: { check: name, line: d.line }, severity: 'error' });
      } else if (!used.has(`${d.file}\u0000${d.line}\u0000${name}`)) {
        directiveFindings.push({ ...base, messageId: 'unused', message: '', data: { check: name, target: d.target, line: d.line } });
      }
    }
  }
  return { kept, suppressed, directiveFindings };
}
