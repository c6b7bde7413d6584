import check from '../../src/rules/infra-core-service-parity.js';
import { checkTester } from '../support/checkTester.js';

const slo = 'target:\n  host: infra-core\n  required_service_ids:\n    - caddy\n';
const registry = (host = 'infra-core') => `services:\n  caddy:\n    host: ${host}\n`;
const health = (enabled = 'true') => `endpoints:\n  - id: caddy\n    host: infra-core\n    url: "http://192.168.1.204:80"\n    expect: 200\n    enabled: ${enabled}\n`;
const wiring = { 'ops/bindings/stability.control.contract.yaml': 'x: 1\n', 'ops/bindings/capability_map.yaml': 'x: 1\n', 'ops/plugins/MANIFEST.yaml': 'x: 1\n' };
const all = (o: Record<string, string> = {}) => ({ 'infra.core.slo': slo, SERVICE_REGISTRY: registry(), 'services.health': health(), ...wiring, ...o });

checkTester(check, {
  valid: [{ name: 'registered and probed on infra-core', files: all() }],
  invalid: [
    {
      name: 'every missing input is reported',
      files: { SERVICE_REGISTRY: registry(), 'services.health': health() },
      errors: [{ messageId: 'missingFile' }, { messageId: 'missingFile' }, { messageId: 'missingFile' }, { messageId: 'missingFile' }],
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
