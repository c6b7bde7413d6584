/**
 * The generic remote-command mechanism: a command table (which commands exist, the fixed text of
 * each, a validator per argument), `buildCommand` (validate, then quote) and the empty table. The
 * commands themselves are not here: the catalog that plans SSH probes exports its table (the spine
 * table is `@spine-lint/checks`' `remoteCommands`), and the executor runs only the commands of the
 * table it was given (`LiveExecutorOptions.commands`).
 */

/** Quote a value for a POSIX shell: `'…'` with embedded quotes as `'\''`. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** Validates one interpolated argument: an error message, or undefined when the value is safe. */
export type Validator = (value: string) => string | undefined;

/**
 * One allowlisted command: fixed text with placeholders, and a validator per argument.
 *
 * `template` is sent as it is, except its placeholders: `{name}` becomes the value single-quoted
 * ({@link shellQuote}), `{name:int}` the value bare, and only when it is digits. A placeholder
 * names an argument (validated first) or a derivation; nothing else of the template varies.
 */
export interface CommandSpec {
  /** What it does, for docs and `--dry-run`. */
  readonly description: string;
  /** The arguments: every one is required, no other is accepted, each value must pass its validator. */
  readonly args: Readonly<Record<string, Validator>>;
  /** The command line, e.g. `uptime` or `ls -ld {path}`. */
  readonly template: string;
  /**
   * Values computed from the validated arguments (a normalised path, a depth), for placeholders of
   * the template; they are quoted (or digit-checked) like the arguments.
   */
  readonly derive?: Readonly<Record<string, (args: Readonly<Record<string, string>>) => string>>;
}

/** A fixed, read-only command allowlist: command name → spec (see {@link defineCommands}). */
export type CommandTable = Readonly<Record<string, CommandSpec>>;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)(:int)?\}/g;

/**
 * Define a command table: checked once (every placeholder names an argument or a derivation, no
 * other brace in a template), copied onto a null-prototype object (`__proto__`, `constructor` …
 * are never commands) and frozen, spec by spec: nobody can add, change or remove a command later.
 */
export function defineCommands<const T extends Record<string, CommandSpec>>(table: T): Readonly<T> {
  const out = Object.create(null) as Record<string, CommandSpec>;
  for (const [name, spec] of Object.entries(table)) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) throw new Error(`command name '${name}' must be kebab-case`);
    if (!spec.description) throw new Error(`command '${name}' needs a description`);
    const known = new Set([...Object.keys(spec.args), ...Object.keys(spec.derive ?? {})]);
    for (const m of spec.template.matchAll(PLACEHOLDER)) {
      if (!known.has(m[1]!)) throw new Error(`command '${name}': placeholder {${m[1]}} names no argument or derivation`);
    }
    if (/[{}]/.test(spec.template.replace(PLACEHOLDER, ''))) throw new Error(`command '${name}': a brace of the template is not a placeholder ({name} or {name:int})`);
    out[name] = Object.freeze({ ...spec, args: Object.freeze({ ...spec.args }), ...(spec.derive ? { derive: Object.freeze({ ...spec.derive }) } : {}) });
  }
  return Object.freeze(out) as Readonly<T>;
}

/** The table of an executor given none: every SSH probe is refused before anything connects. */
export const NO_COMMANDS: CommandTable = defineCommands({});

export type BuiltCommand = { ok: true; commandLine: string } | { ok: false; error: string };

const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Validate a command against a table and its arguments; return the exact line to run. A name not
 * in the table, a missing or extra argument or a value its validator refuses is an error, never a
 * command line.
 */
export function buildCommand(table: CommandTable, name: string, args: Readonly<Record<string, string>>): BuiltCommand {
  const names = Object.keys(table);
  if (!has(table, name)) return { ok: false, error: `command '${name}' is not in the read-only allowlist (${names.length > 0 ? names.join(', ') : 'empty: no command table was given'})` };
  const spec = table[name]!;
  for (const key of Object.keys(args)) {
    if (!has(spec.args, key)) return { ok: false, error: `command '${name}' takes no argument '${key}'` };
  }
  for (const [key, validate] of Object.entries(spec.args)) {
    const value = has(args, key) ? args[key] : undefined;
    if (typeof value !== 'string') return { ok: false, error: `command '${name}' needs argument '${key}'` };
    const problem = validate(value);
    if (problem) return { ok: false, error: `command '${name}': ${problem}` };
  }
  const values: Record<string, string> = Object.create(null);
  for (const key of Object.keys(spec.args)) values[key] = args[key]!;
  for (const [key, derive] of Object.entries(spec.derive ?? {})) values[key] = derive(args);
  let problem: string | undefined;
  const commandLine = spec.template.replace(PLACEHOLDER, (_m, key: string, int: string | undefined) => {
    const value = values[key];
    if (typeof value !== 'string') {
      problem ??= `command '${name}': no value for {${key}}`;
      return '';
    }
    if (!int) return shellQuote(value);
    if (!/^[0-9]{1,9}$/.test(value)) problem ??= `command '${name}': {${key}} must be digits (got ${JSON.stringify(value)})`;
    return value;
  });
  return problem ? { ok: false, error: problem } : { ok: true, commandLine };
}
