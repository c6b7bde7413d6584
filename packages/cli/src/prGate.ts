import { readdirSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  applyBaseline,
  baselineFromReport,
  filesListedIn,
  GitSource,
  type DocumentCache,
  type FileSource,
  hasRevision,
  hideKnownAtBase,
  loadBaseline,
  stagedFiles,
  UsageError,
  Workspace,
  writeBaseline,
  type Report,
} from '@spine-lint/core';
import { normalisePath, selectChecks, toRootPath, type ScopeCheck } from '@spine-lint/core/decide';
import type { Setup } from './setup.js';
import type { BaseBaseline } from './trustedConfig.js';

/**
 * The pull-request gate's plumbing for `spine-lint check` and `spine-lint diff`: workspaces at git
 * revisions, the changed-file scope of pre-commit runs, new-only filtering and the baseline.
 */

/** A workspace over another source with the same layout and limits as the setup's. */
export function workspaceFrom(s: Pick<Setup, 'paths' | 'config' | 'workspace' | 'wellFormedYaml'>, source: FileSource, documentCache?: DocumentCache): Workspace {
  return new Workspace(source, {
    documentCache,
    paths: s.paths,
    recordIdFields: s.workspace.recordIdFields,
    maxFileBytes: s.config.limits.maxFileBytes,
    maxAliasCount: s.config.limits.maxAliasCount,
    wellFormedYaml: s.wellFormedYaml,
  });
}

/**
 * The files a pre-commit style run is about: staged files, or file arguments relative to the root;
 * undefined: every check (no file arguments, or a directory argument that holds the whole root).
 * A directory argument inside the root stands for every file under it (`check ops/bindings`); one
 * outside the root, or a file argument that does not exist (without `--staged`, where the index is
 * the head), is a usage error: a typo must not pass silently as "nothing relevant changed".
 */
export function changedScope(root: string, cwd: string, staged: boolean, files: readonly string[], missingOk = staged): string[] | undefined {
  const scope = new Set(staged ? stagedFiles(root) : []);
  for (const file of files) {
    const abs = resolve(cwd, file);
    let st: BigIntStats;
    try {
      st = statSync(abs, { bigint: true }); // BigInt stats: see readRegularFile in core/safeFs.ts
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (missingOk || code !== 'ENOENT') {
        scope.add(toRootPath(root, cwd, file));
        continue;
      }
      throw new UsageError(`file argument '${file}': no such file or directory`);
    }
    if (!st.isDirectory()) {
      scope.add(toRootPath(root, cwd, file));
      continue;
    }
    const up = relative(abs, root);
    if (up === '' || !(up === '..' || up.startsWith('..' + sep) || isAbsolute(up))) return undefined; // holds the root
    const rel = relative(root, abs);
    if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel))
      throw new UsageError(`file argument '${file}' is a directory outside the root ${root}: nothing in it is a binding of this spine`);
    for (const p of filesUnder(abs, root, file)) scope.add(p);
  }
  if (!staged && files.length === 0) return undefined;
  return [...scope].sort();
}

/** The most files a directory argument may stand for (a spine has hundreds). */
export const MAX_DIRECTORY_FILES = 100_000;

/** Every file under `dir` (root-relative): `.git` skipped, links listed but not followed. */
function filesUnder(dir: string, root: string, label: string): string[] {
  const out: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const at = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch (error) {
      throw new UsageError(`file argument '${label}': cannot read the directory ${relative(root, at) || '.'}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    for (const e of entries) {
      const abs = join(at, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') pending.push(abs);
      } else out.push(normalisePath(relative(root, abs).split(sep).join('/')));
      if (out.length > MAX_DIRECTORY_FILES)
        throw new UsageError(`file argument '${label}' holds more than ${MAX_DIRECTORY_FILES} files: name the files, or give no file arguments to check everything`);
    }
  }
  return out;
}

export interface Scope {
  /** Ids to run (passed as `only`); undefined = everything. */
  only: string[] | undefined;
  /** Nothing relevant changed: exit 0 at once. */
  nothingToDo: boolean;
}

/**
 * Which checks a change concerns: the core's `selectChecks` (see `scopeCauses`: the checks whose
 * `reads` include a changed file, those whose listing bindings name one, the syntax scan for a YAML
 * file in a binding directory), with the listings read from every workspace `sides` gives — the
 * head and, when there is one, the base (a path taken off a list matters too; the rule is the
 * core's `listedPaths`: any string value, `#fragment` cut, normalised). A changed config file or
 * plugin concerns every check. `sides` (default: the setup's workspace) is called at most once, and
 * only when a check not already selected lists files.
 */
export function scopeOf(
  s: Pick<Setup, 'workspace' | 'bindingDirs'> & { checks: readonly ScopeCheck[] },
  changed: readonly string[],
  only: readonly string[],
  configChanged: boolean,
  sides: () => readonly Workspace[] = () => [s.workspace],
): Scope {
  if (configChanged) return { only: only.length ? [...only] : undefined, nothingToDo: false };
  // The files a listing binding names, per binding and side, read once each.
  let workspaces: readonly Workspace[] | undefined;
  const listings = new Map<string, Set<string>[]>();
  const lists = (name: string, _path: string, file: string): boolean => {
    let sets = listings.get(name);
    if (!sets) listings.set(name, (sets = (workspaces ??= sides()).map((ws) => filesListedIn({ readsListedIn: [name] }, ws))));
    return sets.some((set) => set.has(file));
  };
  const ids = selectChecks({ checks: s.checks, changed, layout: s.workspace.paths, bindingDirs: s.bindingDirs, only, lists });
  return { only: ids, nothingToDo: ids.length === 0 };
}

/** The workspaces of a run: head (working tree, index or a revision) and the base for transition checks. */
export function gateWorkspaces(s: Setup, opts: { base?: string; head?: string; staged?: boolean }): { head: Workspace; base: Workspace | undefined; headLabel: string } {
  if (opts.staged && opts.head) throw new UsageError('--staged and --head cannot be combined (the index is the head)');
  const head = opts.staged ? workspaceFrom(s, GitSource.index(s.root)) : opts.head ? workspaceFrom(s, GitSource.atRevision(s.root, opts.head)) : s.workspace;
  let base: Workspace | undefined;
  if (opts.base) base = workspaceFrom(s, GitSource.atRevision(s.root, opts.base));
  else if (opts.staged && hasRevision(s.root, 'HEAD')) base = workspaceFrom(s, GitSource.atRevision(s.root, 'HEAD'));
  return { head, base, headLabel: opts.staged ? 'the index' : (opts.head ?? 'the working tree') };
}

/** `--baseline`/`--update-baseline`: write (only when asked, only to the named file), then hide what it lists. */
export function baselineStep(
  report: Report,
  opts: { root: string; cwd: string; baseline?: string; configBaseline?: string; update?: boolean; fromBase?: BaseBaseline },
  io: { stderr(t: string): void },
): Report {
  const path = opts.baseline ? resolve(opts.cwd, opts.baseline) : opts.configBaseline ? resolve(opts.root, opts.configBaseline) : undefined;
  if (opts.update && !path) throw new UsageError('--update-baseline needs --baseline FILE (or baseline: in the config): spine-lint writes only to a file you name');
  if (!path) return report;
  const label = relative(opts.cwd, path) || path;
  if (opts.update) {
    const baseline = baselineFromReport(report);
    writeBaseline(path, baseline);
    const n = Object.values(baseline.files).reduce((a, checks) => a + Object.values(checks).reduce((b, e) => b + e.count, 0), 0);
    io.stderr(`spine-lint: wrote ${n} finding${n === 1 ? '' : 's'} to the baseline ${label}\n`);
  }
  // --base: a baseline in the repository is the base revision's (a pull request cannot widen it).
  const fromBase = opts.update ? undefined : opts.fromBase;
  if (fromBase) return fromBase.baseline ? applyBaseline(report, fromBase.baseline, fromBase.label) : report;
  return applyBaseline(report, loadBaseline(path), label);
}

export { hideKnownAtBase };
