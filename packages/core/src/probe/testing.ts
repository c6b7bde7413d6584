import type { Check } from '../check.js';
import { MemorySource } from '../workspace/source.js';
import { Workspace } from '../workspace/workspace.js';
import { runLiveChecks, type ProbeReport } from './engine.js';
import type { CommandTable } from './commands.js';
import type { ProbeExecutor } from './types.js';

export interface RunLiveCheckInput {
  files: Record<string, string>;
  paths?: Record<string, string>;
  executor: ProbeExecutor;
  now?: Date;
  options?: Record<string, unknown>;
  /** The command table of the plan (what `formatPlan` shows); the executor has its own. */
  commands?: CommandTable;
}

/** Plan, execute (live or replayed) and evaluate one live check over in-memory files. */
export function runLiveCheckOnFiles(check: Check, input: RunLiveCheckInput): Promise<ProbeReport> {
  const workspace = new Workspace(new MemorySource(input.files), { paths: input.paths });
  return runLiveChecks({
    workspace,
    checks: [check],
    now: input.now ?? new Date('2026-03-05T00:00:00Z'),
    checkOptions: input.options ? { [check.id]: input.options } : undefined,
    executor: input.executor,
    commands: input.commands,
  });
}
