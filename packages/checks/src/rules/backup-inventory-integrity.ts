import { defineCheck } from '@spine-lint/core';
import { backupInventory } from '../bindings/backupInventory.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { asArray, asMap, optNumber } from '../bindings/util.js';

/**
 * Why a backup glob is malformed, or `undefined`. The glob is appended to `base_path` and expanded
 * unquoted on the remote host (`ls -1t -- $GLOB`, spec §6.3 #24), so whitespace splits it, an absolute
 * glob or a `..` segment escapes the base path, and an unbalanced `[`/`{` never matches what it says.
 */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'is empty';
  if (/\s/.test(glob)) return 'contains whitespace (the remote shell splits it into several words)';
  if (glob.startsWith('/')) return 'is absolute (it is relative to base_path)';
  if (glob.split('/').includes('..')) return "has a '..' segment (it must stay under base_path)";
  let bracket = -1;
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (bracket >= 0) {
      // `]` right after `[` or `[!` is a literal member of the class.
      if (ch === ']' && i > bracket + 1 && !(i === bracket + 2 && (glob[bracket + 1] === '!' || glob[bracket + 1] === '^'))) bracket = -1;
      continue;
    }
    if (ch === '[') bracket = i;
    else if (ch === '{') braces++;
    else if (ch === '}' && --braces < 0) return "has a '}' without '{'";
  }
  if (bracket >= 0) return "has a '[' that is never closed";
  if (braces > 0) return "has a '{' that is never closed";
  return undefined;
}

/**
 * New check (spec §1.2, §5): backup.inventory.yaml's internal references and the shape of its probes.
 * Verified clean at `a00cb7b7`, but no gate keeps it so.
 */
export default defineCheck({
  id: 'backup-inventory-integrity',
  title: 'Backup inventory integrity',
  description:
    'In backup.inventory.yaml: target names are unique; every runtime_units[].inventory_targets entry names a targets[].name; every target host is an ' +
    'ssh.targets id; stale_after_hours (defaults and per target) is a positive number; base_path is absolute and glob is a well-formed relative shell glob.',
  severity: 'error',
  kind: 'static',
  reads: ['backup.inventory', 'ssh.targets'],
  fixHint:
    'Point inventory_targets at existing target names, use ssh.targets ids as hosts, and give every target a positive stale_after_hours, an absolute base_path and a relative glob without spaces.',
  messages: {
    duplicateTarget: "Backup target name '{{target}}' is used more than once (first at targets[{{first}}]).",
    unknownInventoryTarget: "Runtime unit '{{unit}}' lists inventory target '{{target}}', which is not a targets[].name.",
    unknownHost: "Backup target '{{target}}' host '{{host}}' is not an ssh.targets id.",
    badStaleAfterHours: "Backup {{subject}} stale_after_hours '{{value}}' is not a positive number of hours.",
    badBasePath: "Backup target '{{target}}' base_path '{{path}}' is not an absolute path without whitespace.",
    malformedGlob: "Backup target '{{target}}' glob '{{glob}}' {{reason}}.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('backup.inventory')) return;
    const inv = backupInventory(ws);
    if (inv.status !== 'loaded') return;
    const file = inv.file;
    const root = asMap(ws.yaml(file)?.value);

    for (const [name, list] of inv.targetsByName)
      for (const dup of list.slice(1)) ctx.report({ messageId: 'duplicateTarget', data: { target: name, first: list[0]!.index }, file, pointer: `${dup.pointer}/name` });

    // inventory_targets: read the raw list so pointers keep the item's real index.
    asArray(root?.runtime_units)?.forEach((raw, u) => {
      const unit = inv.runtimeUnits[u];
      const list = asArray(asMap(raw)?.inventory_targets);
      list?.forEach((item, i) => {
        if (typeof item === 'string' && inv.targetsByName.has(item)) return;
        ctx.report({
          messageId: 'unknownInventoryTarget',
          data: { unit: unit?.unit_id ?? `runtime_units[${u}]`, host: unit?.hostname ?? null, target: typeof item === 'string' ? item : JSON.stringify(item) },
          file,
          pointer: `${unit!.pointer}/inventory_targets/${i}`,
        });
      });
    });

    const positive = (v: unknown): boolean => {
      const n = optNumber(v);
      return n !== undefined && n > 0;
    };
    const defaults = asMap(root?.defaults);
    if (defaults && 'stale_after_hours' in defaults && !positive(defaults.stale_after_hours))
      ctx.report({ messageId: 'badStaleAfterHours', data: { subject: 'defaults', value: String(defaults.stale_after_hours) }, file, pointer: '/defaults/stale_after_hours' });

    const ssh = ws.exists('ssh.targets') ? sshTargets(ws) : undefined;
    const checkHosts = ssh !== undefined && ssh.status === 'loaded';
    asArray(root?.targets)?.forEach((raw, i) => {
      const t = inv.targets[i]!;
      const m = asMap(raw);
      if (!m) return;
      const target = t.name ?? `targets[${i}]`;
      if (checkHosts && t.host !== undefined && !ssh.byId.has(t.host)) ctx.report({ messageId: 'unknownHost', data: { target, host: t.host }, file, pointer: `${t.pointer}/host` });
      if ('stale_after_hours' in m && !positive(m.stale_after_hours))
        ctx.report({ messageId: 'badStaleAfterHours', data: { subject: `target '${target}'`, target, value: String(m.stale_after_hours) }, file, pointer: `${t.pointer}/stale_after_hours` });
      if (typeof m.base_path === 'string' && (!m.base_path.startsWith('/') || /\s/.test(m.base_path)))
        ctx.report({ messageId: 'badBasePath', data: { target, path: m.base_path }, file, pointer: `${t.pointer}/base_path` });
      if (typeof m.glob === 'string') {
        const reason = globProblem(m.glob);
        if (reason) ctx.report({ messageId: 'malformedGlob', data: { target, glob: m.glob, reason }, file, pointer: `${t.pointer}/glob` });
      }
    });
  },
});
