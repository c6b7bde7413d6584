import type { FindingData, FindingSeverity, Range, SupersededFinding } from './diagnostic.js';
import type { CheckClock } from './clock.js';
import type { Workspace } from './workspace/workspace.js';

export type CheckKind = 'static' | 'live' | 'transition';

/** Where check docs live; the URL is derived from the id so it cannot drift. */
export const DOCS_BASE_URL = 'https://github.com/spine-lint/spine-lint/blob/main/docs/checks/';
export const docsUrlFor = (id: string): string => `${DOCS_BASE_URL}${id}.md`;

/** Metadata that sits beside every check's logic (ESLint `meta`). */
export interface CheckMeta<M extends string = string> {
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
}

/** Everything a static check may use. No I/O: the clock and options come in here. */
export interface CheckContext<M extends string = string> {
  readonly workspace: Workspace;
  /**
   * "Now", from the run (`--now`), never from a hidden clock. Prefer `clock` for comparisons: a
   * check that reads the instant itself makes its run's report valid at that instant only, so
   * `check --cache` cannot replay it.
   */
  readonly now: Date;
  /** Questions about "now" (days since a date, before an instant) that record how long their answer holds. */
  readonly clock: CheckClock;
  /** The check's options from config (validated by the check when it has an options schema). */
  readonly options: Readonly<Record<string, unknown>>;
  report(descriptor: ReportDescriptor<M>): void;
}

/** A transition check sees the base revision's workspace too. */
export interface TransitionContext<M extends string = string> extends CheckContext<M> {
  readonly base: Workspace;
}

export interface StaticCheck<M extends string = string> extends CheckMeta<M> {
  kind: 'static';
  run(ctx: CheckContext<M>): void;
}

export interface TransitionCheck<M extends string = string> extends CheckMeta<M> {
  kind: 'transition';
  run(ctx: TransitionContext<M>): void;
}

/**
 * A live check: `plan` turns bindings into probes (pure), the engine executes them,
 * `evaluate` turns observations into findings (pure).
 */
export interface LiveCheck<M extends string = string, P = unknown, O = unknown> extends CheckMeta<M> {
  kind: 'live';
  plan(ctx: CheckContext<M>): P[];
  evaluate(ctx: CheckContext<M>, observations: readonly O[]): void;
}

export type Check<M extends string = string> = StaticCheck<M> | TransitionCheck<M> | LiveCheck<M, any, any>;

/** Define a check with typed message ids; validates the metadata once, at definition. */
export function defineCheck<const M extends string>(check: StaticCheck<M>): StaticCheck<M>;
export function defineCheck<const M extends string>(check: TransitionCheck<M>): TransitionCheck<M>;
export function defineCheck<const M extends string, P, O>(check: LiveCheck<M, P, O>): LiveCheck<M, P, O>;
export function defineCheck(check: Check): Check {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(check.id)) throw new Error(`check id '${check.id}' must be kebab-case`);
  if (!check.title || !check.description) throw new Error(`check '${check.id}' needs a title and a description`);
  if (Object.keys(check.messages).length === 0) throw new Error(`check '${check.id}' declares no messages`);
  for (const name of check.readsListedIn ?? []) {
    if (!check.reads.includes(name)) throw new Error(`check '${check.id}' lists '${name}' in readsListedIn but not in reads: a change of the list itself would not select the check`);
  }
  return Object.freeze(check);
}

/** True when `name` selects the check (its id or one of its aliases, case-insensitive for aliases). */
export function checkMatches(check: Pick<CheckMeta, 'id' | 'aliases'>, name: string): boolean {
  if (check.id === name) return true;
  return (check.aliases ?? []).some((a) => a.toLowerCase() === name.toLowerCase());
}
