import { createRequire } from 'node:module';

type Jsondiffpatch = typeof import('jsondiffpatch');
let engine: Jsondiffpatch | undefined;

/**
 * Load the diff engine (jsondiffpatch) now. The diff functions ({@link diffValues},
 * {@link diffWorkspaces}) load it themselves at their first call, so that importing the core does
 * not (`check`, `list` and `explain` never diff): synchronously, through `require` of an ES
 * module (Node 20.19+, 22.12+). On a Node without it, await this once before diffing.
 */
export async function loadDiffEngine(): Promise<void> {
  engine ??= await import('jsondiffpatch');
}

/** The diff engine, loaded on first use (see {@link loadDiffEngine}). */
export function diffEngine(): Jsondiffpatch {
  if (engine) return engine;
  try {
    return (engine = createRequire(import.meta.url)('jsondiffpatch') as Jsondiffpatch);
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== 'ERR_REQUIRE_ESM') throw error;
    throw new Error(`this Node.js (${process.version}) cannot load the diff engine synchronously: await loadDiffEngine() once before diffing, or use Node.js 20.19+ / 22.12+`);
  }
}
