import { describe, expect, it } from 'vitest';
import { defineCheck, formatPlan, MemorySource, planLiveChecks, Workspace } from '../../src/index.js';

// A live check whose plan carries body expectations taken from its options (as health-endpoints
// takes them from its config), to see what --dry-run prints of them.
const bodies = defineCheck({
  id: 'bodies',
  title: 't',
  description: 'd',
  severity: 'error',
  kind: 'live',
  reads: [],
  messages: { m: 'x' },
  plan: (ctx) =>
    Object.entries(ctx.options.expect as Record<string, string>).map(([target, body]) => ({
      kind: 'http' as const,
      id: `b:${target}`,
      target,
      url: `http://127.0.0.1:9/${target}`,
      connectTimeoutMs: 1000,
      totalTimeoutMs: 2000,
      expectStatus: [200],
      captureBody: true,
      expectBodyContains: body,
    })),
  evaluate: () => undefined,
});

describe('formatPlan (--dry-run)', () => {
  it('shows the body a check expects, escaped and shortened', () => {
    const plan = planLiveChecks({
      workspace: new Workspace(new MemorySource({})),
      checks: [bodies],
      checkOptions: { bodies: { expect: { plain: 'Server is Healthy.', hostile: 'ok\u001b[31m\nforged line', long: 'x'.repeat(200) } } },
    });
    const text = formatPlan(plan);
    expect(text).toContain('GET http://127.0.0.1:9/plain  [bodies plain] connect 1000 ms, total 2000 ms, expect 200, body contains "Server is Healthy."');
    // A binding or config value cannot paint the terminal or forge a plan line.
    expect(text).toContain('body contains "ok\\u001b[31m\\nforged line"');
    expect(text).not.toContain('\u001b');
    expect(text.split('\n').filter((l) => l.includes('forged line'))).toHaveLength(1);
    expect(text).toContain(`body contains "${'x'.repeat(80)}…"`);
  });
});
