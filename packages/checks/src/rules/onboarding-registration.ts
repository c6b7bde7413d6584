import { defineCheck } from '@spine-lint/core';
import { isOnboardedShopVm, requireFiles } from '../bindings/drift/common.js';
import { capacityGuard } from '../bindings/drift/contracts.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { vmLifecycle } from '../bindings/vmLifecycle.js';
import { checkVmRegistration } from '../shared/vmRegistration.js';

const CAPACITY_FIELDS = ['capacity_lane', 'capacity_budget_class', 'retention_policy_ref', 'reclaim_policy_ref'] as const;
const REF_FIELDS = new Set(['retention_policy_ref', 'reclaim_policy_ref']);

/**
 * D259 onboarding-canonical-registration-lock (spec §2.16): a VM may only be `registered`/`active`
 * once it is registered canonically: ssh target, SERVICE_REGISTRY host, capacity contract; and every
 * active registry service runs on a registered host.
 */
export default defineCheck({
  id: 'onboarding-registration',
  aliases: ['D259'],
  title: 'Onboarding canonical registration',
  description:
    'For every registered/active shop VM: a real tailscale_ip (not PENDING_TS_IP), an ssh target with host == lan_ip and the same tailscale_ip (a missing ' +
    'access_policy is reported by D258 only), a SERVICE_REGISTRY hosts entry agreeing on tailscale_ip and ssh, and an infra.capacity.guard.policy ' +
    'onboarding_capacity_contract entry whose policy refs exist. Every active SERVICE_REGISTRY service has its host in the hosts map.',
  severity: 'error',
  kind: 'static',
  reads: ['ssh.targets', 'vm.lifecycle', 'SERVICE_REGISTRY', 'infra.capacity.guard.policy'],
  // retention_policy_ref / reclaim_policy_ref of the capacity contract must name existing files
  readsListedIn: ['infra.capacity.guard.policy'],
  fixHint: 'Finish the onboarding registrations (ssh.targets, SERVICE_REGISTRY hosts, capacity contract) before setting the VM to registered/active.',
  ports: 'surfaces/verify/d259-onboarding-canonical-registration-lock.sh',
  messages: {
    missingFile: 'Required binding {{file}} is missing.',
    missingField: '{{host}}: vm.lifecycle {{field}} missing before status={{status}}.',
    missingSshTarget: "{{host}}: ssh_target '{{target}}' missing in ssh.targets before status={{status}}.",
    lanIpMismatch: '{{host}}: LAN IP mismatch vm.lifecycle.lan_ip={{lifecycle}} ssh.targets.host={{actual}}.',
    tailscaleMismatch: '{{host}}: Tailscale IP mismatch vm.lifecycle={{lifecycle}} ssh.targets={{actual}}.',
    missingRegistryHost: '{{host}}: SERVICE_REGISTRY hosts entry missing before status={{status}}.',
    registryTailscaleMismatch: '{{host}}: SERVICE_REGISTRY tailscale_ip mismatch vm.lifecycle={{lifecycle}} SERVICE_REGISTRY={{actual}}.',
    registrySshMismatch: '{{host}}: SERVICE_REGISTRY ssh mismatch vm.lifecycle={{lifecycle}} SERVICE_REGISTRY={{actual}}.',
    missingCapacityEntry: '{{host}}: onboarding_capacity_contract.by_hostname entry missing.',
    missingCapacityField: '{{host}}: onboarding_capacity_contract {{field}} missing.',
    missingPolicyRef: "{{host}}: {{field}} '{{ref}}' points to a missing file.",
    serviceHostMissing: "Service '{{service}}': service host '{{host}}' missing from SERVICE_REGISTRY hosts map.",
    noVmChecked: 'No registered/active shop VM found in vm.lifecycle (nothing to check).',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['ssh.targets', 'vm.lifecycle', 'SERVICE_REGISTRY', 'infra.capacity.guard.policy'])) return;
    const lifecycle = vmLifecycle(ws);
    const ssh = sshTargets(ws);
    const registry = serviceRegistry(ws);
    const capacity = capacityGuard(ws);
    let checked = 0;
    for (const vm of lifecycle.vms) {
      if (!isOnboardedShopVm(vm)) continue;
      checked++;
      const status = vm.status ?? null;
      if (vm.hostname === undefined) {
        ctx.report({ messageId: 'missingField', data: { host: `vms[${vm.index}]`, field: 'hostname', status }, file: lifecycle.file, pointer: vm.pointer });
        continue;
      }
      const host = vm.hostname;
      const ts = vm.tailscale_ip === 'PENDING_TS_IP' ? undefined : vm.tailscale_ip;
      if (ts === undefined)
        ctx.report({
          messageId: 'missingField',
          data: { host, field: 'tailscale_ip', status },
          file: lifecycle.file,
          pointer: vm.tailscale_ip === undefined ? vm.pointer : `${vm.pointer}/tailscale_ip`,
        });
      // A missing access_policy is D258's finding (ssh-lifecycle-parity), as in the reference: D259
      // does not report what another check owns. Without a registry host the reference stops
      // checking the VM (its capacity contract is not looked at).
      if (!checkVmRegistration(ctx, vm, host, ts, { lifecycle, ssh, registry }, { missingData: { status }, nameTarget: false })) continue;
      const entry = capacity.entry(host);
      if (!entry) {
        ctx.report({ messageId: 'missingCapacityEntry', data: { host }, file: lifecycle.file, pointer: `${vm.pointer}/hostname` });
        continue;
      }
      for (const field of CAPACITY_FIELDS) {
        const v = entry[field];
        if (typeof v !== 'string' || v === '') {
          ctx.report({ messageId: 'missingCapacityField', data: { host, field }, file: 'infra.capacity.guard.policy', pointer: capacity.pointerOf(host) });
          continue;
        }
        if (REF_FIELDS.has(field)) {
          const path = v.split('#')[0]!;
          if (!ws.exists(path)) ctx.report({ messageId: 'missingPolicyRef', data: { host, field, ref: v }, file: 'infra.capacity.guard.policy', pointer: capacity.pointerOf(host, field) });
        }
      }
    }
    for (const svc of registry.services.values()) {
      if ((svc.status ?? 'active') !== 'active') continue;
      if (svc.host !== undefined && !registry.hosts.has(svc.host))
        ctx.report({ messageId: 'serviceHostMissing', data: { service: svc.id, host: svc.host }, file: registry.file, pointer: `${svc.pointer}/host` });
    }
    if (checked === 0) ctx.report({ messageId: 'noVmChecked', file: lifecycle.file, pointer: '/vms' });
  },
});
