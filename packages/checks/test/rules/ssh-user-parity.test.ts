import check from '../../src/rules/ssh-user-parity.js';
import { checkTester } from '../support/checkTester.js';

const ssh = 'ssh:\n  defaults:\n    user: root\n  targets:\n    - id: immich\n      user: ronny\n    - id: pve\n';
const reg = (a: string, b = 'root') => `hosts:\n  immich:\n    ssh: immich\n    ssh_user: ${a}\n  pve:\n    ssh: pve\n    ssh_user: ${b}\n`;

checkTester(check, {
  valid: [{ name: 'users agree (defaults apply)', files: { 'ssh.targets': ssh, SERVICE_REGISTRY: reg('ronny') } }],
  invalid: [
    {
      name: 'immich: ubuntu vs ronny (the HEAD drift)',
      files: { 'ssh.targets': ssh, SERVICE_REGISTRY: reg('ubuntu', 'admin') },
      errors: [
        {
          messageId: 'mismatch',
          data: { host: 'immich', registry: 'ubuntu', actual: 'ronny' },
          line: 4,
          column: 15,
          // Which side is right is a decision: two suggestions, no fix.
          suggestions: [
            { description: "set SERVICE_REGISTRY ssh_user of 'immich' to 'ronny' (as ssh.targets says)", output: { SERVICE_REGISTRY: reg('ronny', 'admin') } },
            { description: "set the user of ssh target 'immich' to 'ubuntu' (as SERVICE_REGISTRY says)", output: { 'ssh.targets': ssh.replace('user: ronny', 'user: ubuntu') } },
          ],
        },
        {
          messageId: 'mismatch',
          data: { host: 'pve', actual: 'root' },
          line: 7,
          column: 15,
          // pve takes the shared default user: only the registry side is offered.
          suggestions: [{ description: "set SERVICE_REGISTRY ssh_user of 'pve' to 'root' (as ssh.targets says)", output: { SERVICE_REGISTRY: reg('ubuntu', 'root') } }],
        },
      ],
    },
  ],
});
