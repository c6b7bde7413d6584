/**
 * `check --fix` and `--fix-dry-run`: apply the findings' fixes (never their suggestions) in passes
 * until nothing more changes (at most {@link MAX_PASSES}), re-running the checks on the fixed text
 * each time, then write each changed binding once — atomically, inside the root, and only if its
 * bytes on disk are still those the run read — or print the unified diff.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { applyEdits, OverlaySource, readRegularFile, UsageError, unifiedDiff, writeFileAtomic, type Diagnostic, type Fix, type Report, type TextEdit, type Workspace } from '@spine-lint/core';

/** ESLint stops after 10 passes too: fixes that keep producing fixes are a bug, not progress. */
export const MAX_PASSES = 10;

export interface FixOutcome {
  /** The report of the last pass: what is left. */
  report: Report;
  /** Fixed text by repository path (only files that changed). */
  changed: Map<string, { before: string; after: string }>;
  fixesApplied: number;
  passes: number;
  /** Fixes not applied because another fix wants different text at the same place (neither is certain then). */
  contested: number;
  /** False when the passes still changed text after {@link MAX_PASSES}: the fixes undo each other, nothing may be written. */
  settled: boolean;
}

type Place = { line: number; column: number };
const before = (a: Place, b: Place): boolean => a.line < b.line || (a.line === b.line && a.column < b.column);
const samePlace = (a: Place, b: Place): boolean => a.line === b.line && a.column === b.column;
const rangeKey = (e: TextEdit): string => `${e.file}\0${e.range.line}:${e.range.column}-${e.range.endLine}:${e.range.endColumn}`;
/** Two edits of one file touch: their ranges overlap, or both insert at one place. */
function touch(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  const aStart = { line: a.range.line, column: a.range.column };
  const aEnd = { line: a.range.endLine, column: a.range.endColumn };
  const bStart = { line: b.range.line, column: b.range.column };
  const bEnd = { line: b.range.endLine, column: b.range.endColumn };
  if (samePlace(aStart, bStart)) return true;
  return before(aStart, bEnd) && before(bStart, aEnd);
}

/**
 * The fixes one pass applies: each fix is a unit (all its edits or none). Fixes with the same edits
 * count once; fixes that want different text for the same range are contested and none of them is
 * applied (two checks disagree, so neither edit is certain); of the rest, a fix touching one taken
 * earlier waits for the next pass, which re-checks the fixed text.
 */
function choose(results: readonly Diagnostic[], select: (d: Diagnostic) => boolean): { chosen: Fix[]; contested: number } {
  const unique = new Map<string, Fix>();
  for (const d of results) if (select(d) && d.fix && d.fix.edits.length > 0) unique.set(JSON.stringify(d.fix.edits), d.fix);
  const fixes = [...unique.values()];
  const texts = new Map<string, Set<string>>();
  for (const f of fixes) for (const e of f.edits) (texts.get(rangeKey(e)) ?? texts.set(rangeKey(e), new Set()).get(rangeKey(e))!).add(e.text);
  const isContested = (f: Fix): boolean => f.edits.some((e) => texts.get(rangeKey(e))!.size > 1);
  const chosen: Fix[] = [];
  let contested = 0;
  for (const f of fixes) {
    if (isContested(f)) contested++;
    else if (!chosen.some((c) => c.edits.some((a) => f.edits.some((b) => touch(a, b))))) chosen.push(f);
  }
  return { chosen, contested };
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
  let contested = 0;
  let settled = false;
  for (;;) {
    const pass = choose(report.results, select);
    contested = pass.contested;
    const edits = new Map<string, TextEdit[]>();
    let included = 0;
    for (const f of pass.chosen) {
      // A fix whose file is not readable as text is not applied (its edits stay together).
      if (f.edits.some((e) => workspace.text(e.file) === undefined)) continue;
      included++;
      for (const e of f.edits) (edits.get(e.file) ?? edits.set(e.file, []).get(e.file)!).push(e);
    }
    let progressed = false;
    const next = new Map(texts);
    for (const [file, list] of edits) {
      const text = workspace.text(file)!;
      const r = applyEdits(text, list);
      if (!r.ok || r.text === text) continue;
      if (!originals.has(file)) originals.set(file, text);
      next.set(file, r.text);
      progressed = true;
    }
    if (!progressed) {
      settled = true;
      break;
    }
    if (passes === MAX_PASSES) break; // still changing: the fixes undo each other
    for (const [file, text] of next) texts.set(file, text);
    fixesApplied += included;
    passes++;
    workspace = workspaceOver(new OverlaySource(inner, texts));
    report = run(workspace);
  }
  const changed = new Map<string, { before: string; after: string }>();
  for (const [file, after] of texts) if (originals.get(file) !== after) changed.set(file, { before: originals.get(file)!, after });
  return { report, changed, fixesApplied, passes, contested, settled };
}

const digest = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Fixes that still change the text after {@link MAX_PASSES} passes undo each other: a usage error, nothing written. */
export function assertSettled(outcome: Pick<FixOutcome, 'settled'>): void {
  if (!outcome.settled)
    throw new UsageError(
      `--fix: the fixes still changed the bindings after ${MAX_PASSES} passes (they undo each other); nothing was written — apply them one check at a time (--only) and report the checks involved`,
    );
}

/** The UTF-8 byte order mark: the workspace reads a file's text without it, the file keeps it. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Write the fixed files: refused when a file changed on disk since the run read it, or when the
 * passes did not settle (nothing is then written). A file that starts with a byte order mark keeps
 * it. Each file is written atomically; when one of several cannot be, the message names those
 * already written.
 */
export function writeFixed(root: string, changed: FixOutcome['changed'], outcome?: Pick<FixOutcome, 'settled'>): void {
  if (outcome) assertSettled(outcome);
  const bom = new Set<string>();
  for (const [file, { before }] of changed) {
    const now = readRegularFile(resolve(root, file), 64 * 1024 * 1024, { insideRoot: root });
    const bytes = now.status === 'ok' ? Buffer.from(now.bytes) : undefined;
    const hasBom = bytes !== undefined && bytes.subarray(0, 3).equals(BOM);
    if (!bytes || digest(hasBom ? bytes.subarray(3) : bytes) !== digest(Buffer.from(before, 'utf8'))) {
      throw new UsageError(`--fix: ${file} changed on disk while spine-lint ran (or cannot be read); nothing was written — run again`);
    }
    if (hasBom) bom.add(file);
  }
  const written: string[] = [];
  for (const [file, { after }] of changed) {
    try {
      writeFileAtomic(resolve(root, file), bom.has(file) ? `\ufeff${after}` : after, { insideRoot: root, what: 'fixed binding', label: file });
    } catch (error) {
      if (written.length === 0 || !(error instanceof UsageError)) throw error;
      throw new UsageError(`${error.message} (already written: ${written.join(', ')}; the others were not)`);
    }
    written.push(file);
  }
}

/** The `--fix-dry-run` output: one unified diff per changed file, in path order. */
export function fixDiff(changed: FixOutcome['changed']): string {
  return [...changed.keys()]
    .sort()
    .map((file) => unifiedDiff(file, changed.get(file)!.before, changed.get(file)!.after))
    .join('');
}
