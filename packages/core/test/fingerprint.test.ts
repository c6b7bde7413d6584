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

const fingerprint = (text: string): string => runChecks({ workspace: new Workspace(new MemorySource({ 'a.yaml': text })), checks: [slow] }).results[0]!.fingerprint;

describe('fingerprints', () => {
  it('ignore measurements, lines and columns', () => {
    expect(fingerprint('name: x\nms: 10\n')).toBe(fingerprint('# a comment above\n\nname:   x\nms: 99\n'));
  });
  it('change when the subject changes', () => {
    expect(fingerprint('name: x\nms: 10\n')).not.toBe(fingerprint('name: y\nms: 10\n'));
  });
});

describe('fingerprints of Markdown table findings', () => {
  const wrongIp = defineCheck({
    id: 'wrong-ip',
    title: 'Wrong IP',
    description: 'Flags 100.64.0.99 in a host table.',
    severity: 'error',
    kind: 'static',
    reads: ['DEVICE.md'],
    messages: { wrong: '{{host}} has a wrong IP' },
    run(ctx) {
      const table = ctx.workspace.markdown('DEVICE.md')?.table('Tailscale Host Table');
      for (const row of table?.rows ?? []) {
        const cell = row.cells['Tailscale IP'];
        if (cell?.value === '100.64.0.99') ctx.report({ messageId: 'wrong', data: { host: row.cells.Host?.value ?? '' }, file: 'DEVICE.md', pointer: cell.pointer });
      }
    },
  });
  const doc = (rows: string[], extraTableAbove = false) =>
    [
      '# Devices',
      ...(extraTableAbove ? ['## Other', '| A | B |', '|---|---|', '| x | y |', ''] : []),
      '### Tailscale Host Table (Canonical)',
      '| Host | Tailscale IP |',
      '|------|--------------|',
      ...rows,
      '',
    ].join('\n');
  const result = (text: string) => runChecks({ workspace: new Workspace(new MemorySource({ 'DEVICE.md': text })), checks: [wrongIp] }).results[0]!;

  it('survive a row and a table inserted above (positions move, the fingerprint stays)', () => {
    const before = result(doc(['| pve | 100.64.0.1 |', '| observability | 100.64.0.99 |']));
    const after = result(doc(['| nas | 100.64.0.7 |', '| pve | 100.64.0.1 |', '| observability | 100.64.0.99 |'], true));
    expect(after.line).toBe(before.line + 6);
    expect(after.pointer).not.toBe(before.pointer);
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('change when the row is another host', () => {
    const a = result(doc(['| observability | 100.64.0.99 |']));
    const b = result(doc(['| grafana | 100.64.0.99 |']));
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });
});
