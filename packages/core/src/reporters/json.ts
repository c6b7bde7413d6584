import type { Reporter } from './types.js';

/** The machine contract: `{ version, results, summary }` (ARCHITECTURE.md, "Output contract"). */
export const jsonReporter: Reporter = (report) =>
  JSON.stringify({ version: report.version, results: report.results, summary: report.summary }, null, 2) + '\n';
