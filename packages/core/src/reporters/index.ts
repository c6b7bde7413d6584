import { jsonReporter } from './json.js';
import { stylishReporter } from './stylish.js';
import type { Reporter } from './types.js';

export type { Reporter, ReporterContext } from './types.js';
export { escapeTerminal } from './escape.js';

/** Reporters by format name. `sarif`, `junit` and `github` register here too. */
export const reporters: Record<string, Reporter> = {
  stylish: stylishReporter,
  json: jsonReporter,
};

export const reporterNames = (): string[] => Object.keys(reporters);
