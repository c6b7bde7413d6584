import { describe, expect, it } from 'vitest';
import { compiledValidator, MemorySource, runChecks, schemaValidation, Workspace, type Diagnostic, type SchemaEntry } from '@spine-lint/core';

/** A small, generic schema: nothing here knows any spine binding. */
const inventory = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://example.test/schemas/inventory.schema.json',
  title: 'inventory',
  type: 'object',
  required: ['items'],
  properties: {
    version: { type: 'integer', description: 'format version' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'host'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1 },
          host: { type: ['string', 'null'] },
          kind: { enum: ['vm', 'machine'] },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          vmid: { type: 'string', title: 'quoted digits', pattern: '^[0-9]+$', description: 'Proxmox VMID' },
          expect: { type: ['integer', 'string'], pattern: '^[0-9]{3}(,[0-9]{3})*$' },
          tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        },
      },
    },
    groups: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9-]*$' },
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
  },
};

const TEXT = [
  'version: 1', //                               1
  'items:', //                                   2
  '  - id: a', //                                3
  '    host: 10.0.0.1', //                       4
  '    kind: vm', //                             5
  '  - id: b', //                                6
  '    host: 42', //                             7
  '    kind: container', //                      8
  '    port: 70000', //                          9
  '    vmid: 2x4', //                           10
  '    expect: "200,4xx"', //                   11
  '    colour: red', //                         12
  '  - host: null', //                          13
  '    tags: [a, b, a]', //                     14
  'groups:', //                                 15
  '  Bad_Name: x', //                           16
  '  ok-name: 5', //                            17
  '',
].join('\n');

function run(files: Record<string, string>, entries: SchemaEntry[]): Diagnostic[] {
  const workspace = new Workspace(new MemorySource(files), { paths: { inventory: 'data/inventory.yaml' } });
  return runChecks({ workspace, checks: [], producers: [schemaValidation(entries)] }).results;
}

const at = (d: Diagnostic): string => `${d.line}:${d.column}`;

describe('schemaValidation', () => {
  const results = run({ 'data/inventory.yaml': TEXT }, [{ binding: 'inventory', schema: inventory }]);
  const byMessage = (needle: string): Diagnostic => {
    const found = results.find((d) => d.message.includes(needle));
    if (!found) throw new Error(`no finding containing '${needle}' in:\n${results.map((r) => `${at(r)} ${r.message}`).join('\n')}`);
    return found;
  };

  it('reports every violation as a schema finding of the binding file', () => {
    expect(results.map((d) => d.pointer)).toEqual([
      '/items/1/host',
      '/items/1/kind',
      '/items/1/port',
      '/items/1/vmid',
      '/items/1/expect',
      '/items/1/colour',
      '/items/2',
      '/items/2/tags/2',
      '/groups/Bad_Name',
      '/groups/ok-name',
    ]);
    for (const d of results) {
      expect(d).toMatchObject({ checkId: 'schema', messageId: 'violation', severity: 'error', file: 'data/inventory.yaml' });
    }
  });

  it('points a type error at the wrong value, naming the path and both types', () => {
    const d = byMessage('inventory.items[1].host must be');
    expect(d.message).toBe('inventory.items[1].host must be string or null (got integer 42)');
    expect(d.pointer).toBe('/items/1/host');
    expect([d.line, d.column, d.endLine, d.endColumn]).toEqual([7, 11, 7, 13]);
    expect(d.data).toMatchObject({ binding: 'inventory', path: 'inventory.items[1].host', keyword: 'type', expected: 'string or null', actual: 'integer' });
  });

  it('points a missing required key at the object that lacks it', () => {
    const d = byMessage("missing required key 'id'");
    expect(d.message).toBe("inventory.items[2]: missing required key 'id'");
    expect(d.pointer).toBe('/items/2');
    expect(at(d)).toBe('13:5');
  });

  it('points an unknown key at the key itself, listing the known keys', () => {
    const d = byMessage("unknown key 'colour'");
    expect(d.pointer).toBe('/items/1/colour');
    expect([d.line, d.column, d.endLine, d.endColumn]).toEqual([12, 5, 12, 11]);
    expect(d.message).toContain('known keys: id, host, kind, port, vmid, expect, tags');
  });

  it('names the allowed values of an enum', () => {
    const d = byMessage("unknown value 'container'");
    expect(d.message).toBe('unknown value \'container\' for inventory.items[1].kind (allowed: "vm", "machine")');
    expect(at(d)).toBe('8:11');
  });

  it('reports ranges and patterns with the offending value and the schema description', () => {
    expect(byMessage('port must be <= 65535').message).toBe('inventory.items[1].port must be <= 65535 (got 70000)');
    expect(at(byMessage('port must be <= 65535'))).toBe('9:11');
    const vmid = byMessage('vmid must be');
    expect(vmid.message).toBe("inventory.items[1].vmid must be quoted digits (got '2x4')");
    expect(at(vmid)).toBe('10:11');
    const expectValue = byMessage('expect must match');
    expect(expectValue.message).toBe("inventory.items[1].expect must match /^[0-9]{3}(,[0-9]{3})*$/ (got '200,4xx')");
    expect(at(expectValue)).toBe('11:13');
  });

  it('points a duplicate array item at the later copy', () => {
    const d = byMessage('duplicates item');
    expect(d.message).toBe('inventory.items[2].tags[2] duplicates item 0 of inventory.items[2].tags');
    expect([d.line, d.column, d.endLine, d.endColumn]).toEqual([14, 18, 14, 19]);
  });

  it('points a badly named map key at the key', () => {
    const d = byMessage("key 'Bad_Name'");
    expect(d.message).toBe("inventory.groups: key 'Bad_Name' must match /^[a-z][a-z0-9-]*$/");
    expect([d.line, d.column, d.endLine, d.endColumn]).toEqual([16, 3, 16, 11]);
  });

  it('collapses anyOf branches into one finding', () => {
    const d = byMessage('groups.ok-name');
    expect(d.message).toBe('inventory.groups.ok-name matches none of the allowed shapes: it must be string, or be array');
    expect(at(d)).toBe('17:12');
    expect(results.filter((r) => r.pointer === '/groups/ok-name')).toHaveLength(1);
  });

  it('reports a missing required top-level key at the document', () => {
    const d = run({ 'data/inventory.yaml': 'version: 1\n' }, [{ binding: 'inventory', schema: inventory }]);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ message: "inventory: missing required key 'items'", pointer: '', line: 1, column: 1 });
  });

  it('rejects a document of the wrong type at its start', () => {
    const d = run({ 'data/inventory.yaml': '- just\n- a list\n' }, [{ binding: 'inventory', schema: inventory }]);
    expect(d.map((x) => `${at(x)} ${x.message}`)).toEqual(['1:1 inventory must be object (got array)']);
  });

  it('passes a valid document and skips missing or unparsable bindings', () => {
    expect(run({ 'data/inventory.yaml': 'items:\n  - id: a\n    host: null\n    expect: 200\n' }, [{ binding: 'inventory', schema: inventory }])).toEqual([]);
    expect(run({}, [{ binding: 'inventory', schema: inventory }])).toEqual([]);
    const broken = run({ 'data/inventory.yaml': 'items: [\n' }, [{ binding: 'inventory', schema: inventory }]);
    expect(broken.map((d) => d.checkId)).toEqual(['parse']);
  });

  it('compiles a schema once per $id, and recompiles a different schema under a reused $id', () => {
    const a = compiledValidator(inventory);
    expect(compiledValidator(structuredClone(inventory))).toBe(a);
    const other = { ...inventory, required: ['version'] };
    const b = compiledValidator(other);
    expect(b).not.toBe(a);
    expect(b({ items: [] })).toBe(false);
    expect(a({ items: [] })).toBe(true);
  });

  it('throws on a schema with an unknown keyword (strict mode)', () => {
    expect(() => compiledValidator({ $id: 'https://example.test/strict.json', type: 'object', requird: ['x'] })).toThrow(/unknown keyword/);
  });

  it('turns a broken schema into a check-error finding, not a crash', () => {
    const d = run({ 'data/inventory.yaml': 'items: []\n' }, [{ binding: 'inventory', schema: { $id: 'https://example.test/broken.json', type: 'objekt' } }]);
    expect(d.map((x) => x.checkId)).toEqual(['check-error']);
  });

  it('shows URL credentials in values and keys as *** in message and data, also when the value is shortened', () => {
    const schema = {
      $id: 'https://example.test/urls.json',
      type: 'object',
      properties: { url: { type: 'string', title: 'an http(s) URL', pattern: '^https?://' }, long: { type: 'string', pattern: '^https?://' }, kind: { enum: ['a'] } },
      additionalProperties: false,
    };
    const long = `ftp://user:${'S3cret'.repeat(12)}@127.0.0.1/x`;
    const d = run({ 'data/inventory.yaml': `url: "ftp://user:S3cret@127.0.2.205:3000/api/health"\nlong: "${long}"\nkind: "http://k:S3cret@h/"\n"http://u:S3cret@h/": 1\n` }, [
      { binding: 'inventory', schema },
    ]);
    expect(d.map((x) => x.message)).toEqual([
      "inventory.url must be an http(s) URL (got 'ftp://***:***@127.0.2.205:3000/api/health')",
      "inventory.long must match /^https?:/// (got 'ftp://***:***@127.0.0.1/x')",
      'unknown value \'http://***:***@h/\' for inventory.kind (allowed: "a")',
      "inventory: unknown key 'http://***:***@h/' (known keys: url, long, kind)",
    ]);
    expect(d[3]!.data.key).toBe('http://***:***@h/');
    // (The pointer still names the key as written: it must address it. Not covered: docs/security.md.)
    expect(JSON.stringify(d.map(({ pointer: _p, ...rest }) => rest))).not.toContain('S3cret');
  });
});
