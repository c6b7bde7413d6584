import { describe, expect, it } from 'vitest';
import { defineCheck, MemorySource, runChecks, Workspace } from '@spine-lint/core';

const slow = defineCheck({
  id: 'slow-thing',
  title: 'Slow thing',
  description: 'Reports a measurement.',
  severity: 'error',
  kind: 'static',
  reads: ['a.yaml'],
  volatileData: ['durationMs'],
  messages: { slow: '{{name}} took {{durationMs}} ms' },
  run(ctx) {
    const v = ctx.workspace.yaml('a.yaml')?.value as { name: string; ms: number };
    ctx.report({ messageId: 'slow', data: { name: v.name, durationMs: v.ms }, file: 'a.yaml', pointer: '/name' });
  },
});

const fingerprint = (text: string): string =>
  runChecks({ workspace: new Workspace(new MemorySource({ 'a.yaml': text })), checks: [slow] }).results[0]!.fingerprint;

describe('fingerprints', () => {
  it('ignore measurements, lines and columns', () => {
    expect(fingerprint('name: x\nms: 10\n')).toBe(fingerprint('# a comment above\n\nname:   x\nms: 99\n'));
  });
  it('change when the subject changes', () => {
    expect(fingerprint('name: x\nms: 10\n')).not.toBe(fingerprint('name: y\nms: 10\n'));
  });
});
