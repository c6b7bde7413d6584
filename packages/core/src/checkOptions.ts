/**
 * Check options are data (typescript-eslint's `meta.schema` + `defaultOptions`): a check declares
 * the JSON Schema of its `options:` mapping (`optionsSchema`) and its defaults (`defaultOptions`);
 * the CLI validates `.spine-lint.yaml` against every loaded check's schema (plugins included)
 * before anything runs, and the engine merges the defaults in (`optionsWithDefaults`, check.ts).
 * A misspelled or unknown option, or a value of the wrong type, is a usage error at its line and
 * column, never silently ignored. The schemas are compiled when the config is loaded, with the
 * core's Ajv (draft 2020-12, strict), only for the checks the config gives options to.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { checkMatches, type CheckMeta, type JSONSchema } from './check.js';
import type { SpineLintConfig } from './config.js';
import { UsageError } from './errors.js';
import { parsePointer, pointer as buildPointer } from './pointer.js';
import { escapeTerminal } from './reporters/escape.js';
import { ajvOptions } from './schema/options.js';

/** One problem with a check's configured options. */
export interface OptionsProblem {
  /** JSON pointer into the options mapping ('' = the mapping itself). */
  pointer: string;
  /** The problem is about a key (an unknown option, options given at all), not a value. */
  atKey: boolean;
  /** Where, relative to the options mapping: '' (the mapping), `.thresholdDays`, `.aliases.immich`, `.statuses[1]`. */
  path: string;
  message: string;
}

interface AjvLike {
  compile(schema: object): ValidateFunction;
}

let ajv: AjvLike | undefined;
const validators = new WeakMap<object, ValidateFunction>();

/**
 * The core's Ajv options, without meta-schema validation of the schemas themselves: compiling
 * the draft 2020-12 meta-schema would cost every run with options a noticeable start-up delay.
 * Strict mode still refuses unknown keywords (`tpye`), and the catalog's schemas are checked
 * against the meta-schema by its tests.
 */
function optionsAjv(): AjvLike {
  if (ajv) return ajv;
  const require = createRequire(import.meta.url);
  const mod = require('ajv/dist/2020.js') as { default?: new (o: object) => AjvLike } & (new (o: object) => AjvLike);
  const Ajv2020 = mod.default ?? mod;
  return (ajv = new Ajv2020({ ...ajvOptions, validateSchema: false }));
}

/**
 * A check's options schema as the loader applies it: a mapping, and closed — a key the schema
 * does not name is an unknown option, unless the schema says otherwise (`additionalProperties`
 * or `unevaluatedProperties` given explicitly).
 */
export function closedOptionsSchema(schema: JSONSchema): JSONSchema {
  const open = schema.additionalProperties !== undefined || schema.unevaluatedProperties !== undefined;
  return { ...(schema.type === undefined ? { type: 'object' } : {}), ...schema, ...(open ? {} : { additionalProperties: false }) };
}

/** The compiled (closed) options validator of a check; a schema Ajv refuses is a usage error naming the check. */
function validatorOf(check: Pick<CheckMeta, 'id' | 'optionsSchema'>): ValidateFunction {
  const schema = check.optionsSchema!;
  let validate = validators.get(schema);
  if (!validate) {
    try {
      validate = optionsAjv().compile(closedOptionsSchema(schema));
    } catch (error) {
      throw new UsageError(escapeTerminal(`check '${check.id}' declares an invalid optionsSchema: ${(error as Error)?.message ?? String(error)}`));
    }
    validators.set(schema, validate);
  }
  return validate;
}

/** `.key`, `["odd key"]`, `[3]`: a readable path of a pointer into `root`. */
function displayPath(root: unknown, ptr: string): string {
  let out = '';
  let current: unknown = root;
  for (const segment of parsePointer(ptr)) {
    if (Array.isArray(current)) out += `[${segment}]`;
    else out += /^[A-Za-z_][\w-]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return out;
}

/** "string "soon"", "number -1", "a list": what the config holds, for messages. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return `date ${v.toISOString().slice(0, 10)}`;
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function describeError(error: ErrorObject, options: unknown): OptionsProblem {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const got = ` (got ${describeValue(error.data)})`;
  const problem = (message: string): OptionsProblem => ({ pointer: at, atKey: false, path: displayPath(options, at), message });
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const what = at === '' ? 'option' : 'key';
      const allowed = known.length > 0 ? ` (allowed: ${known.join(', ')})` : '';
      return { pointer: at + buildPointer(key), atKey: true, path: displayPath(options, at), message: `unknown ${what} '${key}'${allowed}` };
    }
    case 'required':
      return problem(`missing required ${at === '' ? 'option' : 'key'} '${String(params.missingProperty)}'`);
    case 'type':
      return problem(`must be ${[params.type].flat().join(' or ')}${got}`);
    case 'enum':
      return problem(`must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`);
    case 'const':
      return problem(`must be ${JSON.stringify(params.allowedValue)}${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return problem(`must be ${String(params.comparison)} ${String(params.limit)}${got}`);
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      if (params.limit === 1) return problem('must not be empty');
      break;
    case 'anyOf':
    case 'oneOf':
      return problem(`matches none of the allowed shapes${got}`);
    default:
      break;
  }
  return problem(`${error.message ?? `fails '${error.keyword}'`}${got}`);
}

/**
 * The problems of a check's configured options (empty: valid): each Ajv error in words, with the
 * pointer of the value (or key) it is about. Options given to a check without a schema are one
 * problem: it takes none. An empty mapping is always valid.
 */
export function checkOptionsProblems(check: Pick<CheckMeta, 'id' | 'optionsSchema'>, options: Readonly<Record<string, unknown>>): OptionsProblem[] {
  if (check.optionsSchema === undefined) {
    return Object.keys(options).length === 0 ? [] : [{ pointer: '', atKey: true, path: '', message: `check '${check.id}' takes no options` }];
  }
  const validate = validatorOf(check);
  if (validate(options)) return [];
  const errors = validate.errors ?? [];
  // Errors of the alternatives inside an anyOf/oneOf that failed as a whole: the combinator's error says it.
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inside = (e: ErrorObject): boolean => combinators.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`));
  const out: OptionsProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if' || inside(error)) continue;
    const problem = describeError(error, options);
    const key = `${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/**
 * Validate the options of every `checks:` entry of the config against the schema of the check it
 * names (catalog, core and plugin checks: pass them all). Throws a `UsageError` (exit 2) for the
 * first problem in the file, positioned at the offending key or value:
 * `.spine-lint.yaml:9:7: checks.ssot-freshness.options: unknown option 'treshholdDays' (allowed: thresholdDays)`.
 * Entries naming no known check are left to the caller (which reports them as unknown checks).
 */
export function validateCheckOptions(config: Pick<SpineLintConfig, 'checks' | 'source' | 'locate'>, checks: readonly CheckMeta[]): void {
  const source = config.source ?? '.spine-lint.yaml';
  let first: { line: number; column: number; message: string } | undefined;
  for (const [name, entry] of Object.entries(config.checks)) {
    if (entry.options === undefined) continue;
    const check = checks.find((c) => checkMatches(c, name));
    if (!check) continue;
    const base = `/checks/${name.replace(/~/g, '~0').replace(/\//g, '~1')}/options`;
    for (const p of checkOptionsProblems(check, entry.options)) {
      const at = config.locate?.(base + p.pointer, p.atKey);
      const message = `checks.${name}.options${p.path}: ${p.message}`;
      if (!at) throw new UsageError(escapeTerminal(`${source}: ${message}`));
      if (!first || at.line < first.line || (at.line === first.line && at.column < first.column)) first = { ...at, message };
    }
  }
  if (first) throw new UsageError(escapeTerminal(`${source}:${first.line}:${first.column}: ${first.message}`));
}

/** One row of a check's options table (docs pages, `spine-lint explain`). */
export interface OptionDoc {
  name: string;
  type: string;
  /** The default as YAML-compatible JSON, or undefined when the option has none. */
  default: string | undefined;
  description: string;
}

/** `string` → `strings`, `non-empty string` → `non-empty strings`; anything longer stays as it is. */
const plural = (type: string): string => (/^(non-empty )?[a-z]+$/.test(type) && !type.endsWith('s') ? `${type}s` : type);

/** A schema's type in words: `number > 0`, `list of strings`, `map of string or null`. */
export function schemaTypeText(schema: JSONSchema | undefined): string {
  if (!schema) return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = [schema.type].flat().filter((t): t is string => typeof t === 'string');
  const words = types.map((t) => {
    if (t === 'array') return `list of ${plural(schemaTypeText(schema.items as JSONSchema | undefined))}`;
    if (t === 'object' && typeof schema.additionalProperties === 'object') return `map of ${schemaTypeText(schema.additionalProperties as JSONSchema)}`;
    if (t === 'object') return 'mapping';
    return t;
  });
  let text = words.length > 0 ? words.join(' or ') : 'any';
  const bounds: [string, string][] = [
    ['minimum', '≥'],
    ['exclusiveMinimum', '>'],
    ['maximum', '≤'],
    ['exclusiveMaximum', '<'],
  ];
  for (const [keyword, sign] of bounds) if (typeof schema[keyword] === 'number') text += ` ${sign} ${String(schema[keyword])}`;
  if (schema.minLength === 1 && types.includes('string')) text = `non-empty ${text}`;
  return text;
}

/** The documented options of a check, in schema order (empty when it takes none). */
export function optionDocs(check: Pick<CheckMeta, 'optionsSchema' | 'defaultOptions'>): OptionDoc[] {
  const properties = (check.optionsSchema?.properties ?? {}) as Record<string, JSONSchema>;
  const defaults = (check.defaultOptions ?? {}) as Record<string, unknown>;
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    type: schemaTypeText(schema),
    default: Object.prototype.hasOwnProperty.call(defaults, name) ? JSON.stringify(defaults[name]) : undefined,
    description: typeof schema.description === 'string' ? schema.description : '',
  }));
}

/**
 * A check's options as the Markdown table its docs page shows under `## Options` (the docs test
 * compares the page with it, so the page cannot drift from the schema); '' when it takes none.
 */
export function optionsTable(check: Pick<CheckMeta, 'optionsSchema' | 'defaultOptions'>): string {
  const rows = optionDocs(check);
  if (rows.length === 0) return '';
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = rows.map((r) => `| \`${r.name}\` | ${cell(r.type)} | ${r.default === undefined ? '—' : `\`${cell(r.default)}\``} | ${cell(r.description)} |`);
  return ['| Option | Type | Default | Meaning |', '|---|---|---|---|', ...lines].join('\n') + '\n';
}
