import { describe, expect, it } from 'vitest';
import { planRelocationMove, SERVICE_NEXT, STATE_NEXT, transitionPath, type MoveStart } from '../src/shared/stateMachine.js';

describe('transitionPath', () => {
  it('walks the machine forward, shortest first; [] for no move; undefined for an edge the machine lacks', () => {
    expect(transitionPath(STATE_NEXT, 'planning', 'cutover')).toEqual(['preflight', 'cutover']);
    expect(transitionPath(STATE_NEXT, 'cutover', 'cutover')).toEqual([]);
    expect(transitionPath(STATE_NEXT, 'cutover', 'planning')).toBeUndefined();
    expect(transitionPath(SERVICE_NEXT, 'planned', 'applied')).toEqual(['shadow', 'cutover', 'applied']);
    expect(transitionPath(SERVICE_NEXT, 'applied', 'rolled-back')).toBeUndefined();
    expect(transitionPath(SERVICE_NEXT, 'shadow', 'rolled-back')).toEqual(['rolled-back']);
  });
});

describe('planRelocationMove', () => {
  const start = (over: Partial<MoveStart> = {}): MoveStart => ({
    state: 'preflight',
    approvedBy: '@ronny',
    service: 'grafana',
    serviceStatus: 'planned',
    rollbackTo: 'docker-host',
    vm: { name: 'observability', status: 'ready', tailscaleIp: '100.120.163.70' },
    ...over,
  });
  const cases: [string, MoveStart, Parameters<typeof planRelocationMove>[1], string | { states: string[]; statuses: string[] }][] = [
    ['one state step and one status step', start(), { state: 'cutover', status: 'shadow' }, { states: ['cutover'], statuses: ['shadow'] }],
    ['nothing asked, nothing moves', start(), {}, { states: [], statuses: [] }],
    [
      'a status needs its state',
      start({ state: 'planning' }),
      { status: 'shadow' },
      "relocation state 'planning' must be preflight/cutover/cleanup/complete before transitioning service to 'shadow' (pass --state)",
    ],
    ['cutover needs approval', start({ approvedBy: 'null' }), { state: 'cutover' }, 'active_relocation.approved_by is required before transitioning relocation state to cutover (pass --approved-by)'],
    ['--approved-by gives it', start({ approvedBy: undefined }), { state: 'cutover', approvedBy: '@ops' }, { states: ['cutover'], statuses: [] }],
    [
      'a service cutover needs approval too',
      start({ state: 'cutover', approvedBy: ' ', serviceStatus: 'shadow' }),
      { status: 'cutover' },
      "active_relocation.approved_by is required before transitioning service to 'cutover' (pass --approved-by)",
    ],
    [
      'applied → rolled-back is no edge',
      start({ state: 'cutover', serviceStatus: 'applied' }),
      { status: 'rolled-back' },
      'invalid service status transition: applied -> rolled-back (from applied: applied)',
    ],
    ['rolled-back needs rollback_to', start({ state: 'cutover', serviceStatus: 'cutover', rollbackTo: undefined }), { status: 'rolled-back' }, "service 'grafana' has no rollback_to host configured"],
    [
      'two steps at once are refused with the way',
      start({ serviceStatus: 'planned', state: 'cutover' }),
      { status: 'cutover' },
      'planned -> cutover is 2 steps: a status moves one step per change, as the transition capabilities move it and as the PR gate checks it (next: --status shadow, commit, then --status cutover)',
    ],
    [
      'backwards is no edge',
      start({ state: 'cleanup' }),
      { state: 'preflight' },
      'invalid state transition: cleanup -> preflight (the relocation only moves forward: planning → preflight → cutover → cleanup → complete)',
    ],
    [
      'no active relocation: none cannot be left',
      start({ state: undefined }),
      { state: 'planning' },
      'there is no active relocation (active_relocation is null): open one by hand with state planning (the state machine has no transition out of none, spec §3.2)',
    ],
    [
      'the new state must accept the VM status',
      start({ state: 'cutover', vm: { name: 'observability', status: 'ready', tailscaleIp: '100.120.163.70' } }),
      { state: 'cleanup' },
      "state 'cleanup' requires VM status cutover|complete for 'observability' (got 'ready'): pass --vm-status",
    ],
    [
      'ready needs a Tailscale IP',
      start({ vm: { name: 'observability', status: 'provisioned', tailscaleIp: undefined } }),
      { vmStatus: 'ready' },
      "vm status 'ready' requires tailscale IP (pass --tailscale-ip or set vm_targets tailscale_ip of 'observability')",
    ],
    [
      'a host outside vm_targets has no VM status to set',
      start({ vm: undefined }),
      { vmStatus: 'ready' },
      "'grafana' moves to a host that is not a VM target of the manifest: --vm-status and --tailscale-ip set a vm_targets entry",
    ],
    ['a LAN address is no Tailscale IP', start(), { tailscaleIp: '192.168.1.205' }, "--tailscale-ip must be a Tailscale IPv4 address in 100.64.0.0/10 (got '192.168.1.205')"],
    ['unknown words', start(), { status: 'done' }, 'invalid --status: done (expected planned|shadow|cutover|migrated|applied|rolled-back)'],
  ];
  for (const [name, from, request, expected] of cases) {
    it(name, () => {
      const plan = planRelocationMove(from, request);
      expect(plan).toEqual(typeof expected === 'string' ? { ok: false, reason: expected } : { ok: true, ...expected });
    });
  }
});
