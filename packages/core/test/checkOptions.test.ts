import { describe, expect, it } from 'vitest';
import {
  checkOptionsProblems,
  closedOptionsSchema,
  defineCheck,
  emptyConfig,
  MemorySource,
  optionsTable,
  optionsWithDefaults,
  parseConfig,
  planLiveChecks,
  runCheckOnFiles,
  schemaTypeText,
  UsageError,
  validateCheckOptions,
  Workspace,
  type CheckMeta,
} from '../src/index.js';

interface FreshOptions {
  thresholdDays: number;
  statuses: readonly string[];
  aliases: Readonly<Record<string, string>>;
  label?: string;
}

const seen: unknown[] = [];

/** A check with options of each kind the catalog uses: a number, a list, a map merged over defaults, an optional string. */
const fresh = defineCheck({
  id: 'fresh',
  aliases: ['F1'],
  title: 't',
  description: 'd',
  severity: 'error',
  kind: 'static',
  reads: [],
  messages: { m: 'x' },
  optionsSchema: {
    type: 'object',
    properties: {
      thresholdDays: { type: 'integer', minimum: 0, description: 'Days a date may be old.' },
      statuses: { type: 'array', items: { type: 'string' }, description: 'Allowed statuses.' },
      aliases: { type: 'object', additionalProperties: { type: 'string' }, description: 'Id → id | merged.' },
      label: { type: 'string', minLength: 1, description: 'A label.' },
    },
  },
  defaultOptions: { thresholdDays: 21, statuses: ['authoritative', 'projection'], aliases: { immich: 'immich-server' } } as FreshOptions,
  run(ctx) {
    // Typed: a number, no parsing.
    const days: number = ctx.options.thresholdDays;
    seen.push({ ...ctx.options, days });
  },
});

/** A check without options. */
const plain = defineCheck({
  id: 'plain',
  aliases: ['P1'],
  title: 't',
  description: 'd',
  severity: 'error',
  kind: 'static',
  reads: [],
  messages: { m: 'x' },
  run: () => undefined,
});

const checks: CheckMeta[] = [fresh, plain];
const SOURCE = '.spine-lint.yaml';

/** The UsageError message validating `text` gives (undefined: valid). */
function problemOf(text: string, list: readonly CheckMeta[] = checks): string | undefined {
  try {
    validateCheckOptions(parseConfig(text, SOURCE), list);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
}

describe('validateCheckOptions', () => {
  it('accepts valid options, options of a check named by alias, and no options at all', () => {
    expect(problemOf('checks:\n  fresh:\n    options:\n      thresholdDays: 30\n      statuses: [a, b]\n      aliases: {x: y}\n')).toBeUndefined();
    expect(problemOf('checks:\n  F1:\n    options: {thresholdDays: 0}\n')).toBeUndefined();
    expect(problemOf('checks:\n  fresh: warn\n  plain: off\n')).toBeUndefined();
    expect(problemOf('')).toBeUndefined();
    // An empty mapping gives nothing, even to a check that takes no options.
    expect(problemOf('checks:\n  plain:\n    options: {}\n')).toBeUndefined();
  });

  it('an unknown (misspelled) option: at the key, naming the allowed ones', () => {
    expect(problemOf('checks:\n  fresh:\n    options:\n      treshholdDays: 30\n')).toBe(
      ".spine-lint.yaml:4:7: checks.fresh.options: unknown option 'treshholdDays' (allowed: thresholdDays, statuses, aliases, label)",
    );
    // Named by alias: the message says what the config says.
    expect(problemOf('checks:\n  F1: { options: { nope: 1 } }\n')).toBe(".spine-lint.yaml:2:20: checks.F1.options: unknown option 'nope' (allowed: thresholdDays, statuses, aliases, label)");
  });

  it('a value of the wrong type or out of range: at the value', () => {
    const head = 'checks:\n  fresh:\n    options:\n';
    const cases: [string, string][] = [
      ['      thresholdDays: "soon"\n', '4:22: checks.fresh.options.thresholdDays: must be integer (got string "soon")'],
      ['      thresholdDays: 2.5\n', '4:22: checks.fresh.options.thresholdDays: must be integer (got number 2.5)'],
      ['      thresholdDays: -1\n', '4:22: checks.fresh.options.thresholdDays: must be >= 0 (got number -1)'],
      ['      statuses: [a, 3]\n', '4:21: checks.fresh.options.statuses[1]: must be string (got number 3)'],
      ['      aliases:\n        photos: 7\n', '5:17: checks.fresh.options.aliases.photos: must be string (got number 7)'],
      ['      statuses: authoritative\n', '4:17: checks.fresh.options.statuses: must be array (got string "authoritative")'],
      ['      label: ""\n', '4:14: checks.fresh.options.label: must not be empty'],
    ];
    for (const [options, message] of cases) expect(problemOf(head + options), options).toBe(`.spine-lint.yaml:${message}`);
  });

  it('options for a check that takes none: at the options key', () => {
    const text = 'checks:\n  plain:\n    severity: warn\n    options:\n      x: 1\n';
    expect(problemOf(text)).toBe(".spine-lint.yaml:4:5: checks.plain.options: check 'plain' takes no options");
    expect(problemOf('checks:\n  P1:\n    options: {x: 1}\n')).toBe(".spine-lint.yaml:3:5: checks.P1.options: check 'plain' takes no options");
  });

  it('reports the first problem in the file, whichever check it is about', () => {
    const text = 'checks:\n  plain:\n    options: {x: 1}\n  fresh:\n    options:\n      thresholdDays: x\n      nope: 1\n';
    expect(problemOf(text)).toBe(".spine-lint.yaml:3:5: checks.plain.options: check 'plain' takes no options");
    const head = 'checks:\n  fresh:\n    options:\n';
    expect(problemOf(`${head}      nope: 1\n      thresholdDays: x\n`)).toMatch(/^\.spine-lint\.yaml:4:7: checks\.fresh\.options: unknown option 'nope'/);
    expect(problemOf(`${head}      thresholdDays: x\n      nope: 1\n`)).toMatch(/^\.spine-lint\.yaml:4:22: checks\.fresh\.options\.thresholdDays: must be/);
  });

  it('leaves entries naming no check to the caller', () => {
    expect(problemOf('checks:\n  nothing:\n    options: {x: 1}\n')).toBeUndefined();
  });

  it('works on a config read from a git revision (the source names the revision), and on one built in code (no position)', () => {
    expect(() => validateCheckOptions(parseConfig('checks:\n  fresh:\n    options:\n      treshholdDays: 30\n', 'main:.spine-lint.yaml'), checks)).toThrow(
      "main:.spine-lint.yaml:4:7: checks.fresh.options: unknown option 'treshholdDays'",
    );
    const config = { ...emptyConfig(), source: 'inline', checks: { fresh: { options: { thresholdDays: 'x' } } } };
    expect(() => validateCheckOptions(config, checks)).toThrow(/^inline: checks\.fresh\.options\.thresholdDays: must be integer \(got string "x"\)$/);
  });

  it('the locator is not enumerable: copies and JSON of a config stay as they were', () => {
    const config = parseConfig('checks:\n  fresh: warn\n', SOURCE);
    expect(typeof config.locate).toBe('function');
    expect(Object.keys(config)).not.toContain('locate');
    expect(JSON.stringify(config)).not.toContain('locate');
    expect(config.locate!('/checks/fresh')).toEqual(expect.objectContaining({ line: 2, column: 10 }));
    expect(config.locate!('/checks/fresh', true)).toEqual(expect.objectContaining({ line: 2, column: 3 }));
  });

  it('a schema is closed unless it says otherwise; an invalid schema is a usage error naming its check', () => {
    const properties = { a: { type: 'string' } };
    expect(closedOptionsSchema({ properties })).toEqual({ type: 'object', properties, additionalProperties: false });
    const open = defineCheck({ ...plain, id: 'open', aliases: [], optionsSchema: { type: 'object', additionalProperties: true } });
    expect(checkOptionsProblems(open, { anything: 1 })).toEqual([]);
    const broken = defineCheck({ ...plain, id: 'broken', aliases: [], optionsSchema: { type: 'object', properties: { a: { tpye: 'string' } } } });
    expect(() => checkOptionsProblems(broken, { a: 1 })).toThrow(UsageError);
    expect(() => checkOptionsProblems(broken, { a: 1 })).toThrow(/check 'broken' declares an invalid optionsSchema: .*tpye/);
  });

  it('problems carry the pointer (and whether it is a key) inside the options', () => {
    expect(checkOptionsProblems(fresh, { nope: 1, thresholdDays: 'x' })).toEqual([
      { pointer: '/nope', atKey: true, path: '', message: "unknown option 'nope' (allowed: thresholdDays, statuses, aliases, label)" },
      { pointer: '/thresholdDays', atKey: false, path: '.thresholdDays', message: 'must be integer (got string "x")' },
    ]);
  });
});

describe('defineCheck and options', () => {
  it('refuses defaultOptions without a schema, and a schema that is not an object', () => {
    expect(() => defineCheck({ ...plain, id: 'x', defaultOptions: { a: 1 } })).toThrow("check 'x' declares defaultOptions but no optionsSchema");
    const notASchema = [] as unknown as Record<string, unknown>;
    expect(() => defineCheck({ ...plain, id: 'y', optionsSchema: notASchema })).toThrow('optionsSchema must be a JSON Schema object');
  });
});

describe('optionsWithDefaults (what the engine gives a check)', () => {
  it('merges mappings key by key, replaces lists and scalars', () => {
    expect(optionsWithDefaults(fresh)).toEqual(fresh.defaultOptions);
    expect(optionsWithDefaults(fresh, { statuses: ['draft'], aliases: { photos: 'immich-server' } })).toEqual({
      thresholdDays: 21,
      statuses: ['draft'],
      aliases: { immich: 'immich-server', photos: 'immich-server' },
    });
    expect(optionsWithDefaults(fresh, { aliases: { immich: 'other' } }).aliases).toEqual({ immich: 'other' });
    // The defaults themselves are never changed.
    expect(fresh.defaultOptions).toEqual({ thresholdDays: 21, statuses: ['authoritative', 'projection'], aliases: { immich: 'immich-server' } });
  });

  it('without defaults: the options as given (or none)', () => {
    expect(optionsWithDefaults(plain)).toEqual({});
    expect(optionsWithDefaults(plain, { a: 1 })).toEqual({ a: 1 });
  });

  it('a __proto__ key stays a key', () => {
    const given = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = optionsWithDefaults(fresh, given) as unknown as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(merged, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the runner runs a check with the defaults merged in', () => {
    seen.length = 0;
    runCheckOnFiles(fresh, { files: {} });
    runCheckOnFiles(fresh, { files: {}, options: { thresholdDays: 3 } });
    expect(seen).toEqual([
      { thresholdDays: 21, statuses: ['authoritative', 'projection'], aliases: { immich: 'immich-server' }, days: 21 },
      { thresholdDays: 3, statuses: ['authoritative', 'projection'], aliases: { immich: 'immich-server' }, days: 3 },
    ]);
  });

  it('the live engine plans (and evaluates) with the defaults merged in', () => {
    const live = defineCheck<'m', { id: string }, unknown, { targets: readonly string[]; timeoutSec: number }>({
      id: 'live-opts',
      title: 't',
      description: 'd',
      severity: 'error',
      kind: 'live',
      reads: [],
      messages: { m: 'x' },
      optionsSchema: { type: 'object', properties: { targets: { type: 'array', items: { type: 'string' } }, timeoutSec: { type: 'number' } } },
      defaultOptions: { targets: ['a'], timeoutSec: 15 },
      plan: (ctx) => ctx.options.targets.map((t) => ({ id: `${t}:${ctx.options.timeoutSec}` })),
      evaluate: () => undefined,
    });
    const workspace = new Workspace(new MemorySource({}));
    expect(planLiveChecks({ workspace, checks: [live] }).checks[0]!.probes.map((p) => p.id)).toEqual(['a:15']);
    const configured = planLiveChecks({ workspace, checks: [live], checkOptions: { 'live-opts': { targets: ['b', 'c'] } } });
    expect(configured.checks[0]!.probes.map((p) => p.id)).toEqual(['b:15', 'c:15']);
  });
});

describe('options tables (docs)', () => {
  it('a schema type in words', () => {
    expect(schemaTypeText({ type: 'number', exclusiveMinimum: 0 })).toBe('number > 0');
    expect(schemaTypeText({ type: 'integer', minimum: 0 })).toBe('integer ≥ 0');
    expect(schemaTypeText({ type: 'array', items: { type: 'string' } })).toBe('list of strings');
    expect(schemaTypeText({ type: 'object', additionalProperties: { type: ['string', 'null'] } })).toBe('map of string or null');
    expect(schemaTypeText({ type: 'string', minLength: 1 })).toBe('non-empty string');
    expect(schemaTypeText({ enum: ['a', 'b'] })).toBe('"a" | "b"');
  });

  it('the Markdown table a check page shows', () => {
    expect(optionsTable(fresh)).toBe(
      [
        '| Option | Type | Default | Meaning |',
        '|---|---|---|---|',
        '| `thresholdDays` | integer ≥ 0 | `21` | Days a date may be old. |',
        '| `statuses` | list of strings | `["authoritative","projection"]` | Allowed statuses. |',
        '| `aliases` | map of string | `{"immich":"immich-server"}` | Id → id \\| merged. |',
        '| `label` | non-empty string | — | A label. |',
        '',
      ].join('\n'),
    );
    expect(optionsTable(plain)).toBe('');
  });
});
