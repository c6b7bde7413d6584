import { defineCheck, redactUrl } from '@spine-lint/core';
import { serviceRegistry, type RegistryService } from '../bindings/serviceRegistry.js';
import { servicesHealth } from '../bindings/servicesHealth.js';
import { healthPathKey, parseHttpUrl, pathKey, portOf } from '../urls.js';

/**
 * Known endpoint ids that name a SERVICE_REGISTRY service by another id (spec §1.0 "service ids and
 * health ids do not join 1:1"). `-v2` ids are handled by suffix stripping; these are the rest.
 */
export const DEFAULT_ENDPOINT_ALIASES: Readonly<Record<string, string>> = { immich: 'immich-server' };
export const DEFAULT_STRIP_SUFFIXES: readonly string[] = ['-v2'];

/** Registry statuses that count as active (absent ⇒ active, as D259 reads it). */
const isActive = (s: RegistryService): boolean => s.status === undefined || s.status === 'active';

export interface HealthEndpointRegistryParityOptions {
  /** Endpoint id → registry service id; the engine merges the configured map over the defaults. */
  aliases: Readonly<Record<string, string>>;
  /** Suffixes stripped from an endpoint id to find its service; a configured list replaces the default. */
  stripSuffixes: readonly string[];
}

const DEFAULT_OPTIONS: HealthEndpointRegistryParityOptions = { aliases: DEFAULT_ENDPOINT_ALIASES, stripSuffixes: DEFAULT_STRIP_SUFFIXES };

/**
 * New check (spec §1.4, §5): services.health is a projection of SERVICE_REGISTRY, but nothing compares
 * the probe URL with the registry's `port` and `health`. Endpoint ids join registry ids exactly, through
 * an alias map, or with a `-v2` suffix stripped.
 */
export default defineCheck({
  id: 'health-endpoint-registry-parity',
  title: 'Health endpoints agree with the service registry',
  description:
    'Each enabled services.health endpoint that names a SERVICE_REGISTRY service (same id, an alias from `options.aliases`, or the id without a `-v2` ' +
    "suffix) probes that service's `port` and `health` path (compared as URLs: default ports, trailing slashes and the case of scheme/host do not count); " +
    'every active registry service with a `health` path has an endpoint, a disabled one included (disabling a probe is a deliberate decision).',
  severity: 'error',
  kind: 'static',
  reads: ['services.health', 'SERVICE_REGISTRY'],
  fixHint: 'Correct the endpoint URL (or the registry port/health) so both name the same port and path; add a services.health endpoint for each active registry service with a health path.',
  optionsSchema: {
    type: 'object',
    properties: {
      aliases: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Endpoint id → SERVICE_REGISTRY service id, merged over the default map.',
      },
      stripSuffixes: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Suffixes stripped from an endpoint id to find its service (replaces the default list; `[]` turns stripping off).',
      },
    },
  },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    portMismatch: "Endpoint '{{endpoint}}' probes port {{actual}} but SERVICE_REGISTRY service '{{service}}' has port {{expected}}.",
    pathMismatch: "Endpoint '{{endpoint}}' probes path '{{actual}}' but SERVICE_REGISTRY service '{{service}}' has health '{{expected}}'.",
    badUrl: "Endpoint '{{endpoint}}' url '{{url}}' is not an http(s) URL, so it cannot be compared with service '{{service}}'.",
    missingEndpoint: "Active SERVICE_REGISTRY service '{{service}}' has health '{{health}}' but no services.health endpoint (id '{{service}}' or an alias).",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('services.health') || !ws.exists('SERVICE_REGISTRY')) return;
    const registry = serviceRegistry(ws);
    const health = servicesHealth(ws);
    if (registry.status !== 'loaded' || health.status !== 'loaded') return;
    const aliases = new Map(Object.entries(ctx.options.aliases));
    const suffixes = ctx.options.stripSuffixes;

    const resolve = (id: string): RegistryService | undefined => {
      const alias = aliases.get(id);
      if (alias !== undefined) return registry.services.get(alias);
      const exact = registry.services.get(id);
      if (exact) return exact;
      for (const s of suffixes) if (id.endsWith(s)) return registry.services.get(id.slice(0, -s.length));
      return undefined;
    };

    const covered = new Set<string>();
    for (const e of health.endpoints) {
      if (e.id === undefined) continue;
      const service = resolve(e.id);
      if (!service) continue;
      covered.add(service.id);
      if (e.enabled === false || e.url === undefined) continue;
      const data = { endpoint: e.id, service: service.id, host: e.host ?? null };
      const url = parseHttpUrl(e.url);
      if (!url) {
        // Shown with any user and password replaced by *** (the URL is printed in every output format).
        ctx.report({ messageId: 'badUrl', data: { ...data, url: redactUrl(String(e.url)) }, file: health.file, pointer: `${e.pointer}/url` });
        continue;
      }
      // Compared as URLs (urls.ts): default port filled in, trailing slash and a bare `?` ignored.
      const port = portOf(url);
      if (service.port !== undefined && port !== service.port)
        ctx.report({ messageId: 'portMismatch', data: { ...data, actual: port, expected: service.port }, file: health.file, pointer: `${e.pointer}/url` });
      if (service.health !== undefined && service.health !== '') {
        const expected = service.health.startsWith('/') ? service.health : `/${service.health}`;
        if (pathKey(url) !== healthPathKey(service.health))
          ctx.report({ messageId: 'pathMismatch', data: { ...data, actual: url.pathname + url.search, expected }, file: health.file, pointer: `${e.pointer}/url` });
      }
    }

    for (const s of registry.services.values()) {
      if (!isActive(s) || s.health === undefined || s.health === '' || covered.has(s.id)) continue;
      ctx.report({ messageId: 'missingEndpoint', data: { service: s.id, host: s.host ?? null, health: s.health }, file: registry.file, pointer: `${s.pointer}/health` });
    }
  },
});
