import { terminalSafeJson } from './escape.js';
import type { Reporter } from './types.js';

/**
 * The machine contract: `{ version, results, summary }` (ARCHITECTURE.md, "Output contract"), and
 * `skipped` when checks did not run because a binding they read is unparsable, empty or of the
 * wrong shape (`[{ checkId, because: [{ file, state }] }]`; absent when every check ran).
 */
export const jsonReporter: Reporter = (report) =>
  terminalSafeJson(JSON.stringify({ version: report.version, results: report.results, summary: report.summary, ...(report.skipped?.length ? { skipped: report.skipped } : {}) }, null, 2)) + '\n';
