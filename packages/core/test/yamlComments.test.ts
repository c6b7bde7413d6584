import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { YamlCommentScanner } from '../src/yamlComments.js';
import { lexerComments } from './yamlLexerComments.js';

const scan = (text: string, until = Infinity): number[] => {
  const scanner = new YamlCommentScanner(text);
  scanner.scanUntil(until);
  return scanner.comments;
};

describe('YAML comment offsets (a port of the yaml lexer)', () => {
  it('finds real comments, not a # in block scalars, quoted strings, plain scalars or flow strings', () => {
    const text = [
      '# top', // 0
      'a: 1 # end',
      'b: |',
      '  # literal, not a comment',
      'c: >-',
      '  # folded, not a comment',
      '# after the block scalar: a comment',
      'd: "quoted',
      '  # still quoted"',
      "e: 'single",
      "  # still single'",
      'f: [x, "y # in a flow string", # flow comment',
      '  z]',
      'g: plain#not-a-comment',
      'h: {k: "v #no"} # yes',
      '',
    ].join('\n');
    const found = scan(text).map((o) => text.slice(o, text.indexOf('\n', o)));
    expect(found).toEqual(['# top', '# end', '# after the block scalar: a comment', '# flow comment', '# yes']);
    expect(scan(text)).toEqual(lexerComments(text));
  });

  it('stops early when asked, and resumes where it stopped', () => {
    const text = 'a: 1 # one\nb: |\n  # no\nc: 2 # two\n' + 'x: y\n'.repeat(1000);
    const scanner = new YamlCommentScanner(text);
    scanner.scanUntil(10);
    expect(scanner.comments).toEqual([5]);
    expect(scanner.position).toBeLessThan(text.length);
    scanner.scanUntil(text.indexOf('# two') + 1);
    expect(scanner.comments).toEqual([5, text.indexOf('# two')]);
    expect(scanner.position).toBeLessThan(100);
    scanner.scanUntil(Infinity);
    expect(scanner.comments).toEqual(lexerComments(text));
    expect(scanner.position).toBe(text.length);
  });

  it('equals the yaml lexer on generated texts (seeded)', () => {
    const piece = fc.constantFrom(
      ' ',
      '  ',
      '\n',
      '\r\n',
      '\r',
      '\t',
      '# c',
      ' #',
      '#',
      'a',
      'key',
      ': ',
      ':',
      '- ',
      '-',
      '? ',
      '?',
      ',',
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      '\\"',
      "''",
      '|',
      '>',
      '|-',
      '>+',
      '|2',
      '---',
      '...',
      '--- ',
      '%YAML 1.2',
      '&a ',
      '*a',
      '!t ',
      '!<x> ',
      '\ufeff',
      'spine-lint-disable-next-line D1 -- r',
      '\n  ',
      '\n    ',
      '\n- ',
      'x: |\n  ',
      'y: >\n ',
      'z: "',
      '\n#',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(scan(text)).toEqual(lexerComments(text));
      }),
      { numRuns: 20_000, seed: 20260301 },
    );
  });

  it('equals the yaml lexer on arbitrary strings (seeded)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(' ', '\n', '\r', '\t', '#', '"', "'", '\\', '|', '>', ':', '-', '[', ']', '{', '}', ',', '?', '!', '&', '*', '%', '.', 'a', '1', '+'), maxLength: 80 }),
        (text) => {
          expect(scan(text)).toEqual(lexerComments(text));
        },
      ),
      { numRuns: 20_000, seed: 7 },
    );
  });
});
