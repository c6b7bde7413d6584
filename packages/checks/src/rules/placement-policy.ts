import { defineCheck, pointer } from '@spine-lint/core';
import { registryHostFix } from '../shared/relocation.js';
import { placementPolicy } from '../bindings/placementPolicy.js';
import { relocationPlan, type RelocationService, type VmTarget } from '../bindings/relocationPlan.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { isYqEmpty, optScalar } from '../bindings/util.js';

const DIGITS = /^[0-9]+$/;
/** yq prints a missing value as `null`; the reference's messages show it that way. */
const shown = (v: string | undefined): string => v ?? 'null';

/**
 * D37 / `infra-placement-policy-check --check all` (spec §2.2): every VM target and every service
 * of the relocation manifest against the placement policy, and the registry host of every service
 * past `planned`. Ignores the relocation state, as the reference does.
 */
export default defineCheck({
  id: 'placement-policy',
  aliases: ['D37'],
  title: 'Placement policy (D37)',
  description:
    'Every VM target of the relocation manifest is mapped to a site, runs on a listed proxmox hypervisor of the same site, meets its explicit requirements ' +
    'and VMID range; every service targets its primary site, rolls back only to an allowed DR site, and (past planned) is registered on the expected host.',
  severity: 'error',
  kind: 'static',
  reads: ['infra.relocation.plan', 'infra.placement.policy', 'SERVICE_REGISTRY'],
  ports: 'ops/plugins/infra/bin/infra-placement-policy-check --check all (via surfaces/verify/d37-infra-placement-policy-lock.sh)',
  fixHint: 'Add the missing host/site/requirement to infra.placement.policy.yaml, or fix the manifest entry; keep SERVICE_REGISTRY hosts in step with the manifest.',
  messages: {
    policyMissing: 'D37 FAIL: placement policy binding missing: {{file}} (the relocation manifest cannot be checked without it)',
    targetMissingSite: "target '{{target}}' missing hosts.<target>.site in placement policy",
    proxmoxMissingSite: "proxmox host '{{proxmoxHost}}' missing hosts.<proxmox>.site in placement policy (vm target '{{target}}')",
    proxmoxKind: "host '{{proxmoxHost}}' kind is '{{kind}}' (expected 'proxmox') (vm target '{{target}}')",
    proxmoxNotListed: "proxmox host '{{proxmoxHost}}' not listed under sites.{{site}}.proxmox_hosts (vm target '{{target}}')",
    vmSiteMismatch: "vm target '{{target}}' site '{{site}}' must match proxmox host site '{{proxmoxSite}}'",
    requirementsMissing: "vm_target_requirements missing for '{{target}}'",
    requiredSite: "vm target '{{target}}' site '{{site}}' != required_site '{{requiredSite}}'",
    requiredProxmoxHost: "vm target '{{target}}' proxmox_host '{{proxmoxHost}}' != required_proxmox_host '{{requiredProxmoxHost}}'",
    siteVmidBound: "site '{{site}}' missing numeric {{bound}} (vm target '{{target}}')",
    vmidNotNumeric: "vm_id '{{vmId}}' must be numeric (vm target '{{target}}')",
    vmidOutOfRange: "vm_id '{{vmId}}' outside allowed range for site '{{site}}' ({{min}}-{{max}}) (vm target '{{target}}')",
    servicePolicyMissing: "service '{{service}}' missing policy entry at service_placement.{{service}}",
    toHostMissingSite: "to_host '{{toHost}}' missing hosts mapping in placement policy (service '{{service}}')",
    primarySiteMissing: "service '{{service}}' missing primary_site in service_placement",
    primarySiteMismatch: "service '{{service}}' to_host site '{{toSite}}' != primary_site '{{primarySite}}'",
    rollbackHostMissingSite: "rollback host '{{rollbackHost}}' missing hosts mapping in placement policy (service '{{service}}')",
    rollbackSiteNotAllowed: "service '{{service}}' rollback site '{{rollbackSite}}' not allowed by service_placement.{{service}}.dr_sites",
    rolledBackWithoutRollback: "service '{{service}}' cannot transition to rolled-back without rollback_to host",
    registryNotFound: 'service registry not found: {{file}} (service {{service}})',
    registryServiceMissing: "service '{{service}}' missing in service registry",
    registryHostMismatch: "service '{{service}}' registry host '{{registryHost}}' != expected '{{expected}}' for status '{{status}}'",
  },
  run(ctx) {
    const ws = ctx.workspace;
    const plan = relocationPlan(ws);
    const policy = placementPolicy(ws);
    // No manifest: "D37 PASS: no relocation manifest configured" (we check that before the policy; see docs).
    if (plan.status === 'absent') return;
    if (policy.status === 'absent') {
      ctx.report({ messageId: 'policyMissing', data: { file: ws.pathOf(policy.file) }, file: plan.file, pointer: '' });
      return;
    }
    // An unparsable manifest or policy is reported by the `parse` check.
    if (plan.status !== 'loaded' || policy.status !== 'loaded') return;

    const P = policy.file;
    const M = plan.file;
    const site = (host: string | undefined): string => (host === undefined ? '' : (policy.hosts.get(host)?.site ?? ''));

    const checkVmTarget = (t: VmTarget): void => {
      const target = shown(t.hostname);
      const proxmoxHost = t.proxmox_host ?? '';
      const vmId = shown(t.vm_id);
      const at = (field: string): string => `${t.pointer}/${field}`;
      const ts = site(t.hostname);
      if (!ts) return void ctx.report({ messageId: 'targetMissingSite', data: { target }, file: M, pointer: at('hostname') });
      const ps = site(t.proxmox_host);
      if (!ps) return void ctx.report({ messageId: 'proxmoxMissingSite', data: { target, proxmoxHost }, file: M, pointer: at('proxmox_host') });
      const proxmox = policy.hosts.get(proxmoxHost)!;
      const kind = proxmox.kind ?? '';
      if (kind !== 'proxmox') ctx.report({ messageId: 'proxmoxKind', data: { target, proxmoxHost, kind }, file: P, pointer: `${proxmox.pointer}/kind` });
      const siteEntry = policy.sites.get(ps);
      if (!(siteEntry?.proxmox_hosts ?? []).includes(proxmoxHost)) {
        ctx.report({
          messageId: 'proxmoxNotListed',
          data: { target, proxmoxHost, site: ps },
          file: P,
          pointer: siteEntry ? `${siteEntry.pointer}/proxmox_hosts` : pointer('sites'),
        });
      }
      if (policy.guard('enforce_vm_site_matches_hypervisor_site') && ts !== ps) {
        ctx.report({ messageId: 'vmSiteMismatch', data: { target, site: ts, proxmoxSite: ps }, file: P, pointer: pointer('hosts', t.hostname!, 'site') });
      }
      const req = t.hostname === undefined ? undefined : policy.vmTargetRequirements.get(t.hostname);
      if (policy.guard('require_explicit_vm_target_requirements') && !req?.isMap) {
        ctx.report({ messageId: 'requirementsMissing', data: { target }, file: M, pointer: at('hostname') });
      }
      if (req?.isMap) {
        if (req.required_site && ts !== req.required_site) {
          ctx.report({ messageId: 'requiredSite', data: { target, site: ts, requiredSite: req.required_site }, file: P, pointer: `${req.pointer}/required_site` });
        }
        if (req.required_proxmox_host && proxmoxHost !== req.required_proxmox_host) {
          ctx.report({
            messageId: 'requiredProxmoxHost',
            data: { target, proxmoxHost, requiredProxmoxHost: req.required_proxmox_host },
            file: M,
            pointer: at('proxmox_host'),
          });
        }
      }
      if (policy.guard('enforce_vmid_ranges')) {
        const min = optScalar(siteEntry?.vmid_min) ?? '';
        const max = optScalar(siteEntry?.vmid_max) ?? '';
        let ok = true;
        for (const [bound, value] of [
          ['vmid_min', min],
          ['vmid_max', max],
        ] as const) {
          if (!DIGITS.test(value)) {
            ok = false;
            ctx.report({ messageId: 'siteVmidBound', data: { target, site: ps, bound }, file: P, pointer: siteEntry ? `${siteEntry.pointer}/${bound}` : pointer('sites') });
          }
        }
        if (!DIGITS.test(vmId)) {
          ctx.report({ messageId: 'vmidNotNumeric', data: { target, vmId }, file: M, pointer: at('vm_id') });
        } else if (ok && (Number(vmId) < Number(min) || Number(vmId) > Number(max))) {
          ctx.report({ messageId: 'vmidOutOfRange', data: { target, vmId, site: ps, min, max }, file: M, pointer: at('vm_id') });
        }
      }
    };

    const registry = serviceRegistry(ws);
    const checkService = (s: RelocationService): void => {
      const service = shown(s.service);
      const status = s.status ?? 'planned';
      const toHost = shown(s.to_host);
      const rollbackHost = isYqEmpty(s.rollback_to) ? undefined : s.rollback_to;
      const at = (field: string): string => `${s.pointer}/${field}`;
      const pol = s.service === undefined ? undefined : policy.servicePlacement.get(s.service);
      const polMap = pol?.isMap ? pol : undefined;
      const placement = (): void => {
        if (policy.guard('require_service_policy_for_manifest_services') && !polMap) {
          return void ctx.report({ messageId: 'servicePolicyMissing', data: { service }, file: M, pointer: at('service') });
        }
        const toSite = site(s.to_host);
        if (!toSite) return void ctx.report({ messageId: 'toHostMissingSite', data: { service, toHost }, file: M, pointer: at('to_host') });
        if (!polMap) return;
        if (policy.guard('enforce_service_primary_site')) {
          if (!polMap.primary_site) ctx.report({ messageId: 'primarySiteMissing', data: { service }, file: P, pointer: polMap.pointer });
          else if (toSite !== polMap.primary_site) {
            ctx.report({ messageId: 'primarySiteMismatch', data: { service, toHost, toSite, primarySite: polMap.primary_site }, file: M, pointer: at('to_host') });
          }
        }
        if (rollbackHost !== undefined) {
          const rollbackSite = site(rollbackHost);
          if (!rollbackSite) ctx.report({ messageId: 'rollbackHostMissingSite', data: { service, rollbackHost }, file: M, pointer: at('rollback_to') });
          else if (!(polMap.dr_sites ?? []).includes(rollbackSite)) {
            ctx.report({
              messageId: 'rollbackSiteNotAllowed',
              data: { service, rollbackHost, rollbackSite },
              file: P,
              pointer: polMap.dr_sites ? `${polMap.pointer}/dr_sites` : polMap.pointer,
            });
          }
        } else if (status === 'rolled-back') {
          ctx.report({ messageId: 'rolledBackWithoutRollback', data: { service }, file: M, pointer: at('status') });
        }
      };
      placement();
      if (status === 'planned') return;
      // check_registry_host_for_service (mode all, status past planned)
      if (registry.status === 'absent') {
        return void ctx.report({ messageId: 'registryNotFound', data: { service, file: ws.pathOf(registry.file) }, file: M, pointer: at('service') });
      }
      const entry = s.service === undefined ? undefined : registry.services.get(s.service);
      const registryHost = entry?.host;
      if (isYqEmpty(registryHost)) return void ctx.report({ messageId: 'registryServiceMissing', data: { service, status }, file: M, pointer: at('service') });
      const expected = status === 'rolled-back' && rollbackHost !== undefined ? rollbackHost : toHost;
      if (registryHost !== expected) {
        ctx.report({
          messageId: 'registryHostMismatch',
          data: { service, status, registryHost: registryHost!, expected },
          file: registry.file,
          pointer: pointer('services', s.service!, 'host'),
          fix: expected === undefined ? undefined : registryHostFix(ws, registry.file, pointer('services', s.service!, 'host'), s.service!, expected),
        });
      }
    };

    for (const t of plan.vmTargets) checkVmTarget(t);
    for (const s of plan.services) checkService(s);
  },
});
