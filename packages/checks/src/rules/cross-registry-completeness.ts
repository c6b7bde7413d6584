import { defineCheck } from '@spine-lint/core';
import { requireFiles } from '../bindings/drift/common.js';
import { surfaceOn } from '../bindings/drift/naming.js';
import { namingPolicy } from '../bindings/namingPolicy.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { sshTargets } from '../bindings/sshTargets.js';

/**
 * D59 cross-registry-completeness-lock (spec §2.16): hosts naming.policy says have an ssh target do,
 * and shop ssh targets are SERVICE_REGISTRY hosts.
 */
export default defineCheck({
  id: 'cross-registry-completeness',
  aliases: ['D59'],
  title: 'Cross-registry completeness',
  description:
    'Every naming.policy host that is not decommissioned and has surfaces.ssh_target: true is a (non lan_only) ssh target; every such ssh target whose ' +
    'naming.policy site is shop and kind is not proxmox is a SERVICE_REGISTRY host.',
  severity: 'error',
  kind: 'static',
  reads: ['ssh.targets', 'naming.policy', 'SERVICE_REGISTRY'],
  fixHint: 'Add the host to the registry named in the message, or correct its naming.policy surfaces.',
  ports: 'surfaces/verify/d59-cross-registry-completeness-lock.sh',
  messages: {
    missingFile: 'Required binding {{file}} is missing.',
    missingSshTarget: '{{host}}: in naming.policy (ssh_target=true) but missing from ssh.targets.yaml.',
    missingRegistryHost: '{{host}}: in ssh.targets.yaml (shop) but missing from SERVICE_REGISTRY.yaml hosts.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['ssh.targets', 'naming.policy', 'SERVICE_REGISTRY'])) return;
    const ssh = sshTargets(ws);
    const naming = namingPolicy(ws);
    const registry = serviceRegistry(ws);
    const sshIds = new Set(ssh.targets.filter((t) => t.access_method !== 'lan_only' && t.id !== undefined).map((t) => t.id!));
    for (const h of naming.hosts) {
      if (h.canonical_name === undefined || h.status === 'decommissioned' || !surfaceOn(h, 'ssh_target')) continue;
      if (!sshIds.has(h.canonical_name)) ctx.report({ messageId: 'missingSshTarget', data: { host: h.canonical_name }, file: naming.file, pointer: `${h.pointer}/canonical_name` });
    }
    const byName = new Map(naming.hosts.filter((h) => h.canonical_name !== undefined).map((h) => [h.canonical_name!, h] as const));
    for (const t of ssh.targets) {
      if (t.id === undefined || t.access_method === 'lan_only') continue;
      const h = byName.get(t.id);
      if (!h || h.site !== 'shop' || h.kind === 'proxmox' || h.status === 'decommissioned') continue;
      if (!registry.hosts.has(t.id)) ctx.report({ messageId: 'missingRegistryHost', data: { host: t.id }, file: ssh.file, pointer: `${t.pointer}/id` });
    }
  },
});
