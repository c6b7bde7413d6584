import check from '../../src/rules/ssot-freshness.js';
import { checkTester } from '../support/checkTester.js';

const now = new Date('2026-03-06T10:00:00Z');
const registry = (date: string) => `ssots:\n  - id: service-registry\n    last_reviewed: "${date}"\n`;
const doc = (status: string, date?: string) => `---\nstatus: ${status}\nowner: "@ronny"\n${date ? `last_verified: ${date}\n` : ''}---\n# Doc\n`;

checkTester(check, {
  valid: [
    {
      name: 'fresh registry, doc and bindings; exempt and non-authoritative files are skipped',
      now,
      files: {
        SSOT_REGISTRY: registry('2026-02-20'),
        'docs/governance/A.md': doc('authoritative', '2026-03-01'),
        'docs/governance/B.md': doc('draft', '2025-01-01'),
        'ops/bindings/x.yaml': 'version: 1\nupdated_at: "2026-02-28"\n',
        'ops/bindings/inv.yaml': 'updated: "2025-01-01"\n',
        'binding.freshness.exemptions': 'exempt:\n  - file: inv.yaml\n',
      },
    },
    { name: 'exactly 21 days old is fresh', now: new Date('2026-03-06T00:00:00Z'), files: { SSOT_REGISTRY: registry('2026-02-13') } },
  ],
  invalid: [
    {
      name: 'stale SSOT review (22 days)',
      now: new Date('2026-02-04T01:26:56Z'),
      files: { SSOT_REGISTRY: registry('2026-01-13') },
      errors: [{ messageId: 'staleSsot', data: { ssot: 'service-registry', age: 22, threshold: 21 }, line: 3, column: 20 }],
    },
    {
      name: 'stale authoritative doc; missing last_verified is a warning',
      now,
      files: { 'docs/governance/A.md': doc('authoritative', '2026-01-01'), 'docs/governance/B.md': doc('"authoritative"') },
      errors: [
        { messageId: 'staleDoc', data: { file: 'docs/governance/A.md', age: 64 }, line: 4, column: 16, endColumn: 26 },
        { messageId: 'missingLastVerified', severity: 'warning', line: 2, column: 10 },
      ],
    },
    {
      name: 'updated_at is read too (the reference only greps updated:); unparsable dates warn',
      now,
      files: { 'ops/bindings/x.yaml': 'version: 1\nupdated_at: "2026-02-01"\n', 'ops/bindings/y.yaml': 'updated: soon\n' },
      errors: [
        { messageId: 'staleBinding', data: { key: 'updated_at', age: 33 }, line: 2, column: 14, file: 'ops/bindings/x.yaml' },
        { messageId: 'unparsableDate', severity: 'warning', data: { date: 'soon' }, line: 1, column: 10 },
      ],
    },
    {
      name: 'threshold option',
      now,
      options: { thresholdDays: 7 },
      files: { SSOT_REGISTRY: registry('2026-02-20') },
      errors: [{ messageId: 'staleSsot', data: { age: 14, threshold: 7 }, line: 3, column: 20 }],
    },
  ],
});
