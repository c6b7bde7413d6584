import type { CheckContext, Workspace } from '@spine-lint/core';
import type { LifecycleVm } from '../vmLifecycle.js';

/**
 * The gates' "active shop VM" filter (D69, D258, D262): `status == active`, `site_scope // "shop" != home`,
 * `proxmox_host == pve`.
 */
export const isActiveShopVm = (vm: LifecycleVm): boolean => vm.status === 'active' && (vm.site_scope ?? 'shop') !== 'home' && vm.proxmox_host === 'pve';

/** D259's filter: like {@link isActiveShopVm} but for status `registered` or `active`. */
export const isOnboardedShopVm = (vm: LifecycleVm): boolean => (vm.status === 'active' || vm.status === 'registered') && (vm.site_scope ?? 'shop') !== 'home' && vm.proxmox_host === 'pve';

/** A VM's label in messages: `215 (surveillance-stack)`. */
export const vmLabel = (vm: LifecycleVm): string => `${vm.id ?? 'null'}`;

/**
 * Report every binding of `names` that does not exist, with `messageId` (data `{ file }`), and return
 * whether all exist. The reference gates stop on the first missing input; we report each one.
 */
export function requireFiles<M extends string>(ctx: CheckContext<M>, messageId: M, names: readonly string[], stopAtFirst = true): boolean {
  let ok = true;
  for (const name of names) {
    if (ctx.workspace.exists(name)) continue;
    ok = false;
    ctx.report({ messageId, data: { file: ctx.workspace.pathOf(name) }, file: name });
    if (stopAtFirst) return false;
  }
  return ok;
}

/** Does the file exist (by binding name or path)? */
export const has = (ws: Workspace, name: string): boolean => ws.exists(name);
