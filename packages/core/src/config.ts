import type { Severity } from './diagnostic.js';
import { SEVERITIES, TOP_KEYS } from './decide.cjs';
import { UsageError } from './errors.js';
import { escapeTerminal } from './reporters/escape.js';
import { readRegularFileOrFail } from './safeFs.js';
import { decodeUtf8 } from './workspace/decode.js';
import { parseYamlDocument } from './workspace/yamlDocument.js';

/** The user's `.spine-lint.yaml`, validated. */
export interface SpineLintConfig {
  /** Binding name → path overrides, merged over the catalog's default layout. */
  paths: Record<string, string>;
  /** Directories whose YAML files are all syntax-checked (default: the catalog's). */
  bindingDirs?: string[];
  /** Severity (and options) per check id or alias. */
  checks: Record<string, { severity?: Severity; options?: Record<string, unknown> }>;
  limits: { maxFileBytes?: number; maxAliasCount?: number };
  /** Modules exporting extra checks (paths relative to the config file, or package names). */
  plugins: string[];
  /** Baseline file (relative to the root). */
  baseline?: string;
  /** Live-probe settings; validated by the probe engine. */
  probes: Record<string, unknown>;
  /** Where the config came from, for messages. */
  source?: string;
  /**
   * Line and column of a node of the config text (a JSON pointer; `key`: the map key rather than its
   * value), for messages about the config made after parsing (check options). Set by `parseConfig`,
   * not enumerable: copies and JSON of the config do not carry it.
   */
  locate?: (pointer: string, key?: boolean) => { line: number; column: number };
}

// Defined in a module of its own (the light filesystem helpers throw it too); exported from here as before.
export { UsageError };

/**
 * A config error: its text quotes what the user wrote (keys, values, plugin names, the file's path),
 * so control, bidi and zero-width characters in it are shown escaped (`\x1b`, `\u200b`), never
 * interpreted by the terminal the message is printed on; one message stays one line.
 */
const configError = (message: string): UsageError => new UsageError(escapeTerminal(message));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function emptyConfig(): SpineLintConfig {
  return { paths: {}, checks: {}, limits: {}, plugins: [], probes: {} };
}

/** Parse and validate config text; throws `UsageError` with `file:line:col` on any problem. */
export function parseConfig(text: string, source: string): SpineLintConfig {
  const doc = parseYamlDocument(source, text);
  const firstProblem = doc.problems[0];
  if (firstProblem) throw configError(`${source}:${firstProblem.range.line}:${firstProblem.range.column}: ${firstProblem.message}`);
  const raw = doc.value ?? {};
  const fail = (pointer: string, message: string, atKey = false): never => {
    const r = (atKey ? doc.locateKey(pointer) : undefined) ?? doc.locate(pointer);
    throw configError(`${source}:${r.line}:${r.column}: ${message}`);
  };
  if (!isRecord(raw)) fail('', 'config must be a mapping');
  const value = raw as Record<string, unknown>;
  const config = emptyConfig();
  config.source = source;
  Object.defineProperty(config, 'locate', { value: (ptr: string, key = false) => (key ? doc.locateKey(ptr) : undefined) ?? doc.locate(ptr) });
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.has(key)) fail(`/${key}`, `unknown config key '${key}' (allowed: ${[...TOP_KEYS].join(', ')})`, true);
  }
  if (value.paths !== undefined) {
    if (!isRecord(value.paths)) fail('/paths', "'paths' must map binding names to file paths");
    for (const [k, v] of Object.entries(value.paths as Record<string, unknown>)) {
      // Assigning `__proto__` would set the object's prototype, not a binding: refuse the name.
      if (k === '__proto__') fail(`/paths/${k}`, "paths: '__proto__' cannot be a binding name", true);
      if (typeof v !== 'string' || v === '') fail(`/paths/${k}`, `paths.${k} must be a non-empty string`);
      config.paths[k] = v as string;
    }
  }
  if (value.bindingDirs !== undefined) {
    if (!Array.isArray(value.bindingDirs) || value.bindingDirs.some((d) => typeof d !== 'string')) fail('/bindingDirs', "'bindingDirs' must be a list of directory paths");
    config.bindingDirs = value.bindingDirs as string[];
  }
  if (value.checks !== undefined) {
    if (!isRecord(value.checks)) fail('/checks', "'checks' must map check ids to a severity or { severity, options }");
    for (const [id, setting] of Object.entries(value.checks as Record<string, unknown>)) {
      const where = `/checks/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (id === '__proto__') fail(where, "checks: no check has the id '__proto__'", true);
      if (typeof setting === 'string') {
        if (!SEVERITIES.has(setting)) fail(where, `checks.${id}: severity must be one of error, warning, off (got '${setting}')`);
        config.checks[id] = { severity: normaliseSeverity(setting) };
      } else if (isRecord(setting)) {
        for (const k of Object.keys(setting)) if (k !== 'severity' && k !== 'options') fail(`${where}/${k}`, `checks.${id}: unknown key '${k}' (allowed: severity, options)`, true);
        const entry: { severity?: Severity; options?: Record<string, unknown> } = {};
        if (setting.severity !== undefined) {
          if (typeof setting.severity !== 'string' || !SEVERITIES.has(setting.severity)) fail(`${where}/severity`, `checks.${id}.severity must be one of error, warning, off`);
          entry.severity = normaliseSeverity(setting.severity as string);
        }
        if (setting.options !== undefined) {
          if (!isRecord(setting.options)) fail(`${where}/options`, `checks.${id}.options must be a mapping`);
          entry.options = setting.options as Record<string, unknown>;
        }
        config.checks[id] = entry;
      } else fail(where, `checks.${id} must be a severity (error, warning, off) or { severity, options }`);
    }
  }
  if (value.limits !== undefined) {
    if (!isRecord(value.limits)) fail('/limits', "'limits' must be a mapping");
    for (const [k, v] of Object.entries(value.limits as Record<string, unknown>)) {
      if (k !== 'maxFileBytes' && k !== 'maxAliasCount') fail(`/limits/${k}`, `unknown limit '${k}' (allowed: maxFileBytes, maxAliasCount)`, true);
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(`/limits/${k}`, `limits.${k} must be a positive integer`);
      config.limits[k as 'maxFileBytes' | 'maxAliasCount'] = v as number;
    }
  }
  if (value.plugins !== undefined) {
    if (!Array.isArray(value.plugins) || value.plugins.some((p) => typeof p !== 'string')) fail('/plugins', "'plugins' must be a list of module paths");
    config.plugins = value.plugins as string[];
  }
  if (value.baseline !== undefined) {
    if (typeof value.baseline !== 'string') fail('/baseline', "'baseline' must be a file path");
    config.baseline = value.baseline as string;
  }
  if (value.probes !== undefined) {
    if (!isRecord(value.probes)) fail('/probes', "'probes' must be a mapping");
    config.probes = value.probes as Record<string, unknown>;
  }
  return config;
}

function normaliseSeverity(s: string): Severity {
  return s === 'warn' ? 'warning' : (s as Severity);
}

/** The size bound of a config file (a real one is a few KiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Read a config file; a missing explicit file, a file that is not a regular file (a FIFO, a link to
 * `/dev/zero`) or is over {@link MAX_CONFIG_BYTES}, bad encoding or invalid content is a `UsageError`.
 * `insideRoot`: the config was found in the repository (not named on the command line), so it must
 * resolve inside the root, as a binding must.
 */
export function loadConfigFile(path: string, options: { insideRoot?: string } = {}): SpineLintConfig {
  const bytes = readRegularFileOrFail(path, MAX_CONFIG_BYTES, 'config file', { insideRoot: options.insideRoot })!;
  const decoded = decodeUtf8(bytes);
  if (decoded.problem) throw configError(`${path}: ${decoded.problem.message}`);
  return parseConfig(decoded.text, path);
}

/** Severities by check name, as the runner takes them. */
export function severitiesOf(config: SpineLintConfig): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  for (const [id, entry] of Object.entries(config.checks)) if (entry.severity) out[id] = entry.severity;
  return out;
}
