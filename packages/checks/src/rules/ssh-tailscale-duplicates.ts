import { defineCheck } from '@spine-lint/core';
import { isActiveShopVm, requireFiles } from '../bindings/drift/common.js';
import { tailscaleSshLifecycle } from '../bindings/drift/contracts.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { groupBy } from '../bindings/util.js';
import { vmLifecycle } from '../bindings/vmLifecycle.js';

/** D262 ssh-tailscale-duplicate-truth-lock (spec §2.16): one Tailscale IP / ssh host per machine, and aliases approved. */
export default defineCheck({
  id: 'ssh-tailscale-duplicates',
  aliases: ['D262'],
  title: 'SSH / Tailscale duplicate truth',
  description:
    'No two active shop VMs share a tailscale_ip; no two non-lan_only ssh targets share a host; every SERVICE_REGISTRY host (ssh not localhost) has its ssh ' +
    'target with the same tailscale_ip; an active VM whose hostname differs from its ssh_target is listed in approved_alias_overrides.',
  severity: 'error',
  kind: 'static',
  reads: ['tailscale.ssh.lifecycle.contract', 'vm.lifecycle', 'ssh.targets', 'SERVICE_REGISTRY'],
  fixHint: 'Remove the duplicate, align the registry Tailscale IP with ssh.targets, or approve the alias in tailscale.ssh.lifecycle.contract.yaml.',
  ports: 'surfaces/verify/d262-ssh-tailscale-duplicate-truth-lock.sh',
  messages: {
    missingFile: 'Missing file {{file}}.',
    duplicateTailscaleIp: 'Duplicate tailscale_ip {{ip}} among active VMs: {{hosts}}.',
    duplicateSshHost: 'Duplicate ssh.targets host {{ip}}: {{ids}}.',
    registrySshMissing: "SERVICE_REGISTRY host '{{host}}': ssh target '{{target}}' missing in ssh.targets.",
    registryTailscaleMismatch: "SERVICE_REGISTRY host '{{host}}': tailscale_ip {{expected}} != ssh.targets {{actual}}.",
    undocumentedAlias:
      "Undocumented hostname/ssh_target divergence: {{host}}=>{{target}} (active VM '{{host}}' is reached as ssh target '{{target}}', and no " +
      'approved_alias_overrides entry in tailscale.ssh.lifecycle.contract.yaml covers it).',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['tailscale.ssh.lifecycle.contract', 'vm.lifecycle', 'ssh.targets', 'SERVICE_REGISTRY'])) return;
    const lifecycle = vmLifecycle(ws);
    const ssh = sshTargets(ws);
    const registry = serviceRegistry(ws);
    const contract = tailscaleSshLifecycle(ws);
    const active = lifecycle.vms.filter(isActiveShopVm);
    for (const [ip, vms] of groupBy(active, (v) => v.tailscale_ip)) {
      if (vms.length < 2) continue;
      ctx.report({ messageId: 'duplicateTailscaleIp', data: { ip, hosts: vms.map((v) => v.hostname ?? '?') }, file: lifecycle.file, pointer: `${vms[1]!.pointer}/tailscale_ip` });
    }
    const sshNonLan = ssh.targets.filter((t) => (t.access_method ?? 'ssh') !== 'lan_only');
    for (const [ip, ts] of groupBy(sshNonLan, (t) => t.host)) {
      if (ts.length < 2) continue;
      ctx.report({ messageId: 'duplicateSshHost', data: { ip, ids: ts.map((t) => t.id ?? '?') }, file: ssh.file, pointer: `${ts[1]!.pointer}/host` });
    }
    for (const h of registry.hosts.values()) {
      if (h.ssh === undefined || h.ssh === 'localhost') continue;
      const t = ssh.get(h.ssh);
      if (!t) ctx.report({ messageId: 'registrySshMissing', data: { host: h.id, target: h.ssh }, file: registry.file, pointer: `${h.pointer}/ssh` });
      else if (t.tailscale_ip !== h.tailscale_ip)
        ctx.report({
          messageId: 'registryTailscaleMismatch',
          data: { host: h.id, expected: h.tailscale_ip ?? null, actual: t.tailscale_ip ?? null },
          file: registry.file,
          pointer: `${h.pointer}/tailscale_ip`,
        });
    }
    // Check 4 covers every active VM (home site included: homeassistant=>ha on proxmox-home), not only the shop VMs of checks 1–3.
    for (const vm of lifecycle.vms) {
      if (vm.status !== 'active' || !vm.hostname || !vm.ssh_target || vm.hostname === vm.ssh_target) continue;
      if (!contract.overrides.some((o) => o.vmHostname === vm.hostname && o.sshTarget === vm.ssh_target))
        ctx.report({
          messageId: 'undocumentedAlias',
          data: { host: vm.hostname, target: vm.ssh_target },
          file: lifecycle.file,
          pointer: `${vm.pointer}/ssh_target`,
          hint: `Add { vm_hostname: ${vm.hostname}, ssh_target: ${vm.ssh_target}, rationale: … } to approved_alias_overrides, or make ssh_target equal the hostname.`,
        });
    }
  },
});
