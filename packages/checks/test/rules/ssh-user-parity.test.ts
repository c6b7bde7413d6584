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
        { messageId: 'mismatch', data: { host: 'immich', registry: 'ubuntu', actual: 'ronny' }, line: 4, column: 15 },
        { messageId: 'mismatch', data: { host: 'pve', actual: 'root' }, line: 7, column: 15 },
      ],
    },
  ],
});
