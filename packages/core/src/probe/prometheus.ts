import type { ProbeReport } from './engine.js';
import { redactCredentials } from './redact.js';

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * node_exporter textfile format: per (check, target), success (no findings) and the time its
 * probes took. Write it to `<textfile dir>/spine_lint.prom` (atomically: temp file + rename).
 */
export function prometheusTextfile(report: ProbeReport, now = new Date()): string {
  type Row = { check: string; target: string; duration: number; ok: boolean };
  const rows = new Map<string, Row>();
  for (const p of report.probes) {
    // Targets are labels: credentials redacted (on both sides of the match below).
    const shown = redactCredentials(String(p.target));
    const k = `${p.checkId}\u0000${shown}`;
    const row = rows.get(k) ?? { check: p.checkId, target: shown, duration: 0, ok: true };
    row.duration += p.durationMs;
    rows.set(k, row);
  }
  for (const r of report.results) {
    const target = r.data.target;
    if (typeof target !== 'string') continue;
    const row = rows.get(`${r.checkId}\u0000${redactCredentials(target)}`);
    if (row) row.ok = false;
  }
  const sorted = [...rows.values()].sort((a, b) => (a.check === b.check ? (a.target < b.target ? -1 : 1) : a.check < b.check ? -1 : 1));
  const label = (r: Row): string => `{check="${esc(r.check)}",target="${esc(r.target)}"}`;
  const lines = [
    '# HELP spine_lint_probe_success 1 when the live check found nothing wrong for the target, else 0.',
    '# TYPE spine_lint_probe_success gauge',
    ...sorted.map((r) => `spine_lint_probe_success${label(r)} ${r.ok ? 1 : 0}`),
    '# HELP spine_lint_probe_duration_seconds Time the probes of the check for the target took.',
    '# TYPE spine_lint_probe_duration_seconds gauge',
    ...sorted.map((r) => `spine_lint_probe_duration_seconds${label(r)} ${(r.duration / 1000).toFixed(3)}`),
    '# HELP spine_lint_probe_last_run_timestamp_seconds When the probe run finished.',
    '# TYPE spine_lint_probe_last_run_timestamp_seconds gauge',
    `spine_lint_probe_last_run_timestamp_seconds ${Math.floor(now.getTime() / 1000)}`,
  ];
  return lines.join('\n') + '\n';
}
