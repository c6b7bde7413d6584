import { describe, expect, it } from 'vitest';
import { runCheckOnFiles } from '@spine-lint/core';
import { defaultPaths } from '../../src/layout.js';
import check from '../../src/rules/gate-domain-assignment.js';
import { checkTester, runCase } from '../support/checkTester.js';

const REG = 'gate.registry';
const TOPO = 'gate.execution.topology';
const DOM = 'gate.domain.profiles';
const AGENT = 'gate.agent.profiles';

const registry = (extra = '') => `gates:
  - id: D1
    name: top-level-dirs
  - id: D2
    name: no-runs-trace
  - id: D3
    name: entrypoint-smoke
  - id: D21
    retired: true
${extra}`;

const assign = (gate: string, primary = 'core', secondary = '[]') => `  - gate_id: ${gate}
    primary_domain: ${primary}
    secondary_domains: ${secondary}
    family: hygiene
`;

interface TopologyParts {
  limit?: string;
  core?: string;
  domains?: string;
  assignments?: string;
  release?: string;
  rules?: string;
}
const topology = (p: TopologyParts = {}) => `version: "1.0"
core_mode:
  core_gate_ids: ${p.core ?? '[D1, D3]'}
  core_count_limit: ${p.limit ?? '2'}
domain_metadata:
${p.domains ?? '  - domain_id: core\n  - domain_id: infra\n'}gate_assignments:
${p.assignments ?? assign('D1') + assign('D2', 'infra', '[core]') + assign('D3')}release_sequence: ${p.release ?? '[core, infra]'}
validation_rules:
${p.rules ?? '  require_primary_domain_for_all_active_gates: true\n  reject_undefined_domain_refs: true\n  require_release_sequence_coverage: true\n'}`;

const domainProfiles = (extra = '') => `---
version: "1.0"
domains:
  core:
    gate_ids: [D1, D3]
  infra:
    gate_ids: [D2]
${extra}`;
const agentProfiles = (domains = '[core]') => `profiles:
  - agent_id: core-operator
    domains: ${domains}
  - agent_id: infra-agent
    domains: [infra]
`;

const files = (over: Record<string, string> = {}) => ({ [REG]: registry(), [TOPO]: topology(), [DOM]: domainProfiles(), [AGENT]: agentProfiles(), ...over });

checkTester(check, {
  valid: [
    { name: 'every active gate assigned once to defined domains; the retired gate needs none', files: files() },
    {
      name: 'flags absent (on) and everything consistent; agent profile without domains; core_count_limit as a digit string',
      files: files({ [TOPO]: topology({ rules: '  {}\n', limit: '"2"' }), [AGENT]: 'profiles:\n  - agent_id: x\n' }),
    },
    {
      name: 'boolean false switches the rules off (the reference reads false as true)',
      files: files({
        [REG]: registry('  - id: D4\n'),
        [TOPO]: topology({
          assignments: assign('D1') + assign('D2', 'infra', '[core]') + assign('D3') + '  - gate_id: D9\n    family: x\n',
          release: '[core, ghost]',
          rules: '  require_primary_domain_for_all_active_gates: false\n  reject_undefined_domain_refs: false\n  require_release_sequence_coverage: false\n',
        }),
        [DOM]: domainProfiles('  ghost: {}\n'),
      }),
    },
    {
      name: "wrongly typed nested values are the schema's: a map primary_domain, a string secondary_domains, a null core id",
      files: files({ [TOPO]: topology({ core: '[D1, D3, null]', limit: '3', assignments: assign('D1') + assign('D2', '{ a: 1 }', 'core') + assign('D3') }) }),
    },
  ],
  invalid: [
    {
      name: 'every absent input is reported (the reference stops at the first)',
      files: { [DOM]: domainProfiles() },
      errors: [
        { messageId: 'missingFile', data: { file: 'ops/bindings/gate.agent.profiles.yaml' }, file: 'ops/bindings/gate.agent.profiles.yaml' },
        { messageId: 'missingFile', data: { file: 'ops/bindings/gate.execution.topology.yaml' }, file: 'ops/bindings/gate.execution.topology.yaml' },
        { messageId: 'missingFile', data: { file: 'ops/bindings/gate.registry.yaml' }, file: 'ops/bindings/gate.registry.yaml' },
      ],
    },
    {
      name: 'wrong shape: each problem once, nothing claimed about the contents',
      files: files({ [REG]: 'gates:\n  D1: { name: x }\n', [TOPO]: topology({ assignments: '  - D1\n' }), [DOM]: 'domains: [core]\n', [AGENT]: '- core\n' }),
      errors: [
        { messageId: 'wrongShape', data: { file: 'ops/bindings/gate.agent.profiles.yaml', path: '(the document)', expected: 'a map', actual: 'a list' }, line: 1, column: 1 },
        { messageId: 'wrongShape', data: { path: 'domains', expected: 'a map', actual: 'a list' }, line: 1, column: 10 },
        { messageId: 'wrongShape', data: { path: 'gate_assignments[0]', expected: 'a map', actual: 'the string "D1"' }, line: 9, column: 5 },
        { messageId: 'wrongShape', data: { file: 'ops/bindings/gate.registry.yaml', path: 'gates', expected: 'a list', actual: 'a map' }, line: 2, column: 3 },
      ],
    },
    {
      name: 'core mode: limit missing, core list empty',
      files: files({ [TOPO]: topology({ core: '[]', limit: 'null' }) }),
      errors: [
        { messageId: 'emptyCoreIds', line: 3, column: 18 },
        { messageId: 'missingCoreLimit', line: 4, column: 21 },
      ],
    },
    {
      name: 'core mode: count mismatch, a duplicate, a retired and an unassigned core gate',
      files: files({ [REG]: registry('  - id: D5\n'), [TOPO]: topology({ core: '[D1, D21, D5, D1]', limit: '3' }) }),
      errors: [
        { messageId: 'coreInactive', data: { gate: 'D21' }, line: 3, column: 23 },
        { messageId: 'coreUnassigned', data: { gate: 'D5' }, line: 3, column: 28 },
        { messageId: 'duplicateCoreGate', data: { gate: 'D1', first: 0 }, line: 3, column: 32 },
        { messageId: 'coreCountMismatch', data: { expected: 3, actual: 4 }, line: 4, column: 21 },
        { messageId: 'missingAssignment', data: { gate: 'D5' }, line: 10, column: 9, file: 'ops/bindings/gate.registry.yaml' },
      ],
    },
    {
      name: 'core_count_limit not an integer (bash arithmetic would error out and skip the comparison)',
      files: files({ [TOPO]: topology({ limit: '2.5' }) }),
      errors: [{ messageId: 'badCoreLimit', data: { actual: 'the number 2.5' }, line: 4, column: 21 }],
    },
    {
      name: 'assignments: empty and undefined primary, undefined secondary, an unassigned and a twice-assigned gate',
      files: files({
        [TOPO]: topology({ assignments: assign('D1') + assign('D1', 'core') + '  - gate_id: D2\n    primary_domain: ""\n' + assign('D3', 'cor', '[infra, ops]') }),
        [REG]: registry('  - id: D7\n'),
      }),
      errors: [
        { messageId: 'multipleAssignments', data: { gate: 'D1', count: 2 }, line: 13, column: 14 },
        { messageId: 'emptyPrimary', data: { gate: 'D2' }, line: 18, column: 21 },
        { messageId: 'undefinedPrimary', data: { gate: 'D3', domain: 'cor' }, line: 20, column: 21 },
        { messageId: 'undefinedSecondary', data: { gate: 'D3', domain: 'ops' }, line: 21, column: 32 },
        { messageId: 'missingAssignment', data: { gate: 'D7' }, line: 10, column: 9, file: 'ops/bindings/gate.registry.yaml' },
      ],
    },
    {
      name: 'domain references: domain profile, agent profile and release entries must be defined; release covers every domain',
      files: files({
        [TOPO]: topology({ domains: '  - domain_id: core\n  - domain_id: infra\n  - domain_id: media\n', release: '[core, infra, ghost]' }),
        [DOM]: domainProfiles('  mint: {}\n'),
        [AGENT]: agentProfiles('[core, n8n]'),
      }),
      errors: [
        { messageId: 'undefinedReference', data: { domain: 'n8n' }, line: 3, column: 21, file: 'ops/bindings/gate.agent.profiles.yaml' },
        { messageId: 'undefinedReference', data: { domain: 'mint' }, line: 8, column: 9, file: 'ops/bindings/gate.domain.profiles.yaml' },
        { messageId: 'releaseMissing', data: { domain: 'media' }, line: 8, column: 16 },
        { messageId: 'undefinedReference', data: { domain: 'ghost' }, line: 22, column: 33 },
      ],
    },
    {
      name: 'empty topology collections and no active gate',
      files: files({
        [REG]: 'gates:\n  - id: D1\n    retired: true\n',
        [TOPO]: 'core_mode:\n  core_gate_ids: [D1]\n  core_count_limit: 1\ndomain_metadata: []\ngate_assignments: []\nrelease_sequence: []\n',
      }),
      errors: [
        { messageId: 'emptyDomains', line: 4, column: 18 },
        { messageId: 'emptyAssignments', line: 5, column: 19 },
        { messageId: 'emptyRelease', line: 6, column: 19 },
        { messageId: 'noActiveGates', line: 2, column: 3, file: 'ops/bindings/gate.registry.yaml' },
      ],
    },
    {
      name: 'domain_metadata and gate_assignments without ids: one finding each, no cascade',
      files: files({ [TOPO]: topology({ domains: '  - description: x\n', assignments: '  - primary_domain: core\n' }) }),
      errors: [
        { messageId: 'noDomainIds', line: 6, column: 3 },
        { messageId: 'noAssignmentIds', line: 8, column: 3 },
      ],
    },
    {
      name: 'non-boolean flags and retired values are reported and read as the reference reads them',
      files: files({
        [REG]: registry('  - id: D8\n    retired: yes\n  - id: D9\n    retired: "true"\n'),
        [TOPO]: topology({
          release: '[core, ghost]',
          rules: '  require_primary_domain_for_all_active_gates: true\n  reject_undefined_domain_refs: "no"\n  require_release_sequence_coverage: "true"\n',
        }),
      }),
      errors: [
        { messageId: 'releaseMissing', data: { domain: 'infra' }, line: 7, column: 16 },
        { messageId: 'flagNotBoolean', data: { flag: 'reject_undefined_domain_refs', actual: 'the string "no"', state: 'disabled' }, line: 24, column: 33 },
        { messageId: 'flagNotBoolean', data: { flag: 'require_release_sequence_coverage', state: 'enabled' }, line: 25, column: 38 },
        { messageId: 'missingAssignment', data: { gate: 'D8' }, line: 10, column: 9, file: 'ops/bindings/gate.registry.yaml' },
        { messageId: 'retiredNotBoolean', data: { gate: 'D8', actual: 'the string "yes"', state: 'active' }, line: 11, column: 14, file: 'ops/bindings/gate.registry.yaml' },
        { messageId: 'retiredNotBoolean', data: { gate: 'D9', actual: 'the string "true"', state: 'retired' }, line: 13, column: 14, file: 'ops/bindings/gate.registry.yaml' },
      ],
    },
    {
      name: 'a gate listed twice in the registry: reported once, checked once',
      files: files({ [REG]: registry('  - id: D2\n    name: again\n') }),
      errors: [{ messageId: 'duplicateGate', data: { gate: 'D2', first: 1 }, line: 10, column: 9, file: 'ops/bindings/gate.registry.yaml' }],
    },
  ],
});

describe('gate-domain-assignment messages (the reference text, without the "D127 FAIL:" prefix)', () => {
  it('reproduces the reference wording', () => {
    const found = runCase(check, {
      name: 'messages',
      files: files({ [REG]: registry('  - id: D7\n'), [TOPO]: topology({ limit: '3', assignments: assign('D1') + assign('D1') + assign('D2', 'cor', '[ops]') + assign('D3') }) }),
    }).map((d) => d.message);
    expect(found.sort()).toEqual(
      [
        'core gate count mismatch: expected 3 got 2.',
        "gate D2 primary_domain 'cor' is undefined.",
        "gate D2 secondary_domain 'ops' is undefined.",
        "active gate 'D1' assigned multiple times in topology (count=2).",
        "active gate 'D7' missing assignment in topology.",
      ].sort(),
    );
  });
});

describe('gate-domain-assignment on unreadable inputs', () => {
  const paths = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [(defaultPaths as Record<string, string>)[k]!, v]));
  it.each([
    ['unparsable', 'gates: [\n', 'unparsable'],
    ['empty', '# nothing yet\n', 'empty'],
  ])('a %s registry: the check does not run and says why; no finding about its contents', (_name, text, state) => {
    const report = runCheckOnFiles(check, { files: paths(files({ [REG]: text })), paths: defaultPaths });
    expect(report.results.filter((d) => d.checkId === check.id)).toEqual([]);
    expect(report.skipped).toEqual([{ checkId: check.id, because: [{ file: 'ops/bindings/gate.registry.yaml', state }] }]);
  });
});
