/** Which VMs the backup inventory covers (a vzdump target per VM id): spec §2.12 `backup_binding`. */
import type { BackupTarget } from '../bindings/backupInventory.js';

/** A backup target that covers VM `vmid`: exact `qemu-<vmid>-` in the glob or a `vm-<vmid>` name (no substring matches). */
export const coversVm = (t: BackupTarget, vmid: string): boolean => new RegExp(`(^|[^0-9])qemu-${vmid}-`).test(t.glob ?? '') || new RegExp(`^vm-${vmid}(-|$)`).test(t.name ?? '');

/**
 * Every VM id some target covers in the sense of {@link coversVm}: `coveredVmIds(ts).has(id)` equals
 * `ts.some((t) => coversVm(t, id))` for an all-digit `id`, in one pass over the targets instead of two
 * regular expressions per target per VM.
 */
export function coveredVmIds(targets: readonly BackupTarget[]): Set<string> {
  const ids = new Set<string>();
  for (const t of targets) {
    for (const m of (t.glob ?? '').matchAll(/(?<![0-9])qemu-([0-9]+)-/g)) ids.add(m[1]!);
    const named = /^vm-([0-9]+)(?:-|$)/.exec(t.name ?? '');
    if (named) ids.add(named[1]!);
  }
  return ids;
}
