import { describe, expect, it } from 'vitest';
import { runCheckOnFiles } from '@spine-lint/core';
import { defaultPaths } from '../../src/layout.js';
import check from '../../src/rules/gate-topology-metadata.js';
import { checkTester, runCase } from '../support/checkTester.js';

const T = 'gate.execution.topology';

const domain = (id: string, extra = '') => `  - domain_id: ${id}
    description: "The ${id} domain."
    criticality: standard
    capability_prefixes: ["${id}."]
    path_triggers: ["ops/plugins/${id}/"]
    added_date: "2026-02-16"
${extra}`;
const assignment = (gate: string, primary = 'core', family = 'path-hygiene') => `  - gate_id: ${gate}
    primary_domain: ${primary}
    secondary_domains: []
    family: ${family}
`;
const topology = (domains: string, assignments: string) => `version: "1.0"
domain_metadata:
${domains}gate_assignments:
${assignments}`;

checkTester(check, {
  valid: [
    {
      name: 'complete metadata (HEAD shape; unquoted dates, extra keys, secondary domains not checked)',
      files: { [T]: topology(domain('core', '    depends_on: []\n') + domain('infra').replace('"2026-02-16"', '2026-02-25'), assignment('D1') + assignment('D2', 'infra', 'infra-hygiene')) },
    },
    { name: 'no gate assignments at all (gate-domain-assignment reports it)', files: { [T]: topology(domain('core'), '') } },
    { name: 'the text "null" is a value, not a missing one', files: { [T]: topology(domain('core').replace('"The core domain."', '"null"'), assignment('D1')) } },
  ],
  invalid: [
    {
      name: 'topology absent',
      files: { 'gate.registry': 'gates: []\n' },
      errors: [{ messageId: 'topologyNotFound', data: { file: 'ops/bindings/gate.execution.topology.yaml' }, file: 'ops/bindings/gate.execution.topology.yaml' }],
    },
    {
      name: 'missing and empty fields (false counts as missing), a bad criticality',
      files: {
        [T]: topology(
          `  - domain_id: core
    description: ""
    criticality: urgent
    capability_prefixes: []
    path_triggers: ["surfaces/verify/"]
    added_date: false
  - description: "No id, no lists."
    criticality: critical
    added_date: "2026-02-16"
`,
          assignment('D1'),
        ),
      },
      errors: [
        { messageId: 'missingField', data: { label: 'domain_metadata[0] (core)', field: 'description' }, line: 4, column: 18 },
        { messageId: 'badCriticality', data: { label: 'domain_metadata[0] (core)', value: 'urgent' }, line: 5, column: 18 },
        { messageId: 'emptyList', data: { label: 'domain_metadata[0] (core)', field: 'capability_prefixes' }, line: 6, column: 26 },
        { messageId: 'missingField', data: { field: 'added_date' }, line: 8, column: 17 },
        // A missing list is one finding (the reference adds "must be non-empty array" to it).
        { messageId: 'missingField', data: { label: 'domain_metadata[1]', field: 'capability_prefixes' }, line: 9, column: 5 },
        { messageId: 'missingField', data: { label: 'domain_metadata[1]', field: 'domain_id' }, line: 9, column: 5 },
        { messageId: 'missingField', data: { label: 'domain_metadata[1]', field: 'path_triggers' }, line: 9, column: 5 },
      ],
    },
    {
      name: 'a criticality that is a list: its kind, not quoted as if it were the value',
      files: { [T]: topology(domain('core').replace('criticality: standard', 'criticality: [critical]'), assignment('D1')) },
      errors: [{ messageId: 'criticalityNotText', data: { label: 'domain_metadata[0] (core)', actual: 'a list' }, line: 5, column: 18 }],
    },
    {
      name: 'a list written as a string, a map and a duplicate domain id',
      files: { [T]: topology(domain('core') + domain('core').replace('["core."]', '"core."').replace('["ops/plugins/core/"]', '{ a: 1 }'), assignment('D1')) },
      errors: [
        { messageId: 'duplicateDomain', data: { label: 'domain_metadata[1] (core)', domain: 'core', first: 0 }, line: 9, column: 16 },
        { messageId: 'notAList', data: { label: 'domain_metadata[1] (core)', field: 'capability_prefixes', actual: 'the string "core."' }, line: 12, column: 26 },
        { messageId: 'notAList', data: { field: 'path_triggers', actual: 'a map' }, line: 13, column: 20 },
      ],
    },
    {
      name: 'assignments without gate_id, primary_domain or family',
      files: { [T]: topology(domain('core'), '  - primary_domain: core\n    family: x\n  - gate_id: D2\n    primary_domain: null\n  - gate_id: D3\n    primary_domain: core\n    family: ""\n') },
      errors: [
        { messageId: 'missingGateId', data: { index: 0 }, line: 10, column: 5 },
        { messageId: 'missingFamily', data: { index: 1, gate: 'D2' }, line: 12, column: 5 },
        { messageId: 'missingPrimary', data: { index: 1, gate: 'D2' }, line: 13, column: 21 },
        { messageId: 'missingFamily', data: { index: 2, gate: 'D3' }, line: 16, column: 13 },
      ],
    },
    {
      name: 'no domains: reported, the assignments still checked',
      files: { [T]: topology('', '  - gate_id: D1\n    primary_domain: core\n') },
      errors: [
        { messageId: 'noDomains', line: 1, column: 1 },
        { messageId: 'missingFamily', data: { index: 0, gate: 'D1' }, line: 4, column: 5 },
      ],
    },
    {
      name: 'wrong shape: domain_metadata a map, an assignment a string: one finding each, nothing else',
      files: { [T]: 'domain_metadata:\n  core: { description: x }\ngate_assignments:\n  - D1\n' },
      errors: [
        { messageId: 'wrongShape', data: { path: 'domain_metadata', expected: 'a list', actual: 'a map' }, line: 2, column: 3 },
        { messageId: 'wrongShape', data: { path: 'gate_assignments[0]', expected: 'a map', actual: 'the string "D1"' }, line: 4, column: 5 },
      ],
    },
    {
      name: 'wrong shape: the document is a list',
      files: { [T]: '- domain_id: core\n' },
      errors: [{ messageId: 'wrongShape', data: { path: '(the document)', expected: 'a map', actual: 'a list' }, line: 1, column: 1 }],
    },
  ],
});

describe('gate-topology-metadata messages (the reference text, without the "D134 FAIL:" prefix)', () => {
  it('reproduces the reference wording, including the empty gate id', () => {
    const found = runCase(check, {
      name: 'messages',
      files: { [T]: topology(domain('core').replace('standard', 'high').replace('["core."]', '[]'), '  - family: x\n  - gate_id: D2\n') },
    }).map((d) => d.message);
    expect(found).toEqual([
      "domain_metadata[0] (core): criticality 'high' not in {critical,standard}.",
      'domain_metadata[0] (core): capability_prefixes must be non-empty array.',
      'gate_assignments[0] (): missing primary_domain.',
      'gate_assignments[0]: missing gate_id.',
      'gate_assignments[1] (D2): missing family.',
      'gate_assignments[1] (D2): missing primary_domain.',
    ]);
  });
});

describe('gate-topology-metadata on unreadable input', () => {
  it.each([
    ['unparsable', 'domain_metadata: [\n', 'unparsable'],
    ['empty', '', 'empty'],
  ])('a %s topology: the check does not run and says why', (_name, text, state) => {
    const report = runCheckOnFiles(check, { files: { [defaultPaths[T]]: text }, paths: defaultPaths });
    expect(report.results.filter((d) => d.checkId === check.id)).toEqual([]);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: 'ops/bindings/gate.execution.topology.yaml', state }] }]);
  });
});
