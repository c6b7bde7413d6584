import type { Fix } from '../fix/textEdits.js';
import { pathToFileURL } from 'node:url';
import { docsUrlFor, type CheckMeta } from '../check.js';
import type { Diagnostic } from '../diagnostic.js';
import { terminalSafeJson } from './escape.js';
import { checkoutBase, checkoutPrefix } from './paths.js';
import type { Reporter, ReporterContext } from './types.js';

/** Id of the core check that reports a crashed check (coreChecks.ts). */
const CHECK_ERROR_ID = 'check-error';

/** The `$schema` GitHub code scanning expects (anchors §5.1). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where the tool is described (SARIF `tool.driver.informationUri`). */
export const INFORMATION_URI = 'https://github.com/spine-lint/spine-lint';
/**
 * The `uriBaseId` every artifact location is relative to: the root of the checked spine (or the
 * code host's checkout containing it, see `ReporterContext.checkout`), given as an absolute `file:`
 * URI in `originalUriBaseIds`.
 */
export const SRCROOT = '%SRCROOT%';
/** Key of our fingerprint in `partialFingerprints` (versioned: a new scheme gets a new key). */
export const FINGERPRINT_KEY = 'spineLint/v1';
/** The `partialFingerprints` key GitHub code scanning matches alerts by (the only one it reads). */
export const LINE_HASH_KEY = 'primaryLocationLineHash';
/** `runs[].automationDetails.id` when `--sarif-category` is not given. */
export const DEFAULT_SARIF_CATEGORY = 'spine-lint/';

/**
 * A `--sarif-category` as `automationDetails.id`: GitHub reads the id as `category/run-id` and
 * compares analyses of one category, so a category ends with `/` (as `upload-sarif` makes it).
 */
export const sarifCategoryId = (category: string | undefined): string => {
  const c = (category ?? '').trim() || DEFAULT_SARIF_CATEGORY;
  return c.endsWith('/') ? c : c + '/';
};

/**
 * A rule's `name`: the check id in PascalCase (`relocation-parity` → `RelocationParity`), the
 * friendly name SARIF (rule SARIF2012) and GitHub show beside the id.
 */
export const ruleName = (id: string): string =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('') || 'Check';

/**
 * `partialFingerprints.primaryLocationLineHash` of a finding: GitHub's format (`<hex hash>:<n>`,
 * n counting equal hashes in one file from 1, as `upload-sarif` computes it from a line's text), but
 * the hash is the first 64 bits of our line-independent fingerprint (check, message id, file, JSON
 * pointer, data) instead of a hash of the line. An edit above a finding leaves it unchanged (the
 * alert follows the finding); two findings on one line differ in pointer or data, so they are two
 * alerts; `n` only tells apart findings that are identical in every part.
 */
export function lineHashes(findings: readonly Pick<Diagnostic, 'file' | 'fingerprint'>[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((d) => {
    const hash = d.fingerprint.slice(0, 16);
    const key = `${d.file ?? ''}\u0000${hash}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return `${hash}:${n}`;
  });
}

/** GitHub rejects rule descriptions over 1024 characters. */
const MAX_DESCRIPTION = 1024;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const clip = (text: string, max = MAX_DESCRIPTION): string => (text.length <= max ? text : text.slice(0, max - 1) + '…');
/** SARIF rejects empty strings for required text in GitHub: fall back to something meaningful. */
const nonEmpty = (text: string | undefined | null, fallback: string): string => (text && text.trim() !== '' ? text : fallback);

/** A repository path as a relative URI reference: `/` separators, each segment percent-encoded. */
export function artifactUri(path: string): string {
  return (
    path
      .replace(/\\/g, '/')
      .replace(/^(\.\/)+/, '')
      .split('/')
      // Lone surrogates cannot be percent-encoded (encodeURIComponent throws): U+FFFD stands in.
      .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment.replace(LONE_SURROGATE, '\ufffd'))))
      .join('/')
  );
}

function ruleOf(meta: CheckMeta): Record<string, unknown> {
  const docsUrl = docsUrlFor(meta.id);
  const title = nonEmpty(meta.title, meta.id);
  const description = nonEmpty(meta.description, title);
  const hint = meta.fixHint?.trim();
  const aliases = [...(meta.aliases ?? [])];
  const text = [description, hint ? `How to fix: ${hint}` : '', `Documentation: ${docsUrl}`].filter(Boolean).join('\n\n');
  const markdown = [
    `**${title}**`,
    description,
    hint ? `**How to fix:** ${hint}` : '',
    aliases.length ? `Also selected by: ${aliases.map((a) => `\`${a}\``).join(', ')}` : '',
    `[Documentation](${docsUrl})`,
  ]
    .filter(Boolean)
    .join('\n\n');
  // SARIF1001: a name equal to the id (case aside: `parse` / `Parse`) is left out.
  const name = ruleName(meta.id);
  return {
    id: meta.id,
    ...(name.toLowerCase() === meta.id.toLowerCase() ? {} : { name }),
    shortDescription: { text: clip(title) },
    fullDescription: { text: clip(description) },
    help: { text, markdown },
    helpUri: docsUrl,
    defaultConfiguration: { level: meta.severity },
    properties: {
      tags: ['spine-lint', meta.kind, ...aliases],
      precision: 'very-high',
      'problem.severity': meta.severity,
      ...(meta.ports ? { ports: meta.ports } : {}),
    },
  };
}

/** A rule for a result whose check's metadata is unknown (should not happen; keeps the log valid). */
const unknownRule = (id: string): CheckMeta => ({
  id,
  title: id,
  description: `Findings of '${id}'.`,
  severity: 'error',
  kind: 'static',
  reads: [],
  messages: {},
});

function physicalLocation(d: Diagnostic, ctx: ReporterContext): Record<string, unknown> {
  const startLine = Math.max(1, d.line);
  const startColumn = Math.max(1, d.column);
  let endLine = Math.max(startLine, d.endLine);
  let endColumn = Math.max(1, d.endColumn);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  if (!Number.isFinite(endLine)) endLine = startLine;
  return {
    artifactLocation: { uri: artifactUri(checkoutPrefix(ctx) + d.file), uriBaseId: SRCROOT },
    region: { startLine, startColumn, endLine, endColumn },
  };
}

/** A fix as SARIF `fixes[]`: one artifactChange per file, each edit a deletedRegion + insertedContent. */
function sarifFix(fix: Fix, ctx: ReporterContext): Record<string, unknown> {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return {
    description: { text: fix.description },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: { uri: artifactUri(checkoutPrefix(ctx) + file), uriBaseId: SRCROOT },
      replacements: edits.map((e) => ({
        deletedRegion: { startLine: e.range.line, startColumn: e.range.column, endLine: e.range.endLine, endColumn: e.range.endColumn },
        insertedContent: { text: e.text },
      })),
    })),
  };
}

/** The directory artifact URIs are relative to, as an absolute `file:` URI ending in `/`. */
function srcRootUri(dir: string): string | undefined {
  if (!dir) return undefined;
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}

/**
 * SARIF 2.1.0, one run, shaped for GitHub code scanning (anchors §5.1):
 * - `tool.driver.rules` holds every check of the report (those that ran, and core checks that
 *   reported), with help text/markdown and `helpUri` = the check's docs page;
 * - every rule has a `name` (the id in PascalCase, {@link ruleName}) unless that is the id itself
 *   with another case (`parse`): SARIF (rule SARIF1001) wants a name that differs from the id;
 * - a result per finding with a file: `ruleId`/`ruleIndex`, level, message, one physical location
 *   (URI relative to the root, `uriBaseId: %SRCROOT%` = the root in `originalUriBaseIds`, exact
 *   region; under a code host's checkout containing the root, relative to the checkout: see
 *   `ReporterContext.checkout`) and `partialFingerprints`: `spineLint/v1` = the line-independent
 *   fingerprint, `primaryLocationLineHash` = the same identity in GitHub's format ({@link lineHashes});
 * - `automationDetails.id` = the category (`--sarif-category`, default `spine-lint/`), so code
 *   scanning compares a pull request's analysis with the default branch's of the same category;
 * - findings about the run itself (no file, e.g. a crashed check) cannot carry the location code
 *   scanning requires: they become `invocations[0].toolExecutionNotifications`, and a crashed
 *   check makes `executionSuccessful` false (its results are incomplete);
 * - suppressed findings are omitted (GitHub showed suppressed SARIF results as alerts).
 */
export const sarifReporter: Reporter = (report, ctx) => {
  const metas: CheckMeta[] = [...report.checks];
  const index = new Map<string, number>(metas.map((m, i) => [m.id, i]));
  const results = ctx.quiet ? report.results.filter((r) => r.severity === 'error') : report.results;
  for (const r of results) {
    if (!index.has(r.checkId)) {
      index.set(r.checkId, metas.length);
      metas.push(unknownRule(r.checkId));
    }
  }

  const located = results.filter((d) => d.file !== null);
  const hashes = lineHashes(located);
  const sarifResults = located.map((d, i) => ({
    ruleId: d.checkId,
    ruleIndex: index.get(d.checkId)!,
    level: d.severity === 'error' ? 'error' : 'warning',
    message: { text: nonEmpty(d.message, d.messageId) },
    locations: [{ physicalLocation: physicalLocation(d, ctx) }],
    partialFingerprints: { [LINE_HASH_KEY]: hashes[i]!, [FINGERPRINT_KEY]: d.fingerprint },
    // The fix (what `--fix` applies) and the suggestions, as SARIF fixes: replacements by region.
    ...(d.fix || d.suggestions?.length ? { fixes: [...(d.fix ? [d.fix] : []), ...(d.suggestions ?? [])].map((f) => sarifFix(f, ctx)) } : {}),
    properties: { messageId: d.messageId, ...(d.pointer ? { pointer: d.pointer } : {}) },
  }));

  const notifications: Record<string, unknown>[] = results
    .filter((d) => d.file === null)
    .map((d) => ({
      level: d.severity === 'error' ? 'error' : 'warning',
      message: { text: nonEmpty(d.message, d.messageId) },
      associatedRule: { id: d.checkId, index: index.get(d.checkId)! },
      properties: { messageId: d.messageId, fingerprint: d.fingerprint },
    }));
  // Checks that did not run on an unreadable binding: a note each (the binding's own finding is a result).
  for (const skipped of report.skipped ?? []) {
    const why = skipped.because.map((b) => `${b.file} is ${b.state === 'wrong-shape' ? 'of the wrong shape' : b.state}`).join('; ');
    notifications.push({ level: 'note', message: { text: `${skipped.checkId} did not run: ${why}.` }, associatedRule: { id: skipped.checkId }, properties: { skipped: skipped.because } });
  }

  // A check that crashed (core check `check-error`) means the run did not do what it was asked:
  // SARIF consumers read `executionSuccessful: false` as "these results are incomplete".
  const executionSuccessful = !report.results.some((d) => d.checkId === CHECK_ERROR_ID);
  const root = srcRootUri(checkoutBase(ctx));
  const driver = {
    name: 'spine-lint',
    ...(ctx.version ? { version: ctx.version } : {}),
    ...(SEMVER.test(ctx.version) ? { semanticVersion: ctx.version } : {}),
    informationUri: INFORMATION_URI,
    rules: metas.map(ruleOf),
  };
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        automationDetails: { id: sarifCategoryId(ctx.sarifCategory) },
        invocations: [
          {
            executionSuccessful,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        ...(root ? { originalUriBaseIds: { [SRCROOT]: { uri: root } } } : {}),
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
        properties: { summary: { ...report.summary } },
      },
    ],
  };
  return terminalSafeJson(JSON.stringify(log, null, 2)) + '\n';
};
