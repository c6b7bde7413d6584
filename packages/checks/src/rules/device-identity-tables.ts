import { defineCheck } from '@spine-lint/core';
import { deviceIdentity } from '../bindings/deviceIdentity.js';
import { namingPolicy } from '../bindings/namingPolicy.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { groupBy } from '../bindings/util.js';
import { vmLifecycle, type LifecycleVm } from '../bindings/vmLifecycle.js';

/** D100's condition: its ipMismatch already covers the LAN IP of these rows. */
const coveredByD100 = (vm: LifecycleVm): boolean => vm.status === 'active' && vm.proxmox_host === 'pve';

/**
 * New check (spec §1.7, §5; runbook Step 7): the machine-relevant DEVICE_IDENTITY tables agree with the
 * bindings — the Tailscale Host Table with ssh.targets `tailscale_ip` (Tailscale names joined through
 * naming.policy `allowed_exceptions` of surface `tailscale_name`), the Shop VM LAN IPs table with vm.lifecycle.
 */
export default defineCheck({
  id: 'device-identity-tables',
  title: 'DEVICE_IDENTITY tables agree with the bindings',
  description:
    'Every ssh target with a tailscale_ip has a row in the DEVICE_IDENTITY "Tailscale Host Table" (by id, or by its approved naming.policy tailscale_name) ' +
    'with the same IP; every "Shop VM LAN IPs" row names a current vm.lifecycle VM with the same VMID and LAN IP.',
  severity: 'error',
  kind: 'static',
  reads: ['DEVICE_IDENTITY', 'ssh.targets', 'naming.policy', 'vm.lifecycle'],
  fixHint: 'Update DEVICE_IDENTITY_SSOT.md from the bindings: add the missing Tailscale Host Table row (or a naming.policy tailscale_name exception), and correct the IP/VMID cells.',
  messages: {
    missingTable: 'DEVICE_IDENTITY_SSOT.md has no "{{table}}" table (a ### heading starting with it, with columns {{columns}}).',
    missingTailscaleRow: "ssh target '{{host}}' (tailscale_ip {{ip}}) is missing from the DEVICE_IDENTITY Tailscale Host Table.",
    tailscaleIpMismatch: "Tailscale Host Table row '{{name}}' has {{actual}} but ssh.targets '{{host}}' tailscale_ip is {{ip}}.",
    unknownVm: "Shop VM LAN IPs row '{{host}}' (VMID {{vmid}}) names no VM in vm.lifecycle.",
    decommissionedVm: "Shop VM LAN IPs row '{{host}}' names VM {{vmid}}, which vm.lifecycle marks {{status}}.",
    vmidMismatch: "Shop VM LAN IPs row '{{host}}' has VMID {{actual}} but vm.lifecycle has id {{vmid}}.",
    lanIpMismatch: "Shop VM LAN IPs row '{{host}}' has LAN IP {{actual}} but vm.lifecycle VM {{vmid}} (status {{status}}) has lan_ip {{ip}}.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('DEVICE_IDENTITY')) return;
    const di = deviceIdentity(ws);
    if (di.status !== 'loaded') return;
    const file = di.file;

    if (ws.exists('ssh.targets') && sshTargets(ws).status === 'loaded') {
      const ssh = sshTargets(ws);
      const table = di.tailscaleHosts;
      if (!table) {
        ctx.report({ messageId: 'missingTable', data: { table: 'Tailscale Host Table', columns: 'Host, Tailscale IP' }, file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
      } else {
        const aliases = new Map<string, string>();
        if (ws.exists('naming.policy')) for (const e of namingPolicy(ws).allowedExceptions) if (e.surface === 'tailscale_name' && e.actual && e.host) aliases.set(e.actual, e.host);
        const listed = new Set<string>();
        for (const row of table.rows) {
          const name = row.values.host;
          if (name === undefined) continue;
          const host = aliases.get(name) ?? name;
          listed.add(host);
          const target = ssh.get(host);
          if (target?.tailscale_ip === undefined) continue;
          const actual = row.values.tailscaleIp;
          if (actual !== target.tailscale_ip)
            ctx.report({ messageId: 'tailscaleIpMismatch', data: { host, name, ip: target.tailscale_ip, actual: actual ?? null }, file, pointer: row.cells.tailscaleIp?.pointer ?? row.pointer });
        }
        for (const t of ssh.targets) {
          if (t.id === undefined || t.tailscale_ip === undefined || listed.has(t.id)) continue;
          ctx.report({ messageId: 'missingTailscaleRow', data: { host: t.id, ip: t.tailscale_ip }, file: ssh.file, pointer: `${t.pointer}/tailscale_ip` });
        }
      }
    }

    if (ws.exists('vm.lifecycle') && vmLifecycle(ws).status === 'loaded') {
      const vms = vmLifecycle(ws).vms;
      const table = di.shopVmLanIps;
      if (!table) {
        ctx.report({ messageId: 'missingTable', data: { table: 'Shop VM LAN IPs', columns: 'Canonical Name, LAN IP' }, file, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
        return;
      }
      const vmsByHostname = groupBy(vms, (v) => v.hostname);
      for (const row of table.rows) {
        const host = row.values.canonicalName;
        if (host === undefined) continue;
        const vmidText = row.values.vmid;
        const vmid = vmidText !== undefined && /^\d+$/.test(vmidText) ? Number(vmidText) : undefined;
        const candidates = vmsByHostname.get(host) ?? [];
        const nameCell = row.cells.canonicalName?.pointer ?? row.pointer;
        if (candidates.length === 0) {
          // A row without a VMID is a hypervisor or appliance (`pve`), not a VM.
          if (vmidText !== undefined) ctx.report({ messageId: 'unknownVm', data: { host, vmid: vmidText }, file, pointer: nameCell });
          continue;
        }
        const current = candidates.filter((v) => v.status !== 'decommissioned' && v.status !== 'abandoned');
        const vm = candidates.find((v) => vmid !== undefined && v.id === vmid) ?? current[0] ?? candidates[0]!;
        const data = { host, vmid: vm.id ?? null, status: vm.status ?? null };
        if (vm.status === 'decommissioned' || vm.status === 'abandoned') {
          ctx.report({ messageId: 'decommissionedVm', data, file, pointer: nameCell });
          continue;
        }
        if (vmidText !== undefined && vm.id !== undefined && vmid !== vm.id)
          ctx.report({ messageId: 'vmidMismatch', data: { ...data, actual: vmidText }, file, pointer: row.cells.vmid?.pointer ?? row.pointer });
        const lan = row.values.lanIp;
        if (vm.lan_ip !== undefined && lan !== vm.lan_ip && !coveredByD100(vm))
          ctx.report({ messageId: 'lanIpMismatch', data: { ...data, ip: vm.lan_ip, actual: lan ?? null }, file, pointer: row.cells.lanIp?.pointer ?? row.pointer });
      }
    }
  },
});
