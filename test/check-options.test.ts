/**
 * Check options are data: through the built CLI on a copy of the example spine, a misspelled or
 * unknown option, a value of the wrong type, or options for a check that takes none are a usage
 * error (exit 2) naming the config's line and column; valid options apply and defaults fill in the
 * rest; a plugin check's options are validated against its own schema; and with `--base` the base
 * revision's config is validated the same way. And the catalog's schemas are sound: valid JSON
 * Schema, every option described, the defaults valid against the schema.
 *
 * Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOptionsProblems, closedOptionsSchema, type JSONSchema } from '@spine-lint/core';
import { catalog } from '@spine-lint/checks';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const NOW = '2030-01-01T00:00:00Z';

let scratch: string;
let counter = 0;

beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-options-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The message a usage error about `dir`'s config prints. */
const usage = (dir: string, message: string): string => `spine-lint: ${join(dir, '.spine-lint.yaml')}:${message}\n`;

/** A copy of the example spine with this `.spine-lint.yaml` (and extra files). */
function spine(config: string, files: Record<string, string> = {}): string {
  const dir = join(scratch, `s${counter++}`);
  cpSync(EXAMPLE, dir, { recursive: true });
  writeFileSync(join(dir, '.spine-lint.yaml'), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function run(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, NO_COLOR: '1', SPINE_LINT_DEBUG_FAST_PATH: '' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Result {
  checkId: string;
  data: Record<string, unknown>;
}

const resultsOf = (stdout: string): Result[] => (JSON.parse(stdout) as { results: Result[] }).results;
const check = (dir: string): ReturnType<typeof run> => run(dir, 'check', '--root', dir, '--format', 'json', '--now', NOW);

describe('check options in .spine-lint.yaml (built CLI)', () => {
  it('a misspelled option is a usage error at the key, naming the allowed options', () => {
    const dir = spine('checks:\n  ssot-freshness:\n    options:\n      treshholdDays: 30\n');
    const r = check(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(usage(dir, "4:7: checks.ssot-freshness.options: unknown option 'treshholdDays' (allowed: thresholdDays)"));
  });

  it('a value of the wrong type is a usage error at the value', () => {
    const dir = spine('# freshness window\nchecks:\n  ssot-freshness:\n    severity: warning\n    options:\n      thresholdDays: "soon"\n');
    const r = check(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(usage(dir, '6:22: checks.ssot-freshness.options.thresholdDays: must be number (got string "soon")'));
    // Out of range too (the check used to fall back to its default silently).
    const negative = spine('checks:\n  ssot-freshness:\n    options: { thresholdDays: -1 }\n');
    expect(check(negative).stderr).toBe(usage(negative, '3:31: checks.ssot-freshness.options.thresholdDays: must be >= 0 (got number -1)'));
  });

  it('options for a check that takes none are a usage error at the options key (by id or alias)', () => {
    const dir = spine('checks:\n  D35:\n    options:\n      strict: true\n');
    const r = check(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(usage(dir, "3:5: checks.D35.options: check 'relocation-parity' takes no options"));
  });

  it('valid options apply; an option left out takes its default', () => {
    const freshness = (config: string): unknown[] =>
      resultsOf(check(spine(config)).stdout)
        .filter((d) => d.checkId === 'ssot-freshness' && d.data.threshold !== undefined)
        .map((d) => d.data.threshold);
    // No options: the default window (21 days); in 2030 every date of the example is stale.
    const byDefault = freshness('checks:\n  ssot-freshness: error\n');
    expect(byDefault.length).toBeGreaterThan(0);
    expect(new Set(byDefault)).toEqual(new Set([21]));
    expect(new Set(freshness('checks:\n  ssot-freshness:\n    options:\n      thresholdDays: 1000\n'))).toEqual(new Set([1000]));
    // The example's own config (ten years): nothing stale.
    const example = check(EXAMPLE);
    expect(example.code, example.stderr).toBe(1);
    expect(resultsOf(example.stdout).filter((d) => d.checkId === 'ssot-freshness')).toEqual([]);
  });

  it("a plugin check's options are validated against its optionsSchema, and its defaults apply", () => {
    const core = pathToFileURL(join(REPO, 'packages/core/dist/index.js')).href;
    const plugin = `import { defineCheck, pointer } from ${JSON.stringify(core)};
export default defineCheck({
  id: 'host-ban', title: 't', description: 'd', severity: 'error', kind: 'static', reads: ['SERVICE_REGISTRY'],
  messages: { banned: '{{service}} is on {{host}}' },
  optionsSchema: { type: 'object', properties: { hosts: { type: 'array', items: { type: 'string' } } } },
  defaultOptions: { hosts: ['docker-host'] },
  run(ctx) {
    const services = ctx.workspace.yaml('SERVICE_REGISTRY')?.value?.services ?? {};
    for (const [service, entry] of Object.entries(services))
      if (ctx.options.hosts.includes(entry?.host))
        ctx.report({ messageId: 'banned', data: { service, host: entry.host }, file: 'SERVICE_REGISTRY', pointer: pointer('services', service, 'host') });
  },
});
`;
    const files = { 'host-ban.mjs': plugin };
    const head = 'plugins: [./host-ban.mjs]\nchecks:\n  host-ban:\n    options:\n';
    const wrongType = spine(`${head}      hosts: docker-host\n`, files);
    const r1 = check(wrongType);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toBe(usage(wrongType, '5:14: checks.host-ban.options.hosts: must be array (got string "docker-host")'));
    const unknown = spine(`${head}      hostz: [docker-host]\n`, files);
    expect(check(unknown).stderr).toBe(usage(unknown, "5:7: checks.host-ban.options: unknown option 'hostz' (allowed: hosts)"));
    // Valid: the configured list; none: the default one.
    const banned = (config: string): unknown[] =>
      resultsOf(check(spine(config, files)).stdout)
        .filter((d) => d.checkId === 'host-ban')
        .map((d) => d.data.host);
    const byDefault = banned('plugins: [./host-ban.mjs]\n');
    expect(byDefault.length).toBeGreaterThan(0);
    expect(new Set(byDefault)).toEqual(new Set(['docker-host']));
    expect(banned(`${head}      hosts: [nowhere]\n`)).toEqual([]);
  });

  it('with --base, the base revision’s config is validated, positioned in it', () => {
    const dir = spine('checks:\n  ssot-freshness:\n    options:\n      treshholdDays: 30\n');
    const who = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
    const env = { ...process.env, ...who };
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, env, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const r = run(dir, 'check', '--root', dir, '--base', 'main', '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("spine-lint: main:.spine-lint.yaml:4:7: checks.ssot-freshness.options: unknown option 'treshholdDays' (allowed: thresholdDays)\n");
  });

  it('explain shows a check’s options', () => {
    const r = run(REPO, 'explain', 'D58');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('## Options');
    expect(r.stdout).toContain('| `thresholdDays` | number ≥ 0 | `21` |');
  });
});

describe("the catalog's option schemas", () => {
  const withOptions = catalog.filter((c) => c.optionsSchema !== undefined);

  it('every check that used to parse ctx.options by hand declares a schema and defaults', () => {
    const ported = [
      'backup-freshness',
      'binding-headers',
      // tier 2: the gates' hard-coded names (lanes, target names, the strict capability list) as options
      'capability-metadata-parity',
      'compose-stacks-running',
      'health-endpoint-registry-parity',
      'health-endpoints',
      'nas-baseline-coverage',
      'relocation-preflight',
      'schema-conventions',
      'ssot-freshness',
      'vm-address-drift',
      'vm-readiness',
    ];
    expect(withOptions.map((c) => c.id).sort()).toEqual(ported);
    for (const c of withOptions) expect(c.defaultOptions, c.id).toBeDefined();
  });

  it.each(withOptions.map((c) => [c.id, c] as const))('%s: a valid draft 2020-12 schema, every option described, defaults valid', (id, c) => {
    // Validated against the meta-schema here (the CLI skips that at load time, for speed).
    const require = createRequire(join(REPO, 'packages/core/package.json'));
    const Ajv2020 = (require('ajv/dist/2020.js') as { default: new (o: object) => { validateSchema(s: object): boolean; errors?: unknown } }).default;
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    const schema = closedOptionsSchema(c.optionsSchema as JSONSchema);
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    const properties = (c.optionsSchema!.properties ?? {}) as Record<string, { description?: unknown }>;
    expect(Object.keys(properties).length, id).toBeGreaterThan(0);
    for (const [name, p] of Object.entries(properties)) {
      expect(typeof p.description === 'string' && p.description.length > 0, `${id}.${name} needs a description`).toBe(true);
    }
    expect(checkOptionsProblems(c, c.defaultOptions as Record<string, unknown>)).toEqual([]);
    // Defaults name only options the schema knows.
    for (const key of Object.keys(c.defaultOptions as object)) expect(Object.keys(properties), id).toContain(key);
  });
});
