import { describe, expect, it } from 'vitest';
import { DirectorySource, runChecks, Workspace } from '@spine-lint/core';
import { catalog, defaultPaths } from '@spine-lint/checks';
import { checkTester } from '../packages/checks/test/support/checkTester.js';
import relocationStateTransition from '../packages/checks/src/rules/relocation-state-transition.js';
import serviceStatusTransition from '../packages/checks/src/rules/service-status-transition.js';
import vmTargetStatusTransition from '../packages/checks/src/rules/vm-target-status-transition.js';
import { SNAPSHOTS } from './support/corpus.js';

/** A relocation manifest; line numbers below are computed from this layout. */
function plan(o: { state?: string | null; changeId?: string; approvedBy?: string; vm?: { status: string; ip?: string | null }; services?: [string, string, string?][] }): string {
  const ar =
    o.state === null ? 'active_relocation: null\n' : `active_relocation:\n  change_id: "${o.changeId ?? 'LOOP-A'}"\n  state: ${o.state ?? 'planning'}\n  approved_by: ${o.approvedBy ?? 'null'}\n`;
  const vm = o.vm ?? { status: 'planned' };
  return (
    ar + // lines 1-4 (or 1)
    'vm_targets:\n' +
    '  - vm_id: "205"\n' +
    '    hostname: observability\n' +
    `    tailscale_ip: ${vm.ip === undefined ? 'null' : vm.ip}\n` +
    `    status: ${vm.status}\n` +
    'services:\n' +
    (o.services ?? [['grafana', 'planned']]).map(([s, st, rb]) => `  - service: ${s}\n    to_host: observability\n    rollback_to: ${rb ?? 'null'}\n    status: ${st}\n`).join('')
  );
}
const M = 'infra.relocation.plan';
const files = (text: string): Record<string, string> => ({ [M]: text });

// Lines with an active relocation: 3 state, 4 approved_by, 7 hostname, 8 tailscale_ip, 9 vm status,
// services from line 11: service i's status at line 14 + 4i.
checkTester(relocationStateTransition, {
  valid: [
    { name: 'one step forward, moving the VM to a status preflight accepts', baseFiles: files(plan({ state: 'planning' })), files: files(plan({ state: 'preflight', vm: { status: 'provisioned' } })) },
    {
      name: 'cutover with approval and a ready VM with a Tailscale IP',
      baseFiles: files(plan({ state: 'preflight', vm: { status: 'provisioned' } })),
      files: files(plan({ state: 'cutover', approvedBy: "'@ronny'", vm: { status: 'ready', ip: '100.120.163.70' } })),
    },
    { name: 'state unchanged', baseFiles: files(plan({ state: 'cutover' })), files: files(plan({ state: 'cutover', services: [['grafana', 'shadow']] })) },
    { name: 'opening a relocation in planning', baseFiles: files(plan({ state: null })), files: files(plan({ state: 'planning' })) },
    {
      name: 'archiving a complete relocation',
      baseFiles: files(plan({ state: 'complete', vm: { status: 'complete', ip: '100.64.2.3' } })),
      files: files(plan({ state: null, vm: { status: 'complete', ip: '100.64.2.3' } })),
    },
    { name: 'no manifest at the base', baseFiles: {}, files: files(plan({ state: 'cleanup' })) },
  ],
  invalid: [
    {
      name: 'planning → cleanup jump (3fdc9fef)',
      baseFiles: files(plan({ state: 'planning' })),
      files: files(plan({ state: 'cleanup' })),
      errors: [{ messageId: 'invalidEdge', data: { from: 'planning', to: 'cleanup', allowed: 'planning, preflight' }, line: 3, column: 10, endColumn: 17 }],
    },
    {
      name: 'complete → planning restart with a new change_id (04e1158e)',
      baseFiles: files(plan({ state: 'complete' })),
      files: files(plan({ state: 'planning', changeId: 'LOOP-B' })),
      errors: [{ messageId: 'restart', data: { from: 'complete', to: 'planning', allowed: 'complete', changeId: 'LOOP-B', previous: 'LOOP-A' }, line: 3, column: 10 }],
    },
    {
      name: 'opening a relocation directly in cutover',
      baseFiles: files(plan({ state: null })),
      files: files(plan({ state: 'cutover', approvedBy: 'x', vm: { status: 'ready', ip: '100.64.1.1' } })),
      errors: [{ messageId: 'invalidOpen', data: { to: 'cutover' }, line: 3, column: 10 }],
    },
    {
      name: 'archiving a relocation still in cleanup (877dc938)',
      baseFiles: files(plan({ state: 'cleanup' })),
      files: files(plan({ state: null })),
      errors: [{ messageId: 'invalidArchive', data: { from: 'cleanup', allowed: 'cleanup, complete' }, line: 1, column: 20 }],
    },
    {
      name: 'cutover without approved_by, VM moved to ready without a Tailscale IP',
      baseFiles: files(plan({ state: 'preflight', vm: { status: 'provisioned' } })),
      files: files(plan({ state: 'cutover', vm: { status: 'ready' } })),
      errors: [
        { messageId: 'approval', data: { from: 'preflight' }, line: 4, column: 16 },
        { messageId: 'tailscaleIp', data: { target: 'observability', status: 'ready', ip: null }, line: 8, column: 19 },
      ],
    },
    {
      name: 'the state moves but no VM target is in a status the new state accepts',
      baseFiles: files(plan({ state: 'planning', vm: { status: 'planned' } })),
      files: files(plan({ state: 'preflight', vm: { status: 'planned' } })),
      errors: [{ messageId: 'noVmTarget', data: { from: 'planning', to: 'preflight', allowed: 'provisioned|ready|cutover|complete' }, line: 3, column: 10 }],
    },
  ],
});

checkTester(serviceStatusTransition, {
  valid: [
    { name: 'planned → shadow in preflight', baseFiles: files(plan({ state: 'preflight' })), files: files(plan({ state: 'preflight', services: [['grafana', 'shadow']] })) },
    {
      name: 'cutover → applied needs no state (bash table)',
      baseFiles: files(plan({ state: null, services: [['grafana', 'cutover']] })),
      files: files(plan({ state: null, services: [['grafana', 'applied']] })),
    },
    {
      name: 'a reorder of services is no transition',
      baseFiles: files(
        plan({
          state: 'cutover',
          services: [
            ['a', 'planned'],
            ['b', 'cutover'],
          ],
        }),
      ),
      files: files(
        plan({
          state: 'cutover',
          services: [
            ['b', 'cutover'],
            ['a', 'planned'],
          ],
        }),
      ),
    },
    {
      name: 'services of a new relocation start fresh',
      baseFiles: files(plan({ state: 'complete', services: [['grafana', 'migrated']] })),
      files: files(plan({ state: 'planning', changeId: 'LOOP-B', services: [['grafana', 'planned']] })),
    },
  ],
  invalid: [
    {
      name: 'planned → migrated skips shadow and cutover (3fdc9fef)',
      baseFiles: files(
        plan({
          state: 'planning',
          services: [
            ['a', 'planned'],
            ['b', 'planned'],
          ],
        }),
      ),
      files: files(
        plan({
          state: 'cleanup',
          services: [
            ['a', 'planned'],
            ['b', 'migrated'],
          ],
        }),
      ),
      errors: [{ messageId: 'invalidEdge', data: { service: 'b', from: 'planned', to: 'migrated', allowed: 'planned, shadow' }, line: 18, column: 13, endColumn: 21 }],
    },
    {
      name: 'shadow while the relocation is still planning',
      baseFiles: files(plan({ state: 'planning' })),
      files: files(plan({ state: 'planning', services: [['grafana', 'shadow']] })),
      errors: [{ messageId: 'stateAlignment', data: { service: 'grafana', to: 'shadow', state: 'planning' }, line: 14, column: 13 }],
    },
    {
      name: 'cutover without approved_by',
      baseFiles: files(plan({ state: 'cutover', services: [['grafana', 'shadow']] })),
      files: files(plan({ state: 'cutover', services: [['grafana', 'cutover']] })),
      errors: [{ messageId: 'approval', data: { service: 'grafana', to: 'cutover' }, line: 14, column: 13 }],
    },
    {
      name: 'rolled-back with no rollback_to',
      baseFiles: files(plan({ state: 'cutover', approvedBy: 'x', services: [['grafana', 'cutover']] })),
      files: files(plan({ state: 'cutover', approvedBy: 'x', services: [['grafana', 'rolled-back']] })),
      errors: [{ messageId: 'noRollbackTarget', data: { service: 'grafana' }, line: 13, column: 18 }],
    },
    {
      name: 'applied → rolled-back is impossible through the capability',
      baseFiles: files(plan({ state: 'cutover', approvedBy: 'x', services: [['grafana', 'applied', 'docker-host']] })),
      files: files(plan({ state: 'cutover', approvedBy: 'x', services: [['grafana', 'rolled-back', 'docker-host']] })),
      errors: [{ messageId: 'invalidEdge', data: { from: 'applied', to: 'rolled-back', allowed: 'applied' }, line: 14, column: 13 }],
    },
    {
      name: 'a service added already migrated',
      baseFiles: files(plan({ state: 'cutover', services: [['a', 'planned']] })),
      files: files(
        plan({
          state: 'cutover',
          services: [
            ['a', 'planned'],
            ['new', 'migrated'],
          ],
        }),
      ),
      errors: [{ messageId: 'addedNotPlanned', data: { service: 'new', to: 'migrated' }, line: 18, column: 13 }],
    },
    {
      name: 'the migrated → applied vocabulary rename passes with one note (1143f61a)',
      baseFiles: files(
        plan({
          state: null,
          services: [
            ['a', 'migrated'],
            ['b', 'migrated'],
          ],
        }),
      ),
      files: files(
        plan({
          state: null,
          services: [
            ['a', 'applied'],
            ['b', 'applied'],
          ],
        }),
      ),
      errors: [{ messageId: 'renamed', severity: 'warning', data: { count: 2, from: 'migrated', to: 'applied', services: ['a', 'b'] }, line: 11, column: 13 }],
    },
  ],
});

checkTester(vmTargetStatusTransition, {
  valid: [
    {
      name: 'planned → ready with a Tailscale IP during cutover',
      baseFiles: files(plan({ state: 'cutover' })),
      files: files(plan({ state: 'cutover', vm: { status: 'ready', ip: '100.120.163.70' } })),
    },
    {
      name: 'status moved with the state (judged by relocation-state-transition)',
      baseFiles: files(plan({ state: 'planning' })),
      files: files(plan({ state: 'preflight', vm: { status: 'provisioned' } })),
    },
  ],
  invalid: [
    {
      name: 'planned → ready while complete (cbaecda7)',
      baseFiles: files(plan({ state: 'complete' })),
      files: files(plan({ state: 'complete', vm: { status: 'ready', ip: '100.64.2.3' } })),
      errors: [{ messageId: 'statusForState', data: { target: 'observability', from: 'planned', to: 'ready', state: 'complete', allowed: 'cutover|complete' }, line: 9, column: 13 }],
    },
    {
      name: 'ready without a Tailscale IP',
      baseFiles: files(plan({ state: 'cutover' })),
      files: files(plan({ state: 'cutover', vm: { status: 'ready', ip: '192.168.1.5' } })),
      errors: [{ messageId: 'tailscaleIp', data: { target: 'observability', to: 'ready', ip: '192.168.1.5' }, line: 8, column: 19 }],
    },
    {
      name: 'ready with a 100.x address outside 100.64.0.0/10 (not a Tailscale address)',
      baseFiles: files(plan({ state: 'cutover' })),
      files: files(plan({ state: 'cutover', vm: { status: 'ready', ip: '100.1.2.3' } })),
      errors: [{ messageId: 'tailscaleIp', data: { target: 'observability', to: 'ready', ip: '100.1.2.3' }, line: 8, column: 19 }],
    },
    {
      name: 'status change with no active relocation',
      baseFiles: files(plan({ state: null })),
      files: files(plan({ state: null, vm: { status: 'provisioned' } })),
      errors: [{ messageId: 'noRelocation', data: { target: 'observability', from: 'planned', to: 'provisioned' }, line: 6, column: 13 }],
    },
  ],
});

describe('transition checks over the whole corpus history (consecutive snapshots)', () => {
  it('flag exactly the hand-edited transitions', async () => {
    const { readdirSync } = await import('node:fs');
    const S = SNAPSHOTS;
    const dirs = readdirSync(S)
      .filter((d) => /^\d{3}-[0-9a-f]{8}$/.test(d))
      .sort();
    const checks = catalog.filter((c) => c.kind === 'transition');
    const flagged: Record<string, Record<string, number>> = {};
    for (let i = 1; i < dirs.length; i++) {
      const base = new Workspace(new DirectorySource(`${S}/${dirs[i - 1]}`), { paths: defaultPaths });
      const head = new Workspace(new DirectorySource(`${S}/${dirs[i]}`), { paths: defaultPaths });
      for (const d of runChecks({ workspace: head, base, checks, kinds: ['transition'] }).results) {
        if (d.checkId === 'parse') continue;
        const by = (flagged[dirs[i]!.slice(4)] ??= {});
        by[`${d.checkId}:${d.messageId}`] = (by[`${d.checkId}:${d.messageId}`] ?? 0) + 1;
      }
    }
    expect(flagged).toEqual({
      '2fc48e43': { 'relocation-state-transition:invalidEdge': 1, 'service-status-transition:invalidEdge': 4 }, // planning → cutover
      '279e3568': { 'relocation-state-transition:invalidEdge': 1, 'service-status-transition:invalidEdge': 4 }, // cutover → complete (Phase 4)
      cbaecda7: { 'vm-target-status-transition:statusForState': 1 },
      '04e1158e': { 'relocation-state-transition:restart': 1 },
      '3fdc9fef': { 'relocation-state-transition:invalidEdge': 1, 'service-status-transition:invalidEdge': 29 },
      '877dc938': { 'relocation-state-transition:invalidArchive': 1 },
      '1143f61a': { 'service-status-transition:renamed': 1 },
    });
  });
});
