import check from '../../src/rules/services-health-parity.js';
import { checkTester } from '../support/checkTester.js';

const header = '# authority_state: projection\n# projection_of: docs/governance/SERVICE_REGISTRY.yaml\n';
const health = (body: string, head = header) => `${head}endpoints:\n${body}`;
const ep = (id: string, host: string, extra = '') => `  - id: ${id}\n    host: ${host}\n    url: "http://192.168.1.205:9090/"\n${extra}`;
const files = (h: string) => ({
  'services.health': h,
  'ssh.targets': 'ssh:\n  targets:\n    - id: observability\n      host: "192.168.1.205"\n',
  SERVICE_REGISTRY: 'hosts:\n  mint-apps:\n    ssh: mint-apps\n',
});

checkTester(check, {
  valid: [
    { name: 'marked projection, hosts known (ssh id or registry host)', files: files(health(ep('prometheus', 'observability') + ep('files-api', 'mint-apps'))) },
    { name: 'a disabled endpoint may name an unknown host', files: files(health(ep('vaultwarden-home', 'vaultwarden-home', '    enabled: false\n'))) },
  ],
  invalid: [
    {
      name: 'markers missing (comment headers are read as raw text)',
      files: files(health(ep('prometheus', 'observability'), '# Status: projection\n')),
      errors: [
        { messageId: 'missingMarker', data: { marker: 'authority_state: projection' }, line: 1, column: 1 },
        { messageId: 'missingMarker', data: { marker: 'projection_of' }, line: 1, column: 1 },
      ],
    },
    {
      name: 'unknown host, duplicate id, missing url',
      files: files(health(ep('prometheus', 'ghost') + ep('prometheus', 'observability') + '  - id: loki\n    host: observability\n')),
      errors: [
        { messageId: 'unknownHost', data: { id: 'prometheus', host: 'ghost' }, line: 5, column: 11 },
        { messageId: 'duplicateId', data: { id: 'prometheus', first: 0 }, line: 7, column: 9 },
        { messageId: 'missingField', data: { id: 'loki', field: 'url' }, line: 10, column: 5 },
      ],
    },
  ],
});
