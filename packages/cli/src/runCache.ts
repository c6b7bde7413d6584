import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheFileFor, cacheRefusal, CONFIG_FILE, holdsAt, isCacheFileName, RUN_CACHE_VERSION, runCacheKey, schemasDir } from '@spine-lint/core/decide';
import { DirectorySource, firstChangedInput, type InputRecord } from '@spine-lint/core/recording-source';
import { readRegularFile, writeFileAtomic } from '@spine-lint/core/safe-fs';
import { loadManifest, sameBuild } from './fastPath.cjs';
import { checkOptions, useColor } from './optionTables.js';

/**
 * `spine-lint check --cache`: replay the report of an earlier run whose every input is unchanged.
 *
 * A static run is a pure function of (a) the tool build, (b) its arguments, working directory and
 * colour decision, (c) the config file, (d) the answers its workspace got from the spine root (each
 * file read, each directory listed: `RecordingSource`) and (e) the clock, through the questions the
 * checks asked it (`RunClock`). The cache stores (a)–(c) as a key, (d) as digests and (e) as a
 * validity window; a later run with the same key replays the stored output and exit code only if
 * every recorded question gets the same answer again and now is inside the window. Anything else is
 * a miss, and a miss is simply a full run. Runs that read other inputs (git revisions, a baseline,
 * plugins) are never stored. Those decisions (which runs, the key, the file's place, the lifetime)
 * are the core's (`@spine-lint/core/decide`); this module reads and writes the cache file.
 *
 * This module is imported by `bin.cts` before the CLI: node built-ins, the option tables and the
 * core's dependency-free modules (decide, recording source, safe-fs) only.
 */

export { RUN_CACHE_VERSION };
const MAX_ENTRIES = 16;

/** One stored run. */
export interface RunCacheEntry {
  key: string;
  /** The spine root the inputs were read from. */
  root: string;
  /** The run's instant (epoch ms) and the instant from which its clock answers may change (`null`: never). */
  validFrom: number;
  validUntil: number | null;
  inputs: InputRecord[];
  /** What the run wrote: to stdout, or to the `--output` file. */
  text: string;
  exitCode: number;
  /** When it was stored (for eviction). */
  storedAt: number;
}

interface RunCacheFile {
  /** Marks the file as spine-lint's: no other file is ever overwritten (see `mayOverwrite`). */
  format?: typeof CACHE_FORMAT;
  version: number;
  entries: RunCacheEntry[];
  /** Digests of YAML texts the fast parser accepted, under the tool build that judged them. */
  wellFormed?: { tool: string; digests: string[] };
}

const CACHE_FORMAT = 'spine-lint-cache';

/**
 * Whether the cache may be written at `file`: nothing is there, or what is there is a spine-lint
 * cache (marked, or named as spine-lint names it: a damaged cache of ours is replaced). Any other
 * file is left alone, so `--cache-location` pointed at a binding or a report by mistake costs the
 * store, not the file.
 */
function mayOverwrite(file: string): boolean {
  const read = readCacheBytes(file);
  if (read.status === 'missing') return true;
  // A link, a FIFO, a device, a directory: never written over (writeFileAtomic refuses them too).
  if (read.status === 'refused' && read.code !== 'too-large') return false;
  if (isCacheFileName(basename(file))) return true;
  if (read.status !== 'ok') return false;
  try {
    return (JSON.parse(read.bytes.toString('utf8')) as RunCacheFile | null)?.format === CACHE_FORMAT;
  } catch {
    return false;
  }
}

/** The size bound of a cache file (16 runs' output and the well-formed digests). */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * The cache file's bytes: a regular file within the bound, opened without following a link (a cache
 * that is a link, a FIFO or `/dev/zero` is not used), read from the one descriptor it was judged by.
 */
const readCacheBytes = (file: string) => readRegularFile(file, MAX_CACHE_BYTES, { followSymlinks: false });

/** Well-formed digests kept per cache file (the newest win). */
const MAX_WELL_FORMED = 50_000;

/** Where a run's cache lives, and the identity of the tool build that may use it. */
export interface CacheSite {
  file: string;
  root: string;
  /** Tool build identity: stored runs and well-formed digests of another build are not used. */
  tool: string;
}

/** A run the cache may answer or store: its key, and where the cache file is. */
export interface RunCacheRequest extends CacheSite {
  key: string;
  /** `--output FILE`, resolved. */
  outputFile?: string;
  /** `--now` given: the clock is part of the key. */
  fixedClock: boolean;
}

/** Why a run cannot be replayed or stored; `site` when the cache is still usable for well-formed digests. */
export type CacheRefusal = { reason: string; site?: CacheSite };

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function digestOfFile(path: string): string {
  // Bounded, regular files only: the config may be a FIFO or a link to /dev/zero (the run then
  // refuses it with exit 2; its digest here must not hang or exhaust memory first).
  const read = readRegularFile(path, MAX_CACHE_BYTES);
  return read.status === 'ok' ? sha256(read.bytes) : read.status === 'missing' ? 'missing' : `refused:${read.code}`;
}

/** The arguments of `check` in a full argument list (`check …`, or options alone: check is the default). */
export function checkArgsOf(argv: readonly string[]): string[] | undefined {
  const [first] = argv;
  if (first === 'check') return argv.slice(1);
  if (first === undefined || (first.startsWith('-') && !['-v', '--version', '-h', '--help'].includes(first))) return [...argv];
  return undefined;
}

/** Everything about the installed tool that can change a verdict: its build, its schemas, its parsers' versions. */
function toolIdentity(): string | CacheRefusal {
  const manifest = loadManifest();
  if (typeof manifest === 'string') return { reason: manifest };
  if (!sameBuild('cli', manifest.stamps.cli)) return { reason: 'the CLI was rebuilt after its manifest (run npm run build)' };
  const coreEntry = fileURLToPath(import.meta.resolve('@spine-lint/core'));
  const fromCore = createRequire(coreEntry);
  const versions = ['js-yaml', 'yaml', 'ajv'].map((name) => {
    try {
      return `${name}@${(JSON.parse(readFileSync(fromCore.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version}`;
    } catch {
      return `${name}@?`;
    }
  });
  // The binding schemas are read at run time from the checks package's schemas/ directory (see @spine-lint/checks schemaMap).
  const schemaDir = [schemasDir(fileURLToPath(import.meta.resolve('@spine-lint/checks')))].find(isDirectory);
  const schemas = schemaDir
    ? readdirSync(schemaDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => `${f}:${digestOfFile(join(schemaDir, f))}`)
    : [];
  const validators = digestOfFile(resolve(dirname(coreEntry), 'generated/validators/index.json'));
  return JSON.stringify({ stamps: [manifest.stamps.core.sha1, manifest.stamps.checks.sha1, manifest.stamps.cli!.sha1], versions, schemas, validators, node: process.version });
}

/**
 * The cache request of a `check` argument list, or why this run cannot use the cache. Both the
 * replay (`bin.cts`) and the store (`checkCommand`) call this, so they agree on the key.
 */
export function runCacheRequest(checkArgs: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>>, stdoutIsTTY: boolean): RunCacheRequest | CacheRefusal {
  try {
    return cacheRequestOf(checkArgs, cwd, env, stdoutIsTTY);
  } catch (error) {
    return { reason: `cache unusable: ${(error as Error).message}` };
  }
}

function cacheRequestOf(checkArgs: readonly string[], cwd: string, env: Readonly<Record<string, string | undefined>>, stdoutIsTTY: boolean): RunCacheRequest | CacheRefusal {
  let parsed;
  try {
    parsed = parseArgs({ args: [...checkArgs], options: checkOptions, strict: true, allowPositionals: true });
  } catch (error) {
    return { reason: `arguments: ${(error as Error).message}` };
  }
  const { values, positionals } = parsed;
  if (!values.cache) return { reason: 'no --cache' };
  if (values.help) return { reason: '--help' };
  const tool = toolIdentity();
  if (typeof tool !== 'string') return tool;
  const root = resolve(cwd, values.root ?? '.');
  const file = cacheFileFor({ root, cwd, location: values['cache-location'], cacheHome: env.XDG_CACHE_HOME || join(homedir(), '.cache'), isDirectory });
  const site: CacheSite = { file, root, tool };
  const refused = cacheRefusal(values, positionals, env);
  if (refused) return { reason: refused, site };
  const configPath = values.config ? resolve(cwd, values.config) : resolve(root, CONFIG_FILE);
  const config = { path: configPath, digest: digestOfFile(configPath) };
  const key = runCacheKey({ tool, cwd, root, values, color: useColor(values, stdoutIsTTY, env), config });
  // One report at most (cacheRefusal): to its --output/--output-file, or to stdout.
  const output = [...(values.output ?? []), ...(values['output-file'] ?? [])][0];
  return { ...site, key, outputFile: output !== undefined ? resolve(cwd, output) : undefined, fixedClock: values.now !== undefined };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readCacheFile(file: string): RunCacheFile {
  try {
    const read = readCacheBytes(file);
    if (read.status !== 'ok') return { version: RUN_CACHE_VERSION, entries: [] };
    const parsed = JSON.parse(read.bytes.toString('utf8')) as RunCacheFile;
    if (parsed && parsed.format === CACHE_FORMAT && parsed.version === RUN_CACHE_VERSION)
      return { version: RUN_CACHE_VERSION, entries: Array.isArray(parsed.entries) ? parsed.entries : [], wellFormed: parsed.wellFormed };
  } catch {
    // missing or unreadable: an empty cache
  }
  return { version: RUN_CACHE_VERSION, entries: [] };
}

/** The well-formed YAML digests stored for this tool build (empty for another build or no cache). */
export function loadWellFormed(site: CacheSite): Set<string> {
  const stored = readCacheFile(site.file).wellFormed;
  return new Set(stored && stored.tool === site.tool && Array.isArray(stored.digests) ? stored.digests.filter((d) => typeof d === 'string') : []);
}

const isEntry = (e: Partial<RunCacheEntry> | undefined): e is RunCacheEntry =>
  !!e && typeof e.key === 'string' && typeof e.root === 'string' && typeof e.text === 'string' && Number.isInteger(e.exitCode) && Array.isArray(e.inputs) && typeof e.validFrom === 'number';

/** The stored run that answers `request` now, or why there is none. Never throws. */
export function lookupRun(request: RunCacheRequest, now = Date.now()): RunCacheEntry | CacheRefusal {
  try {
    const entry = readCacheFile(request.file).entries.find((e) => e?.key === request.key);
    if (!isEntry(entry)) return { reason: 'no stored run with this key' };
    if (entry.root !== request.root || (entry.exitCode !== 0 && entry.exitCode !== 1)) return { reason: 'entry does not match' };
    if (!holdsAt(entry, now, request.fixedClock)) return { reason: 'the clock has moved past what the stored verdict depends on' };
    const changed = firstChangedInput(new DirectorySource(entry.root), entry.inputs);
    if (changed) return { reason: `changed: ${changed.op === 'read' ? changed.path : changed.dir + '/'}` };
    return entry;
  } catch (error) {
    return { reason: `unreadable cache: ${(error as Error).message}` };
  }
}

/**
 * Store a run and/or the well-formed digests (atomically: a temporary file renamed over the cache
 * file; what else the file holds is kept). Failure to store is not an error: the reason is returned.
 */
export function storeInCache(
  site: CacheSite,
  update: { run?: { request: RunCacheRequest; entry: Omit<RunCacheEntry, 'key' | 'storedAt' | 'root'> }; wellFormed?: ReadonlySet<string> },
): string | undefined {
  try {
    if (!mayOverwrite(site.file)) return `${site.file} exists and is not a spine-lint cache file: left as it is`;
    const data = readCacheFile(site.file);
    let entries = data.entries;
    if (update.run) {
      const { request, entry } = update.run;
      entries = entries.filter((e) => e?.key !== request.key);
      entries.unshift({ ...entry, key: request.key, root: request.root, storedAt: Date.now() });
      entries.sort((a, b) => (b?.storedAt ?? 0) - (a?.storedAt ?? 0));
    }
    const wellFormed = update.wellFormed ? { tool: site.tool, digests: [...update.wellFormed].slice(-MAX_WELL_FORMED) } : data.wellFormed;
    // An exclusive temporary file with an unpredictable name, renamed over the cache file; the cache
    // directory is created private (0700), the file 0600.
    writeFileAtomic(
      site.file,
      JSON.stringify({ format: CACHE_FORMAT, version: RUN_CACHE_VERSION, entries: entries.slice(0, MAX_ENTRIES), ...(wellFormed ? { wellFormed } : {}) } satisfies RunCacheFile),
      { what: 'cache', mkdirParents: { mode: 0o700 }, mode: 0o600 },
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The replay, for `bin.cts`: when this argument list asks for `--cache` and a stored run answers it,
 * write its output (stdout or `--output`) and return its exit code; else `undefined` (run normally).
 */
export function replayRun(
  argv: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  stdoutIsTTY: boolean,
  write: (text: string) => void,
): { code: number; reason: string } | { code: undefined; reason: string } {
  try {
    return replay(argv, cwd, env, stdoutIsTTY, write);
  } catch (error) {
    return { code: undefined, reason: `cache unusable: ${(error as Error).message}` };
  }
}

function replay(
  argv: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  stdoutIsTTY: boolean,
  write: (text: string) => void,
): { code: number; reason: string } | { code: undefined; reason: string } {
  const checkArgs = checkArgsOf(argv);
  if (!checkArgs) return { code: undefined, reason: 'not a check run' };
  const request = runCacheRequest(checkArgs, cwd, env, stdoutIsTTY);
  if ('reason' in request) return { code: undefined, reason: request.reason };
  const entry = lookupRun(request);
  if ('reason' in entry) return { code: undefined, reason: entry.reason };
  if (request.outputFile) {
    try {
      writeFileAtomic(request.outputFile, entry.text, { devices: true });
    } catch (error) {
      // The full run then reports it (exit 2, "cannot write …").
      return { code: undefined, reason: `cannot write --output: ${(error as Error).message}` };
    }
  } else write(entry.text);
  return { code: entry.exitCode, reason: `replayed the run stored at ${new Date(entry.storedAt).toISOString()}` };
}
