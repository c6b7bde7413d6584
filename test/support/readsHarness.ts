/**
 * The reads harness: what a check really reads, against what its metadata declares.
 *
 * Every file question a check asks ends up at the workspace's `FileSource` (`read` for
 * `yaml`/`markdown`/`text`/`exists`, `list` for directory listings), whether the check asks
 * directly, through a typed view or through the host graph. So the harness wraps the source in a
 * `RecordingSource` and gives each check a **fresh** `Workspace` over it: views are memoised per
 * workspace (`memoised` in packages/checks/src/bindings/util.ts), and a view built for an earlier
 * check would hide its reads from the next one.
 *
 * A recorded read is declared when, resolved through the workspace's layout (`pathOf`):
 * - it is one of the check's `reads` (a binding name or a repository path), or matches one that is
 *   a glob (`ops/bindings/*.yaml`: `*` within one path segment, as `--staged` matches them);
 * - or it is a path listed in one of the check's `readsListedIn` bindings (any string value in the
 *   binding's YAML, a `#fragment` cut off), read from the same workspace (head or base).
 * A directory listing is declared when a declared glob lists that directory.
 */
import {
  filesListedIn,
  RecordingSource,
  RunClock,
  Workspace,
  normalisePath,
  optionsWithDefaults,
  type Check,
  type CheckContext,
  type CheckMeta,
  type FileSource,
  type TransitionContext,
} from '@spine-lint/core';
import { globRegExp } from '@spine-lint/core/decide';

export interface ReadsLayout {
  /** Binding name → path (the catalog's default layout, with any config overrides). */
  paths: Record<string, string>;
  recordIdFields?: readonly string[];
}

/** What one check asked of one workspace while it ran. */
export interface RecordedReads {
  /** Paths read (or asked about with `exists`), once each, in the order first asked. */
  reads: string[];
  /** Directories listed. */
  lists: string[];
}

export interface CheckRun {
  check: string;
  head: RecordedReads;
  /** The base workspace's questions (transition checks only). */
  base?: RecordedReads;
  /** The check threw (its reads up to then are still recorded). */
  error?: string;
}

export interface UndeclaredRead {
  check: string;
  /** Which workspace it read from. */
  side: 'head' | 'base';
  op: 'read' | 'list';
  path: string;
}

const NOW = new Date('2026-03-05T00:00:00Z');

function recorded(source: RecordingSource): RecordedReads {
  const reads: string[] = [];
  const lists: string[] = [];
  for (const r of source.records) {
    if (r.op === 'read') reads.push(normalisePath(r.path));
    else lists.push(normalisePath(r.dir));
  }
  return { reads: [...new Set(reads)], lists: [...new Set(lists)] };
}

/**
 * Run one check on fresh recording workspaces and return what it read. Static and transition
 * checks run their `run`, live checks their `plan` (what `probe --dry-run` does); findings are
 * discarded, and nothing else (reporting, parse findings, schema validation) touches the sources.
 */
export function recordCheckReads(check: Check, layout: ReadsLayout, head: FileSource, base?: FileSource): CheckRun {
  const headSource = new RecordingSource(head);
  const baseSource = base ? new RecordingSource(base) : undefined;
  const ws = new Workspace(headSource, { paths: layout.paths, recordIdFields: layout.recordIdFields });
  const baseWs = baseSource ? new Workspace(baseSource, { paths: layout.paths, recordIdFields: layout.recordIdFields }) : undefined;
  const ctx: CheckContext & Partial<TransitionContext> = {
    workspace: ws,
    now: NOW,
    clock: new RunClock(NOW, true),
    // What the engine gives the check: its default options.
    options: optionsWithDefaults(check),
    report: () => {},
    base: baseWs,
  };
  let error: string | undefined;
  try {
    if (check.kind === 'live') check.plan(ctx);
    else if (check.kind === 'transition') {
      if (baseWs) check.run(ctx as TransitionContext);
    } else check.run(ctx);
  } catch (e) {
    error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  return { check: check.id, head: recorded(headSource), base: baseSource ? recorded(baseSource) : undefined, error };
}

/** The paths the bindings `readsListedIn` name in a source (read on an unrecorded workspace). */
export function pathsListedIn(meta: Pick<CheckMeta, 'readsListedIn'>, layout: ReadsLayout, source: FileSource): Set<string> {
  // The rule (any string value, `#fragment` cut, normalised) is the core's, shared with the CLI's change selection.
  return filesListedIn(meta, new Workspace(source, { paths: layout.paths }));
}

/** A predicate: is this path declared by the metadata (reads, globs, or listed in a `readsListedIn` binding)? */
export function declaredBy(meta: Pick<CheckMeta, 'reads' | 'readsListedIn'>, layout: ReadsLayout, source: FileSource): { read(path: string): boolean; list(dir: string): boolean } {
  const ws = new Workspace(source, { paths: layout.paths });
  const resolved = meta.reads.map((r) => ws.pathOf(r));
  const exact = new Set(resolved.filter((p) => !p.includes('*')));
  const globs = resolved.filter((p) => p.includes('*'));
  const globRes = globs.map(globRegExp);
  const listed = pathsListedIn(meta, layout, source);
  return {
    read: (path) => exact.has(path) || listed.has(path) || globRes.some((re) => re.test(path)),
    // A listing is declared by a glob of files directly in that directory.
    list: (dir) => globs.some((g) => g.slice(0, g.lastIndexOf('/')) === dir && !g.slice(0, g.lastIndexOf('/')).includes('*')),
  };
}

/** The reads of a run that the check's metadata does not declare. */
export function undeclaredReads(meta: CheckMeta, run: CheckRun, layout: ReadsLayout, head: FileSource, base?: FileSource): UndeclaredRead[] {
  const out: UndeclaredRead[] = [];
  const sides: ['head' | 'base', RecordedReads | undefined, FileSource | undefined][] = [
    ['head', run.head, head],
    ['base', run.base, base],
  ];
  for (const [side, reads, source] of sides) {
    if (!reads || !source) continue;
    const declared = declaredBy(meta, layout, source);
    for (const path of reads.reads) if (!declared.read(path)) out.push({ check: meta.id, side, op: 'read', path });
    for (const dir of reads.lists) if (!declared.list(dir)) out.push({ check: meta.id, side, op: 'list', path: dir });
  }
  return out;
}

/** One line per undeclared read: the check and the path, for a failure message. */
export function describeUndeclared(list: readonly UndeclaredRead[]): string {
  return list
    .map((u) => `check '${u.check}' ${u.op === 'list' ? 'lists the directory' : 'reads'} '${u.path}'${u.side === 'base' ? ' (in the base revision)' : ''}, which its \`reads\` does not declare`)
    .join('\n');
}
