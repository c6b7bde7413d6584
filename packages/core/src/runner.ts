import { createHash } from 'node:crypto';
import type { Fix } from './fix/textEdits.js';
import { checkMatches, docsUrlFor, optionsWithDefaults, type Check, type CheckContext, type CheckKind, type CheckMeta, type ReportDescriptor } from './check.js';
import { CORE_CHECKS, checkErrorCheck, parseCheck } from './coreChecks.js';
import { formatMessage, type Diagnostic, type Finding, type FindingSeverity, type Severity, type SupersededFinding } from './diagnostic.js';
import { stablePointer } from './diff/ids.js';
import { fingerprintOf } from './fingerprint.js';
import { stableMarkdownPointer } from './workspace/markdownPointer.js';
import { applySuppressions, parseDirectives } from './suppressions.js';
import { escapeTerminal } from './reporters/escape.js';
import { WHOLE_FILE } from './workspace/problems.js';
import type { Workspace } from './workspace/workspace.js';
import { RunClock } from './clock.js';

/** The run's summary: the JSON contract's `summary`. */
export interface ReportSummary {
  errors: number;
  warnings: number;
  suppressed: number;
  checksRun: number;
  filesRead: number;
  durationMs: number;
  /** Findings hidden because they already existed at the base revision or are in the baseline. */
  hidden?: number;
}

/** The outcome of a run, ready for a reporter. */
export interface Report {
  version: 1;
  results: Diagnostic[];
  /** Findings suppressed inline (not printed by default; counted in the summary). */
  suppressedResults: Diagnostic[];
  summary: ReportSummary;
  /** Metadata of every check that ran (reporters use it for SARIF rules and JUnit cases). */
  checks: CheckMeta[];
  /**
   * Checks that did not run because a binding they read is unparsable, empty or of the wrong
   * shape: its `parse` or `schema` finding tells the story, and the check says nothing about
   * contents it cannot read (instead of "every service is missing from the registry").
   */
  skipped?: SkippedCheck[];
}

/** Something beyond checks that produces findings over a workspace (schema validation, syntax scan). */
export type FindingProducer = ((workspace: Workspace) => Finding[]) & {
  /**
   * Files (repository paths) whose value has the wrong shape to be read as data, e.g. a map where
   * the schema wants a list of targets: the checks that read one do not run (schema validation).
   */
  readonly wrongShape?: (workspace: Workspace) => ReadonlySet<string>;
};

/** Why a binding a check reads cannot be read as data: the check does not run. */
export type UnreadableState = 'unreadable' | 'unparsable' | 'empty' | 'wrong-shape';

/** A check that did not run, and the bindings that stopped it. */
export interface SkippedCheck {
  checkId: string;
  because: { file: string; state: UnreadableState }[];
}

export interface RunOptions {
  workspace: Workspace;
  /** The catalog (and plugin checks). */
  checks: readonly Check[];
  /** `--only`: ids or aliases; empty/undefined = all. */
  only?: readonly string[];
  /** Severity overrides by check id or alias (`off` disables). */
  severities?: Readonly<Record<string, Severity>>;
  /** Options per check id, as configured: each check gets them merged over its `defaultOptions`. */
  checkOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Which kinds run; default: static, plus transition when `base` is given. */
  kinds?: readonly CheckKind[];
  base?: Workspace;
  now?: Date;
  /** The run's clock (default: one at `now`); the caller reads its `validUntil` after the run. */
  clock?: RunClock;
  /** Extra producers, run after the checks: schema validation, syntax scans. */
  producers?: readonly FindingProducer[];
}

/** Resolve the effective severity of a check from config overrides (id or alias keys). */
export function effectiveSeverity(meta: Pick<CheckMeta, 'id' | 'aliases' | 'severity'>, overrides: Readonly<Record<string, Severity>> = {}): Severity {
  for (const [name, severity] of Object.entries(overrides)) if (checkMatches(meta, name)) return severity;
  return meta.severity;
}

/** Select the checks a run executes: `only`, kinds, and not turned `off`. */
export function selectChecks(options: Pick<RunOptions, 'checks' | 'only' | 'severities' | 'kinds' | 'base'>): Check[] {
  const kinds = options.kinds ?? (options.base ? ['static', 'transition'] : ['static']);
  return options.checks.filter((c) => {
    if (!kinds.includes(c.kind)) return false;
    if (options.only && options.only.length > 0 && !options.only.some((n) => checkMatches(c, n))) return false;
    return effectiveSeverity(c, options.severities) !== 'off';
  });
}

/** A fix's files as repository paths (a check may name them by binding name). */
const resolveFix = (fix: Fix, workspace: Workspace): Fix => ({ description: fix.description, edits: fix.edits.map((e) => ({ ...e, file: workspace.pathOf(e.file) })) });

/** Collects the findings of one check run, with message templates applied. */
export function findingCollector(meta: CheckMeta, workspace: Workspace, sink: Finding[]): (d: ReportDescriptor) => void {
  return (d) => {
    const template = (meta.messages as Record<string, string>)[d.messageId];
    if (template === undefined) throw new Error(`check '${meta.id}' reported unknown messageId '${d.messageId}'`);
    const data = d.data ?? {};
    sink.push({
      checkId: meta.id,
      messageId: d.messageId,
      message: formatMessage(template, data),
      data,
      file: d.file === undefined ? undefined : workspace.pathOf(d.file),
      pointer: d.pointer,
      range: d.range,
      severity: d.severity,
      hint: d.hint,
      supersedes: d.supersedes,
      ...(d.fix ? { fix: resolveFix(d.fix, workspace) } : {}),
      ...(d.suggestions?.length ? { suggestions: d.suggestions.map((f) => resolveFix(f, workspace)) } : {}),
    });
  };
}

/** Run one check body, turning an exception into a `check-error` finding: nothing escapes. */
export function guardCheck(meta: CheckMeta, sink: Finding[], body: () => void): void {
  try {
    body();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    sink.push({
      checkId: checkErrorCheck.id,
      messageId: 'crashed',
      message: formatMessage(checkErrorCheck.messages.crashed!, { check: meta.id, error: text }),
      data: { check: meta.id, error: text },
    });
  }
}

/** Run static (and transition) checks over a workspace and build the report. */
export function runChecks(options: RunOptions): Report {
  const started = performance.now();
  const selected = selectChecks(options);
  const findings: Finding[] = [];
  const unreadable = unreadableReads(options.workspace, options.producers ?? []);
  const skipped: SkippedCheck[] = [];
  const emptyReaders = new Map<string, string[]>();
  const clock = options.clock ?? new RunClock(options.now ?? new Date(), options.now !== undefined);
  // SPINE_LINT_TIMING=1: per-check durations on stderr (a file's parse is charged to the first check that reads it).
  const timings: [string, number][] | undefined = typeof process !== 'undefined' && process.env?.SPINE_LINT_TIMING ? [] : undefined;
  for (const check of selected) {
    if (check.kind === 'live') continue;
    const because = check.reads.map((read) => unreadable(read)).filter((b): b is { file: string; state: UnreadableState } => b !== undefined);
    if (because.length > 0) {
      skipped.push({ checkId: check.id, because });
      for (const b of because) if (b.state === 'empty') emptyReaders.set(b.file, [...(emptyReaders.get(b.file) ?? []), checkLabel(check)]);
      continue;
    }
    const checkStarted = timings ? performance.now() : 0;
    const report = findingCollector(check, options.workspace, findings);
    // `now` is a getter (not spread): reading the instant itself is recorded by the clock.
    const ctx = {
      workspace: options.workspace,
      get now() {
        return clock.instant();
      },
      clock,
      options: optionsWithDefaults(check, options.checkOptions?.[check.id]),
      report,
      base: options.base,
    };
    guardCheck(check, findings, () => {
      if (check.kind === 'transition') {
        if (!options.base) return;
        check.run(ctx as CheckContext & { base: Workspace });
      } else check.run(ctx);
    });
    timings?.push([check.id, performance.now() - checkStarted]);
  }
  // An empty binding has no parse problem of its own: one finding says it is empty and who needed it.
  for (const [file, readers] of emptyReaders) {
    const message = `The file is empty (no YAML document), but ${readers.length === 1 ? 'a check reads' : `${readers.length} checks read`} it as data and did not run: ${readers.join(', ')}. Restore its content (see its schema), or remove the file if the binding is not used.`;
    findings.push({ checkId: parseCheck.id, messageId: 'problem', message, data: { code: 'empty', message }, file, range: WHOLE_FILE, severity: 'error' });
  }
  for (const [i, produce] of (options.producers ?? []).entries()) {
    const producerStarted = timings ? performance.now() : 0;
    guardCheck({ ...parseCheck, id: 'producer' }, findings, () => findings.push(...produce(options.workspace)));
    timings?.push([`(producer ${i + 1}${produce.name ? ` ${produce.name}` : ''})`, performance.now() - producerStarted]);
  }
  const reportStarted = timings ? performance.now() : 0;
  const ran = skipped.length === 0 ? selected : selected.filter((c) => !skipped.some((k) => k.checkId === c.id));
  const report = buildReport({ workspace: options.workspace, findings, checks: options.checks, ran, severities: options.severities, started });
  if (skipped.length > 0) report.skipped = skipped;
  if (timings) {
    timings.push(['(buildReport)', performance.now() - reportStarted]);
    printTimings(timings, performance.now() - started);
  }
  return report;
}

/**
 * Two findings never share a fingerprint (a baseline entry or `--base` would hide the second): when
 * identities collide (two duplicate keys of one name in one file, say), the first in document order
 * keeps its fingerprint and each later one gets its occurrence number hashed in.
 */
function uniqueFingerprints(diagnostics: Diagnostic[]): Diagnostic[] {
  const byFingerprint = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const same = byFingerprint.get(d.fingerprint);
    if (same) same.push(d);
    else byFingerprint.set(d.fingerprint, [d]);
  }
  const renamed = new Map<Diagnostic, string>();
  for (const [fingerprint, same] of byFingerprint) {
    if (same.length < 2) continue;
    const ordered = [...same].sort((a, b) => a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    ordered.forEach((d, i) => {
      if (i > 0)
        renamed.set(
          d,
          createHash('sha256')
            .update(`${fingerprint}\u0000${i + 1}`)
            .digest('hex')
            .slice(0, fingerprint.length),
        );
    });
  }
  return renamed.size === 0 ? diagnostics : diagnostics.map((d) => (renamed.has(d) ? { ...d, fingerprint: renamed.get(d)! } : d));
}

const checkLabel = (meta: CheckMeta): string => (meta.aliases?.length ? `${meta.id} (${meta.aliases.join(', ')})` : meta.id);

/**
 * The state of each binding a check may read, judged once per run: `unreadable` (any file, YAML or
 * Markdown, that exists but was refused unread: too large, not a regular file, a link leaving the
 * root, not UTF-8; its `parse` finding), `unparsable` (the YAML did not parse: its `parse` finding), `empty` (no YAML document, or a null one), `wrong-shape` (a producer
 * such as schema validation says a collection has the wrong kind), else undefined (readable, or
 * absent: checks handle a missing binding themselves). Only YAML files are parsed for it; a read naming a
 * directory or glob is left to the check.
 */
function unreadableReads(workspace: Workspace, producers: readonly FindingProducer[]): (read: string) => { file: string; state: UnreadableState } | undefined {
  let wrongShape: Set<string> | undefined;
  const states = new Map<string, UnreadableState | null>();
  return (read) => {
    const file = workspace.pathOf(read);
    let state = states.get(file);
    if (state === undefined) {
      state = null;
      if (!file.includes('*') && workspace.refused(read)) state = 'unreadable';
      else if (/\.ya?ml$/i.test(file) && !file.includes('*') && workspace.exists(read)) {
        const doc = workspace.yaml(read);
        if (doc) {
          if (doc.value === undefined) state = doc.problems.some((p) => p.severity === 'error') ? 'unparsable' : 'empty';
          else if (doc.value === null) state = 'empty';
          else {
            wrongShape ??= new Set(producers.flatMap((p) => [...(p.wrongShape?.(workspace) ?? [])]));
            if (wrongShape.has(file)) state = 'wrong-shape';
          }
        }
      }
      states.set(file, state);
    }
    return state === null ? undefined : { file, state };
  };
}

/** The SPINE_LINT_TIMING table: slowest first, then the total. */
function printTimings(timings: readonly [string, number][], total: number): void {
  const lines = [...timings].sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${escapeTerminal(name)}`);
  process.stderr.write(`spine-lint timing (SPINE_LINT_TIMING):\n${lines.join('\n')}\n${total.toFixed(1).padStart(9)} ms  total\n`);
}

export interface BuildReportOptions {
  workspace: Workspace;
  findings: Finding[];
  /** Every known check (for suppression names and metadata). */
  checks: readonly CheckMeta[];
  /** The checks that ran. */
  ran: readonly CheckMeta[];
  severities?: Readonly<Record<string, Severity>>;
  started: number;
}

/**
 * Turn findings into a report: add parse findings of every file read, resolve pointers to
 * ranges, apply severities and inline suppressions, compute fingerprints and the summary.
 */
export function buildReport(options: BuildReportOptions): Report {
  const { workspace } = options;
  const allMeta = new Map<string, CheckMeta>();
  for (const meta of [...CORE_CHECKS, ...options.checks]) allMeta.set(meta.id, meta);
  const findings = withoutSuperseded(options.findings, allMeta);

  for (const file of workspace.loadedFiles()) {
    for (const problem of file.problems) {
      findings.push({
        checkId: parseCheck.id,
        messageId: 'problem',
        message: problem.message,
        data: { code: problem.code, message: problem.message },
        file: file.path,
        range: problem.range,
        severity: problem.severity,
        ...(problem.suggestions ? { suggestions: problem.suggestions.map((sg) => ({ description: sg.description, edits: sg.edits.map((e) => ({ file: file.path, ...e })) })) } : {}),
      });
    }
  }

  const toDiagnostic = (f: Finding): Diagnostic | undefined => {
    const meta = allMeta.get(f.checkId);
    const configured = meta ? effectiveSeverity(meta, options.severities) : 'error';
    if (configured === 'off') return undefined;
    const overridden = meta ? configured !== meta.severity : false;
    const severity: FindingSeverity = overridden ? configured : (f.severity ?? configured);
    const range = f.range ?? (f.file ? workspace.locate(f.file, f.pointer) : WHOLE_FILE);
    const message = f.message || (meta ? formatMessage((meta.messages as Record<string, string>)[f.messageId] ?? f.messageId, f.data) : f.messageId);
    return {
      checkId: f.checkId,
      aliases: [...(meta?.aliases ?? [])],
      severity,
      messageId: f.messageId,
      message,
      data: f.data,
      file: f.file ?? null,
      pointer: f.pointer ?? null,
      ...range,
      hint: f.hint ?? meta?.fixHint ?? null,
      docsUrl: meta ? docsUrlFor(meta.id) : null,
      // Array indices in the pointer become record ids, so inserting a record above keeps the fingerprint.
      // (No pointer, nothing to stabilise: the file's value is not asked for, so a text-only file is not parsed for it.)
      ...(f.fix ? { fix: f.fix } : {}),
      ...(f.suggestions?.length ? { suggestions: f.suggestions } : {}),
      fingerprint: fingerprintOf({
        checkId: f.checkId,
        messageId: f.messageId,
        file: f.file,
        pointer: f.pointer === undefined ? undefined : identityPointer(workspace, f.file, f.pointer),
        data: identityData(f.data, meta?.volatileData),
      }),
    };
  };

  const diagnostics = uniqueFingerprints(findings.map(toDiagnostic).filter((d): d is Diagnostic => d !== undefined));

  const directives = workspace.loadedFiles().flatMap((f) => {
    const text = workspace.text(f.path);
    return text === undefined ? [] : parseDirectives(f.path, text);
  });
  // checkMatches as two set lookups: ids exactly, aliases case-insensitively.
  const knownIds = new Set<string>();
  const knownAliases = new Set<string>();
  for (const m of allMeta.values()) {
    knownIds.add(m.id);
    for (const a of m.aliases ?? []) knownAliases.add(a.toLowerCase());
  }
  const known = (name: string): boolean => knownIds.has(name) || knownAliases.has(name.toLowerCase());
  const outcome = applySuppressions(diagnostics, directives, known, (d, name) => {
    const meta = allMeta.get(d.checkId);
    return meta ? checkMatches(meta, name) : d.checkId === name;
  });
  const results = [...outcome.kept, ...outcome.directiveFindings.map(toDiagnostic).filter((d): d is Diagnostic => d !== undefined)];
  results.sort(compareDiagnostics);

  const ranIds = new Set(options.ran.map((c) => c.id));
  const reportedIds = new Set(results.map((r) => r.checkId));
  const checks = [...allMeta.values()].filter((m) => ranIds.has(m.id) || reportedIds.has(m.id));
  return {
    version: 1,
    results,
    suppressedResults: outcome.suppressed,
    summary: {
      errors: results.filter((r) => r.severity === 'error').length,
      warnings: results.filter((r) => r.severity === 'warning').length,
      suppressed: outcome.suppressed.length,
      checksRun: options.ran.length,
      filesRead: workspace.filesRead,
      durationMs: Math.round(performance.now() - options.started),
    },
    checks,
  };
}

/**
 * A finding's pointer without positions: list indices become record ids (YAML) and table/row
 * indices become heading/first cell (Markdown), so inserting a record or a row above keeps it.
 */
function identityPointer(workspace: Workspace, file: string | undefined, ptr: string): string | undefined {
  if (file !== undefined && /\.(md|markdown)$/i.test(file)) return stableMarkdownPointer(workspace.markdown(file), ptr);
  return stablePointer(file ? workspace.yaml(file)?.value : undefined, ptr, workspace.recordIdFields);
}

/** Drop findings that another reported finding explains away (`Finding.supersedes`). */
function withoutSuperseded(findings: readonly Finding[], allMeta: ReadonlyMap<string, CheckMeta>): Finding[] {
  const targets = findings.flatMap((f) => f.supersedes ?? []);
  if (targets.length === 0) return [...findings];
  // Targets grouped by the check they name, each name (id or alias) resolved once: a finding is
  // compared only with the targets of its own check, not with every target.
  const byCheck = new Map<string, SupersededFinding[]>(); // a known check's id → targets naming it
  const byRawId = new Map<string, SupersededFinding[]>(); // for findings of checks without metadata
  const add = (map: Map<string, SupersededFinding[]>, key: string, t: SupersededFinding): void => {
    const list = map.get(key);
    if (list) list.push(t);
    else map.set(key, [t]);
  };
  const resolved = new Map<string, string[]>();
  for (const t of targets) {
    let ids = resolved.get(t.checkId);
    if (!ids) resolved.set(t.checkId, (ids = [...allMeta.values()].filter((m) => checkMatches(m, t.checkId)).map((m) => m.id)));
    for (const id of ids) add(byCheck, id, t);
    add(byRawId, t.checkId, t);
  }
  const isTarget = (f: Finding): boolean =>
    ((allMeta.has(f.checkId) ? byCheck : byRawId).get(f.checkId) ?? []).some((t) => {
      if (t.messageId !== undefined && t.messageId !== f.messageId) return false;
      return Object.entries(t.data ?? {}).every(([k, v]) => JSON.stringify(f.data[k]) === JSON.stringify(v));
    });
  return findings.filter((f) => f.supersedes !== undefined || !isTarget(f));
}

/** The part of a finding's data that identifies it: measurements (`volatileData`) are left out. */
/**
 * Finding data that is a measurement or a value the fix changes, never part of the identity: a
 * date, an age, the value found, the value expected, a status. With them in the fingerprint a
 * baseline stopped matching the next day (`age`), and a status rename or a date bump showed
 * untouched findings as new under `--base`. A check adds its own with `meta.volatileData`.
 */
export const VOLATILE_DATA: readonly string[] = [
  'actual',
  'expected',
  'value',
  'got',
  'status',
  'state',
  'states',
  'previous',
  'from',
  'to',
  'allowed',
  'suggestion',
  'date',
  'now',
  'age',
  'ageHours',
  'threshold',
  'staleAfterHours',
  'durationMs',
  'detail',
  'why',
  'reasons',
  'reason',
  'running',
  'registryStatus',
  'blockingStatus',
  'count',
  'min',
  'max',
  'bound',
  'message',
];
const VOLATILE = new Set(VOLATILE_DATA);

function identityData(data: Finding['data'], volatile: readonly string[] | undefined): Finding['data'] {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !VOLATILE.has(key) && !volatile?.includes(key)));
}

/** Order: file, line, column, check id — stable output for golden tests and humans. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.file ?? '';
  const fb = b.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** Exit code of a check run: 1 when errors exist or warnings exceed `maxWarnings`, else 0. */
export function exitCodeFor(summary: Pick<ReportSummary, 'errors' | 'warnings'>, maxWarnings = -1): 0 | 1 {
  if (summary.errors > 0) return 1;
  if (maxWarnings >= 0 && summary.warnings > maxWarnings) return 1;
  return 0;
}
