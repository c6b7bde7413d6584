import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { defineCheck, MemorySource, runCheckOnFiles, runChecks, Workspace, type Check, type FindingSeverity, type Report, type ReporterContext } from '@spine-lint/core';

/**
 * A tiny check over real YAML/Markdown files, so every position in the report comes from the
 * core's pointer resolution: one error per service without a host (single-line range), one
 * warning per service whose `ports` block spans lines (multi-line range), a Markdown table
 * finding, and one finding about the run itself (no file).
 */
export const serviceCheck = defineCheck({
  id: 'service-host',
  aliases: ['D99'],
  title: 'Every service names its host',
  description: 'A service in services.yaml must name the host it runs on.',
  severity: 'error',
  kind: 'static',
  reads: ['services.yaml', 'REGISTRY.md'],
  fixHint: 'Add `host:` to the service.',
  messages: {
    noHost: "service '{{service}}' has no host",
    wideHost: "service '{{service}}' lists ports over several lines",
    row: "registry row for '{{service}}' has status '{{status}}'",
    run: 'run-level note: {{text}}',
  },
  run(ctx) {
    const doc = ctx.workspace.yaml('services.yaml');
    const services = (doc?.value as { services?: Record<string, { host?: unknown; ports?: unknown }> } | undefined)?.services ?? {};
    for (const [name, svc] of Object.entries(services)) {
      if (svc === null || typeof svc !== 'object') continue;
      if (svc.host === '' || svc.host === undefined)
        ctx.report({ messageId: 'noHost', data: { service: name }, file: 'services.yaml', pointer: `/services/${name.replace(/~/g, '~0').replace(/\//g, '~1')}${svc.host === '' ? '/host' : ''}` });
      if (Array.isArray(svc.ports) && svc.ports.length > 1)
        ctx.report({ messageId: 'wideHost', data: { service: name }, file: 'services.yaml', pointer: `/services/${name}/ports`, severity: 'warning' });
    }
    const md = ctx.workspace.markdown('REGISTRY.md');
    const table = md?.table('Services', ['Service', 'Status']);
    for (const row of table?.rows ?? []) {
      const status = row.cells.Status;
      if (status && status.value !== 'active')
        ctx.report({ messageId: 'row', data: { service: row.cells.Service?.value ?? '', status: status.value }, file: 'REGISTRY.md', pointer: status.pointer, severity: 'warning' });
    }
    const extra = ctx.options.extraFile;
    if (typeof extra === 'string' && ctx.workspace.yaml(extra)) ctx.report({ messageId: 'noHost', data: { service: 'odd' }, file: extra, pointer: '/odd' });
    const text = ctx.options.runNote;
    if (typeof text === 'string') ctx.report({ messageId: 'run', data: { text } });
  },
});

export const SERVICES_YAML = `services:
  grafana:
    host: ""
    ports:
      - 3000
      - 3001
  loki:
    host: observability
  "evil%0A::error::x,y:z\\u001b[31m\\r\\n::warning file=a::injected":
    image: bad
`;

export const REGISTRY_MD = `# Registry

## Services

| Service | Status |
| --- | --- |
| grafana | active |
| loki | <retired> & "gone" |
`;

/** A normal report: an error, warnings, a Markdown finding, a run-level finding, hostile names. */
export function sampleReport(runNote = 'probe cache % stale <b>&</b> \u0001 \ud800 \u{1f680}', extraFiles: Record<string, string> = {}): Report {
  const extraFile = Object.keys(extraFiles)[0];
  const report = runCheckOnFiles(serviceCheck, {
    files: { 'services.yaml': SERVICES_YAML, 'REGISTRY.md': REGISTRY_MD, ...extraFiles },
    options: { runNote, ...(extraFile ? { extraFile } : {}) },
  });
  return normalise(report);
}

/**
 * A check over `hosts.yaml` that reports a fixed list of findings: `[service, message, severity?]`,
 * each on `/services/<service>/host`. Several of them on the same service are findings of several
 * checks on the same value (one root cause), which `stylish` and `github` show once.
 */
export function hostCheck(id: string, aliases: string[], severity: FindingSeverity, findings: [string, string, FindingSeverity?][]): Check {
  return defineCheck({
    id,
    aliases,
    title: `${id} title`,
    description: `${id} description.`,
    severity,
    kind: 'static',
    reads: ['hosts.yaml'],
    fixHint: `Fix for ${id}.`,
    messages: { m: '{{text}}' },
    run(ctx) {
      if (!ctx.workspace.yaml('hosts.yaml')) return;
      for (const [service, text, sev] of findings) ctx.report({ messageId: 'm', data: { service, text }, file: 'hosts.yaml', pointer: `/services/${service}/host`, ...(sev ? { severity: sev } : {}) });
    },
  });
}

export const HOSTS_YAML = `services:
  grafana:
    host: docker-host
  loki:
    # spine-lint-disable-next-line host-style -- legacy name, renamed with the VM
    host: old_host
  tempo:
    host: observability
  mimir:
    host: "a,b:c%0A::error::x"
`;

/**
 * Three checks on the same values: grafana's stale host is seen by host-parity (D97), host-placement
 * (D96, placement) and host-style (a warning); loki's by host-parity and host-style, whose finding is
 * suppressed inline; tempo's by host-style only; mimir's hostile host by two checks as warnings.
 */
export const groupChecks: Check[] = [
  hostCheck('host-parity', ['D97'], 'error', [
    ['grafana', "service 'grafana' registry host 'docker-host' != manifest 'observability'"],
    ['loki', "service 'loki' registry host 'old_host' != manifest 'observability'"],
  ]),
  hostCheck('host-placement', ['D96', 'placement'], 'error', [
    ['grafana', "placement: host 'docker-host' is draining"],
    ['mimir', "placement: host 'a,b:c%0A::error::x' is unknown\r\n::warning::x", 'warning'],
  ]),
  hostCheck('host-style', [], 'warning', [
    ['grafana', "host 'docker-host' has no site suffix"],
    ['loki', "host 'old_host' has an underscore"],
    ['tempo', "host 'observability' has no site suffix"],
    ['mimir', 'host has punctuation'],
  ]),
];

/** A report where several checks find the same values (see {@link groupChecks}). */
export function groupedReport(): Report {
  const workspace = new Workspace(new MemorySource({ 'hosts.yaml': HOSTS_YAML }));
  return normalise(runChecks({ workspace, checks: groupChecks, now: new Date('2026-03-05T00:00:00Z'), kinds: ['static'] }));
}

/** Durations differ from run to run: golden output uses 0. */
export function normalise(report: Report): Report {
  return { ...report, summary: { ...report.summary, durationMs: 0 } };
}

export const ctx = (over: Partial<ReporterContext> = {}): ReporterContext => ({
  color: false,
  cwd: '/work/repo',
  rootPrefix: '',
  version: '1.2.3',
  ...over,
});

const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url));

/**
 * Compare output with a checked-in golden file, exactly. `UPDATE_GOLDEN=1` (re)writes the file;
 * a missing golden file is a failure unless updating, so a test cannot pass vacuously.
 */
export function expectGolden(name: string, actual: string): void {
  const path = goldenDir + name;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `golden file ${name} missing (run with UPDATE_GOLDEN=1 once and inspect it)`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
