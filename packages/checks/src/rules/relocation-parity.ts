import { defineCheck, pointer } from '@spine-lint/core';
import { registryHostFix } from '../shared/relocation.js';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { isYqEmpty } from '../bindings/util.js';
import { D35_ACTIVE_STATES } from '../relocationPhase.js';

/** States in which D35 checks nothing (the reference prints "parity check not required"). */
export const D35_EXEMPT_STATES: ReadonlySet<string> = new Set(['null', 'none', 'planning', 'complete']);

/**
 * D35 — relocation parity (spec §2.1). During preflight/cutover/cleanup, every service that is not
 * `planned` must be in SERVICE_REGISTRY on the manifest's `to_host`, and `to_host` must be an ssh
 * target; every `required_updates` file must exist. In planning/complete/no relocation: nothing.
 */
export default defineCheck({
  id: 'relocation-parity',
  aliases: ['D35'],
  title: 'Relocation parity (D35)',
  description:
    'While a relocation is in preflight, cutover or cleanup, every relocated service (status other than planned) is registered in SERVICE_REGISTRY on the ' +
    'manifest to_host, to_host is an ssh target, and every required_updates file exists.',
  severity: 'error',
  kind: 'static',
  reads: ['infra.relocation.plan', 'SERVICE_REGISTRY', 'ssh.targets'],
  // every path in active_relocation.required_updates is checked for existence
  readsListedIn: ['infra.relocation.plan'],
  ports: 'surfaces/verify/d35-infra-relocation-parity-lock.sh',
  fixHint: 'Update SERVICE_REGISTRY.yaml and ssh.targets.yaml to match the manifest (or fix the manifest to_host), and create every file listed in required_updates.',
  messages: {
    requiredUpdateMissing: 'MISSING: {{file}} (listed in required_updates for relocation state {{state}})',
    requiredUpdateOutsideRoot: "required_updates entry '{{file}}' is an absolute path: only files inside the repository can be checked",
    registryNotFound: 'D35 FAIL: service registry not found: {{file}} (required in relocation state {{state}})',
    sshTargetsNotFound: 'D35 FAIL: ssh targets binding not found: {{file}} (required in relocation state {{state}})',
    toHostEmpty: 'PARITY MISMATCH: {{service}} - manifest to_host is empty for status={{status}}',
    missingFromRegistry: 'PARITY MISMATCH: {{service}} missing from SERVICE_REGISTRY.yaml (status {{status}}, to_host {{toHost}})',
    hostMismatch: 'PARITY MISMATCH: {{service}} - manifest says {{toHost}}, registry says {{registryHost}}',
    toHostNotSshTarget: "PARITY MISMATCH: {{service}} - to_host '{{toHost}}' missing in ssh.targets.yaml",
  },
  run(ctx) {
    const ws = ctx.workspace;
    const plan = relocationPlan(ws);
    if (plan.status !== 'loaded') return; // absent: "no relocation manifest configured"; unparsed: the parse check reports it
    const state = plan.activeRelocation?.state ?? 'null';
    if (D35_EXEMPT_STATES.has(state)) return;

    for (const u of plan.requiredUpdates ?? []) {
      if (u.path === undefined || u.path === '') continue;
      if (u.path.startsWith('/')) {
        ctx.report({ messageId: 'requiredUpdateOutsideRoot', data: { file: u.path, state }, file: plan.file, pointer: u.pointer });
        continue;
      }
      if (!ws.exists(u.path)) ctx.report({ messageId: 'requiredUpdateMissing', data: { file: u.path, state }, file: plan.file, pointer: u.pointer });
    }
    if (!D35_ACTIVE_STATES.has(state)) return; // any other state string: only the file check (see relocation-vocabulary)

    const registry = serviceRegistry(ws);
    const ssh = sshTargets(ws);
    const statePointer = plan.activeRelocation?.statePointer;
    if (registry.status === 'absent') {
      ctx.report({ messageId: 'registryNotFound', data: { file: ws.pathOf(registry.file), state }, file: plan.file, pointer: statePointer });
      return;
    }
    if (ssh.status === 'absent') {
      ctx.report({ messageId: 'sshTargetsNotFound', data: { file: ws.pathOf(ssh.file), state }, file: plan.file, pointer: statePointer });
      return;
    }
    for (const svc of plan.services) {
      const status = svc.status ?? 'null';
      if (status === 'planned') continue;
      const service = svc.service ?? 'null';
      const toHost = svc.to_host;
      if (isYqEmpty(toHost)) {
        ctx.report({ messageId: 'toHostEmpty', data: { service, status }, file: plan.file, pointer: `${svc.pointer}/to_host` });
        continue;
      }
      const entry = svc.service === undefined ? undefined : registry.services.get(svc.service);
      const registryHost = entry?.host;
      if (isYqEmpty(registryHost)) {
        ctx.report({ messageId: 'missingFromRegistry', data: { service, status, toHost: toHost! }, file: plan.file, pointer: `${svc.pointer}/service` });
        continue;
      }
      if (registryHost !== toHost) {
        ctx.report({
          messageId: 'hostMismatch',
          data: { service, status, toHost: toHost!, registryHost: registryHost! },
          file: registry.file,
          pointer: pointer('services', service, 'host'),
          // A rolled-back service belongs on rollback_to (placement-policy's fix); D35 compares to_host regardless.
          fix: status === 'rolled-back' ? undefined : registryHostFix(ws, registry.file, pointer('services', service, 'host'), service, toHost!),
        });
      }
      if (!ssh.byId.has(toHost!)) {
        ctx.report({ messageId: 'toHostNotSshTarget', data: { service, status, toHost: toHost! }, file: plan.file, pointer: `${svc.pointer}/to_host` });
      }
    }
  },
});
