// Option tables with no imports: the run cache reads `check`'s arguments from here before the CLI
// (or the core) is loaded, so its reading of an argument list is the same as the command's.

/** Options shared by the commands that run checks and report (`check`, `probe`). */
export const runOptions = {
  root: { type: 'string' },
  config: { type: 'string', short: 'c' },
  only: { type: 'string', multiple: true },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  now: { type: 'string' },
  plugin: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * The options of `check`. `-f FORMAT [-o FILE]` pairs repeat (ESLint's short names, Spectral's
 * several formats in one run): each `--output`/`--output-file` writes the `--format` before it.
 */
export const checkOptions = {
  ...runOptions,
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o', multiple: true },
  'output-file': { type: 'string', multiple: true },
  'sarif-category': { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  staged: { type: 'boolean' },
  'all-findings': { type: 'boolean' },
  baseline: { type: 'string' },
  'update-baseline': { type: 'boolean' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  'print-config': { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
} as const;

/** Colour: `--no-color` wins, then `--color`, else only on a TTY without NO_COLOR. */
export const useColor = (values: { 'no-color'?: boolean; color?: boolean }, stdoutIsTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean =>
  values['no-color'] ? false : values.color ? true : stdoutIsTTY && !env.NO_COLOR;
