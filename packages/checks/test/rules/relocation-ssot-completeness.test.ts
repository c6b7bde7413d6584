import check from '../../src/rules/relocation-ssot-completeness.js';
import { checkTester } from '../support/checkTester.js';

const PLAN = [
  'active_relocation: {state: cutover}',
  'vm_targets:',
  '  - vm_id: "205"', // 3
  '    hostname: observability', // 4
  '    tailscale_ip: 100.120.163.70', // 5
  'services:',
  '  - service: grafana', // 7
  '    to_host: observability',
  '    status: migrated',
  '  - service: loki',
  '    to_host: observability',
  '    status: planned',
  '',
].join('\n');
const REGISTRY = ['services:', '  grafana:', '    host: observability', '    port: 3000', '    health: /api/health', '    compose: /opt/stacks/grafana/docker-compose.yml', ''].join('\n');
const HEALTH = ['endpoints:', '  - id: grafana', '    host: observability', '    url: "http://192.168.1.205:3000/api/health"', ''].join('\n');
/** Two endpoints on docker-host: grafana's URL in odd but valid spelling, and another endpoint the fix leaves alone. */
const ODD_URL = [
  'endpoints:',
  '  - id: grafana',
  '    host: docker-host',
  '    url: "HTTP://192.168.1.200:80/api/../health?q=a b"',
  '  - id: grafana-ui',
  '    service: grafana',
  '    host: docker-host',
  "    url: 'http://Docker-Host:3000/'",
  '',
].join('\n');
const COMPOSE = ['targets:', '  observability:', '    ssh_target: observability', '    stacks:', '      - name: monitoring', '        path: /opt/stacks/grafana', ''].join('\n');
const SSH = ['ssh:', '  targets:', '    - id: observability', '      host: 192.168.1.205', '      tailscale_ip: 100.120.163.70', ''].join('\n');
const IDENTITY = [
  '# Devices',
  '',
  '### Tailscale Host Table (Canonical)',
  '',
  '| Host | Tailscale IP | Location | Role |',
  '|---|---|---|---|',
  '| observability | 100.120.163.70 | Shop | Obs |',
  '',
].join('\n');
const BACKUP = ['targets:', '  - name: vm-205-observability-primary', '    host: pve', '    glob: "vzdump-qemu-205-*.vma.zst"', ''].join('\n');
const all = (over: Record<string, string> = {}): Record<string, string> => ({
  'infra.relocation.plan': PLAN,
  SERVICE_REGISTRY: REGISTRY,
  'services.health': HEALTH,
  'docker.compose.targets': COMPOSE,
  'ssh.targets': SSH,
  DEVICE_IDENTITY: IDENTITY,
  'backup.inventory': BACKUP,
  ...over,
});

/** PLAN with grafana's health_url (line 9, value at column 17) and `status`, the relocation in `state`. */
const withHealthUrl = (url: string, state = 'cutover', status = 'cutover'): string =>
  PLAN.replace('    to_host: observability\n    status: migrated', `    to_host: observability\n    health_url: "${url}"\n    status: ${status}`).replace('{state: cutover}', `{state: ${state}}`);
/** services.health with grafana expecting `expect` (and more lines). */
const healthExpecting = (expect: string, extra = ''): string => HEALTH + `    expect: ${expect}\n${extra}`;

checkTester(check, {
  valid: [
    // One URL, one expectation (the health_url is the endpoint's URL: the host id stands for its address).
    { name: 'health_url = the endpoint URL, endpoint expects 200 (or nothing: 200)', files: all({ 'infra.relocation.plan': withHealthUrl('http://observability:3000/api/health') }) },
    {
      name: 'health_url = the endpoint URL, endpoint expects "200,302"',
      files: all({ 'infra.relocation.plan': withHealthUrl('http://observability:3000/api/health'), 'services.health': healthExpecting('"200,302"') }),
    },
    {
      name: 'endpoint expects 307 but the health_url is another URL (another path)',
      files: all({ 'infra.relocation.plan': withHealthUrl('http://observability:3000/login'), 'services.health': healthExpecting('307') }),
    },
    ...['null', '{state: none}', '{state: planning}', '{state: complete}'].map((active) => ({
      name: `endpoint expects 307, health_url names it, but no relocation in progress (${active}): the health_url is not probed`,
      files: all({
        'infra.relocation.plan': withHealthUrl('http://observability:3000/api/health').replace('active_relocation: {state: cutover}', `active_relocation: ${active}`),
        'services.health': healthExpecting('307'),
      }),
    })),
    ...['migrated', 'applied', 'rolled-back'].map((status) => ({
      name: `endpoint expects 307, health_url names it, but promote will not gate the service again (${status})`,
      files: all({ 'infra.relocation.plan': withHealthUrl('http://observability:3000/api/health', 'cutover', status), 'services.health': healthExpecting('307') }),
    })),
    { name: 'no manifest', files: {} },
    { name: 'every SSOT knows grafana on observability (compose joined by path)', files: all() },
    { name: 'only planned services: nothing required', files: { 'infra.relocation.plan': PLAN.replace('status: migrated', 'status: planned') } },
    {
      name: 'health endpoint found by host and port; identity via naming alias',
      files: all({
        'services.health': HEALTH.replace('id: grafana', 'id: grafana-ui'),
        DEVICE_IDENTITY: IDENTITY.replace('| observability |', '| obs-1 |'),
        'naming.policy': 'allowed_exceptions:\n  - host: observability\n    surface: tailscale_name\n    actual: obs-1\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'the Tailscale Host Table lacks the host ssh.targets knows: the row is appended from ssh.targets (Location and Role left empty)',
      files: all({ DEVICE_IDENTITY: IDENTITY.replace(/\| observability.*\n/, '| pve | 100.64.0.1 | Shop | Hypervisor |\n') }),
      errors: [{ messageId: 'identityHostMissing', data: { host: 'observability', ip: '100.120.163.70' }, file: 'docs/governance/DEVICE_IDENTITY_SSOT.md', line: 5, column: 1 }],
      output: { DEVICE_IDENTITY: IDENTITY.replace(/\| observability.*\n/, '| pve | 100.64.0.1 | Shop | Hypervisor |\n| observability | 100.120.163.70 |  |  |\n') },
    },
    {
      name: 'an aligned table stays aligned',
      files: all({
        DEVICE_IDENTITY: [
          '### Tailscale Host Table (Canonical)',
          '',
          '| Host          | Tailscale IP   | Location | Role |',
          '|---------------|----------------|----------|------|',
          '| pve           | 100.64.0.1     | Shop     | Hyp  |',
          '',
        ].join('\n'),
      }),
      errors: [{ messageId: 'identityHostMissing', data: { host: 'observability' }, line: 3, column: 1 }],
      output: {
        DEVICE_IDENTITY: [
          '### Tailscale Host Table (Canonical)',
          '',
          '| Host          | Tailscale IP   | Location | Role |',
          '|---------------|----------------|----------|------|',
          '| pve           | 100.64.0.1     | Shop     | Hyp  |',
          '| observability | 100.120.163.70 |          |      |',
          '',
        ].join('\n'),
      },
    },
    {
      name: 'a new VM no SSOT knows yet (the runbook step 7 situation)',
      files: {
        'infra.relocation.plan': PLAN,
        SERVICE_REGISTRY: 'services: {}\n',
        'services.health': 'endpoints: []\n',
        'docker.compose.targets': 'targets: {}\n',
        'ssh.targets': 'ssh:\n  targets: []\n',
        DEVICE_IDENTITY: IDENTITY.replace(/\| observability.*\n/, ''),
        'backup.inventory': 'targets: []\n',
      },
      errors: [
        { messageId: 'identityHostMissing', data: { host: 'observability', ip: '100.120.163.70' }, file: 'docs/governance/DEVICE_IDENTITY_SSOT.md', line: 5, column: 1 },
        { messageId: 'backupMissing', data: { vmId: '205' }, file: 'ops/bindings/infra.relocation.plan.yaml', line: 3, column: 12 },
        { messageId: 'sshTargetMissing', data: { host: 'observability', services: 'grafana' }, line: 4, column: 15 },
        // Same position: ordered by message text.
        { messageId: 'composeTargetMissing', data: { service: 'grafana' }, line: 7, column: 14 },
        { messageId: 'registryMissing', data: { service: 'grafana', host: 'observability' }, line: 7, column: 14 },
      ],
    },
    {
      name: 'entries on the wrong host and a disagreeing Tailscale IP',
      files: all({
        SERVICE_REGISTRY: REGISTRY.replace('host: observability', 'host: docker-host'),
        'services.health': HEALTH.replace('host: observability', 'host: docker-host').replace(':3000', ':3001'),
        DEVICE_IDENTITY: IDENTITY.replace('| 100.120.163.70 |', '| 100.120.163.71 |'),
        'docker.compose.targets': COMPOSE.replace('path: /opt/stacks/grafana', 'path: /opt/stacks/other'),
      }),
      errors: [
        {
          messageId: 'identityIpDiffers',
          data: { identityIp: '100.120.163.71', otherSource: 'ssh.targets.yaml', otherIp: '100.120.163.70' },
          line: 7,
          column: 19,
          endColumn: 33,
          // Which side is right is a decision: one suggestion per side.
          suggestions: [
            { description: "set the DEVICE_IDENTITY_SSOT.md Tailscale IP of 'observability' to 100.120.163.70 (as ssh.targets.yaml says)", output: { DEVICE_IDENTITY: IDENTITY } },
            {
              description: "set the tailscale_ip of ssh target 'observability' to 100.120.163.71 (as DEVICE_IDENTITY_SSOT.md says)",
              output: { 'ssh.targets': SSH.replace('100.120.163.70', '100.120.163.71') },
            },
          ],
        },
        { messageId: 'registryHostDiffers', data: { actual: 'docker-host', host: 'observability' }, file: 'docs/governance/SERVICE_REGISTRY.yaml', line: 3, column: 11 },
        { messageId: 'composeStackMissing', data: { host: 'observability', elsewhere: '' }, file: 'ops/bindings/docker.compose.targets.yaml', line: 5, column: 7 },
        { messageId: 'healthHostDiffers', data: { actual: 'docker-host' }, file: 'ops/bindings/services.health.yaml', line: 3, column: 11 },
      ],
      // The registry and the endpoint's host follow the manifest; the URL (not on docker-host's ssh address: docker-host
      // has no ssh target here) and the identity IP are left alone; the compose stack is on no target, so nothing moves.
      output: { SERVICE_REGISTRY: REGISTRY, 'services.health': HEALTH.replace(':3000', ':3001') },
    },
    {
      name: 'the service moved: its health endpoint (host and address) and its compose stack follow the manifest',
      files: all({
        'ssh.targets': SSH + '    - id: docker-host\n      host: 192.168.1.200\n',
        'services.health': HEALTH.replace('host: observability', 'host: docker-host').replace('192.168.1.205', '192.168.1.200'),
        'docker.compose.targets':
          'targets:\n  docker-host:   # old VM\n    ssh_target: docker-host\n    stacks:\n      - name: mint-os\n        path: /opt/stacks/mint-os\n      - name: monitoring\n        path: /opt/stacks/grafana\n  observability:\n    ssh_target: observability\n    stacks:\n      - name: prometheus\n        path: /opt/stacks/prometheus\n',
      }),
      errors: [
        { messageId: 'composeStackMissing', data: { elsewhere: " (it is listed under 'docker-host')" }, file: 'ops/bindings/docker.compose.targets.yaml' },
        { messageId: 'healthHostDiffers', data: { actual: 'docker-host' }, file: 'ops/bindings/services.health.yaml', line: 3, column: 11 },
      ],
      output: {
        'services.health': HEALTH,
        'docker.compose.targets':
          'targets:\n  docker-host:   # old VM\n    ssh_target: docker-host\n    stacks:\n      - name: mint-os\n        path: /opt/stacks/mint-os\n  observability:\n    ssh_target: observability\n    stacks:\n      - name: prometheus\n        path: /opt/stacks/prometheus\n      - name: monitoring\n        path: /opt/stacks/grafana\n',
      },
    },
    {
      name: 'the health URL keeps everything but its host as written (scheme case, explicit port, path, query); a URL naming the old host by name names the new one',
      files: all({
        'ssh.targets': SSH + '    - id: docker-host\n      host: 192.168.1.200\n',
        'services.health': ODD_URL,
      }),
      errors: [{ messageId: 'healthHostDiffers', data: { actual: 'docker-host' }, file: 'ops/bindings/services.health.yaml', line: 3, column: 11 }],
      output: { 'services.health': ODD_URL.replace('host: docker-host', 'host: observability').replace('192.168.1.200', '192.168.1.205') },
    },
    {
      name: 'a health URL naming the old host by name names the new host by name',
      files: all({
        'ssh.targets': SSH + '    - id: docker-host\n      host: 192.168.1.200\n',
        'services.health': HEALTH.replace('host: observability', 'host: docker-host').replace('192.168.1.205', 'docker-host'),
      }),
      errors: [{ messageId: 'healthHostDiffers', data: { actual: 'docker-host' }, file: 'ops/bindings/services.health.yaml', line: 3, column: 11 }],
      output: { 'services.health': HEALTH.replace('192.168.1.205', 'observability') },
    },
    {
      name: 'a compose stack other services on the old host also run from is shared: no fix (moving it would move them too)',
      files: all({
        SERVICE_REGISTRY: REGISTRY + '  tempo:\n    host: docker-host\n    compose: /opt/stacks/grafana/docker-compose.yml\n',
        'ssh.targets': SSH + '    - id: docker-host\n      host: 192.168.1.200\n',
        'docker.compose.targets':
          'targets:\n  docker-host:\n    ssh_target: docker-host\n    stacks:\n      - name: monitoring\n        path: /opt/stacks/grafana\n  observability:\n    ssh_target: observability\n    stacks:\n      - name: prometheus\n        path: /opt/stacks/prometheus\n',
      }),
      errors: [
        {
          messageId: 'composeStackMissing',
          data: { elsewhere: " (its stack under 'docker-host' also runs tempo: split the stack or move them together)" },
          file: 'ops/bindings/docker.compose.targets.yaml',
          line: 10,
          column: 7,
        },
      ],
      output: {},
    },
    {
      name: 'a disagreeing Tailscale IP in an aligned table with backticks: the suggestion keeps the column width and the backticks',
      files: all({
        DEVICE_IDENTITY: IDENTITY.replace(
          '| Host | Tailscale IP | Location | Role |\n|---|---|---|---|\n| observability | 100.120.163.70 | Shop | Obs |',
          '| Host          | Tailscale IP       | Location |\n|---------------|--------------------|----------|\n| observability | `100.120.163.171`  | Shop     |',
        ),
      }),
      errors: [
        {
          messageId: 'identityIpDiffers',
          data: { identityIp: '100.120.163.171' },
          suggestions: [
            {
              description: "set the DEVICE_IDENTITY_SSOT.md Tailscale IP of 'observability' to 100.120.163.70 (as ssh.targets.yaml says)",
              output: {
                DEVICE_IDENTITY: IDENTITY.replace(
                  '| Host | Tailscale IP | Location | Role |\n|---|---|---|---|\n| observability | 100.120.163.70 | Shop | Obs |',
                  '| Host          | Tailscale IP       | Location |\n|---------------|--------------------|----------|\n| observability | `100.120.163.70`   | Shop     |',
                ),
              },
            },
            {
              description: "set the tailscale_ip of ssh target 'observability' to 100.120.163.171 (as DEVICE_IDENTITY_SSOT.md says)",
              output: { 'ssh.targets': SSH.replace('100.120.163.70', '100.120.163.171') },
            },
          ],
        },
      ],
    },
    {
      name: "a placeholder in the table ('TBD (VM 205)') is no side of a disagreement: the address fills it as a fix",
      files: all({ DEVICE_IDENTITY: IDENTITY.replace('| 100.120.163.70 |', '| TBD (VM 205) |') }),
      errors: [{ messageId: 'identityIpDiffers', data: { identityIp: 'TBD (VM 205)', otherIp: '100.120.163.70', services: 'grafana' }, line: 7, column: 19 }],
      output: { DEVICE_IDENTITY: IDENTITY },
    },
    {
      name: 'manifest and ssh.targets disagree on the Tailscale IP',
      files: all({ 'infra.relocation.plan': PLAN.replace('tailscale_ip: 100.120.163.70', 'tailscale_ip: 100.120.163.99') }),
      errors: [
        {
          messageId: 'manifestIpDiffers',
          data: { manifestIp: '100.120.163.99', sshIp: '100.120.163.70' },
          line: 5,
          column: 19,
          suggestions: [
            { description: "set the manifest's tailscale_ip of 'observability' to 100.120.163.70 (as ssh.targets.yaml says)", output: { 'infra.relocation.plan': PLAN } },
            { description: "set the tailscale_ip of ssh target 'observability' to 100.120.163.99 (as the manifest says)", output: { 'ssh.targets': SSH.replace('100.120.163.70', '100.120.163.99') } },
          ],
        },
      ],
    },
    {
      name: 'health_url names the endpoint URL (host id for its address, trailing slash) that expects 307: one URL, two expectations',
      files: all({ 'infra.relocation.plan': withHealthUrl('http://observability:3000/api/health/'), 'services.health': healthExpecting('307') }),
      errors: [
        {
          messageId: 'healthExpectConflict',
          severity: 'warning',
          data: { service: 'grafana', endpoint: 'grafana', url: 'http://observability:3000/api/health/', expected: '307', status: 'cutover' },
          file: 'ops/bindings/infra.relocation.plan.yaml',
          line: 9,
          column: 17,
        },
      ],
    },
    {
      name: 'the same for a shadow service in preflight, with the endpoint disabled (services.health still owns the expectation) and written with its address',
      files: all({ 'infra.relocation.plan': withHealthUrl('HTTP://192.168.1.205:3000/api/health', 'preflight', 'shadow'), 'services.health': healthExpecting('"301,302"', '    enabled: false\n') }),
      errors: [{ messageId: 'healthExpectConflict', severity: 'warning', data: { service: 'grafana', endpoint: 'grafana', expected: '301,302', status: 'shadow' }, line: 9, column: 17 }],
    },
    {
      name: 'a planned service, in cleanup: promote will gate it later',
      files: all({ 'infra.relocation.plan': withHealthUrl('http://observability:3000/api/health', 'cleanup', 'planned'), 'services.health': healthExpecting('307') }),
      errors: [{ messageId: 'healthExpectConflict', severity: 'warning', data: { service: 'grafana', status: 'planned' }, line: 9, column: 17 }],
    },
    {
      name: 'backup target of another VM does not count (no substring match: vm-2050)',
      files: all({ 'backup.inventory': 'targets:\n  - name: vm-2050-x\n    glob: "vzdump-qemu-2050-*.vma.zst"\n' }),
      errors: [{ messageId: 'backupMissing', data: { vmId: '205' }, line: 3, column: 12 }],
    },
  ],
});
