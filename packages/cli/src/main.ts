import { UsageError } from '@spine-lint/core';
import { checkCommand } from './commands/check.js';
import { diffCommand } from './commands/diff.js';
import { explainCommand } from './commands/explain.js';
import { listCommand } from './commands/list.js';
import { probeCommand } from './commands/probe.js';
import { processIo, type CliIo } from './io.js';
import { toolVersion } from './version.js';

export type { CliIo } from './io.js';

export const mainHelp = `spine-lint — policy linter and live verifier for agentic-spine bindings

Usage: spine-lint <command> [options]

Commands:
  check      run the static checks (default command)
  diff       semantic diff of the bindings against a base revision
  list       list the checks
  explain    print a check's documentation
  probe      run the live checks (HTTP health endpoints, read-only SSH commands)

Run 'spine-lint <command> --help' for a command's options.
Options: -h, --help   -v, --version
Exit codes: 0 clean, 1 violations, 2 usage/config/input error.
`;

export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Commands by name; other modules (probe, diff) register here. */
export const commands: Record<string, Command> = {
  check: checkCommand,
  diff: diffCommand,
  list: listCommand,
  explain: explainCommand,
  probe: probeCommand,
};

/** Run the CLI; returns the exit code. User errors print one line to stderr and return 2. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === '--version' || first === '-v') {
      io.stdout(toolVersion() + '\n');
      return 0;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      io.stdout(mainHelp);
      return 0;
    }
    if (first === undefined || first.startsWith('-')) return await commands.check!(argv, io);
    const command = commands[first];
    if (!command) throw new UsageError(`unknown command '${first}' (commands: ${Object.keys(commands).join(', ')}; see 'spine-lint --help')`);
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`spine-lint: ${error.message}\n`);
      return 2;
    }
    const err = error as Error;
    io.stderr(`spine-lint: internal error: ${err?.message ?? String(error)}\n${io.env.SPINE_LINT_DEBUG ? (err?.stack ?? '') + '\n' : 'Set SPINE_LINT_DEBUG=1 for a stack trace and report it as a bug.\n'}`);
    return 2;
  }
}
