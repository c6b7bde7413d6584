import type { Diagnostic, FindingSeverity } from '../diagnostic.js';

/**
 * The findings the people-facing formats (`stylish`, `github`) show as one item: every finding on
 * the same value — the same file, the same JSON pointer and the same range — whatever check reported
 * it. One stale registry host seen by relocation-parity (D35), placement-policy (D37) and
 * relocation-ssot-completeness is one root cause, so it is shown once, naming every check.
 * The machine formats (json, sarif, junit), baselines and `--only` keep one result per check.
 */
export interface FindingGroup {
  /** The group's findings, most severe first, otherwise in report order; never empty. */
  readonly findings: readonly Diagnostic[];
  /** The highest severity among the findings. */
  readonly severity: FindingSeverity;
}

/** `check-id (ALIAS, …)`: how the people-facing formats name a check. */
export const checkLabel = (d: Diagnostic): string => d.checkId + (d.aliases.length ? ` (${d.aliases.join(', ')})` : '');

/**
 * Group findings by the value they are about, in the order of each group's first finding.
 * Findings without a file or without a JSON pointer (run-level findings, positions that are not a
 * value such as a YAML syntax error) are never grouped: each is its own group.
 */
export function groupByLocation(results: readonly Diagnostic[]): FindingGroup[] {
  const groups: Diagnostic[][] = [];
  const byKey = new Map<string, Diagnostic[]>();
  for (const d of results) {
    if (d.file === null || d.pointer === null) {
      groups.push([d]);
      continue;
    }
    const key = JSON.stringify([d.file, d.pointer, d.line, d.column, d.endLine, d.endColumn]);
    const group = byKey.get(key);
    if (group) group.push(d);
    else {
      const fresh = [d];
      byKey.set(key, fresh);
      groups.push(fresh);
    }
  }
  return groups.map((list) => {
    // Stable: errors first, then warnings, each in report order.
    const findings = [...list.filter((d) => d.severity === 'error'), ...list.filter((d) => d.severity !== 'error')];
    return { findings, severity: findings[0]!.severity };
  });
}

/** ` at N locations`: the summary lines add it when some findings share a location ('' when none do). */
export function locationsSuffix(results: readonly Diagnostic[], groups: readonly FindingGroup[]): string {
  if (groups.length >= results.length) return '';
  return ` at ${groups.length} location${groups.length === 1 ? '' : 's'}`;
}
