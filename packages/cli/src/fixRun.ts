/**
 * `check --fix` and `--fix-dry-run`: apply the findings' fixes (never their suggestions) in passes
 * until nothing more changes (at most {@link MAX_PASSES}), re-running the checks on the fixed text
 * each time, then write each changed binding once — atomically, inside the root, and only if its
 * bytes on disk are still those the run read — or print the unified diff.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { applyEdits, OverlaySource, readRegularFile, UsageError, unifiedDiff, writeFileAtomic, type Diagnostic, type Report, type TextEdit, type Workspace } from '@spine-lint/core';

/** ESLint stops after 10 passes too: fixes that keep producing fixes are a bug, not progress. */
export const MAX_PASSES = 10;

export interface FixOutcome {
  /** The report of the last pass: what is left. */
  report: Report;
  /** Fixed text by repository path (only files that changed). */
  changed: Map<string, { before: string; after: string }>;
  fixesApplied: number;
  passes: number;
}

/** Every edit of the visible findings' fixes, by file (suggestions are never applied). */
function editsByFile(results: readonly Diagnostic[], select: (d: Diagnostic) => boolean): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const d of results) if (select(d)) for (const e of d.fix?.edits ?? []) out.set(e.file, [...(out.get(e.file) ?? []), e]);
  return out;
}

/**
 * Run the fix passes. `run` checks a workspace (the same checks, options and producers as the
 * report); `workspaceOver` builds one over a source with the fixed texts laid over the tree;
 * `select` picks the findings whose fixes apply (`relocate`: those about the moved service).
 */
export function fixPasses(
  first: Report,
  firstWorkspace: Workspace,
  run: (ws: Workspace) => Report,
  workspaceOver: (overlay: OverlaySource) => Workspace,
  inner: ConstructorParameters<typeof OverlaySource>[0],
  select: (d: Diagnostic) => boolean = () => true,
): FixOutcome {
  const texts = new Map<string, string>();
  const originals = new Map<string, string>();
  let report = first;
  let workspace = firstWorkspace;
  let fixesApplied = 0;
  let passes = 0;
  while (passes < MAX_PASSES) {
    const edits = editsByFile(report.results, select);
    if (edits.size === 0) break;
    let progressed = false;
    for (const [file, list] of edits) {
      const before = workspace.text(file);
      if (before === undefined) continue;
      const r = applyEdits(before, list);
      if (!r.ok || r.text === before) continue;
      if (!originals.has(file)) originals.set(file, before);
      texts.set(file, r.text);
      fixesApplied += r.applied;
      progressed = true;
    }
    if (!progressed) break;
    passes++;
    workspace = workspaceOver(new OverlaySource(inner, texts));
    report = run(workspace);
  }
  const changed = new Map<string, { before: string; after: string }>();
  for (const [file, after] of texts) if (originals.get(file) !== after) changed.set(file, { before: originals.get(file)!, after });
  return { report, changed, fixesApplied, passes };
}

const digest = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Write the fixed files: refused when a file changed on disk since the run read it (nothing is then written). */
export function writeFixed(root: string, changed: FixOutcome['changed']): void {
  for (const [file, { before }] of changed) {
    const now = readRegularFile(resolve(root, file), 64 * 1024 * 1024, { insideRoot: root });
    if (now.status !== 'ok' || digest(now.bytes) !== digest(Buffer.from(before, 'utf8'))) {
      throw new UsageError(`--fix: ${file} changed on disk while spine-lint ran (or cannot be read); nothing was written — run again`);
    }
  }
  for (const [file, { after }] of changed) writeFileAtomic(resolve(root, file), after, { insideRoot: root, what: 'fixed binding', label: file });
}

/** The `--fix-dry-run` output: one unified diff per changed file, in path order. */
export function fixDiff(changed: FixOutcome['changed']): string {
  return [...changed.keys()]
    .sort()
    .map((file) => unifiedDiff(file, changed.get(file)!.before, changed.get(file)!.after))
    .join('');
}
