import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  checkMatches,
  CORE_CHECKS,
  didYouMean,
  DirectorySource,
  emptyConfig,
  escapeTerminal,
  loadConfigFile,
  severitiesOf,
  UsageError,
  validateCheckOptions,
  Workspace,
  type Check,
  type FileSource,
  type WellFormedYaml,
  type CheckMeta,
  type Severity,
  type SpineLintConfig,
} from '@spine-lint/core';
import { catalog, defaultBindingDirs, defaultPaths, recordIdFields } from '@spine-lint/checks';
import type { CliIo } from './io.js';
import { assertPluginUnchanged, pluginDir, trustedConfig, type HeadSide, type TrustedConfig } from './trustedConfig.js';

/** Everything a command needs: resolved root, validated config, the checks, and a workspace. */
export interface Setup {
  root: string;
  /** Root relative to cwd with a trailing slash, for printing paths ('' when root is cwd). */
  rootPrefix: string;
  config: SpineLintConfig;
  checks: Check[];
  severities: Record<string, Severity>;
  checkOptions: Record<string, Record<string, unknown>>;
  paths: Record<string, string>;
  /** Set when no binding of the layout exists under the root: a one-line hint for stderr. */
  notASpine?: string;
  bindingDirs: string[];
  workspace: Workspace;
  /** Known well-formed YAML digests, shared by every workspace of the run (`--cache`). */
  wellFormedYaml?: WellFormedYaml;
  /** `check --base`: the configuration came from the base revision (see trustedConfig.ts). */
  trusted?: TrustedConfig;
}

export const CONFIG_FILE = '.spine-lint.yaml';

/**
 * A usage error quoting what the user wrote (a root path, a config key, a plugin name, the loader's
 * message about it): control, bidi and zero-width characters shown escaped, never interpreted.
 */
const usageError = (message: string): UsageError => new UsageError(escapeTerminal(message));
const pointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
/** `file:line:col` of a config pointer when the config was parsed with positions, else the file. */
function where(config: SpineLintConfig, pointer: string, atKey = false): string {
  const source = config.source ?? CONFIG_FILE;
  const at = config.locate?.(pointer, atKey);
  return at ? `${source}:${at.line}:${at.column}` : source;
}

export interface SetupArgs {
  root?: string;
  config?: string;
  /** Wrap the root's file source (the run cache records what the run reads). */
  wrapSource?: (source: FileSource) => FileSource;
  /** Digests of YAML texts known to be well-formed (`--cache`), for every workspace of the run. */
  wellFormedYaml?: WellFormedYaml;
  /**
   * `check --base REV`: take the configuration (and the plugins it names) from REV, not from the
   * tree under review; `side` says where the pull request's own copy is, to report changes to it.
   */
  trustBase?: { base: string; side: HeadSide };
  /** `--plugin MODULE`: plugins named on the command line (resolved against the working directory). */
  plugins?: readonly string[];
}

/** Resolve root and config, load plugins, validate check names. Throws `UsageError` for user errors. */
export async function setup(args: SetupArgs, io: CliIo): Promise<Setup> {
  const root = resolve(io.cwd, args.root ?? '.');
  if (!existsSync(root)) throw usageError(`root directory not found: ${args.root ?? root}`);
  if (!statSync(root).isDirectory())
    throw usageError(`--root ${args.root ?? root} is a file, not a directory: --root names the spine repository's top directory (file arguments come after the options)`);
  let config = emptyConfig();
  let configPath: string | undefined;
  const trusted = args.trustBase ? trustedConfig(root, args.trustBase.base, args.config ? resolve(io.cwd, args.config) : undefined, args.trustBase.side, CONFIG_FILE) : undefined;
  if (trusted) {
    config = trusted.config;
    configPath = trusted.configPath;
  } else if (args.config) {
    configPath = resolve(io.cwd, args.config);
    config = loadConfigFile(configPath);
  } else if (existsSync(resolve(root, CONFIG_FILE))) {
    // Found in the repository, not named by the user: like a binding, it must resolve inside the root.
    configPath = resolve(root, CONFIG_FILE);
    config = loadConfigFile(configPath, { insideRoot: root });
  }
  const checks: Check[] = [...catalog];
  for (const spec of config.plugins) {
    const baseDir = trusted ? pluginDir(trusted, root) : configPath ? resolve(configPath, '..') : root;
    if (trusted && (isFilePlugin(spec) || spec.startsWith('file:'))) assertPluginUnchanged(root, trusted, spec, spec.startsWith('file:') ? fileURLToPath(spec) : resolve(baseDir, spec));
    checks.push(...(await loadPlugin(spec, baseDir)));
  }
  for (const spec of args.plugins ?? []) checks.push(...(await loadPlugin(isFilePlugin(spec) ? resolve(io.cwd, spec) : spec, io.cwd)));
  const ids = new Set<string>();
  for (const c of checks) {
    if (ids.has(c.id)) throw usageError(`two checks share the id '${c.id}' (a plugin redefines a catalog check?)`);
    ids.add(c.id);
  }
  const all: CheckMeta[] = [...CORE_CHECKS, ...checks];
  for (const name of Object.keys(config.checks)) {
    if (!all.some((c) => checkMatches(c, name))) {
      const near = didYouMean(
        name,
        all.flatMap((c) => [c.id, ...(c.aliases ?? [])]),
      );
      throw usageError(`${where(config, `/checks/${pointerToken(name)}`, true)}: checks.${name}: no check has this id or alias${near ? ` (did you mean '${near}'?)` : ''} (see 'spine-lint list')`);
    }
  }
  // A `paths:` name no check reads would be silently ignored (and the binding it meant looked for at its default path).
  const bindingNames = new Set([...Object.keys(defaultPaths), ...all.flatMap((c) => c.reads.filter((r) => !r.includes('/') && !r.includes('*')))]);
  for (const name of Object.keys(config.paths)) {
    if (bindingNames.has(name)) continue;
    const near = didYouMean(name, bindingNames);
    throw usageError(
      `${where(config, `/paths/${pointerToken(name)}`, true)}: paths.${name}: no binding has this name${near ? ` (did you mean '${near}'?)` : ''}; the names are those of 'spine-lint list --bindings': ${[...bindingNames].sort().join(', ')}`,
    );
  }
  // Every check is known now (plugins included): options are validated against each one's optionsSchema.
  validateCheckOptions(config, all);
  const paths: Record<string, string> = { ...defaultPaths, ...config.paths };
  const checkOptions: Record<string, Record<string, unknown>> = {};
  for (const [name, entry] of Object.entries(config.checks)) {
    const check = all.find((c) => checkMatches(c, name));
    if (check && entry.options) checkOptions[check.id] = entry.options;
  }
  const rel = relative(io.cwd, root);
  // Not one binding of the layout here: every check would report a missing file in its own words.
  const notASpine = Object.values(paths).every((p) => p.includes('*') || !existsSync(resolve(root, p)))
    ? `no spine bindings under ${args.root ?? (rel || '.')} (none of ${paths['SERVICE_REGISTRY'] ?? 'docs/governance/SERVICE_REGISTRY.yaml'}, ${paths['ssh.targets'] ?? 'ops/bindings/ssh.targets.yaml'}, … exists): is --root the spine repository's top directory, or do its bindings live elsewhere (paths: in .spine-lint.yaml)?`
    : undefined;
  const directory = new DirectorySource(root);
  const workspace = new Workspace(args.wrapSource ? args.wrapSource(directory) : directory, {
    paths,
    recordIdFields,
    maxFileBytes: config.limits.maxFileBytes,
    maxAliasCount: config.limits.maxAliasCount,
    wellFormedYaml: args.wellFormedYaml,
  });
  return {
    root,
    rootPrefix: rel === '' ? '' : rel.split('\\').join('/') + '/',
    config,
    checks,
    severities: severitiesOf(config),
    checkOptions,
    paths,
    bindingDirs: config.bindingDirs ?? [...defaultBindingDirs],
    workspace,
    wellFormedYaml: args.wellFormedYaml,
    trusted,
    notASpine,
  };
}

/** A plugin named by a path (relative or absolute), not a package name or URL. */
const isFilePlugin = (spec: string): boolean => spec.startsWith('.') || isAbsolute(spec);

async function loadPlugin(spec: string, baseDir: string): Promise<Check[]> {
  const target = spec.startsWith('.') || isAbsolute(spec) ? pathToFileURL(resolve(baseDir, spec)).href : spec;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw usageError(`cannot load plugin '${spec}': ${(error as Error)?.message ?? String(error)}`);
  }
  const exported = mod.checks ?? mod.default;
  const list = Array.isArray(exported) ? exported : exported ? [exported] : [];
  if (list.length === 0) throw usageError(`plugin '${spec}' exports no checks (export 'checks' as an array, or a default check)`);
  for (const c of list as Check[]) {
    if (!c || typeof c !== 'object' || typeof c.id !== 'string' || !['static', 'live', 'transition'].includes(c.kind)) {
      throw usageError(`plugin '${spec}' exports something that is not a check made with defineCheck()`);
    }
  }
  return list as Check[];
}
