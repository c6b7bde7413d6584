import { isIP } from 'node:net';
import { clampTimeoutMs } from './timeouts.js';

/** One CIDR range, parsed. */
export interface Cidr {
  text: string;
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

function v4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigInt(address: string): bigint {
  let a = address.toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  // Embedded IPv4 tail (::ffff:1.2.3.4).
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const n = v4ToBigInt(v4[1]!);
    a = a.slice(0, -v4[1]!.length) + ((n >> 16n) & 0xffffn).toString(16) + ':' + (n & 0xffffn).toString(16);
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

/** Parse `10.0.0.0/8`, `::1`, `127.0.0.1` (a bare address is a /32 or /128). Throws on bad input. */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const [addr, prefixText, extra] = trimmed.split('/');
  const family = isIP(addr ?? '');
  if (extra !== undefined || (family !== 4 && family !== 6)) throw new Error(`'${text}' is not an IP address or CIDR range`);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new Error(`'${text}': prefix length must be 0..${max}`);
  const value = family === 4 ? v4ToBigInt(addr!) : v6ToBigInt(addr!);
  const shift = BigInt(max - prefix);
  return { text: trimmed, family, bits: (value >> shift) << shift, prefix };
}

function contains(cidr: Cidr, family: 4 | 6, value: bigint): boolean {
  if (cidr.family !== family) return false;
  const shift = BigInt((family === 4 ? 32 : 128) - cidr.prefix);
  return (value >> shift) << shift === cidr.bits;
}

/** Link-local ranges: never reachable by default (cloud metadata lives at 169.254.169.254). */
export const LINK_LOCAL = ['169.254.0.0/16', 'fe80::/10'] as const;

/**
 * Cloud instance-metadata endpoints outside the link-local ranges: AWS's IPv6 IMDS, Alibaba
 * Cloud's and Oracle Cloud's. Refused by default for the same reason as link-local.
 */
export const CLOUD_METADATA = ['fd00:ec2::254/128', '100.100.100.200/32', '192.0.0.192/32'] as const;

/**
 * Which addresses a probe may reach, checked after DNS resolution. `allow` undefined means
 * "everything except link-local"; an explicit list allows exactly those ranges.
 */
export class AddressPolicy {
  readonly allow: readonly Cidr[] | undefined;
  readonly deny: readonly Cidr[];
  private readonly metadata: readonly Cidr[];

  constructor(allow?: readonly string[]) {
    this.allow = allow?.map(parseCidr);
    this.metadata = allow ? [] : CLOUD_METADATA.map(parseCidr);
    this.deny = allow ? [] : [...LINK_LOCAL.map(parseCidr), ...this.metadata];
  }

  describe(): string {
    return this.allow ? this.allow.map((c) => c.text).join(', ') : `everything except ${[...LINK_LOCAL, ...CLOUD_METADATA].join(', ')}`;
  }

  /** Undefined when allowed; otherwise the reason. */
  check(address: string): string | undefined {
    let family = isIP(address) as 0 | 4 | 6;
    if (family === 0) return `'${address}' is not an IP address`;
    let value = family === 4 ? v4ToBigInt(address) : v6ToBigInt(address);
    // IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address.
    if (family === 6 && value >> 32n === 0xffffn) {
      family = 4;
      value &= 0xffffffffn;
    }
    if (this.metadata.some((c) => contains(c, family as 4 | 6, value))) return `${address} is a cloud metadata address (refused by default; allow it explicitly with --allow)`;
    if (this.deny.some((c) => contains(c, family as 4 | 6, value))) return `${address} is link-local (refused by default; allow it explicitly with --allow)`;
    if (this.allow && !this.allow.some((c) => contains(c, family as 4 | 6, value))) return `${address} is outside the allowed ranges (${this.describe()})`;
    return undefined;
  }
}

/** A name resolver: `dns.lookup` by default, injectable (tests resolve names without a DNS packet). */
export type Lookup = (hostname: string) => Promise<string[]>;

export const systemLookup: Lookup = async (hostname) => {
  const { lookup } = await import('node:dns/promises');
  const results = await lookup(hostname, { all: true, verbatim: true });
  return results.map((r) => r.address);
};

export type Resolution = { ok: true; address: string; all: string[] } | { ok: false; outcome: 'dns' | 'refused-policy'; error: string };

/**
 * Resolve `host` and pick the first address the policy allows. Literal IPs are not looked up.
 * Brackets of IPv6 URL hosts are stripped. The lookup is abandoned after `timeoutMs` (a `dns` outcome).
 */
export async function resolveAllowed(host: string, policy: AddressPolicy, lookup: Lookup, requestedTimeoutMs = 10_000): Promise<Resolution> {
  const timeoutMs = clampTimeoutMs(requestedTimeoutMs);
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  let addresses: string[];
  if (isIP(bare)) addresses = [bare];
  else {
    try {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error('lookup timeout'), { code: `timed out after ${timeoutMs} ms` })), timeoutMs)));
      addresses = await Promise.race([lookup(bare), expired]).finally(() => clearTimeout(timer));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { ok: false, outcome: 'dns', error: `DNS lookup of '${bare}' failed${code ? ` (${code})` : ''}` };
    }
    if (addresses.length === 0) return { ok: false, outcome: 'dns', error: `DNS lookup of '${bare}' returned no address` };
  }
  const reasons: string[] = [];
  for (const address of addresses) {
    const reason = policy.check(address);
    if (reason === undefined) return { ok: true, address, all: addresses };
    reasons.push(reason);
  }
  return { ok: false, outcome: 'refused-policy', error: `refused before connecting: ${isIP(bare) ? '' : `'${bare}' resolves to `}${reasons.join('; ')}` };
}
