import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean, UsageError } from '@spine-lint/core';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` with strict checking, turning its errors into usage errors (exit 2). An unknown
 * option close to a known one says which (`--fromat` → did you mean '--format'?).
 */
export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(withSuggestion((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''), options));
  }
}

function withSuggestion(message: string, options: Options): string {
  const unknown = /^Unknown option '(-{1,2}[^'=]*)/.exec(message)?.[1];
  if (!unknown) return message;
  const names = unknown.startsWith('--') ? Object.keys(options).map((name) => `--${name}`) : Object.values(options).flatMap((o) => (o.short ? [`-${o.short}`] : []));
  const best = didYouMean(unknown, names);
  return best ? `${message} (did you mean '${best}'?)` : message;
}

/** ` (did you mean 'x'?)`, or '' when nothing is close. */
export const suggestion = (input: string, candidates: readonly string[]): string => {
  const best = didYouMean(input, candidates);
  return best ? ` (did you mean '${best}'?)` : '';
};

/** One report a run writes: a format, to a file (`output`) or to stdout. */
export interface OutputTarget {
  format: string;
  /** The file (as given; resolved against the working directory by the caller); undefined: stdout. */
  output?: string;
}

/**
 * The reports an argument list asks for: `-f/--format F` and `-o/--output/--output-file FILE`,
 * repeatable in pairs (`-f sarif -o out.sarif -f github -f junit -o junit.xml`: SARIF to out.sarif,
 * github annotations to stdout, JUnit to junit.xml). An output belongs to the last format given
 * before it; a format without an output goes to stdout, and at most one may. One format and one
 * output pair up in either order (`--output r.json --format json`); no format is `stylish`. Every
 * misuse is a usage error (exit 2): an unknown format (with the closest name), an output with no
 * format before it, two outputs for one format, one file for two reports, two formats for stdout.
 */
export function outputTargets(argv: readonly string[], options: Options, formats: readonly string[]): OutputTarget[] {
  const { tokens } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  const given = tokens.flatMap((t) =>
    t.kind === 'option' && (t.name === 'format' || t.name === 'output' || t.name === 'output-file') && t.value !== undefined ? [{ name: t.name, raw: t.rawName, value: t.value }] : [],
  );
  const formatsGiven = given.filter((t) => t.name === 'format');
  const outputsGiven = given.filter((t) => t.name !== 'format');
  for (const f of formatsGiven) {
    if (!formats.includes(f.value)) throw new UsageError(`unknown format '${f.value}'${suggestion(f.value, formats)} (choose from ${formats.join(', ')})`);
  }
  let targets: OutputTarget[];
  if (formatsGiven.length <= 1 && outputsGiven.length <= 1) {
    targets = [{ format: formatsGiven[0]?.value ?? 'stylish', ...(outputsGiven[0] ? { output: outputsGiven[0].value } : {}) }];
  } else {
    targets = [];
    for (const t of given) {
      if (t.name === 'format') {
        targets.push({ format: t.value });
        continue;
      }
      const last = targets.at(-1);
      if (!last) throw new UsageError(`${t.raw} ${t.value}: an output follows the format it writes (-f FORMAT -o FILE …)`);
      if (last.output !== undefined) throw new UsageError(`${t.raw} ${t.value}: --format ${last.format} already writes to ${last.output} (one -o FILE per -f FORMAT)`);
      last.output = t.value;
    }
  }
  const toStdout = targets.filter((t) => t.output === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(
      `only one format can write to stdout, but ${toStdout.map((t) => t.format).join(', ')} have no --output: give each other format its own -o FILE after it (-f sarif -o spine-lint.sarif -f github)`,
    );
  }
  const seen = new Map<string, string>();
  for (const t of targets) {
    if (t.output === undefined) continue;
    const file = resolve(t.output);
    const other = seen.get(file);
    if (other !== undefined) throw new UsageError(`--output ${t.output} is given for both --format ${other} and --format ${t.format}: one file per report`);
    seen.set(file, t.format);
  }
  return targets;
}

/** Split `a,b c` style lists. */
export const splitList = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

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
