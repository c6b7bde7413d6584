#!/usr/bin/env node
// CommonJS on purpose: an ES module entry point costs node ~10 ms of loader start-up before the
// first line runs, more than the whole pre-commit fast path below. The CLI itself is ESM, imported
// only when needed. Two answers come before it, each loading only what it needs:
// - the pre-commit fast path (node built-ins and the core's dependency-free CommonJS `decide`
//   module only): when nothing relevant is staged (or no file argument is relevant) the process
//   exits 0 without loading the CLI, the engine or the catalog;
// - `check --cache`: the stored output of an earlier run whose every input is unchanged (runCache.ts).
// Everything else goes to `main` exactly as before.
import { fastPath } from './fastPath.cjs';

/**
 * A line of bin's own for stderr (a debug line, an internal error). Its text quotes paths and error
 * messages, and it is printed before the engine is loaded (the fast path loads none of it, see
 * above), so it is not the core's `escapeTerminal`: every character outside printable ASCII (a
 * superset of what that escapes: ESC, CR, LF, bidi and zero-width characters) is shown as `\uXXXX`.
 */
function printLine(text: string): void {
  process.stderr.write(`spine-lint: ${text.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
}

const argv = process.argv.slice(2);
const fast = fastPath(argv, process.cwd(), process.env);
if (process.env.SPINE_LINT_DEBUG_FAST_PATH) printLine(`fast path: ${fast.code === 0 ? 'exit 0' : 'full run'} (${fast.reason})`);

async function run(): Promise<number> {
  if (fast.code === 0) return 0;
  if (argv.includes('--cache')) {
    const { replayRun } = await import('./runCache.js');
    const { processIo } = await import('./io.js');
    const io = processIo();
    const replay = replayRun(argv, io.cwd, io.env, io.stdoutIsTTY, io.stdout);
    if (process.env.SPINE_LINT_DEBUG_CACHE) printLine(`cache: ${replay.reason}`);
    if (replay.code !== undefined) return replay.code;
  }
  const { main } = await import('./main.js');
  return main(argv);
}

run().then(
  (code) => {
    process.exitCode = Number.isInteger(code) ? code : 2;
  },
  (error: unknown) => {
    printLine(`internal error: ${String((error as Error)?.message ?? error)}`);
    process.exitCode = 2;
  },
);
