import type { NamingHost, NamingPolicyView } from '../namingPolicy.js';

/** `surfaces.<s> == true` as the bash tested it (`[[ "$(yq …)" == "true" ]]`: boolean or string `true`). */
export const surfaceOn = (host: NamingHost, surface: string): boolean => String(host.surfaces[surface]) === 'true';

/** Tailscale device name → canonical host, from `allowed_exceptions[] {surface: tailscale_name}` (`immich-1` → `immich`). */
export function tailscaleNameAliases(view: NamingPolicyView): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of view.allowedExceptions) if (e.surface === 'tailscale_name' && e.actual && e.host) m.set(e.actual, e.host);
  return m;
}
