import check from '../../src/rules/relocation-parity.js';
import { checkTester } from '../support/checkTester.js';

const plan = (state: string, status = 'migrated', extra = ''): string =>
  [
    'active_relocation:',
    `  state: ${state}`, // line 2
    'services:',
    '  - service: pihole', // line 4
    '    to_host: infra-core', // line 5
    `    status: ${status}`, // line 6
    '  - service: grafana', // line 7
    '    to_host: observability', // line 8
    '    status: planned',
    'required_updates:',
    '  - ops/bindings/ssh.targets.yaml', // line 11
    '  - docs/governance/STACK_REGISTRY.yaml', // line 12
    extra,
  ].join('\n');

const registry = (host = 'infra-core'): string => ['services:', '  pihole:', `    host: ${host}`, '    port: 80', ''].join('\n');
const ssh = ['ssh:', '  targets:', '    - id: infra-core', '      host: 192.168.1.204', ''].join('\n');
const files = (p: string, reg = registry(), targets = ssh): Record<string, string> => ({
  'infra.relocation.plan': p,
  SERVICE_REGISTRY: reg,
  'ssh.targets': targets,
  STACK_REGISTRY: 'stacks: []\n',
});

checkTester(check, {
  valid: [
    { name: 'no manifest', files: {} },
    { name: 'active relocation null', files: { 'infra.relocation.plan': 'active_relocation: null\nservices:\n  - service: x\n    status: migrated\n' } },
    { name: 'planning state checks nothing', files: { 'infra.relocation.plan': plan('planning'), SERVICE_REGISTRY: 'services: {}\n' } },
    { name: 'complete state checks nothing', files: { 'infra.relocation.plan': plan('complete') } },
    { name: 'cutover with parity', files: files(plan('cutover')) },
    { name: 'planned services are skipped', files: files(plan('cleanup', 'planned'), 'services: {}\n') },
  ],
  invalid: [
    {
      name: 'registry host differs from to_host (pointer at the registry value)',
      files: files(plan('cutover'), registry('docker-host')),
      errors: [
        {
          messageId: 'hostMismatch',
          data: { service: 'pihole', toHost: 'infra-core', registryHost: 'docker-host' },
          file: 'docs/governance/SERVICE_REGISTRY.yaml',
          line: 3,
          column: 11,
          endColumn: 22,
        },
      ],
      output: { SERVICE_REGISTRY: registry('infra-core') },
    },
    {
      name: 'the fix keeps the quotes, the comment after the value and the keys around it',
      files: files(plan('cutover'), '# registry\nservices:\n  pihole:   # dns\n    host: "docker-host"   # old VM\n    port: 80\n'),
      errors: [{ messageId: 'hostMismatch', line: 4, column: 11, endColumn: 24 }],
      output: { SERVICE_REGISTRY: '# registry\nservices:\n  pihole:   # dns\n    host: "infra-core"   # old VM\n    port: 80\n' },
    },
    {
      name: 'service missing from the registry',
      files: files(plan('preflight'), 'services: {}\n'),
      errors: [{ messageId: 'missingFromRegistry', data: { service: 'pihole' }, line: 4, column: 14, endColumn: 20 }],
    },
    {
      name: 'to_host not an ssh target; applied and rolled-back are checked too',
      files: files(plan('cleanup', 'rolled-back'), registry(), 'ssh:\n  targets: []\n'),
      errors: [{ messageId: 'toHostNotSshTarget', data: { service: 'pihole', toHost: 'infra-core' }, line: 5, column: 14, endColumn: 24 }],
    },
    {
      name: 'missing required_updates file',
      files: { 'infra.relocation.plan': plan('cutover'), SERVICE_REGISTRY: registry(), 'ssh.targets': ssh },
      errors: [{ messageId: 'requiredUpdateMissing', data: { file: 'docs/governance/STACK_REGISTRY.yaml', state: 'cutover' }, line: 12, column: 5, endColumn: 40 }],
    },
    {
      name: 'empty to_host',
      files: files(plan('cutover').replace('to_host: infra-core', 'to_host: null')),
      errors: [{ messageId: 'toHostEmpty', data: { service: 'pihole', status: 'migrated' }, line: 5, column: 14 }],
    },
    {
      name: 'status absent reads as null and is checked (reference quirk)',
      files: files(plan('cutover').replace('    status: migrated\n', ''), 'services: {}\n'),
      errors: [{ messageId: 'missingFromRegistry', data: { service: 'pihole', status: 'null' }, line: 4 }],
    },
    {
      name: 'unknown state: only the required-files check runs',
      files: { 'infra.relocation.plan': plan('Cutover') },
      errors: [
        { messageId: 'requiredUpdateMissing', data: { file: 'ops/bindings/ssh.targets.yaml' }, line: 11, column: 5 },
        { messageId: 'requiredUpdateMissing', data: { file: 'docs/governance/STACK_REGISTRY.yaml' }, line: 12, column: 5 },
      ],
    },
    {
      name: 'registry file missing is one finding at the state',
      files: { 'infra.relocation.plan': plan('cutover'), 'ssh.targets': ssh, STACK_REGISTRY: 'x: 1\n' },
      errors: [{ messageId: 'registryNotFound', line: 2, column: 10 }],
    },
    {
      name: 'absolute required_updates path cannot be verified',
      files: files(plan('cutover').replace('  - docs/governance/STACK_REGISTRY.yaml', '  - /etc/hosts')),
      errors: [{ messageId: 'requiredUpdateOutsideRoot', data: { file: '/etc/hosts' }, line: 12, column: 5 }],
    },
  ],
});
