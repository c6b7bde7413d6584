import type { CheckMeta } from '../check.js';
import type { Diagnostic } from '../diagnostic.js';
import { escapeXml } from './escape.js';
import type { Reporter, ReporterContext } from './types.js';

const attr = (value: string | number): string => `"${escapeXml(String(value), true)}"`;

function locationOf(d: Diagnostic, ctx: ReporterContext): string {
  return d.file === null ? '(run)' : `${ctx.rootPrefix}${d.file}:${d.line}:${d.column}`;
}

function detailOf(d: Diagnostic, ctx: ReporterContext): string {
  return [
    `${d.severity}: ${d.message}`,
    `at ${locationOf(d, ctx)}${d.pointer ? ` (${d.pointer})` : ''}`,
    `check: ${d.checkId}${d.aliases.length ? ` (${d.aliases.join(', ')})` : ''}`,
    d.hint ? `fix: ${d.hint}` : '',
    d.docsUrl ? `docs: ${d.docsUrl}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function testcase(d: Diagnostic, ctx: ReporterContext): string[] {
  const open = `    <testcase name=${attr(locationOf(d, ctx))} classname=${attr(d.checkId)}${d.file === null ? '' : ` file=${attr(ctx.rootPrefix + d.file)} line=${attr(d.line)}`} time="0">`;
  if (d.severity === 'error') {
    return [
      open,
      `      <failure message=${attr(d.message)} type=${attr(d.messageId)}>${escapeXml(detailOf(d, ctx))}</failure>`,
      '    </testcase>',
    ];
  }
  return [open, `      <system-out>${escapeXml(detailOf(d, ctx))}</system-out>`, '    </testcase>'];
}

/**
 * JUnit XML (the Jenkins/GitLab/Azure dialect): `<testsuites>` with one `<testsuite>` per check
 * that ran (name = check id), one `<testcase>` per finding (name = `file:line:column`, classname =
 * check id) — CI test views list each finding on its own row. An error is a `<failure>` (message =
 * the finding's message, type = its message id); a warning is a passing test case whose
 * `<system-out>` carries the warning. A check without findings is one passing test case named
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

  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const meta of metas) {
    const list = byCheck.get(meta.id) ?? [];
    const suiteFailures = list.filter((d) => d.severity === 'error').length;
    const cases = list.length === 0
      ? [`    <testcase name=${attr(meta.id)} classname=${attr(meta.id)} time="0"/>`]
      : list.flatMap((d) => testcase(d, ctx));
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
