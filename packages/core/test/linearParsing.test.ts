/**
 * Linear-time parsing of every line-oriented construct (hostile input). Each parser that used a
 * backtracking regular expression over a whole line (`(.*?)\s*$`, `\s*\|?\s*`, `(.*)$` after a
 * quantified run) is now a scan; these tests hold it to two promises:
 *
 * 1. Same answers: on generated short lines the new parser returns exactly what the old regular
 *    expression (copied here as the oracle) returned, line terminators and odd spaces included.
 * 2. Linear time: a line of 200 kB made of long runs of spaces, tabs, pipes, `#`, backticks, `*`,
 *    `-`, `:`, commas and digits with a trailing `x`, in each position a parser reads, costs less
 *    than {@link MS_PER_KB} per kB. The old expressions took seconds at 6 kB (the heading, cubic)
 *    or 16 kB (the quadratic ones) and hours at 16 MiB.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDirectives, parseMarkdownDocument, parseYamlDocument, patternsMatch } from '@spine-lint/core';
import { parseSimpleYaml } from '../src/decide.cjs';
import { hasLineTerminator, isLineTerminatorCode, isSpaceCode, skipSpaces, trimEndChar, trimEndIndex } from '../src/text.js';
import { isSeparatorRow, parseHeading } from '../src/workspace/markdownDocument.js';
import { keyAtStart } from '../src/workspace/yamlDocument.js';
import { YamlCommentScanner } from '../src/yamlComments.js';

/** Generous on a loaded two-core machine (the scans take well under 0.1 ms/kB); the old expressions took 30 ms/kB and more at 16 kB. */
const MS_PER_KB = 2;
const LINE = 200_000;

/** Milliseconds per kB of `run()`, the best of up to three runs (load slows one run, not every one). */
function msPerKb(kb: number, run: () => void): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best / kb >= MS_PER_KB / 4; attempt++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best / kb;
}

/** The fillers of the hostile runs: single characters and the pairs that make two quantifiers overlap. */
const FILLERS = [' ', '\t', '|', '#', '`', '*', '-', ':', ',', '0', '~', '>', ' |', '| ', ' -', '- ', ' #', '# ', ' `', ' :', ' ,', ', ', '0 ', ' \t', '\u00a0', ' -->'];

/** `filler` repeated to `length` characters. */
const run = (filler: string, length = LINE): string => filler.repeat(Math.ceil(length / filler.length)).slice(0, length);

/** A random hostile run: long stretches of fillers, in total between 50 and 200 kB. */
const hostileRun = fc
  .array(fc.record({ filler: fc.constantFrom(...FILLERS), length: fc.integer({ min: 1, max: 60_000 }) }), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.map((p) => run(p.filler, p.length)).join(''))
  .filter((s) => s.length >= 50_000)
  .map((s) => s.slice(0, LINE));

const tables = (text: string) => {
  const doc = parseMarkdownDocument('docs/x.md', text);
  return { tables: doc.tables, problems: doc.problems };
};

/** Each position a line-oriented parser reads, as a text around a hostile run `r` (then `x`), and the parse. */
const POSITIONS: { name: string; text: (r: string) => string; parse: (text: string) => unknown }[] = [
  { name: 'Markdown heading', text: (r) => `# a${r}x\n\n| a |\n|---|\n| 1 |\n`, parse: tables },
  { name: 'Markdown heading, closing #s', text: (r) => `## ${r}#${r}x\n`, parse: tables },
  { name: 'Markdown heading, no text', text: (r) => `#${r}x\n`, parse: tables },
  { name: 'table header row', text: (r) => `| a${r}x |\n|---|\n| 1 |\n`, parse: tables },
  { name: 'table separator row', text: (r) => `| a |\n${r}x\n`, parse: tables },
  { name: 'table separator row after a pipe', text: (r) => `| a |\n| --- |${r}x\n`, parse: tables },
  { name: 'table row', text: (r) => `| a | b |\n|---|---|\n|${r}x\n`, parse: tables },
  { name: 'table cell in bold and code', text: (r) => `| a | b |\n|---|---|\n| **${r}x | \`${r}x |\n`, parse: tables },
  { name: 'fence line', text: (r) => `${r}x\n| a |\n|---|\n`, parse: tables },
  { name: 'front matter close', text: (r) => `---\na: 1\n---${r}x\n`, parse: tables },
  { name: 'Markdown directive', text: (r) => `<!-- spine-lint-disable-line a -- r${r}x -->\n`, parse: (t) => parseDirectives('docs/x.md', t) },
  { name: 'Markdown directive after a fence line', text: (r) => `\`\`\`${r}\u2028x\n<!-- spine-lint-disable-next-line a -- r -->\nx\n`, parse: (t) => parseDirectives('docs/x.md', t) },
  { name: 'YAML comment directive', text: (r) => `a: 1 # spine-lint-disable-line a -- r${r}x\n`, parse: (t) => parseDirectives('ops/bindings/x.yaml', t) },
  { name: 'YAML comment line directive', text: (r) => `# spine-lint-disable-next-line${r}x\nb: 2\n`, parse: (t) => parseDirectives('ops/bindings/x.yaml', t) },
  { name: 'YAML comment', text: (r) => `a: 1 #${r}x\nb: 2\n`, parse: (t) => new YamlCommentScanner(t).scanUntil(t.length) },
  { name: 'text directive', text: (r) => `# spine-lint-disable-line a -- r${r}x\n`, parse: (t) => parseDirectives('notes.txt', t) },
  { name: 'simple YAML key (config fast path)', text: (r) => `a${r.replace(/[#\t\n]/g, ' ')}x: 1\n`, parse: (t) => parseSimpleYaml(t) },
  { name: 'simple YAML line without a key (config fast path)', text: (r) => `checks:\n  a${r.replace(/[#\t\n]/g, ' ')}x\n`, parse: (t) => parseSimpleYaml(t) },
  { name: 'YAML duplicate key', text: (r) => `a${r.replace(/[:#\n]/g, ' ')}x: 1\na${r.replace(/[:#\n]/g, ' ')}x: 2\n`, parse: (t) => parseYamlDocument('x.yaml', t).problems },
];

describe('line-oriented parsers are linear time on hostile lines', () => {
  it('the three reported reproductions: a heading "# a" + 6 000 spaces + "x" parses in linear time', () => {
    const text = `# a${' '.repeat(6000)}x\n\n| a |\n|---|\n| 1 |\n`;
    let doc: ReturnType<typeof tables> | undefined;
    expect(msPerKb(text.length / 1024, () => (doc = tables(text)))).toBeLessThan(MS_PER_KB);
    expect(doc!.problems).toEqual([]);
    expect(doc!.tables.map((t) => ({ heading: t.heading, level: t.headingLevel, headers: t.headers, line: t.line, rows: t.rows.map((r) => r.list.map((c) => c.value)) }))).toEqual([
      { heading: `a${' '.repeat(6000)}x`, level: 1, headers: ['a'], line: 3, rows: [['1']] },
    ]);
  });

  it('the three reported reproductions: a table separator line of 150 000 spaces + "x" under a one-column header row parses in linear time', () => {
    const text = `| a |\n${' '.repeat(150_000)}x\n`;
    let doc: ReturnType<typeof tables> | undefined;
    expect(msPerKb(text.length / 1024, () => (doc = tables(text)))).toBeLessThan(MS_PER_KB);
    expect(doc).toEqual({ tables: [], problems: [] });
    // And a real separator after the same header still makes a table, with the cells where they are.
    const real = tables(`| a |\n|${' '.repeat(150_000)}--- |\n| 1 |\n`);
    expect(real.tables.map((t) => [t.headers, t.rows[0]!.list[0]!.range])).toEqual([[['a'], { line: 3, column: 3, endLine: 3, endColumn: 4 }]]);
  });

  for (const position of POSITIONS) {
    it(`${position.name}: a 200 kB run of each filler then 'x' costs < ${MS_PER_KB} ms/kB`, () => {
      for (const filler of FILLERS) {
        const text = position.text(run(filler));
        const cost = msPerKb(text.length / 1024, () => position.parse(text));
        expect(cost, `${position.name}, filler ${JSON.stringify(filler)}`).toBeLessThan(MS_PER_KB);
      }
    });
  }

  it('random lines of long runs (50 to 200 kB of spaces, tabs, pipes, #, backticks, *, -, :, commas, digits, then x) cost less than 2 ms per kB in every line position', () => {
    fc.assert(
      fc.property(hostileRun, fc.constantFrom(...POSITIONS), (r, position) => {
        const text = position.text(r);
        expect(
          msPerKb(text.length / 1024, () => position.parse(text)),
          position.name,
        ).toBeLessThan(MS_PER_KB);
      }),
      { numRuns: 40 },
    );
  });

  it('a known_hosts pattern with many "*" is matched without exponential backtracking', () => {
    // The old `.*a.*a…b` expression took 16 s on this pair; the matcher is at most pattern × name steps.
    const start = performance.now();
    expect(patternsMatch(`${'*a'.repeat(10)}b`, 'a'.repeat(40))).toBe(false);
    expect(patternsMatch(`${'*a'.repeat(2000)}b`, 'a'.repeat(4000))).toBe(false);
    expect(patternsMatch(`${'*a'.repeat(2000)}`, 'a'.repeat(4000))).toBe(true);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

// ---- the old expressions, as the oracle of the new scans ----

const OLD_HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const OLD_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const OLD_DIRECTIVE = /(?:#|<!--)\s*spine-lint-disable-(next-line|line)\b([^\n]*?)(?:-->)?\s*$/;
const OLD_HTML_DIRECTIVE = /<!--\s*spine-lint-disable-(next-line|line)\b([^\n]*?)(?:-->)?\s*$/;
const OLD_FENCE = /^[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})(.*)$/;
const OLD_KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:#]*?)\s*:/;
const oldGlobMatch = (pattern: string, name: string): boolean =>
  new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    'i',
  ).test(name);
function oldPatternsMatch(patterns: string, name: string): boolean {
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!')) {
      if (oldGlobMatch(p.slice(1), name)) return false;
    } else if (oldGlobMatch(p, name)) matched = true;
  }
  return matched;
}

/** The directive the old code read from `m` (as `directive()` in suppressions.ts). */
function oldDirective(m: RegExpExecArray, lineText: string, target: number | undefined) {
  const [body = '', reasonPart] = m[2]!.split(/\s--\s?/, 2) as [string, string | undefined];
  const checks = body
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const reason = reasonPart?.trim();
  return { line: 1, column: m.index + 1, endColumn: lineText.trimEnd().length + 1, target, checks, reason: reason ? reason : undefined };
}

/** Strings of short pieces: the characters the expressions tell apart, line terminators and odd spaces among them. */
const lineOf = (pieces: string[], maxLength = 12) => fc.array(fc.constantFrom(...pieces), { maxLength }).map((p) => p.join(''));
const ODD = ['\u2028', '\u2029', '\r', '\u00a0', '\ufeff', '\u3000', '\v', '\f'];

describe('the scans answer exactly what the old expressions did', () => {
  it('isSpaceCode is `\\s`, isLineTerminatorCode is what `.` does not match, for every UTF-16 code unit', () => {
    for (let code = 0; code < 0x10000; code++) {
      const ch = String.fromCharCode(code);
      if (isSpaceCode(code) !== /\s/.test(ch)) throw new Error(`isSpaceCode(${code.toString(16)})`);
      if (isLineTerminatorCode(code) !== !/./.test(ch)) throw new Error(`isLineTerminatorCode(${code.toString(16)})`);
    }
  });

  it('the helpers trim as trimEnd / replace(/x+$/) do', () => {
    fc.assert(
      fc.property(lineOf(['a', ' ', '/', '\t', ...ODD]), (s) => {
        expect(s.slice(0, trimEndIndex(s))).toBe(s.trimEnd());
        expect(s.slice(skipSpaces(s))).toBe(s.trimStart());
        expect(trimEndChar(s, '/')).toBe(s.replace(/\/+$/, ''));
        expect(hasLineTerminator(s)).toBe(/[\n\r\u2028\u2029]/.test(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('headings: level and text as /^(#{1,6})\\s+(.*?)\\s*#*\\s*$/', () => {
    fc.assert(
      fc.property(lineOf(['#', '##', '####', ' ', '\t', 'a', 'b c', '|', ...ODD]), (line) => {
        const m = OLD_HEADING.exec(line);
        expect(parseHeading(line)).toEqual(m ? { level: m[1]!.length, text: m[2]! } : undefined);
      }),
      { numRuns: 5000 },
    );
  });

  it('separator rows: as /^\\s*\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*$/', () => {
    fc.assert(
      fc.property(lineOf(['|', '-', '---', ':', ' ', '\t', 'a', ...ODD]), (line) => {
        expect(isSeparatorRow(line)).toBe(OLD_SEPARATOR.test(line));
      }),
      { numRuns: 5000 },
    );
  });

  it('YAML keys in duplicate-key findings: as /^("(?:[^"\\\\]|\\\\.)*"|\'[^\']*\'|[^:#]*?)\\s*:/', () => {
    fc.assert(
      fc.property(lineOf(['"', "'", '\\', ':', '#', ' ', '\t', 'a', ...ODD]), (rest) => {
        expect(keyAtStart(rest)).toBe(OLD_KEY.exec(rest)?.[1]);
      }),
      { numRuns: 5000 },
    );
  });

  const DIRECTIVE_PIECES = ['spine-lint-disable-line', 'spine-lint-disable-next-line', 'spine-lint-disable-linex', '#', '<!--', '-->', '--', ' -- ', ' ', '\t', ',', 'a', 'b-c', '`', ...ODD];
  /** A line as LineIndex gives it (a trailing '\r' is the line end). */
  const asLine = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

  it('directives in other files: as /(?:#|<!--)\\s*spine-lint-disable-(next-line|line)\\b([^\\n]*?)(?:-->)?\\s*$/', () => {
    fc.assert(
      fc.property(lineOf(DIRECTIVE_PIECES), (raw) => {
        const line = asLine(raw);
        const m = OLD_DIRECTIVE.exec(line);
        const expected = m ? [oldDirective(m, line, m[1] === 'line' ? 1 : 2)] : [];
        expect(parseDirectives('notes.txt', `${raw}\nnext\n`).map(({ file: _file, ...d }) => d)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('directives in Markdown: as /<!--\\s*spine-lint-disable-…$/ outside fence lines and inline code', () => {
    fc.assert(
      fc.property(lineOf([...DIRECTIVE_PIECES, '```', '~~~', '>']), (raw) => {
        const line = asLine(raw);
        fc.pre(line.trim() !== '---');
        const m = OLD_HTML_DIRECTIVE.exec(line);
        const found = m && !OLD_FENCE.test(line) && (line.slice(0, m.index).split('`').length - 1) % 2 === 0;
        const expected = found ? [oldDirective(m, line, m[1] === 'line' ? 1 : 2)] : [];
        expect(parseDirectives('docs/x.md', `${raw}\nnext\n`).map(({ file: _file, ...d }) => d)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('Markdown fence lines: a directive after a line opens a fence exactly when /^[ \\t]*(?:>[ \\t]?)*(`{3,}|~{3,})(.*)$/ says so', () => {
    fc.assert(
      fc.property(lineOf(['`', '```', '~~~', '~', '>', ' ', '\t', 'a', '`a`', ...ODD]), (raw) => {
        const line = asLine(raw);
        fc.pre(line.trim() !== '---');
        const f = OLD_FENCE.exec(line);
        const opens = !!f && (f[1]![0] === '~' || !f[2]!.includes('`'));
        const found = parseDirectives('docs/x.md', `${raw}\n<!-- spine-lint-disable-next-line a -- r -->\nx\n`);
        expect(found.length).toBe(opens ? 0 : 1);
      }),
      { numRuns: 5000 },
    );
  });

  it('known_hosts patterns: as the old `^…$` /i expression with `*` → `.*` and `?` → `.`', () => {
    const pieces = ['*', '?', 'a', 'A', 'b', '.', 'k', 'K', '\u212a', 's', 'S', '\u017f', '\u00df', '\u00e9', '\u00c9', '[', ']', '\\', '$', '(', '+', '\r', '\u2028'];
    fc.assert(
      fc.property(
        lineOf([...pieces, ',', '!'], 10),
        lineOf(
          pieces.filter((p) => p !== '*' && p !== '?'),
          10,
        ),
        (patterns, name) => {
          fc.pre(!patterns.startsWith('|1|'));
          expect(patternsMatch(patterns, name)).toBe(oldPatternsMatch(patterns, name));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
