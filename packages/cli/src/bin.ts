#!/usr/bin/env node
// The pre-commit fast path comes first and imports only node built-ins: when nothing relevant is
// staged (or no file argument is relevant) the process exits 0 without loading the CLI, the core or
// the catalog. Everything else goes to `main` exactly as before (see fastPath.ts).
import { fastPath } from './fastPath.js';

const argv = process.argv.slice(2);
const fast = fastPath(argv, process.cwd(), process.env);
if (process.env.SPINE_LINT_DEBUG_FAST_PATH) process.stderr.write(`spine-lint: fast path: ${fast.code === 0 ? 'exit 0' : 'full run'} (${fast.reason})\n`);
if (fast.code === 0) process.exitCode = 0;
else {
  import('./main.js').then(
    ({ main }) =>
      main(argv).then(
        (code) => {
          process.exitCode = code;
        },
        () => {
          process.exitCode = 2;
        },
      ),
    (error: unknown) => {
      process.stderr.write(`spine-lint: internal error: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
