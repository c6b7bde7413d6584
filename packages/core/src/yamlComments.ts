/**
 * Where the comments of a YAML text start, exactly as the `yaml` package's lexer sees them: a port
 * of `yaml` 2.x `Lexer` (dist/parse/lexer.js) that records the offset of every comment token
 * instead of yielding tokens. The `yaml` lexer is a generator yielding one string per token (about
 * 100 ms per MB); this loop over the same states is several times cheaper, and it stops as soon as
 * the caller has what it needs (`scanUntil`). The whole text is the input (`atEnd` always true), so
 * the lexer's "wait for more input" branches are gone; everything else follows the original line
 * by line. A comment token is a token that is not a scalar's text and starts with `#` (as the
 * `yaml` parser's `tokenType` decides); a `#` inside a block scalar, a quoted string or a plain
 * scalar is not one. `packages/core/test/yamlComments.test.ts` compares the offsets with the
 * `yaml` lexer's on generated texts, `test/yaml-comments-corpus.test.ts` on every distinct YAML
 * text of the corpus. (Update the port with the `yaml` dependency: those tests say when it drifts.)
 */

const isEmpty = (ch: string | undefined): boolean => ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch: string | undefined): boolean => !ch || invalidAnchorChars.has(ch);
const BOM = '\u{FEFF}';

const enum State {
  Stream,
  LineStart,
  BlockStart,
  Doc,
  Flow,
  Done,
}

export class YamlCommentScanner {
  /** Offsets of the comment tokens found so far (each runs to the end of its line), ascending. */
  readonly comments: number[] = [];
  private blockScalarIndent = -1;
  private blockScalarKeep = false;
  private flowKey = false;
  private flowLevel = 0;
  private indentNext = 0;
  private indentValue = 0;
  private lineEndPos: number | null = null;
  private pos = 0;
  private state: State = State.Stream;

  constructor(private readonly buffer: string) {}

  /** Lex until the position passes `offset` (or the end): every comment starting before `offset` is then in `comments`. */
  scanUntil(offset: number): void {
    while (this.state !== State.Done && this.pos < offset) {
      if (this.pos >= this.buffer.length) {
        this.state = State.Done;
        break;
      }
      this.state = this.parseNext(this.state);
    }
  }

  /** How far the text has been lexed. */
  get position(): number {
    return this.state === State.Done ? this.buffer.length : this.pos;
  }

  private parseNext(next: State): State {
    switch (next) {
      case State.Stream:
        return this.parseStream();
      case State.LineStart:
        return this.parseLineStart();
      case State.BlockStart:
        return this.parseBlockStart();
      case State.Doc:
        return this.parseDocument();
      case State.Flow:
        return this.parseFlowCollection();
      default:
        return State.Done;
    }
  }

  private atLineEnd(): boolean {
    let i = this.pos;
    let ch = this.buffer[i];
    while (ch === ' ' || ch === '\t') ch = this.buffer[++i];
    if (!ch || ch === '#' || ch === '\n') return true;
    if (ch === '\r') return this.buffer[i + 1] === '\n';
    return false;
  }

  private charAt(n: number): string | undefined {
    return this.buffer[this.pos + n];
  }

  private continueScalar(offset: number): number {
    let ch = this.buffer[offset];
    if (this.indentNext > 0) {
      let indent = 0;
      while (ch === ' ') ch = this.buffer[++indent + offset];
      if (ch === '\r') {
        const next = this.buffer[indent + offset + 1];
        if (next === '\n') return offset + indent + 1;
      }
      return ch === '\n' || indent >= this.indentNext ? offset + indent : -1;
    }
    if (ch === '-' || ch === '.') {
      const dt = this.buffer.substr(offset, 3);
      if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3])) return -1;
    }
    return offset;
  }

  /** The rest of the current line (without its line end), as the lexer's `getLine`. */
  private getLine(): string {
    return this.buffer.substring(this.pos, this.lineEnd());
  }

  /** Where the current line's text ends (before its `\r\n` / `\n`): `getLine()` is `buffer.slice(pos, lineEnd())`. */
  private lineEnd(): number {
    let end = this.lineEndPos;
    if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
      end = this.buffer.indexOf('\n', this.pos);
      this.lineEndPos = end;
    }
    if (end === -1) return this.buffer.length;
    if (this.buffer[end - 1] === '\r') end -= 1;
    return Math.max(end, this.pos);
  }

  /** `line[n]` of the original, for `line` read at `pos - n`: the character at `pos` when it is on the line. */
  private onLine(lineEnd: number): string | undefined {
    return this.pos < lineEnd ? this.buffer[this.pos] : undefined;
  }

  private peek(n: number): string {
    return this.buffer.substr(this.pos, n);
  }

  private parseStream(): State {
    let line = this.getLine();
    if (line[0] === BOM) {
      this.pushCount(1);
      line = line.substring(1);
    }
    if (line[0] === '%') {
      let dirEnd = line.length;
      let cs = line.indexOf('#');
      while (cs !== -1) {
        const ch = line[cs - 1];
        if (ch === ' ' || ch === '\t') {
          dirEnd = cs - 1;
          break;
        } else cs = line.indexOf('#', cs + 1);
      }
      while (true) {
        const ch = line[dirEnd - 1];
        if (ch === ' ' || ch === '\t') dirEnd -= 1;
        else break;
      }
      const n = this.pushCount(dirEnd) + this.pushSpaces(true);
      this.pushCount(line.length - n); // possible comment
      this.pushNewline();
      return State.Stream;
    }
    if (this.atLineEnd()) {
      const sp = this.pushSpaces(true);
      this.pushCount(line.length - sp);
      this.pushNewline();
      return State.Stream;
    }
    return this.parseLineStart();
  }

  private parseLineStart(): State {
    const ch = this.charAt(0);
    if (ch === '-' || ch === '.') {
      const s = this.peek(3);
      if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
        this.pushCount(3);
        this.indentValue = 0;
        this.indentNext = 0;
        return s === '---' ? State.Doc : State.Stream;
      }
    }
    this.indentValue = this.pushSpaces(false);
    if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1))) this.indentNext = this.indentValue;
    return this.parseBlockStart();
  }

  private parseBlockStart(): State {
    const ch0 = this.charAt(0);
    const ch1 = this.charAt(1);
    if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
      const n = this.pushCount(1) + this.pushSpaces(true);
      this.indentNext = this.indentValue + 1;
      this.indentValue += n;
      return State.BlockStart;
    }
    return State.Doc;
  }

  private parseDocument(): State {
    this.pushSpaces(true);
    const lineEnd = this.lineEnd();
    this.pushIndicators();
    switch (this.onLine(lineEnd)) {
      case '#':
        this.pushCount(lineEnd - this.pos);
      // fallthrough
      case undefined:
        this.pushNewline();
        return this.parseLineStart();
      case '{':
      case '[':
        this.pushCount(1);
        this.flowKey = false;
        this.flowLevel = 1;
        return State.Flow;
      case '}':
      case ']':
        // this is an error
        this.pushCount(1);
        return State.Doc;
      case '*':
        this.pushUntil(isNotAnchorChar);
        return State.Doc;
      case '"':
      case "'":
        return this.parseQuotedScalar();
      case '|':
      case '>':
        this.parseBlockScalarHeader();
        this.pushSpaces(true);
        this.pushCount(lineEnd - this.pos);
        this.pushNewline();
        return this.parseBlockScalar();
      default:
        return this.parsePlainScalar();
    }
  }

  private parseFlowCollection(): State {
    let nl: number;
    let sp: number;
    let indent = -1;
    do {
      nl = this.pushNewline();
      if (nl > 0) {
        sp = this.pushSpaces(false);
        this.indentValue = indent = sp;
      } else sp = 0;
      sp += this.pushSpaces(true);
    } while (nl + sp > 0);
    const lineEnd = this.lineEnd();
    const first = this.onLine(lineEnd);
    if (
      (indent !== -1 && indent < this.indentNext && first !== '#') ||
      (indent === 0 &&
        (this.buffer.startsWith('---', this.pos) || this.buffer.startsWith('...', this.pos)) &&
        this.pos + 3 <= lineEnd &&
        isEmpty(this.pos + 3 < lineEnd ? this.buffer[this.pos + 3] : undefined))
    ) {
      // Allowing for the terminal ] or } at the same (rather than greater) indent level as the
      // initial [ or { is technically invalid, but failing here would be surprising to users.
      const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (first === ']' || first === '}');
      if (!atFlowEndMarker) {
        // this is an error
        this.flowLevel = 0;
        return this.parseLineStart();
      }
    }
    while (this.onLine(lineEnd) === ',') {
      this.pushCount(1);
      this.pushSpaces(true);
      this.flowKey = false;
    }
    this.pushIndicators();
    switch (this.onLine(lineEnd)) {
      case undefined:
        return State.Flow;
      case '#':
        this.pushCount(lineEnd - this.pos);
        return State.Flow;
      case '{':
      case '[':
        this.pushCount(1);
        this.flowKey = false;
        this.flowLevel += 1;
        return State.Flow;
      case '}':
      case ']':
        this.pushCount(1);
        this.flowKey = true;
        this.flowLevel -= 1;
        return this.flowLevel ? State.Flow : State.Doc;
      case '*':
        this.pushUntil(isNotAnchorChar);
        return State.Flow;
      case '"':
      case "'":
        this.flowKey = true;
        return this.parseQuotedScalar();
      case ':': {
        const next = this.charAt(1);
        if (this.flowKey || isEmpty(next) || next === ',') {
          this.flowKey = false;
          this.pushCount(1);
          this.pushSpaces(true);
          return State.Flow;
        }
      }
      // fallthrough
      default:
        this.flowKey = false;
        return this.parsePlainScalar();
    }
  }

  private parseQuotedScalar(): State {
    const buffer = this.buffer;
    const quote = this.charAt(0)!;
    let end = buffer.indexOf(quote, this.pos + 1);
    if (quote === "'") {
      while (end !== -1 && buffer[end + 1] === "'") end = buffer.indexOf("'", end + 2);
    } else {
      // double-quote
      while (end !== -1) {
        let n = 0;
        while (buffer[end - 1 - n] === '\\') n += 1;
        if (n % 2 === 0) break;
        end = buffer.indexOf('"', end + 1);
      }
    }
    // Only looking for newlines within the quotes (`qb` of the original: the text before `end`).
    // (Without a closing quote `qb` is empty in the original: no newline is looked for.)
    const limit = end === -1 ? 0 : end;
    let nl = end === -1 ? -1 : buffer.indexOf('\n', this.pos);
    if (nl >= limit) nl = -1;
    if (nl !== -1) {
      while (nl !== -1) {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = buffer.indexOf('\n', cs);
        if (nl >= limit) nl = -1;
      }
      if (nl !== -1) {
        // this is an error caused by an unexpected unindent
        end = nl - (buffer[nl - 1] === '\r' ? 2 : 1);
      }
    }
    if (end === -1) end = buffer.length;
    this.pushToIndex(end + 1, false, false);
    return this.flowLevel ? State.Flow : State.Doc;
  }

  private parseBlockScalarHeader(): number {
    this.blockScalarIndent = -1;
    this.blockScalarKeep = false;
    let i = this.pos;
    while (true) {
      const ch = this.buffer[++i];
      if (ch === '+') this.blockScalarKeep = true;
      else if (ch !== undefined && ch > '0' && ch <= '9') this.blockScalarIndent = Number(ch) - 1;
      else if (ch !== '-') break;
    }
    return this.pushUntil((ch) => isEmpty(ch) || ch === '#');
  }

  private parseBlockScalar(): State {
    const buffer = this.buffer;
    let nl = this.pos - 1; // may be -1 if this.pos === 0
    let indent = 0;
    let ch: string | undefined;
    loop: for (let i = this.pos; (ch = buffer[i]); ++i) {
      switch (ch) {
        case ' ':
          indent += 1;
          break;
        case '\n':
          nl = i;
          indent = 0;
          break;
        case '\r': {
          const next = buffer[i + 1];
          if (next === '\n') break;
        }
        // fallthrough
        default:
          break loop;
      }
    }
    if (indent >= this.indentNext) {
      if (this.blockScalarIndent === -1) this.indentNext = indent;
      else this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
      do {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = buffer.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = buffer.length;
    }
    // Trailing insufficiently indented tabs are invalid.
    // To catch that during parsing, we include them in the block scalar value.
    let i = nl + 1;
    ch = buffer[i];
    while (ch === ' ') ch = buffer[++i];
    if (ch === '\t') {
      while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n') ch = buffer[++i];
      nl = i - 1;
    } else if (!this.blockScalarKeep) {
      do {
        let i = nl - 1;
        let ch = buffer[i];
        if (ch === '\r') ch = buffer[--i];
        const lastChar = i; // Drop the line if last char not more indented
        while (ch === ' ') ch = buffer[--i];
        if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar) nl = i;
        else break;
        // eslint-disable-next-line no-constant-condition -- the yaml lexer's loop, ported as it is
      } while (true);
    }
    this.pushToIndex(nl + 1, true, true);
    return this.parseLineStart();
  }

  private parsePlainScalar(): State {
    const buffer = this.buffer;
    const inFlow = this.flowLevel > 0;
    let end = this.pos - 1;
    let i = this.pos - 1;
    let ch: string | undefined;
    while ((ch = buffer[++i])) {
      if (ch === ':') {
        const next = buffer[i + 1];
        if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next!))) break;
        end = i;
      } else if (isEmpty(ch)) {
        let next = buffer[i + 1];
        if (ch === '\r') {
          if (next === '\n') {
            i += 1;
            ch = '\n';
            next = buffer[i + 1];
          } else end = i;
        }
        if (next === '#' || (inFlow && next !== undefined && flowIndicatorChars.has(next))) break;
        if (ch === '\n') {
          const cs = this.continueScalar(i + 1);
          if (cs === -1) break;
          i = Math.max(i, cs - 2); // to advance, but still account for ' #'
        }
      } else {
        if (inFlow && flowIndicatorChars.has(ch)) break;
        end = i;
      }
    }
    this.pushToIndex(end + 1, true, true);
    return inFlow ? State.Flow : State.Doc;
  }

  /** One token of `n` characters; a token starting with `#` is a comment. */
  private pushCount(n: number): number {
    if (n > 0) {
      if (this.buffer.charCodeAt(this.pos) === 35) this.comments.push(this.pos);
      this.pos += n;
      return n;
    }
    return 0;
  }

  /** One token up to index `i`; `scalar`: a scalar's text (never a comment, whatever it starts with). */
  private pushToIndex(i: number, _allowEmpty: boolean, scalar: boolean): number {
    const length = Math.min(i, this.buffer.length) - this.pos;
    if (length > 0) {
      if (!scalar && this.buffer.charCodeAt(this.pos) === 35) this.comments.push(this.pos);
      this.pos += length;
      return length;
    }
    return 0;
  }

  private pushIndicators(): number {
    let n = 0;
    loop: while (true) {
      switch (this.charAt(0)) {
        case '!':
          n += this.pushTag();
          n += this.pushSpaces(true);
          continue loop;
        case '&':
          n += this.pushUntil(isNotAnchorChar);
          n += this.pushSpaces(true);
          continue loop;
        case '-': // this is an error
        case '?': // this is an error outside flow collections
        case ':': {
          const inFlow = this.flowLevel > 0;
          const ch1 = this.charAt(1);
          if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1!))) {
            if (!inFlow) this.indentNext = this.indentValue + 1;
            else if (this.flowKey) this.flowKey = false;
            n += this.pushCount(1);
            n += this.pushSpaces(true);
            continue loop;
          }
        }
      }
      break loop;
    }
    return n;
  }

  private pushTag(): number {
    const buffer = this.buffer;
    if (this.charAt(1) === '<') {
      let i = this.pos + 2;
      let ch = buffer[i];
      while (!isEmpty(ch) && ch !== '>') ch = buffer[++i];
      return this.pushToIndex(ch === '>' ? i + 1 : i, false, false);
    }
    let i = this.pos + 1;
    let ch = buffer[i];
    while (ch) {
      if (tagChars.has(ch)) ch = buffer[++i];
      else if (ch === '%' && hexDigits.has(buffer[i + 1]!) && hexDigits.has(buffer[i + 2]!)) ch = buffer[(i += 3)];
      else break;
    }
    return this.pushToIndex(i, false, false);
  }

  private pushNewline(): number {
    const ch = this.buffer[this.pos];
    if (ch === '\n') return this.pushCount(1);
    if (ch === '\r' && this.charAt(1) === '\n') return this.pushCount(2);
    return 0;
  }

  private pushSpaces(allowTabs: boolean): number {
    let i = this.pos - 1;
    let ch: string | undefined;
    do ch = this.buffer[++i];
    while (ch === ' ' || (allowTabs && ch === '\t'));
    const n = i - this.pos;
    if (n > 0) this.pos = i;
    return n;
  }

  private pushUntil(test: (ch: string | undefined) => boolean): number {
    let i = this.pos;
    let ch = this.buffer[i];
    while (!test(ch)) ch = this.buffer[++i];
    return this.pushToIndex(i, false, false);
  }
}
