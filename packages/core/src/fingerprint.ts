import { createHash } from 'node:crypto';
import type { FindingData } from './diagnostic.js';

function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(stableStringify).join(',') + ']';
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + stableStringify(v)).join(',') + '}';
}

/**
 * A finding's identity across edits: check id + file + pointer + data, never line numbers,
 * so baselines and `--base` survive unrelated edits above the finding.
 */
export function fingerprintOf(parts: { checkId: string; messageId: string; file?: string | null; pointer?: string | null; data: FindingData }): string {
  const text = [parts.checkId, parts.messageId, parts.file ?? '', parts.pointer ?? '', stableStringify(parts.data)].join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}
