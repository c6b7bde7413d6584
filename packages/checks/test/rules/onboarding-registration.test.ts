import { describe, expect, it } from 'vitest';
import check from '../../src/rules/onboarding-registration.js';
import sshLifecycleParity from '../../src/rules/ssh-lifecycle-parity.js';
import { checkTester, runCase } from '../support/checkTester.js';

const lifecycle = (status = 'registered', ts = '100.120.163.70') => `vms:
  - id: 205
    hostname: observability
    proxmox_host: pve
    status: ${status}
    lan_ip: 192.168.1.205
    tailscale_ip: ${ts}
    ssh_target: observability
`;
const ssh = `ssh:
  targets:
    - id: observability
      host: "192.168.1.205"
      tailscale_ip: "100.120.163.70"
      access_policy: lan_first
`;
const registry = (services = '{}') => `services: ${services}
hosts:
  observability:
    tailscale_ip: 100.120.163.70
    ssh: observability
`;
const capacity = (ref = 'ops/bindings/backup.inventory.yaml') => `onboarding_capacity_contract:
  by_hostname:
    observability:
      capacity_lane: infra-shared
      capacity_budget_class: tier2-stateful
      retention_policy_ref: ${ref}
      reclaim_policy_ref: ops/bindings/infra.capacity.guard.policy.yaml#tiered_reclaim_policy.stateful
`;
const all = (o: Record<string, string> = {}) => ({
  'vm.lifecycle': lifecycle(),
  'ssh.targets': ssh,
  SERVICE_REGISTRY: registry(),
  'infra.capacity.guard.policy': capacity(),
  'backup.inventory': 'targets: []\n',
  ...o,
});

checkTester(check, {
  valid: [
    { name: 'registered VM with every registration', files: all() },
    { name: 'a planning VM is not checked, but one registered VM must exist', files: all({ 'vm.lifecycle': lifecycle() + lifecycle('planning').replace('vms:\n', '') }) },
  ],
  invalid: [
    {
      name: 'PENDING_TS_IP counts as missing',
      files: all({ 'vm.lifecycle': lifecycle('active', 'PENDING_TS_IP') }),
      errors: [{ messageId: 'missingField', data: { host: 'observability', field: 'tailscale_ip', status: 'active' }, line: 7, column: 19 }],
    },
    {
      name: 'the registry disagrees on the Tailscale IP: the shared comparison carries a suggestion per side (registry first: findings sort by file)',
      files: all({ 'vm.lifecycle': lifecycle('registered', '100.120.163.71') }),
      errors: [
        {
          messageId: 'registryTailscaleMismatch',
          line: 4,
          suggestions: [
            {
              description: "set SERVICE_REGISTRY tailscale_ip of 'observability' to 100.120.163.71 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { SERVICE_REGISTRY: registry().replace('100.120.163.70', '100.120.163.71') },
            },
            { description: "set the tailscale_ip of VM 'observability' to 100.120.163.70 (as SERVICE_REGISTRY says)", output: { 'vm.lifecycle': lifecycle() } },
          ],
        },
        {
          messageId: 'tailscaleMismatch',
          line: 5,
          suggestions: [
            {
              description: "set the tailscale_ip of ssh target 'observability' to 100.120.163.71 (as ops/bindings/vm.lifecycle.yaml says)",
              output: { 'ssh.targets': ssh.replace('100.120.163.70', '100.120.163.71') },
            },
            { description: "set the tailscale_ip of VM 'observability' to 100.120.163.70 (as ssh.targets says)", output: { 'vm.lifecycle': lifecycle() } },
          ],
        },
      ],
    },
    {
      name: 'capacity ref to a missing file',
      files: all({ 'infra.capacity.guard.policy': capacity('ops/bindings/nope.yaml#x') }),
      errors: [{ messageId: 'missingPolicyRef', data: { field: 'retention_policy_ref', ref: 'ops/bindings/nope.yaml#x' }, line: 6, column: 29 }],
    },
    {
      name: 'no capacity entry; active service on an unregistered host',
      files: all({
        'infra.capacity.guard.policy': 'onboarding_capacity_contract:\n  by_hostname: {}\n',
        SERVICE_REGISTRY: registry('\n  grafana:\n    host: ghost-host\n  old:\n    host: gone\n    status: stopped'),
      }),
      errors: [
        { messageId: 'serviceHostMissing', data: { service: 'grafana', host: 'ghost-host' }, line: 3, column: 11 },
        { messageId: 'missingCapacityEntry', data: { host: 'observability' }, line: 3, column: 15 },
      ],
    },
    { name: 'no VM to check', files: all({ 'vm.lifecycle': lifecycle('planning') }), errors: [{ messageId: 'noVmChecked', line: 2, column: 3 }] },
  ],
});

/**
 * One root cause, one owner: a missing `access_policy` on an active VM's ssh target is D258's
 * finding (ssh-lifecycle-parity), as in the reference gates; D259 checks the same target but does
 * not report it again.
 */
describe('a missing access_policy is reported by D258 only', () => {
  const files = all({
    'vm.lifecycle': lifecycle('active'),
    'ssh.targets': ssh.replace('      access_policy: lan_first\n', ''),
    'workbench.ssh.attach.contract': 'spine_binding: ops/bindings/ssh.targets.yaml\nworkbench_ssh_config: dotfiles/ssh/config.d/tailscale.conf\n',
  });
  it.each([
    ['D258', sshLifecycleParity, ['3:7 missingAccessPolicy observability: ssh.targets missing access_policy for observability.']],
    ['D259', check, []],
  ] as const)('%s', (_alias, subject, expected) => {
    expect(runCase(subject, { name: 'no access_policy', files }).map((d) => `${d.line}:${d.column} ${d.messageId} ${d.message}`)).toEqual(expected);
  });
  it('D259 has no message for it', () => {
    expect(Object.keys(check.messages)).not.toContain('missingAccessPolicy');
    expect(Object.keys(sshLifecycleParity.messages)).toContain('missingAccessPolicy');
  });
});
