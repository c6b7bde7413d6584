import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  configChangeCheck,
  decodeUtf8,
  emptyConfig,
  formatMessage,
  GitSource,
  MAX_BASELINE_BYTES,
  MAX_CONFIG_BYTES,
  normalisePath,
  parseBaseline,
  parseConfig,
  readRegularFile,
  UsageError,
  type Baseline,
  type Finding,
  type FindingProducer,
  type SpineLintConfig,
} from '@spine-lint/core';

/**
 * The pull-request gate's trust model (`check --base REV`): the configuration that decides what the
 * gate checks (checks, severities, options, paths, plugins, probes, the baseline) is the base
 * revision's, never the pull request's own. A pull request that changes it gets a `config-change`
 * finding (the change takes effect once merged), and a plugin file in the repository that differs
 * from the base's is not run at all (exit 2). A config or baseline outside the root, named on the
 * command line, is the user's own and used as it is.
 */
export interface GateConfigChange {
  /** Root-relative path of the changed file. */
  file: string;
  messageId: 'changed' | 'added' | 'removed' | 'baseline-changed';
  /** First line that differs (1 when the file was added or removed). */
  line: number;
}

/** Which tree the pull request's side is: the working tree, a revision (`--head`) or the index (`--staged`). */
export interface HeadSide {
  head?: string;
  staged?: boolean;
}

export interface TrustedConfig {
  /** The base revision as the user named it (for messages). */
  base: string;
  baseSource: GitSource;
  /** The base's configuration (empty when the base has none). */
  config: SpineLintConfig;
  /** The configuration's path in the working tree (plugins resolve against its directory); undefined when the base has none. */
  configPath: string | undefined;
  changes: GateConfigChange[];
}

/** `abs` as a root-relative path when it is inside the root, else undefined. */
export function insideRoot(root: string, abs: string): string | undefined {
  const rel = relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel)) return undefined;
  return normalisePath(rel.split('\\').join('/'));
}

/** The first 1-based line at which two texts differ. */
export function firstDifferingLine(a: Uint8Array, b: Uint8Array): number {
  let line = 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return line;
    if (a[i] === 0x0a) line++;
  }
  return line;
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean => a === b || (a !== undefined && b !== undefined && Buffer.compare(a, b) === 0);

/** A file of the base revision (undefined: it has none); a refusal (too large, not a file) is a usage error. */
function readAtBase(source: GitSource, base: string, rel: string, maxBytes: number, what: string): Uint8Array | undefined {
  const read = source.read(rel, maxBytes);
  if (read.status === 'missing') return undefined;
  if (read.status === 'refused') throw new UsageError(`cannot read the ${what} ${rel} at ${base}: ${read.reason}`);
  return read.bytes;
}

/** A file as the pull request has it: the working tree (inside the root), `--head REV` or the index. */
function readAtHead(root: string, rel: string, side: HeadSide, maxBytes: number, what: string): Uint8Array | undefined {
  if (side.head !== undefined || side.staged) {
    const source = side.staged ? GitSource.index(root) : GitSource.atRevision(root, side.head!);
    const read = source.read(rel, maxBytes);
    if (read.status === 'missing') return undefined;
    if (read.status === 'refused') throw new UsageError(`cannot read the ${what} ${rel} at ${side.staged ? 'the index' : side.head}: ${read.reason}`);
    return read.bytes;
  }
  return readWorkingTree(root, rel, maxBytes, what);
}

function readWorkingTree(root: string, rel: string, maxBytes: number, what: string): Uint8Array | undefined {
  const read = readRegularFile(resolve(root, rel), maxBytes, { insideRoot: root });
  if (read.status === 'missing') return undefined;
  if (read.status === 'refused') throw new UsageError(`cannot read the ${what} ${rel}: ${read.reason}`);
  return read.bytes;
}

/**
 * The base revision's configuration for a `--base` run, and how the pull request changes it.
 * `configArg`: `--config FILE` resolved; outside the root it is the user's own file and this
 * returns undefined (the caller loads it as usual).
 */
export function trustedConfig(root: string, base: string, configArg: string | undefined, side: HeadSide, defaultName: string): TrustedConfig | undefined {
  const rel = configArg === undefined ? defaultName : insideRoot(root, configArg);
  if (rel === undefined) return undefined;
  const baseSource = GitSource.atRevision(root, base);
  const atBase = readAtBase(baseSource, base, rel, MAX_CONFIG_BYTES, 'config file');
  const atHead = readAtHead(root, rel, side, MAX_CONFIG_BYTES, 'config file');
  let config = emptyConfig();
  if (atBase !== undefined) {
    const decoded = decodeUtf8(atBase);
    if (decoded.problem) throw new UsageError(`${base}:${rel}: ${decoded.problem.message}`);
    config = parseConfig(decoded.text, `${base}:${rel}`);
  } else if (configArg !== undefined && atHead === undefined) {
    throw new UsageError(`config file not found: ${rel} (neither at ${base} nor in the pull request)`);
  }
  const changes: GateConfigChange[] = [];
  if (!sameBytes(atBase, atHead)) {
    const messageId = atBase === undefined ? 'added' : atHead === undefined ? 'removed' : 'changed';
    changes.push({ file: rel, messageId, line: atBase && atHead ? firstDifferingLine(atBase, atHead) : 1 });
  }
  return { base, baseSource, config, configPath: atBase !== undefined ? resolve(root, rel) : undefined, changes };
}

/**
 * A relative plugin of the base's configuration that lives in the repository runs only when the
 * file to be imported is byte-identical to the base's: otherwise the pull request's code would run
 * inside its own gate. (A plugin's imports of further repository files are not compared.)
 */
export function assertPluginUnchanged(root: string, trusted: TrustedConfig, spec: string, file: string): void {
  const rel = insideRoot(root, file);
  if (rel === undefined) return;
  const atBase = readAtBase(trusted.baseSource, trusted.base, rel, MAX_CONFIG_BYTES * 16, 'plugin');
  const here = readWorkingTree(root, rel, MAX_CONFIG_BYTES * 16, 'plugin');
  if (sameBytes(atBase, here)) return;
  const how = atBase === undefined ? `is not in ${trusted.base}` : here === undefined ? 'is missing from the working tree' : `differs from its content at ${trusted.base}`;
  throw new UsageError(
    `plugin '${spec}' (${rel}) ${how}: with --base, spine-lint runs only plugin code the base revision has, so a pull request cannot run code in its own gate; merge the plugin change on its own first, or name the module with --plugin to run it on your own authority`,
  );
}

/**
 * The baseline a `--base` run hides findings with: a file inside the root is read as the base has
 * it (undefined when the base has none), and a pull-request change to it is recorded in `changes`.
 * Outside the root (named on the command line) it is the user's own: undefined, load it as usual.
 */
export interface BaseBaseline {
  baseline: Baseline | undefined;
  label: string;
}

export function trustedBaseline(root: string, trusted: TrustedConfig, path: string, side: HeadSide): BaseBaseline | undefined {
  const rel = insideRoot(root, path);
  if (rel === undefined) return undefined;
  const atBase = readAtBase(trusted.baseSource, trusted.base, rel, MAX_BASELINE_BYTES, 'baseline');
  const atHead = readAtHead(root, rel, side, MAX_BASELINE_BYTES, 'baseline');
  if (!sameBytes(atBase, atHead)) trusted.changes.push({ file: rel, messageId: 'baseline-changed', line: atBase && atHead ? firstDifferingLine(atBase, atHead) : 1 });
  const label = `${trusted.base}:${rel}`;
  return { baseline: atBase === undefined ? undefined : parseBaseline(Buffer.from(atBase).toString('utf8'), label), label };
}

/** The `config-change` findings of a `--base` run (reported on the head only: the base has none). */
export function configChangeProducer(trusted: TrustedConfig): FindingProducer {
  return () =>
    trusted.changes.map((c): Finding => {
      const data: Record<string, string | number> = { file: c.file, line: c.line, base: trusted.base };
      if (c.messageId === 'added') data.baseHas = 'it has none: the defaults';
      return {
        checkId: configChangeCheck.id,
        messageId: c.messageId,
        message: formatMessage(configChangeCheck.messages[c.messageId], data),
        data,
        file: c.file,
        range: { line: c.line, column: 1, endLine: c.line, endColumn: 1 },
      };
    });
}

export const pluginDir = (trusted: TrustedConfig, root: string): string => (trusted.configPath ? dirname(trusted.configPath) : root);
