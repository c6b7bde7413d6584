/**
 * Characters that must never reach a terminal raw: C0 and C1 controls except TAB and LF (ESC of
 * ANSI/OSC sequences, CR, BEL, BS, CSI `\x9b`, …), DEL, the Unicode line and paragraph separators,
 * the bidirectional controls (ALM U+061C, LRM/RLM U+200E/U+200F, embeddings and overrides
 * U+202A–U+202E, isolates U+2066–U+2069) and the invisible characters that make two texts look
 * alike (zero-width space, non-joiner and joiner U+200B–U+200D, word joiner and invisible
 * operators U+2060–U+2064, Mongolian vowel separator U+180E, zero-width no-break space / BOM U+FEFF).
 */

export const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Make untrusted text safe for a terminal: the {@link TERMINAL_UNSAFE} characters (ANSI escapes, CR,
 * BEL, bidi controls, zero-width characters, ...) are shown as visible escapes (`\x1b`, `\u200b`)
 * instead of being interpreted, and LF as `\n`, so one message stays one line. Lone surrogates (not
 * encodable as UTF-8) are shown as `\uXXXX` too. Every text from a binding, the config or the
 * command line that reaches stdout or stderr goes through here.
 */
export function escapeTerminal(text: string): string {
  return text
    .replace(TERMINAL_UNSAFE, (ch) => {
      const code = ch.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .replace(/\n/g, '\\n')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

/**
 * JSON text (from `JSON.stringify`) with the {@link TERMINAL_UNSAFE} characters it left raw (DEL,
 * C1 controls, bidi and zero-width characters: it escapes only C0 controls) written as `\uXXXX`
 * escapes. They can only be inside strings, so the JSON means exactly the same, and printed to a
 * terminal nothing in it is interpreted.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(TERMINAL_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');

/**
 * Text for an XML 1.0 document: markup characters become entities, and characters XML 1.0 forbids
 * (C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF, lone surrogates) become visible `\xNN` / `\uNNNN`
 * text, so any Unicode input yields a well-formed document. Also `\u007f-\u009f` (allowed but
 * discouraged, and terminal controls) are shown escaped. In attributes (`attribute: true`) TAB, LF and
 * CR become character references so attribute-value normalisation keeps them.
 */
export function escapeXml(text: string, attribute = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i]!;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + text[i + 1];
        i++;
      } else out += `\\u${hex(code, 4)}`;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      out += `\\u${hex(code, 4)}`;
      continue;
    }
    switch (ch) {
      case '&':
        out += '&amp;';
        continue;
      case '<':
        out += '&lt;';
        continue;
      case '>':
        out += '&gt;';
        continue;
      case '"':
        out += attribute ? '&quot;' : ch;
        continue;
      case "'":
        out += attribute ? '&apos;' : ch;
        continue;
      case '\t':
        out += attribute ? '&#9;' : ch;
        continue;
      case '\n':
        out += attribute ? '&#10;' : ch;
        continue;
      case '\r':
        out += '&#13;';
        continue;
    }
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${hex(code, 2)}`;
    else if (code === 0xfffe || code === 0xffff) out += `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return out;
}

/** GitHub workflow-command message data: `%`, CR and LF are percent-encoded (actions/toolkit `escapeData`). */
export function escapeWorkflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub workflow-command property values: data escaping plus `:` and `,` (actions/toolkit `escapeProperty`). */
export function escapeWorkflowProperty(text: string): string {
  return escapeWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A GitHub-flavoured Markdown table cell: control characters shown escaped, newlines become spaces,
 * HTML and Markdown punctuation cannot open tags, links, emphasis or new cells, and bare text
 * cannot become a GFM autolink (`http://…`, `www.…`, `mailto:`/`xmpp:`, `user@host`): the
 * character the autolinker starts from is written as a numeric reference, which renders the same.
 */
export function escapeMarkdownCell(text: string): string {
  return escapeTerminal(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(/[\\`*_{}[\]()#+!|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/:(?=\/\/)|(?<=\b(?:mailto|xmpp)):/gi, '&#58;')
    .replace(/@/g, '&#64;')
    .replace(/\b([wW])(?=[wW]{2}\.)/g, (w: string) => `&#${w.charCodeAt(0)};`);
}

/** `1 check`, `2 checks`: a count and its noun, for summary lines. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
