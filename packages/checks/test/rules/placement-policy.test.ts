import check from '../../src/rules/placement-policy.js';
import { checkTester } from '../support/checkTester.js';

const POLICY = [
  'sites:',
  '  shop:',
  '    proxmox_hosts: [pve]', // 3
  '    vmid_min: 200', // 4
  '    vmid_max: 299', // 5
  '  home:',
  '    proxmox_hosts: [proxmox-home]',
  '    vmid_min: 100',
  '    vmid_max: 199',
  'hosts:',
  '  pve: {site: shop, kind: proxmox}', // 11
  '  proxmox-home: {site: home, kind: proxmox}', // 12
  '  observability: {site: shop, kind: vm}', // 13
  '  infra-core: {site: shop, kind: vm}', // 14
  '  nas: {site: home, kind: storage}', // 15
  'vm_target_requirements:',
  '  observability:',
  '    required_site: shop', // 18
  '    required_proxmox_host: pve', // 19
  'service_placement:',
  '  grafana:',
  '    primary_site: shop', // 22
  '    dr_sites: [home]', // 23
  'guards:',
  '  enforce_vmid_ranges: true', // 25
  '  require_explicit_vm_target_requirements: true',
  '  require_service_policy_for_manifest_services: true',
  '  enforce_service_primary_site: true',
  '  enforce_vm_site_matches_hypervisor_site: true',
  '',
].join('\n');

const MANIFEST = [
  'active_relocation: null',
  'vm_targets:',
  '  - vm_id: "205"', // 3
  '    hostname: observability', // 4
  '    proxmox_host: pve', // 5
  '    status: ready',
  'services:',
  '  - service: grafana', // 8
  '    to_host: observability', // 9
  '    rollback_to: nas', // 10
  '    status: applied', // 11
  '',
].join('\n');

const REGISTRY = ['services:', '  grafana:', '    host: observability', ''].join('\n');

const files = (over: { policy?: string; manifest?: string; registry?: string | null } = {}): Record<string, string> => {
  const f: Record<string, string> = { 'infra.placement.policy': over.policy ?? POLICY, 'infra.relocation.plan': over.manifest ?? MANIFEST };
  if (over.registry !== null) f.SERVICE_REGISTRY = over.registry ?? REGISTRY;
  return f;
};

checkTester(check, {
  valid: [
    { name: 'no manifest: nothing to place (even without a policy)', files: {} },
    { name: 'fully placed target and service', files: files() },
    { name: 'planned services need no registry entry', files: files({ manifest: MANIFEST.replace('status: applied', 'status: planned'), registry: null }) },
    {
      name: 'guard false is false (vmid range not enforced)',
      files: files({ policy: POLICY.replace('enforce_vmid_ranges: true', 'enforce_vmid_ranges: false'), manifest: MANIFEST.replace('"205"', '"105"') }),
    },
    {
      name: 'rolled-back expects the registry on rollback_to',
      files: files({ manifest: MANIFEST.replace('status: applied', 'status: rolled-back'), registry: REGISTRY.replace('host: observability', 'host: nas') }),
    },
  ],
  invalid: [
    {
      name: 'manifest without a policy',
      files: { 'infra.relocation.plan': MANIFEST },
      errors: [{ messageId: 'policyMissing', line: 1, column: 1 }],
    },
    {
      name: 'vm_id outside the site range (Appendix A synthetic negative)',
      files: files({ manifest: MANIFEST.replace('"205"', '"105"') }),
      errors: [{ messageId: 'vmidOutOfRange', data: { vmId: '105', site: 'shop', min: '200', max: '299', target: 'observability' }, line: 3, column: 12, endColumn: 17 }],
    },
    {
      name: 'rollback site not among dr_sites (Appendix A synthetic negative)',
      files: files({ policy: POLICY.replace('dr_sites: [home]', 'dr_sites: []') }),
      errors: [
        {
          messageId: 'rollbackSiteNotAllowed',
          data: { service: 'grafana', rollbackSite: 'home' },
          file: 'ops/bindings/infra.placement.policy.yaml',
          line: 23,
          column: 15,
          endColumn: 17,
        },
      ],
    },
    {
      name: 'rollback host without a site (the c623e68b failure)',
      files: files({ manifest: MANIFEST.replace('rollback_to: nas', 'rollback_to: media-stack') }),
      errors: [{ messageId: 'rollbackHostMissingSite', data: { rollbackHost: 'media-stack' }, line: 10, column: 18, endColumn: 29 }],
    },
    {
      name: 'target missing from hosts stops the target checks',
      files: files({ policy: POLICY.replace('  observability: {site: shop, kind: vm}\n', ''), manifest: MANIFEST.replace(/services:[^]*/, 'services: []\n') }),
      errors: [{ messageId: 'targetMissingSite', data: { target: 'observability' }, line: 4, column: 15 }],
    },
    {
      name: 'hypervisor of the wrong kind, not listed, other site; requirements unmet',
      files: files({ manifest: MANIFEST.replace('proxmox_host: pve', 'proxmox_host: nas').replace(/services:[^]*/, 'services: []\n') }),
      errors: [
        { messageId: 'proxmoxNotListed', data: { site: 'home' }, file: 'ops/bindings/infra.placement.policy.yaml', line: 7, column: 20 },
        { messageId: 'vmSiteMismatch', data: { site: 'shop', proxmoxSite: 'home' }, line: 13, column: 25, endColumn: 29 },
        { messageId: 'proxmoxKind', data: { kind: 'storage' }, line: 15, column: 27, endColumn: 34 },
        { messageId: 'vmidOutOfRange', data: { site: 'home' }, file: 'ops/bindings/infra.relocation.plan.yaml', line: 3, column: 12 },
        { messageId: 'requiredProxmoxHost', data: { proxmoxHost: 'nas', requiredProxmoxHost: 'pve' }, line: 5, column: 19 },
      ],
    },
    {
      name: 'service without policy entry; registry host differs',
      files: files({ manifest: MANIFEST.replace('service: grafana', 'service: loki'), registry: 'services:\n  loki:\n    host: docker-host\n' }),
      errors: [
        {
          messageId: 'registryHostMismatch',
          data: { service: 'loki', registryHost: 'docker-host', expected: 'observability', status: 'applied' },
          file: 'docs/governance/SERVICE_REGISTRY.yaml',
          line: 3,
          column: 11,
        },
        { messageId: 'servicePolicyMissing', data: { service: 'loki' }, file: 'ops/bindings/infra.relocation.plan.yaml', line: 8, column: 14 },
      ],
      output: { SERVICE_REGISTRY: 'services:\n  loki:\n    host: observability\n' },
    },
    {
      name: 'rolled-back without rollback_to; registry lacks the service',
      files: files({ manifest: MANIFEST.replace('rollback_to: nas', 'rollback_to: null').replace('status: applied', 'status: rolled-back'), registry: 'services: {}\n' }),
      errors: [
        { messageId: 'registryServiceMissing', data: { service: 'grafana' }, line: 8, column: 14 },
        { messageId: 'rolledBackWithoutRollback', data: { service: 'grafana' }, line: 11, column: 13 },
      ],
    },
    {
      name: 'to_host on the wrong site; missing vm requirements',
      files: files({
        policy: POLICY.replace('  observability:\n    required_site: shop\n    required_proxmox_host: pve\n', '  other: {}\n'),
        manifest: MANIFEST.replace('to_host: observability', 'to_host: nas').replace('status: applied', 'status: planned'),
      }),
      errors: [
        { messageId: 'requirementsMissing', data: { target: 'observability' }, line: 4, column: 15 },
        { messageId: 'primarySiteMismatch', data: { toSite: 'home', primarySite: 'shop' }, line: 9, column: 14 },
      ],
    },
  ],
});
