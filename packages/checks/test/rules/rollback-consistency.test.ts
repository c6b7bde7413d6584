import { describe, expect, it } from 'vitest';
import { MemorySource, runChecks, Workspace } from '@spine-lint/core';
import { defaultPaths } from '../../src/layout.js';
import placementPolicy from '../../src/rules/placement-policy.js';
import relocationParity from '../../src/rules/relocation-parity.js';
import check from '../../src/rules/rollback-consistency.js';
import { checkTester } from '../support/checkTester.js';

const plan = (state: string, status: string, rollbackTo: string, toHost = 'infra-core'): string =>
  ['active_relocation:', `  state: ${state}`, 'services:', '  - service: vaultwarden', `    to_host: ${toHost}`, `    rollback_to: ${rollbackTo}`, `    status: ${status}`, ''].join('\n');

checkTester(check, {
  valid: [
    { name: 'no manifest', files: {} },
    { name: 'rolled-back outside the D35 states', files: { 'infra.relocation.plan': plan('complete', 'rolled-back', 'proxmox-home') } },
    { name: 'rolled-back with rollback_to = to_host', files: { 'infra.relocation.plan': plan('cutover', 'rolled-back', 'infra-core') } },
    { name: 'cutover with a rollback target', files: { 'infra.relocation.plan': plan('cutover', 'cutover', 'proxmox-home') } },
    { name: 'applied without rollback target (no rollback edge from applied)', files: { 'infra.relocation.plan': plan('cutover', 'applied', 'null') } },
    // A finished relocation is history: nothing about rolling its services back (877dc938 nulled rollback_to on purpose).
    {
      name: 'state complete: cutover/migrated services without rollback_to are not reported',
      files: { 'infra.relocation.plan': plan('complete', 'migrated', 'null').replace('rollback_to: null\n', '') },
    },
    { name: 'state complete: a cutover service without rollback_to', files: { 'infra.relocation.plan': plan('complete', 'cutover', 'null') } },
    ...['null', 'none'].map((state) => ({
      name: `active_relocation ${state} (archived): migrated services without rollback_to`,
      files: {
        'infra.relocation.plan': `active_relocation: ${state}\nservices:\n  - service: prowlarr\n    to_host: download-stack\n    rollback_to: null\n    status: migrated\n  - service: radarr\n    to_host: download-stack\n    status: cutover\n`,
      },
    })),
    {
      name: 'no active_relocation key at all: the services are an archived relocation',
      files: { 'infra.relocation.plan': 'services:\n  - service: pihole\n    to_host: infra-core\n    status: migrated\n' },
    },
  ],
  invalid: [
    {
      name: 'rolled-back during cutover: D35 and D37 contradict',
      files: { 'infra.relocation.plan': plan('cutover', 'rolled-back', 'proxmox-home') },
      errors: [
        { messageId: 'unsatisfiable', severity: 'error', data: { service: 'vaultwarden', toHost: 'infra-core', rollbackTo: 'proxmox-home', state: 'cutover' }, line: 7, column: 13, endColumn: 24 },
      ],
    },
    {
      name: 'cutover without rollback_to is a warning at rollback_to',
      files: { 'infra.relocation.plan': plan('cutover', 'cutover', 'null') },
      errors: [{ messageId: 'noRollbackTarget', severity: 'warning', data: { service: 'vaultwarden', status: 'cutover' }, line: 6, column: 18 }],
    },
    {
      name: 'migrated with rollback_to absent during cleanup',
      files: { 'infra.relocation.plan': 'active_relocation:\n  state: cleanup\nservices:\n  - service: pihole\n    to_host: infra-core\n    status: migrated\n' },
      errors: [{ messageId: 'noRollbackTarget', severity: 'warning', data: { service: 'pihole', status: 'migrated' }, line: 4, column: 5 }],
    },
    ...['planning', 'preflight'].map((state) => ({
      name: `still warned while the relocation is not finished (${state})`,
      files: { 'infra.relocation.plan': plan(state, 'cutover', 'null') },
      errors: [{ messageId: 'noRollbackTarget', severity: 'warning' as const, data: { service: 'vaultwarden', status: 'cutover' }, line: 6, column: 18 }],
    })),
    {
      name: 'an active_relocation map without a state is not finished',
      files: { 'infra.relocation.plan': 'active_relocation:\n  change_id: LOOP-X\nservices:\n  - service: pihole\n    to_host: infra-core\n    status: cutover\n' },
      errors: [{ messageId: 'noRollbackTarget', severity: 'warning', line: 4, column: 5 }],
    },
  ],
});

describe('one finding instead of two contradicting ones', () => {
  const files = (registryHost: string): Record<string, string> => ({
    'ops/bindings/infra.relocation.plan.yaml': plan('cutover', 'rolled-back', 'proxmox-home'),
    'docs/governance/SERVICE_REGISTRY.yaml': `services:\n  vaultwarden:\n    host: ${registryHost}\nhosts:\n  infra-core:\n    ssh: infra-core\n  proxmox-home:\n    ssh: proxmox-home\n`,
    'ops/bindings/ssh.targets.yaml': 'ssh:\n  targets:\n    - id: infra-core\n      host: 127.0.0.1\n    - id: proxmox-home\n      host: 127.0.0.2\n',
    'ops/bindings/infra.placement.policy.yaml':
      'sites:\n  shop: {proxmox_hosts: [pve]}\n  home: {proxmox_hosts: [proxmox-home]}\nhosts:\n  pve: {site: shop, kind: proxmox}\n  proxmox-home: {site: home, kind: proxmox}\n  infra-core: {site: shop, kind: vm}\nservice_placement:\n  vaultwarden: {primary_site: shop, dr_sites: [home]}\n',
  });
  const run = (registryHost: string, withRollbackCheck: boolean) =>
    runChecks({
      workspace: new Workspace(new MemorySource(files(registryHost)), { paths: defaultPaths }),
      checks: [relocationParity, placementPolicy, ...(withRollbackCheck ? [check] : [])],
    }).results.map((d) => `${d.checkId}/${d.messageId}`);

  it('alone, D35 or D37 fails whatever the registry says', () => {
    expect(run('infra-core', false)).toEqual(['placement-policy/registryHostMismatch']);
    expect(run('proxmox-home', false)).toEqual(['relocation-parity/hostMismatch']);
  });

  it('with rollback-consistency, its one finding replaces the gate finding', () => {
    expect(run('infra-core', true)).toEqual(['rollback-consistency/unsatisfiable']);
    expect(run('proxmox-home', true)).toEqual(['rollback-consistency/unsatisfiable']);
  });
});
