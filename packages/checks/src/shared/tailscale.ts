/**
 * What a Tailscale address is, for every check that asks: one definition, so that a check cannot
 * accept an address another one rejects.
 */
import type { SshTarget } from '../bindings/sshTargets.js';

/** 100.64.0.0/10, the CGNAT range Tailscale assigns from (dotted quad, each octet 0–255). */
export const isTailscaleIp = (ip: string | undefined): boolean => {
  const m = /^100\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip ?? '');
  return !!m && Number(m[1]) >= 64 && Number(m[1]) <= 127 && Number(m[2]) <= 255 && Number(m[3]) <= 255;
};

/** The Tailscale IP an ssh target declares: `tailscale_ip`, or `host` before the 03-01 LAN-first switch. */
export const sshTailscaleIp = (t: SshTarget | undefined): string | undefined => t?.tailscale_ip ?? (isTailscaleIp(t?.host) ? t?.host : undefined);

/** Whether a table cell holds an IP address (v4 dotted quad or v6), rather than a placeholder such as `TBD (VM 209)`. */
export const isAddressText = (text: string): boolean => {
  const v = text.replace(/^`|`$/g, '').trim();
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(v) || (v.includes(':') && /^[0-9a-f:.]+$/i.test(v));
};
