import check from '../../src/rules/naming-consistency.js';
import { checkTester } from '../support/checkTester.js';

const naming = `hosts:
  - canonical_name: observability
    kind: vm
    surfaces:
      ssh_target: true
      placement: true
      compose_target: true
      device_identity: true
`;
const ok = {
  'naming.policy': naming,
  'ssh.targets': 'ssh:\n  targets:\n    - id: observability\n',
  'infra.placement.policy': 'hosts:\n  observability:\n    site: shop\n    kind: vm\n',
  'docker.compose.targets': 'targets:\n  observability:\n    ssh_target: observability\n',
  DEVICE_IDENTITY: '# Devices\n\n| Host | x |\n|---|---|\n| `observability` | y |\n',
};

checkTester(check, {
  valid: [{ name: 'present on every declared surface', files: ok }],
  invalid: [
    { name: 'naming.policy missing', files: {}, errors: [{ messageId: 'missingFile' }] },
    {
      name: 'missing on each surface; kind mismatch',
      files: {
        ...ok,
        'ssh.targets': 'ssh:\n  targets: []\n',
        'infra.placement.policy': 'hosts:\n  observability:\n    kind: lxc\n',
        'docker.compose.targets': 'targets: {}\n',
        DEVICE_IDENTITY: '# observability (not backticked)\n',
      },
      errors: [
        { messageId: 'kindMismatch', data: { host: 'observability', kind: 'vm', actual: 'lxc' }, line: 3, column: 11 },
        { messageId: 'missingSshTarget', line: 5, column: 19 },
        { messageId: 'missingComposeTarget', line: 7, column: 23 },
        { messageId: 'missingDeviceIdentity', line: 8, column: 24 },
      ],
    },
  ],
});
