import { defineCheck, replaceCellFix, replaceValueFix, type Fix } from '@spine-lint/core';
import { deviceIdentity } from '../bindings/deviceIdentity.js';
import { requireFiles } from '../bindings/drift/common.js';
import { vmLifecycle } from '../bindings/vmLifecycle.js';
import { isAddressText } from '../shared/tailscale.js';
import { sameRootPath } from '../bindings/util.js';

/**
 * D100 vm-ip-parity-lock (spec §2.16): every active VM's LAN IP is recorded in the human SSOTs — shop
 * VMs in the DEVICE_IDENTITY "Shop VM LAN IPs" table, home VMs in MINILAB_SSOT.md.
 */
export default defineCheck({
  id: 'vm-ip-parity',
  aliases: ['D100'],
  title: 'VM LAN IP parity',
  description:
    'Each active pve VM with a lan_ip has a row in the DEVICE_IDENTITY "Shop VM LAN IPs" table (Canonical Name column) with the same LAN IP; each active ' +
    'home VM lan_ip appears in MINILAB_SSOT.md. The lifecycle binding is the one vm.lifecycle.contract.yaml names as canonical.',
  severity: 'error',
  kind: 'static',
  reads: ['vm.lifecycle.contract', 'vm.lifecycle', 'DEVICE_IDENTITY', 'MINILAB_SSOT'],
  fixHint: 'Add or correct the VM row in DEVICE_IDENTITY_SSOT.md "Shop VM LAN IPs" (or MINILAB_SSOT.md for home VMs).',
  ports: 'surfaces/verify/d100-vm-ip-parity-lock.sh',
  messages: {
    missingFile: 'Required binding {{file}} does not exist.',
    canonicalElsewhere: "vm.lifecycle.contract.yaml canonical is '{{canonical}}' but the layout reads {{file}}; point the layout (paths: vm.lifecycle) at it.",
    notInTable: '{{host}} ({{ip}}) — not found in DEVICE_IDENTITY_SSOT.md Shop VM table.',
    ipMismatch: '{{host}}: vm.lifecycle={{ip}} vs SSOT={{actual}}.',
    homeNotFound: 'home/{{host}}: {{ip}} not found in MINILAB_SSOT.md.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['vm.lifecycle.contract'])) return;
    const canonical = ws.yaml('vm.lifecycle.contract')?.value as { canonical?: unknown } | undefined;
    if (typeof canonical?.canonical === 'string' && !sameRootPath(canonical.canonical, ws.pathOf('vm.lifecycle'))) {
      ctx.report({ messageId: 'canonicalElsewhere', data: { canonical: canonical.canonical, file: ws.pathOf('vm.lifecycle') }, file: 'vm.lifecycle.contract', pointer: '/canonical' });
      return;
    }
    if (!requireFiles(ctx, 'missingFile', ['vm.lifecycle', 'DEVICE_IDENTITY'])) return;
    const lifecycle = vmLifecycle(ws);
    const table = deviceIdentity(ws).shopVmLanIps;
    const minilab = ws.text('MINILAB_SSOT');
    // The first table row per canonical name (the lookup the per-VM `rows.find` did).
    const rowByName = new Map<string, NonNullable<typeof table>['rows'][number]>();
    for (const r of table?.rows ?? []) if (r.values.canonicalName !== undefined && !rowByName.has(r.values.canonicalName)) rowByName.set(r.values.canonicalName, r);
    for (const vm of lifecycle.vms) {
      if (vm.status !== 'active' || vm.lan_ip === undefined || vm.hostname === undefined) continue;
      const data = { host: vm.hostname, vmid: vm.id ?? null, ip: vm.lan_ip };
      if (vm.proxmox_host === 'pve') {
        const row = rowByName.get(vm.hostname);
        if (!row) ctx.report({ messageId: 'notInTable', data, file: lifecycle.file, pointer: `${vm.pointer}/lan_ip` });
        else if (row.values.lanIp !== vm.lan_ip) {
          // Which side is right is a decision (the VM may have moved, or the table is stale): a suggestion per side.
          const cell = row.cells.lanIp;
          const suggestions = [
            cell && replaceCellFix(ws, 'DEVICE_IDENTITY', cell, vm.lan_ip, `set the DEVICE_IDENTITY_SSOT.md LAN IP of '${vm.hostname}' to ${vm.lan_ip} (as ${ws.pathOf(lifecycle.file)} says)`),
            row.values.lanIp !== undefined && isAddressText(row.values.lanIp)
              ? replaceValueFix(ws, lifecycle.file, `${vm.pointer}/lan_ip`, row.values.lanIp, `set the lan_ip of VM '${vm.hostname}' to ${row.values.lanIp} (as DEVICE_IDENTITY_SSOT.md says)`)
              : undefined,
          ].filter((f): f is Fix => f !== undefined);
          ctx.report({ messageId: 'ipMismatch', data: { ...data, actual: row.values.lanIp ?? null }, file: 'DEVICE_IDENTITY', pointer: `${row.pointer}/2`, suggestions });
        }
      } else if (minilab !== undefined && !minilab.includes(vm.lan_ip)) {
        ctx.report({ messageId: 'homeNotFound', data, file: lifecycle.file, pointer: `${vm.pointer}/lan_ip` });
      }
    }
  },
});
