import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectorySource, runChecks, syntaxScan, Workspace } from '@spine-lint/core';
import { catalog, defaultBindingDirs, defaultPaths } from '@spine-lint/checks';
import { fastYamlValue } from '../packages/core/src/workspace/yamlDocument.js';
// @ts-expect-error plain JavaScript benchmark module (bench/ is not a TypeScript project)
import { generateSpine, matchPlanted, unexplained } from '../bench/generate-spine.mjs';

interface Planted {
  id: string;
  subject: string;
  expect: string[];
  status: string;
  foundBy: string[];
  available: string[];
}

/** The synthetic spine of the scale benchmark, small size, checked in-process with the real catalog. */
describe('bench/generate-spine.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const spine = generateSpine(join(dir, 'spine'), { services: 60 });
  const report = runChecks({
    workspace: new Workspace(new DirectorySource(spine.root), { paths: { ...defaultPaths } }),
    checks: [...catalog],
    now: new Date('2026-02-09T00:00:00Z'),
    producers: [syntaxScan([...defaultBindingDirs])],
  });
  const planted: Planted[] = matchPlanted(spine.planted, report.results, catalog);

  it('builds the requested size', () => {
    expect(spine.stats.generatedServices).toBe(60);
    expect(spine.stats.hosts).toBe(3 + 6);
    expect(spine.stats.endpoints).toBeGreaterThanOrEqual(50);
  });

  it('writes plain values (no anchors/aliases): every generated YAML file takes the fast js-yaml path, as real bindings do', () => {
    const yamlFiles = (readdirSync(spine.root, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f));
    expect(yamlFiles.length).toBeGreaterThan(10);
    for (const f of yamlFiles) {
      const text = readFileSync(join(spine.root, f), 'utf8');
      expect(text, f).not.toMatch(/(^|[\s[{,])[&*][A-Za-z]\w*/m);
      expect(fastYamlValue(text), f).toBeDefined();
    }
  });

  it('every planted violation is found by one of the checks that should see it, about its subject', () => {
    expect(planted.length).toBe(5);
    // the checks these violations are meant for are in the catalog (D35, D69, D280)
    for (const id of ['relocation-registry-mismatch', 'missing-ssh-target', 'duplicate-endpoint-id', 'endpoint-unknown-host', 'vm-without-health-probe']) {
      const p = planted.find((x) => x.id === id)!;
      expect(p.available.length, `${id}: a check for it exists`).toBeGreaterThan(0);
      expect(p.status, `${id} (${p.subject}) found by ${p.expect.join('/')}`).toBe('found');
    }
    expect(planted.find((p) => p.id === 'duplicate-endpoint-id')!.foundBy).toContain('services-health-parity');
  });

  it('reports nothing about generated hosts or services beyond the planted violations', () => {
    const noise = unexplained(spine.planted, report.results) as { message: string }[];
    // only files the example spine does not carry may be reported missing; no generated id appears
    for (const r of noise) expect(r.message).not.toMatch(/node-\d{5}|app-\d{5}-\d{3}/);
  });
});
