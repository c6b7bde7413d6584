import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

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

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(name);
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

export type HostKeyVerdict =
  | { status: 'known'; line: number }
  | { status: 'unknown' }
  | { status: 'mismatch'; lines: number[] }
  | { status: 'revoked'; line: number };

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

/** A known_hosts file: read once, appended to on trust-on-first-use. */
export class KnownHostsFile {
  private entries: KnownHostEntry[];

  constructor(readonly path: string) {
    this.entries = existsSync(path) ? parseKnownHosts(readFileSync(path, 'utf8')) : [];
  }

  verify(host: string, port: number, raw: Buffer): HostKeyVerdict {
    return verifyHostKey(this.entries, host, port, raw);
  }

  /** Append a plain entry (accept-new). */
  add(host: string, port: number, raw: Buffer): void {
    const { keyType, key } = describeKey(raw);
    const line = `${hostKeyName(host, port)} ${keyType} ${key}`;
    mkdirSync(dirname(this.path), { recursive: true });
    const existing = existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
    appendFileSync(this.path, (existing === '' || existing.endsWith('\n') ? '' : '\n') + line + '\n', { mode: 0o600 });
    this.entries = parseKnownHosts(readFileSync(this.path, 'utf8'));
  }
}
