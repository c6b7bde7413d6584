import type { Fix } from './fix/textEdits.js';
import { answersTo } from './decide.cjs';
import type { FindingData, FindingSeverity, Range, SupersededFinding } from './diagnostic.js';
import type { CheckClock } from './clock.js';
import type { Workspace } from './workspace/workspace.js';

export type CheckKind = 'static' | 'live' | 'transition';

/**
 * A JSON Schema (draft 2020-12) object, as a check's `optionsSchema`: `{ type: 'object', properties: … }`.
 * Validated with the core's Ajv in strict mode, so only standard keywords (and `description`,
 * `default`, … annotations) may appear.
 */
export type JSONSchema = { readonly [keyword: string]: unknown };

/** The options of a check that declares none of its own: the config's mapping as written. */
export type CheckOptions = Readonly<Record<string, unknown>>;

/** Where check docs live; the URL is derived from the id so it cannot drift. */
export const DOCS_BASE_URL = 'https://github.com/spine-lint/spine-lint/blob/main/docs/checks/';
export const docsUrlFor = (id: string): string => `${DOCS_BASE_URL}${id}.md`;

/**
 * Metadata that sits beside every check's logic (ESLint `meta`). `O`: the check's options, with
 * defaults applied (any object type by default, so that the metadata of every check, whatever its
 * options, is a `CheckMeta`).
 */
export interface CheckMeta<M extends string = string, O extends object = object> {
  /** Readable kebab-case id (`relocation-parity`). */
  id: string;
  /** Other names that select the check, e.g. the gate it ports (`D35`). */
  aliases?: readonly string[];
  title: string;
  description: string;
  /** Default severity; config may override or turn the check `off`. */
  severity: FindingSeverity;
  kind: CheckKind;
  /**
   * Logical binding names (layout keys), repository paths, or globs (`ops/bindings/*.yaml`: `*`
   * within one path segment) of everything the check reads, through typed views and the host graph
   * too. `--staged`, `--base`, file arguments and `--only`'s schema selection choose checks by it,
   * so a read left out is a missed finding; the reads test (test/reads-declared.test.ts) fails on
   * any read not declared here or by {@link CheckMeta.readsListedIn}.
   */
  reads: readonly string[];
  /**
   * Bindings (names from `reads`) whose contents name further files the check reads: e.g.
   * `['ssh.target.lifecycle.contract']` for a check that greps each path listed in its
   * `active_reference_surfaces`. Such files cannot be named statically; a read of a path that is a
   * string value of one of these bindings (a `#fragment` cut off) counts as declared. Each entry
   * must also be in `reads`, so that a change of the list itself selects the check; a change of a
   * listed file selects it only where the caller resolves these lists against the changed files.
   */
  readsListedIn?: readonly string[];
  /** How to fix what the check reports, in one sentence. */
  fixHint?: string;
  /** Message templates by message id; `{{name}}` is replaced from the finding's data. */
  messages: Readonly<Record<M, string>>;
  /** The reference gate this check ports, when it ports one (for docs and differential tests). */
  ports?: string;
  /**
   * Data keys that are measurements, not identity (e.g. `durationMs` of a live probe): shown in
   * messages but left out of the fingerprint, so baselines and `--base` stay stable across runs.
   */
  volatileData?: readonly string[];
  /**
   * The JSON Schema of the check's `options:` mapping in `.spine-lint.yaml` (typescript-eslint's
   * `meta.schema`). The CLI validates the config against it when it loads the checks (plugins
   * included), before anything runs: an unknown or mistyped option is a usage error (exit 2) at the
   * option's line and column. The schema is closed: without an explicit `additionalProperties`, a
   * key it does not name is an unknown option. A check without a schema takes no options at all.
   * Document each option with a `description`: the check's page shows them as a table.
   */
  optionsSchema?: JSONSchema;
  /**
   * The options a check gets when the config does not set them (typescript-eslint's
   * `defaultOptions`): the engine merges the configured options over these before `run`, `plan`
   * or `evaluate` (mappings key by key, lists and scalars replaced), so the check reads typed,
   * complete `ctx.options` and parses nothing by hand.
   */
  defaultOptions?: O;
}

/** What a check passes to `report`. */
export interface ReportDescriptor<M extends string = string> {
  messageId: M;
  data?: FindingData;
  /** File (binding name or repo path) the finding is about; resolved through the layout. */
  file?: string;
  /** JSON pointer into the file. */
  pointer?: string;
  /** Explicit range, for findings not about a node. */
  range?: Range;
  severity?: FindingSeverity;
  hint?: string;
  /** Findings of other checks this finding replaces when both are reported. */
  supersedes?: readonly SupersededFinding[];
  /** Edits that are certainly right (build them with `replaceValueFix`); `check --fix` applies them. */
  fix?: Fix;
  /** Edits to choose between (an ambiguous case: which side of a mismatch is right). */
  suggestions?: readonly Fix[];
}

/** Everything a static check may use. No I/O: the clock and options come in here. */
export interface CheckContext<M extends string = string, O extends object = CheckOptions> {
  readonly workspace: Workspace;
  /**
   * "Now", from the run (`--now`), never from a hidden clock. Prefer `clock` for comparisons: a
   * check that reads the instant itself makes its run's report valid at that instant only, so
   * `check --cache` cannot replay it.
   */
  readonly now: Date;
  /** Questions about "now" (days since a date, before an instant) that record how long their answer holds. */
  readonly clock: CheckClock;
  /**
   * The check's options: the config's `checks.<id>.options` merged over the check's
   * `defaultOptions`. The CLI has validated them against `optionsSchema` when it loaded the config;
   * a library caller passing `checkOptions` to the runner can do the same with `validateCheckOptions`.
   */
  readonly options: Readonly<O>;
  report(descriptor: ReportDescriptor<M>): void;
}

/** A transition check sees the base revision's workspace too. */
export interface TransitionContext<M extends string = string, O extends object = CheckOptions> extends CheckContext<M, O> {
  readonly base: Workspace;
}

export interface StaticCheck<M extends string = string, O extends object = CheckOptions> extends CheckMeta<M, O> {
  kind: 'static';
  run(ctx: CheckContext<M, O>): void;
}

export interface TransitionCheck<M extends string = string, O extends object = CheckOptions> extends CheckMeta<M, O> {
  kind: 'transition';
  run(ctx: TransitionContext<M, O>): void;
}

/**
 * A live check: `plan` turns bindings into probes (pure), the engine executes them,
 * `evaluate` turns observations into findings (pure). `P`: probes, `O`: observations, `Opts`: options.
 */
export interface LiveCheck<M extends string = string, P = unknown, O = unknown, Opts extends object = CheckOptions> extends CheckMeta<M, Opts> {
  kind: 'live';
  plan(ctx: CheckContext<M, Opts>): P[];
  evaluate(ctx: CheckContext<M, Opts>, observations: readonly O[]): void;
}

export type Check<M extends string = string> = StaticCheck<M, any> | TransitionCheck<M, any> | LiveCheck<M, any, any, any>;

/**
 * Define a check with typed message ids (and typed options: `O` is inferred from `defaultOptions`,
 * or given explicitly); validates the metadata once, at definition.
 */
export function defineCheck<const M extends string, O extends object = CheckOptions>(check: StaticCheck<M, O>): StaticCheck<M, O>;
export function defineCheck<const M extends string, O extends object = CheckOptions>(check: TransitionCheck<M, O>): TransitionCheck<M, O>;
export function defineCheck<const M extends string, P, O, Opts extends object = CheckOptions>(check: LiveCheck<M, P, O, Opts>): LiveCheck<M, P, O, Opts>;
export function defineCheck(check: Check): Check {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(check.id)) throw new Error(`check id '${check.id}' must be kebab-case`);
  if (!check.title || !check.description) throw new Error(`check '${check.id}' needs a title and a description`);
  if (Object.keys(check.messages).length === 0) throw new Error(`check '${check.id}' declares no messages`);
  const schema: unknown = check.optionsSchema;
  if (schema !== undefined && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw new Error(`check '${check.id}': optionsSchema must be a JSON Schema object`);
  }
  if (check.defaultOptions !== undefined && schema === undefined) throw new Error(`check '${check.id}' declares defaultOptions but no optionsSchema`);
  for (const name of check.readsListedIn ?? []) {
    if (!check.reads.includes(name)) throw new Error(`check '${check.id}' lists '${name}' in readsListedIn but not in reads: a change of the list itself would not select the check`);
  }
  return Object.freeze(check);
}

/**
 * True when `name` selects the check (its id or one of its aliases, case-insensitive for aliases).
 * The decide module's `answersTo`, so that the engine and the CLI's fast path select alike.
 */
export const checkMatches: (check: Pick<CheckMeta, 'id' | 'aliases'>, name: string) => boolean = answersTo;

const isPlainMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** `over` merged over `base`: mappings key by key (recursively), anything else replaced. */
function mergeOptions(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const merged = isPlainMap(out[key]) && isPlainMap(value) ? mergeOptions(out[key] as Record<string, unknown>, value) : value;
    // Defined, not assigned: a `__proto__` key stays a key.
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The options a check runs with: the configured ones merged over its `defaultOptions`, as
 * typescript-eslint's `applyDefault` does (mappings key by key, recursively; lists and scalars
 * replaced). The runner and the live-check engine call it; call it yourself when you invoke a
 * check's `run`/`plan`/`evaluate` directly.
 */
export function optionsWithDefaults<O extends object = CheckOptions>(check: Pick<CheckMeta<string, O>, 'defaultOptions'>, given?: Readonly<Record<string, unknown>>): O {
  const defaults = check.defaultOptions;
  if (defaults === undefined) return (given ?? {}) as O;
  if (given === undefined) return defaults;
  return mergeOptions(defaults as Readonly<Record<string, unknown>>, given) as O;
}
