import { defineCheck } from '@spine-lint/core';
import { backupInventory } from '../bindings/backupInventory.js';
import { hostGraph } from '../bindings/hostGraph.js';
import { relocationPlan } from '../bindings/relocationPlan.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { coversVm } from '../shared/coverage.js';
import { NEEDS_TAILSCALE_IP } from '../shared/stateMachine.js';
import { isTailscaleIp } from '../shared/tailscale.js';

/**
 * The two static rows of `infra.vm.ready.status` (spec §2.12) for every VM target past `planned`:
 * `ssh_target_binding` and `backup_binding`; plus the Tailscale IP the state transition demands.
 */
export default defineCheck({
  id: 'vm-target-readiness-bindings',
  title: 'VM targets past planned have their readiness bindings',
  description:
    'Every relocation VM target that is not planned has an ssh.targets entry with a host (ssh_target_binding), a vzdump backup target for its vm_id ' +
    '(backup_binding), and — once ready/cutover/complete — a Tailscale IP in 100.64.0.0/10.',
  severity: 'error',
  kind: 'static',
  // ssh targets are matched through the host graph, which joins host spellings across all of these
  // (a vm.lifecycle ssh_target or a naming.policy exception makes an alias)
  reads: [
    'infra.relocation.plan',
    'ssh.targets',
    'backup.inventory',
    'vm.lifecycle',
    'naming.policy',
    'SERVICE_REGISTRY',
    'services.health',
    'docker.compose.targets',
    'infra.placement.policy',
    'DEVICE_IDENTITY',
  ],
  ports: 'ops/plugins/infra/bin/infra-vm-ready-status (rows ssh_target_binding, backup_binding)',
  fixHint: 'Add the VM to ssh.targets.yaml and a vzdump-qemu-<vmid>-* target to backup.inventory.yaml (runbook step 2); record its Tailscale IP in the manifest.',
  messages: {
    sshTargetBinding: "ssh_target_binding FAIL: {{target}} missing in ssh.targets.yaml (vm target status '{{status}}')",
    sshTargetNoHost: "ssh_target_binding FAIL: ssh.targets entry '{{target}}' has no host (vm target status '{{status}}')",
    vmIdMissing: "vm target '{{target}}' ({{status}}) has no vm_id: backup_binding cannot be checked",
    backupBinding: "backup_binding FAIL: no backup target matching vm_id={{vmId}} (vm target '{{target}}', status '{{status}}')",
    tailscaleIpMissing: "vm target '{{target}}' is '{{status}}' but has no tailscale_ip (required for ready/cutover/complete)",
    tailscaleIpInvalid: "vm target '{{target}}' tailscale_ip '{{ip}}' is not a Tailscale address (100.64.0.0/10)",
  },
  run(ctx) {
    const ws = ctx.workspace;
    const plan = relocationPlan(ws);
    if (plan.status !== 'loaded') return;
    const ssh = sshTargets(ws);
    const backup = backupInventory(ws);
    const graph = hostGraph(ws);
    for (const t of plan.vmTargets) {
      const status = t.status ?? 'null';
      if (status === 'planned') continue;
      const target = t.hostname ?? `vm_targets[${t.index}]`;
      const data = { target, status };
      if (ssh.status !== 'absent') {
        const entry = t.hostname === undefined ? undefined : ssh.targets.find((s) => s.id !== undefined && graph.resolve(s.id) === graph.resolve(t.hostname!));
        if (!entry) ctx.report({ messageId: 'sshTargetBinding', data, file: plan.file, pointer: `${t.pointer}/hostname` });
        else if (!entry.host) ctx.report({ messageId: 'sshTargetNoHost', data, file: ssh.file, pointer: entry.pointer });
      }
      if (t.vm_id === undefined || !/^\d+$/.test(t.vm_id)) {
        ctx.report({ messageId: 'vmIdMissing', data, file: plan.file, pointer: `${t.pointer}/vm_id` });
      } else if (backup.status !== 'absent' && !backup.targets.some((b) => coversVm(b, t.vm_id!))) {
        ctx.report({ messageId: 'backupBinding', data: { ...data, vmId: t.vm_id }, file: plan.file, pointer: `${t.pointer}/vm_id` });
      }
      if (t.tailscale_ip !== undefined && !isTailscaleIp(t.tailscale_ip)) {
        ctx.report({ messageId: 'tailscaleIpInvalid', data: { ...data, ip: t.tailscale_ip }, file: plan.file, pointer: `${t.pointer}/tailscale_ip` });
      } else if (t.tailscale_ip === undefined && NEEDS_TAILSCALE_IP.includes(status)) {
        ctx.report({ messageId: 'tailscaleIpMissing', data, file: plan.file, pointer: `${t.pointer}/tailscale_ip` });
      }
    }
  },
});
