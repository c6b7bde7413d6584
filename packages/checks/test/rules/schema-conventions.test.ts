import check from '../../src/rules/schema-conventions.js';
import { checkTester } from '../support/checkTester.js';

const contract = `policy:
  always_validate_files:
    - ops/bindings/spine.schema.conventions.yaml
status_rules:
  allowed_values: [active, planned, applied]
date_rules:
  canonical_fields: [updated_at]
  iso_8601_regex: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T][0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$'
field_rules:
  disallowed_alias_keys: [vmid, notes]
legacy_alias_rules:
  legacy_exceptions:
    - file: ops/bindings/ssh.targets.yaml
      allowed_keys: [notes]
`;
const plan = 'updated_at: "2026-02-11"\nservices:\n  - service: grafana\n    status: cutover\n    vmid: 205\n';

checkTester(check, {
  valid: [
    { name: 'clean contract; unchanged files are not audited', files: { 'spine.schema.conventions': contract, 'infra.relocation.plan': plan } },
    {
      name: 'legacy-excepted key',
      files: { 'spine.schema.conventions': contract, 'ssh.targets': 'ssh:\n  targets:\n    - id: a\n      notes: x\n' },
      options: { changedFiles: ['ops/bindings/ssh.targets.yaml'] },
    },
  ],
  invalid: [
    { name: 'missing contract', files: {}, errors: [{ messageId: 'missingContract' }] },
    {
      name: 'changed manifest: cutover status and vmid alias; bad date',
      files: { 'spine.schema.conventions': contract, 'infra.relocation.plan': plan.replace('"2026-02-11"', '"11/02/2026"') },
      options: { changedFiles: ['ops/bindings/infra.relocation.plan.yaml'] },
      errors: [
        { messageId: 'badDate', data: { key: 'updated_at', value: '11/02/2026' }, line: 1, column: 13 },
        { messageId: 'badStatus', data: { value: 'cutover' }, line: 4, column: 13 },
        { messageId: 'disallowedKey', data: { key: 'vmid' }, line: 5, column: 11 },
      ],
    },
    {
      name: 'a date pattern with nested repetition is not run: one finding on it, no date judged',
      files: {
        'spine.schema.conventions': contract.replace("'^[0-9]{4}-[0-9]{2}-[0-9]{2}([T][0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$'", () => "'^([0-9]+)+$'"),
        'infra.relocation.plan': plan.replace('"2026-02-11"', '"11111111111111111111111111111111111x"').replace('cutover', 'active'),
      },
      options: { changedFiles: ['ops/bindings/infra.relocation.plan.yaml'] },
      errors: [
        { messageId: 'disallowedKey', data: { key: 'vmid' }, line: 5, column: 11 },
        { messageId: 'unsafeDatePattern', data: { reason: "it has an unbounded quantifier ('+'); use {n,m}" }, line: 8, column: 19 },
      ],
    },
    {
      name: 'a value far longer than a date is a bad date without running the pattern; the message shows its start',
      files: {
        'spine.schema.conventions': contract,
        'infra.relocation.plan': plan
          .replace('"2026-02-11"', `"2026-02-11${' '.repeat(100)}"`)
          .replace('cutover', 'active')
          .replace('    vmid: 205\n', ''),
      },
      options: { changedFiles: ['ops/bindings/infra.relocation.plan.yaml'] },
      errors: [{ messageId: 'badDate', data: { key: 'updated_at', value: `2026-02-11${' '.repeat(30)}… (110 characters)` }, line: 1, column: 13 }],
    },
  ],
});
