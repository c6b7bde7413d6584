import type { Diagnostic, Finding } from './diagnostic.js';
import { hasLineTerminator, trimEndIndex } from './text.js';
import { LineIndex } from './workspace/lines.js';
import { YamlCommentScanner } from './yamlComments.js';

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

/**
 * A directive in a comment's text: `#` (YAML) or `<!--` (Markdown, HTML comment) opens it. Only its
 * head is a regular expression (linear: a literal after a run of spaces); the rest of the line is
 * cut by {@link directiveMatch}.
 */
const DIRECTIVE_HEAD = /(?:#|<!--)\s*spine-lint-disable-(next-line|line)\b/;
/** In Markdown only an HTML comment holds a directive (a `#` line is a heading, shown text). */
const HTML_DIRECTIVE_HEAD = /<!--\s*spine-lint-disable-(next-line|line)\b/;

/** A directive found on a line: where it starts, its kind, and its text after the kind. */
interface DirectiveMatch {
  index: number;
  kind: string;
  rest: string;
}

/**
 * What `head` followed by `([^\n]*?)(?:-->)?\s*$` matched (`m.index`, `m[1]`, `m[2]`) on a line
 * (which holds no '\n'): the rest of the line without its trailing spaces and then one closing
 * `-->`. That expression tried every split of the spaces at the end of the line (quadratic); this
 * trims once.
 */
function directiveMatch(head: RegExp, lineText: string): DirectiveMatch | undefined {
  const m = head.exec(lineText);
  if (!m) return undefined;
  const from = m.index + m[0].length;
  let end = trimEndIndex(lineText, lineText.length, from);
  if (end - from >= 3 && lineText.endsWith('-->', end)) end -= 3;
  return { index: m.index, kind: m[1]!, rest: lineText.slice(from, end) };
}

const MARKER = 'spine-lint-disable';

const isYamlPath = (p: string): boolean => /\.ya?ml$/i.test(p);
const isMarkdownPath = (p: string): boolean => /\.(md|markdown)$/i.test(p);

const isCommentOrBlank = (text: string): boolean => {
  const t = text.trim();
  return t === '' || t.startsWith('#') || (t.startsWith('<!--') && t.endsWith('-->'));
};

/**
 * Find every `spine-lint-disable-next-line` / `spine-lint-disable-line` directive in a text. A
 * directive counts only where it is a comment: in YAML a comment token of the YAML lexer (never
 * text inside a block scalar, a quoted or plain string, or a string in a flow collection); in
 * Markdown an HTML comment (`<!-- … -->`) outside fenced code blocks and inline code, or a YAML
 * comment in the front matter. Other files: a `#` or `<!--` comment on the line, as written.
 * Texts without the marker cost one `includes`; a YAML text holding it is lexed only as far as
 * its last directive (and that directive's target line).
 */
export function parseDirectives(file: string, text: string): SuppressionDirective[] {
  if (!text.includes(MARKER)) return [];
  if (isYamlPath(file)) return yamlDirectives(file, text);
  if (isMarkdownPath(file)) return markdownDirectives(file, text);
  return textDirectives(file, text);
}

/** The lines holding the marker, ascending, each once, with the offset where each line starts. */
function markerLines(text: string, lines: LineIndex, fromLine = 1): { line: number; start: number }[] {
  const out: { line: number; start: number }[] = [];
  // Only the lines holding the marker can match: visit those (in order, once each) instead of every line.
  let previous = 0;
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    const { line, column } = lines.position(at);
    if (line === previous || line < fromLine) continue;
    previous = line;
    out.push({ line, start: at - column + 1 });
  }
  return out;
}

function directive(file: string, line: number, lineText: string, column: number, m: DirectiveMatch, target: number | undefined): SuppressionDirective {
  const [body = '', reasonPart] = m.rest.split(/\s--\s?/, 2) as [string, string | undefined];
  const checks = body
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const reason = reasonPart?.trim();
  return { file, line, column, endColumn: lineText.trimEnd().length + 1, target, checks, reason: reason ? reason : undefined };
}

/** The next line after `line` that is not blank and not a comment (by `skip`), or undefined. */
function nextTarget(lines: LineIndex, line: number, skip: (n: number, text: string) => boolean): number | undefined {
  for (let n = line + 1; n <= lines.lineCount; n++) if (!skip(n, lines.lineText(n))) return n;
  return undefined;
}

/** Any file that is neither YAML nor Markdown: a `#` or `<!--` directive anywhere on its line. */
function textDirectives(file: string, text: string): SuppressionDirective[] {
  const lines = new LineIndex(text);
  const out: SuppressionDirective[] = [];
  for (const { line } of markerLines(text, lines)) {
    const lineText = lines.lineText(line);
    const m = directiveMatch(DIRECTIVE_HEAD, lineText);
    if (!m) continue;
    const target = m.kind === 'line' ? line : nextTarget(lines, line, (_n, t) => isCommentOrBlank(t));
    out.push(directive(file, line, lineText, m.index + 1, m, target));
  }
  return out;
}

/** Index of the first entry of an ascending array that is >= value. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * YAML: a directive is the text of a comment token (`YamlCommentScanner`, the `yaml` lexer's view),
 * so `# spine-lint-disable-…` inside a `|`/`>` block scalar, a multi-line quoted string or a flow
 * collection's string suppresses nothing. "Next line": the next line that is not blank and does not
 * start with a comment token (a `#` line inside a block scalar is content, so it is the target).
 */
function yamlDirectives(file: string, text: string): SuppressionDirective[] {
  const lines = new LineIndex(text);
  const scanner = new YamlCommentScanner(text);
  const comments = scanner.comments;
  /** Does a comment token start in [from, to)? Lexes as far as needed. */
  const commentIn = (from: number, to: number): number | undefined => {
    scanner.scanUntil(to);
    const i = lowerBound(comments, from);
    return i < comments.length && comments[i]! < to ? comments[i] : undefined;
  };
  const out: SuppressionDirective[] = [];
  for (const { line, start } of markerLines(text, lines)) {
    const lineText = lines.lineText(line);
    const comment = commentIn(start, start + lineText.length);
    if (comment === undefined) continue;
    const at = comment - start;
    const m = directiveMatch(DIRECTIVE_HEAD, lineText.slice(at));
    if (!m) continue;
    let target: number | undefined;
    if (m.kind === 'line') target = line;
    else {
      // Walk the following lines by offset (LineIndex gives their text; their starts follow from it).
      let lineStart = start;
      let previousText = lineText;
      target = nextTarget(lines, line, (_n, t) => {
        lineStart = text.indexOf('\n', lineStart + previousText.length) + 1;
        previousText = t;
        const indent = t.search(/\S/);
        return indent === -1 || commentIn(lineStart + indent, lineStart + indent + 1) !== undefined;
      });
    }
    out.push(directive(file, line, lineText, at + m.index + 1, m, target));
  }
  return out;
}

/** The head of a fence line of a Markdown code block: its run (any indentation, in block quotes too). */
const FENCE_HEAD = /^[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})/;

/**
 * A fence line: its run and the text after it (the info string), as `/^[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})(.*)$/`
 * captured them. That expression backtracked over every shorter run when `.*` met a line terminator
 * (lone '\r', U+2028, U+2029), quadratic in the run; a line terminator after the run makes it no
 * fence at any run length, so one test decides.
 */
function fenceLine(lineText: string): { run: string; info: string } | undefined {
  const f = FENCE_HEAD.exec(lineText);
  if (!f) return undefined;
  const from = f[0].length;
  if (hasLineTerminator(lineText, from)) return undefined;
  return { run: f[1]!, info: lineText.slice(from) };
}

/**
 * Markdown: a directive is an HTML comment (`<!-- spine-lint-disable-… -->`), not inside a fenced
 * code block (``` or ~~~, unclosed: to the end of the file) or an inline code span; in the YAML
 * front matter (between `---` lines) a YAML comment, as in a YAML file.
 */
function markdownDirectives(file: string, text: string): SuppressionDirective[] {
  const lines = new LineIndex(text);
  const out: SuppressionDirective[] = [];
  let bodyStart = 1;
  if (lines.lineText(1).trim() === '---') {
    // The front matter as the Markdown reader cuts it (markdownDocument.ts): up to the next '---' / '...' line.
    let close = -1;
    for (let l = 2; l <= lines.lineCount; l++) {
      if (/^(---|\.\.\.)\s*$/.test(lines.lineText(l))) {
        close = l;
        break;
      }
    }
    if (close !== -1) {
      const yamlLines: string[] = [''];
      for (let l = 2; l < close; l++) yamlLines.push(lines.lineText(l));
      const frontMatter = yamlLines.join('\n'); // line 1 empty: the same line numbers and columns
      if (frontMatter.includes(MARKER)) out.push(...yamlDirectives(file, frontMatter));
      bodyStart = close + 1;
    }
  }
  const markers = markerLines(text, lines, bodyStart);
  if (markers.length === 0) return out;
  let fence: { char: string; length: number } | undefined;
  let next = 0;
  for (let l = bodyStart; l <= lines.lineCount && next < markers.length; l++) {
    const lineText = lines.lineText(l);
    const f = fenceLine(lineText);
    if (f) {
      const run = f.run;
      if (!fence) {
        // A backtick fence's info string has no backtick (else it is inline code, not a fence).
        if (run[0] === '~' || !f.info.includes('`')) fence = { char: run[0]!, length: run.length };
      } else if (run[0] === fence.char && run.length >= fence.length && f.info.trim() === '') fence = undefined;
    }
    if (markers[next]!.line !== l) continue;
    next++;
    if (fence || f) continue;
    const m = directiveMatch(HTML_DIRECTIVE_HEAD, lineText);
    // Inside an inline code span (an odd number of backticks before it): text, not a comment.
    if (!m || (lineText.slice(0, m.index).split('`').length - 1) % 2 === 1) continue;
    const target = m.kind === 'line' ? l : nextTarget(lines, l, (_n, t) => isCommentOrBlank(t));
    out.push(directive(file, l, lineText, m.index + 1, m, target));
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
