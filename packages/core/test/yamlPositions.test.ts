import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '@spine-lint/core';
import { fastYamlValue, parseYamlDocumentPositioned, yamlPositionsOf } from '../src/workspace/yamlDocument.js';
import { lastDecline } from '../src/workspace/yamlPositions.js';
import { yamlParses } from './yamlParseCounter.js';

// Count the `yaml` package's positioned parses: the index should make them unnecessary, and a
// fallback should build one at most once per document.
const counter = yamlParses;

/** Every node pointer of a value, plus missing ones. */
function pointersOf(value: unknown): string[] {
  const out: string[] = ['', '/missing', '/0'];
  const walk = (v: unknown, ptr: string): void => {
    out.push(ptr);
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${ptr}/${i}`));
      out.push(`${ptr}/${v.length}`, `${ptr}/-1`);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) walk(item, `${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      out.push(`${ptr}/no-such-key`);
    } else out.push(`${ptr}/below`);
  };
  walk(value, '');
  return out;
}

/**
 * For one text: the index's answers (where it gives one) and the document's answers (always)
 * equal the `yaml` package's positions. Returns how many pointers the index answered itself.
 */
function compare(text: string): { answered: number; pointers: number; mismatches: string[] } {
  const quick = fastYamlValue(text);
  if (!quick) throw new Error(`not a fast-path text: ${JSON.stringify(text)}`);
  const reference = parseYamlDocumentPositioned('r.yaml', text);
  const doc = parseYamlDocument('d.yaml', text);
  const index = yamlPositionsOf(text);
  const mismatches: string[] = [];
  let answered = 0;
  const ptrs = pointersOf(quick.value);
  for (const ptr of ptrs) {
    const expected = reference.locate(ptr);
    const expectedKey = reference.locateKey(ptr);
    const r = index?.locate(ptr);
    if (r) {
      answered++;
      const got = reference.lines.range(r[0], r[1]);
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`index locate ${ptr}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
    }
    const k = index?.locateKey(ptr);
    if (k !== undefined) {
      const got = k === null ? undefined : reference.lines.range(k[0], k[1]);
      if (JSON.stringify(got) !== JSON.stringify(expectedKey)) mismatches.push(`index locateKey ${ptr}: ${JSON.stringify(got)} != ${JSON.stringify(expectedKey)}`);
    }
    if (JSON.stringify(doc.locate(ptr)) !== JSON.stringify(expected)) mismatches.push(`document locate ${ptr}`);
    if (JSON.stringify(doc.locateKey(ptr)) !== JSON.stringify(expectedKey)) mismatches.push(`document locateKey ${ptr}`);
  }
  return { answered, pointers: ptrs.length, mismatches };
}

describe('YamlPositions (js-yaml listener index)', () => {
  const text = ['version: 1', 'ssh:', '  targets:', '    - id: "pve"', '      host: 10.0.0.1', '    - id: nas', '      user:', ''].join('\n');

  it('gives the exact ranges of values, keys, empty values and missing children', () => {
    const index = yamlPositionsOf(text)!;
    expect(index).toBeDefined();
    const doc = parseYamlDocumentPositioned('ssh.yaml', text);
    const range = (r: [number, number] | null | undefined) => (r ? doc.lines.range(r[0], r[1]) : r);
    expect(range(index.locate('/ssh/targets/0/id'))).toEqual({ line: 4, column: 11, endLine: 4, endColumn: 16 });
    expect(range(index.locate('/ssh/targets/1'))).toEqual({ line: 6, column: 7, endLine: 7, endColumn: 12 });
    // empty value → its key; missing key → nearest ancestor
    expect(range(index.locate('/ssh/targets/1/user'))).toEqual({ line: 7, column: 7, endLine: 7, endColumn: 11 });
    expect(range(index.locate('/ssh/targets/1/port'))).toEqual({ line: 6, column: 7, endLine: 7, endColumn: 12 });
    // below an empty value: the empty node itself (zero width, after the `:`)
    expect(range(index.locate('/ssh/targets/1/user/x'))).toEqual({ line: 7, column: 12, endLine: 7, endColumn: 12 });
    expect(range(index.locateKey('/ssh/targets/0/host'))).toEqual({ line: 5, column: 7, endLine: 5, endColumn: 11 });
    expect(index.locateKey('/ssh/targets/0')).toBeNull();
    expect(compare(text).mismatches).toEqual([]);
  });

  const shapes: Record<string, string> = {
    'comments after nested maps at each depth': 'r:\n  s:\n    a:\n      h: x\n    # c2\n  # c1\n# c0\no: 1\n',
    'deeper comment after the last map': 'r:\n  s:\n    a:\n      h: x\n      # c6\n   # c3\no: 1',
    'comment after a scalar, more indented': 'r: a\n  # c2\nb: 1\n',
    'comments after a sequence item map': 'r:\n  - a: 1\n    # c4\n  # c2\n',
    'sequence at its key column': 'a:\n- x\n# c\nb: 1\n',
    'sequence at its key column, indented comment': 'a:\n- x\n  # c\nb: 1',
    'comment region ending at indented content': 'r:\n  a:\n    b:\n      c: 1\n      # x\n\n  d: 2',
    'block scalars (clip, strip, keep)': 'a: |\n  x\n\n  y\n\nb: >-\n  folded\n  text\n\n\nc: |+\n  kept\n\n\nd: 1\n',
    'block scalar then a comment': 'a:\n  b: |\n    x\n   # c\nz: 1\n',
    'block scalar with trailing spaces lines': 'a: |\n    x\n      \n  \nb: 2\n',
    'block scalar at the end without newline': 'a:\n  - |\n    one\n    two',
    'multi-line plain and quoted scalars': 'a: x y\n  z w  \nb: "q\n  r"\nc: \'s\n  t\'  # c\n',
    'flow collections': 'b: [1, 2]  # c\nc: {x: 1, "y": [a, b]}\ne: [a,\n  b]\n    # after\nf: 1\n',
    'empty values': 'd:\ne:   # c\n  # d\nf:\n  g:\n',
    'empty value last, then comment': 'a:\n  b: 1\n  c:\n  # note\nz: 1\n',
    'quoted and numeric keys': '"a b": 1\n\'c\': 2\n1: one\n0x1F: hex\ntrue: yes\n2.50: f\n1e2: e\n-.inf: m\n0o17: o\nNull_ish: n\n',
    // the index pass reads every scalar as a string: these keys collide there, so the `yaml` package positions this file
    'plain and quoted keys spelled alike': '0x1F: hex\n"0x1F": quoted\n',
    'document start marker': '# head\n---\na: 1\nb:\n  - x\n',
    'a root sequence': '- a\n- b:\n    c: 1\n  # c\n- [x]\n',
    'a root scalar': 'just text\n',
    'front matter shape': '\ntitle: x\ntags: [a, b]\n',
  };
  for (const [name, yaml] of Object.entries(shapes)) {
    it(`exact on ${name}`, () => {
      const result = compare(yaml);
      expect(result.mismatches).toEqual([]);
    });
  }

  it('answers from the index itself on ordinary shapes (the `yaml` package is not needed)', () => {
    for (const name of ['comments after nested maps at each depth', 'block scalars (clip, strip, keep)', 'flow collections', 'quoted and numeric keys', 'multi-line plain and quoted scalars']) {
      const { answered, pointers } = compare(shapes[name]!);
      expect(answered, name).toBe(pointers);
    }
  });

  it('a document asks the `yaml` package only where the index declines, and then once', () => {
    const ok = parseYamlDocument('ok.yaml', 'a:\n  b: 1\n  c: [x]\n');
    const before = counter.count;
    expect(ok.locate('/a/c/0')).toEqual({ line: 3, column: 7, endLine: 3, endColumn: 8 });
    expect(ok.locate('/a/missing')).toEqual({ line: 2, column: 3, endLine: 4, endColumn: 1 }); // a block map ends after its last line break, as in `yaml`
    expect(counter.count).toBe(before);
    const declined = parseYamlDocument('d.yaml', 'a:\n  b: 1\n  c:   # why\n  # more\nz: 1\n');
    expect(declined.locate('/a/b')).toEqual({ line: 2, column: 6, endLine: 2, endColumn: 7 });
    expect(counter.count).toBe(before);
    expect(declined.locate('/a')).toEqual(parseYamlDocumentPositioned('r.yaml', declined.text).locate('/a'));
    expect(declined.locate('/a/nothing')).toEqual(declined.locate('/a'));
    expect(counter.count).toBe(before + 2); // one for the document (once), one for the reference
    expect(compare(ok.text).mismatches).toEqual([]);
  });

  it('declines (falls back to `yaml`) where it does not model the shape, and the document stays exact', () => {
    // an empty value that is the last entry, followed by a comment: the `yaml` range depends on the comment
    const t = 'a:\n  b: 1\n  c:   # why\n  # more\nz: 1\n';
    const index = yamlPositionsOf(t)!;
    expect(index.locate('/a')).toBeUndefined();
    expect(compare(t).mismatches).toEqual([]);
    // tabs, explicit keys: no index at all
    expect(yamlPositionsOf('a:\t1\n')).toBeUndefined();
    expect(yamlPositionsOf('? a\n: 1\n')).toBeUndefined();
    // empty sequence items (js-yaml composes no node for them)
    expect(yamlPositionsOf('- \n- a\n')).toBeUndefined();
    expect(compare('- \n- a\n').mismatches).toEqual([]);
  });

  it('is exact on generated documents (random nesting, comments, blank lines, block scalars, empty values)', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const scalar = (): string => ['x', 'two words', '"quoted"', "'single'", '42', '~', 'true', '[a, b]', '{k: v}', 'multi\n    line'][rand(10)]!;
    const trailer = (indent: number): string => {
      let s = '';
      const lines = rand(4);
      for (let i = 0; i < lines; i++) {
        const r = rand(3);
        s += r === 0 ? '\n' : r === 1 ? `${' '.repeat(rand(indent + 4))}# c${i}\n` : `${' '.repeat(rand(3))}\n`;
      }
      return s;
    };
    const block = (indent: number, depth: number): string => {
      const pad = ' '.repeat(indent);
      const isSeq = rand(3) === 0;
      const count = 1 + rand(3);
      let out = '';
      for (let i = 0; i < count; i++) {
        const head = isSeq ? `${pad}- ` : `${pad}k${i}:`;
        const r = depth > 3 ? rand(4) : rand(7);
        if (r <= 1) out += `${head}${isSeq ? '' : ' '}${scalar().replace('\n', `\n${pad}`)}${rand(3) === 0 ? '  # tail' : ''}\n`;
        else if (r === 2) out += `${head}${isSeq ? '' : ' '}|${['', '-', '+'][rand(3)]}\n${pad}  line one\n${rand(2) ? '\n' : ''}${pad}  line two\n${rand(2) ? '\n' : ''}`;
        else if (r === 3 && !isSeq) out += `${head}${rand(2) ? '   ' : ''}\n`;
        else if (isSeq) out += `${head}${block(indent + 2, depth + 1).slice(indent + 2)}`;
        else out += `${head}\n${block(indent + 2, depth + 1)}`;
        out += trailer(indent);
      }
      return out;
    };
    let answered = 0;
    let pointers = 0;
    let checked = 0;
    const failures: string[] = [];
    for (let n = 0; n < 400; n++) {
      const text = block(0, 0);
      if (!fastYamlValue(text)) continue;
      checked++;
      const result = compare(text);
      answered += result.answered;
      pointers += result.pointers;
      if (result.mismatches.length > 0 && failures.length < 5) failures.push(`${JSON.stringify(text)}\n  ${result.mismatches.slice(0, 3).join('\n  ')}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(300);
    // (comment lines after a block collection's last value often make its range unknown here)
    expect(answered).toBeGreaterThan(pointers * 0.45);
  });
});

/**
 * Shapes a hand-written scanner of the plain block subset used to read without js-yaml (removed:
 * positions come from js-yaml's events alone, docs/performance.md). Each stays a position test:
 * the index js-yaml's events give, or the `yaml` package where the index declines, answers
 * exactly what the `yaml` package answers.
 */
describe('YamlPositions on plain block shapes and on shapes it leaves to `yaml`', () => {
  const indexed: Record<string, string> = {
    'nested maps and compact sequences': 'a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: 3\n    - - p\n      - q\nd: "s"\n',
    'zero-indented sequence, then more keys': 'k:\n- a\n- b: 1\n  c: 2\n# c\nm: x\n',
    'empty values (with and without comments)': 'a:\nb:   # c\nc:\n  # d\ne:\n\nf: 1\n',
    'comments everywhere': '# head\n\na: 1 # t\n  # more indented\nb:\n  # inside\n  c: x  # t\n# end\n',
    'quoted keys and values': "\"a b\": 1\n'c''d': 'e''f'\ng: \"h \\\" i\"  # q\n",
    'plain scalars with indicators inside': 'url: http://x:80/a#b\nt: 12:30\nn: -1\nr: a[0] {b}, c\n',
    'one-line flow collections': 'a: [1, two words, "q"]\nb: {x: 1, "y": [a, {z: w}]}\nc: []\nd: {}\n',
    'a root sequence at an indent': '  - a\n  - b\n',
    'numeric and boolean keys': '1: one\n1.50: f\n0x1F: h\ntrue: t\nnull_ish: n2\n',
    'no final line break': 'a:\n  b: [x]',
    'key with spaces before the colon': 'a   : 1\nb :\n',
    'a document marker after comments': '# head\n---  # c\n\na: 1\nb:\n  - x\n',
    'block scalars': 'a: |\n  x\n',
    'multi-line plain scalars': 'a: x\n  y\nb: 1\n',
    'multi-line quoted scalars': 'a: "x\n  y"\n',
    'multi-line flow collections': 'a: [x,\n  y]\n',
    'escapes in quoted keys': '"a\\tb": 1\n',
    'a scalar below a key': 'a:\n  text\n',
    'flow scalars with a colon': 'a: [http://x]\n',
    'a trailing comma': 'a: [x, ]\n',
    'content after the document marker': '--- a: 1\n',
  };
  for (const [name, text] of Object.entries(indexed)) {
    it(`indexes ${name}, with exact positions`, () => {
      if (!fastYamlValue(text)) return void expect.fail(`not a fast-path text: ${name}`);
      expect(yamlPositionsOf(text), lastDecline).toBeDefined();
      const { answered, pointers, mismatches } = compare(text);
      expect(mismatches).toEqual([]);
      expect(answered).toBeGreaterThan(pointers / 2);
    });
  }

  const declined: Record<string, [string, string]> = {
    'empty sequence items': ['- \n- a\n', 'sequence items do not match'],
    'a second document marker': ['---\na: 1\n...\n', 'document marker'],
    tabs: ['a:\t1\n', 'tab or explicit key'],
  };
  for (const [name, [text, why]] of Object.entries(declined)) {
    it(`leaves ${name} to the \`yaml\` package, and positions stay exact`, () => {
      if (!fastYamlValue(text)) return void expect.fail(`not a fast-path text: ${name}`);
      expect(yamlPositionsOf(text)).toBeUndefined();
      expect(lastDecline).toBe(why);
      expect(compare(text).mismatches).toEqual([]);
    });
  }

  it('declines keys its all-strings pass reads alike (the `yaml` package positions them), with exact positions', () => {
    const text = '0x1F: a\n"0x1F": b\n1.0: c\n';
    expect(fastYamlValue(text)).toBeDefined();
    expect(yamlPositionsOf(text)).toBeUndefined();
    const doc = parseYamlDocument('k.yaml', text);
    const before = counter.count;
    expect(doc.locate('/1')).toEqual({ line: 3, column: 6, endLine: 3, endColumn: 7 });
    expect(doc.locateKey('/31')).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 5 });
    expect(counter.count).toBe(before + 1); // one positioned parse, then reused
    expect(compare(text).mismatches).toEqual([]);
  });

  it('is exact on generated bindings-like documents, and answers most pointers itself', () => {
    let seed = 777;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const scalar = (): string => ['x', 'two words', '"quoted"', "'it''s'", '42', '~', 'true', '[a, b]', '{k: v, l: [m]}', 'http://h:1/p', '-3', '[]'][rand(12)]!;
    const comment = (indent: number): string => (rand(4) === 0 ? `${' '.repeat(rand(indent + 3))}# c\n` : rand(5) === 0 ? '\n' : '');
    const block = (indent: number, depth: number): string => {
      const pad = ' '.repeat(indent);
      const isSeq = rand(3) === 0;
      const count = 1 + rand(4);
      let out = '';
      for (let i = 0; i < count; i++) {
        const head = isSeq ? `${pad}- ` : `${pad}k${i}:`;
        const r = depth > 3 ? rand(3) : rand(6);
        if (r <= 1) out += `${head}${isSeq ? '' : ' '}${scalar()}${rand(3) === 0 ? '  # tail' : ''}\n`;
        else if (r === 2 && !isSeq) out += `${head}${rand(2) ? '  # e' : ''}\n`;
        else if (r === 3 && !isSeq)
          out += `${head}\n${block(indent, depth + 1)
            .replace(/^( *)k/gm, '$1- k')
            .replace(/^( *)(?!- )(\S)/gm, '$1  $2')}`;
        else if (isSeq) out += `${head}${block(indent + 2, depth + 1).slice(indent + 2)}`;
        else out += `${head}\n${block(indent + 2, depth + 1)}`;
        out += comment(indent);
      }
      return out;
    };
    let tried = 0;
    let indexedTexts = 0;
    let answered = 0;
    let pointers = 0;
    const failures: string[] = [];
    for (let n = 0; n < 400; n++) {
      const text = block(0, 0);
      if (!fastYamlValue(text)) continue;
      tried++;
      if (yamlPositionsOf(text)) indexedTexts++;
      const result = compare(text);
      answered += result.answered;
      pointers += result.pointers;
      if (result.mismatches.length > 0 && failures.length < 5) failures.push(`${JSON.stringify(text)}: ${result.mismatches.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(200);
    expect(indexedTexts).toBeGreaterThan(tried * 0.9);
    // (comment lines after a block collection's last value often make its range unknown here)
    expect(answered).toBeGreaterThan(pointers * 0.45);
  });
});
