import { execFileSync } from 'node:child_process';
import { closeSync, constants as fsConstants, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Decide from '@spine-lint/core/decide';

/** This module's URL (CommonJS: the fast path runs before node's ES module loader is needed). */
const here = (): URL => pathToFileURL(__filename);

/**
 * The pre-commit fast path: `spine-lint check --staged` (or `check FILE…`) when nothing relevant
 * changed costs about an empty `node` start. It runs in `bin.cts` before anything else is imported
 * and loads only node built-ins and the core's dependency-free `decide` module
 * (`@spine-lint/core/decide`, CommonJS: the decisions themselves, shared with the engine and the
 * full path): one `git diff --cached` and the build-time manifest (`dist/generated/fast-path.json`,
 * written by `scripts/build-validators.mjs`: layout, each check's names, reads and listing
 * bindings, reporter names). It answers `0` ("nothing relevant changed: exit 0 silently", exactly
 * what the full path answers) or `undefined` ("run the full path"), and answers `undefined`
 * whenever it is not sure: an option it does not know, an unusual config, a stale or missing
 * manifest, a git error, a machine format (`--format json`…: its empty report is the full path's to
 * write; `-f`/`-o`/`--output` are left to it too). The full path then decides (and reports any
 * error) as before.
 *
 * The decision is the full path's (`checkCommand` with `changedScope`/`mayMatter`/`scopeOf`, which
 * ask the same `decide` functions): nothing changed that could be a binding or the config, and no
 * check reads files its bindings list (`readsListedIn`); or no changed file is the config and the
 * scope (`scopeCauses`) is empty: no YAML file in a binding directory, no file some check reads
 * (through the layout and the config's `paths:`; a glob read such as `docs/governance/*.md`
 * matching a changed file counts), none possibly listed in a `readsListedIn` binding. "Possibly
 * listed" over-approximates the full path's rule (any string value of the binding, see the core's
 * `listedPaths`) by a plain substring search of the changed file's name (its last path segment) in
 * the binding's raw text, as the head has it: the index for `--staged`, else the working tree.
 * Those few files are read only when such a changed file is left to judge; a hit sends the run to
 * the full path, which decides.
 */

export interface FastPathManifest {
  /** 2 since the checks carry their reads (a manifest of another version is not used). */
  version: 2;
  /** Build stamps of the packages (`cli` since the run cache; older manifests lack it). */
  stamps: { core: BuildStamp; checks: BuildStamp; cli?: BuildStamp };
  defaultPaths: Record<string, string>;
  bindingDirs: string[];
  /**
   * Every check (the core's and the catalog's) as the scope sees it: names, the paths, binding names
   * or globs it reads, and the bindings (layout names) whose contents name further files it reads.
   */
  checks: { id: string; aliases: string[]; reads: string[]; readsListedIn: string[] }[];
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

const full = (reason: string): FastPathResult => ({ code: undefined, reason });

/** Thrown where a decision needs what the fast path cannot read: the full path decides. */
class FullPath extends Error {}

let decideModule: typeof Decide | undefined;

/**
 * The core's `decide` module (`@spine-lint/core/decide`), loaded at its first use (`--version`
 * never loads it). It is found as node finds `@spine-lint/core` from here, in the `node_modules`
 * directories up from this file, but without node's package-exports resolver, whose first use alone
 * costs ~5 ms: the file is the one the core's `./decide` export names.
 */
function coreDecide(): typeof Decide {
  if (decideModule) return decideModule;
  for (const dir of require.resolve.paths('@spine-lint/core') ?? []) {
    const pkg = join(dir, '@spine-lint/core');
    if (existsSync(join(pkg, 'package.json'))) return (decideModule = require(join(pkg, 'dist/decide.cjs')) as typeof Decide);
  }
  return (decideModule = require('@spine-lint/core/decide') as typeof Decide);
}

/** Decide, for `argv` as given to `main`, whether the run is a no-op. Never throws. */
export function fastPath(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, manifestUrl = new URL('./generated/fast-path.json', here())): FastPathResult {
  try {
    return decide(argv, cwd, env, manifestUrl);
  } catch (error) {
    if (error instanceof FullPath) return full(error.message);
    return full(`unexpected: ${(error as Error).message}`);
  }
}

function decide(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, manifestUrl: URL): FastPathResult {
  if (env.SPINE_LINT_NO_FAST_PATH) return full('disabled by SPINE_LINT_NO_FAST_PATH');
  const args = parseCheckArgs(argv);
  if (typeof args === 'string') return full(args);
  const answer = decideFor(args, cwd, env, manifestUrl);
  // A machine format (json, sarif, junit, gitlab, github) writes its document, an empty report, even
  // when nothing relevant changed: the full path writes it. The hook's default (stylish) stays here.
  if (answer.code === 0 && args.format !== undefined && args.format !== 'stylish') return full(`nothing relevant changed, but --format ${args.format} writes its (empty) report`);
  return answer;
}

function decideFor(args: CheckArgs, cwd: string, env: NodeJS.ProcessEnv, manifestUrl: URL): FastPathResult {
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
      st = statSync(resolve(cwd, f), { bigint: true });
    } catch {
      if (args.staged) continue;
      return full(`${f} does not exist`);
    }
    if (st.isDirectory()) return full(`${f} is a directory`);
  }
  const d = coreDecide();
  const changed = new Set(args.files.map((f) => d.toRootPath(root, cwd, f)));
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
  // The full path's `mayMatter`: any file may matter once some check reads files its bindings list.
  const listsFiles = d.readsListedFiles(manifest.checks);
  const none = paths.some(d.mayBeBinding) ? 'none read by a check' : 'none could be a binding or the config';
  if (!paths.some((p) => d.mayMatter(p, listsFiles))) return { code: 0, reason: `${paths.length} changed file(s), ${none}` };

  const inRoot = resolve(root, d.CONFIG_FILE);
  const configPath = args.config !== undefined ? resolve(cwd, args.config) : existsSync(inRoot) ? inRoot : undefined;
  let config: Decide.SimpleConfig = { paths: {} };
  if (configPath !== undefined) {
    const loaded = readSimpleConfig(configPath, manifest.checks, d);
    if (typeof loaded === 'string') return full(`config: ${loaded}`);
    config = loaded;
  }
  if (paths.some((p) => d.isConfigFileName(p) || (configPath !== undefined && resolve(root, p) === configPath))) return full('the config file changed');

  const layout: Record<string, string> = { ...manifest.defaultPaths, ...config.paths };
  // The listing bindings' texts, read (all at once) when the scope first asks about one.
  const listings = [
    ...new Set(
      manifest.checks
        .flatMap((c) => c.readsListedIn)
        .sort()
        .map((name) => d.layoutPath(layout, name)),
    ),
  ];
  let texts: Map<string, Buffer | undefined> | undefined;
  const lists = (_name: string, path: string, file: string): boolean => {
    if (texts === undefined) {
      const read = listingTexts(root, listings, args.staged, env);
      if (typeof read === 'string') throw new FullPath(read);
      texts = new Map(listings.map((p, i) => [p, read[i]]));
    }
    return texts.get(path)?.includes(Buffer.from(file.slice(file.lastIndexOf('/') + 1), 'utf8')) ?? false;
  };
  const first = d.scopeCauses({ checks: manifest.checks, changed: paths, layout, bindingDirs: config.bindingDirs ?? manifest.bindingDirs, lists }).next();
  if (!first.done) {
    const cause = first.value;
    if (cause.kind === 'binding-dir') return full(`${cause.file} is in a binding directory`);
    if (cause.kind === 'reads') return full(`${cause.file} is read by a check (${cause.read})`);
    return full(`${cause.file} may be listed in ${cause.path} (a check reads the files it lists)`);
  }
  return { code: 0, reason: `${paths.length} changed file(s), ${none}${listings.length > 0 ? `, none listed in ${listings.join(', ')}` : ''}` };
}

/** Larger configs and listing bindings are left to the full path (which applies its own limits). */
const MAX_SIMPLE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * A regular file's bytes, read from one descriptor judged by `fstat` (never a FIFO, a device such
 * as /dev/zero, or more than `max` bytes: the full path then decides), `null` when it does not
 * exist, or why it is refused. Opened without blocking, so a FIFO cannot hang the hook.
 */
function readBounded(path: string, max: number): Buffer | null | string {
  // A first look without opening: a FIFO or a device is refused before open() touches it. Stats
  // are BigInt ones here: node 20 keeps plain stats in one shared buffer that its ES module loader
  // reads too, and a FIFO's stats left there made the engine's later import of the CommonJS
  // `@spine-lint/core/decide` (already required here) come back empty.
  try {
    if (!statSync(path, { bigint: true }).isFile()) return 'not a regular file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : `unreadable (${code ?? 'error'})`;
  }
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : `unreadable (${code ?? 'error'})`;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) return 'not a regular file';
    const size = Number(st.size);
    if (size > max) return 'too large';
    const buffer = Buffer.alloc(size + 1);
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
 * The `check` invocations the fast path handles: `[check] [--staged] [--root D] [-c|--config F]
 * [-f|--format F] [--quiet] [--color|--no-color] [--cache] [--cache-location P] [--all-findings]
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
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    // ESLint's short names (`-f json`, `-c FILE`) are the long options; `-o` is left to the full path.
    const name = arg === '-f' ? '--format' : arg === '-c' ? '--config' : eq > 0 ? arg.slice(0, eq) : arg;
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

/** The manifest, if it exists and was built from the packages installed now (else the reason). */
export function loadManifest(url: URL = new URL('./generated/fast-path.json', here())): FastPathManifest | string {
  let manifest: FastPathManifest;
  try {
    manifest = JSON.parse(readFileSync(url, 'utf8')) as FastPathManifest;
  } catch {
    return 'no fast-path manifest (run npm run build)';
  }
  if (manifest.version !== 2) return 'manifest version';
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

/**
 * What the fast path needs from `.spine-lint.yaml` (`paths`, `bindingDirs`), or why it cannot
 * judge: the config's bytes (bounded, a regular file), read by the core's small YAML reader and
 * checked as `parseConfig` checks it (`simpleConfigOf`), so that the full path would not exit 2
 * instead of 0. Anything the reader does not understand, or plugins, send the run to the full path.
 */
function readSimpleConfig(path: string, checks: FastPathManifest['checks'], d: typeof Decide): Decide.SimpleConfig | string {
  let text: string;
  try {
    const bytes = readBounded(path, MAX_SIMPLE_FILE_BYTES);
    if (bytes === null || typeof bytes === 'string') return `config ${bytes ?? 'missing'}`;
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return 'unreadable';
  }
  const value = d.parseSimpleYaml(text);
  if (value === undefined) return 'not simple YAML';
  return d.simpleConfigOf(value, checks);
}
