import { defineCheck } from '@spine-lint/core';
import { backupInventory } from '../bindings/backupInventory.js';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { groupBy } from '../bindings/util.js';

/**
 * Keyed arrays have unique keys (spec §6.1 #3). The bash gates look items up with
 * `select(.key == "x")`, which returns every duplicate and compares multi-line strings.
 */
export default defineCheck({
  id: 'relocation-unique-ids',
  title: 'Relocation ids are unique',
  description: 'No duplicate services[].service, vm_targets[].hostname or vm_targets[].vm_id in the relocation manifest, no duplicate ssh.targets[].id, no duplicate backup.inventory targets[].name.',
  severity: 'error',
  kind: 'static',
  reads: ['infra.relocation.plan', 'ssh.targets', 'backup.inventory'],
  fixHint: 'Merge the duplicate entries or rename one: every gate that looks the id up sees both and misbehaves.',
  messages: {
    duplicate: "duplicate {{field}} '{{id}}' (first at {{first}}): gates that look it up get both entries",
  },
  run(ctx) {
    const ws = ctx.workspace;
    const check = <T extends { pointer: string; index: number }>(file: string, path: string, field: string, items: readonly T[], key: (item: T) => string | undefined): void => {
      for (const [id, group] of groupBy(items, key)) {
        if (group.length < 2) continue;
        const first = `${path}[${group[0]!.index}]`;
        for (const dup of group.slice(1)) {
          ctx.report({ messageId: 'duplicate', data: { field: `${path}[].${field}`, id, first }, file, pointer: `${dup.pointer}/${field}` });
        }
      }
    };
    const plan = relocationPlan(ws);
    check(plan.file, 'services', 'service', plan.services, (s) => s.service);
    check(plan.file, 'vm_targets', 'hostname', plan.vmTargets, (t) => t.hostname);
    check(plan.file, 'vm_targets', 'vm_id', plan.vmTargets, (t) => (t.vm_id === undefined ? undefined : String(Number(t.vm_id)) === t.vm_id.trim() ? t.vm_id.trim() : t.vm_id));
    const ssh = sshTargets(ws);
    check(ssh.file, 'ssh.targets', 'id', ssh.targets, (t) => t.id);
    const backup = backupInventory(ws);
    check(backup.file, 'targets', 'name', backup.targets, (t) => t.name);
  },
});
