import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBaseline, baselineFromReport, defineCheck, hideKnownAtBase, loadBaseline, parseBaseline, pointer, runCheckOnFiles, serializeBaseline, writeBaseline } from '@spine-lint/core';

/** A small real check: every service must have a host that is not `docker-host`. */
const noDockerHost = defineCheck({
  id: 'no-docker-host',
  title: 'No docker-host',
  description: 'Services must not run on docker-host.',
  severity: 'error',
  kind: 'static',
  reads: ['plan.yaml'],
  messages: { onDockerHost: "service '{{service}}' still runs on '{{host}}'" },
  run(ctx) {
    const value = ctx.workspace.yaml('plan.yaml')?.value as { services?: { service: string; host: string }[] } | undefined;
    (value?.services ?? []).forEach((s, i) => {
      if (s.host === 'docker-host') ctx.report({ messageId: 'onDockerHost', data: { service: s.service, host: s.host }, file: 'plan.yaml', pointer: pointer('services', i, 'host') });
    });
  },
});

const plan = (...services: [string, string][]): string => 'services:\n' + services.map(([s, h]) => `  - service: ${s}\n    host: ${h}\n`).join('');

// Records are identified by `service`, as in the spine layout (the core itself is layout-agnostic).
const run = (text: string) => runCheckOnFiles(noDockerHost, { files: { 'plan.yaml': text }, recordIdFields: ['service'] });

describe('fingerprints', () => {
  const original = run(plan(['a', 'infra-core'], ['grafana', 'docker-host']));
  const fp = original.results[0]!.fingerprint;

  it('survive an unrelated edit above the finding: lines shift, the fingerprint stays', () => {
    const edited = run('# a new comment\n# and another\n' + plan(['new', 'infra-core'], ['a', 'infra-core'], ['grafana', 'docker-host']));
    expect(edited.results).toHaveLength(1);
    expect(edited.results[0]!.line).toBe(original.results[0]!.line + 4);
    expect(edited.results[0]!.pointer).toBe('/services/2/host');
    expect(edited.results[0]!.fingerprint).toBe(fp);
  });

  it('change when the subject of the finding changes', () => {
    expect(run(plan(['a', 'infra-core'], ['loki', 'docker-host'])).results[0]!.fingerprint).not.toBe(fp);
  });
});

describe('baseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spine-baseline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const before = run(plan(['a', 'docker-host'], ['b', 'docker-host'], ['c', 'infra-core']));

  it('is keyed by file, check and fingerprint, with counts', () => {
    const baseline = baselineFromReport(before);
    const entry = baseline.files['plan.yaml']!['no-docker-host']!;
    expect(entry.count).toBe(2);
    expect(Object.values(entry.fingerprints).map((e) => e.message)).toEqual(expect.arrayContaining(["service 'a' still runs on 'docker-host'", "service 'b' still runs on 'docker-host'"]));
    expect(serializeBaseline(baseline)).not.toMatch(/"line"/);
  });

  it('hides known findings, keeps new ones, and reports stale entries so the file shrinks', () => {
    const path = join(dir, 'baseline.json');
    writeBaseline(path, baselineFromReport(before));
    const baseline = loadBaseline(path);
    // 'a' fixed, 'b' still there (moved down by an insertion), 'd' is new.
    const after = run(plan(['x', 'infra-core'], ['b', 'docker-host'], ['d', 'docker-host']));
    const applied = applyBaseline(after, baseline, 'baseline.json');
    expect(applied.summary.hidden).toBe(1);
    expect(applied.results.map((r) => `${r.checkId} ${r.severity} ${r.message}`)).toEqual([
      expect.stringMatching(/^baseline warning Baseline entry no longer matches: no-docker-host \(1× fingerprint [0-9a-f]+\) — 'service 'a' still runs on 'docker-host'' is fixed/),
      "no-docker-host error service 'd' still runs on 'docker-host'",
    ]);
    expect(applied.summary).toMatchObject({ errors: 1, warnings: 1 });
    expect(readFileSync(path, 'utf8')).toContain('"version": 1');
  });

  it('matches counts: two identical findings need two entries', () => {
    const twice = run(plan(['a', 'docker-host'], ['a', 'docker-host']));
    const once = baselineFromReport(run(plan(['a', 'docker-host'])));
    expect(applyBaseline(twice, once, 'b').results.filter((r) => r.checkId === 'no-docker-host')).toHaveLength(1);
  });

  it('rejects malformed baselines with a usage error naming the file', () => {
    expect(() => parseBaseline('{', 'b.json')).toThrow(/b.json: the baseline is not valid JSON/);
    expect(() => parseBaseline('{"version":2,"files":{}}', 'b.json')).toThrow(/unsupported version 2/);
    expect(() => parseBaseline('{"version":1,"files":{"f":{"c":{"fingerprints":{"x":{"count":0}}}}}}', 'b.json')).toThrow(/positive count/);
    expect(() => loadBaseline(join(dir, 'missing.json'))).toThrow(/baseline file not found/);
    expect(loadBaseline(join(dir, 'missing.json'), true)).toEqual({ version: 1, files: {} });
  });
});

describe('new-only mode', () => {
  it('hides findings present at the base, as many times as the base had them', () => {
    const base = run(plan(['a', 'docker-host']));
    const head = run('# edited\n' + plan(['a', 'docker-host'], ['b', 'docker-host']));
    const filtered = hideKnownAtBase(head, base);
    expect(filtered.results.map((r) => r.data.service)).toEqual(['b']);
    expect(filtered.summary).toMatchObject({ errors: 1, hidden: 1 });
  });
});
