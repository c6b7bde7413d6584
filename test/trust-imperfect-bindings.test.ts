/**
 * Verdicts on imperfect bindings (issue: "one root cause, one finding; no false claim, no silent
 * pass"): the example spine with one realistic flaw at a time, run as the CLI runs it (the whole
 * static catalog plus schema validation), asserting the exact set of findings. Each case names the
 * cascade it used to produce (false "missing from SERVICE_REGISTRY" / "missing in ssh.targets"
 * findings about records that are right there), which must be gone, and the one finding that now
 * carries the story.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectorySource, runChecks, stylishReporter, Workspace, type Report } from '@spine-lint/core';
import { catalog, defaultPaths, schemaProducer } from '@spine-lint/checks';
import { afterAll, describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../examples/phase4-observability', import.meta.url));
const NOW = new Date('2026-02-09T12:00:00Z');
const REGISTRY = 'docs/governance/SERVICE_REGISTRY.yaml';
const SSH = 'ops/bindings/ssh.targets.yaml';
const POLICY = 'ops/bindings/infra.placement.policy.yaml';
const PLAN = 'ops/bindings/infra.relocation.plan.yaml';

const work = mkdtempSync(join(tmpdir(), 'spine-trust-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** The example with edits applied (file → new text, from the old text), checked like `spine-lint check`. */
function check(edits: Record<string, (text: string) => string>): Report {
  const root = join(work, `case-${n++}`);
  cpSync(EXAMPLE, root, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) writeFileSync(join(root, file), edit(readFileSync(join(root, file), 'utf8')));
  const workspace = new Workspace(new DirectorySource(root), { paths: { ...defaultPaths } });
  return runChecks({ workspace, checks: catalog, now: NOW, producers: [schemaProducer()] });
}

const keys = (report: Report): string[] => report.results.map((d) => `${d.checkId} ${d.file}:${d.line}:${d.column}${d.checkId === 'parse' ? ` ${String(d.data.code)}` : ''}`).sort();

/** The example's deliberate violation: grafana still on docker-host in the registry. */
const REAL = [`placement-policy ${REGISTRY}:50:11`, `relocation-parity ${REGISTRY}:50:11`, `relocation-ssot-completeness ${REGISTRY}:50:11`];

describe('imperfect bindings: the exact findings, no cascade', () => {
  it('the example as shipped: its one violation, seen by three gates', () => {
    expect(keys(check({}))).toEqual(REAL);
  });

  it('a registry that does not parse: its parse finding only; no check claims anything about its services', () => {
    const report = check({ [REGISTRY]: (t) => t.replace('  grafana:\n', '  grafana: [\n') });
    const found = keys(report);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((k) => k.startsWith(`parse ${REGISTRY}:`))).toBe(true);
    expect(report.results.some((d) => /missing from SERVICE_REGISTRY/.test(d.message))).toBe(false);
    // The checks that read the registry did not run, and the report says which and why.
    expect(report.skipped?.map((s) => s.checkId)).toEqual(expect.arrayContaining(['relocation-parity', 'placement-policy', 'relocation-ssot-completeness']));
    expect(report.skipped?.find((s) => s.checkId === 'relocation-parity')?.because).toEqual([{ file: REGISTRY, state: 'unparsable' }]);
    // stylish says so in one line: a silent gate is not mistaken for a pass.
    const text = stylishReporter(report, { color: false, cwd: work, rootPrefix: '', version: 'test' });
    expect(text).toMatch(new RegExp(`^  \\d+ checks did not run: ${REGISTRY.replace(/\./g, '\\.')} could not be read as data \\(see the parse and schema findings\\): .*relocation-parity`, 'm'));
  });

  it('ssh targets written as a map keyed by id instead of a list: one schema finding at the collection, no "missing in ssh.targets"', () => {
    const report = check({
      [SSH]: (t) => t.replace(/^ {4}- id: "([^"]+)"\n/gm, (_, id: string) => `    ${id}:\n      id: "${id}"\n`),
    });
    // D37 does not read ssh.targets: its (true) finding stays; every check reading ssh.targets is silent.
    expect(keys(report)).toEqual([`placement-policy ${REGISTRY}:50:11`, `schema ${SSH}:20:5`]);
    expect(report.results.find((d) => d.checkId === 'schema')?.message).toMatch(/must be array/);
    expect(report.skipped?.find((s) => s.checkId === 'relocation-parity')?.because).toEqual([{ file: SSH, state: 'wrong-shape' }]);
  });

  it('an empty placement policy during an active relocation: one finding naming the checks that needed it', () => {
    const report = check({ [POLICY]: () => '' });
    // relocation-ssot-completeness reads the policy too: it does not run either; D35 does not read it.
    expect(keys(report)).toEqual([`parse ${POLICY}:1:1 empty`, `relocation-parity ${REGISTRY}:50:11`]);
    const empty = report.results.find((d) => d.checkId === 'parse')!;
    expect(empty.severity).toBe('error');
    expect(empty.message).toMatch(/empty.*placement-policy \(D37\)/);
    // A comment-only file is empty too.
    expect(keys(check({ [POLICY]: () => '# placement policy: to be written\n' }))).toContain(`parse ${POLICY}:1:1 empty`);
  });

  it('a duplicate key: the duplicate is an error, and the checks judge the value YAML loaders use (last wins)', () => {
    // sed -i '56a\    notes: "dup"' docs/governance/SERVICE_REGISTRY.yaml (the issue's reproduction).
    const report = check({
      [REGISTRY]: (t) => {
        const lines = t.split('\n');
        lines.splice(56, 0, '    notes: "dup"');
        return lines.join('\n');
      },
    });
    expect(keys(report)).toEqual([`parse ${REGISTRY}:57:5 duplicate-key`, ...REAL].sort());
    expect(report.results.some((d) => /missing from SERVICE_REGISTRY/.test(d.message))).toBe(false);
  });

  it('a duplicated host: the last one is the host the gates compare', () => {
    // grafana's host repeated, the second occurrence right: last wins, so the parity gates pass.
    const fixed = check({ [REGISTRY]: (t) => t.replace('    host: docker-host\n    port: 3000', '    host: docker-host\n    host: observability\n    port: 3000') });
    expect(keys(fixed)).toEqual([`parse ${REGISTRY}:51:5 duplicate-key`]);
    // The other way round: the stale host wins, the three gates report it at the winning key.
    const stale = check({ [REGISTRY]: (t) => t.replace('    host: docker-host\n    port: 3000', '    host: observability\n    host: docker-host\n    port: 3000') });
    expect(keys(stale)).toEqual([
      `parse ${REGISTRY}:51:5 duplicate-key`,
      `placement-policy ${REGISTRY}:51:11`,
      `relocation-parity ${REGISTRY}:51:11`,
      `relocation-ssot-completeness ${REGISTRY}:51:11`,
    ]);
  });

  it('merge keys: a relocation entry written with <<: *defaults is read with its merged fields', () => {
    const grafana = [
      '  - service: "grafana"',
      '    from_host: "docker-host"',
      '    to_host: "observability"',
      '    phase: 4',
      '    health_url: "http://127.0.2.205:3000/api/health"',
      '    rollback_to: "docker-host"',
      '    backup_target: null',
      '    status: "applied"',
      '',
    ].join('\n');
    const report = check({
      [PLAN]: (t) => {
        expect(t).toContain(grafana);
        return t
          .replace('  - service: "prometheus"\n', '  - &phase4\n    service: "prometheus"\n')
          .replace(grafana, ['  - <<: *phase4', '    service: "grafana"', '    health_url: "http://127.0.2.205:3000/api/health"', ''].join('\n'));
      },
    });
    // Without the merge, grafana has no to_host: "manifest to_host is empty" and no parity verdict.
    expect(keys(report)).toEqual(REAL);
  });
});
