import { describe, expect, it } from 'vitest';
import { defineCheck, MemorySource, RunClock, runChecks, Workspace } from '../src/index.js';

const at = (iso: string): Date => new Date(iso);

describe('RunClock', () => {
  it('daysSince rounds down and expires when the count of days would change', () => {
    const clock = new RunClock(at('2026-03-10T12:00:00Z'));
    expect(clock.validUntil).toBe(Infinity);
    expect(clock.daysSince(at('2026-03-01T18:00:00Z'))).toBe(8);
    // 9 whole days from 2026-03-01T18:00 are reached at 2026-03-10T18:00
    expect(clock.validUntil).toBe(at('2026-03-10T18:00:00Z').getTime());
    expect(new RunClock(at('2026-03-10T17:59:59.999Z')).daysSince(at('2026-03-01T18:00:00Z'))).toBe(8);
    expect(new RunClock(at('2026-03-10T18:00:00Z')).daysSince(at('2026-03-01T18:00:00Z'))).toBe(9);
  });

  it('a future date counts negative days, like Python (now - dt).days', () => {
    const clock = new RunClock(at('2026-03-10T00:00:00Z'));
    expect(clock.daysSince(at('2026-03-10T06:00:00Z'))).toBe(-1);
    expect(clock.validUntil).toBe(at('2026-03-10T06:00:00Z').getTime());
  });

  it('the earliest expiry wins', () => {
    const clock = new RunClock(at('2026-03-10T12:00:00Z'));
    clock.daysSince(at('2026-03-01T18:00:00Z'));
    clock.daysSince(at('2026-03-05T13:00:00Z'));
    clock.daysSince(at('2026-02-01T20:00:00Z'));
    expect(clock.validUntil).toBe(at('2026-03-10T13:00:00Z').getTime());
  });

  it('isBefore expires at the instant while true, never once false', () => {
    const clock = new RunClock(at('2026-03-10T12:00:00Z'));
    expect(clock.isBefore(at('2026-03-09T00:00:00Z').getTime())).toBe(false);
    expect(clock.validUntil).toBe(Infinity);
    expect(clock.isBefore(at('2026-04-01T00:00:00Z').getTime())).toBe(true);
    expect(clock.validUntil).toBe(at('2026-04-01T00:00:00Z').getTime());
  });

  it('utcDate expires at the next UTC midnight', () => {
    const clock = new RunClock(at('2026-03-10T23:30:00Z'));
    expect(clock.utcDate()).toBe('2026-03-10');
    expect(clock.validUntil).toBe(at('2026-03-11T00:00:00Z').getTime());
  });

  it('reading the instant itself expires at once; a fixed clock (--now) never expires', () => {
    const live = new RunClock(at('2026-03-10T12:00:00Z'));
    expect(live.instant().toISOString()).toBe('2026-03-10T12:00:00.000Z');
    expect(live.validUntil).toBe(at('2026-03-10T12:00:00Z').getTime());
    const fixed = new RunClock(at('2026-03-10T12:00:00Z'), true);
    fixed.instant();
    fixed.daysSince(at('2026-03-01T00:00:00Z'));
    fixed.utcDate();
    expect(fixed.validUntil).toBe(Infinity);
  });
});

describe('the runner and the clock', () => {
  const files = { 'a.yaml': 'updated: 2026-03-01\n' };
  const run = (check: Parameters<typeof runChecks>[0]['checks'][number], clock: RunClock) => runChecks({ workspace: new Workspace(new MemorySource(files)), checks: [check], clock });

  it('a check that reads ctx.now makes the run valid at that instant only', () => {
    const reads = defineCheck({
      id: 'reads-now',
      title: 't',
      description: 'd',
      severity: 'error',
      kind: 'static',
      reads: [],
      messages: { m: 'x' },
      run(ctx) {
        void ctx.now;
      },
    });
    const clock = new RunClock(at('2026-03-10T12:00:00Z'));
    run(reads, clock);
    expect(clock.validUntil).toBe(at('2026-03-10T12:00:00Z').getTime());
  });

  it('a check asking the clock narrows the window to its answers; a check that ignores time leaves it open', () => {
    const asks = defineCheck({
      id: 'asks',
      title: 't',
      description: 'd',
      severity: 'error',
      kind: 'static',
      reads: [],
      messages: { stale: '{{age}} days' },
      run(ctx) {
        const age = ctx.clock.daysSince(at('2026-03-01T00:00:00Z'));
        if (age > 5) ctx.report({ messageId: 'stale', data: { age } });
      },
    });
    const clock = new RunClock(at('2026-03-10T12:00:00Z'));
    const report = run(asks, clock);
    expect(report.results.map((r) => r.message)).toEqual(['9 days']);
    expect(clock.validUntil).toBe(at('2026-03-11T00:00:00Z').getTime());
    // Inside the window the verdict and message are the same; at its end they are not.
    expect(run(asks, new RunClock(new Date(clock.validUntil - 1))).results.map((r) => r.message)).toEqual(['9 days']);
    expect(run(asks, new RunClock(new Date(clock.validUntil))).results.map((r) => r.message)).toEqual(['10 days']);

    const timeless = defineCheck({
      id: 'timeless',
      title: 't',
      description: 'd',
      severity: 'error',
      kind: 'static',
      reads: ['a.yaml'],
      messages: { m: 'x' },
      run(ctx) {
        ctx.workspace.yaml('a.yaml');
      },
    });
    const open = new RunClock(at('2026-03-10T12:00:00Z'));
    run(timeless, open);
    expect(open.validUntil).toBe(Infinity);
  });

  it('transition checks get the clock and a getter for now too (spreading the context does not read it)', () => {
    const t = defineCheck({
      id: 'tr',
      title: 't',
      description: 'd',
      severity: 'error',
      kind: 'transition',
      reads: [],
      messages: { m: 'x' },
      run(ctx) {
        expect(ctx.base).toBeDefined();
        ctx.clock.utcDate();
      },
    });
    const clock = new RunClock(at('2026-03-10T12:00:00Z'));
    runChecks({ workspace: new Workspace(new MemorySource(files)), base: new Workspace(new MemorySource(files)), checks: [t], clock });
    expect(clock.validUntil).toBe(at('2026-03-11T00:00:00Z').getTime());
  });
});
