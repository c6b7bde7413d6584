import { ciCheckoutFor, type ReporterContext } from '@spine-lint/core';
import type { CliIo } from './io.js';
import { useColor } from './optionTables.js';
import { toolVersion } from './version.js';

/**
 * What every command's reporter is told about the run: colour from the flags and the terminal,
 * the root (as a directory and as the prefix paths are printed with), the CI checkout SARIF
 * resolves against, the tool's version, `--quiet`; `extra` adds the command's own settings
 * (`maxWarnings`, `sarifCategory`).
 */
export function reporterContextFor(
  where: { readonly root: string; readonly rootPrefix: string },
  values: { readonly color?: boolean; readonly 'no-color'?: boolean; readonly quiet?: boolean },
  io: CliIo,
  extra: Pick<ReporterContext, 'maxWarnings' | 'sarifCategory'> = {},
): ReporterContext {
  return {
    color: useColor(values, io.stdoutIsTTY, io.env),
    cwd: io.cwd,
    rootPrefix: where.rootPrefix,
    root: where.root,
    checkout: ciCheckoutFor(where.root, io.env),
    version: toolVersion(),
    quiet: values.quiet,
    ...extra,
  };
}
