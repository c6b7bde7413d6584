import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyEdits, yamlScalarLike, type TextEdit } from '../../src/fix/textEdits.js';

const at = (line: number, column: number, endLine: number, endColumn: number, text: string): TextEdit => ({ file: 'f.yaml', range: { line, column, endLine, endColumn }, text });

describe('applyEdits', () => {
  const text = 'services:\n  grafana:\n    host: docker-host   # moved in phase 4\n    port: 3000\n';
  it('replaces exactly the range: the comment, indentation and the other keys stay', () => {
    const r = applyEdits(text, [at(3, 11, 3, 22, 'observability')]);
    expect(r).toEqual({ ok: true, text: text.replace('docker-host', 'observability'), applied: 1, skipped: 0 });
  });
  it('identical edits from two checks count once; an overlapping one waits for the next pass', () => {
    const r = applyEdits(text, [at(3, 11, 3, 22, 'observability'), at(3, 11, 3, 22, 'observability'), at(3, 15, 3, 22, 'x')]);
    expect(r).toMatchObject({ ok: true, applied: 1, skipped: 1 });
  });
  it('several edits apply from the end of the text backwards (offsets stay right); CRLF files keep CRLF', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    const r = applyEdits(crlf, [at(4, 11, 4, 15, '3001'), at(3, 11, 3, 22, 'observability')]);
    expect(r.ok && r.text).toBe(crlf.replace('docker-host', 'observability').replace('3000', '3001'));
  });
  it('a range outside the text is refused, not guessed', () => {
    expect(applyEdits(text, [at(9, 1, 9, 2, 'x')])).toEqual({ ok: false, reason: "edit at 9:1 is outside the file's text" });
  });
});

describe('yamlScalarLike', () => {
  it('keeps the quoting style, and every result reads back as the value', () => {
    const cases: [string, string, string][] = [
      ['docker-host', 'observability', 'observability'],
      ["'docker-host'", "it's", "'it''s'"],
      ['"docker-host"', 'a"b', '"a\\"b"'],
      ['docker-host', 'yes', '"yes"'],
      ['docker-host', '10.0.0.1: x', '"10.0.0.1: x"'],
      ['docker-host', '#x', '"#x"'],
      ['null', '100.107.36.76', '100.107.36.76'],
      ['null', '1.5', '"1.5"'],
      ['docker-host', 'y', '"y"'],
      // A line break or a control character is never written raw, whatever the style: escaped in double quotes.
      ["'@ronny'", 'Ron\nny', '"Ron\\nny"'],
      ["'@ronny'", '\u0001x', '"\\u0001x"'],
      ['x', '\u007f', '"\\u007f"'],
      ['"x"', 'a\u2028b', '"a\\u2028b"'],
    ];
    for (const [original, value, written] of cases) {
      expect(yamlScalarLike(original, value)).toBe(written);
      expect(parse(`k: ${written}\n`)).toEqual({ k: value });
      expect(parse(`k: ${written}\n`, { version: '1.1' })).toEqual({ k: value });
    }
  });
});

describe('replaceValueFix', () => {
  it('no fix for a value reached through a merge key: the edit would change every record that merges the anchor', async () => {
    const { MemorySource, Workspace, replaceValueFix } = await import('@spine-lint/core');
    const text = 'base: &b\n  host: docker-host\nservices:\n  grafana:\n    <<: *b\n  loki:\n    <<: *b\n';
    const ws = new Workspace(new MemorySource({ 'r.yaml': text }));
    expect(replaceValueFix(ws, 'r.yaml', '/services/grafana/host', 'observability', 'x')).toBeUndefined();
    // A value of its own is fixed.
    const own = new Workspace(new MemorySource({ 'r.yaml': 'services:\n  grafana:\n    host: docker-host  # old\n' }));
    expect(replaceValueFix(own, 'r.yaml', '/services/grafana/host', 'observability', 'x')?.edits[0]!.text).toBe('observability');
  });
});

describe('moveListItemFix', () => {
  const load = async (text: string) => {
    const { MemorySource, Workspace, moveListItemFix } = await import('@spine-lint/core');
    const ws = new Workspace(new MemorySource({ 'c.yaml': text }));
    return (from: string, to: string) => moveListItemFix(ws, 'c.yaml', from, to, 'move');
  };
  const targets = (last: string) => `targets:\n  a:\n    stacks:\n      - name: x\n  b:\n    stacks:\n      - name: y\n${last}`;

  it('an item at the end of a file without a final line break: the edits stay inside the text and the result parses', async () => {
    const text = targets('      - name: grafana\n        path: /opt/grafana');
    const fix = (await load(text))('/targets/b/stacks/1', '/targets/a/stacks');
    expect(fix).toBeDefined();
    const r = applyEdits(text, fix!.edits);
    expect(r.ok && r.text).toBe('targets:\n  a:\n    stacks:\n      - name: x\n      - name: grafana\n        path: /opt/grafana\n  b:\n    stacks:\n      - name: y');
    expect(parse(r.ok ? r.text : '')).toEqual({ targets: { a: { stacks: [{ name: 'x' }, { name: 'grafana', path: '/opt/grafana' }] }, b: { stacks: [{ name: 'y' }] } } });
  });

  it('to a list that ends the file without a final line break', async () => {
    const text = 'targets:\n  a:\n    stacks:\n      - name: x\n      - name: z\n  b:\n    stacks:\n      - name: y';
    const fix = (await load(text))('/targets/a/stacks/0', '/targets/b/stacks');
    const r = applyEdits(text, fix!.edits);
    expect(parse(r.ok ? r.text : '')).toEqual({ targets: { a: { stacks: [{ name: 'z' }] }, b: { stacks: [{ name: 'y' }, { name: 'x' }] } } });
  });

  it('not the only item of its list: moving it would leave the list null (no fix)', async () => {
    const text = targets('');
    expect((await load(text))('/targets/b/stacks/0', '/targets/a/stacks')).toBeUndefined();
  });
});
