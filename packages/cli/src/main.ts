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
  lsp        a language server for editors (--stdio)
  mcp        serve the checks to coding agents (Model Context Protocol over stdio)
  relocate   move a service to another host: the manifest and every SSOT edit the checks require

Run 'spine-lint <command> --help' for a command's options.
Options: -h, --help   -v, --version
Exit codes: 0 clean, 1 violations, 2 usage/config/input error.
`;

export type Command = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Commands by name; other modules (probe, diff) register here. Each command's module (and what it
 * imports: the core, the catalog, the diff engine, the probe executors) is loaded when the command
 * runs, not when the CLI starts: `--version` loads none of them, `list` no PR-gate or probe code.
 */
export const commands: Record<string, Command> = {
  check: async (argv, io) => (await import('./commands/check.js')).checkCommand(argv, io),
  diff: async (argv, io) => {
    const [{ diffCommand }, { loadDiffEngine }] = await Promise.all([import('./commands/diff.js'), import('@spine-lint/core')]);
    await loadDiffEngine(); // also where `require` of an ES module is unavailable (Node < 20.19, 22.0–22.11)
    return diffCommand(argv, io);
  },
  list: async (argv, io) => (await import('./commands/list.js')).listCommand(argv, io),
  explain: async (argv, io) => (await import('./commands/explain.js')).explainCommand(argv, io),
  probe: async (argv, io) => (await import('./commands/probe.js')).probeCommand(argv, io),
  lsp: async (argv, io) => (await import('./commands/lsp.js')).lspCommand(argv, io),
  mcp: async (argv, io) => {
    // The MCP SDK is an optional peer dependency: the gate and the hook do not install its server stack.
    let mod: typeof import('./commands/mcp.js');
    try {
      mod = await import('./commands/mcp.js');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('@modelcontextprotocol/sdk')) {
        throw new (await usageError())("'spine-lint mcp' needs the MCP SDK beside spine-lint: npm install @modelcontextprotocol/sdk (with -g for a global spine-lint)");
      }
      throw error;
    }
    return mod.mcpCommand(argv, io);
  },
  relocate: async (argv, io) => (await import('./commands/relocate.js')).relocateCommand(argv, io),
};

/** The core's UsageError class, loaded only when there is an error to classify or to throw. */
const usageError = async (): Promise<typeof import('@spine-lint/core').UsageError> => (await import('@spine-lint/core')).UsageError;

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
    // Own keys only: `spine-lint constructor` or `toString` is an unknown command, not Object's member.
    const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
    if (!command) throw new (await usageError())(`unknown command '${first}' (commands: ${Object.keys(commands).join(', ')}; see 'spine-lint --help')`);
    return await command(rest, io);
  } catch (error) {
    // Messages quote user input (arguments, config keys, paths, plugin names, a loader's message):
    // every one is printed through the terminal escape, so ESC/OSC, CR, LF, bidi and zero-width
    // characters in it are shown, never interpreted, and one message stays one line.
    const { escapeTerminal, UsageError } = await import('@spine-lint/core');
    if (error instanceof UsageError) {
      io.stderr(`spine-lint: ${escapeTerminal(error.message)}\n`);
      return 2;
    }
    const err = error as Error;
    // The stack's head repeats the message (one line, escaped); then one escaped line per frame.
    const head = `${err?.name}: ${err?.message}`;
    const frames = (s: string): string => (s.startsWith(head) ? [head, ...s.slice(head.length).split('\n').slice(1)] : s.split('\n')).map(escapeTerminal).join('\n');
    const stack = io.env.SPINE_LINT_DEBUG ? frames(err?.stack ?? '') + '\n' : 'Set SPINE_LINT_DEBUG=1 for a stack trace and report it as a bug.\n';
    io.stderr(`spine-lint: internal error: ${escapeTerminal(String(err?.message ?? error))}\n${stack}`);
    return 2;
  }
}
