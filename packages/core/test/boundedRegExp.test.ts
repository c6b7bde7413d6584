/**
 * Patterns from the checked data are compiled only when their backtracking is bounded
 * (boundedRegExp): the classic catastrophic shapes are refused with a reason, real date patterns
 * are accepted, and every pattern it accepts runs fast on hostile values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedRegExp, MAX_PATHS } from '@spine-lint/core';

const accepted = (source: string): RegExp => {
  const r = boundedRegExp(source);
  if (!r.ok) throw new Error(`refused ${source}: ${r.reason}`);
  return r.regex;
};
const reason = (source: string): string => {
  const r = boundedRegExp(source);
  return r.ok ? 'accepted' : r.reason;
};

describe('boundedRegExp', () => {
  it('accepts the real date patterns and answers as RegExp does', () => {
    const iso = accepted('^[0-9]{4}-[0-9]{2}-[0-9]{2}([T][0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$');
    expect(iso.test('2026-02-11')).toBe(true);
    expect(iso.test('2026-02-11T10:00:00Z')).toBe(true);
    expect(iso.test('11/02/2026')).toBe(false);
    expect(accepted('^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})?)?$').test('2026-02-11T10:00:00.5+02:00')).toBe(true);
    expect(accepted('^(?:19|20)\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$').test('2026-12-31')).toBe(true);
    expect(accepted('[a-z]{1,8}|x?').source).toBe('[a-z]{1,8}|x?');
  });

  it('refuses the catastrophic shapes, saying why', () => {
    expect(reason('^(a+)+$')).toBe("it has an unbounded quantifier ('+'); use {n,m}");
    expect(reason('^[0-9]*$')).toBe("it has an unbounded quantifier ('*'); use {n,m}");
    expect(reason('^a{2,}$')).toBe("it has an unbounded quantifier ('{2,}'); use {n,m}");
    expect(reason('^(a|ab){10}$')).toBe('a repeated group holds a quantifier or an alternation (nested repetition)');
    expect(reason('^(a?b){3}$')).toBe('a repeated group holds a quantifier or an alternation (nested repetition)');
    expect(reason('^(?:(a{1,3}))?{2}$')).toMatch(/nested repetition|nothing to repeat/);
    expect(reason(`^${'a?'.repeat(13)}$`)).toBe(`it has more than ${MAX_PATHS} ways to match (optional parts, ranges and alternatives multiply)`);
    expect(reason('^[a-z]{0,64}[a-z]{0,64}[a-z]{0,64}$')).toMatch(/more than 4096 ways/);
    expect(reason('^(a|b|c|d|e|f|g|h)(a|b|c|d|e|f|g|h)(a|b|c|d|e|f|g|h)(a|b|c|d|e|f|g|h)(a|b)$')).toMatch(/more than 4096 ways/);
    expect(reason(`^${'a?'.repeat(12)}$`)).toBe('accepted');
    expect(reason('^a{1,65}$')).toBe('a quantifier repeats more than 64 times');
    expect(reason('^(a)\\1$')).toBe('it uses a backreference');
    expect(reason('(?<=a)b')).toBe('it uses a lookbehind');
    expect(reason('x'.repeat(513))).toBe('it is longer than 512 characters');
    expect(reason('^(a$')).toBe('a group is not closed');
    expect(reason('a)')).toBe('a group is closed that was not opened');
    expect(reason('[a-')).toBe('a character class is not closed');
    expect(reason('?a')).toBe('a quantifier has nothing to repeat');
    expect(reason('^a{2}(?=b)[')).toMatch(/character class is not closed/);
    expect(reason('\\')).toBe('it ends with a lone backslash');
  });

  it('every accepted pattern built from hostile pieces runs in under 50 ms on hostile values of 64 characters', () => {
    const pieces = ['a', 'a?', 'a{1,4}', '(a|aa)', '(a|aa)?', '(?:ab)?', '[a-z]{0,64}', 'a{2}', '(a{2})?', '\\d?', '.?', '|', 'x'];
    const pattern = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 30 }).map((p) => `^${p.join('')}$`);
    const value = fc.constantFrom('a'.repeat(63) + 'b', 'a'.repeat(64), 'ab'.repeat(32), '1'.repeat(63) + 'x');
    fc.assert(
      fc.property(pattern, value, (source, v) => {
        const r = boundedRegExp(source);
        if (!r.ok) return;
        const start = performance.now();
        r.regex.test(v);
        expect(performance.now() - start, source).toBeLessThan(50);
      }),
      { numRuns: 400, seed: 4711 },
    );
  });
});
