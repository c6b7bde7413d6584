import { defineCheck } from '@spine-lint/core';
import { topologySites } from '../bindings/drift/topology.js';
import { deviceIdentity } from '../bindings/deviceIdentity.js';
import { placementPolicy, type PlacementSite } from '../bindings/placementPolicy.js';
import { optNumber } from '../bindings/util.js';

/** `200-299` (also with an en/em dash or spaces) → [200, 299]. */
export function parseRange(text: string | undefined): [number, number] | undefined {
  const m = text === undefined ? null : /^\s*(\d+)\s*[-–—]\s*(\d+)\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const show = (r: readonly [number, number]): string => `${r[0]}-${r[1]}`;

/**
 * New check (spec §5, §6.5 #29): the VMID range of each site lives in three places — placement
 * `sites.<site>.vmid_min/max` (what D37 enforces), topology.sites `vmid_range`, and the DEVICE_IDENTITY
 * "Proxmox VMID Ranges" table. The placement policy is the reference; the other two must agree with it.
 */
export default defineCheck({
  id: 'vmid-range-parity',
  title: 'VMID ranges agree across bindings',
  description:
    'For every infra.placement.policy site with numeric vmid_min/vmid_max: the topology.sites site with the same id (or whose proxmox_alias is one of its ' +
    'proxmox_hosts) has the same vmid_range, and the DEVICE_IDENTITY "Proxmox VMID Ranges" table has a row for it (Location naming the site or its Proxmox ' +
    'host) with the same Range.',
  severity: 'error',
  kind: 'static',
  reads: ['infra.placement.policy', 'topology.sites', 'DEVICE_IDENTITY'],
  fixHint: 'Make topology.sites vmid_range and the DEVICE_IDENTITY "Proxmox VMID Ranges" row equal the placement policy vmid_min-vmid_max (D37 enforces the placement values).',
  messages: {
    topologyMismatch: "Site '{{site}}': topology.sites vmid_range is {{actual}} but infra.placement.policy has {{expected}}.",
    identityMismatch: "Site '{{site}}': DEVICE_IDENTITY Proxmox VMID Ranges row '{{location}}' has {{actual}} but infra.placement.policy has {{expected}}.",
    identityMissing: "Site '{{site}}' (VMIDs {{expected}}) has no row in the DEVICE_IDENTITY Proxmox VMID Ranges table.",
    identityTableMissing: 'DEVICE_IDENTITY_SSOT.md has no "Proxmox VMID Ranges" table (columns Range, Location) although infra.placement.policy defines VMID ranges.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('infra.placement.policy')) return;
    const policy = placementPolicy(ws);
    if (policy.status !== 'loaded') return;
    const sites: { site: PlacementSite; range: [number, number] }[] = [];
    for (const site of policy.sites.values()) {
      const min = optNumber(site.vmid_min);
      const max = optNumber(site.vmid_max);
      if (min !== undefined && max !== undefined && Number.isInteger(min) && Number.isInteger(max)) sites.push({ site, range: [min, max] });
    }
    if (sites.length === 0) return;

    if (ws.exists('topology.sites')) {
      const topo = topologySites(ws).sites;
      for (const { site, range } of sites) {
        const t = topo.find((x) => x.id === site.name) ?? topo.find((x) => x.raw.proxmox_alias !== undefined && (site.proxmox_hosts ?? []).includes(String(x.raw.proxmox_alias)));
        // A topology site without vmid_range is site-topology-parity's (D173) finding.
        if (!t || t.vmidRange === undefined) continue;
        const actual = parseRange(t.vmidRange);
        if (!actual || actual[0] !== range[0] || actual[1] !== range[1])
          ctx.report({ messageId: 'topologyMismatch', data: { site: site.name, actual: t.vmidRange, expected: show(range) }, file: 'topology.sites', pointer: `${t.pointer}/vmid_range` });
      }
    }

    if (ws.exists('DEVICE_IDENTITY')) {
      const di = deviceIdentity(ws);
      if (di.status !== 'loaded') return;
      const table = di.vmidRanges;
      if (!table) {
        ctx.report({ messageId: 'identityTableMissing', file: di.file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
        return;
      }
      for (const { site, range } of sites) {
        const row = table.rows.find((r) => {
          const words = (r.values.location ?? '').split(/[^A-Za-z0-9_.-]+/).filter((w) => w !== '');
          return words.some((w) => (site.proxmox_hosts ?? []).includes(w)) || words.includes(site.name);
        });
        if (!row) {
          ctx.report({ messageId: 'identityMissing', data: { site: site.name, expected: show(range) }, file: policy.file, pointer: `${site.pointer}/vmid_min` });
          continue;
        }
        const actual = parseRange(row.values.range);
        if (!actual || actual[0] !== range[0] || actual[1] !== range[1])
          ctx.report({
            messageId: 'identityMismatch',
            data: { site: site.name, location: row.values.location ?? null, actual: row.values.range ?? null, expected: show(range) },
            file: di.file,
            pointer: row.cells.range?.pointer ?? row.pointer,
          });
      }
    }
  },
});
