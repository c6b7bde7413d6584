import { defineCheck } from '@spine-lint/core';
import { isActiveShopVm, requireFiles } from '../bindings/drift/common.js';
import { workbenchSshAttach } from '../bindings/drift/contracts.js';
import { serviceRegistry } from '../bindings/serviceRegistry.js';
import { sshTargets } from '../bindings/sshTargets.js';
import { vmLifecycle } from '../bindings/vmLifecycle.js';
import { checkVmRegistration } from '../shared/vmRegistration.js';

const SPINE_BINDING = 'ops/bindings/ssh.targets.yaml';
const WORKBENCH_SSH_CONFIG = 'dotfiles/ssh/config.d/tailscale.conf';

/**
 * D258 ssh-lifecycle-cross-registry-parity-lock (spec §2.16): vm.lifecycle, ssh.targets and the
 * SERVICE_REGISTRY hosts agree on every active shop VM's ssh target, LAN IP and Tailscale IP.
 */
export default defineCheck({
  id: 'ssh-lifecycle-parity',
  aliases: ['D258'],
  title: 'SSH / VM lifecycle cross-registry parity',
  description:
    'For every active shop VM in vm.lifecycle: tailscale_ip and ssh_target are set, the ssh target exists with host == lan_ip, the same tailscale_ip and an ' +
    'access_policy, and SERVICE_REGISTRY hosts.<hostname> has the same tailscale_ip and ssh target. The workbench attach contract must anchor ssh.targets.',
  severity: 'error',
  kind: 'static',
  reads: ['ssh.targets', 'vm.lifecycle', 'SERVICE_REGISTRY', 'workbench.ssh.attach.contract'],
  fixHint: 'Make ssh.targets and the SERVICE_REGISTRY hosts entry agree with vm.lifecycle (the per-VM authority).',
  ports: 'surfaces/verify/d258-ssh-lifecycle-cross-registry-parity-lock.sh',
  messages: {
    missingFile: 'Required binding {{file}} is missing.',
    anchorMismatch: "workbench.ssh.attach.contract {{field}} must be '{{expected}}' (found {{actual}}).",
    missingField: '{{host}}: missing vm.lifecycle {{field}}.',
    missingSshTarget: "{{host}}: ssh_target '{{target}}' missing in ssh.targets.",
    lanIpMismatch: '{{host}}: LAN IP mismatch vm.lifecycle.lan_ip={{lifecycle}} ssh.targets.host={{actual}}.',
    tailscaleMismatch: '{{host}}: Tailscale IP mismatch vm.lifecycle={{lifecycle}} ssh.targets={{actual}}.',
    missingAccessPolicy: '{{host}}: ssh.targets missing access_policy for {{target}}.',
    missingRegistryHost: '{{host}}: missing SERVICE_REGISTRY hosts entry.',
    registryTailscaleMismatch: '{{host}}: tailscale mismatch vm.lifecycle={{lifecycle}} SERVICE_REGISTRY={{actual}}.',
    registrySshMismatch: '{{host}}: ssh target mismatch vm.lifecycle={{lifecycle}} SERVICE_REGISTRY={{actual}}.',
    noVmChecked: 'No active shop VM found in vm.lifecycle (nothing to check).',
  },
  run(ctx) {
    const ws = ctx.workspace;
    if (!requireFiles(ctx, 'missingFile', ['ssh.targets', 'vm.lifecycle', 'SERVICE_REGISTRY', 'workbench.ssh.attach.contract'])) return;
    const anchors = workbenchSshAttach(ws);
    if (anchors.spineBinding !== SPINE_BINDING)
      ctx.report({
        messageId: 'anchorMismatch',
        data: { field: 'spine_binding', expected: SPINE_BINDING, actual: anchors.spineBinding ?? null },
        file: 'workbench.ssh.attach.contract',
        pointer: '/spine_binding',
      });
    if (anchors.workbenchSshConfig !== WORKBENCH_SSH_CONFIG)
      ctx.report({
        messageId: 'anchorMismatch',
        data: { field: 'workbench_ssh_config', expected: WORKBENCH_SSH_CONFIG, actual: anchors.workbenchSshConfig ?? null },
        file: 'workbench.ssh.attach.contract',
        pointer: '/workbench_ssh_config',
      });

    const lifecycle = vmLifecycle(ws);
    const ssh = sshTargets(ws);
    const registry = serviceRegistry(ws);
    let checked = 0;
    for (const vm of lifecycle.vms) {
      if (!isActiveShopVm(vm)) continue;
      checked++;
      if (vm.hostname === undefined) {
        ctx.report({ messageId: 'missingField', data: { host: `vms[${vm.index}]`, field: 'hostname' }, file: lifecycle.file, pointer: vm.pointer });
        continue;
      }
      const host = vm.hostname;
      if (vm.tailscale_ip === undefined) ctx.report({ messageId: 'missingField', data: { host, field: 'tailscale_ip' }, file: lifecycle.file, pointer: vm.pointer });
      checkVmRegistration(
        ctx,
        vm,
        host,
        vm.tailscale_ip,
        { lifecycle, ssh, registry },
        {
          missingData: {},
          nameTarget: true,
          onSshTarget: (target) => {
            if (target.access_policy === undefined || target.access_policy === '')
              ctx.report({ messageId: 'missingAccessPolicy', data: { host, target: vm.ssh_target! }, file: ssh.file, pointer: target.pointer });
          },
        },
      );
    }
    if (checked === 0) ctx.report({ messageId: 'noVmChecked', file: lifecycle.file, pointer: '/vms' });
  },
});
