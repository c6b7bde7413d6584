import { defineCheck } from '@spine-lint/core';
import { freshnessExemptions, parseIsoDate, scanHeader, ssotRegistry } from '../bindings/drift/freshness.js';

export interface SsotFreshnessOptions {
  /** Maximum age, in whole days, of a date before it is stale. */
  thresholdDays: number;
}

const DEFAULT_OPTIONS: SsotFreshnessOptions = { thresholdDays: 21 };

/**
 * D58 ssot-freshness-lock (spec §1.0): SSOT registry reviews, authoritative governance docs and normative
 * bindings must have been verified within the threshold. "Now" is the run's clock (`--now`).
 */
export default defineCheck({
  id: 'ssot-freshness',
  aliases: ['D58'],
  title: 'SSOT freshness',
  description:
    'SSOT_REGISTRY last_reviewed dates, the last_verified date of every authoritative docs/governance/*.md and the updated/updated_at date of every ' +
    'non-exempt ops/bindings/*.yaml must be at most `thresholdDays` (default 21) old.',
  severity: 'error',
  kind: 'static',
  reads: ['SSOT_REGISTRY', 'binding.freshness.exemptions', 'docs/governance/*.md', 'ops/bindings/*.yaml'],
  fixHint: 'Review the document and bump its date (last_reviewed, last_verified or updated_at), or exempt inventory-style bindings in binding.freshness.exemptions.yaml.',
  ports: 'surfaces/verify/d58-ssot-freshness-lock.sh',
  optionsSchema: {
    type: 'object',
    properties: { thresholdDays: { type: 'number', minimum: 0, description: 'Days a date may be old; older (strictly more days) is stale.' } },
  },
  defaultOptions: DEFAULT_OPTIONS,
  messages: {
    staleSsot: "SSOT '{{ssot}}': last_reviewed={{date}} ({{age}}d ago, threshold={{threshold}}d).",
    staleDoc: '{{file}}: last_verified={{date}} ({{age}}d ago, threshold={{threshold}}d).',
    missingLastVerified: '{{file}}: authoritative document has no last_verified in its first 15 lines.',
    staleBinding: '{{file}}: {{key}}={{date}} ({{age}}d ago, threshold={{threshold}}d).',
    unparsableDate: "{{file}}: {{key}} value '{{date}}' is not an ISO date, so its freshness cannot be judged.",
  },
  run(ctx) {
    const ws = ctx.workspace;
    const threshold = ctx.options.thresholdDays;

    // (a) SSOT_REGISTRY .ssots[].last_reviewed
    const reg = ssotRegistry(ws);
    for (const s of reg.ssots) {
      if (s.lastReviewed === undefined) continue;
      const date = parseIsoDate(s.lastReviewed);
      if (!date) {
        ctx.report({
          messageId: 'unparsableDate',
          severity: 'warning',
          data: { file: reg.file, ssot: s.id ?? null, key: 'last_reviewed', date: s.lastReviewed },
          file: 'SSOT_REGISTRY',
          pointer: s.pointer,
        });
        continue;
      }
      const age = ctx.clock.daysSince(date);
      if (age > threshold) ctx.report({ messageId: 'staleSsot', data: { ssot: s.id ?? null, date: s.lastReviewed, age, threshold }, file: 'SSOT_REGISTRY', pointer: s.pointer });
    }

    // (b) docs/governance/*.md (non-recursive): status in the first 10 lines; last_verified in the first 15.
    for (const file of ws.list('docs/governance').filter((f) => f.endsWith('.md'))) {
      const text = ws.text(file);
      if (text === undefined) continue;
      const status = scanHeader(text, ['status'], 10);
      if (status?.value !== 'authoritative') continue;
      const lv = scanHeader(text, ['last_verified'], 15);
      if (!lv) {
        ctx.report({ messageId: 'missingLastVerified', severity: 'warning', data: { file }, file, pointer: '/frontmatter/status', range: status.range });
        continue;
      }
      const date = parseIsoDate(lv.value);
      if (!date) {
        ctx.report({ messageId: 'unparsableDate', severity: 'warning', data: { file, key: 'last_verified', date: lv.value }, file, pointer: '/frontmatter/last_verified', range: lv.range });
        continue;
      }
      const age = ctx.clock.daysSince(date);
      if (age > threshold) ctx.report({ messageId: 'staleDoc', data: { file, date: lv.value, age, threshold }, file, pointer: '/frontmatter/last_verified', range: lv.range });
    }

    // (c) ops/bindings/*.yaml not exempt: the first `updated:` — or, unlike the reference, `updated_at:` — in the first 20 lines.
    const exempt = freshnessExemptions(ws);
    for (const file of ws.list('ops/bindings').filter((f) => f.endsWith('.yaml'))) {
      const base = file.slice(file.lastIndexOf('/') + 1);
      if (exempt.has(base)) continue;
      const text = ws.text(file);
      if (text === undefined) continue;
      const hit = scanHeader(text, ['updated', 'updated_at'], 20);
      if (!hit) continue;
      const date = parseIsoDate(hit.value);
      if (!date) {
        ctx.report({ messageId: 'unparsableDate', severity: 'warning', data: { file, key: hit.key, date: hit.value }, file, pointer: `/${hit.key}`, range: hit.range });
        continue;
      }
      const age = ctx.clock.daysSince(date);
      if (age > threshold) ctx.report({ messageId: 'staleBinding', data: { file, key: hit.key, date: hit.value, age, threshold }, file, pointer: `/${hit.key}`, range: hit.range });
    }
  },
});
