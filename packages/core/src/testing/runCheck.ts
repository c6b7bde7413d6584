import type { Check } from '../check.js';
import type { Diagnostic } from '../diagnostic.js';
import { runChecks, type Report } from '../runner.js';
import { MemorySource } from '../workspace/source.js';
import { Workspace } from '../workspace/workspace.js';

export interface RunCheckInput {
  /** Files of the workspace by repository path (YAML/Markdown text). */
  files: Record<string, string>;
  /** Binding name → path layout (the catalog's default layout, usually). */
  paths?: Record<string, string>;
  /** Fields identifying records in lists (the layout's), for fingerprints. */
  recordIdFields?: readonly string[];
  /** Files of the base revision, for transition checks. */
  baseFiles?: Record<string, string>;
  now?: Date;
  options?: Record<string, unknown>;
}

/**
 * Run one static or transition check over in-memory files and return the full report
 * (parse findings of the files it read included). The basis of table-driven check tests.
 */
export function runCheckOnFiles(check: Check, input: RunCheckInput): Report {
  const workspace = new Workspace(new MemorySource(input.files), { paths: input.paths, recordIdFields: input.recordIdFields });
  const base = input.baseFiles ? new Workspace(new MemorySource(input.baseFiles, 'base'), { paths: input.paths, recordIdFields: input.recordIdFields }) : undefined;
  return runChecks({
    workspace,
    base,
    checks: [check],
    now: input.now ?? new Date('2026-03-05T00:00:00Z'),
    checkOptions: input.options ? { [check.id]: input.options } : undefined,
    kinds: [check.kind],
  });
}

/** Just the diagnostics of `runCheckOnFiles`, for assertions. */
export function diagnosticsOf(check: Check, input: RunCheckInput): Diagnostic[] {
  return runCheckOnFiles(check, input).results;
}
