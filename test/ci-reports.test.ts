/**
 * CI reports through the built CLI (packages/cli/dist/bin.cjs; needs `npm run build`):
 * - `-f FORMAT [-o FILE]` pairs, repeatable in one run; one format at most on stdout; ESLint's short
 *   names (-f, -o, -c, --output-file); "did you mean" for misspelt options, formats and check ids;
 *   usage errors are exit 2 with one line and no stack trace;
 * - every machine format is always a valid document, also when nothing relevant is staged (the
 *   pre-commit fast path) or no check matches the file arguments, to stdout and to --output;
 * - one path base (the root) for stylish, JUnit, SARIF; the code-host formats name files from the CI
 *   checkout (GITHUB_WORKSPACE, CI_PROJECT_DIR) when it contains the root;
 * - the gitlab format against GitLab's documented Code Quality format, written as a JSON schema;
 * - SARIF's primaryLocationLineHash stays the same when lines are inserted above the findings;
 * - the SARIF of the newest corpus tree under Microsoft's SARIF multitool with the GitHub rules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TREES, corpusPresent } from './support/corpus.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const REGISTRY_PATH = 'docs/governance/SERVICE_REGISTRY.yaml';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const sarifSchema = ajv.compile(JSON.parse(readFileSync(join(REPO, 'test/fixtures/sarif-2.1.0.schema.json'), 'utf8')) as object);

/**
 * GitLab's Code Quality report format as its documentation states it
 * (docs.gitlab.com, "Code Quality", "Code Quality report format"): a JSON array of objects, each with
 * `description`, `check_name`, `fingerprint` (unique: GitLab compares them between branches),
 * `severity` (one of info, minor, major, critical, blocker), `location.path` and the line as
 * `location.lines.begin` or `location.positions.begin.line`.
 */
const GITLAB_CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(/|\\.\\./)' } },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } } },
          positions: { type: 'object', required: ['begin'], properties: { begin: { type: 'object', required: ['line'], properties: { line: { type: 'integer', minimum: 1 } } } } },
        },
        anyOf: [{ required: ['lines'] }, { required: ['positions'] }],
      },
    },
  },
} as const;
const gitlabSchema = ajv.compile(GITLAB_CODE_QUALITY_SCHEMA);

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) });

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|CI_PROJECT_DIR$|SPINE_LINT_)/.test(k)));
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...clean, NO_COLOR: '1', ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface SarifLog {
  runs: {
    automationDetails?: { id: string };
    originalUriBaseIds?: Record<string, { uri: string }>;
    tool: { driver: { rules: { id: string; name?: string }[] } };
    results: {
      ruleId: string;
      partialFingerprints: Record<string, string>;
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

function validSarif(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  expect(sarifSchema(log), JSON.stringify(sarifSchema.errors, null, 2)).toBe(true);
  return log;
}

function validGitlab(text: string): { fingerprint: string; location: { path: string; lines: { begin: number } }; check_name: string; severity: string }[] {
  const issues = JSON.parse(text) as ReturnType<typeof validGitlab>;
  expect(gitlabSchema(issues), JSON.stringify(gitlabSchema.errors, null, 2)).toBe(true);
  expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  return issues;
}

function validJunit(text: string): { tests: string; failures: string; testsuite?: { testcase: { name: string; classname: string; file?: string }[] }[] } {
  expect(XMLValidator.validate(text)).toBe(true);
  return (xml.parse(text) as { testsuites: ReturnType<typeof validJunit> }).testsuites;
}

let work: string;
const gitEnv = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env: { ...process.env, ...gitEnv, HOME: work }, encoding: 'utf8' });
let counter = 0;
/** A copy of the example spine at `sub` (default: the top) of a fresh directory. */
function spine(sub = ''): { dir: string; root: string } {
  const dir = join(work, `spine-${++counter}`);
  const root = join(dir, sub);
  mkdirSync(root, { recursive: true });
  cpSync(EXAMPLE, root, { recursive: true });
  return { dir, root };
}

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'spine-ci-reports-')));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('-f FORMAT -o FILE pairs', () => {
  it('one run writes each report: SARIF and JUnit to their files, github annotations to stdout', () => {
    const { root } = spine();
    const r = cli(root, ['check', '--now', '2026-02-09', '-f', 'sarif', '-o', 'out.sarif', '-f', 'github', '-f', 'junit', '-o', 'junit.xml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^::error file=${REGISTRY_PATH.replace(/\./g, '\\.')},line=50,`, 'm'));
    expect(r.stdout).toMatch(/^spine-lint: 3 errors, 0 warnings at 1 location/m);
    const sarif = validSarif(readFileSync(join(root, 'out.sarif'), 'utf8'));
    expect(sarif.runs[0]!.results).toHaveLength(3);
    const junit = validJunit(readFileSync(join(root, 'junit.xml'), 'utf8'));
    expect(junit.failures).toBe('3');
    // The same findings in both files.
    const fromSarif = sarif.runs[0]!.results.map((x) => x.partialFingerprints['spineLint/v1']).sort();
    const fromJunit = junit
      .testsuite!.flatMap((s) => s.testcase)
      .flatMap((c) => /\[([0-9a-f]{20})\]$/.exec(c.name)?.[1] ?? [])
      .sort();
    expect(fromJunit).toEqual(fromSarif);
  });

  it('long names and aliases: --format/--output/--output-file/-c; one format and one output pair in either order', () => {
    const { root } = spine();
    writeFileSync(join(root, 'alt.yaml'), 'checks:\n  relocation-parity: off\n');
    const a = cli(root, ['check', '--output', 'a.json', '--format', 'json', '-c', 'alt.yaml']);
    expect(a.stdout).toBe('');
    const results = (JSON.parse(readFileSync(join(root, 'a.json'), 'utf8')) as { results: { checkId: string }[] }).results;
    expect(results.some((x) => x.checkId === 'relocation-parity')).toBe(false);
    expect(results.length).toBeGreaterThan(0);
    const b = cli(root, ['check', '--format', 'gitlab', '--output-file', 'gl.json', '-f', 'stylish']);
    expect(b.stdout).toContain('✖ 3 problems');
    expect(validGitlab(readFileSync(join(root, 'gl.json'), 'utf8'))).toHaveLength(3);
  });

  it('--cache: a run writing several reports is not stored, so every run writes every report; one report replays as before', () => {
    const { root } = spine();
    const env = { XDG_CACHE_HOME: join(work, 'cache'), SPINE_LINT_DEBUG_CACHE: '1' };
    const args = ['check', '--cache', '--now', '2026-02-09', '-f', 'sarif', '-o', 'c.sarif', '-f', 'junit', '-o', 'c.xml'];
    for (let i = 0; i < 2; i++) {
      rmSync(join(root, 'c.sarif'), { force: true });
      rmSync(join(root, 'c.xml'), { force: true });
      const r = cli(root, args, env);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('a run writing several reports (-f … -o …) is not stored');
      expect(validSarif(readFileSync(join(root, 'c.sarif'), 'utf8')).runs[0]!.results).toHaveLength(3);
      expect(validJunit(readFileSync(join(root, 'c.xml'), 'utf8')).failures).toBe('3');
    }
    const one = ['check', '--cache', '--now', '2026-02-09', '-f', 'sarif', '-o', 'one.sarif'];
    expect(cli(root, one, env).status).toBe(1);
    rmSync(join(root, 'one.sarif'));
    const replay = spawnSync(process.execPath, [CLI, ...one], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(replay.status).toBe(1);
    expect(replay.stderr).toMatch(/cache: replayed the run stored at/);
    expect(validSarif(readFileSync(join(root, 'one.sarif'), 'utf8')).runs[0]!.results).toHaveLength(3);
  });

  it('usage errors: exit 2, one line naming the problem, no stack trace', () => {
    const { root } = spine();
    const cases: [string[], RegExp][] = [
      [['check', '-f', 'sarif', '-f', 'json'], /only one format can write to stdout, but sarif, json have no --output/],
      [['check', '-o', 'x.sarif', '-f', 'sarif', '-o', 'y'], /-o x\.sarif: an output follows the format it writes/],
      [['check', '-f', 'sarif', '-o', 'a', '-o', 'b'], /--format sarif already writes to a/],
      [['check', '-f', 'sarif', '-o', 'same', '-f', 'junit', '-o', './same'], /--output \.\/same is given for both --format sarif and --format junit/],
      [['check', '--fromat', 'json'], /Unknown option '--fromat' \(did you mean '--format'\?\)/],
      [['check', '--outptu', 'x'], /did you mean '--output'\?/],
      [['check', '-f', 'sarfi'], /unknown format 'sarfi' \(did you mean 'sarif'\?\) \(choose from stylish, json, sarif, junit, github, gitlab\)/],
      [['check', '--only', 'relocation-parityy'], /no check has the id or alias 'relocation-parityy' \(did you mean 'relocation-parity'\?\)/],
      [['check', '--sarif-category', ' '], /--sarif-category takes a non-empty name/],
    ];
    for (const [args, message] of cases) {
      const r = cli(root, args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // Nothing was written by a refused run.
    for (const f of ['x.sarif', 'y', 'a', 'b', 'same']) expect(existsSync(join(root, f)), f).toBe(false);
    // Far from anything: no suggestion.
    expect(cli(root, ['check', '--zzzzzz']).stderr).toBe("spine-lint: Unknown option '--zzzzzz'\n");
  });
});

describe('every machine format is always a valid document', () => {
  /** A git repository of the example spine, committed, with only a README change staged. */
  function nothingStaged(): string {
    const { root } = spine();
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'spine');
    writeFileSync(join(root, 'README.md'), '# notes\n');
    git(root, 'add', 'README.md');
    return root;
  }

  it('check --staged --format sarif --output f.sarif with nothing relevant staged writes a valid SARIF file with no results', () => {
    const root = nothingStaged();
    const r = cli(root, ['check', '--staged', '--format', 'sarif', '--output', 'f.sarif']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    const log = validSarif(readFileSync(join(root, 'f.sarif'), 'utf8'));
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.automationDetails).toEqual({ id: 'spine-lint/' });
  });

  it('the same for every machine format, to stdout and to a file; stylish on stdout stays silent (the hook’s no-op)', () => {
    const root = nothingStaged();
    const check = (format: string, text: string): void => {
      if (format === 'json') expect(JSON.parse(text)).toMatchObject({ version: 1, results: [], summary: { errors: 0, warnings: 0 } });
      if (format === 'sarif') expect(validSarif(text).runs[0]!.results).toEqual([]);
      if (format === 'junit') expect(validJunit(text)).toMatchObject({ tests: '0', failures: '0' });
      if (format === 'gitlab') expect(validGitlab(text)).toEqual([]);
      if (format === 'github') expect(text).toBe('spine-lint: 0 errors, 0 warnings (0 checks, 0 files)\n');
    };
    for (const format of ['json', 'sarif', 'junit', 'gitlab', 'github']) {
      for (const args of [
        ['check', '--staged', '-f', format],
        ['check', 'README.md', '-f', format],
      ]) {
        const r = cli(root, args);
        expect(r.status, args.join(' ')).toBe(0);
        expect(r.stderr).toBe('');
        check(format, r.stdout);
      }
      const out = cli(root, ['check', '--staged', '-f', format, '-o', `empty.${format}`]);
      expect(out).toEqual({ status: 0, stdout: '', stderr: '' });
      check(format, readFileSync(join(root, `empty.${format}`), 'utf8'));
    }
    // A stale report is replaced, never left behind.
    writeFileSync(join(root, 'stale.sarif'), '{"stale": true}');
    cli(root, ['check', 'README.md', '-f', 'sarif', '-o', 'stale.sarif']);
    expect(validSarif(readFileSync(join(root, 'stale.sarif'), 'utf8')).runs[0]!.results).toEqual([]);
    expect(cli(root, ['check', '--staged'])).toEqual({ status: 0, stdout: '', stderr: '' });
    // Several reports at once, nothing relevant: each file is written, stylish says nothing.
    expect(cli(root, ['check', '--staged', '-f', 'sarif', '-o', 'm.sarif', '-f', 'junit', '-o', 'm.xml', '-f', 'stylish'])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(validSarif(readFileSync(join(root, 'm.sarif'), 'utf8')).runs[0]!.results).toEqual([]);
    expect(validJunit(readFileSync(join(root, 'm.xml'), 'utf8')).tests).toBe('0');
  });
});

describe('one path base: the root', () => {
  it('--root outside the working directory: stylish, JUnit, SARIF and gitlab name files from the root (no ../)', () => {
    const { root } = spine('spine');
    const cwd = join(work, 'elsewhere');
    mkdirSync(cwd, { recursive: true });
    const rel = relative(cwd, root);
    expect(rel.startsWith('..')).toBe(true);
    const r = cli(cwd, ['check', '--root', rel, '-f', 'sarif', '-o', 'r.sarif', '-f', 'junit', '-o', 'r.xml', '-f', 'gitlab', '-o', 'r.json', '-f', 'stylish']);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(REGISTRY_PATH);
    const sarif = validSarif(readFileSync(join(cwd, 'r.sarif'), 'utf8'));
    for (const result of sarif.runs[0]!.results) {
      expect(result.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: REGISTRY_PATH, uriBaseId: '%SRCROOT%' });
    }
    expect(sarif.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `file://${root}/` } });
    const junit = validJunit(readFileSync(join(cwd, 'r.xml'), 'utf8'));
    const files = junit.testsuite!.flatMap((s) => s.testcase).flatMap((c) => (c.file ? [c.file] : []));
    expect(new Set(files)).toEqual(new Set([REGISTRY_PATH]));
    expect(validGitlab(readFileSync(join(cwd, 'r.json'), 'utf8')).map((i) => i.location.path)).toEqual([REGISTRY_PATH, REGISTRY_PATH, REGISTRY_PATH]);
    // Without a CI checkout, github annotations name the file from the root too.
    expect(cli(cwd, ['check', '--root', rel, '-f', 'github']).stdout).toMatch(new RegExp(`^::error file=${REGISTRY_PATH.replace(/\./g, '\\.')},`, 'm'));
  });

  it('in CI, with the spine in a subdirectory of the checkout: github, SARIF and gitlab name files from the checkout', () => {
    const { dir, root } = spine('infra/spine');
    const inCheckout = `infra/spine/${REGISTRY_PATH}`;
    const gh = cli(dir, ['check', '--root', 'infra/spine', '-f', 'github', '-f', 'sarif', '-o', 'gh.sarif', '-f', 'json', '-o', 'gh.json'], { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir });
    expect(gh.stdout).toMatch(new RegExp(`^::error file=${inCheckout.replace(/\./g, '\\.')},line=50,`, 'm'));
    const sarif = validSarif(readFileSync(join(dir, 'gh.sarif'), 'utf8'));
    expect(new Set(sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set([inCheckout]));
    expect(sarif.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `file://${dir}/` } });
    // The JSON contract stays root-relative.
    expect(new Set((JSON.parse(readFileSync(join(dir, 'gh.json'), 'utf8')) as { results: { file: string }[] }).results.map((x) => x.file))).toEqual(new Set([REGISTRY_PATH]));
    const gl = cli(join(dir, 'infra'), ['check', '--root', 'spine', '-f', 'gitlab'], { CI_PROJECT_DIR: dir });
    expect(validGitlab(gl.stdout).map((i) => i.location.path)).toEqual([inCheckout, inCheckout, inCheckout]);
    // Same fingerprints whatever the working directory or checkout: identity is root-relative.
    const plain = validGitlab(cli(root, ['check', '-f', 'gitlab']).stdout);
    expect(plain.map((i) => i.fingerprint)).toEqual(validGitlab(gl.stdout).map((i) => i.fingerprint));
  });
});

describe('alerts keep their identity across edits', () => {
  it('lines inserted above the findings leave every primaryLocationLineHash (and JUnit name) unchanged', () => {
    const { root } = spine();
    const run = () => {
      const r = cli(root, ['check', '--now', '2026-02-09', '-f', 'sarif', '-o', 'id.sarif', '-f', 'junit', '-o', 'id.xml']);
      expect(r.status).toBe(1);
      const sarif = validSarif(readFileSync(join(root, 'id.sarif'), 'utf8'));
      const names = validJunit(readFileSync(join(root, 'id.xml'), 'utf8'))
        .testsuite!.flatMap((s) => s.testcase.map((c) => `${c.classname} ${c.name}`))
        .sort();
      return { results: sarif.runs[0]!.results.map((x) => ({ rule: x.ruleId, hash: x.partialFingerprints.primaryLocationLineHash, line: x.locations[0]!.physicalLocation.region.startLine })), names };
    };
    const before = run();
    expect(before.results).toHaveLength(3);
    for (const r of before.results) expect(r.hash).toMatch(/^[0-9a-f]{16}:1$/);
    const file = join(root, REGISTRY_PATH);
    writeFileSync(file, `# A comment added at the top\n# and another line\n\n${readFileSync(file, 'utf8')}`);
    const after = run();
    expect(after.results.map((r) => r.line)).toEqual(before.results.map((r) => r.line + 3));
    expect(after.results.map((r) => [r.rule, r.hash])).toEqual(before.results.map((r) => [r.rule, r.hash]));
    expect(after.names).toEqual(before.names);
  });
});

/** The newest tree of the corpus (trees/NN-sha: the highest NN), as the corpus tests pick it. */
const newestTree = corpusPresent
  ? readdirSync(TREES)
      .filter((d) => /^\d+-[0-9a-f]{8}$/.test(d))
      .sort()
      .at(-1)
  : undefined;
const multitool = (() => {
  try {
    return require('@microsoft/sarif-multitool') as string;
  } catch {
    return undefined;
  }
})();

describe.skipIf(!newestTree)('SARIF of the newest corpus tree under the SARIF multitool (SARIF and GitHub rules)', () => {
  it('no error and no warning; every result has a primaryLocationLineHash, distinct per result; rules named; category set', () => {
    expect(multitool, 'npm ci installs @microsoft/sarif-multitool (a devDependency)').toBeDefined();
    const tree = join(TREES, newestTree!);
    const oracle = JSON.parse(readFileSync(join(tree, 'oracle.json'), 'utf8')) as { now_for_time_dependent_gates: { utc: string } };
    const out = join(work, 'tree.sarif');
    const r = cli(work, ['check', '--root', tree, '--now', oracle.now_for_time_dependent_gates.utc, '-f', 'sarif', '-o', out, '--sarif-category', 'spine-lint/corpus']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const log = validSarif(readFileSync(out, 'utf8'));
    const run = log.runs[0]!;
    expect(run.results.length).toBeGreaterThan(10);
    for (const result of run.results) expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
    expect(new Set(run.results.map((x) => `${x.locations[0]!.physicalLocation.artifactLocation.uri} ${x.partialFingerprints.primaryLocationLineHash}`)).size).toBe(run.results.length);
    expect(run.automationDetails).toEqual({ id: 'spine-lint/corpus/' });
    for (const rule of run.tool.driver.rules) if (rule.id.includes('-')) expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    for (const result of run.results) expect(result.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/^(\.\.\/|\/|file:)/);

    const validate = (file: string): { ruleId: string; level?: string; message: { text?: string; arguments?: string[] } }[] => {
      const report = join(work, `validation-${++counter}.sarif`);
      const v = spawnSync(multitool!, ['validate', file, '--rule-kind', 'Sarif;Gh', '--output', report, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 300_000 });
      expect(v.status, v.stdout + v.stderr).toBe(0);
      return (JSON.parse(readFileSync(report, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: { text?: string; arguments?: string[] } }[] }[] }).runs.flatMap(
        (x) => x.results ?? [],
      );
    };
    // The default levels are error and warning: nothing at all.
    expect(validate(out).map((x) => `${x.ruleId} ${x.level ?? 'warning'} ${(x.message.arguments ?? []).join(' | ')}`)).toEqual([]);
    // Not vacuous: the GitHub rules are on (a result without locations is refused) and so are the SARIF ones.
    const broken = structuredClone(log);
    delete (broken.runs[0]!.results[0] as { locations?: unknown }).locations;
    (broken.runs[0]!.tool.driver.rules[0] as { name?: string }).name = broken.runs[0]!.tool.driver.rules[0]!.id;
    writeFileSync(join(work, 'broken.sarif'), JSON.stringify(broken));
    const found = new Set(validate(join(work, 'broken.sarif')).map((x) => x.ruleId));
    expect(found.has('GH1015') || found.has('GH1017')).toBe(true);
    expect(found.has('SARIF1001')).toBe(true);
  }, 300_000);
});
