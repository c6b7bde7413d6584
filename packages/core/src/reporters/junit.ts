import type { CheckMeta } from '../check.js';
import type { Diagnostic } from '../diagnostic.js';
import { escapeXml } from './escape.js';
import type { Reporter, ReporterContext } from './types.js';

const attr = (value: string | number): string => `"${escapeXml(String(value), true)}"`;

function locationOf(d: Diagnostic): string {
  return d.file === null ? '(run)' : `${d.file}:${d.line}:${d.column}`;
}

function detailOf(d: Diagnostic): string {
  return [
    `${d.severity}: ${d.message}`,
    `at ${locationOf(d)}${d.pointer ? ` (${d.pointer})` : ''}`,
    `check: ${d.checkId}${d.aliases.length ? ` (${d.aliases.join(', ')})` : ''}`,
    `message id: ${d.messageId}`,
    `fingerprint: ${d.fingerprint}`,
    d.hint ? `fix: ${d.hint}` : '',
    d.docsUrl ? `docs: ${d.docsUrl}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * A finding's test case name: the check and the finding's identity, never its line — the file, the
 * JSON pointer of the value it is about, and its fingerprint (`relocation-parity:
 * docs/governance/SERVICE_REGISTRY.yaml#/services/grafana/host [3f1c…]`). CI systems that track a
 * test across builds (flaky/new/fixed views) then follow the finding across edits above it.
 */
export const testcaseName = (d: Diagnostic): string => `${d.checkId}: ${d.file ?? '(run)'}${d.pointer ? `#${d.pointer}` : ''} [${d.fingerprint}]`;

function testcase(d: Diagnostic, name: string, warningsFail: boolean): string[] {
  const open = `    <testcase name=${attr(name)} classname=${attr(d.checkId)}${d.file === null ? '' : ` file=${attr(d.file)} line=${attr(d.line)}`} time="0">`;
  if (d.severity === 'error' || warningsFail) {
    return [open, `      <failure message=${attr(d.message)} type=${attr(d.severity)}>${escapeXml(detailOf(d))}</failure>`, '    </testcase>'];
  }
  return [open, `      <system-out>${escapeXml(detailOf(d))}</system-out>`, '    </testcase>'];
}

/**
 * Whether the report's warnings fail the run (`--max-warnings N` and more than N of them: exit 1),
 * in which case JUnit shows them as failures, like the errors.
 */
const warningsFailRun = (report: Parameters<Reporter>[0], ctx: ReporterContext): boolean =>
  !ctx.quiet && ctx.maxWarnings !== undefined && ctx.maxWarnings >= 0 && report.summary.warnings > ctx.maxWarnings;

/**
 * JUnit XML (the Jenkins/GitLab/Azure dialect): `<testsuites>` with one `<testsuite>` per check
 * that ran (name = check id), one `<testcase>` per finding (classname = check id, name = the check
 * and the finding's identity: file, JSON pointer and fingerprint, see {@link testcaseName}; never
 * the line, and unique in the report) — CI test views list each finding on its own row and follow
 * it across edits. An error is a `<failure type="error">` (message = the finding's message). A
 * warning is a `<failure type="warning">` when the warnings fail the run (`--max-warnings N` and more
 * than N), otherwise a passing test case whose `<system-out>` carries the warning: the test view
 * is red exactly when the exit code is 1. A check without findings is one passing test case named
 * after the check, so passes are counted too. Text is XML-escaped; characters XML 1.0 forbids are
 * shown as `\xNN` escapes. Suppressed findings are not listed.
 */
export const junitReporter: Reporter = (report, ctx) => {
  const results = ctx.quiet ? report.results.filter((r) => r.severity === 'error') : report.results;
  const byCheck = new Map<string, Diagnostic[]>();
  for (const r of results) {
    const list = byCheck.get(r.checkId) ?? [];
    list.push(r);
    byCheck.set(r.checkId, list);
  }
  const metas: Pick<CheckMeta, 'id' | 'title'>[] = [...report.checks];
  for (const id of byCheck.keys()) if (!metas.some((m) => m.id === id)) metas.push({ id, title: id });

  const warningsFail = warningsFailRun(report, ctx);
  // Names are unique in the report: findings identical in every part get ` (2)`, ` (3)`, …
  const names = new Set<string>(metas.filter((m) => !byCheck.has(m.id)).map((m) => `${m.id}\u0000${m.id}`));
  const uniqueName = (d: Diagnostic): string => {
    const base = testcaseName(d);
    let name = base;
    for (let n = 2; names.has(`${d.checkId}\u0000${name}`); n++) name = `${base} (${n})`;
    names.add(`${d.checkId}\u0000${name}`);
    return name;
  };
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const meta of metas) {
    const list = byCheck.get(meta.id) ?? [];
    const suiteFailures = list.filter((d) => d.severity === 'error' || warningsFail).length;
    const cases = list.length === 0 ? [`    <testcase name=${attr(meta.id)} classname=${attr(meta.id)} time="0"/>`] : list.flatMap((d) => testcase(d, uniqueName(d), warningsFail));
    const count = Math.max(1, list.length);
    tests += count;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name=${attr(meta.id)} tests="${count}" failures="${suiteFailures}" errors="0" skipped="0" time="0">`,
      `    <properties>`,
      `      <property name="title" value=${attr(meta.title)}/>`,
      `    </properties>`,
      ...cases,
      '  </testsuite>',
    );
  }
  const time = (report.summary.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="spine-lint" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="${time}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};
