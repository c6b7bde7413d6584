import { describe, expect, it } from 'vitest';
import { MemorySource, parseYamlDocument, runChecks as runChecksRef, syntaxScan, Workspace, yamlDigest, type Range } from '@spine-lint/core';
import { parse } from 'yaml';
import { applyEdits } from '../src/fix/textEdits.js';
import { fastYamlValue } from '../src/workspace/yamlDocument.js';

/** Range of the `nth` occurrence of a one-line `needle` in `text` (1-based lines and columns, end exclusive). */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`no occurrence ${nth} of ${needle}`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { line, column, endLine: line, endColumn: column + needle.length };
}

const DEFAULTS = ['defaults: &defaults', '  host: 10.0.0.1', '  port: 3000', '  probe: {path: /health}', ''].join('\n');

// [name, text, value]
const MERGES: [string, string, unknown][] = [
  ['single alias', DEFAULTS + 'services:\n  x:\n    <<: *defaults\n    name: x\n', { host: '10.0.0.1', port: 3000, probe: { path: '/health' }, name: 'x' }],
  ['explicit key after the merge overrides it', DEFAULTS + 'services:\n  x:\n    <<: *defaults\n    port: 8080\n', { host: '10.0.0.1', port: 8080, probe: { path: '/health' } }],
  ['explicit key before the merge overrides it too', DEFAULTS + 'services:\n  x:\n    port: 8080\n    <<: *defaults\n', { port: 8080, host: '10.0.0.1', probe: { path: '/health' } }],
  ['list of aliases: the earlier one wins', 'a: &a {k: from-a, p: 1}\nb: &b {k: from-b, q: 2}\nservices:\n  x:\n    <<: [*a, *b]\n', { k: 'from-a', p: 1, q: 2 }],
  ['block list of aliases: the earlier one wins', 'a: &a {k: from-a, p: 1}\nb: &b {k: from-b, q: 2}\nservices:\n  x:\n    <<:\n      - *b\n      - *a\n', { k: 'from-b', q: 2, p: 1 }],
  ['inline map', 'services:\n  x:\n    <<: {a: 1, b: 2}\n    b: 3\n', { a: 1, b: 3 }],
  ['inline map in a flow map', 'services: {x: {<<: {a: 1}, b: 2}}\n', { a: 1, b: 2 }],
  ['a source with its own merge (chain)', 'base: &base {a: 1, b: 1, c: 1}\nmid: &mid {<<: *base, b: 2}\nservices:\n  x: {<<: *mid, c: 3}\n', { a: 1, b: 2, c: 3 }],
  ['two merge keys in one map: merged in order, the earlier wins, not reported', 'a: &a {k: from-a}\nb: &b {k: from-b, q: 2}\nservices:\n  x:\n    <<: *a\n    <<: *b\n', { k: 'from-a', q: 2 }],
  ['a quoted "<<" is a plain key, not a merge', 'services:\n  x:\n    "<<": {a: 1}\n', { '<<': { a: 1 } }],
];

describe('YAML merge keys are resolved (YAML 1.1 / yq semantics)', () => {
  it.each(MERGES)('%s', (_name, text, expected) => {
    const doc = parseYamlDocument('m.yaml', text);
    expect(doc.problems).toEqual([]);
    expect((doc.value as { services: { x: unknown } }).services.x).toStrictEqual(expected);
    if (!text.includes('"<<"')) expect(fastYamlValue(text)).toBeUndefined(); // merges always take the `yaml` path
  });

  it('a merge in each item of a relocation services list', () => {
    const text = [
      'svc_defaults: &svc_defaults',
      '  from: vm-a',
      '  to: vm-b',
      '  status: planned',
      'relocation:',
      '  services:',
      '    - <<: *svc_defaults',
      '      service: grafana',
      '    - <<: *svc_defaults',
      '      service: loki',
      '      status: done',
      '',
    ].join('\n');
    const doc = parseYamlDocument('r.yaml', text);
    expect(doc.problems).toEqual([]);
    expect((doc.value as { relocation: unknown }).relocation).toStrictEqual({
      services: [
        { from: 'vm-a', to: 'vm-b', status: 'planned', service: 'grafana' },
        { from: 'vm-a', to: 'vm-b', status: 'done', service: 'loki' },
      ],
    });
    // merged: the anchored map's entry; explicit: the item's own entry
    expect(doc.locate('/relocation/services/0/to')).toEqual(rangeOf(text, 'vm-b'));
    expect(doc.locateKey('/relocation/services/0/to')).toEqual(rangeOf(text, 'to'));
    expect(doc.locate('/relocation/services/1/status')).toEqual(rangeOf(text, 'done'));
    expect(doc.locateKey('/relocation/services/1/status')).toEqual(rangeOf(text, 'status', 1));
    expect(doc.locate('/relocation/services/1/service')).toEqual(rangeOf(text, 'loki'));
  });

  it('the fast path refuses a merge key, wherever it is spelled', () => {
    for (const text of [
      '<<: {a: 1}\n',
      'x:\n  <<: {a: 1}\n',
      '- <<: {a: 1}\n',
      '{<<: {a: 1}}\n',
      '[<<: {a: 1}]\n',
      '? <<\n: {a: 1}\n',
      '? << # c\n: {a: 1}\n',
      '{? <<, b: 1}\n',
      'x:\n  <<  : {a: 1}\n',
    ]) {
      expect(fastYamlValue(text)).toBeUndefined();
      expect(JSON.stringify(parseYamlDocument('f.yaml', text).value) ?? '').not.toContain('<<'); // merged (or refused: `{? <<}` merges null)
    }
    // `<<` as text is no merge key: still fast
    expect(fastYamlValue('a: x << y\nb: "<<: z"\nc: <<\n')).toEqual({ value: { a: 'x << y', b: '<<: z', c: '<<' } });
  });

  describe('positions of merged entries', () => {
    const text = DEFAULTS + 'services:\n  x:\n    <<: *defaults\n    port: 8080\n';
    const doc = parseYamlDocument('p.yaml', text);

    it('locate and locateKey of a merged key point into the anchored map', () => {
      expect(doc.locate('/services/x/host')).toEqual(rangeOf(text, '10.0.0.1'));
      expect(doc.locateKey('/services/x/host')).toEqual(rangeOf(text, 'host'));
      expect(doc.locate('/services/x/probe/path')).toEqual(rangeOf(text, '/health'));
      expect(doc.locateKey('/services/x/probe/path')).toEqual(rangeOf(text, 'path'));
    });

    it('an explicit key keeps its own position', () => {
      expect(doc.locate('/services/x/port')).toEqual(rangeOf(text, '8080'));
      expect(doc.locateKey('/services/x/port')).toEqual(rangeOf(text, 'port', 1));
      expect(doc.locate('/defaults/port')).toEqual(rangeOf(text, '3000'));
    });

    it('a missing key and `<<` itself name no entry: the nearest ancestor', () => {
      expect(doc.locate('/services/x/nope')).toEqual(doc.locate('/services/x'));
      expect(doc.locate('/services/x/<<')).toEqual(doc.locate('/services/x'));
      expect(doc.locateKey('/services/x/<<')).toBeUndefined();
    });

    it('with a list of aliases the earlier source positions a key both have', () => {
      const t = 'a: &a {k: from-a}\nb: &b {k: from-b, q: 2}\nx:\n  <<: [*a, *b]\n';
      const d = parseYamlDocument('l.yaml', t);
      expect(d.locate('/x/k')).toEqual(rangeOf(t, 'from-a'));
      expect(d.locate('/x/q')).toEqual(rangeOf(t, '2'));
    });

    it('an inline merged map, and a chain of merges', () => {
      const t = 'x:\n  <<: {a: 1}\ny: &y {<<: {b: 2}}\nz: {<<: *y}\n';
      const d = parseYamlDocument('i.yaml', t);
      expect(d.value).toStrictEqual({ x: { a: 1 }, y: { b: 2 }, z: { b: 2 } });
      expect(d.locate('/x/a')).toEqual(rangeOf(t, '1'));
      expect(d.locate('/z/b')).toEqual(rangeOf(t, '2'));
      expect(d.locateKey('/z/b')).toEqual(rangeOf(t, 'b'));
    });

    it('a merged key is not a duplicate of the explicit key that overrides it', () => {
      const t = 'd: &d {host: a, port: 1}\nx:\n  <<: *d\n  host: b\n';
      const d = parseYamlDocument('o.yaml', t);
      expect(d.problems).toEqual([]);
      expect(d.value).toStrictEqual({ d: { host: 'a', port: 1 }, x: { host: 'b', port: 1 } });
    });
  });

  describe('guards', () => {
    it('an alias bomb through merge lists is still refused', () => {
      let bomb = 'l0: &l0 {a: 1, b: 2}\n';
      for (let i = 1; i < 12; i++)
        bomb += `l${i}: &l${i} {<<: [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]}\n`;
      const d = parseYamlDocument('bomb.yaml', bomb);
      expect(d.value).toBeUndefined();
      expect(d.problems).toEqual([expect.objectContaining({ code: 'alias-limit', severity: 'error' })]);
    });

    it('an alias bomb mixing merges and aliased values is still refused', () => {
      let bomb = 'l0: &l0 {a: 1, b: 2}\n';
      for (let i = 1; i < 12; i++) bomb += `l${i}: &l${i} {<<: *l${i - 1}, x: *l${i - 1}, y: *l${i - 1}}\n`;
      const d = parseYamlDocument('bomb2.yaml', bomb);
      expect(d.value).toBeUndefined();
      expect(d.problems[0]).toMatchObject({ code: 'alias-limit' });
    });

    it('a merge of a scalar is a positioned error, not an alias-limit one', () => {
      const t = 'a: 1\nx:\n  <<: 5\n';
      const d = parseYamlDocument('s.yaml', t);
      expect(d.value).toBeUndefined();
      expect(d.problems).toEqual([expect.objectContaining({ code: 'syntax', range: rangeOf(t, '<<'), severity: 'error' })]);
      expect(d.problems[0]!.message).toContain("merge key ('<<')");
    });
  });
});

describe('duplicate keys keep a value: the last occurrence wins', () => {
  it('at top level, and the problem stays at the second key', () => {
    const t = 'a: 1\nb: 2\na: 3\n';
    const d = parseYamlDocument('d.yaml', t);
    expect(d.value).toStrictEqual({ a: 3, b: 2 });
    expect(d.problems).toEqual([{ code: 'duplicate-key', message: expect.stringContaining("Duplicate key 'a'"), range: rangeOf(t, 'a', 1), severity: 'error', suggestions: expect.any(Array) }]);
    expect(fastYamlValue(t)).toBeUndefined();
  });

  it.each([
    ['nested map', 'services:\n  x:\n    host: a\n    host: b\n', { services: { x: { host: 'b' } } }, 'host', 1],
    ['in a list item', 'list:\n  - id: 1\n    id: 2\n', { list: [{ id: 2 }] }, 'id', 1],
    ['in a flow map', 'x: {k: 1, k: [2]}\n', { x: { k: [2] } }, 'k', 1],
    ['a whole nested map replaced', 'x:\n  a: {p: 1}\ny: 0\nx:\n  b: 2\n', { x: { b: 2 }, y: 0 }, 'x', 1],
    ['inside a merge source', 'd: &d {k: 1, k: 2}\nx: {<<: *d}\n', { d: { k: 2 }, x: { k: 2 } }, 'k', 1],
  ] as [string, string, unknown, string, number][])('%s', (_name, t, expected, key, nth) => {
    const d = parseYamlDocument('d.yaml', t);
    expect(d.value).toStrictEqual(expected);
    expect(d.problems).toEqual([expect.objectContaining({ code: 'duplicate-key', range: rangeOf(t, key, nth), severity: 'error' })]);
  });

  it('three occurrences: the third wins, two problems', () => {
    const t = 'a: 1\na: 2\na: 3\n';
    const d = parseYamlDocument('d.yaml', t);
    expect(d.value).toStrictEqual({ a: 3 });
    expect(d.problems.map((p) => p.range.line)).toEqual([2, 3]);
  });

  it('a pointer to a duplicated key locates the occurrence whose value is kept (the last)', () => {
    const t = 'x:\n  host: first\n  host: second\n';
    const d = parseYamlDocument('d.yaml', t);
    expect(d.locate('/x/host')).toEqual(rangeOf(t, 'second'));
    expect(d.locateKey('/x/host')).toEqual(rangeOf(t, 'host', 1));
  });

  it('a syntax error still gives no value, with or without duplicates', () => {
    for (const t of ['a: [1, 2\nb: 3\n', 'a: 1\na: 2\nb: [1\n', 'a:\n\tb: 1\n']) {
      const d = parseYamlDocument('s.yaml', t);
      expect(d.value).toBeUndefined();
      expect(d.problems.some((p) => p.code === 'syntax')).toBe(true);
    }
  });

  it('an alias bomb with a duplicate key still gives no value', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const d = parseYamlDocument('bomb.yaml', bomb + 'a0: 1\n');
    expect(d.value).toBeUndefined();
    expect(d.problems.map((p) => p.code).sort()).toEqual(['alias-limit', 'duplicate-key']);
  });

  it('a file with a duplicate key is never recorded as well-formed, and the workspace reads its last-wins value', () => {
    const dup = 'services:\n  x:\n    host: a\n    host: b\n';
    const digest = yamlDigest(new TextEncoder().encode(dup));
    const files = { 'ops/a.yaml': dup, 'ops/b.yaml': dup + '# b\n', 'ops/c.yaml': dup + '# c\n', 'ops/good.yaml': 'a: 1\n' };
    const known = new Set<string>();
    const ws = new Workspace(new MemorySource(files), { wellFormedYaml: known });
    syntaxScan(['ops'])(ws); // checkSyntax
    expect(ws.text('ops/b.yaml')).toBe(files['ops/b.yaml']); // text()
    expect(ws.yaml('ops/c.yaml')?.value).toStrictEqual({ services: { x: { host: 'b' } } }); // yaml()
    expect(ws.yaml('ops/a.yaml')?.value).toStrictEqual({ services: { x: { host: 'b' } } });
    expect([...known]).toEqual([yamlDigest(new TextEncoder().encode('a: 1\n'))]);
    expect(known.has(digest)).toBe(false);
    for (const path of ['ops/a.yaml', 'ops/b.yaml', 'ops/c.yaml']) {
      expect(
        ws
          .loadedFiles()
          .find((f) => f.path === path)
          ?.problems.map((p) => p.code),
      ).toEqual(['duplicate-key']);
    }
  });
});

describe('duplicate keys: which one to keep is two suggestions, never a fix', () => {
  const findingsOf = (text: string) => {
    const ws = new Workspace(new MemorySource({ 'x.yaml': text }));
    ws.yaml('x.yaml');
    return runChecksRef({ workspace: ws, checks: [] }).results.filter((d) => d.checkId === 'parse');
  };
  const text = 'services:\n  grafana:\n    host: a   # first\n    port: 1\n  loki:\n    host: b\n  grafana:\n    host: c\n# tail\n';
  it('block entries: keep the first (delete the later lines) or keep the last (delete the first), each leaving YAML without duplicates', () => {
    const [d] = findingsOf(text);
    expect(d!.fix).toBeUndefined();
    expect(d!.suggestions!.map((s) => s.description)).toEqual([
      "keep the first 'grafana' (line 2): delete the one on line 7",
      "keep the last 'grafana' (line 7, the one YAML loaders and yq read): delete the one on line 2",
    ]);
    const outputs = d!.suggestions!.map((s) => {
      const r = applyEdits(text, s.edits);
      return r.ok ? r.text : r.reason;
    });
    expect(outputs).toEqual(['services:\n  grafana:\n    host: a   # first\n    port: 1\n  loki:\n    host: b\n# tail\n', 'services:\n  loki:\n    host: b\n  grafana:\n    host: c\n# tail\n']);
    for (const o of outputs) expect(() => parse(o, { uniqueKeys: true })).not.toThrow();
  });
  it('flow maps and an entry sharing its line with a list dash get no suggestion (deleting lines would touch a neighbour)', () => {
    expect(findingsOf('services: {a: 1, a: 2}\n')[0]!.suggestions).toBeUndefined();
    expect(findingsOf('items:\n  - a: 1\n    a: 2\n')[0]!.suggestions).toBeUndefined();
  });
});
