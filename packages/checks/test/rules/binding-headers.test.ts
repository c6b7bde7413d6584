import check from '../../src/rules/binding-headers.js';
import { checkTester } from '../support/checkTester.js';

const now = new Date('2026-03-06T10:51:47Z');

checkTester(check, {
  valid: [
    {
      name: 'the three header styles',
      now,
      files: {
        'ssh.targets': '# SSH Targets Binding (SSOT)\n# Status: authoritative\n# Last verified: 2026-03-05\nssh: {}\n',
        'services.health': '# Status: projection\n# authority_state: projection\n# Last verified: 2026-03-01\nversion: 1\n',
        'topology.sites': 'status: authoritative\nowner: "@ronny"\nlast_verified: 2026-02-23\nsites: []\n',
        'vm.lifecycle': '# Status: authoritative\nversion: 1\nupdated: "2026-02-28T00:00:00Z"\nvms: []\n',
        'naming.policy': '# Status: authoritative\nupdated_at: "2026-02-28"\nhosts: []\n',
        DEVICE_IDENTITY: '---\nstatus: authoritative\nowner: "@ronny"\nlast_verified: 2026-02-21\n---\n# Device identity\n',
        'some/other.yaml': 'no: header\n',
      },
    },
    { name: 'statuses from options', now, options: { statuses: ['authoritative', 'projection', 'draft'] }, files: { 'ssh.targets': '# Status: draft\n# Last verified: 2026-03-01\nssh: {}\n' } },
  ],
  invalid: [
    {
      name: 'no status, no date (gate.registry style); a Markdown file without front matter',
      now,
      files: {
        'gate.registry': "schema_version: '1.0'\n# gate_metadata_authority: authoritative\ngates: []\n",
        DEVICE_IDENTITY: '# Device identity\n> Last Verified: February 21, 2026\n',
      },
      errors: [
        { messageId: 'missingDate', data: { file: 'docs/governance/DEVICE_IDENTITY_SSOT.md' }, line: 1, column: 1 },
        { messageId: 'missingStatus', data: { file: 'docs/governance/DEVICE_IDENTITY_SSOT.md' }, line: 1, column: 1 },
        { messageId: 'missingDate', data: { file: 'ops/bindings/gate.registry.yaml' }, line: 1, column: 1 },
        { messageId: 'missingStatus', data: { file: 'ops/bindings/gate.registry.yaml', binding: 'gate.registry' }, line: 1, column: 1 },
      ],
    },
    {
      name: 'unknown status value; dates that do not parse or lie in the future',
      now,
      files: {
        'ssh.targets': '# Status: current\n# Last verified: March 5, 2026\nssh: {}\n',
        'infra.placement.policy': '# Status: authoritative\n# Last verified: 2026-02-13\nversion: 1\nupdated_at: "2026-13-01"\n',
        DEVICE_IDENTITY: '---\nstatus: draft\nlast_verified: 2027-01-01\n---\n',
      },
      errors: [
        { messageId: 'invalidStatus', data: { file: 'docs/governance/DEVICE_IDENTITY_SSOT.md', source: 'status:', status: 'draft', allowed: 'authoritative, projection' }, line: 2, column: 9 },
        { messageId: 'futureDate', data: { source: 'last_verified:', date: '2027-01-01', now: '2026-03-06' }, line: 3, column: 16, endColumn: 26 },
        { messageId: 'unparsableDate', data: { file: 'ops/bindings/infra.placement.policy.yaml', source: 'updated_at:', date: '2026-13-01' }, line: 4, column: 13 },
        { messageId: 'invalidStatus', data: { file: 'ops/bindings/ssh.targets.yaml', source: '# Status:', status: 'current' }, line: 1, column: 11, endColumn: 18 },
        { messageId: 'unparsableDate', data: { source: '# Last verified:', date: 'March 5, 2026' }, line: 2, column: 18, endColumn: 31 },
      ],
    },
  ],
});
