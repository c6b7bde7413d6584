/**
 * Runs a GitHub Actions job the way the runner does, for the steps spine-lint's workflow and
 * composite action use, so that tests execute the real `action.yml` and the documented workflow:
 * - `run:` steps with `bash --noprofile --norc -eo pipefail {0}` (GitHub's `shell: bash`), the step's
 *   `env`, and the files GitHub provides: GITHUB_OUTPUT (step outputs), GITHUB_PATH (prepended to
 *   PATH for later steps), GITHUB_STEP_SUMMARY, RUNNER_TEMP;
 * - `${{ … }}` for the contexts these files use (inputs, github.action_path, steps.<id>.outputs /
 *   outcome) and `if:` conditions made of `always()`, `==` comparisons and `&&`;
 * - `uses:` steps of other actions cannot run here: the caller handles each by name (checkout,
 *   setup-node, upload-sarif) or the run fails. A local composite action (`./`, or the action under
 *   test given as `actions`) runs its steps with its inputs.
 * Anything outside this subset throws, so a workflow or action that grows beyond it fails the test
 * instead of being half-run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}

export interface ActionMetadata {
  name: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

export interface StepResult {
  name: string;
  skipped: boolean;
  status: number;
  stdout: string;
  stderr: string;
}

export interface JobRun {
  steps: StepResult[];
  /** Status of the job: the first failing step's exit code, else 0. */
  status: number;
  outputs: Record<string, Record<string, string>>;
}

export interface RunnerOptions {
  workspace: string;
  temp: string;
  env: NodeJS.ProcessEnv;
  /** Composite actions by `uses:` reference (e.g. 'spine-lint/spine-lint@v1' → its directory). */
  actions: Record<string, string>;
  /** The other actions' steps: return a result, or undefined to fail the run (unknown action). */
  external: (step: Step, inputs: Record<string, string>) => StepResult | undefined;
}

type Scope = { inputs: Record<string, string>; actionPath: string; steps: Record<string, { outcome: string; outputs: Record<string, string> }>; failed: boolean };

function evaluate(expression: string, scope: Scope): string {
  const e = expression.trim();
  let m: RegExpExecArray | null;
  if ((m = /^inputs\.([A-Za-z0-9_-]+)$/.exec(e))) {
    if (!(m[1]! in scope.inputs)) throw new Error(`unknown input '${m[1]}'`);
    return scope.inputs[m[1]!]!;
  }
  if (e === 'github.action_path') return scope.actionPath;
  if ((m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(e))) return scope.steps[m[1]!]?.outputs[m[2]!] ?? '';
  if ((m = /^steps\.([A-Za-z0-9_-]+)\.outcome$/.exec(e))) return scope.steps[m[1]!]?.outcome ?? '';
  if ((m = /^'([^']*)'$/.exec(e))) return m[1]!;
  throw new Error(`expression not supported by the test runner: ${e}`);
}

function substitute(text: string, scope: Scope): string {
  return text.replace(/\$\{\{([^}]*)\}\}/g, (_, expression: string) => evaluate(expression, scope));
}

/** An `if:` condition: `always()`, `a == 'b'`, joined by `&&`. Without always(), a failed job skips. */
function condition(expression: string | undefined, scope: Scope): boolean {
  if (expression === undefined) return !scope.failed;
  const parts = expression
    .replace(/^\$\{\{|\}\}$/g, '')
    .split('&&')
    .map((p) => p.trim());
  let always = false;
  let value = true;
  for (const part of parts) {
    if (part === 'always()') {
      always = true;
      continue;
    }
    const eq = /^(.+?)\s*==\s*(.+)$/.exec(part);
    if (!eq) throw new Error(`condition not supported by the test runner: ${part}`);
    value &&= evaluate(eq[1]!, scope) === evaluate(eq[2]!, scope);
  }
  return value && (always || !scope.failed);
}

function readOutputs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function loadAction(dir: string): ActionMetadata {
  return parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionMetadata;
}

/** Run a job's steps (a workflow job, or a composite action's `runs.steps`). */
export function runSteps(
  steps: readonly Step[],
  options: RunnerOptions,
  scope: Scope = { inputs: {}, actionPath: options.workspace, steps: {}, failed: false },
  path: string[] = [],
): JobRun & { scope: Scope; path: string[] } {
  const results: StepResult[] = [];
  let status = 0;
  mkdirSync(options.temp, { recursive: true });
  for (const [index, step] of steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${index + 1}`;
    if (!condition(step.if, scope)) {
      results.push({ name, skipped: true, status: 0, stdout: '', stderr: '' });
      if (step.id) scope.steps[step.id] = { outcome: 'skipped', outputs: {} };
      continue;
    }
    let result: StepResult;
    let outputs: Record<string, string> = {};
    if (step.run !== undefined) {
      if (step.shell !== undefined && step.shell !== 'bash') throw new Error(`shell '${step.shell}' not supported by the test runner`);
      const outputFile = join(options.temp, `output-${Math.random().toString(36).slice(2)}`);
      const pathFile = join(options.temp, `path-${Math.random().toString(36).slice(2)}`);
      writeFileSync(outputFile, '');
      writeFileSync(pathFile, '');
      const script = join(options.temp, `step-${Math.random().toString(36).slice(2)}.sh`);
      writeFileSync(script, substitute(step.run, scope));
      const env: NodeJS.ProcessEnv = { ...options.env, GITHUB_OUTPUT: outputFile, GITHUB_PATH: pathFile, RUNNER_TEMP: options.temp, GITHUB_WORKSPACE: options.workspace };
      env.PATH = [...path, options.env.PATH ?? process.env.PATH].join(':');
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(String(v), scope);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: options.workspace, env, encoding: 'utf8', timeout: 300_000 });
      if (r.error) throw r.error;
      result = { name, skipped: false, status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
      outputs = readOutputs(outputFile);
      for (const line of readFileSync(pathFile, 'utf8').split('\n')) if (line.trim()) path.unshift(line.trim());
    } else if (step.uses !== undefined) {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), scope)]));
      const actionDir = options.actions[step.uses];
      if (actionDir) {
        const action = loadAction(actionDir);
        if (action.runs.using !== 'composite') throw new Error(`${step.uses}: not a composite action`);
        for (const key of Object.keys(inputs)) if (!(key in action.inputs)) throw new Error(`${step.uses}: unknown input '${key}'`);
        const actionInputs = Object.fromEntries(Object.entries(action.inputs).map(([k, spec]) => [k, inputs[k] ?? spec.default ?? '']));
        const inner = runSteps(action.runs.steps, options, { inputs: actionInputs, actionPath: actionDir, steps: {}, failed: false }, path);
        results.push(...inner.steps);
        const innerScope = inner.scope;
        outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, o]) => [k, substitute(o.value, innerScope)]));
        result = { name, skipped: false, status: inner.status, stdout: '', stderr: '' };
      } else {
        const external = options.external(step, inputs);
        if (!external) throw new Error(`the test runner does not know the action ${step.uses}`);
        result = external;
      }
    } else {
      throw new Error(`step ${name}: neither run nor uses`);
    }
    if (step.run !== undefined || !options.actions[step.uses!]) results.push(result);
    const failed = result.status !== 0 && !step['continue-on-error'];
    if (step.id) scope.steps[step.id] = { outcome: result.status === 0 ? 'success' : 'failure', outputs };
    if (failed) {
      scope.failed = true;
      if (status === 0) status = result.status;
    }
  }
  return { steps: results, status, outputs: Object.fromEntries(Object.entries(scope.steps).map(([k, v]) => [k, v.outputs])), scope, path };
}
