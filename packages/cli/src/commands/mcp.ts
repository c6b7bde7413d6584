/**
 * `spine-lint mcp`: a Model Context Protocol server over stdio for coding agents, on the official
 * SDK. Each tool runs the CLI command it names in-process with its arguments built from the tool's
 * JSON input, so an agent gets exactly what `spine-lint check --format json` prints (same checks,
 * same findings, same fixes). A usage or input error is a tool error with the CLI's message; the
 * server stays up. It never sends probe traffic (`probe_plan` is the dry run) and writes a binding
 * only through `fix_apply`, which exists only when the server was started with `--allow-write`.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema, McpError, ReadResourceRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { CORE_CHECKS, outsideRootReason } from '@spine-lint/core';
import { catalog } from '@spine-lint/checks';
import { resolve } from 'node:path';
import { parse } from '../args.js';
import type { CliIo } from '../io.js';
import { toolVersion } from '../version.js';

export const mcpHelp = `Usage: spine-lint mcp [--allow-write] [--root DIR]

Serve spine-lint to coding agents over the Model Context Protocol (stdio). Tools: check, explain,
list, diff, probe_plan (the dry-run plan: no probe is ever sent), fix_preview, and with
--allow-write fix_apply. Resources: every check's page (spine-lint://checks/<id>).

Options:
  --allow-write   offer fix_apply, which writes the fixes to the bindings (off by default)
  --root DIR      the default root of the tools (default: the working directory)
  -h, --help      this help
`;

type Json = Record<string, unknown>;
interface Tool {
  name: string;
  description: string;
  inputSchema: Json & { type: 'object' };
  /** The CLI command line for the input; the command's stdout is the result. */
  argv: (input: Json) => string[];
  /** How the command's stdout becomes the result: parsed JSON (structured) or text. */
  json: boolean;
}

const str = (description: string): Json => ({ type: 'string', description });
const rootProp = { root: str("The spine repository root (default: the server's root).") };
const onlyProp = { only: { type: 'array', items: { type: 'string' }, description: 'Check ids or aliases to run (default: all).' } };
// `--flag=value`: a value that starts with a dash is the value, not another option.
const optional = (flag: string, value: unknown): string[] => (typeof value === 'string' && value !== '' ? [`${flag}=${value}`] : []);
const onlyArgs = (input: Json): string[] => (Array.isArray(input.only) && input.only.length > 0 ? [`--only=${input.only.map(String).join(',')}`] : []);
const closed = (properties: Json, required: string[] = []): Json & { type: 'object' } => ({ type: 'object', properties, required, additionalProperties: false });

function tools(allowWrite: boolean, defaultRoot: string): Tool[] {
  const root = (input: Json): string[] => [`--root=${typeof input.root === 'string' && input.root !== '' ? input.root : defaultRoot}`];
  const list: Tool[] = [
    {
      name: 'check',
      description:
        'Run the static checks on a spine. The result is the JSON report of `spine-lint check --format json`: results (each with check id, message, file, line, ' +
        'column, fix when one exists) and summary.',
      inputSchema: closed({
        ...rootProp,
        ...onlyProp,
        base: str('Pull-request gate: report only findings this revision did not have.'),
        staged: { type: 'boolean', description: 'Check the staged bindings against HEAD.' },
        now: str('The date freshness checks compare against (ISO).'),
      }),
      argv: (i) => ['check', ...root(i), '--format', 'json', ...onlyArgs(i), ...optional('--base', i.base), ...(i.staged === true ? ['--staged'] : []), ...optional('--now', i.now)],
      json: true,
    },
    {
      name: 'explain',
      description: "A check's documentation page: what it enforces, why, examples, options and how to fix it.",
      inputSchema: closed({ check: str('A check id or gate alias (e.g. relocation-parity or D35).') }, ['check']),
      argv: (i) => ['explain', '--', String(i.check)],
      json: false,
    },
    {
      name: 'list',
      description: 'Every check: id, aliases, title, severity, kind, and the bindings it reads.',
      inputSchema: closed({ ...rootProp }),
      argv: (i) => ['list', ...root(i), '--format', 'json'],
      json: true,
    },
    {
      name: 'diff',
      description: 'The semantic diff of the bindings between a base revision and the working tree (or --head).',
      inputSchema: closed({ ...rootProp, base: str('The base revision (e.g. origin/main).'), head: str('The head revision (default: the working tree).') }, ['base']),
      argv: (i) => ['diff', ...root(i), `--base=${String(i.base)}`, ...optional('--head', i.head), '--format', 'json'],
      json: true,
    },
    {
      name: 'probe_plan',
      description: "The live checks' plan: every HTTP request and read-only SSH command `spine-lint probe` would send, with refusals. Nothing is sent.",
      inputSchema: closed({ ...rootProp, ...onlyProp }),
      argv: (i) => ['probe', ...root(i), '--dry-run', '--format', 'json', ...onlyArgs(i)],
      json: true,
    },
    {
      name: 'fix_preview',
      description: 'The fixes `spine-lint check --fix` would apply, as a unified diff (empty when nothing is fixable). Nothing is written.',
      inputSchema: closed({ ...rootProp, ...onlyProp }),
      argv: (i) => ['check', ...root(i), '--fix-dry-run', ...onlyArgs(i)],
      json: false,
    },
  ];
  if (allowWrite) {
    list.push({
      name: 'fix_apply',
      description: 'Apply the fixes to the bindings (atomically, only files inside the root that did not change meanwhile) and return the JSON report of what is left.',
      inputSchema: closed({ ...rootProp, ...onlyProp }),
      argv: (i) => ['check', ...root(i), '--fix', '--format', 'json', ...onlyArgs(i)],
      json: true,
    });
  }
  return list;
}

/** What is wrong with the input's types, by the tool's schema (strings, booleans, lists of strings); undefined when nothing. */
function typeProblem(tool: Tool, input: Json): string | undefined {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string; items?: { type?: string } }>;
  for (const [k, v] of Object.entries(input)) {
    const t = properties[k]?.type;
    if (v === undefined || (t === 'string' && typeof v === 'string') || (t === 'boolean' && typeof v === 'boolean')) continue;
    if (t === 'array' && Array.isArray(v) && v.every((x) => typeof x === 'string')) continue;
    const got = v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
    return `'${k}' must be ${t === 'array' ? 'an array of strings' : `a ${t}`} (got ${got})`;
  }
  return undefined;
}

/** Run a CLI command in-process; its stdout, stderr and exit code. Usage errors become `error`. */
async function runCommand(argv: string[], cwd: string, env: CliIo['env']): Promise<{ code: number; stdout: string; stderr: string } | { error: string }> {
  const { commands } = await import('../main.js');
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTTY: false, stderrIsTTY: false, cwd, env: { ...env, NO_COLOR: '1' } };
  try {
    const code = await commands[argv[0]!]!(argv.slice(1), io);
    return { code, stdout, stderr };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Build the server (not yet connected): the tools and the check pages as resources. */
export function createMcpServer(options: { allowWrite: boolean; root: string; cwd: string; env: CliIo['env'] }): Server {
  const server = new Server({ name: 'spine-lint', version: toolVersion() }, { capabilities: { tools: {}, resources: {} } });
  const available = tools(options.allowWrite, options.root);
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: available.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = available.find((t) => t.name === request.params.name);
    const fail = (text: string) => ({ isError: true, content: [{ type: 'text' as const, text }] });
    if (!tool) return fail(`unknown tool '${request.params.name}'${request.params.name === 'fix_apply' ? ' (start the server with --allow-write to offer it)' : ''}`);
    const input = (request.params.arguments ?? {}) as Json;
    const known = Object.keys((tool.inputSchema.properties ?? {}) as Json);
    const unknown = Object.keys(input).filter((k) => !known.includes(k));
    if (unknown.length > 0) return fail(`${tool.name}: unknown argument${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (allowed: ${known.join(', ') || 'none'})`);
    for (const k of (tool.inputSchema.required ?? []) as string[]) if (input[k] === undefined) return fail(`${tool.name}: '${k}' is required`);
    const wrong = typeProblem(tool, input);
    if (wrong) return fail(`${tool.name}: ${wrong}`);
    // Writes stay inside the server's root: an agent names a spine below it, never another one.
    if (tool.name === 'fix_apply' && typeof input.root === 'string' && input.root !== '' && outsideRootReason(resolve(options.cwd, input.root), resolve(options.cwd, options.root)) !== undefined)
      return fail(`fix_apply: root '${input.root}' is outside the server's root '${options.root}' (fix_apply writes only there; start a server with --root for another spine)`);
    const r = await runCommand(tool.argv(input), options.cwd, options.env);
    if ('error' in r) return fail(`spine-lint ${tool.name}: ${r.error}`);
    const text = r.stdout;
    if (!tool.json) return { content: [{ type: 'text' as const, text: text === '' ? '(no changes)' : text }], ...(r.stderr ? { _meta: { stderr: r.stderr } } : {}) };
    let structured: Json;
    try {
      const parsed = JSON.parse(text) as unknown;
      structured = Array.isArray(parsed) ? { items: parsed } : (parsed as Json);
    } catch {
      return fail(`spine-lint ${tool.name}: ${r.stderr.trim() || 'no JSON output'}`);
    }
    return { content: [{ type: 'text' as const, text }], structuredContent: structured };
  });
  const pages = [...CORE_CHECKS, ...catalog].map((c) => ({ uri: `spine-lint://checks/${c.id}`, name: c.id, title: c.title, description: c.description, mimeType: 'text/markdown' }));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: pages }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const id = /^spine-lint:\/\/checks\/([A-Za-z0-9_.-]+)$/.exec(request.params.uri)?.[1];
    // A gate alias names the same page (spine-lint://checks/D35).
    const page = id === undefined ? undefined : [...CORE_CHECKS, ...catalog].find((c) => c.id === id || (c.aliases ?? []).includes(id));
    // -32002: the protocol's "resource not found", so a client tells a bad URI from a server failure.
    if (!page) throw new McpError(-32002, `no such resource: ${request.params.uri} (the check pages are spine-lint://checks/<id>)`, { uri: request.params.uri });
    const r = await runCommand(['explain', '--', page.id], options.cwd, options.env);
    if ('error' in r) throw new Error(r.error);
    return { contents: [{ uri: request.params.uri, mimeType: 'text/markdown', text: r.stdout }] };
  });
  return server;
}

export async function mcpCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { 'allow-write': { type: 'boolean' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(mcpHelp);
    return 0;
  }
  const server = createMcpServer({ allowWrite: Boolean(values['allow-write']), root: values.root ?? '.', cwd: io.cwd, env: io.env });
  const transport = new StdioServerTransport();
  // Ends when the client closes stdin (or the transport closes).
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  return 0;
}
