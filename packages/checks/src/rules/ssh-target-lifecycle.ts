import { defineCheck } from '@spine-lint/core';
import { sshTargetLifecycle } from '../bindings/drift/contracts.js';

/**
 * D281 ssh-target-lifecycle-lock (spec §2.16): a decommissioned ssh target id is no longer referenced
 * by any active surface listed in ssh.target.lifecycle.contract.yaml.
 */
export default defineCheck({
  id: 'ssh-target-lifecycle',
  aliases: ['D281'],
  title: 'Decommissioned ssh targets stay out of active surfaces',
  description:
    'For each decommissioned_targets[] id and each active_reference_surfaces[] file of ssh.target.lifecycle.contract.yaml, no non-comment line of the file ' +
    'mentions the id as a whole word (neighbours not [A-Za-z0-9_-]).',
  severity: 'error',
  kind: 'static',
  reads: ['ssh.target.lifecycle.contract'],
  // every file of active_reference_surfaces is searched for decommissioned targets
  readsListedIn: ['ssh.target.lifecycle.contract'],
  fixHint: 'Remove the decommissioned host from the surface (or, if it came back, from decommissioned_targets).',
  ports: 'surfaces/verify/d281-ssh-target-lifecycle-lock.sh',
  messages: {
    missingContract: 'Missing contract {{file}}.',
    referenced: "decommissioned target '{{target}}' referenced in {{file}} (line {{line}}).",
    missingSurface: 'missing active reference surface: {{file}} (listed in active_reference_surfaces) does not exist, so it cannot be checked for decommissioned targets.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('ssh.target.lifecycle.contract')) {
      ctx.report({ messageId: 'missingContract', data: { file: ws.pathOf('ssh.target.lifecycle.contract') }, file: 'ssh.target.lifecycle.contract' });
      return;
    }
    const contract = sshTargetLifecycle(ws);
    // The reference first reports every listed surface that is not a file (`[[ -f ]]`), then greps the others.
    for (const surface of contract.surfaces) {
      if (surface.value === '' || ws.exists(surface.value)) continue;
      ctx.report({
        messageId: 'missingSurface',
        data: { file: surface.value },
        file: 'ssh.target.lifecycle.contract',
        pointer: surface.pointer,
        hint: 'Restore the file, point the entry at the file that replaced it, or remove the entry from active_reference_surfaces.',
      });
    }
    for (const surface of contract.surfaces) {
      const text = surface.value === '' ? undefined : ws.text(surface.value);
      if (text === undefined) continue;
      const lines = text.split(/\r?\n/);
      for (const target of contract.decommissioned) {
        const escaped = target.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const re = new RegExp(`(^|[^A-Za-z0-9_-])(${escaped})([^A-Za-z0-9_-]|$)`);
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i]!;
          if (/^\s*#/.test(line)) continue;
          const m = re.exec(line);
          if (!m) continue;
          const col = m.index + m[1]!.length + 1;
          ctx.report({
            messageId: 'referenced',
            data: { target: target.value, file: surface.value, line: i + 1 },
            file: surface.value,
            range: { line: i + 1, column: col, endLine: i + 1, endColumn: col + target.value.length },
          });
          break;
        }
      }
    }
  },
});
