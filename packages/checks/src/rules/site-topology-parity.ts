import { defineCheck } from '@spine-lint/core';
import { composeTargets } from '../bindings/composeTargets.js';
import { topologySites } from '../bindings/drift/topology.js';
import { sshTargets } from '../bindings/sshTargets.js';

const TOP_KEYS = ['status', 'owner', 'last_verified', 'scope', 'sites'] as const;
const SITE_KEYS = ['id', 'status', 'lan_cidr', 'tailscale_anchor', 'proxmox_alias', 'vmid_range', 'compose_targets', 'notes'] as const;

/** D173 site-topology-parity-lock (spec §2.16): topology.sites.yaml is complete and joins ssh.targets and the compose targets. */
export default defineCheck({
  id: 'site-topology-parity',
  aliases: ['D173'],
  title: 'Site topology parity',
  description:
    'topology.sites.yaml has status/owner/last_verified/scope/sites; every site has id, status, lan_cidr, tailscale_anchor, proxmox_alias, vmid_range, ' +
    'compose_targets (a list) and notes; proxmox_alias is an ssh target; every compose target is a docker.compose.targets key.',
  severity: 'error',
  kind: 'static',
  reads: ['topology.sites', 'ssh.targets', 'docker.compose.targets'],
  fixHint: 'Complete the site entry, or register the named ssh/compose target.',
  ports: 'surfaces/verify/d173-site-topology-parity-lock.sh',
  messages: {
    missingBinding: 'Missing binding {{file}}.',
    missingTopKey: 'contract :: missing top-level key {{key}}.',
    missingSiteKey: 'sites/{{site}} :: missing {{key}}.',
    composeNotList: 'sites/{{site}} :: compose_targets must be a list.',
    unknownProxmoxAlias: "sites/{{site}} :: proxmox_alias '{{alias}}' is not an ssh target.",
    unknownComposeTarget: "sites/{{site}} :: compose target '{{target}}' is not in docker.compose.targets.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    const topo = topologySites(ws);
    if (!topo.exists) {
      ctx.report({ messageId: 'missingBinding', data: { file: ws.pathOf('topology.sites') }, file: 'topology.sites' });
      return;
    }
    for (const key of TOP_KEYS) if (!(key in topo.root)) ctx.report({ messageId: 'missingTopKey', data: { key }, file: 'topology.sites', pointer: '' });
    const ssh = sshTargets(ws);
    const compose = composeTargets(ws);
    for (const s of topo.sites) {
      const site = typeof s.raw.id === 'string' ? s.raw.id : `#${s.index}`;
      for (const key of SITE_KEYS) {
        const v = s.raw[key];
        if (v === undefined || v === null || v === '') ctx.report({ messageId: 'missingSiteKey', data: { site, key }, file: 'topology.sites', pointer: s.pointer });
      }
      if (s.raw.compose_targets !== undefined && s.raw.compose_targets !== null && !Array.isArray(s.raw.compose_targets))
        ctx.report({ messageId: 'composeNotList', data: { site }, file: 'topology.sites', pointer: `${s.pointer}/compose_targets` });
      const alias = s.raw.proxmox_alias;
      if (typeof alias === 'string' && alias !== '' && !ssh.byId.has(alias))
        ctx.report({ messageId: 'unknownProxmoxAlias', data: { site, alias }, file: 'topology.sites', pointer: `${s.pointer}/proxmox_alias` });
      if (Array.isArray(s.raw.compose_targets))
        s.raw.compose_targets.forEach((t, i) => {
          if (typeof t === 'string' && !compose.targets.has(t))
            ctx.report({ messageId: 'unknownComposeTarget', data: { site, target: t }, file: 'topology.sites', pointer: `${s.pointer}/compose_targets/${i}` });
        });
    }
  },
});
