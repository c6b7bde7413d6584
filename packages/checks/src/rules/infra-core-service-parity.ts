import { defineCheck, type CheckContext } from '@spine-lint/core';
import { requireFiles } from '../bindings/drift/common.js';
import { INFRA_CORE_WIRING_FILES, infraCoreSlo, infraCoreSloWiring } from '../bindings/drift/contracts.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { servicesHealth } from '../bindings/servicesHealth.js';

/** The reference's preconditions, in its order (each missing file is one error). */
const INPUTS = [
  'infra.core.slo',
  INFRA_CORE_WIRING_FILES.stability,
  'services.health',
  'SERVICE_REGISTRY',
  INFRA_CORE_WIRING_FILES.capabilities,
  INFRA_CORE_WIRING_FILES.capabilityMap,
  INFRA_CORE_WIRING_FILES.manifest,
];
const SLO_COMMAND = './ops/plugins/observability/bin/infra-core-slo-status';
const SLO_PROBE = 'infra.core.slo.status';
const LEGACY_PROBE = 'services.health.status --host infra-core';
const SLO_RECOVERY = './bin/ops cap run infra.core.slo.status';
const SLO_MANIFEST_SCRIPT = 'bin/infra-core-slo-status';

/** D149 infra-core-service-parity-lock (spec §2.16): the infra-core SLO's required services are registered and probed on infra-core. */
export default defineCheck({
  id: 'infra-core-service-parity',
  aliases: ['D149'],
  title: 'infra-core service parity',
  description:
    'infra.core.slo.yaml target.required_service_ids (no duplicates): each is a SERVICE_REGISTRY service on target.host and has an enabled services.health ' +
    'endpoint with the same id and host, a url and an expect.',
  severity: 'error',
  kind: 'static',
  // the wiring files: stability contract, ops/capabilities.yaml, capability_map, plugin MANIFEST
  reads: ['infra.core.slo', 'SERVICE_REGISTRY', 'services.health', ...Object.values(INFRA_CORE_WIRING_FILES)],
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
    emptyTargetHost: 'infra.core.slo target.host is empty.',
    emptyRequired: 'infra.core.slo target.required_service_ids is empty.',
    probeMissing: 'stability.control.contract probe_capabilities.infra-core-stack does not include {{expected}}.',
    legacyProbe: "stability.control.contract probe_capabilities.infra-core-stack uses the legacy coarse probe '{{probe}}' (use {{expected}}).",
    recoveryMissing: "stability.control.contract guided_recovery_commands.infra-core-stack does not include '{{expected}}'.",
    capabilityCommandMismatch: 'ops/capabilities.yaml infra.core.slo.status command mismatch: {{actual}} (expected {{expected}}).',
    capabilityMapMismatch: 'capability_map infra.core.slo.status maps to {{plugin}}/{{script}} (expected {{expected}}).',
    manifestScriptMissing: 'ops/plugins/MANIFEST.yaml plugin observability: scripts do not include {{expected}}.',
    manifestCapabilityMissing: 'ops/plugins/MANIFEST.yaml plugin observability: capabilities do not include {{expected}}.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', INPUTS, false)) return;
    const slo = infraCoreSlo(ws);
    if (slo.status === 'loaded') {
      if (slo.host === undefined || slo.host === '' || slo.host === 'null') ctx.report({ messageId: 'emptyTargetHost', file: 'infra.core.slo', pointer: '/target' });
      if (slo.required.length === 0) ctx.report({ messageId: 'emptyRequired', file: 'infra.core.slo', pointer: '/target' });
    }
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
      if (svc?.host !== host)
        ctx.report({
          messageId: 'registryHostMismatch',
          data: { service: r.id, host, actual: svc?.host ?? null },
          file: svc ? registry.file : 'infra.core.slo',
          pointer: svc ? `${svc.pointer}/host` : r.pointer,
        });
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
    reportWiring(ctx);
  },
});

type WiringMessage = 'probeMissing' | 'legacyProbe' | 'recoveryMissing' | 'capabilityCommandMismatch' | 'capabilityMapMismatch' | 'manifestScriptMissing' | 'manifestCapabilityMissing';

/** The capability wiring of `infra.core.slo.status` (the reference's checks after the per-service loop); files that did not parse are left to `parse`. */
function reportWiring(ctx: CheckContext<WiringMessage>): void {
  const w = infraCoreSloWiring(ctx.workspace);
  const F = INFRA_CORE_WIRING_FILES;
  if (w.stability.status === 'loaded') {
    const probes = w.stability.probes;
    if (!probes.items.some((p) => p.value === SLO_PROBE))
      ctx.report({ messageId: 'probeMissing', data: { expected: SLO_PROBE }, file: F.stability, pointer: probes.pointer, hint: `Add ${SLO_PROBE} to probe_capabilities.infra-core-stack.` });
    const legacy = probes.items.find((p) => p.value === LEGACY_PROBE);
    if (legacy) ctx.report({ messageId: 'legacyProbe', data: { probe: LEGACY_PROBE, expected: SLO_PROBE }, file: F.stability, pointer: legacy.pointer, hint: `Replace the probe with ${SLO_PROBE}.` });
    const recovery = w.stability.recovery;
    if (!recovery.items.some((c) => c.value === SLO_RECOVERY))
      ctx.report({
        messageId: 'recoveryMissing',
        data: { expected: SLO_RECOVERY },
        file: F.stability,
        pointer: recovery.pointer,
        hint: `Add "${SLO_RECOVERY}" to guided_recovery_commands.infra-core-stack.`,
      });
  }
  if (w.capabilities.status === 'loaded') {
    const command = w.capabilities.values.command;
    if (command !== SLO_COMMAND)
      ctx.report({
        messageId: 'capabilityCommandMismatch',
        data: { actual: command ?? null, expected: SLO_COMMAND },
        file: F.capabilities,
        pointer: w.capabilities.pointerOf('command'),
        hint: `Set capabilities.infra.core.slo.status.command to "${SLO_COMMAND}" (the observability plugin's script that capability_map and the MANIFEST name).`,
      });
  }
  if (w.capabilityMap.status === 'loaded') {
    const { plugin, script } = w.capabilityMap.values;
    if (plugin !== 'observability' || script !== 'infra-core-slo-status')
      ctx.report({
        messageId: 'capabilityMapMismatch',
        data: { plugin: plugin ?? null, script: script ?? null, expected: 'observability/infra-core-slo-status' },
        file: F.capabilityMap,
        pointer: w.capabilityMap.pointerOf(plugin !== 'observability' ? 'plugin' : 'script'),
        hint: 'Map infra.core.slo.status to plugin: observability, script: infra-core-slo-status.',
      });
  }
  if (w.manifest.status === 'loaded') {
    if (!w.manifest.scripts.items.some((x) => x.value === SLO_MANIFEST_SCRIPT))
      ctx.report({
        messageId: 'manifestScriptMissing',
        data: { expected: SLO_MANIFEST_SCRIPT },
        file: F.manifest,
        pointer: w.manifest.scripts.pointer,
        hint: `List ${SLO_MANIFEST_SCRIPT} in the observability plugin's scripts.`,
      });
    if (!w.manifest.capabilities.items.some((x) => x.value === SLO_PROBE))
      ctx.report({
        messageId: 'manifestCapabilityMissing',
        data: { expected: SLO_PROBE },
        file: F.manifest,
        pointer: w.manifest.capabilities.pointer,
        hint: `List ${SLO_PROBE} in the observability plugin's capabilities.`,
      });
  }
}
