/**
 * URLs and health paths compared as URLs, not as strings: the one definition every check that
 * compares a probe URL with another binding uses (health-endpoint-registry-parity, health-endpoints,
 * relocation-ssot-completeness). Pure: no I/O, no DNS.
 *
 * Equal forms: scheme and host in any case (the WHATWG parser lowercases them), an explicit default
 * port (`:80` for http, `:443` for https) or none, a path with or without its trailing slash
 * (`/admin/` = `/admin`, and an empty path = `/`), a bare `?` or none. Everything else is a
 * difference: another scheme, host, port, path or query.
 */
import { trimEndChar } from '@spine-lint/core';
import type { HealthEndpoint } from './bindings/servicesHealth.js';

export const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** An `http:`/`https:` URL, or `undefined` when the text is not one. */
export function parseHttpUrl(text: string | undefined): URL | undefined {
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    return url.protocol in DEFAULT_PORTS ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The port a URL connects to (the scheme's default when it names none). */
export const portOf = (url: URL): number => (url.port === '' ? DEFAULT_PORTS[url.protocol]! : Number(url.port));

/** A URL path without its trailing slash (`/admin/` → `/admin`); the root stays `/`. */
const trimSlash = (path: string): string => trimEndChar(path, '/') || '/';

/** Path and query as compared: trailing slash dropped, a bare `?` dropped. */
export const pathKey = (url: URL): string => trimSlash(url.pathname) + url.search;

/**
 * A registry `health` value (`/admin`, `admin/`, `/api?mode=version`) as the path key of a URL with
 * that path, percent-encoded the way the parser encodes a probe URL.
 */
export function healthPathKey(path: string): string {
  const url = new URL(path.startsWith('/') ? path : `/${path}`, 'http://h');
  return pathKey(url);
}

/** The comparison key of a URL, with `host` in place of its hostname when given (a host id). */
export const urlKey = (url: URL, host: string = url.hostname): string => `${url.protocol}//${host.toLowerCase()}:${portOf(url)}${pathKey(url)}`;

/** Whether two texts name the same http(s) URL (false when either is not one). */
export function sameUrl(a: string | undefined, b: string | undefined): boolean {
  const x = parseHttpUrl(a);
  const y = parseHttpUrl(b);
  return x !== undefined && y !== undefined && urlKey(x) === urlKey(y);
}

/**
 * services.health endpoints by the URLs they name. An endpoint names its URL as written and the
 * same URL with its `host` id in place of the address (`http://192.168.1.210:7575/` on host
 * `streaming-stack` is also `http://streaming-stack:7575`): the relocation manifest writes health
 * URLs with host ids (spec §1.3), services.health with addresses (§1.4).
 */
export class EndpointUrlIndex {
  private readonly byKey = new Map<string, HealthEndpoint[]>();

  constructor(endpoints: readonly HealthEndpoint[]) {
    for (const e of endpoints) {
      const url = parseHttpUrl(e.url);
      if (!url) continue;
      const keys = new Set([urlKey(url)]);
      if (e.host !== undefined && e.host !== '' && e.host !== 'null') keys.add(urlKey(url, e.host));
      for (const k of keys) (this.byKey.get(k) ?? this.byKey.set(k, []).get(k)!).push(e);
    }
  }

  /** The endpoints (in file order) that name the same URL as `text`; enabled ones first. */
  find(text: string | undefined): HealthEndpoint[] {
    const url = parseHttpUrl(text);
    const found = url ? (this.byKey.get(urlKey(url)) ?? []) : [];
    return [...found.filter((e) => e.enabled !== false), ...found.filter((e) => e.enabled === false)];
  }
}
