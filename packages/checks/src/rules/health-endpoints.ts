import { defineCheck, pointer, redactUrl, type HttpObservation, type HttpProbe, type Observation, type Workspace } from '@spine-lint/core';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { servicesHealth } from '../bindings/servicesHealth.js';
import { failureOf } from '../liveSupport.js';

/** Body expectations the runbook states (spec §0.1, §2.13), by URL path. */
export const BUILTIN_BODIES: Readonly<Record<string, string>> = {
  '/-/healthy': 'Prometheus Server is Healthy.',
  '/ready': 'ready',
};

interface Entry {
  probe: HttpProbe;
  name: string;
  host: string;
  expect: number[];
  body: string | undefined;
  file: string;
  pointer: string;
}

function bodyFor(url: string, id: string, options: Readonly<Record<string, unknown>>): string | undefined {
  const custom = options.expectBody;
  if (custom && typeof custom === 'object' && Object.prototype.hasOwnProperty.call(custom, id)) {
    const v = (custom as Record<string, unknown>)[id];
    return typeof v === 'string' && v !== '' ? v : undefined;
  }
  try {
    return BUILTIN_BODIES[new URL(url).pathname];
  } catch {
    return undefined;
  }
}

function entries(ws: Workspace, options: Readonly<Record<string, unknown>>): Entry[] {
  const health = servicesHealth(ws);
  const sec = (name: string, binding: number | undefined, fallback: number): number => {
    const o = options[name];
    return Math.round((typeof o === 'number' && o > 0 ? o : binding !== undefined && binding > 0 ? binding : fallback) * 1000);
  };
  const connectTimeoutMs = sec('connectTimeoutSec', health.defaults.connect_timeout_sec, 5);
  const totalTimeoutMs = sec('maxTimeSec', health.defaults.max_time_sec, 10);
  const out: Entry[] = [];
  for (const e of health.endpoints) {
    if (e.enabled === false || !e.url || !e.id) continue;
    const expect = e.expect ?? [200];
    const body = bodyFor(e.url, e.id, options);
    out.push({
      probe: { kind: 'http', id: `endpoint:${e.id}`, target: e.id, url: e.url, connectTimeoutMs, totalTimeoutMs, expectStatus: expect, ...(body ? { captureBody: true, expectBodyContains: body } : {}) },
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
    // A relocation health_url that an enabled endpoint already probes is asked once, not twice.
    const probed = new Set(out.map((e) => e.probe.url));
    for (const s of plan.services) {
      if (!s.service || !s.health_url || s.health_url === 'null' || probed.has(s.health_url)) continue;
      const body = bodyFor(s.health_url, s.service, options);
      out.push({
        probe: { kind: 'http', id: `relocation:${s.service}`, target: s.service, url: s.health_url, connectTimeoutMs, totalTimeoutMs, expectStatus: [200], ...(body ? { captureBody: true, expectBodyContains: body } : {}) },
        name: s.service,
        host: s.to_host ?? 'unknown',
        expect: [200],
        body,
        file: plan.file,
        pointer: pointer('services', s.index, 'health_url'),
      });
    }
  }
  return out;
}

/**
 * `services.health.status` (spec §2.13) as a live check, plus each relocation service's
 * `health_url` (what `infra.relocation.promote` gates on, §2.6) and the runbook's body expectations.
 */
export default defineCheck<'unexpectedStatus' | 'unreachable' | 'bodyMismatch', HttpProbe, Observation>({
  id: 'health-endpoints',
  aliases: ['services.health.status'],
  title: 'Health endpoints answer as the bindings expect',
  description:
    'Every enabled services.health endpoint and every relocation service health_url answers with the expected status (200, 302, "401,403"), without following redirects, within the binding\'s connect and total timeouts; Prometheus /-/healthy and Loki /ready bodies are checked too.',
  severity: 'error',
  kind: 'live',
  reads: ['services.health', 'infra.relocation.plan'],
  ports: 'ops/plugins/services/bin/services-health-status',
  fixHint: 'Bring the service up (docker compose up -d on its host) or correct the endpoint url/expect in the binding.',
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
    list.forEach((e, i) => {
      const o = observations[i] as HttpObservation | undefined;
      const data = { endpoint: e.name, target: e.name, host: e.host, url: redactUrl(e.probe.url), expected: e.expect.join(','), durationMs: o?.durationMs ?? 0 };
      const failure = failureOf(o);
      if (failure !== undefined || !o || o.status === undefined) {
        ctx.report({ messageId: 'unreachable', data: { ...data, got: failure ?? 'no status' }, file: e.file, pointer: e.pointer });
        return;
      }
      if (!e.expect.includes(o.status)) {
        ctx.report({ messageId: 'unexpectedStatus', data: { ...data, got: o.status }, file: e.file, pointer: e.pointer });
        return;
      }
      if (e.body !== undefined && (o.body ?? '').trim() !== e.body) {
        const got = (o.body ?? '').trim().replace(/\s+/g, ' ').slice(0, 80);
        ctx.report({ messageId: 'bodyMismatch', data: { ...data, status: o.status, expectedBody: e.body, got }, file: e.file, pointer: e.pointer });
      }
    });
  },
});
