/**
 * Regular expressions that come from the checked data (a binding's `iso_8601_regex`). V8 backtracks,
 * so `(a+)+$`, `(a|a)*b` or thirty `a?` in a row take exponential time on a short value: one such
 * pattern in a pull request would hang the gate. A pattern is compiled only when it stays inside a
 * subset whose backtracking is bounded: no backreferences, no unbounded quantifier (`*`, `+`,
 * `{n,}`), `{n,m}` with m ≤ {@link MAX_REPEAT}, no quantified group that holds a quantifier or an
 * alternation (`(a|b)?` is fine, `(a|ab){2}` is not), and at most {@link MAX_CHOICES} quantifiers that can match a varying count. Real
 * date patterns (`^[0-9]{4}-[0-9]{2}-[0-9]{2}([T][0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$`) are inside it.
 */

/** The longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 512;
/** The largest `m` of `{n,m}`. */
export const MAX_REPEAT = 64;
/** The most ways through a pattern: `a?` counts 2, `a{1,9}` 9, `(x|y|z)` 3, and they multiply. */
export const MAX_PATHS = 4096;

export type BoundedRegExp = { ok: true; regex: RegExp } | { ok: false; reason: string };

interface Group {
  /** A quantifier or an alternation inside it (directly or in a nested group). */
  branching: boolean;
  /** Its alternatives so far (`|` count + 1). */
  alternatives: number;
}

/** Compile `source` when its matching time is bounded (see the module comment), else say why not. */
export function boundedRegExp(source: string): BoundedRegExp {
  const no = (reason: string): BoundedRegExp => ({ ok: false, reason });
  if (source.length > MAX_PATTERN_LENGTH) return no(`it is longer than ${MAX_PATTERN_LENGTH} characters`);
  const stack: Group[] = [{ branching: false, alternatives: 1 }];
  let paths = 1;
  const tooMany = (): BoundedRegExp => no(`it has more than ${MAX_PATHS} ways to match (optional parts, ranges and alternatives multiply)`);
  /** What the last atom was: a group just closed (and whether it branches), anything else, or nothing to quantify. */
  let last: 'none' | 'atom' | { branching: boolean } = 'none';
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) return no('it ends with a lone backslash');
      if (/[1-9]/.test(next) || next === 'k') return no('it uses a backreference');
      i += next === 'u' || next === 'x' || next === 'c' || next === 'p' || next === 'P' ? escapeLength(source, i) : 2;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      if (j >= source.length) return no('a character class is not closed');
      i = j + 1;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) return no('it uses a lookbehind');
      stack.push({ branching: false, alternatives: 1 });
      i += source.startsWith('(?:', i) || source.startsWith('(?=', i) || source.startsWith('(?!', i) ? 3 : source.startsWith('(?<', i) ? namedGroupLength(source, i) : 1;
      last = 'none';
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return no('a group is closed that was not opened');
      const group = stack.pop()!;
      if (group.branching) stack[stack.length - 1]!.branching = true;
      paths *= group.alternatives;
      if (paths > MAX_PATHS) return tooMany();
      i++;
      last = { branching: group.branching };
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.branching = true;
      stack[stack.length - 1]!.alternatives++;
      i++;
      last = 'none';
      continue;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier) {
      if (last === 'none') return no('a quantifier has nothing to repeat');
      if (quantifier.max === Infinity) return no(`it has an unbounded quantifier ('${source.slice(i, i + quantifier.length)}'); use {n,m}`);
      if (quantifier.max > MAX_REPEAT) return no(`a quantifier repeats more than ${MAX_REPEAT} times`);
      if (typeof last === 'object' && last.branching && quantifier.max > 1) return no('a repeated group holds a quantifier or an alternation (nested repetition)');
      if (quantifier.min !== quantifier.max) {
        paths *= quantifier.max - quantifier.min + 1;
        if (paths > MAX_PATHS) return tooMany();
        stack[stack.length - 1]!.branching = true;
      }
      i += quantifier.length + (source[i + quantifier.length] === '?' ? 1 : 0);
      last = 'none';
      continue;
    }
    i++;
    last = 'atom';
  }
  if (stack.length !== 1) return no('a group is not closed');
  paths *= stack[0]!.alternatives;
  if (paths > MAX_PATHS) return tooMany();
  try {
    return { ok: true, regex: new RegExp(source) };
  } catch (error) {
    return no(`it is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
}

function quantifierAt(source: string, i: number): { min: number; max: number; length: number } | undefined {
  const c = source[i];
  if (c === '*') return { min: 0, max: Infinity, length: 1 };
  if (c === '+') return { min: 1, max: Infinity, length: 1 };
  if (c === '?') return { min: 0, max: 1, length: 1 };
  if (c !== '{') return undefined;
  const m = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(source.slice(i, i + 16));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { min, max, length: m[0].length };
}

/** `\uXXXX`, `\u{…}`, `\xXX`, `\cX`, `\p{…}`: the whole escape. */
function escapeLength(source: string, i: number): number {
  const kind = source[i + 1];
  if (source[i + 2] === '{') {
    const close = source.indexOf('}', i + 3);
    return close < 0 ? 2 : close - i + 1;
  }
  return kind === 'u' ? 6 : kind === 'x' ? 4 : kind === 'c' ? 3 : 2;
}

function namedGroupLength(source: string, i: number): number {
  const close = source.indexOf('>', i + 3);
  return close < 0 ? 3 : close - i + 1;
}
