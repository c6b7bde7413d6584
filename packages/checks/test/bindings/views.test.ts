import { describe, expect, it } from 'vitest';
import { MemorySource, Workspace } from '@spine-lint/core';
import { defaultPaths } from '../../src/layout.js';
import {
  backupInventory,
  composeTargets,
  deviceIdentity,
  hostGraph,
  isYqTruthyDefault,
  placementPolicy,
  relocationPlan,
  serviceRegistry,
  servicesHealth,
  sshTargets,
  vmProfiles,
  boolOr,
} from '../../src/bindings/index.js';

const ws = (files: Record<string, string>): Workspace =>
  new Workspace(new MemorySource(Object.fromEntries(Object.entries(files).map(([k, v]) => [(defaultPaths as Record<string, string>)[k] ?? k, v]))), {
    paths: defaultPaths,
  });

const ALL_VIEWS = [sshTargets, relocationPlan, placementPolicy, serviceRegistry, servicesHealth, composeTargets, backupInventory, vmProfiles, deviceIdentity, hostGraph];

describe('binding views', () => {
  it('read typed fields with pointers', () => {
    const w = ws({
      'ssh.targets': 'ssh:\n  defaults: {user: root}\n  targets:\n    - id: pve\n      host: 192.168.1.184\n    - id: observability\n      host: "192.168.1.205"\n      tailscale_ip: 100.120.163.70\n',
      'infra.relocation.plan':
        'active_relocation:\n  state: cutover\nvm_targets:\n  - vm_id: "205"\n    hostname: observability\n    proxmox_host: pve\nservices:\n  - service: grafana\n    to_host: observability\n    phase: 4\n    status: migrated\nrequired_updates: [a.yaml]\n',
    });
    const ssh = sshTargets(w);
    expect(ssh.status).toBe('loaded');
    expect(ssh.get('observability')).toMatchObject({ host: '192.168.1.205', tailscale_ip: '100.120.163.70', pointer: '/ssh/targets/1' });
    const plan = relocationPlan(w);
    expect(plan.activeRelocation?.state).toBe('cutover');
    expect(plan.vmTargets[0]).toMatchObject({ vm_id: '205', hostname: 'observability', pointer: '/vm_targets/0' });
    expect(plan.services[0]).toMatchObject({ service: 'grafana', phase: 4, status: 'migrated', pointer: '/services/0' });
    expect(plan.requiredUpdates?.map((u) => u.path)).toEqual(['a.yaml']);
    expect(relocationPlan(w)).toBe(plan); // memoised per workspace
  });

  it('never throw on wrong types: wrong-typed fields read as absent', () => {
    const junk = ['42\n', '- a\n- b\n', 'x: [1, 2]\n', 'ssh: 3\ntargets: {a: 1}\nservices: "x"\nhosts: [1]\nendpoints: {a: 1}\nvm_targets: 7\nprofiles: []\n'];
    for (const text of junk) {
      const w = ws({
        'ssh.targets': text,
        'infra.relocation.plan': text,
        'infra.placement.policy': text,
        SERVICE_REGISTRY: text,
        'services.health': text,
        'docker.compose.targets': text,
        'backup.inventory': text,
        'infra.vm.profiles': text,
        DEVICE_IDENTITY: text,
      });
      for (const view of ALL_VIEWS) expect(() => view(w)).not.toThrow();
    }
    const w = ws({
      'ssh.targets': 'ssh:\n  targets:\n    - id: {nested: map}\n      host: [1]\n      optional: "yes"\n    - null\n',
      'infra.relocation.plan': 'active_relocation: [1]\nservices:\n  - service: 5\n    to_host: null\n    status: {x: 1}\n',
      'infra.placement.policy':
        'guards:\n  enforce_vmid_ranges: "true"\n  enforce_service_primary_site: false\n  require_explicit_vm_target_requirements: true\nsites:\n  shop: {proxmox_hosts: pve}\n',
    });
    expect(sshTargets(w).targets).toHaveLength(2);
    expect(sshTargets(w).targets[0]).toMatchObject({ id: undefined, host: undefined, optional: undefined });
    expect(relocationPlan(w).activeRelocation).toBeUndefined();
    expect(relocationPlan(w).services[0]).toMatchObject({ service: '5', to_host: undefined, status: undefined });
    const policy = placementPolicy(w);
    expect(policy.guard('enforce_vmid_ranges')).toBe(false); // a string is not a boolean
    expect(policy.guard('enforce_service_primary_site')).toBe(false); // false is false
    expect(policy.guard('require_explicit_vm_target_requirements')).toBe(true);
    expect(policy.sites.get('shop')?.proxmox_hosts).toBeUndefined();
  });

  it('absent and unparsable files have a status', () => {
    const w = ws({ 'ssh.targets': 'ssh: [\n' });
    expect(sshTargets(w).status).toBe('unparsed');
    expect(relocationPlan(w).status).toBe('absent');
    expect(relocationPlan(w).services).toEqual([]);
  });

  it('yq semantics helper vs real booleans', () => {
    expect(isYqTruthyDefault(false)).toBe(true);
    expect(isYqTruthyDefault(undefined)).toBe(true);
    expect(isYqTruthyDefault('no')).toBe(false);
    expect(boolOr(false, true)).toBe(false);
    expect(boolOr(undefined, true)).toBe(true);
  });

  it('device identity tables by heading prefix with cell pointers', () => {
    const w = ws({
      DEVICE_IDENTITY:
        '# Doc\n\n### Tailscale Host Table (Canonical)\n\n| Host | Tailscale IP | Location | Role |\n|---|---|---|---|\n| observability | 100.120.163.70 | Shop | Obs |\n| immich-1 | 100.114.101.50 | Shop | Photos |\n\n### Shop VM LAN IPs (Static)\n\n| VM | Canonical Name | LAN IP | VMID |\n|---|---|---|---|\n| pve | `pve` | 192.168.1.184 | — |\n',
      'naming.policy': 'hosts:\n  - canonical_name: immich\nallowed_exceptions:\n  - host: immich\n    surface: tailscale_name\n    actual: immich-1\n',
      'ssh.targets': 'ssh:\n  targets:\n    - id: immich\n      host: 192.168.1.203\n',
    });
    const di = deviceIdentity(w);
    expect(di.tailscaleHosts?.rows[0]?.values).toMatchObject({ host: 'observability', tailscaleIp: '100.120.163.70' });
    expect(di.tailscaleHosts?.rows[0]?.cells.tailscaleIp?.range).toMatchObject({ line: 7, column: 19 });
    expect(di.shopVmLanIps?.rows[0]?.values).toMatchObject({ canonicalName: 'pve', vmid: undefined, mac: undefined });
    const graph = hostGraph(w);
    expect(graph.resolve('immich-1')).toBe('immich');
    const immich = graph.get('immich-1')!;
    expect([...immich.spellings].sort()).toEqual(['immich', 'immich-1']);
    expect(immich.has('ssh-target')).toBe(true);
    expect(immich.in('identity-tailscale-host')[0]).toMatchObject({ file: 'DEVICE_IDENTITY', spelling: 'immich-1' });
    expect(graph.get('observability')?.has('ssh-target')).toBe(false);
  });
});
