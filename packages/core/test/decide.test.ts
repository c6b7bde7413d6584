/**
 * The core's `decide` module (packages/core/src/decide.cts): what the pre-commit fast path, the CLI
 * and the engine decide with, once. The functions, and that the module is dependency-free: its
 * source imports node built-ins only, and the built CommonJS module, required in a node process of
 * its own, loads no other file (the CLI's CommonJS entry requires it before anything else).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_FILE,
  cacheFileFor,
  cacheFileName,
  cacheRefusal,
  globRegExp,
  holdsAt,
  inBindingDir,
  isCacheFileName,
  isConfigFileName,
  layoutPath,
  mayBeBinding,
  mayMatter,
  normalisePath,
  parseSimpleYaml,
  readsListedFiles,
  RUN_CACHE_VERSION,
  runCacheKey,
  runLifetime,
  scopeCauses,
  selectChecks,
  SEVERITIES,
  simpleConfigOf,
  toRootPath,
  TOP_KEYS,
  type ScopeCheck,
  type ScopeInput,
} from '../src/decide.cjs';
import { normalisePath as engineNormalisePath, parseConfig, RunClock, UsageError } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const SRC = join(REPO, 'packages/core/src/decide.cts');
const BUILT = join(REPO, 'packages/core/dist/decide.cjs');

describe('paths', () => {
  it('normalisePath: the repository-relative form, the one the engine exports', () => {
    expect(engineNormalisePath).toBe(normalisePath);
    expect(normalisePath('./ops//bindings\\ssh.yaml')).toBe('ops/bindings/ssh.yaml');
    expect(normalisePath('.//a/b/')).toBe('a/b');
    expect(normalisePath('a/./b')).toBe('a/./b');
  });

  it('toRootPath: a file argument relative to the root; one outside the root keeps its own form', () => {
    expect(toRootPath('/spine', '/spine/ops', 'bindings/x.yaml')).toBe('ops/bindings/x.yaml');
    expect(toRootPath('/spine', '/spine', './README.md')).toBe('README.md');
    expect(toRootPath('/spine', '/elsewhere', 'x.yaml')).toBe('x.yaml');
    expect(toRootPath('/spine', '/spine/ops', '../../etc/passwd')).toBe('../../etc/passwd');
  });

  it('mayBeBinding, isConfigFileName, mayMatter, readsListedFiles', () => {
    for (const p of ['a.yaml', 'a.YML', 'docs/x.md', 'x.markdown', 'x.json', '.spine-lint.yaml', 'sub/.spine-lint.yml']) expect(mayBeBinding(p), p).toBe(true);
    for (const p of ['tools/deploy.sh', 'src/app.ts', 'yaml', 'x.yaml.bak']) expect(mayBeBinding(p), p).toBe(false);
    expect(isConfigFileName(CONFIG_FILE)).toBe(true);
    expect(isConfigFileName('sub/.spine-lint.yml')).toBe(true);
    expect(isConfigFileName('x.spine-lint.yaml')).toBe(false);
    expect(mayMatter('deploy.sh')).toBe(false);
    expect(mayMatter('deploy.sh', true)).toBe(true);
    expect(mayMatter('a.yaml', false)).toBe(true);
    expect(readsListedFiles([{ readsListedIn: [] }, {}])).toBe(false);
    expect(readsListedFiles([{}, { readsListedIn: ['plan'] }])).toBe(true);
  });

  it('layoutPath: a binding name through the layout, else the path itself; never an inherited member', () => {
    const layout = { 'ssh.targets': './ops//ssh.yaml' };
    expect(layoutPath(layout, 'ssh.targets')).toBe('ops/ssh.yaml');
    expect(layoutPath(layout, 'ops/other.yaml')).toBe('ops/other.yaml');
    expect(layoutPath(layout, 'constructor')).toBe('constructor');
    expect(layoutPath(layout, 'toString')).toBe('toString');
  });

  it('globRegExp: `*` within one path segment, everything else literal', () => {
    const glob = globRegExp('ops/bindings/*.yaml');
    expect(glob.test('ops/bindings/a.yaml')).toBe(true);
    expect(glob.test('ops/bindings/.yaml')).toBe(true);
    expect(glob.test('ops/bindings/sub/a.yaml')).toBe(false);
    expect(glob.test('ops/bindings/a.yamlx')).toBe(false);
    expect(glob.test('ops/bindingsXa.yaml')).toBe(false);
    expect(globRegExp('docs/(a)+[b].md').test('docs/(a)+[b].md')).toBe(true);
    expect(globRegExp('a.b').test('aXb')).toBe(false);
  });

  it('inBindingDir: YAML files under a binding directory (any form of the directory)', () => {
    expect(inBindingDir('ops/bindings/x.yaml', ['./ops/bindings/'])).toBe(true);
    expect(inBindingDir('ops/bindings/sub/x.YML', ['ops/bindings'])).toBe(true);
    expect(inBindingDir('ops/bindings/x.md', ['ops/bindings'])).toBe(false);
    expect(inBindingDir('ops/bindings2/x.yaml', ['ops/bindings'])).toBe(false);
    expect(inBindingDir('ops/bindings/x.yaml', [])).toBe(false);
  });
});

describe('config keys', () => {
  it('TOP_KEYS and SEVERITIES are the ones parseConfig enforces', () => {
    expect([...TOP_KEYS]).toEqual(['paths', 'bindingDirs', 'checks', 'limits', 'plugins', 'baseline', 'probes']);
    expect([...SEVERITIES]).toEqual(['error', 'warning', 'warn', 'off']);
    expect(() => parseConfig('chekcs: {}\n', CONFIG_FILE)).toThrow(`(allowed: ${[...TOP_KEYS].join(', ')})`);
    for (const severity of SEVERITIES) expect(() => parseConfig(`checks:\n  D35: ${severity}\n`, CONFIG_FILE)).not.toThrow();
  });

  const checks = [{ id: 'relocation-parity', aliases: ['D35'] }, { id: 'ssot-freshness' }];
  it('simpleConfigOf: the layout and binding directories of a config parseConfig accepts', () => {
    expect(simpleConfigOf(null, checks)).toEqual({ paths: {} });
    const text =
      'paths:\n  ssh.targets: spine/ssh.yaml\nbindingDirs: [spine]\nchecks:\n  d35: warn\n  ssot-freshness:\n    severity: off\n    options: {}\n' +
      'limits:\n  maxFileBytes: 1000\nplugins: []\nbaseline: b.json\nprobes: {}\n';
    expect(simpleConfigOf(parseSimpleYaml(text)!, checks)).toEqual({ paths: { 'ssh.targets': 'spine/ssh.yaml' }, bindingDirs: ['spine'] });
    expect(() => parseConfig(text, CONFIG_FILE)).not.toThrow();
  });

  it('simpleConfigOf: anything parseConfig refuses, or plugins, is a reason (the full path decides)', () => {
    const cases: [string, RegExp][] = [
      ['- a\n', /^not a mapping$/],
      ['chekcs: {}\n', /^unknown key chekcs$/],
      ['paths: [a]\n', /^paths$/],
      ['paths:\n  x: ""\n', /^paths\.x$/],
      ['bindingDirs: a\n', /^bindingDirs$/],
      ['checks:\n  nope: off\n', /^checks\.nope: unknown check$/],
      ['checks:\n  D35: loud\n', /^checks\.D35$/],
      ['checks:\n  D35:\n    severity: loud\n', /^checks\.D35\.severity$/],
      ['checks:\n  D35:\n    other: 1\n', /^checks\.D35\.other$/],
      ['limits:\n  maxFileBytes: -1\n', /^limits\.maxFileBytes$/],
      ['limits:\n  other: 1\n', /^limits\.other$/],
      ['plugins: [./p.js]\n', /^plugins add checks$/],
      ['baseline: 1\n', /^baseline$/],
      ['probes: []\n', /^probes$/],
    ];
    for (const [text, reason] of cases) {
      const value = parseSimpleYaml(text);
      expect(value, text).not.toBeUndefined();
      expect(simpleConfigOf(value!, [...checks]), text).toMatch(reason);
      // Each refusal is a config the engine refuses too, but plugins and unknown check names (the setup refuses those).
      if (!/plugins|unknown check/.test(reason.source)) expect(() => parseConfig(text, CONFIG_FILE), text).toThrow(UsageError);
    }
  });
});

describe('parseSimpleYaml: the small YAML reader the fast path reads the config with', () => {
  const accepted = [
    '',
    '# only a comment\n',
    '---\npaths:\n  ssh.targets: ops/ssh.yaml\n',
    "paths:\n  ssh.targets: \"ops/ssh targets.yaml\" # quoted\n  SERVICE_REGISTRY: 'it''s.yaml'\n",
    'bindingDirs: [ops/bindings, "docs/governance"]\n',
    'bindingDirs:\n- a\n- b\npaths: {}\n',
    'bindingDirs:\n  - a   # first\n  - b\n',
    'checks:\n  D35: warn\n  ssot-freshness:\n    severity: off\n    options:\n' + '      thresholdDays: 3650\n      enabled: true\n      nothing: null\n      empty:\n',
    'limits:\n  maxFileBytes: 1048576\n  maxAliasCount: -3\nbaseline: .spine-lint-baseline.json\nplugins: []\n',
    'probes:\n  http:\n    concurrency: 64\n    url: http://127.0.0.1:8080/health\n',
    'paths:\n  key with spaces: value with spaces\n  a:b: c\n  x: -dash-first\n',
    readFileSync(join(EXAMPLE, '.spine-lint.yaml'), 'utf8'),
  ];
  const refused = [
    'paths: &a\n  x: y\nother: *a\n',
    'paths:\n  x: !!str 1\n',
    'desc: |\n  multi\n  line\n',
    'a: 1\na: 2\n',
    'a:\n  b: 1\n c: 2\n',
    'a: b: c\n',
    'a:\n  - b: 1\n',
    'a: {b: 1}\n',
    'a: 0x1F\n',
    'a: 1.5\n',
    'a: 2026-01-01\n',
    'a: "unterminated\n',
    'a: plain\n  continued\n',
    '---\na: 1\n---\nb: 2\n',
    '\tpaths: x\n',
    '\uFEFFa: 1\n',
    '__proto__: 1\n',
    '- a\n- b\nc: d\n',
  ];
  it('reads simple configs exactly as the YAML parser does', () => {
    for (const text of accepted) {
      const mine = parseSimpleYaml(text);
      expect(mine, JSON.stringify(text)).not.toBeUndefined();
      expect(mine, JSON.stringify(text)).toEqual(parseYaml(text) ?? null);
    }
  });
  it('refuses what it does not understand (the full path decides), and never disagrees with the parser', () => {
    for (const text of refused) {
      expect(parseSimpleYaml(text), JSON.stringify(text)).toBeUndefined();
    }
    // Mutations of the accepted texts: whatever the reader accepts, the parser reads the same.
    let compared = 0;
    for (const text of accepted) {
      for (let i = 0; i < text.length; i++) {
        const [before, after] = [text.slice(0, i), text.slice(i)];
        for (const edit of [before + after.slice(1), before + ' ' + after, before + ':' + after, before + '#' + after, before + '\n' + after]) {
          const mine = parseSimpleYaml(edit);
          if (mine === undefined) continue;
          let theirs: unknown;
          try {
            theirs = parseYaml(edit, { uniqueKeys: true }) ?? null;
          } catch (error) {
            throw new Error(`the reader accepted ${JSON.stringify(edit)} which the parser rejects: ${(error as Error).message}`);
          }
          expect(mine, JSON.stringify(edit)).toEqual(theirs);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('scope of a changed-files run', () => {
  const checks: ScopeCheck[] = [
    { id: 'a', reads: ['ssh.targets'] },
    { id: 'b', aliases: ['B-alias'], reads: ['ops/bindings/*.yaml', 'docs/x.md'] },
    { id: 'c', reads: ['plan'], readsListedIn: ['plan'] },
    { id: 'd', reads: ['other.yaml'], readsListedIn: ['plan', 'registry'] },
  ];
  const layout = { 'ssh.targets': 'ops/bindings/ssh.yaml', plan: './ops/plan.yaml', registry: 'docs/registry.yaml' };
  const listed: Record<string, string[]> = { 'ops/plan.yaml': ['tools/deploy.sh'], 'docs/registry.yaml': ['svc/unit.service'] };
  const input = (changed: string[], extra: Partial<ScopeInput> = {}): ScopeInput & { asked: string[] } => {
    const asked: string[] = [];
    const lists = (name: string, path: string, file: string): boolean => {
      asked.push(`${name}@${path}:${file}`);
      return (listed[path] ?? []).includes(file);
    };
    return { checks, changed, layout, bindingDirs: ['ops/bindings'], lists, asked, ...extra };
  };

  it('selects by reads through the layout, by glob reads, by listings; the syntax scan for binding-directory YAML', () => {
    expect(selectChecks(input(['ops/bindings/ssh.yaml']))).toEqual(['a', 'b', 'parse', 'schema']);
    expect(selectChecks(input(['./docs/x.md']))).toEqual(['b']);
    expect(selectChecks(input(['ops/plan.yaml']))).toEqual(['c']);
    expect(selectChecks(input(['tools/deploy.sh']))).toEqual(['c', 'd']);
    expect(selectChecks(input(['svc/unit.service']))).toEqual(['d']);
    expect(selectChecks(input(['README.md', 'ops/bindings/sub/x.txt']))).toEqual([]);
    expect(selectChecks(input([]))).toEqual([]);
  });

  it('--only keeps the named checks (aliases in any case) and the syntax scan only with parse', () => {
    expect(selectChecks(input(['ops/bindings/ssh.yaml'], { only: ['b-ALIAS'] }))).toEqual(['b']);
    expect(selectChecks(input(['ops/bindings/ssh.yaml'], { only: ['parse'] }))).toEqual(['parse', 'schema']);
    expect(selectChecks(input(['ops/bindings/ssh.yaml'], { only: ['c'] }))).toEqual([]);
  });

  it('the causes come cheapest first, each check once, and listings are asked lazily', () => {
    const i = input(['ops/bindings/new.yaml', 'tools/deploy.sh']);
    const causes = scopeCauses(i);
    expect(causes.next().value).toEqual({ kind: 'binding-dir', ids: ['parse', 'schema'], file: 'ops/bindings/new.yaml' });
    expect(causes.next().value).toEqual({ kind: 'reads', ids: ['b'], file: 'ops/bindings/new.yaml', read: 'ops/bindings/*.yaml' });
    expect(i.asked).toEqual([]);
    expect(causes.next().value).toEqual({ kind: 'listed', ids: ['c'], file: 'tools/deploy.sh', listing: 'plan', path: 'ops/plan.yaml' });
    expect(i.asked).toEqual(['plan@ops/plan.yaml:ops/bindings/new.yaml', 'plan@ops/plan.yaml:tools/deploy.sh']);
    expect(causes.next().value).toMatchObject({ kind: 'listed', ids: ['d'] });
    expect(causes.next().done).toBe(true);
    // A check its reads selected is never asked about its listings.
    const j = input(['ops/plan.yaml']);
    expect(selectChecks(j)).toEqual(['c']);
    expect(j.asked.every((q) => !q.startsWith('plan@') || q.includes('plan.yaml:'))).toBe(true);
    expect(j.asked.filter((q) => q.startsWith('registry@'))).toEqual(['registry@docs/registry.yaml:ops/plan.yaml']);
  });
});

describe('run cache decisions', () => {
  const base = { tool: 't', cwd: '/w', root: '/w/spine', color: false, config: { path: '/w/spine/.spine-lint.yaml', digest: 'abc' } };
  it('runCacheKey: the same for the same run, whatever the option order and cache location', () => {
    const key = runCacheKey({ ...base, values: { format: 'json', now: '2026-01-01' } });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(runCacheKey({ ...base, values: { now: '2026-01-01', format: 'json', cache: true, 'cache-location': '/tmp/c' } })).toBe(key);
    for (const other of [
      { ...base, values: { format: 'json' } },
      { ...base, values: { format: 'json', now: '2026-01-01' }, color: true },
      { ...base, values: { format: 'json', now: '2026-01-01' }, cwd: '/x' },
      { ...base, values: { format: 'json', now: '2026-01-01' }, tool: 'u' },
      { ...base, values: { format: 'json', now: '2026-01-01' }, config: { ...base.config, digest: 'abd' } },
    ])
      expect(runCacheKey(other)).not.toBe(key);
    expect(RUN_CACHE_VERSION).toBe(1);
  });

  it("cacheFileFor: --cache-location (a file, or a directory for the root's file), else the cache home", () => {
    const name = cacheFileName('/w/spine');
    expect(isCacheFileName(name)).toBe(true);
    expect(isCacheFileName('spine-lint-cache.json')).toBe(false);
    expect(cacheFileName('/w/other')).not.toBe(name);
    const isDirectory = (p: string): boolean => p === '/w/dir';
    expect(cacheFileFor({ root: '/w/spine', cwd: '/w', cacheHome: '/h/.cache', isDirectory })).toBe(`/h/.cache/spine-lint/${name}`);
    expect(cacheFileFor({ root: '/w/spine', cwd: '/w', location: 'c.json', cacheHome: '/h', isDirectory })).toBe('/w/c.json');
    expect(cacheFileFor({ root: '/w/spine', cwd: '/w', location: 'dir', cacheHome: '/h', isDirectory })).toBe(`/w/dir/${name}`);
    expect(cacheFileFor({ root: '/w/spine', cwd: '/w', location: 'new/', cacheHome: '/h', isDirectory })).toBe(`/w/new/${name}`);
  });

  it('cacheRefusal: runs reading inputs the recording does not see are never stored', () => {
    expect(cacheRefusal({}, [], {})).toBeUndefined();
    expect(cacheRefusal({ format: 'github' }, [], {})).toBeUndefined();
    for (const [values, positionals, env] of [
      [{ staged: true }, [], {}],
      [{ base: 'main' }, [], {}],
      [{ head: 'x' }, [], {}],
      [{}, ['a.yaml'], {}],
      [{ baseline: 'b.json' }, [], {}],
      [{ 'update-baseline': true }, [], {}],
      [{ plugin: ['./p.js'] }, [], {}],
      [{}, [], { SPINE_LINT_TIMING: '1' }],
      [{ format: 'github' }, [], { GITHUB_STEP_SUMMARY: '/s' }],
    ] as const)
      expect(cacheRefusal(values, positionals, env), JSON.stringify(values)).toEqual(expect.any(String));
  });

  it("runLifetime and holdsAt: from the run until its clock's first answer could change", () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const clock = new RunClock(now);
    expect(runLifetime(clock)).toEqual({ validFrom: now.getTime(), validUntil: null });
    clock.daysSince(new Date('2026-03-01T18:00:00Z'));
    const life = runLifetime(clock);
    expect(life).toEqual({ validFrom: now.getTime(), validUntil: new Date('2026-03-10T18:00:00Z').getTime() });
    expect(holdsAt(life, now.getTime(), false)).toBe(true);
    expect(holdsAt(life, life.validUntil! - 1, false)).toBe(true);
    expect(holdsAt(life, life.validUntil!, false)).toBe(false);
    expect(holdsAt(life, now.getTime() - 1, false)).toBe(false);
    expect(holdsAt(life, life.validUntil! + 1, true)).toBe(true);
  });
});

describe('dependency-free', () => {
  it('its source imports node built-ins only, statically', () => {
    const text = readFileSync(SRC, 'utf8');
    expect(text).not.toMatch(/\brequire\s*\(|\bimport\s*\(/);
    const specs = [...text.matchAll(/^(?:import|export)\b[^'";]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
    expect(specs.length).toBeGreaterThan(0);
    const builtins = new Set(builtinModules);
    for (const spec of specs) expect(spec.startsWith('node:') && builtins.has(spec.slice(5)), `imports '${spec}'`).toBe(true);
  });

  it('the built module, required in a node process of its own, loads no other file', () => {
    expect(existsSync(BUILT), 'packages/core/dist/decide.cjs (npm run build)').toBe(true);
    const script = `const d = require(${JSON.stringify(BUILT)});
      d.runCacheKey({ tool: 't', cwd: '/', root: '/', values: {}, color: false, config: { path: '/c', digest: 'x' } });
      d.selectChecks({ checks: [], changed: ['a.yaml'], layout: {}, bindingDirs: [''], lists: () => false });
      d.simpleConfigOf(d.parseSimpleYaml('paths: {}'), []);
      console.log(JSON.stringify({ cache: Object.keys(require.cache), keys: Object.keys(d) }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { cache, keys } = JSON.parse(r.stdout) as { cache: string[]; keys: string[] };
    expect(cache).toEqual([BUILT]);
    expect(keys).toEqual(expect.arrayContaining(['normalisePath', 'scopeCauses', 'parseSimpleYaml', 'runCacheKey', 'TOP_KEYS']));
  });

  it('the engine uses the same functions (config keys, normalisePath, the layout)', () => {
    const config = readFileSync(join(REPO, 'packages/core/src/config.ts'), 'utf8');
    expect(config).not.toMatch(/new Set\(\['paths'/);
    expect(config).toMatch(/import \{[^}]*TOP_KEYS[^}]*\} from '\.\/decide\.cjs'/);
    expect(readFileSync(join(REPO, 'packages/core/src/workspace/source.ts'), 'utf8')).not.toMatch(/function normalisePath/);
  });
});
