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
