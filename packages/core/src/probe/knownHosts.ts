import { createHmac } from 'node:crypto';
import { appendFileSafe, readRegularFileOrFail } from '../safeFs.js';
import { isLineTerminatorCode } from '../text.js';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  line: number;
  marker?: '@revoked' | '@cert-authority';
  patterns: string;
  keyType: string;
  key: string;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [patterns, keyType, key] = fields;
    if (!patterns || !keyType || !key) return;
    entries.push({ line: i + 1, marker, patterns, keyType, key });
  });
  return entries;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` when the port is not 22. */
export const hostKeyName = (host: string, port: number): string => (port === 22 ? host : `[${host}]:${port}`);

/** A code unit as a case-insensitive expression without the `u` flag compares it (ECMAScript Canonicalize). */
function canonical(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const folded = upper.charCodeAt(0);
  return code >= 128 && folded < 128 ? code : folded;
}

/** `*` and `?` wildcards over a text without line terminators: the greedy matcher that backs up only to the last `*`. */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.length && (pattern[p] === '?' || canonical(pattern.charCodeAt(p)) === canonical(text.charCodeAt(t)))) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A text cut at its line terminators: the pieces between them and the terminators in order. */
function cutAtLineTerminators(text: string): { pieces: string[]; terminators: string } {
  const pieces: string[] = [];
  let terminators = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isLineTerminatorCode(text.charCodeAt(i))) continue;
    pieces.push(text.slice(from, i));
    terminators += text[i];
    from = i + 1;
  }
  pieces.push(text.slice(from));
  return { pieces, terminators };
}

/**
 * Does an OpenSSH host pattern (`*`, `?`, everything else literal, any case) match `name`? What
 * `new RegExp('^' + pattern-with-* as .* and ? as . + '$', 'i')` answered, without its backtracking:
 * each `.*` retried every split of the name, exponential in the number of `*` (a 21-character
 * pattern took 16 s against a 40-character name). Here: at most (pattern × name) steps. As `.`
 * matches no line terminator, the name's terminators must meet the same ones, written in the
 * pattern, and the wildcards work between them.
 */
function globMatch(pattern: string, name: string): boolean {
  const p = cutAtLineTerminators(pattern);
  const n = cutAtLineTerminators(name);
  if (p.terminators !== n.terminators) return false;
  return p.pieces.every((piece, i) => wildcardMatch(piece, n.pieces[i]!));
}

/** Does a host-pattern field (comma list, wildcards, `!negation`, or one hashed `|1|salt|hash`) match `name`? */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

/** The key type and base64 blob of a raw SSH public key (wire format). */
export function describeKey(raw: Buffer): { keyType: string; key: string } {
  const len = raw.length >= 4 ? raw.readUInt32BE(0) : 0;
  return { keyType: raw.subarray(4, 4 + len).toString('latin1'), key: raw.toString('base64') };
}

export type HostKeyVerdict = { status: 'known'; line: number } | { status: 'unknown' } | { status: 'mismatch'; lines: number[] } | { status: 'revoked'; line: number };

/** Judge a presented key against known_hosts entries for `host` (and its `[host]:port` form). */
export function verifyHostKey(entries: readonly KnownHostEntry[], host: string, port: number, raw: Buffer): HostKeyVerdict {
  const presented = describeKey(raw);
  const names = [hostKeyName(host, port)];
  const forHost = entries.filter((e) => e.marker !== '@cert-authority' && names.some((n) => patternsMatch(e.patterns, n)));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key === presented.key);
  if (revoked) return { status: 'revoked', line: revoked.line };
  const same = forHost.find((e) => !e.marker && e.key === presented.key);
  if (same) return { status: 'known', line: same.line };
  const sameType = forHost.filter((e) => !e.marker && e.keyType === presented.keyType);
  if (sameType.length > 0) return { status: 'mismatch', lines: sameType.map((e) => e.line) };
  return { status: 'unknown' };
}

/** The size bound of a known_hosts file. */
export const MAX_KNOWN_HOSTS_BYTES = 16 * 1024 * 1024;

export interface KnownHostsFileOptions {
  /**
   * The path came from the repository's config (`probes.knownHosts`): accept-new appends only when
   * it resolves inside this directory. Unset for a path the user gave (`--known-hosts`) or the default.
   */
  insideRoot?: string;
  /**
   * Append through a symbolic link at the path (the user's own `~/.ssh/known_hosts`, which dotfile
   * managers often link). Default false: a link is refused, never written through.
   */
  followSymlinks?: boolean;
}

/**
 * A known_hosts file: read once (a regular file within {@link MAX_KNOWN_HOSTS_BYTES}, else a
 * `UsageError`), appended to on trust-on-first-use (`O_APPEND`, never through a link unless
 * `followSymlinks`, inside the root when `insideRoot`).
 */
export class KnownHostsFile {
  private entries: KnownHostEntry[];

  constructor(
    readonly path: string,
    private readonly options: KnownHostsFileOptions = {},
  ) {
    const bytes = readRegularFileOrFail(path, MAX_KNOWN_HOSTS_BYTES, 'known_hosts', { allowMissing: true });
    this.entries = bytes ? parseKnownHosts(bytes.toString('utf8')) : [];
  }

  verify(host: string, port: number, raw: Buffer): HostKeyVerdict {
    return verifyHostKey(this.entries, host, port, raw);
  }

  /** Append a plain entry (accept-new). Throws a `UsageError` (`cannot write known_hosts …`) when it may not. */
  add(host: string, port: number, raw: Buffer): void {
    const { keyType, key } = describeKey(raw);
    const line = `${hostKeyName(host, port)} ${keyType} ${key}`;
    const text = appendFileSafe(this.path, (existing) => (existing.length === 0 || existing[existing.length - 1] === 0x0a ? '' : '\n') + line + '\n', {
      what: 'known_hosts',
      insideRoot: this.options.insideRoot,
      followSymlinks: this.options.followSymlinks,
      mode: 0o600,
      mkdirParents: { mode: 0o700 },
      maxBytes: MAX_KNOWN_HOSTS_BYTES,
    });
    this.entries = parseKnownHosts(text.toString('utf8'));
  }
}
