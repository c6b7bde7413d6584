import type { Diagnostic } from '../diagnostic.js';
import { terminalSafeJson } from './escape.js';
import { checkoutPrefix } from './paths.js';
import type { Reporter } from './types.js';

/** GitLab Code Quality severities (the CodeClimate names GitLab reads). */
export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** How a finding's severity reads in GitLab: an error is `major`, a warning `minor`. */
export const GITLAB_SEVERITY: Record<Diagnostic['severity'], CodeQualitySeverity> = { error: 'major', warning: 'minor' };

/** One entry of a GitLab Code Quality report (the CodeClimate subset GitLab documents). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

/**
 * GitLab Code Quality (`artifacts: reports: codequality`): a JSON array, one entry per finding with a
 * file: `description` (the message and the check id), `check_name` (the check id), `severity`
 * (error → `major`, warning → `minor`), `location.path` (from the repository checkout,
 * `CI_PROJECT_DIR`, when it contains the root; else from the root) and `location.lines.begin`, and
 * `fingerprint`: our line-independent fingerprint, which GitLab compares between the merge request
 * and its target branch to say which findings are new or fixed. Fingerprints are unique in a report
 * (GitLab drops duplicates): findings identical in every part get `:2`, `:3`, … Findings about the
 * run itself (no file) have no place in a Code Quality report and are left out (the exit code and
 * the other formats carry them). Always a valid document: `[]` when there is nothing.
 */
export const gitlabReporter: Reporter = (report, ctx) => {
  const results = ctx.quiet ? report.results.filter((r) => r.severity === 'error') : report.results;
  const prefix = checkoutPrefix(ctx);
  const seen = new Map<string, number>();
  const issues: CodeQualityIssue[] = results
    .filter((d) => d.file !== null)
    .map((d) => {
      const n = (seen.get(d.fingerprint) ?? 0) + 1;
      seen.set(d.fingerprint, n);
      return {
        description: `${d.message || d.messageId} (${d.checkId})`,
        check_name: d.checkId,
        fingerprint: n === 1 ? d.fingerprint : `${d.fingerprint}:${n}`,
        severity: GITLAB_SEVERITY[d.severity],
        location: { path: prefix + d.file, lines: { begin: Math.max(1, d.line) } },
      };
    });
  return terminalSafeJson(JSON.stringify(issues, null, 2)) + '\n';
};
