import { defineCheck } from '@spine-lint/core';
import { changedVmTargets, relocationTransition, vmName } from '../shared/relocation.js';
import { NEEDS_TAILSCALE_IP, STATE_VM_STATUSES } from '../shared/stateMachine.js';
import { isTailscaleIp } from '../shared/tailscale.js';

/**
 * VM target status changes that leave the relocation state as it is (spec §3.2: the
 * state-transition capability called with the current state, `--target T --status S`). The status
 * has no order of its own; it must be one the current state accepts, a ready/cutover/complete VM
 * needs a Tailscale IP, and there must be a relocation to move it in. Edits that also move the
 * state are judged by relocation-state-transition.
 */
export default defineCheck({
  id: 'vm-target-status-transition',
  title: 'VM target status changes fit the relocation state',
  description:
    'Between the base revision and the head, a vm_targets[].status that changes (while the relocation state stays) must be accepted by the current ' +
    'relocation state (preflight: provisioned|ready|cutover|complete; cutover: ready|cutover|complete; cleanup/complete: cutover|complete), needs a ' +
    'Tailscale IP (100.x.x.x) for ready/cutover/complete, and needs an active relocation.',
  severity: 'error',
  kind: 'transition',
  reads: ['infra.relocation.plan'],
  ports: 'infra-relocation-state-transition',
  fixHint: 'Change a VM target status with `infra.relocation.state.transition --state <current> --target T --status S [--tailscale-ip IP]`.',
  messages: {
    statusForState: "vm target '{{target}}' status '{{from}}' → '{{to}}' is not accepted while the relocation state is '{{state}}' (accepted: {{allowed}})",
    noRelocation: "vm target '{{target}}' status '{{from}}' → '{{to}}' with no active relocation (the capability moves a VM status only within a relocation)",
    tailscaleIp: "vm target '{{target}}' status '{{to}}' requires a Tailscale IP (100.x.x.x); tailscale_ip is {{ip}}",
  },
  run(ctx) {
    const p = relocationTransition(ctx);
    if (!p) return;
    const { file: M, from, to } = p;
    const sameState = from === to && p.base.activeRelocation?.change_id === p.head.activeRelocation?.change_id;
    if (!sameState) return; // relocation-state-transition judges the VM target moved with the state
    for (const { target, from: before } of changedVmTargets(p.base, p.head)) {
      const status = target.status;
      if (status === undefined) continue;
      const data = { target: vmName(target), from: before ?? null, to: status };
      if (to === undefined) ctx.report({ messageId: 'noRelocation', data, file: M, pointer: `${target.pointer}/status` });
      else if (STATE_VM_STATUSES[to] && !STATE_VM_STATUSES[to]!.includes(status) && STATE_VM_STATUSES.planning!.includes(status)) {
        ctx.report({ messageId: 'statusForState', data: { ...data, state: to, allowed: STATE_VM_STATUSES[to]!.join('|') }, file: M, pointer: `${target.pointer}/status` });
      }
      if (NEEDS_TAILSCALE_IP.includes(status) && !isTailscaleIp(target.tailscale_ip)) {
        ctx.report({ messageId: 'tailscaleIp', data: { ...data, ip: target.tailscale_ip ?? null }, file: M, pointer: `${target.pointer}/tailscale_ip` });
      }
    }
  },
});
