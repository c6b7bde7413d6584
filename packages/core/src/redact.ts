/**
 * Credentials never leave spine-lint: the one place that removes the user and password of URLs
 * (`scheme://user:password@host`) from any text a binding value reaches — check and schema
 * messages, finding data, the probe plan, observations, recordings and metrics.
 *
 * Text based on purpose: it works on a whole URL, on a URL that does not parse (`http://%ff@h`,
 * an `ftp:` URL, a URL cut short), and on a URL inside a sentence, and it keeps the rest of the
 * text exactly as written. It errs on the side of hiding too much.
 */

/** What stands for a user name or a password that was removed. */
export const REDACTED = '***';

/** Schemes whose URLs also end their authority at `\\` (WHATWG "special" schemes). */
const SPECIAL = new Set(['http', 'https', 'ftp', 'ws', 'wss', 'file']);

const isSchemeChar = (c: string): boolean => /[A-Za-z0-9+.-]/.test(c);
/** Characters after which a bare `//host` (no scheme) is read as a URL. */
const BARE_LEAD = /[\s'"(<[=,]/;

/** `***:***` when there was a password (an empty user stays empty), `***` for a user alone. */
function masked(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  if (colon < 0) return REDACTED;
  return `${colon === 0 ? '' : REDACTED}:${REDACTED}`;
}

/**
 * The redaction pass: for each `//` that starts an authority (after `scheme:`, or bare at the
 * start of the text or after a space, quote, bracket, `=` or comma), the authority runs up to
 * `/`, `?`, `#`, whitespace (unless `wholeValue`), and for special schemes `\\`; its userinfo is
 * everything before its last `@` (as the URL parser splits it). One pass over the text: each
 * character is looked at a bounded number of times, whatever the input.
 */
function redact(text: string, wholeValue: boolean): string {
  if (!text.includes('@') || !text.includes('//')) return text;
  let out = '';
  let copied = 0;
  let from = 0;
  for (;;) {
    const i = text.indexOf('//', from);
    if (i < 0) break;
    let scheme: string | undefined;
    if (i > 0 && text[i - 1] === ':') {
      let s = i - 1;
      while (s > 0 && isSchemeChar(text[s - 1]!)) s--;
      if (s < i - 1 && /[A-Za-z]/.test(text[s]!)) scheme = text.slice(s, i - 1);
    }
    const bare = scheme === undefined && (i === 0 || BARE_LEAD.test(text[i - 1]!));
    if (scheme === undefined && !bare) {
      from = i + 2;
      continue;
    }
    const special = scheme !== undefined && SPECIAL.has(scheme.toLowerCase());
    const start = i + 2;
    let end = start;
    let at = -1;
    for (; end < text.length; end++) {
      const c = text[end]!;
      if (c === '@') at = end;
      else if (c === '/' || c === '?' || c === '#' || (special && c === '\\') || (!wholeValue && /\s/.test(c))) break;
    }
    if (at > start) {
      out += text.slice(copied, start) + masked(text.slice(start, at));
      copied = at;
    }
    // Only the first authority of a whole value may contain spaces.
    wholeValue = false;
    from = Math.max(end, start);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Replace the user and password of every URL-looking substring of `text` with {@link REDACTED}:
 * `http://admin:hunter2@h/x` → `http://***:***@h/x`, `http://token@h` → `http://***@h`, also in
 * `ftp:` URLs, URLs that do not parse and URLs inside a sentence. Idempotent; text without
 * credentials comes back unchanged (the same string).
 */
export function redactCredentials(text: string): string {
  return redact(text, false);
}

/**
 * One URL value (a binding's `url`) as shown in any output. The same as
 * {@link redactCredentials}, except that whitespace inside the first authority does not end it
 * (`http://u:p w@h/`: the URL parser encodes the space, so the password is `p w`).
 */
export function redactUrl(url: string): string {
  return redact(url, true);
}

/**
 * A copy of finding data (or any record of values) with every string value passed through
 * {@link redactCredentials}; other values as they are. The same input always gives the same
 * output, so fingerprints computed from it are stable.
 */
export function redactData<T extends Readonly<Record<string, unknown>>>(data: T): T {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    const r = redactCredentials(v);
    if (r !== v) (out ??= { ...data })[k] = r;
  }
  return (out ?? data) as T;
}
