import { isIP } from 'node:net';
import { resolveAllowed, type AddressPolicy, type Lookup } from './addressPolicy.js';
import { redactCredentials, redactUrl, shownProbe } from './redact.js';
import { clampProbeTimeouts } from './timeouts.js';
import type { HttpObservation, HttpProbe, KeyedProbe } from './types.js';

/** Bodies are read up to this many bytes, then the connection is dropped. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpRunOptions {
  policy: AddressPolicy;
  lookup: Lookup;
  /** Extra CA certificates (PEM) trusted for HTTPS, besides the system store. */
  ca?: string[];
  /**
   * Shared keep-alive agents for the run (connections reused per origin and approved address).
   * Without it each attempt gets its own agent and a fresh connection.
   */
  dispatchers?: HttpDispatchers;
}

type Attempt = Omit<HttpObservation, 'key' | 'kind' | 'probe' | 'durationMs' | 'attempts'>;

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_|HOSTNAME_MISMATCH|EPROTO)/;

function errorChain(error: unknown): { code?: string; message: string; name?: string }[] {
  const out: { code?: string; message: string; name?: string }[] = [];
  let e = error as { code?: string; message?: string; name?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    out.push({ code: typeof e.code === 'string' ? e.code : undefined, message: String(e.message ?? e), name: e.name });
    e = e.cause as typeof e;
  }
  return out;
}

function classify(error: unknown): Attempt {
  const chain = errorChain(error);
  const codes = chain.map((c) => c.code).filter((c): c is string => Boolean(c));
  const has = (...names: string[]): boolean => codes.some((c) => names.includes(c));
  const detail = chain.map((c) => (c.code ? `${c.code}: ${c.message}` : c.message)).find(Boolean) ?? 'unknown error';
  if (has('ECONNREFUSED')) return { outcome: 'refused', error: 'connection refused' };
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) return { outcome: 'timeout', timeoutPhase: 'connect', error: 'connect timeout' };
  if (has('UND_ERR_HEADERS_TIMEOUT')) return { outcome: 'timeout', timeoutPhase: 'headers', error: 'timed out waiting for response headers' };
  if (has('UND_ERR_BODY_TIMEOUT')) return { outcome: 'timeout', timeoutPhase: 'body', error: 'timed out reading the body' };
  const tls = codes.find((c) => TLS_CODES.test(c)) ?? (chain.some((c) => /certificate|SSL routines|TLS/i.test(c.message)) ? 'TLS' : undefined);
  if (tls) return { outcome: 'tls', error: `TLS error: ${chain.find((c) => c.code === tls)?.message ?? detail}${tls !== 'TLS' ? ` (${tls})` : ''}` };
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED')) return { outcome: 'reset', error: 'connection reset by peer' };
  if (has('ENOTFOUND', 'EAI_AGAIN')) return { outcome: 'dns', error: `DNS failure (${detail})` };
  return { outcome: 'error', error: detail };
}

let undiciModule: Promise<typeof import('undici')> | undefined;
const loadUndici = (): Promise<typeof import('undici')> => (undiciModule ??= import('undici'));

type UndiciAgent = InstanceType<(typeof import('undici'))['Agent']>;

function newAgent(Agent: (typeof import('undici'))['Agent'], address: string, connectTimeoutMs: number, ca: string[] | undefined, keepAlive: boolean, connections?: number): UndiciAgent {
  const family = isIP(address);
  return new Agent({
    ...(connections ? { connections } : {}),
    connect: {
      timeout: connectTimeoutMs,
      // Connect to the address the policy approved, whatever the name resolves to now.
      lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => (opts?.all ? cb(null, [{ address, family }]) : cb(null, address, family))) as never,
      ...(ca ? { ca } : {}),
    },
    // One request per connection at a time; 0 also turns keep-alive off.
    pipelining: keepAlive ? 1 : 0,
  });
}

/**
 * The keep-alive agents of one run: one per (origin, approved address, connect timeout), so a
 * connection is only ever reused for the same origin at the address the policy approved. The
 * number of connections per origin is capped at the run's request limit (each in-flight request
 * holds one connection; idle ones are reused, hanging ones are destroyed when their probe gives up),
 * so a request never waits in the agent for longer than it takes a finished one to hand its
 * connection back.
 */
export class HttpDispatchers {
  private readonly agents = new Map<string, UndiciAgent>();

  /** `connections`: most connections per origin (the run's request limit). */
  constructor(
    private readonly ca?: string[],
    private readonly connections?: number,
  ) {}

  async get(url: URL, address: string, connectTimeoutMs: number): Promise<UndiciAgent> {
    const key = `${url.protocol}//${url.host}|${address}|${connectTimeoutMs}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const { Agent } = await loadUndici();
      agent = this.agents.get(key) ?? newAgent(Agent, address, connectTimeoutMs, this.ca, true, this.connections);
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Agents created so far (one per origin/address/connect timeout). */
  get size(): number {
    return this.agents.size;
  }

  /** Close every idle connection (nothing is in flight when a run ends). */
  async close(): Promise<void> {
    const all = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(all.map((a) => a.destroy().catch(() => undefined)));
  }
}

/** `decodeURIComponent`, or undefined for text that is not valid percent-encoded UTF-8 (`%ff`). */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a URL from a binding can be probed: it parses, its scheme is http or https, and its
 * user and password (sent as basic auth) are valid percent-encoded UTF-8. The reason (with the URL
 * redacted) when it cannot; `--dry-run` prints the same reason.
 */
export function httpUrlProblem(raw: string): { ok: true; url: URL } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `not a valid URL: ${JSON.stringify(redactUrl(String(raw)))}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `scheme '${url.protocol.replace(/:$/, '')}' refused (only http and https are probed)` };
  if (decoded(url.username) === undefined || decoded(url.password) === undefined)
    return {
      ok: false,
      error: `not a valid URL: the ${decoded(url.username) === undefined ? 'user name' : 'password'} of ${JSON.stringify(redactUrl(raw))} is not valid percent-encoding (e.g. '%ff'); write it as percent-encoded UTF-8`,
    };
  return { ok: true, url };
}

/** One attempt of an HTTP probe. */
async function attempt(probe: HttpProbe, url: URL, address: string, options: HttpRunOptions): Promise<Attempt> {
  const { Agent, request } = await loadUndici();
  const shared = options.dispatchers ? await options.dispatchers.get(url, address, probe.connectTimeoutMs) : undefined;
  const agent = shared ?? newAgent(Agent, address, probe.connectTimeoutMs, options.ca, false);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('total timeout'));
  }, probe.totalTimeoutMs);
  let status: number | undefined;
  const headers: Record<string, string> = { 'user-agent': 'spine-lint-probe' };
  // httpUrlProblem checked that both decode.
  if (url.username || url.password) headers.authorization = 'Basic ' + Buffer.from(`${decoded(url.username) ?? ''}:${decoded(url.password) ?? ''}`).toString('base64');
  const target = new URL(url.toString());
  target.username = '';
  target.password = '';
  try {
    const res = await request(target, {
      method: 'GET',
      dispatcher: agent,
      signal: controller.signal,
      headers,
      maxRedirections: 0,
      headersTimeout: probe.totalTimeoutMs,
      bodyTimeout: probe.totalTimeoutMs,
    } as never);
    status = res.statusCode;
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      const room = MAX_BODY_BYTES - size;
      if (buf.length >= room) {
        chunks.push(buf.subarray(0, room));
        size += room;
        truncated = true;
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
    if (truncated) res.body.destroy();
    const result: Attempt = { outcome: 'response', status };
    if (probe.captureBody) {
      result.body = Buffer.concat(chunks).toString('utf8');
      if (truncated) result.bodyTruncated = true;
    }
    return result;
  } catch (error) {
    if (timedOut) {
      return { outcome: 'timeout', status, timeoutPhase: status !== undefined ? 'body' : 'total', error: status !== undefined ? `HTTP ${status}, then timed out reading the body` : 'total timeout' };
    }
    const c = classify(error);
    if (status !== undefined) {
      c.status = status;
      if (c.outcome === 'timeout') c.timeoutPhase = 'body';
      c.error = `HTTP ${status}, then ${c.error}`;
    }
    return c;
  } finally {
    clearTimeout(timer);
    if (!shared) agent.destroy().catch(() => undefined);
  }
}

/**
 * Run an HTTP probe (with retries and backoff), never throwing: a URL that cannot be probed is a
 * `refused-policy` observation, anything unexpected an `error` one. Timeouts are clamped
 * (timeouts.ts); the URL and any error text are shown with credentials redacted.
 */
export async function runHttpProbe(raw: KeyedProbe & HttpProbe, options: HttpRunOptions, retries: number): Promise<HttpObservation> {
  const started = performance.now();
  const probe = clampProbeTimeouts(raw);
  const shown: HttpProbe = shownProbe(stripKey(probe));
  const base = { key: probe.key, kind: 'http' as const, probe: shown };
  const done = (a: Attempt, attempts: number, address?: string): HttpObservation => ({
    ...base,
    ...a,
    ...(a.error !== undefined ? { error: redactCredentials(a.error) } : {}),
    ...(address ? { address } : {}),
    attempts,
    durationMs: Math.round(performance.now() - started),
  });
  let attempts = 0;
  let address: string | undefined;
  try {
    const checked = httpUrlProblem(probe.url);
    if (!checked.ok) return done({ outcome: 'refused-policy', error: checked.error }, 0);
    const { url } = checked;
    const resolved = await resolveAllowed(url.hostname, options.policy, options.lookup, probe.connectTimeoutMs);
    if (!resolved.ok) return done({ outcome: resolved.outcome, error: resolved.error }, 0);
    address = resolved.address;
    let last: Attempt = { outcome: 'error', error: 'not attempted' };
    for (let i = 0; i <= retries; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (i - 1), 4000)));
      attempts++;
      last = await attempt(probe, url, resolved.address, options);
      const good = last.outcome === 'response' && (!probe.expectStatus || probe.expectStatus.includes(last.status!));
      if (good) break;
    }
    return done(last, attempts, resolved.address);
  } catch (error) {
    return done({ outcome: 'error', error: `probe failed: ${error instanceof Error ? error.message : String(error)}` }, attempts, address);
  }
}

function stripKey<P extends { key?: string }>(p: P): Omit<P, 'key'> {
  const { key: _key, ...rest } = p;
  return rest;
}
