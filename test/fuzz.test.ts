/**
 * Fuzzing the whole catalog with wrong types (issue 9): real corpus bindings are mutated — a key
 * dropped, a value's type changed (string ↔ number ↔ list ↔ map ↔ null ↔ bool), a value nulled,
 * an entry duplicated, an id replaced by shell metacharacters / control characters / ANSI
 * escapes, a key renamed — re-serialised with `yaml`, and run IN-PROCESS through the library:
 * every static and transition check of `catalog`, the schema producer, the syntax scan, and the
 * live checks' `plan` and `evaluate` (on a replay with no recording: nothing is sent).
 *
 * Properties: no exception escapes a check (no `check-error` finding), every finding with a
 * pointer has a file and a positive line/column, every reporter's output stays well-formed.
 * Deterministic: a fixed seed (override with FUZZ_SEED); fast-check prints the seed and the
 * shrunk counterexample on failure. A handful of runs go through the built CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeLivePlan, formatPlan, MemorySource, planLiveChecks, ReplayExecutor, reporters, runChecks, syntaxScan, Workspace, type Finding, type Report } from '@spine-lint/core';
import { catalog, defaultBindingDirs, defaultPaths, remoteCommands, schemaProducer } from '@spine-lint/checks';
import { XMLValidator } from 'fast-xml-parser';
import { CORPUS } from './support/corpus.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const SEED = Number(process.env.FUZZ_SEED ?? 20260305);
/** Multiplier of the number of runs, for a longer exploratory session (`FUZZ_SCALE=10`). */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const NOW = new Date('2026-03-05T12:00:00Z');

type Files = Record<string, string>;

/** Every file under a corpus directory, by repository path. */
function readTree(dir: string, filter: (path: string) => boolean = () => true): Files {
  const out: Files = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const rel = relative(dir, full).split('\\').join('/');
        if (rel.startsWith('ops/') || rel.startsWith('docs/')) if (filter(rel)) out[rel] = readFileSync(full, 'utf8');
      }
    }
  };
  walk(dir);
  return out;
}

/** Repository paths the catalog reads (its `reads`, through the layout). */
const readPaths = new Set(catalog.flatMap((c) => c.reads.map((r) => (defaultPaths as Record<string, string>)[r] ?? r)).filter((p) => !p.includes('*')));

// Snapshots with different shapes of history: the oldest, the failing 033-037 era, the
// 29-violation 069, the placeholder-address 076, and the newest.
const SNAPSHOTS = ['001-d979a973', '035', '069-c623e68b', '076-122cb4cf', '120', 'last'].map((want) => {
  const all = readdirSync(`${CORPUS}/snapshots`)
    .filter((d) => /^\d{3}-/.test(d))
    .sort();
  return want === 'last' ? all.at(-1)! : all.find((d) => d.startsWith(want))!;
});
const TREE = '19-a00cb7b7';

function corpusOf(label: string, files: Files): { label: string; files: Files; targets: Target[] } {
  const targets: Target[] = [];
  for (const [path, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    if (!readPaths.has(path)) continue;
    if (path.endsWith('.md')) targets.push({ path, kind: 'md', lines: text.split('\n') });
    else {
      try {
        targets.push({ path, kind: 'yaml', value: parseYaml(text, { uniqueKeys: false, maxAliasCount: 1000 }) });
      } catch {
        /* a corpus file the `yaml` package cannot read is not a mutation base */
      }
    }
  }
  return { label, files, targets };
}

type Target = { path: string; kind: 'yaml'; value: unknown } | { path: string; kind: 'md'; lines: string[] };

// ── mutations ──────────────────────────────────────────────────────────────────────────────

/** Strings a hostile or careless editor could put where an id, host, path or glob belongs. */
const HOSTILE = [
  '205; reboot',
  '$(curl http://169.254.169.254/)',
  '`id`',
  "x' ; rm -rf / ; '",
  '-oProxyCommand=sh -c id',
  '--help',
  'a b',
  'line1\nline2',
  'cr\rlf',
  '\u001b[31mred\u001b[0m\u001b]8;;http://evil/\u0007link\u001b]8;;\u0007',
  '\u0000nul',
  '\u0007bell\u0008',
  '%0A::error file=x::injected',
  '::warning::x',
  '../../../etc/passwd',
  '/tank/../etc',
  '*',
  '[',
  '|pipe|',
  '\u202eevil\u202c',
  '\ud800',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  '',
  ' ',
  'http://user:s3cret@127.0.0.1:1/x',
  'file:///etc/passwd',
  '9'.repeat(40),
  'ʎɐʍ ɹǝɥʇo',
];

const hostileString = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) });

/** A value of any YAML type: the "change a type" mutation. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.constantFrom(0, -1, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY),
  hostileString,
  fc.string({ maxLength: 8 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.constant([]),
  fc.constant({}),
);

type Mutation =
  | { op: 'drop'; at: number; shallow?: boolean }
  | { op: 'retype'; at: number; value: unknown; shallow?: boolean }
  | { op: 'null'; at: number; shallow?: boolean }
  | { op: 'duplicate'; at: number; shallow?: boolean }
  | { op: 'inject'; at: number; value: string }
  | { op: 'rename'; at: number; value: string }
  | { op: 'md-drop'; at: number }
  | { op: 'md-cell'; at: number; cell: number; value: string }
  | { op: 'md-duplicate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat(), shallow: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value: anyValue, shallow: fc.boolean() }) },
  fc.record({ op: fc.constant('null' as const), at: fc.nat(), shallow: fc.boolean() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), shallow: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('inject' as const), at: fc.nat(), value: hostileString }) },
  fc.record({ op: fc.constant('rename' as const), at: fc.nat(), value: hostileString }),
  fc.record({ op: fc.constant('md-drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('md-cell' as const), at: fc.nat(), cell: fc.nat({ max: 8 }), value: hostileString }),
  fc.record({ op: fc.constant('md-duplicate' as const), at: fc.nat() }),
);

type Path = (string | number)[];

/** Paths of every node below the root (and, separately, of every string leaf). */
function pathsOf(value: unknown): { all: Path[]; strings: Path[]; keys: Path[] } {
  const all: Path[] = [];
  const strings: Path[] = [];
  const keys: Path[] = [];
  const walk = (v: unknown, at: Path): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (all.push([...at, i]), walk(x, [...at, i])));
    else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        all.push([...at, k]);
        keys.push([...at, k]);
        walk((v as Record<string, unknown>)[k], [...at, k]);
      }
    } else if (typeof v === 'string') strings.push(at);
  };
  walk(value, []);
  return { all, strings, keys };
}

const parentOf = (root: unknown, path: Path): Record<string | number, unknown> =>
  path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;

/** Apply one mutation to a deep copy of a parsed YAML value; returns a description. */
function mutateYaml(root: unknown, m: Mutation): string {
  const { all, strings, keys } = pathsOf(root);
  const pick = (list: Path[]): Path | undefined => (list.length ? list[m.at % list.length] : undefined);
  // `shallow`: a whole section or record (depth ≤ 3: `ssh.targets`, `targets[4]`, `targets[4].host`),
  // which uniform picks over thousands of leaves would almost never hit.
  const shallow = 'shallow' in m && m.shallow ? all.filter((p) => p.length <= 3) : all;
  const path = m.op === 'inject' ? pick(strings) : m.op === 'rename' ? pick(keys) : pick(shallow);
  if (!path) return 'nothing to mutate';
  const parent = parentOf(root, path);
  const key = path.at(-1)!;
  const where = '/' + path.join('/');
  switch (m.op) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return `drop ${where}`;
    case 'retype':
      parent[key] = structuredClone(m.value);
      return `retype ${where} = ${JSON.stringify(m.value)}`;
    case 'null':
      parent[key] = null;
      return `null ${where}`;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice((key as number) + 1, 0, structuredClone(parent[key as number]));
      else parent[`${String(key)}_dup`] = structuredClone(parent[key]);
      return `duplicate ${where}`;
    case 'inject':
      parent[key] = m.value;
      return `inject ${where} = ${JSON.stringify(m.value)}`;
    case 'rename': {
      if (Array.isArray(parent)) return 'rename in a list';
      const entries = Object.entries(parent).map(([k, v]) => [k === key ? m.value : k, v] as const);
      for (const k of Object.keys(parent)) delete parent[k];
      for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
      return `rename ${where} → ${JSON.stringify(m.value)}`;
    }
    default:
      return 'unreachable';
  }
}

/** The Markdown-only operations, read on a YAML file as their YAML counterparts. */
const asYaml = (m: Mutation): Mutation =>
  m.op === 'md-drop' ? { op: 'drop', at: m.at } : m.op === 'md-duplicate' ? { op: 'duplicate', at: m.at } : m.op === 'md-cell' ? { op: 'inject', at: m.at, value: m.value } : m;

function mutateMarkdown(lines: string[], m: Mutation): string {
  if (lines.length === 0) return 'empty';
  const i = m.at % lines.length;
  switch (m.op) {
    case 'md-drop':
    case 'drop':
      lines.splice(i, 1);
      return `drop line ${i + 1}`;
    case 'md-duplicate':
    case 'duplicate':
      lines.splice(i + 1, 0, lines[i]!);
      return `duplicate line ${i + 1}`;
    case 'md-cell': {
      // Prefer a table row: the next line starting with '|'.
      const rows = lines.map((l, n) => (l.trimStart().startsWith('|') ? n : -1)).filter((n) => n >= 0);
      const r = rows.length ? rows[m.at % rows.length]! : i;
      const cells = lines[r]!.split('|');
      cells[1 + (m.cell % Math.max(1, cells.length - 1))] = ` ${m.value} `;
      lines[r] = cells.join('|');
      return `cell ${m.cell} of line ${r + 1} = ${JSON.stringify(m.value)}`;
    }
    default: {
      // A YAML mutation on Markdown: replace the line by a hostile one.
      lines[i] = 'value' in m && typeof m.value === 'string' ? m.value : '';
      return `line ${i + 1} replaced`;
    }
  }
}

/** Mutated files of a corpus, with what was done. */
function mutate(corpus: ReturnType<typeof corpusOf>, plan: { target: number; mutations: Mutation[] }[]): { files: Files; log: string[] } {
  const files: Files = { ...corpus.files };
  const log: string[] = [];
  for (const step of plan) {
    const t = corpus.targets[step.target % corpus.targets.length]!;
    if (t.kind === 'yaml') {
      const value = structuredClone(t.value);
      const done = step.mutations.map((m) => mutateYaml(value, asYaml(m)));
      files[t.path] = stringifyYaml(value, { aliasDuplicateObjects: false, lineWidth: 0 });
      log.push(`${t.path}: ${done.join('; ')}`);
    } else {
      const lines = [...t.lines];
      const done = step.mutations.map((m) => mutateMarkdown(lines, m));
      files[t.path] = lines.join('\n');
      log.push(`${t.path}: ${done.join('; ')}`);
    }
  }
  return { files, log };
}

// ── properties ─────────────────────────────────────────────────────────────────────────────

const producers = [syntaxScan(defaultBindingDirs), schemaProducer()];
const reporterContext = { color: false, cwd: '/', rootPrefix: '', version: '0.0.0-fuzz' };

/** Every property a report must have whatever the input; returns the problems found. */
function problemsOf(report: Report, extra: readonly Finding[] = []): string[] {
  const problems: string[] = [];
  for (const f of extra) if (f.checkId === 'check-error') problems.push(`check-error while planning/evaluating: ${f.message}`);
  for (const r of report.results) {
    if (r.checkId === 'check-error') problems.push(`check-error: ${r.message}`);
    if (r.pointer !== undefined && r.pointer !== null) {
      if (!r.file) problems.push(`${r.checkId}/${r.messageId}: pointer ${r.pointer} without a file`);
      if (!(r.line! >= 1 && r.column! >= 1)) problems.push(`${r.checkId}/${r.messageId}: ${r.file}#${r.pointer} at line ${r.line} column ${r.column}`);
    }
    if (typeof r.message !== 'string' || r.message.length === 0) problems.push(`${r.checkId}: empty message`);
  }
  const json = reporters.json!(report, reporterContext);
  try {
    const parsed = JSON.parse(json) as { results: unknown[] };
    if (parsed.results.length !== report.results.length) problems.push('json: result count differs');
  } catch (error) {
    problems.push(`json reporter output does not parse: ${(error as Error).message}`);
  }
  try {
    JSON.parse(reporters.sarif!(report, reporterContext));
  } catch (error) {
    problems.push(`sarif output does not parse: ${(error as Error).message}`);
  }
  const junit = XMLValidator.validate(reporters.junit!(report, reporterContext));
  if (junit !== true) problems.push(`junit output is not well-formed XML: ${JSON.stringify(junit)}`);
  reporters.stylish!(report, reporterContext);
  for (const line of reporters.github!(report, reporterContext).split('\n')) {
    if (/[\r\u001b]/.test(line)) problems.push(`github output line with CR/ESC: ${JSON.stringify(line)}`);
  }
  return problems;
}

/** Run everything the library offers on one workspace: static + transition + schema + live plan/evaluate. */
async function runAll(files: Files, base: Files): Promise<{ problems: string[]; report: Report }> {
  const paths = { ...defaultPaths };
  const workspace = new Workspace(new MemorySource(files), { paths });
  const baseWs = new Workspace(new MemorySource(base), { paths });
  const report = runChecks({ workspace, base: baseWs, checks: catalog, now: NOW, producers });
  const plan = planLiveChecks({ workspace, checks: catalog, now: NOW, commands: remoteCommands });
  formatPlan(plan);
  const live = await executeLivePlan(plan, new ReplayExecutor({ format: 'spine-lint-probe-recording', version: 1, recordedAt: NOW.toISOString(), observations: [] }));
  return { problems: [...problemsOf(report), ...problemsOf(live, plan.findings)], report };
}

describe('fuzz: mutated real bindings through the whole catalog (in-process)', () => {
  const snapshots = SNAPSHOTS.map((d) => corpusOf(`snapshots/${d}`, readTree(`${CORPUS}/snapshots/${d}`)));
  const tree = corpusOf(
    `trees/${TREE}`,
    readTree(`${CORPUS}/trees/${TREE}`, (p) => readPaths.has(p) || /^docs\/governance\/[^/]+\.md$/.test(p) || /^ops\/bindings\/[^/]+\.yaml$/.test(p)),
  );

  /** What each unmutated input reports (fingerprints), to show that mutations reach the checks. */
  const baseline = new Map<string, string>();
  const signature = (report: Report): string =>
    report.results
      .map((r) => r.fingerprint)
      .sort()
      .join(',');

  it('the unmutated inputs are clean of crashes (the baseline of the property)', async () => {
    for (const c of [...snapshots, tree]) {
      expect(c.targets.length, c.label).toBeGreaterThan(0);
      const { problems, report } = await runAll(c.files, c.files);
      expect(problems, c.label).toEqual([]);
      baseline.set(c.label, signature(report));
    }
  });

  const step = (targets: number) => fc.record({ target: fc.nat({ max: targets * 7 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) });

  it('snapshots: no check crashes, positions are real, every reporter output is well-formed (seeded)', async () => {
    let runs = 0;
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: snapshots.length - 1 }), fc.array(step(8), { minLength: 1, maxLength: 3 }), async (which, plan) => {
        const corpus = snapshots[which]!;
        const { files, log } = mutate(corpus, plan);
        const { problems, report } = await runAll(files, corpus.files);
        expect(problems, `${corpus.label} after ${log.join(' | ')}`).toEqual([]);
        runs++;
        if (signature(report) !== baseline.get(corpus.label)) changed++;
      }),
      { seed: SEED, numRuns: 150 * SCALE, endOnFailure: true },
    );
    // Not vacuous: most mutations change what the checks and the schemas report.
    expect(changed / runs, `${changed} of ${runs} mutated runs changed the findings`).toBeGreaterThan(0.5);
  }, 120_000);

  it('a whole tree: the same properties (seeded, fewer runs: the tree is large)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step(tree.targets.length), { minLength: 1, maxLength: 3 }), async (plan) => {
        const { files, log } = mutate(tree, plan);
        const { problems } = await runAll(files, tree.files);
        expect(problems, `${tree.label} after ${log.join(' | ')}`).toEqual([]);
      }),
      { seed: SEED + 1, numRuns: 12 * SCALE, endOnFailure: true },
    );
  }, 120_000);
});

describe('fuzz: a few mutated spines through the built CLI', () => {
  let work: string;
  beforeAll(() => {
    if (!existsSync(CLI)) execFileSync('npx', ['tsc', '-b', 'packages/cli'], { cwd: REPO });
    work = mkdtempSync(join(tmpdir(), 'spine-lint-fuzz-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('exit code is 0, 1 or 2 and the JSON output parses (3 seeded runs)', () => {
    const corpus = corpusOf(`snapshots/${SNAPSHOTS.at(-1)}`, readTree(`${CORPUS}/snapshots/${SNAPSHOTS.at(-1)}`));
    const samples = fc.sample(fc.array(fc.record({ target: fc.nat({ max: 50 }), mutations: fc.array(mutation, { minLength: 2, maxLength: 5 }) }), { minLength: 2, maxLength: 4 }), {
      seed: SEED + 2,
      numRuns: 3,
    });
    for (const [n, plan] of samples.entries()) {
      const { files, log } = mutate(corpus, plan);
      const root = join(work, `run${n}`);
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      const res = spawnSync(process.execPath, [CLI, 'check', '--root', root, '--format', 'json', '--now', NOW.toISOString()], { encoding: 'utf8', timeout: 60_000 });
      const label = `seed ${SEED + 2} run ${n}: ${log.join(' | ')}\nexit ${res.status}\nstderr: ${res.stderr}\nstdout: ${res.stdout.slice(0, 400)}`;
      expect([0, 1, 2], label).toContain(res.status);
      expect(res.stderr, label).not.toMatch(/internal error/);
      if (res.status === 2) {
        // The run could not be done: one clean line saying why, no report.
        expect(res.stderr, label).toMatch(/^spine-lint: .+\n$/);
        continue;
      }
      let report: { results: { checkId: string; line?: number; pointer?: string | null }[] } | undefined;
      expect(() => (report = JSON.parse(res.stdout)), label).not.toThrow();
      expect(
        report!.results.filter((r) => r.checkId === 'check-error'),
        label,
      ).toEqual([]);
      for (const r of report!.results) if (r.pointer != null) expect(r.line, label).toBeGreaterThanOrEqual(1);
    }
  }, 120_000);
});
