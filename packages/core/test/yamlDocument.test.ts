import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '@spine-lint/core';

describe('parseYamlDocument', () => {
  const text = ['version: 1', 'ssh:', '  targets:', '    - id: "pve"', '      host: 10.0.0.1', '    - id: nas', '      user:', ''].join('\n');
  const doc = parseYamlDocument('ssh.yaml', text);

  it('parses the value', () => {
    expect(doc.problems).toEqual([]);
    expect(doc.value).toEqual({
      version: 1,
      ssh: {
        targets: [
          { id: 'pve', host: '10.0.0.1' },
          { id: 'nas', user: null },
        ],
      },
    });
  });

  it('resolves a pointer to the value node, exactly', () => {
    expect(doc.locate('/ssh/targets/0/id')).toEqual({ line: 4, column: 11, endLine: 4, endColumn: 16 });
    expect(doc.locate('/ssh/targets/1')).toEqual({ line: 6, column: 7, endLine: 7, endColumn: 12 });
  });

  it('points at the key when the value is empty, and at the nearest ancestor when missing', () => {
    expect(doc.locate('/ssh/targets/1/user')).toEqual({ line: 7, column: 7, endLine: 7, endColumn: 11 });
    expect(doc.locate('/ssh/targets/1/port')).toEqual(doc.locate('/ssh/targets/1'));
  });

  it('reports duplicate keys at the second key', () => {
    const d = parseYamlDocument('d.yaml', 'a: 1\nbb: 2\nbb: 3\n');
    expect(d.value).toEqual({ a: 1, bb: 3 }); // the value is kept, the last occurrence wins
    expect(d.problems).toEqual([expect.objectContaining({ code: 'duplicate-key', range: { line: 3, column: 1, endLine: 3, endColumn: 3 } })]);
    expect(d.problems[0]!.message).toContain("Duplicate key 'bb'");
  });

  it('stops alias bombs', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const d = parseYamlDocument('bomb.yaml', bomb);
    expect(d.value).toBeUndefined();
    expect(d.problems[0]).toMatchObject({ code: 'alias-limit', range: { line: 2 } });
  });

  it('reports syntax errors with a position', () => {
    const d = parseYamlDocument('s.yaml', 'a: [1, 2\nb: 3\n');
    expect(d.problems.length).toBeGreaterThan(0);
    expect(d.problems[0]!.code).toBe('syntax');
    expect(d.problems[0]!.range.line).toBeGreaterThanOrEqual(1);
  });

  it('keeps __proto__ as a plain key (no prototype pollution)', () => {
    const d = parseYamlDocument('p.yaml', '__proto__:\n  polluted: true\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(d.value as object)).toEqual(['__proto__']);
  });
});
