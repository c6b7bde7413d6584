import { defineCheck, pointer, redactCredentials, redactData, redactUrl, type HttpProbe, type Observation, type Workspace } from '@spine-lint/core';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { servicesHealth } from '../bindings/servicesHealth.js';
import { failureOf, observationsOf } from '../liveSupport.js';
import { probedHealthUrls } from '../relocationPhase.js';
import { secondsSchema, secondsToMs } from '../shared/options.js';
import { EndpointUrlIndex, parseHttpUrl, urlKey } from '../urls.js';

/** Body expectations the runbook states (spec §0.1, §2.13), by URL path. */
export const BUILTIN_BODIES: Readonly<Record<string, string>> = {
  '/-/healthy': 'Prometheus Server is Healthy.',
  '/ready': 'ready',
};

export interface HealthEndpointsOptions {
  /** Connect timeout in seconds, over the binding's `defaults.connect_timeout_sec` (else 5). */
  connectTimeoutSec?: number;
  /** Total timeout in seconds, over the binding's `defaults.max_time_sec` (else 10). */
  maxTimeSec?: number;
  /** Body expected per endpoint id (or relocation service), over the built-in ones; null or '' expects none. */
  expectBody?: Readonly<Record<string, string | null>>;
  /** Probe the health_url of the relocation's services while a relocation runs. */
  relocationHealthUrls: boolean;
}

const DEFAULT_OPTIONS: HealthEndpointsOptions = { relocationHealthUrls: true };

interface Entry {
  probe: HttpProbe;
  name: string;
  host: string;
  expect: number[];
  body: string | undefined;
  file: string;
  pointer: string;
}

function bodyFor(url: string, id: string, options: HealthEndpointsOptions): string | undefined {
  const custom = options.expectBody;
  if (custom && Object.prototype.hasOwnProperty.call(custom, id)) return custom[id] || undefined;
  try {
    return BUILTIN_BODIES[new URL(url).pathname];
  } catch {
    return undefined;
  }
}

function entries(ws: Workspace, options: HealthEndpointsOptions): Entry[] {
  const health = servicesHealth(ws);
  // The option, else the binding's default when positive, else the fallback.
  const sec = (option: number | undefined, binding: number | undefined, fallback: number): number => secondsToMs(option ?? (binding !== undefined && binding > 0 ? binding : fallback));
  const connectTimeoutMs = sec(options.connectTimeoutSec, health.defaults.connect_timeout_sec, 5);
  const totalTimeoutMs = sec(options.maxTimeSec, health.defaults.max_time_sec, 10);
  const out: Entry[] = [];
  for (const e of health.endpoints) {
    if (e.enabled === false || !e.url || !e.id) continue;
    const expect = e.expect ?? [200];
    const body = bodyFor(e.url, e.id, options);
    out.push({
      probe: {
        kind: 'http',
        id: `endpoint:${e.id}`,
        target: e.id,
        url: e.url,
        connectTimeoutMs,
        totalTimeoutMs,
        expectStatus: expect,
        ...(body ? { captureBody: true, expectBodyContains: body } : {}),
      },
      name: e.id,
      host: e.host ?? 'unknown',
      expect,
      body,
      file: health.file,
      pointer: pointer('endpoints', e.index, 'url'),
    });
  }
  if (options.relocationHealthUrls !== false) {
    const plan = relocationPlan(ws);
    // Only what the relocation state calls for: a running relocation's services deployed on to_host (relocationPhase.ts).
    const wanted = probedHealthUrls(plan);
    // One URL, one probe, one expectation: a health_url that names the same URL as a services.health endpoint
    // (compared as URLs, its host id standing for the endpoint's address: urls.ts) is that endpoint's probe, with
    // that endpoint's expect — services.health owns health expectations. relocation-ssot-completeness reports
    // the conflict when that expect does not include promote's 200.
    const keyOf = (url: string): string => {
      const parsed = parseHttpUrl(url);
      return parsed ? urlKey(parsed) : url;
    };
    const planned = new Set(out.map((e) => keyOf(e.probe.url)));
    const index = wanted.length > 0 ? new EndpointUrlIndex(health.endpoints) : undefined;
    for (const s of wanted) {
      const url = s.health_url!;
      // Enabled endpoints first: an enabled one with the same URL is already planned; a disabled one still gives the expectation.
      const owner = index!.find(url)[0];
      if (planned.has(keyOf(url)) || (owner?.url !== undefined && planned.has(keyOf(owner.url)))) continue;
      planned.add(keyOf(url));
      const expect = owner ? (owner.expect ?? [200]) : [200];
      const body = bodyFor(url, s.service!, options);
      out.push({
        probe: {
          kind: 'http',
          id: `relocation:${s.service}`,
          target: s.service!,
          url,
          connectTimeoutMs,
          totalTimeoutMs,
          expectStatus: expect,
          ...(body ? { captureBody: true, expectBodyContains: body } : {}),
        },
        name: s.service!,
        host: s.to_host ?? 'unknown',
        expect,
        body,
        file: plan.file,
        pointer: pointer('services', s.index, 'health_url'),
      });
    }
  }
  return out;
}

/**
 * `services.health.status` (spec §2.13) as a live check, plus, while a relocation runs, each relocation
 * service's `health_url` (what `infra.relocation.promote` gates on, §2.6) and the runbook's body expectations.
 */
export default defineCheck<'unexpectedStatus' | 'unreachable' | 'bodyMismatch', HttpProbe, Observation, HealthEndpointsOptions>({
  id: 'health-endpoints',
  aliases: ['services.health.status'],
  title: 'Health endpoints answer as the bindings expect',
  description:
    'Every enabled services.health endpoint and, while a relocation is in progress (preflight, cutover, cleanup), the health_url of each relocation service ' +
    'deployed on to_host answers with the expected status (200, 302, "401,403"), without following redirects, within the binding\'s connect and total ' +
    "timeouts; one probe per URL (a health_url naming an endpoint's URL takes that endpoint's expect); Prometheus /-/healthy and Loki /ready bodies are " +
    'checked too.',
  severity: 'error',
  kind: 'live',
  reads: ['services.health', 'infra.relocation.plan'],
  ports: 'ops/plugins/services/bin/services-health-status',
  fixHint: 'Bring the service up (docker compose up -d on its host) or correct the endpoint url/expect in the binding.',
  optionsSchema: {
    type: 'object',
    properties: {
      connectTimeoutSec: secondsSchema("Connect timeout of every probe, in seconds (default: the binding's `defaults.connect_timeout_sec`, else 5)."),
      maxTimeSec: secondsSchema("Total timeout of every probe, in seconds (default: the binding's `defaults.max_time_sec`, else 10)."),
      expectBody: {
        type: 'object',
        additionalProperties: { type: ['string', 'null'] },
        description: 'Body expected (trimmed, exactly) per endpoint id or relocation service, over the built-in ones; `null` expects none.',
      },
      relocationHealthUrls: { type: 'boolean', description: "While a relocation runs, probe its services' `health_url` too." },
    },
  },
  defaultOptions: DEFAULT_OPTIONS,
  volatileData: ['durationMs'],
  messages: {
    unexpectedStatus: '{{endpoint}} ({{host}}): expected HTTP {{expected}}, got HTTP {{got}} from {{url}} in {{durationMs}} ms',
    unreachable: '{{endpoint}} ({{host}}): expected HTTP {{expected}}, got {{got}} from {{url}} after {{durationMs}} ms',
    bodyMismatch: '{{endpoint}} ({{host}}): HTTP {{status}} but the body is not "{{expectedBody}}" (got "{{got}}") from {{url}}',
  },
  plan(ctx) {
    return entries(ctx.workspace, ctx.options).map((e) => e.probe);
  },
  evaluate(ctx, observations) {
    const list = entries(ctx.workspace, ctx.options);
    // Every value shown (the URL, an error, a body excerpt) with URL credentials replaced by ***.
    const report = (d: Parameters<typeof ctx.report>[0]): void => ctx.report({ ...d, data: d.data && redactData(d.data) });
    const observed = observationsOf(
      list.map((e) => e.probe),
      observations,
    );
    list.forEach((e) => {
      const o = observed(e.probe);
      const data = { endpoint: e.name, target: e.name, host: e.host, url: redactUrl(e.probe.url), expected: e.expect.join(','), durationMs: o?.durationMs ?? 0 };
      const failure = failureOf(o);
      if (failure !== undefined || !o || o.status === undefined) {
        report({ messageId: 'unreachable', data: { ...data, got: failure ?? 'no status' }, file: e.file, pointer: e.pointer });
        return;
      }
      if (!e.expect.includes(o.status)) {
        report({ messageId: 'unexpectedStatus', data: { ...data, got: o.status }, file: e.file, pointer: e.pointer });
        return;
      }
      if (e.body !== undefined && (o.body ?? '').trim() !== e.body) {
        const got = redactCredentials((o.body ?? '').trim().replace(/\s+/g, ' ')).slice(0, 80);
        report({ messageId: 'bodyMismatch', data: { ...data, status: o.status, expectedBody: e.body, got }, file: e.file, pointer: e.pointer });
      }
    });
  },
});
