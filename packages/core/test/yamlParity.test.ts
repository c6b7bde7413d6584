import { isDeepStrictEqual } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import * as yaml from 'yaml';
import { MemorySource, parseYamlDocument, Workspace } from '@spine-lint/core';
import { fastYamlValue } from '../src/workspace/yamlDocument.js';
import { yamlParses } from './yamlParseCounter.js';

// Count the `yaml` package's positioned parses, to see that the fast path builds none until a position is asked for.
const counter = yamlParses;

/** What the `yaml` package alone makes of a text (the reference): value of the one document, or problems. */
function reference(text: string): { ok: boolean; value?: unknown } {
  const docs = yaml.parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length !== 1 || list[0]!.errors.length > 0) return { ok: false };
  try {
    return { ok: true, value: list[0]!.toJS({ maxAliasCount: 100 }) };
  } catch {
    return { ok: false };
  }
}

// [text, value expected from both parsers, taken by the fast path?]
const VALUES: [string, unknown, boolean][] = [
  // numbers: YAML 1.2 core, exactly as `yaml` reads them
  ['a: 0o17', { a: 15 }, true],
  ['a: 0x1F', { a: 31 }, true],
  ['a: 1e3', { a: 1000 }, true],
  ['a: 1E3', { a: 1000 }, true],
  ['a: 0.1e-2', { a: 0.001 }, true],
  ['a: .5', { a: 0.5 }, true],
  ['a: +.5', { a: 0.5 }, true], // js-yaml's CORE_SCHEMA: the string "+.5"
  ['a: 5.', { a: 5 }, true],
  ['a: +12', { a: 12 }, true],
  ['a: 012', { a: 12 }, true],
  ['a: -0', { a: -0 }, true], // js-yaml's CORE_SCHEMA: 0
  ['a: -0.0', { a: -0 }, true],
  ['a: 1e400', { a: Infinity }, true], // js-yaml's CORE_SCHEMA: the string "1e400"
  ['a: 12345678901234567890', { a: 12345678901234567890 }, true],
  ['a: [.inf, -.Inf, +.INF, .nan, .NaN, .NAN]', { a: [Infinity, -Infinity, Infinity, NaN, NaN, NaN] }, true],
  // not numbers in YAML 1.2 core (js-yaml's CORE_SCHEMA reads the first four as numbers)
  ['a: [-0x1F, +0o17, 0b101, 0X1F, 0O17, 1_000, 0o8, 0x, .Nan, 1:20, 190:20:30]', { a: ['-0x1F', '+0o17', '0b101', '0X1F', '0O17', '1_000', '0o8', '0x', '.Nan', '1:20', '190:20:30'] }, true],
  // null
  ['a: [~, null, Null, NULL, nULL]\nb:', { a: [null, null, null, null, 'nULL'], b: null }, true],
  // booleans: the 1.2 core spellings only; 1.1's yes/no/on/off/y/n stay strings
  ['a: [true, True, TRUE, false, False, FALSE, tRUE]', { a: [true, true, true, false, false, false, 'tRUE'] }, true],
  ['a: [yes, Yes, YES, no, on, On, off, y, n]', { a: ['yes', 'Yes', 'YES', 'no', 'on', 'On', 'off', 'y', 'n'] }, true],
  // dates stay strings (no timestamp type in the core schema)
  ['a: 2024-01-02\nb: 2024-01-02T10:00:00Z\nc: 2026-02-21 10:00', { a: '2024-01-02', b: '2024-01-02T10:00:00Z', c: '2026-02-21 10:00' }, true],
  // scalar keys that are not strings become their JS string
  ['1: a\n1.0e1: b\ntrue: c\n0x1F: d\n.nan: e\n-0: f', { 1: 'a', 10: 'b', true: 'c', 31: 'd', NaN: 'e', 0: 'f' }, true],
  ['"null": x', { null: 'x' }, false], // a `null` key from js-yaml could be `~:`: the yaml path decides
  // null and empty keys: '' for `yaml`, 'null' for js-yaml
  ['~: x', { '': 'x' }, false],
  ['null: x', { '': 'x' }, false],
  ['{: x}', { '': 'x' }, false],
  // collections as keys: `yaml` writes them as YAML, js-yaml would join them
  ['[a, b]: x', { '[ a, b ]': 'x' }, false],
  ['{a: 1}: x', { '{ a: 1 }': 'x' }, false],
  ['? [a, b]\n: x', { '[ a, b ]': 'x' }, false],
  ['? - a\n  - b\n: x', { '[ a, b ]': 'x' }, false],
  ['{? [a] : x}', { '[ a ]': 'x' }, false],
  ['? a\n: [b]', { a: ['b'] }, true],
  // `?` ending a plain scalar is text, not a key indicator
  ['q: why ?\nr: [a]', { q: 'why ?', r: ['a'] }, true],
  ['x: "[::1]:3100"', { x: '[::1]:3100' }, true],
  // explicit tags: the yaml path (its tag handling, and its warnings, are the reference)
  ['a: !!str 1', { a: '1' }, false],
  ['a: !!int "12"', { a: 12 }, false],
  ['a: !!float 1', { a: '1' }, false],
  ['a: !custom x', { a: 'x' }, false],
  ['a: ! 1', { a: '1' }, true], // the non-specific tag: a string for both
  // a directive: %YAML 1.1 makes `yes` true in `yaml`
  ['%YAML 1.1\n---\na: yes', { a: true }, false],
  // anchors (alias expansion is bounded on the yaml path only), even unused
  ['a: &x 1\nb: *x', { a: 1, b: 1 }, false],
  ['a: &x 1', { a: 1 }, false],
  ['a: R &D', { a: 'R &D' }, true],
  // comment-only, empty or null documents: no document for `yaml`
  ['---', null, false],
  ['~', null, false],
  // BOM
  ['\uFEFFa: 1', { a: 1 }, true],
  ['\uFEFF# c\na: 1', { a: 1 }, true],
  // CR: `yaml` and js-yaml disagree on a CRLF inside a double-quoted string
  ['k: a\r\n  b\r\n', { k: 'a b' }, false],
  // strings
  ['a: "\\x41\\u00e9\\N\\_\\/\\e\\a"', { a: 'Aé\u0085\u00a0/\u001b\u0007' }, true],
  ['a: >\n  x\n   y\n\n  z\n', { a: 'x\n y\n\nz\n' }, true],
  ['a: |+\n  x\n\n', { a: 'x\n\n' }, true],
  ["a: 'it''s'\nb: x#y\nc: \"#x\"", { a: "it's", b: 'x#y', c: '#x' }, true],
  ['a: b\n  c\n d', { a: 'b c d' }, true],
  // a merge key: merged by `yaml` (merge: true), a plain key for js-yaml's core schema: the yaml path
  ['<<: {a: 1}\nb: 2', { a: 1, b: 2 }, false],
  ['- a\n- [b, {c: d}]', ['a', ['b', { c: 'd' }]], true],
  ['plain', 'plain', true],
];

describe('YAML values: the fast path equals the `yaml` package', () => {
  it.each(VALUES)('%j', (text, expected, fast) => {
    const ref = reference(text);
    expect(ref.ok).toBe(true);
    expect(isDeepStrictEqual(ref.value, expected)).toBe(true); // the table itself is right
    const doc = parseYamlDocument('t.yaml', text);
    expect(doc.problems).toEqual([]);
    expect(isDeepStrictEqual(doc.value, expected)).toBe(true); // -0, NaN and prototypes included
    expect(fastYamlValue(text) !== undefined).toBe(fast);
  });

  it('empty and comment-only files are no document for either path', () => {
    for (const text of ['', '# only a comment\n', '\n\n']) {
      expect(fastYamlValue(text)).toBeUndefined();
      const doc = parseYamlDocument('e.yaml', text);
      expect(doc.value).toBeUndefined();
      expect(doc.problems).toEqual([]);
    }
  });

  it('keeps __proto__ and constructor as plain keys on the fast path (no prototype pollution)', () => {
    const text = '__proto__:\n  isAdmin: true\nconstructor:\n  prototype:\n    polluted: 1\nlist:\n  - __proto__: {x: 1}\n';
    expect(fastYamlValue(text)).toBeDefined();
    const doc = parseYamlDocument('p.yaml', text);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(doc.value)).toBe(Object.prototype);
    expect(Object.keys(doc.value as object)).toEqual(['__proto__', 'constructor', 'list']);
    expect(isDeepStrictEqual(doc.value, reference(text).value)).toBe(true);
    expect(doc.locate('/__proto__/isAdmin')).toEqual({ line: 2, column: 12, endLine: 2, endColumn: 16 });
  });

  it('problems keep their exact wording and position (the yaml path decides)', () => {
    const cases: [string, string, number, number][] = [
      ['a: 1\nbb: 2\nbb: 3\n', 'duplicate-key', 3, 1],
      ['"1": a\n1: b\nc: [1, 2\n', 'syntax', 4, 1],
      ['a:\n\tb: 1\n', 'syntax', 2, 1],
      ['a: 1\n---\nb: 2\n', 'multiple-documents', 2, 1],
      ['a: @x\n', 'syntax', 1, 4],
    ];
    for (const [text, code, line, column] of cases) {
      expect(fastYamlValue(text)).toBeUndefined();
      const doc = parseYamlDocument('x.yaml', text);
      expect(doc.problems[0]).toMatchObject({ code, range: { line, column } });
    }
    // keys equal as strings but not as values: js-yaml calls it a duplicate, `yaml` does not
    expect(parseYamlDocument('k.yaml', '"1": a\n1: b\n').value).toEqual({ 1: 'b' });
  });
});

describe('positions are built lazily', () => {
  beforeEach(() => void (counter.count = 0));
  const text = 'version: 1\nssh:\n  targets:\n    - id: "pve"\n      host: 10.0.0.1\n    - id: nas\n      user:\n';

  it('a file without findings never builds the positioned document', () => {
    const doc = parseYamlDocument('ssh.yaml', text);
    expect(doc.value).toEqual({
      version: 1,
      ssh: {
        targets: [
          { id: 'pve', host: '10.0.0.1' },
          { id: 'nas', user: null },
        ],
      },
    });
    expect(doc.problems).toEqual([]);
    expect(counter.count).toBe(0);
  });

  it('locate() needs no `yaml` parse, and gives the same ranges as the full parse', () => {
    const doc = parseYamlDocument('ssh.yaml', text);
    expect(doc.locate('/ssh/targets/0/id')).toEqual({ line: 4, column: 11, endLine: 4, endColumn: 16 });
    expect(doc.locate('/ssh/targets/1/user')).toEqual({ line: 7, column: 7, endLine: 7, endColumn: 11 });
    expect(doc.locateKey('/ssh/targets/0/host')).toEqual({ line: 5, column: 7, endLine: 5, endColumn: 11 });
    expect(doc.locate('/ssh/targets/1/port')).toEqual(doc.locate('/ssh/targets/1'));
    expect(doc.lines.lineText(2)).toBe('ssh:');
    expect(counter.count).toBe(0); // the position index (yamlPositions.ts) answers without the `yaml` parse
  });

  it('a file the fast path refuses is parsed positioned at once', () => {
    parseYamlDocument('a.yaml', 'a: &x 1\nb: *x\n');
    expect(counter.count).toBe(1);
  });

  it('Workspace: values and fingerprints without positions; locate() only for the file asked', () => {
    const ws = new Workspace(new MemorySource({ 'a.yaml': text, 'b.yaml': 'x: [1, 2]\n' }));
    expect(ws.yaml('a.yaml')?.value).toBeDefined();
    expect(ws.text('b.yaml')).toBe('x: [1, 2]\n');
    expect(ws.yaml('b.yaml')?.value).toEqual({ x: [1, 2] });
    expect(counter.count).toBe(0);
    expect(ws.locate('b.yaml', '/x/1')).toEqual({ line: 1, column: 8, endLine: 1, endColumn: 9 });
    expect(counter.count).toBe(0); // the position index answers without the `yaml` parse
  });
});

describe('Markdown tables are parsed only when asked for', () => {
  const md = ['---', 'status: [unclosed', '---', '# Doc', '', '## Hosts', '', '| Host | IP |', '|---|---|', '| pve | 10.0.0.1 | extra |', ''].join('\n');
  const problems = (ws: Workspace): string[] => ws.loadedFiles().flatMap((f) => f.problems.map((p) => `${f.path} ${p.range.line}:${p.range.column} ${p.code}`));

  it('text() reads the text and reports front-matter problems, without the tables', () => {
    const ws = new Workspace(new MemorySource({ 'doc.md': md }));
    expect(ws.text('doc.md')).toBe(md);
    expect(ws.exists('doc.md')).toBe(true);
    expect(problems(ws)).toEqual(['doc.md 2:18 syntax']);
  });

  it('markdown() parses the tables of the same text, then their problems count too', () => {
    const ws = new Workspace(new MemorySource({ 'doc.md': md }));
    expect(ws.text('doc.md')).toBe(md);
    const doc = ws.markdown('doc.md');
    expect(doc?.table('Hosts', ['Host', 'IP'])?.rows[0]?.cells.IP?.value).toBe('10.0.0.1');
    expect(problems(ws)).toEqual(['doc.md 2:18 syntax', 'doc.md 10:1 table-shape']);
    expect(ws.locate('doc.md', '/tables/0/rows/0/IP')).toEqual({ line: 10, column: 9, endLine: 10, endColumn: 17 });
    expect(ws.filesRead).toBe(1);
  });

  it('a pointer into a file read as text is still resolved', () => {
    const ws = new Workspace(new MemorySource({ 'doc.md': md }));
    ws.text('doc.md');
    expect(ws.locate('doc.md', '/tables/0/rows/0/Host')).toEqual({ line: 10, column: 3, endLine: 10, endColumn: 6 });
  });
});
