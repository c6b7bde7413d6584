import check from '../../src/rules/ssh-target-lifecycle.js';
import { checkTester } from '../support/checkTester.js';

const contract = `decommissioned_targets:
  - media-stack
  - vault
active_reference_surfaces:
  - ops/bindings/docker.compose.targets.yaml
  - surfaces/verify/verify-identity.sh
`;

checkTester(check, {
  valid: [
    {
      name: 'comments and longer ids do not count',
      files: {
        'ssh.target.lifecycle.contract': contract,
        'docker.compose.targets': '# media-stack was split\ntargets:\n  vaultwarden-home:\n    ssh_target: infra-core\n  media-stack-2:\n    ssh_target: x\n',
        'surfaces/verify/verify-identity.sh': '#!/usr/bin/env bash\n# vault was retired\nfor h in pve infra-core; do\n',
      },
    },
  ],
  invalid: [
    { name: 'missing contract', files: {}, errors: [{ messageId: 'missingContract', line: 1, column: 1 }] },
    {
      name: 'a listed surface that does not exist (the reference fails: missing active reference surface)',
      files: { 'ssh.target.lifecycle.contract': contract, 'docker.compose.targets': 'targets:\n  media:\n    ssh_target: download-stack\n' },
      errors: [
        {
          messageId: 'missingSurface',
          data: { file: 'surfaces/verify/verify-identity.sh' },
          file: 'ops/bindings/ssh.target.lifecycle.contract.yaml',
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 39,
        },
      ],
    },
    {
      name: 'decommissioned id in a surface',
      files: {
        'ssh.target.lifecycle.contract': contract,
        'docker.compose.targets': 'targets:\n  media:\n    ssh_target: media-stack\n',
        'surfaces/verify/verify-identity.sh': 'for h in pve vault; do\n',
      },
      errors: [
        { messageId: 'referenced', data: { target: 'media-stack', file: 'ops/bindings/docker.compose.targets.yaml' }, line: 3, column: 17, endColumn: 28 },
        { messageId: 'referenced', data: { target: 'vault', line: 1 }, line: 1, column: 14 },
      ],
    },
  ],
});
