import { execFileSync } from 'node:child_process';
import { closeSync, constants as fsConstants, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';


/** This module's URL (CommonJS: the fast path runs before node's ES module loader is needed). */
const here = (): URL => pathToFileURL(__filename);

/**
 * The pre-commit fast path: `spine-lint check --staged` (or `check FILE…`) when nothing relevant
 * changed costs about an empty `node` start. It runs in `bin.cts` before anything else is imported
 * and uses only node built-ins: one `git diff --cached` and the build-time manifest
 * (`dist/generated/fast-path.json`, written by `scripts/build-validators.mjs`: layout, the paths
 * the catalog reads, check and reporter names). It answers `0` ("nothing relevant changed: exit 0
 * silently", exactly what the full path answers) or `undefined` ("run the full path"), and answers
 * `undefined` whenever it is not sure: an option it does not know, an unusual config, a stale or
 * missing manifest, a git error. The full path then decides (and reports any error) as before.
 *
 * The decision is the full path's (`checkCommand` with `changedScope`/`mayMatter`/`scopeOf`):
 * nothing changed that could be a binding or the config, and no check reads files its bindings
 * list (`readsListedIn`); or no changed file is the config, a YAML file in a binding directory, a
 * file some check reads (through the layout and the config's `paths:`; a glob read such as
 * `docs/governance/*.md` matching a changed file counts), or possibly listed in a `readsListedIn`
 * binding. "Possibly listed" over-approximates the full path's rule (any string value of the
 * binding, see the core's `listedPaths`) by a plain substring search of the changed file's name
 * (its last path segment) in the binding's raw text, as the head has it: the index for
 * `--staged`, else the working tree. Those few files are read only when such a changed file is
 * left to judge; a hit sends the run to the full path, which decides.
 */

export interface FastPathManifest {
  version: 1;
  /** Build stamps of the packages (`cli` since the run cache; older manifests lack it). */
  stamps: { core: BuildStamp; checks: BuildStamp; cli?: BuildStamp };
  defaultPaths: Record<string, string>;
  bindingDirs: string[];
  reads: string[];
  /**
   * The bindings (layout names, resolved through the layout and the config's `paths:`) whose
   * contents name further files checks read: every check's `readsListedIn`. Missing in a manifest
   * written before it existed: such a manifest is not used.
   */
  listedIn?: string[];
  checks: { id: string; aliases: string[] }[];
  reporters: string[];
}

/** A package's `dist/.tsbuildinfo` when the manifest was written (sha1 'none': there was none). */
export interface BuildStamp {
  size: number;
  mtimeMs: number;
  sha1: string;
}

export interface FastPathResult {
  /** 0: nothing relevant, exit 0; undefined: run the full path. */
  code: 0 | undefined;
  /** Why (for `SPINE_LINT_DEBUG_FAST_PATH=1`). */
  reason: string;
}

const CONFIG_FILE = '.spine-lint.yaml';
const TOP_KEYS = new Set(['paths', 'bindingDirs', 'checks', 'limits', 'plugins', 'baseline', 'probes']);
const SEVERITIES = new Set(['error', 'warning', 'warn', 'off']);
const full = (reason: string): FastPathResult => ({ code: undefined, reason });

/** Same as the core's `normalisePath`. */
const normalisePath = (path: string): string => path.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+/g, '/').replace(/\/$/, '');
/** Same as the CLI's `mayBeBinding`: could this file be a binding or the config at all? */
const mayBeBinding = (path: string): boolean => /\.(ya?ml|md|markdown|json)$/i.test(path) || /(^|\/)\.spine-lint\.ya?ml$/.test(path);

/** Decide, for `argv` as given to `main`, whether the run is a no-op. Never throws. */
export function fastPath(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, manifestUrl = new URL('./generated/fast-path.json', here())): FastPathResult {
  try {
    return decide(argv, cwd, env, manifestUrl);
  } catch (error) {
    return full(`unexpected: ${(error as Error).message}`);
  }
}

function decide(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, manifestUrl: URL): FastPathResult {
  if (env.SPINE_LINT_NO_FAST_PATH) return full('disabled by SPINE_LINT_NO_FAST_PATH');
  const args = parseCheckArgs(argv);
  if (typeof args === 'string') return full(args);
  if (!args.staged && args.files.length === 0) return full('not a pre-commit run');

  // The manifest is read only when needed: to check a --format, or to judge a file that may matter.
  let manifest: FastPathManifest | undefined;
  if (args.format !== undefined) {
    const loaded = loadManifest(manifestUrl);
    if (typeof loaded === 'string') return full(loaded);
    if (!loaded.reporters.includes(args.format)) return full(`unknown format '${args.format}'`);
    manifest = loaded;
  }

  const root = resolve(cwd, args.root ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) return full('root is not a directory');
  // A directory argument stands for the files under it, and a missing file (outside --staged) is a
  // usage error: both are the full path's to decide (prGate's changedScope).
  for (const f of args.files) {
    let st;
    try {
      st = statSync(resolve(cwd, f));
    } catch {
      if (args.staged) continue;
      return full(`${f} does not exist`);
    }
    if (st.isDirectory()) return full(`${f} is a directory`);
  }
  const changed = new Set(args.files.map((f) => toRootPath(root, cwd, f)));
  if (args.staged) {
    let out: Buffer;
    try {
      // Paths relative to the root, only those under it (the full path's prefix handling); on an
      // unborn branch `--cached` lists every staged file, as the full path does.
      out = execFileSync('git', ['diff', '--cached', '--no-ext-diff', '--no-renames', '--name-only', '-z', '--relative'], {
        cwd: root,
        env: { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 256 * 1024 * 1024,
      });
    } catch {
      return full('git diff --cached failed');
    }
    for (const p of out.toString('utf8').split('\0')) if (p !== '') changed.add(p);
  }
  const paths = [...changed];
  if (paths.length === 0) return { code: 0, reason: 'no changed file' };
  if (manifest === undefined) {
    const loaded = loadManifest(manifestUrl);
    if (typeof loaded === 'string') return full(loaded);
    manifest = loaded;
  }
  if (!Array.isArray(manifest.listedIn)) return full('manifest without listedIn (run npm run build)');
  // The CLI's `mayMatter`: any file may matter once some check reads files its bindings list.
  const bindingLike = paths.some(mayBeBinding);
  const none = bindingLike ? 'none read by a check' : 'none could be a binding or the config';
  if (!bindingLike && manifest.listedIn.length === 0) return { code: 0, reason: `${paths.length} changed file(s), ${none}` };

  const configPath = args.config !== undefined ? resolve(cwd, args.config) : existsSync(resolve(root, CONFIG_FILE)) ? resolve(root, CONFIG_FILE) : undefined;
  let config: SimpleConfig = { paths: {} };
  if (configPath !== undefined) {
    const loaded = readSimpleConfig(configPath, manifest);
    if (typeof loaded === 'string') return full(`config: ${loaded}`);
    config = loaded;
  }
  if (paths.some((p) => /(^|\/)\.spine-lint\.ya?ml$/.test(p) || (configPath !== undefined && resolve(root, p) === configPath))) return full('the config file changed');

  const layout: Record<string, string> = { ...manifest.defaultPaths, ...config.paths };
  const bindingDirs = (config.bindingDirs ?? manifest.bindingDirs).map(normalisePath);
  const normal = paths.map(normalisePath);
  const inBindingDir = normal.find((p) => /\.ya?ml$/i.test(p) && bindingDirs.some((d) => p.startsWith(d + '/')));
  if (inBindingDir !== undefined) return full(`${inBindingDir} is in a binding directory`);
  for (const read of manifest.reads) {
    const path = normalisePath(Object.hasOwn(layout, read) ? layout[read]! : read);
    const hit = path.includes('*') ? normal.find((p) => globRegExp(path).test(p)) : normal.find((p) => p === path);
    if (hit !== undefined) return full(`${hit} is read by a check (${read})`);
  }
  // Left: files no check names. A check may still read one because a binding lists it.
  const listings = [...new Set(manifest.listedIn.map((name) => normalisePath(Object.hasOwn(layout, name) ? layout[name]! : name)))];
  if (listings.length > 0) {
    const texts = listingTexts(root, listings, args.staged, env);
    if (typeof texts === 'string') return full(texts);
    for (const p of normal) {
      const name = Buffer.from(p.slice(p.lastIndexOf('/') + 1), 'utf8');
      const listing = listings.find((_, i) => texts[i] !== undefined && texts[i]!.includes(name));
      if (listing !== undefined) return full(`${p} may be listed in ${listing} (a check reads the files it lists)`);
    }
    return { code: 0, reason: `${paths.length} changed file(s), ${none}, none listed in ${listings.join(', ')}` };
  }
  return { code: 0, reason: `${paths.length} changed file(s), ${none}` };
}

/** Larger configs and listing bindings are left to the full path (which applies its own limits). */
const MAX_SIMPLE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * A regular file's bytes, read from one descriptor judged by `fstat` (never a FIFO, a device such
 * as /dev/zero, or more than `max` bytes: the full path then decides), `null` when it does not
 * exist, or why it is refused. Opened without blocking, so a FIFO cannot hang the hook.
 */
function readBounded(path: string, max: number): Buffer | null | string {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : `unreadable (${code ?? 'error'})`;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return 'not a regular file';
    if (st.size > max) return 'too large';
    const buffer = Buffer.alloc(st.size + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return length > max ? 'too large' : buffer.subarray(0, length);
  } catch (error) {
    return `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  } finally {
    closeSync(fd);
  }
}

/**
 * The raw bytes of the listing bindings as the head has them (`undefined`: no such file): the
 * index for `--staged` (one `git cat-file --batch`, paths relative to the root), else the working
 * tree. Such a binding is no changed file here (it is read by a check), so for `--staged` the
 * base, `HEAD`, has the same text. A string: why to take the full path instead.
 */
function listingTexts(root: string, listings: readonly string[], staged: boolean, env: NodeJS.ProcessEnv): (Buffer | undefined)[] | string {
  if (listings.some((p) => p === '' || isAbsolute(p) || /^[a-zA-Z]:/.test(p) || p.split('/').includes('..') || /[\n\r]/.test(p))) return 'a listing binding outside the root';
  if (!staged) {
    const texts: (Buffer | undefined)[] = [];
    for (const p of listings) {
      const read = readBounded(resolve(root, p), MAX_SIMPLE_FILE_BYTES);
      if (typeof read === 'string') return `listing binding ${p}: ${read}`;
      texts.push(read === null ? undefined : read);
    }
    return texts;
  }
  let out: Buffer;
  try {
    out = execFileSync('git', ['cat-file', '--batch'], {
      cwd: root,
      input: listings.map((p) => `:./${p}\n`).join(''),
      env: { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return 'git cat-file failed';
  }
  // Per object: "<oid> blob <size>\n<content>\n", or "<name> missing\n".
  const texts: (Buffer | undefined)[] = [];
  let at = 0;
  for (const p of listings) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) return 'git cat-file: short output';
    const header = out.toString('latin1', at, eol);
    at = eol + 1;
    if (header === `:./${p} missing`) {
      texts.push(undefined);
      continue;
    }
    const m = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!m) return `git cat-file: ${header}`;
    const size = Number(m[1]);
    if (at + size > out.length) return 'git cat-file: short output';
    texts.push(out.subarray(at, at + size));
    at += size + 1;
  }
  return texts;
}

interface CheckArgs {
  staged: boolean;
  root?: string;
  config?: string;
  format?: string;
  files: string[];
}

/**
 * The `check` invocations the fast path handles: `[check] [--staged] [--root D] [--config F]
 * [--format F] [--quiet] [--color|--no-color] [--cache] [--cache-location P] [--all-findings]
 * [files…]`. Anything else (other options, help,
 * repeated options, odd forms) is a string: the reason to take the full path, which parses strictly.
 */
function parseCheckArgs(argv: readonly string[]): CheckArgs | string {
  let i = 0;
  if (argv[0] === 'check') i = 1;
  else if (argv[0] === undefined || !argv[0].startsWith('-') || /^-(-version|v|-help|h)$/.test(argv[0])) return 'not a check run';
  const out: CheckArgs = { staged: false, files: [] };
  const seen = new Set<string>();
  let onlyFiles = false;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyFiles || !arg.startsWith('-')) {
      if (arg === '') return 'empty argument';
      out.files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (seen.has(name)) return `${name} given twice`;
    seen.add(name);
    // --cache and --all-findings change how a run is answered, never whether a no-op run is one.
    if (name === '--staged' || name === '--quiet' || name === '--color' || name === '--no-color' || name === '--cache' || name === '--all-findings') {
      if (eq > 0) return `${arg}: unexpected value`;
      if (name === '--staged') out.staged = true;
      continue;
    }
    if (name === '--root' || name === '--config' || name === '--format' || name === '--cache-location') {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || value.startsWith('-')) return `${name}: missing or odd value`;
      if (name !== '--cache-location') out[name.slice(2) as 'root' | 'config' | 'format'] = value;
      continue;
    }
    return `option ${name} is left to the full path`;
  }
  if (seen.has('--color') && seen.has('--no-color')) return 'both --color and --no-color';
  return out;
}

function toRootPath(root: string, cwd: string, file: string): string {
  const rel = relative(root, resolve(cwd, file));
  if (rel.startsWith('..') || isAbsolute(rel)) return normalisePath(file);
  return normalisePath(rel.split('\\').join('/'));
}

const globRegExp = (glob: string): RegExp => new RegExp('^' + glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');

/** The manifest, if it exists and was built from the packages installed now (else the reason). */
export function loadManifest(url: URL = new URL('./generated/fast-path.json', here())): FastPathManifest | string {
  let manifest: FastPathManifest;
  try {
    manifest = JSON.parse(readFileSync(url, 'utf8')) as FastPathManifest;
  } catch {
    return 'no fast-path manifest (run npm run build)';
  }
  if (manifest.version !== 1) return 'manifest version';
  for (const pkg of ['core', 'checks'] as const) {
    if (!sameBuild(pkg, manifest.stamps?.[pkg])) return `manifest older than the ${pkg} package build (run npm run build)`;
  }
  return manifest;
}

/**
 * Whether a package's build is the one the manifest was made from. The stamp
 * (`scripts/build-validators.mjs`) is its `dist/.tsbuildinfo` (rewritten by tsc on every rebuild):
 * size and mtime, and a SHA-1 of the content, compared only when size or mtime differ (an `npm
 * pack` resets mtimes). A published package ships no `.tsbuildinfo` but `dist/build-stamp.json`,
 * the SHA-1 written by the same build. The package is the one `main.js` will load: in this
 * monorepo `../../<pkg>/dist` beside the CLI's `dist` (checked first: resolving costs
 * milliseconds), else wherever node resolves `@spine-lint/<pkg>` (an installed package).
 */
export function sameBuild(pkg: 'core' | 'checks' | 'cli', stamp: BuildStamp | undefined): boolean {
  if (!stamp) return false;
  let dist: URL = pkg === 'cli' ? here() : new URL(`../../${pkg}/dist/`, here());
  if (!statSync(new URL('build-stamp.json', dist), { throwIfNoEntry: false })) {
    try {
      dist = pathToFileURL(dirname(require.resolve(`@spine-lint/${pkg}`)) + '/');
    } catch {
      return false;
    }
  }
  const file = new URL('.tsbuildinfo', dist);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    try {
      return (JSON.parse(readFileSync(new URL('build-stamp.json', dist), 'utf8')) as { sha1?: unknown }).sha1 === stamp.sha1;
    } catch {
      return false;
    }
  }
  if (stat.size === stamp.size && stat.mtimeMs === stamp.mtimeMs) return true;
  const { createHash } = process.getBuiltinModule('node:crypto');
  return stat.size === stamp.size && createHash('sha1').update(readFileSync(file)).digest('hex') === stamp.sha1;
}

// --- the config, read without a YAML library ---------------------------------------------------

interface SimpleConfig {
  paths: Record<string, string>;
  bindingDirs?: string[];
}

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/**
 * What the fast path needs from `.spine-lint.yaml` (`paths`, `bindingDirs`), or why it cannot
 * judge. The config must be one the full path accepts (so it would not exit 2 instead of 0): every
 * key and value is checked as `parseConfig` does, and anything the small reader below does not
 * understand, or plugins (which add checks with their own reads), send the run to the full path.
 */
function readSimpleConfig(path: string, manifest: FastPathManifest): SimpleConfig | string {
  let text: string;
  try {
    const bytes = readBounded(path, MAX_SIMPLE_FILE_BYTES);
    if (bytes === null || typeof bytes === 'string') return `config ${bytes ?? 'missing'}`;
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return 'unreadable';
  }
  const value = parseSimpleYaml(text);
  if (value === undefined) return 'not simple YAML';
  const raw = value === null ? {} : value;
  if (!isRecord(raw)) return 'not a mapping';
  const config: SimpleConfig = { paths: {} };
  for (const [key, v] of Object.entries(raw)) {
    if (!TOP_KEYS.has(key)) return `unknown key ${key}`;
    switch (key) {
      case 'paths':
        if (!isRecord(v)) return 'paths';
        for (const [name, p] of Object.entries(v)) {
          if (typeof p !== 'string' || p === '') return `paths.${name}`;
          config.paths[name] = p;
        }
        break;
      case 'bindingDirs':
        if (!Array.isArray(v) || v.some((d) => typeof d !== 'string')) return 'bindingDirs';
        config.bindingDirs = v as string[];
        break;
      case 'checks':
        if (!isRecord(v)) return 'checks';
        for (const [name, setting] of Object.entries(v)) {
          if (!manifest.checks.some((c) => c.id === name || c.aliases.some((a) => a.toLowerCase() === name.toLowerCase()))) return `checks.${name}: unknown check`;
          if (typeof setting === 'string') {
            if (!SEVERITIES.has(setting)) return `checks.${name}`;
          } else if (isRecord(setting)) {
            for (const [k, s] of Object.entries(setting)) {
              if (k === 'severity' ? typeof s !== 'string' || !SEVERITIES.has(s) : k !== 'options' || !isRecord(s)) return `checks.${name}.${k}`;
            }
          } else return `checks.${name}`;
        }
        break;
      case 'limits':
        if (!isRecord(v)) return 'limits';
        for (const [k, n] of Object.entries(v)) if ((k !== 'maxFileBytes' && k !== 'maxAliasCount') || typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return `limits.${k}`;
        break;
      case 'plugins':
        if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) return 'plugins';
        if (v.length > 0) return 'plugins add checks';
        break;
      case 'baseline':
        if (typeof v !== 'string') return 'baseline';
        break;
      case 'probes':
        if (!isRecord(v)) return 'probes';
        break;
    }
  }
  return config;
}

const isRecord = (v: unknown): v is Record<string, Plain> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Line {
  indent: number;
  text: string;
  no: number;
}

/**
 * A deliberately small YAML reader: block mappings and sequences of single-line scalars (plain,
 * 'single' or "double" quoted), flow sequences of such scalars, empty `{}`/`[]`, comments. It
 * returns `undefined` for anything else (anchors, tags, multi-line scalars, flow maps, duplicate
 * keys, tabs, several documents, plain scalars YAML would read as something other than a string
 * or a decimal integer…), and the caller then takes the full path, whose real parser decides.
 * `null` is an empty document.
 */
export function parseSimpleYaml(text: string): Plain | undefined {
  if (text.startsWith('\uFEFF')) return undefined;
  const lines: Line[] = [];
  const raw = text.split(/\r?\n/);
  for (const [no, l] of raw.entries()) {
    if (l.includes('\t') || l.includes('\r')) return undefined;
    const body = l.trimEnd();
    if (body.trim() === '' || body.trimStart().startsWith('#')) continue;
    if (lines.length === 0 && body === '---') continue;
    if (/^(---|\.\.\.)(\s|$)/.test(body) || body.startsWith('%')) return undefined;
    lines.push({ indent: body.length - body.trimStart().length, text: body.trimStart(), no });
  }
  if (lines.length === 0) return null;
  if (lines[0]!.indent !== 0) return undefined;
  const state = { i: 0 };
  const value = parseBlock(lines, state, 0);
  if (value === undefined || state.i !== lines.length) return undefined;
  return value;
}

function parseBlock(lines: Line[], state: { i: number }, indent: number): Plain | undefined {
  const first = lines[state.i];
  if (!first || first.indent !== indent) return undefined;
  if (first.text === '-' || first.text.startsWith('- ')) {
    const list: Plain[] = [];
    while (state.i < lines.length && lines[state.i]!.indent === indent && (lines[state.i]!.text === '-' || lines[state.i]!.text.startsWith('- '))) {
      const item = scalarOrFlow(lines[state.i]!.text.slice(1).trim());
      if (item === undefined) return undefined;
      list.push(item);
      state.i++;
    }
    // A deeper line after an item would be a nested block or a continuation: not judged here.
    return state.i < lines.length && lines[state.i]!.indent > indent ? undefined : list;
  }
  const map: Record<string, Plain> = {};
  while (state.i < lines.length && lines[state.i]!.indent === indent) {
    const line = lines[state.i]!;
    const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"#&*!|>%@`{}[\],?:-][^#]*?|-[^\s#][^#]*?)\s*:(?:\s+(.*))?$/.exec(line.text);
    if (!m) return undefined;
    const key = scalar(m[1]!);
    if (typeof key !== 'string' || key === '__proto__' || Object.hasOwn(map, key)) return undefined;
    state.i++;
    const rest = stripComment(m[2] ?? '');
    if (rest === undefined) return undefined;
    if (rest !== '') {
      const v = scalarOrFlow(rest);
      if (v === undefined) return undefined;
      map[key] = v;
      continue;
    }
    const next = lines[state.i];
    if (next && (next.indent > indent || (next.indent === indent && (next.text === '-' || next.text.startsWith('- '))))) {
      const v = parseBlock(lines, state, next.indent);
      if (v === undefined) return undefined;
      if (next.indent === indent && !Array.isArray(v)) return undefined;
      map[key] = v;
    } else map[key] = null;
  }
  if (state.i < lines.length && lines[state.i]!.indent > indent) return undefined;
  return map;
}

/** Remove a trailing comment (` #…`) outside quotes; undefined when quoting is unbalanced. */
function stripComment(text: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i).trimEnd();
  }
  return quote ? undefined : text.trimEnd();
}

function scalarOrFlow(text: string): Plain | undefined {
  const t = stripComment(text);
  if (t === undefined || t === '') return t === '' ? null : undefined;
  if (t === '{}') return {};
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) return undefined;
    const inner = t.slice(1, -1).trim();
    if (inner === '') return [];
    const items = inner.split(',').map((s) => s.trim());
    if (items.some((s) => s === '' || /["'[\]{}]/.test(s.slice(1, -1)) || s.includes(': '))) return undefined;
    const out: Plain[] = [];
    for (const s of items) {
      const v = scalar(s);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  return scalar(t);
}

/** A single scalar: quoted string, decimal integer, or a plain string that YAML reads as a string. */
function scalar(t: string): Plain | undefined {
  if (t.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\["\\/])*"$/.test(t)) return undefined;
    return t.slice(1, -1).replace(/\\(["\\/])/g, '$1');
  }
  if (t.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(t)) return undefined;
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[-+]?[0-9]+$/.test(t)) return /^[-+]?0[0-9]/.test(t) ? undefined : Number(t);
  if (/^(null|Null|NULL|~)$/.test(t)) return null;
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  // Other numbers (floats, hex, octal, .inf), indicators and flow characters: not judged here.
  if (/^[-+]?(\.[0-9]|[0-9])/.test(t) || /^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(t)) return undefined;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(t) && !/^[-?:][^\s]/.test(t)) return undefined;
  if (/^[?:]/.test(t) || /:(\s|$)/.test(t) || /\s#/.test(t) || /[[\]{},]/.test(t)) return undefined;
  return t;
}
