import type { MarkdownCell, MarkdownTable, Workspace } from '@spine-lint/core';
import { memoised, type BindingBase } from './util.js';

/** A row of a DEVICE_IDENTITY table: cells by our field names, each with its value and pointer. */
export interface IdentityRow<F extends string> {
  readonly pointer: string;
  readonly line: number;
  readonly cells: Readonly<Record<F, MarkdownCell | undefined>>;
  /** Normalised values (backticks stripped, `—`/empty → undefined). */
  readonly values: Readonly<Record<F, string | undefined>>;
}

export interface IdentityTable<F extends string> {
  readonly heading: string;
  readonly pointer: string;
  readonly rows: readonly IdentityRow<F>[];
}

/** The machine-relevant tables of DEVICE_IDENTITY_SSOT.md (spec §1.7), found by heading prefix + header names. */
export interface DeviceIdentityView extends BindingBase {
  /** `### Tailscale Host Table` — Host · Tailscale IP · Location · Role. */
  readonly tailscaleHosts: IdentityTable<'host' | 'tailscaleIp' | 'location' | 'role'> | undefined;
  /** `### Shop VM LAN IPs` — VM · Canonical Name · LAN IP · VMID · MAC · Notes. */
  readonly shopVmLanIps: IdentityTable<'vm' | 'canonicalName' | 'lanIp' | 'vmid' | 'mac' | 'notes'> | undefined;
  /** `### LAN Endpoints` — Location · Canonical Name · LAN IP · Purpose. */
  readonly lanEndpoints: IdentityTable<'location' | 'canonicalName' | 'lanIp' | 'purpose'> | undefined;
  /** `### Proxmox VMID Ranges` — Range · Location · Purpose. */
  readonly vmidRanges: IdentityTable<'range' | 'location' | 'purpose'> | undefined;
}

/** Heading prefix and `field → header name`, per table. */
export const DEVICE_IDENTITY_TABLES = {
  tailscaleHosts: { heading: 'Tailscale Host Table', columns: { host: 'Host', tailscaleIp: 'Tailscale IP', location: 'Location', role: 'Role' } },
  shopVmLanIps: {
    heading: 'Shop VM LAN IPs',
    columns: { vm: 'VM', canonicalName: 'Canonical Name', lanIp: 'LAN IP', vmid: 'VMID', mac: 'MAC', notes: 'Notes' },
  },
  lanEndpoints: { heading: 'LAN Endpoints', columns: { location: 'Location', canonicalName: 'Canonical Name', lanIp: 'LAN IP', purpose: 'Purpose' } },
  vmidRanges: { heading: 'Proxmox VMID Ranges', columns: { range: 'Range', location: 'Location', purpose: 'Purpose' } },
} as const;

/** Columns that must exist for a table to be recognised (MAC and Notes came later in history). */
const REQUIRED: Record<keyof typeof DEVICE_IDENTITY_TABLES, string[]> = {
  tailscaleHosts: ['Host', 'Tailscale IP'],
  shopVmLanIps: ['Canonical Name', 'LAN IP'],
  lanEndpoints: ['Canonical Name', 'LAN IP'],
  vmidRanges: ['Range', 'Location'],
};

function view<F extends string>(table: MarkdownTable | undefined, columns: Record<F, string>): IdentityTable<F> | undefined {
  if (!table) return undefined;
  const fields = Object.entries(columns) as [F, string][];
  return {
    heading: table.heading,
    pointer: table.pointer,
    rows: table.rows.map((row) => {
      const cells = {} as Record<F, MarkdownCell | undefined>;
      const values = {} as Record<F, string | undefined>;
      for (const [field, header] of fields) {
        const cell = row.cells[header];
        cells[field] = cell;
        values[field] = cell?.value ?? undefined;
      }
      return { pointer: row.pointer, line: row.line, cells, values };
    }),
  };
}

export const deviceIdentity = memoised((ws: Workspace): DeviceIdentityView => {
  const file = 'DEVICE_IDENTITY';
  if (!ws.exists(file)) return { file, status: 'absent', tailscaleHosts: undefined, shopVmLanIps: undefined, lanEndpoints: undefined, vmidRanges: undefined };
  const md = ws.markdown(file);
  const find = (key: keyof typeof DEVICE_IDENTITY_TABLES): MarkdownTable | undefined =>
    md?.table(DEVICE_IDENTITY_TABLES[key].heading, REQUIRED[key]) ??
    // Headings are matched by prefix after any `###` marks; tolerate a leading numbering or emoji-free variants.
    md?.tables.find((t) => t.heading.includes(DEVICE_IDENTITY_TABLES[key].heading) && REQUIRED[key].every((c) => t.headers.includes(c)));
  return {
    file,
    status: md ? 'loaded' : 'unparsed',
    tailscaleHosts: view(find('tailscaleHosts'), DEVICE_IDENTITY_TABLES.tailscaleHosts.columns),
    shopVmLanIps: view(find('shopVmLanIps'), DEVICE_IDENTITY_TABLES.shopVmLanIps.columns),
    lanEndpoints: view(find('lanEndpoints'), DEVICE_IDENTITY_TABLES.lanEndpoints.columns),
    vmidRanges: view(find('vmidRanges'), DEVICE_IDENTITY_TABLES.vmidRanges.columns),
  };
});
