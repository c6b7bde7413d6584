import { describe, expect, it } from 'vitest';
import { parseMarkdownDocument } from '@spine-lint/core';

const text = [
  '---', // 1
  'status: authoritative', // 2
  'last_verified: 2026-02-21', // 3
  '---', // 4
  '# Device Identity', // 5
  '', // 6
  '### Tailscale Host Table (Canonical)', // 7
  '', // 8
  '| Host | Tailscale IP | Location | Role |', // 9
  '|------|--------------|----------|------|', // 10
  '| pve | 100.96.211.33 | Shop | Hypervisor |', // 11
  '| `observability` | 100.120.163.70 | Shop | — |', // 12
  '| a \\| b | 1.2.3.4 |', // 13
  '', // 14
  '```', // 15
  '| not | a | table |', // 16
  '|---|---|---|', // 17
  '```', // 18
].join('\n');

describe('parseMarkdownDocument', () => {
  const doc = parseMarkdownDocument('DEVICE_IDENTITY_SSOT.md', text);

  it('reads front matter with file line numbers', () => {
    expect(doc.frontMatter?.value).toEqual({ status: 'authoritative', last_verified: '2026-02-21' });
    expect(doc.locate('/frontmatter/last_verified')).toEqual({ line: 3, column: 16, endLine: 3, endColumn: 26 });
  });

  it('finds tables by heading prefix and required columns, skipping fenced code', () => {
    expect(doc.tables).toHaveLength(1);
    const table = doc.table('Tailscale Host Table', ['Host', 'Tailscale IP']);
    expect(table?.headers).toEqual(['Host', 'Tailscale IP', 'Location', 'Role']);
    expect(doc.table('Tailscale Host Table', ['MAC'])).toBeUndefined();
  });

  it('normalises cells and gives exact cell positions', () => {
    const rows = doc.table('Tailscale Host Table')!.rows;
    expect(rows.map((r) => r.cells.Host?.value)).toEqual(['pve', 'observability', 'a | b']);
    expect(rows[1]!.cells.Role?.value).toBeNull();
    expect(rows[1]!.cells.Host?.range).toEqual({ line: 12, column: 3, endLine: 12, endColumn: 18 });
    expect(rows[0]!.cells['Tailscale IP']?.range).toEqual({ line: 11, column: 9, endLine: 11, endColumn: 22 });
    expect(doc.locate(rows[0]!.cells['Tailscale IP']!.pointer)).toEqual(rows[0]!.cells['Tailscale IP']!.range);
  });

  it('reports rows with missing cells, reading them as empty', () => {
    const row = doc.table('Tailscale Host Table')!.rows[2]!;
    expect(row.cells.Location?.value).toBeNull();
    expect(doc.problems).toEqual([expect.objectContaining({ code: 'table-shape', range: { line: 13, column: 1, endLine: 13, endColumn: 21 } })]);
  });

  it('reports an unclosed front matter', () => {
    const broken = parseMarkdownDocument('x.md', '---\nstatus: x\n# title\n');
    expect(broken.problems[0]).toMatchObject({ code: 'front-matter', range: { line: 1 } });
  });
});
