import { defineCheck } from '@spine-lint/core';
import { composeTargets } from '../bindings/composeTargets.js';
import { requireFiles } from '../bindings/drift/common.js';
import { surfaceOn } from '../bindings/drift/naming.js';
import { namingPolicy } from '../bindings/namingPolicy.js';
import { placementPolicy } from '../bindings/placementPolicy.js';
import { sshTargets } from '../bindings/sshTargets.js';

/** D45 naming-consistency-lock (spec §2.16): every surface naming.policy declares for a host has it. */
export default defineCheck({
  id: 'naming-consistency',
  aliases: ['D45'],
  title: 'Naming consistency',
  description:
    'For each naming.policy host: surfaces.ssh_target ⇒ an ssh target with that id; surfaces.placement ⇒ an infra.placement.policy hosts entry with the ' +
    'same kind; surfaces.compose_target ⇒ a docker.compose.targets key; surfaces.device_identity ⇒ the backticked name in DEVICE_IDENTITY_SSOT.md.',
  severity: 'error',
  kind: 'static',
  reads: ['naming.policy', 'ssh.targets', 'infra.placement.policy', 'docker.compose.targets', 'DEVICE_IDENTITY'],
  fixHint: 'Register the host on the surface, or set that surface to false in naming.policy.',
  ports: 'surfaces/verify/d45-naming-consistency-lock.sh',
  messages: {
    missingFile: '{{file}} not found.',
    missingSshTarget: '{{host}}: missing from ssh.targets.yaml.',
    missingPlacement: '{{host}}: missing from infra.placement.policy.yaml.',
    kindMismatch: '{{host}}: kind mismatch — naming={{kind}}, placement={{actual}}.',
    missingComposeTarget: '{{host}}: missing from docker.compose.targets.yaml.',
    missingDeviceIdentity: '{{host}}: not found (backtick-quoted) in DEVICE_IDENTITY_SSOT.md.',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['naming.policy'])) return;
    const naming = namingPolicy(ws);
    const ssh = sshTargets(ws);
    const placement = placementPolicy(ws);
    const compose = composeTargets(ws);
    const inIdentity = backticked(ws.text('DEVICE_IDENTITY') ?? '');
    for (const h of naming.hosts) {
      const host = h.canonical_name;
      if (host === undefined) continue;
      const at = `${h.pointer}/surfaces`;
      if (surfaceOn(h, 'ssh_target') && !ssh.byId.has(host)) ctx.report({ messageId: 'missingSshTarget', data: { host }, file: naming.file, pointer: `${at}/ssh_target` });
      if (surfaceOn(h, 'placement')) {
        const p = placement.hosts.get(host);
        if (!p) ctx.report({ messageId: 'missingPlacement', data: { host }, file: naming.file, pointer: `${at}/placement` });
        else if (h.kind !== undefined && p.kind !== undefined && h.kind !== p.kind)
          ctx.report({ messageId: 'kindMismatch', data: { host, kind: h.kind, actual: p.kind }, file: naming.file, pointer: `${h.pointer}/kind` });
      }
      if (surfaceOn(h, 'compose_target') && !compose.targets.has(host)) ctx.report({ messageId: 'missingComposeTarget', data: { host }, file: naming.file, pointer: `${at}/compose_target` });
      if (surfaceOn(h, 'device_identity') && !inIdentity(host)) ctx.report({ messageId: 'missingDeviceIdentity', data: { host }, file: naming.file, pointer: `${at}/device_identity` });
    }
  },
});

/**
 * Whether `` `name` `` occurs in `text`, as `text.includes` says, without a scan per name: a name
 * without backticks occurs backticked exactly when it is the text between two consecutive backticks.
 */
function backticked(text: string): (name: string) => boolean {
  let spans: Set<string> | undefined;
  return (name) => {
    if (name.includes('`')) return text.includes(`\`${name}\``);
    if (!spans) {
      spans = new Set();
      for (let at = text.indexOf('`'), next = text.indexOf('`', at + 1); next !== -1; at = next, next = text.indexOf('`', at + 1)) spans.add(text.slice(at + 1, next));
    }
    return spans.has(name);
  };
}
