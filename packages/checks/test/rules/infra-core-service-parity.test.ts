import check from '../../src/rules/infra-core-service-parity.js';
import { checkTester } from '../support/checkTester.js';

const slo = 'target:\n  host: infra-core\n  required_service_ids:\n    - caddy\n';
const registry = (host = 'infra-core') => `services:\n  caddy:\n    host: ${host}\n`;
const health = (enabled = 'true') => `endpoints:\n  - id: caddy\n    host: infra-core\n    url: "http://192.168.1.204:80"\n    expect: 200\n    enabled: ${enabled}\n`;
const stability = [
  'probe_capabilities:',
  '  infra-core-stack:',
  '    - infra.core.slo.status',
  'guided_recovery_commands:',
  '  infra-core-stack:',
  '    - "./bin/ops cap run docker.compose.up infra-core core"',
  '    - "./bin/ops cap run infra.core.slo.status"',
  '',
].join('\n');
/** ops/capabilities.yaml with the infra.core.slo.status command (line 4). */
const capabilities = (command = './ops/plugins/observability/bin/infra-core-slo-status') =>
  `capabilities:\n  infra.core.slo.status:\n    description: "infra-core SLO"\n    command: "${command}"\n    safety: read-only\n`;
const capabilityMap = 'capabilities:\n  infra.core.slo.status:\n    plugin: observability\n    script: infra-core-slo-status\n';
const manifest = 'plugins:\n  - name: observability\n    scripts:\n      - bin/observability-stack-status\n      - bin/infra-core-slo-status\n    capabilities:\n      - infra.core.slo.status\n';
const wiring = {
  'ops/bindings/stability.control.contract.yaml': stability,
  'ops/capabilities.yaml': capabilities(),
  'ops/bindings/capability_map.yaml': capabilityMap,
  'ops/plugins/MANIFEST.yaml': manifest,
};
const all = (o: Record<string, string> = {}) => ({ 'infra.core.slo': slo, SERVICE_REGISTRY: registry(), 'services.health': health(), ...wiring, ...o });

checkTester(check, {
  valid: [{ name: 'registered and probed on infra-core; infra.core.slo.status wired in capabilities, capability_map, MANIFEST, stability contract', files: all() }],
  invalid: [
    {
      name: 'every missing input is reported',
      files: { SERVICE_REGISTRY: registry(), 'services.health': health() },
      errors: [
        { messageId: 'missingFile', data: { file: 'ops/bindings/capability_map.yaml' } },
        { messageId: 'missingFile', data: { file: 'ops/bindings/infra.core.slo.yaml' } },
        { messageId: 'missingFile', data: { file: 'ops/bindings/stability.control.contract.yaml' } },
        { messageId: 'missingFile', data: { file: 'ops/capabilities.yaml' } },
        { messageId: 'missingFile', data: { file: 'ops/plugins/MANIFEST.yaml' } },
      ],
    },
    {
      name: 'the capability command path no longer matches the observability plugin script (the reference: command mismatch)',
      files: all({ 'ops/capabilities.yaml': capabilities('./ops/plugins/infra/bin/infra-core-slo-status') }),
      errors: [
        {
          messageId: 'capabilityCommandMismatch',
          data: { actual: './ops/plugins/infra/bin/infra-core-slo-status', expected: './ops/plugins/observability/bin/infra-core-slo-status' },
          file: 'ops/capabilities.yaml',
          line: 4,
          column: 14,
          endLine: 4,
          endColumn: 61,
        },
      ],
    },
    {
      name: 'capability_map, MANIFEST and stability contract wiring broken',
      files: all({
        'ops/bindings/capability_map.yaml': capabilityMap.replace('script: infra-core-slo-status', 'script: infra-core-slo-status.sh'),
        'ops/plugins/MANIFEST.yaml': manifest.replace('      - bin/infra-core-slo-status\n', '').replace('      - infra.core.slo.status\n', '      - observability.stack.status\n'),
        'ops/bindings/stability.control.contract.yaml': stability
          .replace('    - infra.core.slo.status', '    - services.health.status --host infra-core')
          .replace('    - "./bin/ops cap run infra.core.slo.status"\n', ''),
      }),
      errors: [
        { messageId: 'capabilityMapMismatch', data: { plugin: 'observability', script: 'infra-core-slo-status.sh' }, file: 'ops/bindings/capability_map.yaml', line: 4, column: 13, endColumn: 37 },
        // the probe list (line 3) lacks infra.core.slo.status; its one item is the legacy probe
        { messageId: 'probeMissing', file: 'ops/bindings/stability.control.contract.yaml', line: 3, column: 5 },
        { messageId: 'legacyProbe', file: 'ops/bindings/stability.control.contract.yaml', line: 3, column: 7, endColumn: 47 },
        { messageId: 'recoveryMissing', file: 'ops/bindings/stability.control.contract.yaml', line: 6, column: 5 },
        { messageId: 'manifestScriptMissing', file: 'ops/plugins/MANIFEST.yaml', line: 4, column: 7 },
        { messageId: 'manifestCapabilityMissing', file: 'ops/plugins/MANIFEST.yaml', line: 6, column: 7 },
      ],
    },
    {
      name: 'empty target',
      files: all({ 'infra.core.slo': 'target:\n  host: ""\n  required_service_ids: []\n' }),
      errors: [
        { messageId: 'emptyTargetHost', line: 2, column: 3 },
        { messageId: 'emptyRequired', line: 2, column: 3 },
      ],
    },
    {
      name: 'disabled endpoint fails (the reference coerced false to true); registry host differs',
      files: all({ 'services.health': health('false'), SERVICE_REGISTRY: registry('docker-host') }),
      errors: [
        { messageId: 'registryHostMismatch', data: { service: 'caddy', actual: 'docker-host' }, line: 3, column: 11 },
        { messageId: 'endpointDisabled', data: { service: 'caddy' }, line: 6, column: 14 },
      ],
    },
  ],
});
