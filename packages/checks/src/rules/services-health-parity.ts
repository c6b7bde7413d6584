import { defineCheck } from '@spine-lint/core';
import { requireFiles } from '../bindings/drift/common.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { servicesHealth } from '../bindings/servicesHealth.js';
import { sshTargets } from '../bindings/sshTargets.js';

const MARKERS = [
  { marker: 'authority_state: projection', name: 'authority_state: projection' },
  { marker: 'projection_of: docs/governance/SERVICE_REGISTRY.yaml', name: 'projection_of' },
] as const;

/**
 * D280 services-health-high-churn-parity-lock (spec §2.16): services.health is a projection of the
 * SERVICE_REGISTRY — marked as such, with unique, complete endpoints on known hosts.
 */
export default defineCheck({
  id: 'services-health-parity',
  aliases: ['D280'],
  title: 'services.health projection parity',
  description:
    'services.health.yaml carries the projection markers (comment headers `# authority_state: projection`, `# projection_of: ' +
    'docs/governance/SERVICE_REGISTRY.yaml`), has at least one endpoint, unique endpoint ids, an id/host/url on every endpoint, and every enabled endpoint ' +
    'host is an ssh target or a SERVICE_REGISTRY host.',
  severity: 'error',
  kind: 'static',
  reads: ['services.health', 'ssh.targets', 'SERVICE_REGISTRY'],
  fixHint: 'Keep services.health a projection of SERVICE_REGISTRY: add the markers, fill in the endpoint, or register its host.',
  ports: 'surfaces/verify/d280-services-health-high-churn-parity-lock.sh',
  messages: {
    missingFile: 'Required binding {{file}} is missing.',
    missingMarker: 'services.health missing {{marker}} marker.',
    noEndpoints: 'services.health has no endpoints.',
    duplicateId: "Duplicate endpoint id '{{id}}' in services.health (first at endpoints[{{first}}]).",
    missingId: 'endpoint[{{index}}] missing id.',
    missingField: "endpoint '{{id}}' missing {{field}}.",
    unknownHost: "endpoint '{{id}}' host '{{host}}' not present in ssh.targets ids or SERVICE_REGISTRY hosts.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['services.health', 'ssh.targets', 'SERVICE_REGISTRY'])) return;
    const text = ws.text('services.health') ?? '';
    for (const m of MARKERS)
      if (!text.includes(m.marker)) ctx.report({ messageId: 'missingMarker', data: { marker: m.name }, file: 'services.health', range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
    const health = servicesHealth(ws);
    if (health.endpoints.length === 0) ctx.report({ messageId: 'noEndpoints', file: 'services.health', pointer: '/endpoints' });
    for (const [id, list] of health.byId) {
      for (const dup of list.slice(1)) ctx.report({ messageId: 'duplicateId', data: { id, first: list[0]!.index }, file: 'services.health', pointer: `${dup.pointer}/id` });
    }
    const ssh = sshTargets(ws);
    const registry = serviceRegistry(ws);
    for (const e of health.endpoints) {
      if (e.id === undefined || e.id === '') {
        ctx.report({ messageId: 'missingId', data: { index: e.index }, file: 'services.health', pointer: e.pointer });
        continue;
      }
      let complete = true;
      for (const field of ['host', 'url'] as const) {
        if (e[field] === undefined || e[field] === '') {
          complete = false;
          ctx.report({ messageId: 'missingField', data: { id: e.id, field }, file: 'services.health', pointer: e.pointer });
        }
      }
      if (!complete || e.enabled === false) continue;
      if (!ssh.byId.has(e.host!) && !registry.hosts.has(e.host!)) ctx.report({ messageId: 'unknownHost', data: { id: e.id, host: e.host! }, file: 'services.health', pointer: `${e.pointer}/host` });
    }
  },
});
