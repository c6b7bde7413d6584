import { defineCheck } from '@spine-lint/core';
import { requireFiles } from '../bindings/drift/common.js';
import { infraCoreSlo } from '../bindings/drift/contracts.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { servicesHealth } from '../bindings/servicesHealth.js';

const INPUTS = ['infra.core.slo', 'ops/bindings/stability.control.contract.yaml', 'services.health', 'ops/bindings/capability_map.yaml', 'ops/plugins/MANIFEST.yaml'];

/** D149 infra-core-service-parity-lock (spec §2.16): the infra-core SLO's required services are registered and probed on infra-core. */
export default defineCheck({
  id: 'infra-core-service-parity',
  aliases: ['D149'],
  title: 'infra-core service parity',
  description:
    'infra.core.slo.yaml target.required_service_ids (no duplicates): each is a SERVICE_REGISTRY service on target.host and has an enabled services.health endpoint with the same id and host, a url and an expect.',
  severity: 'error',
  kind: 'static',
  reads: ['infra.core.slo', 'SERVICE_REGISTRY', 'services.health', 'ops/bindings/stability.control.contract.yaml', 'ops/bindings/capability_map.yaml', 'ops/plugins/MANIFEST.yaml'],
  fixHint: 'Register the service on the infra-core host and give it an enabled health endpoint.',
  ports: 'surfaces/verify/d149-infra-core-service-parity-lock.sh',
  messages: {
    missingFile: 'missing file: {{file}}.',
    duplicateRequired: "required service '{{service}}' listed twice.",
    registryHostMismatch: "service '{{service}}': SERVICE_REGISTRY host={{actual}}, expected {{host}}.",
    missingEndpoint: "service '{{service}}': no services.health endpoint with this id.",
    endpointHostMismatch: "service '{{service}}': services.health host={{actual}}, expected {{host}}.",
    endpointDisabled: "service '{{service}}': services.health endpoint is disabled (must be enabled=true).",
    endpointIncomplete: "service '{{service}}': services.health endpoint missing {{field}}.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', INPUTS, false)) return;
    if (!ws.exists('SERVICE_REGISTRY')) {
      ctx.report({ messageId: 'missingFile', data: { file: ws.pathOf('SERVICE_REGISTRY') }, file: 'SERVICE_REGISTRY' });
      return;
    }
    const slo = infraCoreSlo(ws);
    const registry = serviceRegistry(ws);
    const health = servicesHealth(ws);
    const host = slo.host ?? 'null';
    const seen = new Set<string>();
    for (const r of slo.required) {
      if (seen.has(r.id)) {
        ctx.report({ messageId: 'duplicateRequired', data: { service: r.id }, file: 'infra.core.slo', pointer: r.pointer });
        continue;
      }
      seen.add(r.id);
      const svc = registry.services.get(r.id);
      if (svc?.host !== host) ctx.report({ messageId: 'registryHostMismatch', data: { service: r.id, host, actual: svc?.host ?? null }, file: svc ? registry.file : 'infra.core.slo', pointer: svc ? `${svc.pointer}/host` : r.pointer });
      const e = health.byId.get(r.id)?.[0];
      if (!e) {
        ctx.report({ messageId: 'missingEndpoint', data: { service: r.id }, file: 'infra.core.slo', pointer: r.pointer });
        continue;
      }
      if (e.host !== host) ctx.report({ messageId: 'endpointHostMismatch', data: { service: r.id, host, actual: e.host ?? null }, file: 'services.health', pointer: `${e.pointer}/host` });
      if (e.enabled === false) ctx.report({ messageId: 'endpointDisabled', data: { service: r.id }, file: 'services.health', pointer: `${e.pointer}/enabled` });
      if (!e.url) ctx.report({ messageId: 'endpointIncomplete', data: { service: r.id, field: 'url' }, file: 'services.health', pointer: e.pointer });
      if (!e.expect) ctx.report({ messageId: 'endpointIncomplete', data: { service: r.id, field: 'expect' }, file: 'services.health', pointer: e.pointer });
    }
  },
});
