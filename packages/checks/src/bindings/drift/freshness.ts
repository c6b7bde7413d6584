import { hasLineTerminator, isLineTerminatorCode, skipSpaces, trimEndIndex, type Range, type Workspace } from '@spine-lint/core';
import { asArray, asMap, memoised, optScalar, pointer } from '../util.js';

/** `docs/governance/SSOT_REGISTRY.yaml` `.ssots[]` (D58 part a). */
export interface SsotEntry {
  id: string | undefined;
  lastReviewed: string | undefined;
  pointer: string;
}

export const ssotRegistry = memoised((ws: Workspace) => {
  const root = asMap(ws.yaml('SSOT_REGISTRY')?.value);
  const ssots: SsotEntry[] = [];
  (asArray(root?.ssots) ?? []).forEach((item, i) => {
    const s = asMap(item);
    if (s) ssots.push({ id: optScalar(s.id), lastReviewed: optScalar(s.last_reviewed), pointer: pointer('ssots', i, 'last_reviewed') });
  });
  return { exists: ws.exists('SSOT_REGISTRY'), file: ws.pathOf('SSOT_REGISTRY'), ssots };
});

/** `binding.freshness.exemptions.yaml` `.exempt[].file` (file names relative to ops/bindings). */
export const freshnessExemptions = memoised((ws: Workspace): Set<string> => {
  const root = asMap(ws.yaml('binding.freshness.exemptions')?.value);
  const out = new Set<string>();
  for (const item of asArray(root?.exempt) ?? []) {
    const f = optScalar(asMap(item)?.file);
    if (f) out.add(f);
  }
  return out;
});

/** A header line found by a raw regex scan (what D58 greps), with the value's exact range. */
export interface HeaderHit {
  key: string;
  value: string;
  range: Range;
}

/**
 * The value `^<key>:\s*(.+?)\s*$` captures on a line, or `undefined` when it does not match, found by
 * scanning once (that expression backtracked over every split of the spaces after the value:
 * quadratic). The value is the text between the spaces after `key:` and the spaces at the end; it
 * holds no line terminator (`.` matches none). On a line of only spaces after `key:` the expression
 * gave back spaces to `.+?` until it matched one character: the last one that is no line terminator.
 */
export function headerValue(line: string, key: string): string | undefined {
  if (!line.startsWith(key) || line.charCodeAt(key.length) !== 0x3a /* : */) return undefined;
  const from = key.length + 1;
  const start = skipSpaces(line, from);
  if (start < line.length) {
    const end = trimEndIndex(line, line.length, start);
    return hasLineTerminator(line, start, end) ? undefined : line.slice(start, end);
  }
  for (let i = line.length - 1; i >= from; i--) if (!isLineTerminatorCode(line.charCodeAt(i))) return line[i];
  return undefined;
}

/**
 * The first line among the first `maxLines` matching `^(key):\s*(.+?)\s*$` (one of `keys`), the value with
 * surrounding quotes stripped, as D58's Python does.
 */
export function scanHeader(text: string, keys: readonly string[], maxLines: number): HeaderHit | undefined {
  const lines = text.split(/\r?\n/, maxLines);
  for (let i = 0; i < lines.length && i < maxLines; i++) {
    const line = lines[i]!;
    for (const key of keys) {
      const found = headerValue(line, key);
      if (found === undefined) continue;
      let value = found;
      let start = line.indexOf(value, key.length + 1);
      if (/^(["']).*\1$/.test(value) && value.length >= 2) {
        value = value.slice(1, -1);
        start += 1;
      }
      return { key, value, range: { line: i + 1, column: start + 1, endLine: i + 1, endColumn: start + 1 + value.length } };
    }
  }
  return undefined;
}

/**
 * Parse a date the way D58 does (`datetime.fromisoformat` after `Z`→`+00:00`; a date alone is midnight,
 * naive times are UTC because the gate runs with TZ unset). `undefined` when unparsable.
 */
export function parseIsoDate(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', tz] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const date = new Date(utc);
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (tz && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    return new Date(utc - sign * offsetMin * 60_000);
  }
  return date;
}
