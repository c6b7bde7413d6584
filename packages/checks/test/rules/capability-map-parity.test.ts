import { describe, expect, it } from 'vitest';
import { runCheckOnFiles } from '@spine-lint/core';
import check from '../../src/rules/capability-map-parity.js';
import { defaultPaths } from '../../src/layout.js';
import { checkTester, runCase } from '../support/checkTester.js';

/** capabilities.yaml: `capabilities:` at line 1, each entry 2 lines (key at 2 + 2i). */
const source = (...names: string[]) => `capabilities:\n${names.map((n) => `  ${n}:\n    description: "${n}"\n`).join('')}`;
/** capability_map.yaml: a comment header (lines 1–2), `capabilities:` at line 3, each entry 2 lines (key at 4 + 2i). */
const map = (...names: string[]) => `# Capability Map\n# Status: authoritative\ncapabilities:\n${names.map((n) => `  ${n}:\n    plugin: ${n.split('.')[0]}\n`).join('')}`;

const NAMES = ['spine.verify', 'infra.status', 'secrets.binding'];

checkTester(check, {
  valid: [
    { name: 'the same names, in any order', files: { capabilities: source(...NAMES), capability_map: map(...[...NAMES].reverse()) } },
    {
      name: 'a field repeated inside an entry is not a repeated capability (the parse check reports it)',
      files: { capabilities: source(...NAMES), capability_map: map(...NAMES).replace('    plugin: spine\n', '    plugin: spine\n    plugin: verify\n') },
    },
  ],
  invalid: [
    {
      name: 'both files absent: the first is reported (the reference stops there)',
      files: {},
      errors: [{ messageId: 'missingFile', data: { file: 'ops/capabilities.yaml' }, line: 1, column: 1, file: 'ops/capabilities.yaml' }],
    },
    {
      name: 'the map is absent (trees 01–09)',
      files: { capabilities: source(...NAMES) },
      errors: [{ messageId: 'missingFile', data: { file: 'ops/bindings/capability_map.yaml' }, line: 1, column: 1, file: 'ops/bindings/capability_map.yaml' }],
    },
    {
      name: 'missing from the map (at its capabilities map) and phantom in it (at the entry), each in byte order',
      files: { capabilities: source('spine.verify', 'infra_b', 'infra.b', 'infra-b', 'Infra.b'), capability_map: map('spine.verify', 'z.old', 'a.old') },
      errors: [
        {
          messageId: 'missingFromMap',
          data: { cap: 'Infra.b', source: 'ops/capabilities.yaml', map: 'ops/bindings/capability_map.yaml' },
          line: 4,
          column: 3,
          file: 'ops/bindings/capability_map.yaml',
        },
        { messageId: 'missingFromMap', data: { cap: 'infra-b' }, line: 4, column: 3 },
        { messageId: 'missingFromMap', data: { cap: 'infra.b' }, line: 4, column: 3 },
        { messageId: 'missingFromMap', data: { cap: 'infra_b' }, line: 4, column: 3 },
        { messageId: 'phantomInMap', data: { cap: 'z.old' }, line: 7, column: 5 },
        { messageId: 'phantomInMap', data: { cap: 'a.old' }, line: 9, column: 5 },
      ],
    },
    {
      name: 'no capabilities in either file: one finding each',
      files: { capabilities: 'capabilities: {}\n', capability_map: '# empty\nversion: 1\n' },
      errors: [
        { messageId: 'noCapabilities', data: { side: 'map', file: 'ops/bindings/capability_map.yaml' }, line: 2, column: 1 },
        { messageId: 'noCapabilities', data: { side: 'source', file: 'ops/capabilities.yaml' }, line: 1, column: 15 },
      ],
    },
    {
      name: 'capabilities is a list in the map; the document is a list in the source',
      files: { capabilities: '- spine.verify\n', capability_map: 'capabilities:\n  - spine.verify\n' },
      errors: [
        { messageId: 'noCapabilitiesMap', data: { path: 'capabilities', found: 'a list' }, line: 2, column: 3, file: 'ops/bindings/capability_map.yaml' },
        { messageId: 'noCapabilitiesMap', data: { path: 'the document', found: 'a list' }, line: 1, column: 1, file: 'ops/capabilities.yaml' },
      ],
    },
  ],
});

describe('capability-map-parity', () => {
  it('messages reproduce the reference lines', () => {
    const found = runCase(check, { name: 'messages', files: { capabilities: source('a.new', 'b.kept'), capability_map: map('b.kept', 'c.gone') } });
    expect(found.map((d) => d.message)).toEqual([
      'MISSING from map: a.new (declared in ops/capabilities.yaml, absent from ops/bindings/capability_map.yaml)',
      'PHANTOM in map: c.gone (in ops/bindings/capability_map.yaml, not declared in ops/capabilities.yaml)',
    ]);
  });

  it('an unparsable map is one parse finding; the check does not run (no "no capabilities found in map")', () => {
    const report = runCheckOnFiles(check, { files: { [defaultPaths.capabilities]: source(...NAMES), [defaultPaths.capability_map]: 'capabilities:\n  spine.verify: {\n' }, paths: defaultPaths });
    expect(report.results.filter((d) => d.checkId === check.id)).toEqual([]);
    expect(report.results.filter((d) => d.checkId === 'parse').length).toBeGreaterThan(0);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: defaultPaths.capability_map, state: 'unparsable' }] }]);
  });
});
