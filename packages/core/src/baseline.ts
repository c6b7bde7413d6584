import type { CheckMeta } from './check.js';
import { DOCS_BASE_URL } from './check.js';
import { baselineCheck } from './coreChecks.js';
import { UsageError } from './config.js';
import type { Diagnostic } from './diagnostic.js';
import { fingerprintOf } from './fingerprint.js';
import { compareDiagnostics, type Report } from './runner.js';
import { readRegularFileOrFail, writeFileAtomic } from './safeFs.js';

/**
 * A committed baseline of known findings, in the spirit of ESLint's bulk suppressions
 * (`eslint-suppressions.json`): counts per file and check, but keyed by fingerprint (check +
 * file + pointer with record ids + data), never by line, so it survives unrelated edits.
 *
 * ```json
 * { "version": 1, "files": { "ops/bindings/ssh.targets.yaml": { "ssh-target-lan-first":
 *     { "count": 2, "fingerprints": { "3f2a…": { "count": 1, "message": "…" }, … } } } } }
 * ```
 */
export interface BaselineEntry {
  count: number;
  /** What the finding said when it was baselined (for reviewers; not used for matching). */
  message: string;
}

export interface BaselineCheckEntry {
  count: number;
  fingerprints: Record<string, BaselineEntry>;
}

export interface Baseline {
  version: 1;
  files: Record<string, Record<string, BaselineCheckEntry>>;
}

/** Findings about the run itself (no file) are filed under this key. */
export const RUN_KEY = '<run>';

export { baselineCheck };

export const emptyBaseline = (): Baseline => ({ version: 1, files: {} });

/** Build a baseline from a report's findings (transition findings are about a change, never baselined). */
export function baselineFromReport(report: Report): Baseline {
  const transition = new Set(report.checks.filter((c) => c.kind === 'transition').map((c) => c.id));
  const baseline = emptyBaseline();
  for (const d of report.results) {
    if (transition.has(d.checkId) || d.checkId === baselineCheck.id) continue;
    const file = d.file ?? RUN_KEY;
    const byCheck = (baseline.files[file] ??= {});
    const entry = (byCheck[d.checkId] ??= { count: 0, fingerprints: {} });
    entry.count++;
    const fp = (entry.fingerprints[d.fingerprint] ??= { count: 0, message: d.message });
    fp.count++;
  }
  return baseline;
}

/** Stable, sorted JSON (one entry per line region), so a baseline diff in review is small. */
export function serializeBaseline(baseline: Baseline): string {
  const sortKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const files: Baseline['files'] = {};
  for (const [file, checks] of Object.entries(sortKeys(baseline.files))) {
    files[file] = {};
    for (const [check, entry] of Object.entries(sortKeys(checks))) files[file][check] = { count: entry.count, fingerprints: sortKeys(entry.fingerprints) };
  }
  return JSON.stringify({ version: 1, files }, null, 2) + '\n';
}

/** Parse a baseline file's text; a UsageError (exit 2) naming the file when it is malformed. */
export function parseBaseline(text: string, source: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text, and the file may not be a baseline at all.
    throw new UsageError(`${source}: the baseline is not valid JSON; regenerate it with --update-baseline`);
  }
  const bad = (what: string): never => {
    throw new UsageError(`${source}: not a spine-lint baseline (${what}); regenerate it with --update-baseline`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(raw)) return bad('expected an object');
  if (raw.version !== 1) return bad(typeof raw.version === 'number' ? `unsupported version ${raw.version}` : 'no "version": 1');
  if (!isObj(raw.files)) return bad('missing "files"');
  const baseline = emptyBaseline();
  for (const [file, checks] of Object.entries(raw.files)) {
    if (!isObj(checks)) return bad(`files["${file}"] is not an object`);
    baseline.files[file] = {};
    for (const [check, entry] of Object.entries(checks)) {
      if (!isObj(entry) || !isObj(entry.fingerprints)) return bad(`files["${file}"]["${check}"] has no fingerprints`);
      const fingerprints: Record<string, BaselineEntry> = {};
      let total = 0;
      for (const [fp, e] of Object.entries(entry.fingerprints)) {
        const count = isObj(e) && Number.isInteger(e.count) && (e.count as number) > 0 ? (e.count as number) : bad(`fingerprint ${fp} needs a positive count`);
        fingerprints[fp] = { count, message: isObj(e) && typeof e.message === 'string' ? e.message : '' };
        total += count;
      }
      baseline.files[file][check] = { count: total, fingerprints };
    }
  }
  return baseline;
}

/** The size bound of a baseline file. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/** Where a baseline path came from: `insideRoot` when the repository's config named it (not the command line). */
export interface BaselineFileOptions {
  /** The path must resolve inside this directory (a `baseline:` of the config). */
  insideRoot?: string;
}

/**
 * Read a baseline file; missing is an error unless `allowMissing` (for `--update-baseline`). A
 * path that is not a regular file, is over {@link MAX_BASELINE_BYTES}, or (with `insideRoot`)
 * leaves the root is a `UsageError` (exit 2) that does not quote the file.
 */
export function loadBaseline(path: string, allowMissing = false, options: BaselineFileOptions = {}): Baseline {
  const bytes = readRegularFileOrFail(path, MAX_BASELINE_BYTES, 'baseline', { allowMissing: true, insideRoot: options.insideRoot });
  if (bytes === undefined) {
    if (allowMissing) return emptyBaseline();
    throw new UsageError(`baseline file not found: ${path} (create it with --update-baseline)`);
  }
  return parseBaseline(bytes.toString('utf8'), path);
}

/**
 * Write a baseline, only where the user said: atomically (a temporary file renamed over it), never
 * through a symbolic link, and with `insideRoot` only inside the root. Failures are `UsageError`s
 * (`cannot write baseline <path>: <reason>`).
 */
export function writeBaseline(path: string, baseline: Baseline, options: BaselineFileOptions = {}): void {
  writeFileAtomic(path, serializeBaseline(baseline), { what: 'baseline', insideRoot: options.insideRoot });
}

function withResults(report: Report, results: Diagnostic[], hidden: number, extraChecks: CheckMeta[] = []): Report {
  results.sort(compareDiagnostics);
  const ids = new Set(report.checks.map((c) => c.id));
  return {
    ...report,
    results,
    summary: {
      ...report.summary,
      errors: results.filter((r) => r.severity === 'error').length,
      warnings: results.filter((r) => r.severity === 'warning').length,
      hidden: (report.summary.hidden ?? 0) + hidden,
    },
    checks: [...report.checks, ...extraChecks.filter((c) => !ids.has(c.id))],
  };
}

/**
 * Hide findings the baseline knows (by file, check and fingerprint, up to each entry's count) and
 * report entries that matched nothing — only for checks that ran, so `--only` does not make the
 * rest of the baseline look stale.
 */
export function applyBaseline(report: Report, baseline: Baseline, baselineLabel: string): Report {
  const remaining = new Map<string, number>();
  const key = (file: string, check: string, fp: string): string => `${file}\u0000${check}\u0000${fp}`;
  for (const [file, checks] of Object.entries(baseline.files)) {
    for (const [check, entry] of Object.entries(checks)) for (const [fp, e] of Object.entries(entry.fingerprints)) remaining.set(key(file, check, fp), e.count);
  }
  const kept: Diagnostic[] = [];
  let hidden = 0;
  for (const d of report.results) {
    const k = key(d.file ?? RUN_KEY, d.checkId, d.fingerprint);
    const left = remaining.get(k) ?? 0;
    if (left > 0) {
      remaining.set(k, left - 1);
      hidden++;
    } else kept.push(d);
  }
  const ran = new Set(report.checks.map((c) => c.id));
  for (const [file, checks] of Object.entries(baseline.files)) {
    for (const [check, entry] of Object.entries(checks)) {
      if (!ran.has(check)) continue;
      for (const [fp, e] of Object.entries(entry.fingerprints)) {
        const left = remaining.get(key(file, check, fp)) ?? 0;
        if (left <= 0) continue;
        const data = { check, count: left, fingerprint: fp, message: e.message, baseline: baselineLabel };
        kept.push({
          checkId: baselineCheck.id,
          aliases: [],
          severity: 'warning',
          messageId: 'unused-entry',
          message: baselineCheck.messages['unused-entry'].replace(/\{\{(\w+)\}\}/g, (_, n: string) => String((data as Record<string, unknown>)[n])),
          data,
          file: file === RUN_KEY ? null : file,
          pointer: null,
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          hint: baselineCheck.fixHint ?? null,
          docsUrl: DOCS_BASE_URL.replace(/checks\/$/, '') + 'pr-gate.md',
          fingerprint: fingerprintOf({ checkId: baselineCheck.id, messageId: 'unused-entry', file, data: { check, fingerprint: fp } }),
        });
      }
    }
  }
  return withResults(report, kept, hidden, kept.some((d) => d.checkId === baselineCheck.id) ? [baselineCheck] : []);
}

/**
 * New-only mode (`--base REV`): hide findings whose fingerprint the base revision already had (as
 * many times as it had it); transition findings are about the change itself and always stay.
 */
export function hideKnownAtBase(report: Report, base: Pick<Report, 'results'>): Report {
  const known = new Map<string, number>();
  for (const d of base.results) known.set(d.fingerprint, (known.get(d.fingerprint) ?? 0) + 1);
  const transition = new Set(report.checks.filter((c) => c.kind === 'transition').map((c) => c.id));
  const kept: Diagnostic[] = [];
  let hidden = 0;
  for (const d of report.results) {
    const left = known.get(d.fingerprint) ?? 0;
    if (!transition.has(d.checkId) && left > 0) {
      known.set(d.fingerprint, left - 1);
      hidden++;
    } else kept.push(d);
  }
  return withResults(report, kept, hidden);
}
