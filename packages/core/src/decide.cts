/**
 * `@spine-lint/core/decide`: what spine-lint decides before (or without) loading the engine, once,
 * for the engine, the CLI and the CLI's CommonJS pre-commit fast path alike: config keys and
 * severities, paths (normalisation, the layout, read globs), the small YAML reader the fast path
 * reads the config with, the scope of a changed-files run, and the run cache's key and lifetime.
 *
 * CommonJS and dependency-free: node built-ins only, no other module of the core
 * (packages/core/test/decide.test.ts holds it to that), so that the CLI's CommonJS entry can
 * `require` it before anything else; the engine's ES modules import it. One file on purpose: each
 * CommonJS file costs the fast path a fixed part of a millisecond to load (this code in six files
 * took 4.1 ms, in one 1.3 ms), and the fast path's whole budget is a fifth of an empty node start.
 */

import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

// --- paths ---------------------------------------------------------------------------------------

/** The config file's name in the spine root. */
export const CONFIG_FILE = '.spine-lint.yaml';

/** Normalise a user or config path to the repository-relative form (`a/b.yaml`). */
export function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+/g, '/')
    .replace(/\/$/, '');
}

/**
 * A file argument (relative to `cwd`) as a root-relative path; a file outside the root keeps its
 * own (normalised) form, which names no file of the spine.
 */
export function toRootPath(root: string, cwd: string, file: string): string {
  const rel = relative(root, resolve(cwd, file));
  if (rel.startsWith('..') || isAbsolute(rel)) return normalisePath(file);
  return normalisePath(rel.split('\\').join('/'));
}

/** Whether a (root-relative) path is named like the config file (`.spine-lint.yaml`, `.spine-lint.yml`, in any directory). */
export const isConfigFileName = (path: string): boolean => /(^|\/)\.spine-lint\.ya?ml$/.test(path);

/** Could this file be a binding or the config at all (YAML, Markdown, JSON, `.spine-lint.yaml`)? */
export const mayBeBinding = (path: string): boolean => /\.(ya?ml|md|markdown|json)$/i.test(path) || isConfigFileName(path);

/** Whether some check reads files that its bindings list (`readsListedIn`), so that any file may concern it. */
export const readsListedFiles = (checks: readonly { readsListedIn?: readonly string[] }[]): boolean => checks.some((c) => (c.readsListedIn ?? []).length > 0);

/**
 * Cheap test before loading anything: could this changed file matter? A possible binding or the
 * config always may. A file of any other kind (a script, a unit file) may only when some check
 * reads files its bindings list (`listsFiles`: {@link readsListedFiles} of the checks): then the
 * scope ({@link scopeCauses}) decides, where only a listing of it (or a check's `reads` naming it)
 * selects anything.
 */
export const mayMatter = (path: string, listsFiles = false): boolean => listsFiles || mayBeBinding(path);

/** A binding name or path through the layout (binding name → path), normalised. */
export const layoutPath = (layout: Readonly<Record<string, string>>, nameOrPath: string): string => normalisePath((Object.hasOwn(layout, nameOrPath) ? layout[nameOrPath] : undefined) ?? nameOrPath);

/** Whether a read (a path, or a glob: `*` within one path segment) names a glob. */
export const isGlob = (read: string): boolean => read.includes('*');

/** A read glob as a regular expression over normalised paths: `*` matches within one path segment, everything else literally. */
export const globRegExp = (glob: string): RegExp =>
  new RegExp(
    '^' +
      glob
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*') +
      '$',
  );

/** Whether a YAML file is in one of the binding directories (whose YAML files are all syntax-checked). */
export const inBindingDir = (path: string, bindingDirs: readonly string[]): boolean => {
  const p = normalisePath(path);
  return /\.ya?ml$/i.test(p) && bindingDirs.some((d) => p.startsWith(normalisePath(d) + '/'));
};

/**
 * The `schemas/` directory of the catalog package (the binding schemas), from `moduleFile`, a module
 * directly in the package's `dist/` (or `src/`, which the tests run): the package ships `schemas/`
 * beside them. The checks read the schemas there, the run cache digests them, the build precompiles them.
 */
export const schemasDir = (moduleFile: string): string => resolve(dirname(moduleFile), '..', 'schemas');

// --- the scope of a changed-files run ------------------------------------------------------------

/*
 * Which checks a change concerns, for pre-commit style runs (`--staged`, file arguments): taken by
 * the CLI's full path (`scopeOf`, with the workspaces' listings) and by its pre-commit fast path
 * (from the build manifest, before the engine is loaded). What a listing binding names is asked
 * through `lists`, so the caller decides how it reads it.
 */

/** What the scope needs to know of a check (a `CheckMeta` is one). */
export interface ScopeCheck {
  id: string;
  aliases?: readonly string[];
  /** Paths, binding names or globs (`*` within one path segment) the check reads. */
  reads: readonly string[];
  /** Bindings (names or paths) whose string values name further files the check reads. */
  readsListedIn?: readonly string[];
}

export interface ScopeInput {
  checks: readonly ScopeCheck[];
  /** Changed files, root-relative. */
  changed: readonly string[];
  /** The layout: binding name → path. */
  layout: Readonly<Record<string, string>>;
  /** Directories whose YAML files are all syntax-checked (the `parse` and `schema` checks). */
  bindingDirs: readonly string[];
  /** `--only`: ids or aliases (aliases case-insensitive); empty: every check. */
  only?: readonly string[];
  /**
   * Whether the listing binding `name` (at `path`, resolved through the layout) names the changed
   * file `file` (normalised). Asked only for checks their `reads` did not select, in check order.
   */
  lists: (name: string, path: string, file: string) => boolean;
}

/** Why a check (or the syntax scan) is in the scope: the first changed file that concerns it. */
export type ScopeCause =
  | { kind: 'binding-dir'; ids: ['parse', 'schema']; file: string }
  | { kind: 'reads'; ids: [string]; file: string; read: string }
  | { kind: 'listed'; ids: [string]; file: string; listing: string; path: string };

/** Whether a check answers to the name `n` (`--only`, a config's `checks:`): its id, or an alias in any case. */
export const answersTo = (c: Pick<ScopeCheck, 'id' | 'aliases'>, n: string): boolean => n === c.id || (c.aliases ?? []).some((a) => a.toLowerCase() === n.toLowerCase());

/**
 * The causes of a changed-files run's scope, lazily, cheapest first: the syntax scan when a changed
 * YAML file is in a binding directory (unless `--only` leaves `parse` out); then each check
 * (`--only` kept) whose `reads`, resolved through the layout, include a changed file (a glob read
 * matching one counts); then each check not selected yet whose listing bindings name a changed file.
 * A check appears at most once. Stop early to decide "anything?" without asking every listing.
 */
export function* scopeCauses(input: ScopeInput): Generator<ScopeCause, void, undefined> {
  const only = input.only ?? [];
  const files = input.changed.map(normalisePath);
  const set = new Set(files);
  if (only.length === 0 || only.includes('parse')) {
    const file = files.find((p) => inBindingDir(p, input.bindingDirs));
    if (file !== undefined) yield { kind: 'binding-dir', ids: ['parse', 'schema'], file };
  }
  const checks = input.checks.filter((c) => only.length === 0 || only.some((n) => answersTo(c, n)));
  // The changed file a read names (checks share reads: each is resolved, and a glob compiled, once).
  const hits = new Map<string, string | undefined>();
  const hit = (read: string): string | undefined => {
    if (hits.has(read)) return hits.get(read);
    const path = layoutPath(input.layout, read);
    const glob = isGlob(path) ? globRegExp(path) : undefined;
    const file = glob ? files.find((p) => glob.test(p)) : set.has(path) ? path : undefined;
    hits.set(read, file);
    return file;
  };
  const selected = new Set<ScopeCheck>();
  for (const c of checks) {
    for (const read of c.reads) {
      const file = hit(read);
      if (file === undefined) continue;
      selected.add(c);
      yield { kind: 'reads', ids: [c.id], file, read };
      break;
    }
  }
  if (files.length === 0) return;
  for (const c of checks) {
    if (selected.has(c)) continue;
    found: for (const listing of c.readsListedIn ?? []) {
      const path = layoutPath(input.layout, listing);
      for (const file of files) {
        if (!input.lists(listing, path, file)) continue;
        yield { kind: 'listed', ids: [c.id], file, listing, path };
        break found;
      }
    }
  }
}

/**
 * The ids of the checks a change concerns (checks in catalog order, then `parse` and `schema` for
 * the syntax scan): empty when nothing relevant changed. A changed config concerns every check,
 * which is the caller's to decide before asking.
 */
export function selectChecks(input: ScopeInput): string[] {
  const checks: string[] = [];
  let syntax: string[] = [];
  for (const cause of scopeCauses(input)) {
    if (cause.kind === 'binding-dir') syntax = cause.ids;
    else checks.push(cause.ids[0]);
  }
  const order = new Map(input.checks.map((c, i) => [c.id, i]));
  return [...checks.sort((a, b) => order.get(a)! - order.get(b)!), ...syntax];
}

// --- the small YAML reader -----------------------------------------------------------------------

/** A value the small reader returns. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

interface Line {
  indent: number;
  text: string;
  no: number;
}

/**
 * A deliberately small YAML reader: block mappings and sequences of single-line scalars (plain,
 * 'single' or "double" quoted), flow sequences of such scalars, empty `{}`/`[]`, comments. It
 * returns `undefined` for anything else (anchors, tags, multi-line scalars, flow maps, duplicate
 * keys, tabs, several documents, plain scalars YAML would read as something other than a string
 * or a decimal integer…), and the caller then takes the full path, whose real parser decides.
 * `null` is an empty document. What it returns is what the `yaml` package reads from the same text
 * (packages/core/test/decide.test.ts compares the two, over edits of simple configs too).
 */
export function parseSimpleYaml(text: string): Plain | undefined {
  if (text.startsWith('\uFEFF')) return undefined;
  const lines: Line[] = [];
  const raw = text.split(/\r?\n/);
  for (const [no, l] of raw.entries()) {
    if (l.includes('\t') || l.includes('\r')) return undefined;
    const body = l.trimEnd();
    if (body.trim() === '' || body.trimStart().startsWith('#')) continue;
    if (lines.length === 0 && body === '---') continue;
    if (/^(---|\.\.\.)(\s|$)/.test(body) || body.startsWith('%')) return undefined;
    lines.push({ indent: body.length - body.trimStart().length, text: body.trimStart(), no });
  }
  if (lines.length === 0) return null;
  if (lines[0]!.indent !== 0) return undefined;
  const state = { i: 0 };
  const value = parseBlock(lines, state, 0);
  if (value === undefined || state.i !== lines.length) return undefined;
  return value;
}

function parseBlock(lines: Line[], state: { i: number }, indent: number): Plain | undefined {
  const first = lines[state.i];
  if (!first || first.indent !== indent) return undefined;
  if (first.text === '-' || first.text.startsWith('- ')) {
    const list: Plain[] = [];
    while (state.i < lines.length && lines[state.i]!.indent === indent && (lines[state.i]!.text === '-' || lines[state.i]!.text.startsWith('- '))) {
      const item = scalarOrFlow(lines[state.i]!.text.slice(1).trim());
      if (item === undefined) return undefined;
      list.push(item);
      state.i++;
    }
    // A deeper line after an item would be a nested block or a continuation: not judged here.
    return state.i < lines.length && lines[state.i]!.indent > indent ? undefined : list;
  }
  const map: Record<string, Plain> = {};
  while (state.i < lines.length && lines[state.i]!.indent === indent) {
    const line = lines[state.i]!;
    // The key's trailing spaces are trimmed afterwards, not matched by `\s*` after a lazy run that
    // can also hold spaces (quadratic on a long run of spaces): one `:` test per position.
    const m = /^("(?:[^"\\]|\\.)*"\s*|'(?:[^']|'')*'\s*|[^\s'"#&*!|>%@`{}[\],?:-][^#]*?|-[^\s#][^#]*?):(?:\s+(.*))?$/.exec(line.text);
    if (!m) return undefined;
    const key = scalar(m[1]!.trimEnd());
    if (typeof key !== 'string' || key === '__proto__' || Object.hasOwn(map, key)) return undefined;
    state.i++;
    const rest = stripComment(m[2] ?? '');
    if (rest === undefined) return undefined;
    if (rest !== '') {
      const v = scalarOrFlow(rest);
      if (v === undefined) return undefined;
      map[key] = v;
      continue;
    }
    const next = lines[state.i];
    if (next && (next.indent > indent || (next.indent === indent && (next.text === '-' || next.text.startsWith('- '))))) {
      const v = parseBlock(lines, state, next.indent);
      if (v === undefined) return undefined;
      if (next.indent === indent && !Array.isArray(v)) return undefined;
      map[key] = v;
    } else map[key] = null;
  }
  if (state.i < lines.length && lines[state.i]!.indent > indent) return undefined;
  return map;
}

/** Remove a trailing comment (` #…`) outside quotes; undefined when quoting is unbalanced. */
function stripComment(text: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i).trimEnd();
  }
  return quote ? undefined : text.trimEnd();
}

function scalarOrFlow(text: string): Plain | undefined {
  const t = stripComment(text);
  if (t === undefined || t === '') return t === '' ? null : undefined;
  if (t === '{}') return {};
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) return undefined;
    const inner = t.slice(1, -1).trim();
    if (inner === '') return [];
    const items = inner.split(',').map((s) => s.trim());
    if (items.some((s) => s === '' || /["'[\]{}]/.test(s.slice(1, -1)) || s.includes(': '))) return undefined;
    const out: Plain[] = [];
    for (const s of items) {
      const v = scalar(s);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  return scalar(t);
}

/** A single scalar: quoted string, decimal integer, or a plain string that YAML reads as a string. */
function scalar(t: string): Plain | undefined {
  if (t.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\["\\/])*"$/.test(t)) return undefined;
    return t.slice(1, -1).replace(/\\(["\\/])/g, '$1');
  }
  if (t.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(t)) return undefined;
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[-+]?[0-9]+$/.test(t)) return /^[-+]?0[0-9]/.test(t) ? undefined : Number(t);
  if (/^(null|Null|NULL|~)$/.test(t)) return null;
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  // Other numbers (floats, hex, octal, .inf), indicators and flow characters: not judged here.
  if (/^[-+]?(\.[0-9]|[0-9])/.test(t) || /^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(t)) return undefined;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(t) && !/^[-?:][^\s]/.test(t)) return undefined;
  if (/^[?:]/.test(t) || /:(\s|$)/.test(t) || /\s#/.test(t) || /[[\]{},]/.test(t)) return undefined;
  return t;
}

// --- config keys ---------------------------------------------------------------------------------

/** The config's top-level keys. */
export const TOP_KEYS: ReadonlySet<string> = new Set(['paths', 'bindingDirs', 'checks', 'limits', 'plugins', 'baseline', 'probes']);

/** The severities a config may give a check (`warn` is `warning`). */
export const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'warn', 'off']);

/** What the scope of a changed-files run needs from the config: the layout overrides and the binding directories. */
export interface SimpleConfig {
  paths: Record<string, string>;
  bindingDirs?: string[];
}

const isRecord = (v: unknown): v is Record<string, Plain> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The `paths:` and `bindingDirs:` of a config read as a plain value (`null`: an empty document), or
 * why it cannot be judged without the engine. The config must be one `parseConfig` accepts (so a
 * decision taken from it is the engine's): every key and value is checked as `parseConfig` checks
 * it (a check setting must name one of `checks`), except what only the engine can judge (check
 * options, probe settings); plugins, which add checks with their own reads, are refused.
 */
export function simpleConfigOf(value: Plain, checks: readonly Pick<ScopeCheck, 'id' | 'aliases'>[]): SimpleConfig | string {
  const raw = value === null ? {} : value;
  if (!isRecord(raw)) return 'not a mapping';
  const config: SimpleConfig = { paths: {} };
  for (const [key, v] of Object.entries(raw)) {
    if (!TOP_KEYS.has(key)) return `unknown key ${key}`;
    switch (key) {
      case 'paths':
        if (!isRecord(v)) return 'paths';
        for (const [name, p] of Object.entries(v)) {
          if (typeof p !== 'string' || p === '') return `paths.${name}`;
          config.paths[name] = p;
        }
        break;
      case 'bindingDirs':
        if (!Array.isArray(v) || v.some((d) => typeof d !== 'string')) return 'bindingDirs';
        config.bindingDirs = v as string[];
        break;
      case 'checks':
        if (!isRecord(v)) return 'checks';
        for (const [name, setting] of Object.entries(v)) {
          if (!checks.some((c) => answersTo(c, name))) return `checks.${name}: unknown check`;
          if (typeof setting === 'string') {
            if (!SEVERITIES.has(setting)) return `checks.${name}`;
          } else if (isRecord(setting)) {
            for (const [k, s] of Object.entries(setting)) {
              if (k === 'severity' ? typeof s !== 'string' || !SEVERITIES.has(s) : k !== 'options' || !isRecord(s)) return `checks.${name}.${k}`;
            }
          } else return `checks.${name}`;
        }
        break;
      case 'limits':
        if (!isRecord(v)) return 'limits';
        for (const [k, n] of Object.entries(v)) {
          if ((k !== 'maxFileBytes' && k !== 'maxAliasCount') || typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return `limits.${k}`;
        }
        break;
      case 'plugins':
        if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) return 'plugins';
        if (v.length > 0) return 'plugins add checks';
        break;
      case 'baseline':
        if (typeof v !== 'string') return 'baseline';
        break;
      case 'probes':
        if (!isRecord(v)) return 'probes';
        break;
    }
  }
  return config;
}

// --- the run cache -------------------------------------------------------------------------------

/*
 * The run cache's decisions (`check --cache`; the CLI's runCache.ts keeps the files): which runs it
 * may answer, the key a run is stored under, where the cache file is, and how long a stored verdict
 * holds. A stored run is replayed only under the same key, inside its lifetime, with every recorded
 * input unchanged.
 */

/** The cache format's version: part of every key, and of the file (another version's file is empty). */
export const RUN_CACHE_VERSION = 1;

// node:crypto costs the pre-commit fast path milliseconds to load: only when a key is computed.
const sha256 = (data: string | Uint8Array): string => process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest('hex');

/** The file name of a root's cache in a cache directory. */
export const cacheFileName = (root: string): string => `spine-lint-${sha256(root).slice(0, 16)}.json`;

/** Whether a file name is one {@link cacheFileName} gives (such a file may be replaced even when damaged). */
export const isCacheFileName = (name: string): boolean => /^spine-lint-[0-9a-f]{16}\.json$/.test(name);

/**
 * The cache file of a run at `root`: `--cache-location` (resolved against `cwd`; a directory, or a
 * name ending in `/`, holds the root's {@link cacheFileName}), else that name in `cacheHome`'s
 * `spine-lint` directory. `isDirectory` is asked about the location only.
 */
export function cacheFileFor(opts: { root: string; cwd: string; location?: string; cacheHome: string; isDirectory: (path: string) => boolean }): string {
  const name = cacheFileName(opts.root);
  if (!opts.location) return join(opts.cacheHome, 'spine-lint', name);
  const at = resolve(opts.cwd, opts.location);
  return opts.location.endsWith('/') || opts.isDirectory(at) ? join(at, name) : at;
}

/** The `check` options that decide whether a run may be stored (as `node:util` `parseArgs` gives them). */
export interface CacheRunValues {
  staged?: boolean;
  base?: string;
  head?: string;
  baseline?: string;
  'update-baseline'?: boolean;
  plugin?: string | string[];
  format?: string | string[];
  output?: string | string[];
  'output-file'?: string | string[];
  'print-config'?: boolean;
  fix?: boolean;
  'fix-dry-run'?: boolean;
}

const listOf = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Why a run cannot be replayed or stored, or `undefined`: it may. A run that reads inputs the
 * recording does not see (git revisions, the index, file arguments, a baseline, plugins) or that
 * writes elsewhere (timings, a step summary) is never stored.
 */
export function cacheRefusal(values: CacheRunValues, positionals: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (values.staged || values.base || values.head || positionals.length > 0) {
    return 'a git or changed-files run (--staged, --base, --head, files) reads inputs the cache does not track';
  }
  if (values.baseline || values['update-baseline']) return 'a baseline run';
  if (values.plugin && values.plugin.length > 0) return 'plugins (--plugin) are inputs the cache does not track';
  if (env.SPINE_LINT_TIMING) return 'SPINE_LINT_TIMING prints timings';
  if (values.fix || values['fix-dry-run']) return '--fix and --fix-dry-run edit or preview the bindings';
  if (values['print-config']) return '--print-config prints the configuration, not a report';
  if (listOf(values.format).includes('github') && env.GITHUB_STEP_SUMMARY) return 'the github format writes a step summary';
  if (listOf(values.format).length > 1 || listOf(values.output).length + listOf(values['output-file']).length > 1) return 'a run writing several reports (-f … -o …) is not stored';
  return undefined;
}

/**
 * The key of a run: the tool build's identity, where it runs, its option values (`--cache` and
 * `--cache-location` left out: where the cache is changes no verdict), its colour decision and the
 * config file (its path and a digest of its bytes).
 */
export function runCacheKey(run: { tool: string; cwd: string; root: string; values: Readonly<Record<string, unknown>>; color: boolean; config: { path: string; digest: string } }): string {
  const { cache: _cache, 'cache-location': _location, ...values } = run.values;
  return sha256(
    JSON.stringify({
      version: RUN_CACHE_VERSION,
      tool: run.tool,
      cwd: run.cwd,
      root: run.root,
      values: Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1))),
      color: run.color,
      config: [run.config.path, run.config.digest],
    }),
  );
}

/** How long a stored verdict holds: from the run's instant until its clock's first answer could change (`null`: never). */
export interface RunLifetime {
  validFrom: number;
  validUntil: number | null;
}

/** The lifetime of a run's verdict, from its clock (a `RunClock` after the run). */
export const runLifetime = (clock: { readonly now: Date; readonly validUntil: number }): RunLifetime => ({
  validFrom: clock.now.getTime(),
  validUntil: Number.isFinite(clock.validUntil) ? clock.validUntil : null,
});

/** Whether a stored verdict holds at `now` (epoch ms); with a fixed clock (`--now`, part of the key) it always does. */
export const holdsAt = (lifetime: RunLifetime, now: number, fixedClock: boolean): boolean => fixedClock || (now >= lifetime.validFrom && (lifetime.validUntil === null || now < lifetime.validUntil));
