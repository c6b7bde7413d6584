/**
 * Docs cannot drift from code: every check (catalog and core) has `docs/checks/<id>.md` whose front
 * matter `title` is the id and `severity` the metadata's default severity, with the sections the
 * check pages share; and no page documents a check that does not exist. Then the commands of the
 * copy-ready CI workflow (docs/github-workflow.yml), run verbatim in a real git repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_CHECKS, type CheckMeta } from '@spine-lint/core';
import { catalog } from '@spine-lint/checks';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const docsDir = fileURLToPath(new URL('../docs/checks/', import.meta.url));
const checks: CheckMeta[] = [...CORE_CHECKS, ...catalog];

function frontMatter(text: string): Record<string, unknown> | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  return m ? (parse(m[1]!) as Record<string, unknown>) : undefined;
}

describe('docs/checks/<id>.md', () => {
  it('the catalog is not empty and ids are unique', () => {
    expect(catalog.length).toBeGreaterThan(0);
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });

  it.each(checks.map((c) => [c.id, c] as const))('%s has a page whose front matter agrees with its metadata', (id, check) => {
    const file = `${docsDir}${id}.md`;
    expect(existsSync(file), `missing docs/checks/${id}.md`).toBe(true);
    const text = readFileSync(file, 'utf8');
    const fm = frontMatter(text);
    expect(fm, `docs/checks/${id}.md has no front matter`).toBeDefined();
    expect(fm!.title).toBe(id);
    expect(fm!.severity).toBe(check.severity);
    // Real content below the front matter, with a heading.
    const body = text.replace(/^---[\s\S]*?\n---\r?\n/, '');
    expect(body).toMatch(/^#{1,3} /m);
    expect(body.trim().length).toBeGreaterThan(200);
  });

  it('every page documents an existing check', () => {
    const ids = new Set(checks.map((c) => c.id));
    const orphans = readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.slice(0, -3))
      .filter((id) => !ids.has(id));
    expect(orphans).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// docs/github-workflow.yml: its spine-lint commands, run verbatim as GitHub would run them.

describe('docs/github-workflow.yml', () => {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const workflow = parse(readFileSync(`${repo}docs/github-workflow.yml`, 'utf8')) as {
    on: { pull_request: { paths: string[] } };
    permissions: Record<string, string>;
    jobs: Record<string, { steps: { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string; 'continue-on-error'?: boolean }[] }>;
  };
  const steps = Object.values(workflow.jobs)[0]!.steps;
  const lintSteps = steps.filter((s) => s.run?.includes('spine-lint check'));
  const sarifStep = lintSteps.find((s) => s.run!.includes('--format sarif'))!;
  const githubStep = lintSteps.find((s) => s.run!.includes('--format github'))!;
  const work = mkdtempSync(join(tmpdir(), 'spine-workflow-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

  it('is shaped as documented: PR paths, history, SARIF upload of the file the SARIF step writes, gate last', () => {
    expect(workflow.on.pull_request.paths).toEqual(['ops/bindings/**', 'docs/governance/**', '.spine-lint.yaml']);
    expect(workflow.permissions['security-events']).toBe('write');
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    expect(lintSteps).toHaveLength(2);
    expect(sarifStep['continue-on-error']).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.if).toBe('always()');
    expect(sarifStep.run).toContain(`--output ${upload.with!.sarif_file as string}`);
    expect(steps.at(-1)).toBe(githubStep);
    for (const s of lintSteps) expect(s.run).toContain('--base "origin/$GITHUB_BASE_REF"');
  });

  it('its commands gate a pull request that breaks parity, and pass one that does not (old debt hidden)', () => {
    // origin (bare) with main = the example with its violation fixed; a clone as the runner's checkout.
    const origin = join(work, 'origin.git');
    const seed = join(work, 'seed');
    git(work, 'init', '-q', '--bare', origin);
    cpSync(`${repo}examples/phase4-observability`, seed, { recursive: true });
    const registryPath = 'docs/governance/SERVICE_REGISTRY.yaml';
    const registry = readFileSync(join(seed, registryPath), 'utf8').split('\n');
    expect(registry[49]).toBe('    host: docker-host');
    registry[49] = '    host: observability';
    writeFileSync(join(seed, registryPath), registry.join('\n'));
    git(seed, 'init', '-q');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'spine');
    git(seed, 'push', '-q', origin, 'HEAD:main');
    const checkout = join(work, 'checkout');
    git(work, 'clone', '-q', origin, checkout);

    // spine-lint on PATH, as the install step leaves it.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'spine-lint'), `#!/bin/sh\nexec "${process.execPath}" "${repo}packages/cli/dist/bin.cjs" "$@"\n`);
    chmodSync(join(bin, 'spine-lint'), 0o755);
    const summary = join(work, 'summary.md');
    const runStep = (run: string) => {
      const r = spawnSync('bash', ['-e', '-c', run], {
        cwd: checkout,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_ACTIONS: 'true', GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1' },
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };

    // A pull request that moves grafana's registry entry back to docker-host (the example's violation).
    git(checkout, 'checkout', '-q', '-b', 'break-parity');
    writeFileSync(join(checkout, registryPath), readFileSync(`${repo}examples/phase4-observability/${registryPath}`, 'utf8'));
    git(checkout, 'commit', '-q', '-am', 'registry: grafana on docker-host');

    const sarifRun = runStep(sarifStep.run!);
    expect(sarifRun.stderr).toBe('');
    expect(sarifRun.status).toBe(1); // continue-on-error keeps the job going to the upload
    const sarif = JSON.parse(readFileSync(join(checkout, 'spine-lint.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const located = sarif.runs[0]!.results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}:${r.locations[0]!.physicalLocation.region.startColumn}`);
    // Only what the change introduced: the stale freshness dates main already had are hidden.
    expect(located.sort()).toEqual([
      `placement-policy ${registryPath}:50:11`,
      `relocation-parity ${registryPath}:50:11`,
      `relocation-ssot-completeness ${registryPath}:50:11`,
    ]);

    const gate = runStep(githubStep.run!);
    expect(gate.status).toBe(1);
    expect(gate.stdout).toMatch(new RegExp(`^::error file=${registryPath.replace(/\./g, '\\.')},line=50,endLine=50,col=11,endColumn=22,title=relocation-parity \\(D35\\)::`, 'm'));
    expect(gate.stdout.match(/^::error /gm)).toHaveLength(3);
    const table = readFileSync(summary, 'utf8');
    // Every finding is a row of the step summary (Markdown-escaped: SERVICE\_REGISTRY).
    const rows = table.split('\n').filter((l) => l.startsWith('| error |'));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toContain('docs/governance/SERVICE\\_REGISTRY.yaml:50:11');
    expect(rows.join('\n')).toContain('[relocation-parity \\(D35\\)](https://');

    // A harmless pull request: same debt as main (stale dates), nothing new → the gate passes.
    git(checkout, 'checkout', '-q', '-b', 'harmless', 'origin/main');
    const ssh = join(checkout, 'ops/bindings/ssh.targets.yaml');
    writeFileSync(ssh, readFileSync(ssh, 'utf8').replace('Production docker workloads - VM 200', 'Production docker workloads (Mint OS) - VM 200'));
    git(checkout, 'commit', '-q', '-am', 'ssh.targets: describe docker-host');
    const pass = runStep(githubStep.run!);
    expect(pass.stdout).not.toMatch(/^::error /m);
    expect(pass.status).toBe(0);
  }, 120_000);
});
