import { defineCheck, replaceValueFix, type Fix } from '@spine-lint/core';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { sshTargets } from '../bindings/sshTargets.js';

/** New check (spec §6.5 #29): SERVICE_REGISTRY `hosts.*.ssh_user` agrees with the ssh target's `user`. */
export default defineCheck({
  id: 'ssh-user-parity',
  title: 'SSH user parity',
  description: 'Every SERVICE_REGISTRY host with an ssh_user names the same user as its ssh target (ssh.targets user, else ssh.defaults.user).',
  severity: 'error',
  kind: 'static',
  reads: ['SERVICE_REGISTRY', 'ssh.targets'],
  fixHint: 'Make SERVICE_REGISTRY hosts.<id>.ssh_user and ssh.targets user agree (ssh.targets is the SSH authority).',
  messages: {
    mismatch: "Host '{{host}}': SERVICE_REGISTRY ssh_user={{registry}} but ssh.targets '{{target}}' user={{actual}}.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!ws.exists('SERVICE_REGISTRY') || !ws.exists('ssh.targets')) return;
    const registry = serviceRegistry(ws);
    const ssh = sshTargets(ws);
    for (const h of registry.hosts.values()) {
      if (h.ssh_user === undefined || h.ssh === undefined) continue;
      const t = ssh.get(h.ssh);
      if (!t) continue;
      const user = t.user ?? ssh.defaults.user;
      if (user !== undefined && user !== h.ssh_user) {
        // Which side is right is a decision: two suggestions, never a fix. The ssh.targets side is
        // offered only when the target sets its own user (a default is shared by other targets).
        const toTarget = replaceValueFix(ws, registry.file, `${h.pointer}/ssh_user`, user, `set SERVICE_REGISTRY ssh_user of '${h.id}' to '${user}' (as ssh.targets says)`);
        const toRegistry =
          t.user === undefined ? undefined : replaceValueFix(ws, ssh.file, `${t.pointer}/user`, h.ssh_user, `set the user of ssh target '${h.ssh}' to '${h.ssh_user}' (as SERVICE_REGISTRY says)`);
        const suggestions = [toTarget, toRegistry].filter((f): f is Fix => f !== undefined);
        ctx.report({ messageId: 'mismatch', data: { host: h.id, registry: h.ssh_user, target: h.ssh, actual: user }, file: registry.file, pointer: `${h.pointer}/ssh_user`, suggestions });
      }
    }
  },
});
