/**
 * Linear-time text helpers for the line-oriented parsers. A regular expression such as
 * `(.*?)\s*$` or `\s*\|?\s*` backtracks over every split of a run of spaces (quadratic, cubic for
 * two nested runs); these loops look at each character a bounded number of times. They use the
 * exact character classes of JavaScript regular expressions, so a parser rewritten with them
 * accepts and captures what the expression did.
 */

/** Is the UTF-16 code unit one `\s` matches (WhiteSpace or LineTerminator: what `String.prototype.trim` strips)? */
export function isSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Is the code unit a line terminator, i.e. one `.` does not match (`\n`, `\r`, U+2028, U+2029)? */
export function isLineTerminatorCode(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

/** Does `text[from, to)` hold a line terminator (so that `.*` cannot span it)? */
export function hasLineTerminator(text: string, from = 0, to = text.length): boolean {
  for (let i = from; i < to; i++) if (isLineTerminatorCode(text.charCodeAt(i))) return true;
  return false;
}

/** The first index at or after `from` (and before `to`) that is not `\s`; `to` when there is none. */
export function skipSpaces(text: string, from = 0, to = text.length): number {
  let i = from;
  while (i < to && isSpaceCode(text.charCodeAt(i))) i++;
  return i;
}

/** The index after the last character before `to` (and at or after `from`) that is not `\s`: `text.slice(from, to).trimEnd()` ends there. */
export function trimEndIndex(text: string, to = text.length, from = 0): number {
  let i = to;
  while (i > from && isSpaceCode(text.charCodeAt(i - 1))) i--;
  return i;
}

/** `text` without a trailing run of `char` (one UTF-16 code unit): `text.replace(/x+$/, '')` in linear time. */
export function trimEndChar(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), capped at `max + 1`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to a misspelt `word` (case ignored), for a "did you mean" hint: undefined
 * unless it is within a third of the word's length in edits (at least one; an option's leading
 * dashes do not count), so `fromat` finds `format` and `x` finds nothing.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const dashes = /^-*/.exec(word)![0].length;
  const max = Math.max(1, Math.floor((word.length - dashes) / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase(), max);
    if (distance <= max && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
