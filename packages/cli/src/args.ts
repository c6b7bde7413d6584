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
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--now takes an ISO date or date-time (got '${value}')`);
  return date;
}

export { runOptions } from './optionTables.js';
