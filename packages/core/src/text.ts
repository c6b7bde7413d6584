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
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
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
