import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '@spine-lint/core';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` with strict checking, turning its errors into usage errors (exit 2). */
export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** Split `a,b c` style lists. */
export const splitList = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);

export function parseInteger(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} takes a whole number${min > 0 ? ` ≥ ${min}` : ''} (got '${value}')`);
  return Number(value);
}

export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const invalid = (): UsageError => new UsageError(`--now takes an ISO date or date-time such as 2026-02-28 or 2026-02-28T12:00:00Z (got '${value}')`);
  // `new Date` rolls 2026-02-30 over to March 2 and accepts free-form text; the calendar date and
  // the clock are checked field by field, so only a real ISO instant passes.
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  if (!m) throw invalid();
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) throw invalid();
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) throw invalid();
  const date = new Date(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw invalid();
  return date;
}

export { runOptions } from './optionTables.js';
