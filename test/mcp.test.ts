/**
 * `spine-lint mcp` driven by the official SDK's own Client over StdioClientTransport, the binary
 * started as a child process exactly as an agent's `.mcp.json` starts it (issue 18): the tools, each
 * called on the example spine and on a real corpus tree with the same findings `check --format json`
 * gives, and tool errors (the server alive afterwards) for a bad root, a bad id and a malformed binding.
 *
 * Needs `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TREES } from './support/corpus.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const NEWEST = join(TREES, '19-a00cb7b7');

let scratch: string;
let root: string;
beforeAll(() => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-mcp-'));
  root = join(scratch, 'spine');
  cpSync(EXAMPLE, root, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A'], { cwd: root });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'example'], { cwd: root });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function connect(args: string[] = []): Promise<Client> {
  const client = new Client({ name: 'spine-lint-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...args], cwd: root, env: { PATH: process.env.PATH!, HOME: scratch }, stderr: 'pipe' }));
  return client;
}
const cliJson = (args: string[], cwd = root): unknown => JSON.parse(spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' }).stdout);
type ToolResult = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: Record<string, unknown> };
const withoutDuration = (report: unknown): unknown => {
  const r = structuredClone(report) as { summary: { durationMs?: number } };
  delete r.summary.durationMs;
  return r;
};

describe('spine-lint mcp (the SDK client over stdio)', () => {
  it('lists the tools (no fix_apply without --allow-write) and the check pages as resources', async () => {
    const client = await connect();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['check', 'explain', 'list', 'diff', 'probe_plan', 'fix_preview']);
      for (const t of tools) expect(t.inputSchema.type).toBe('object');
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toContain('spine-lint://checks/relocation-parity');
      const page = await client.readResource({ uri: 'spine-lint://checks/relocation-parity' });
      expect((page.contents[0] as { text: string }).text).toMatch(/relocation-parity \(D35\)/);
    } finally {
      await client.close();
    }
  });

  it('check gives exactly the findings of check --format json, on the example and on the newest real tree; the other tools answer', async () => {
    const client = await connect();
    try {
      const example = (await client.callTool({ name: 'check', arguments: {} })) as ToolResult;
      expect(example.isError).toBeFalsy();
      expect(withoutDuration(example.structuredContent)).toEqual(withoutDuration(cliJson(['check', '--format', 'json'])));
      const real = (await client.callTool({ name: 'check', arguments: { root: NEWEST, now: '2026-03-06' } })) as ToolResult;
      expect(withoutDuration(real.structuredContent)).toEqual(withoutDuration(cliJson(['check', '--root', NEWEST, '--now', '2026-03-06', '--format', 'json'])));
      expect((real.structuredContent as { results: unknown[] }).results.length).toBeGreaterThan(20);

      const explain = (await client.callTool({ name: 'explain', arguments: { check: 'D35' } })) as ToolResult;
      expect(explain.content[0]!.text).toMatch(/^# relocation-parity \(D35\)/m);
      const list = (await client.callTool({ name: 'list', arguments: {} })) as ToolResult;
      expect((list.structuredContent as { items: { id: string }[] }).items.map((c) => c.id)).toContain('placement-policy');
      const plan = (await client.callTool({ name: 'probe_plan', arguments: {} })) as ToolResult;
      expect(plan.structuredContent).toMatchObject({ version: 1, sent: false });
      const diff = (await client.callTool({ name: 'diff', arguments: { base: 'HEAD' } })) as ToolResult;
      expect(diff.isError).toBeFalsy();
      const preview = (await client.callTool({ name: 'fix_preview', arguments: {} })) as ToolResult;
      expect(preview.content[0]!.text).toContain('+    host: observability');
      // The preview wrote nothing.
      expect(readFileSync(join(root, 'docs/governance/SERVICE_REGISTRY.yaml'), 'utf8')).toContain('host: docker-host');
    } finally {
      await client.close();
    }
  });

  it('a bad root, a bad check id, an unknown argument and fix_apply without --allow-write are tool errors; a malformed binding is a finding; the server answers afterwards', async () => {
    const client = await connect();
    try {
      const badRoot = (await client.callTool({ name: 'check', arguments: { root: join(scratch, 'nowhere') } })) as ToolResult;
      expect(badRoot.isError).toBe(true);
      expect(badRoot.content[0]!.text).toMatch(/^spine-lint check: root directory not found/);
      const badId = (await client.callTool({ name: 'explain', arguments: { check: 'D999' } })) as ToolResult;
      expect(badId.isError).toBe(true);
      const extra = (await client.callTool({ name: 'check', arguments: { rooot: '.' } })) as ToolResult;
      expect(extra).toMatchObject({ isError: true, content: [{ text: 'check: unknown argument rooot (allowed: root, only, base, staged, now)' }] });
      const write = (await client.callTool({ name: 'fix_apply', arguments: {} })) as ToolResult;
      expect(write.content[0]!.text).toBe("unknown tool 'fix_apply' (start the server with --allow-write to offer it)");
      const broken = join(scratch, 'broken');
      cpSync(EXAMPLE, broken, { recursive: true });
      writeFileSync(join(broken, 'ops/bindings/ssh.targets.yaml'), 'ssh: [\n');
      const malformed = (await client.callTool({ name: 'check', arguments: { root: broken } })) as ToolResult;
      expect(malformed.isError).toBeFalsy();
      expect((malformed.structuredContent as { results: { checkId: string; file: string }[] }).results.some((d) => d.checkId === 'parse' && d.file === 'ops/bindings/ssh.targets.yaml')).toBe(true);
      // Still alive.
      expect(((await client.callTool({ name: 'list', arguments: {} })) as ToolResult).isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('arguments of the wrong type are tool errors, never dropped (a bare string for only would widen fix_apply to every fix); an id is never an option', async () => {
    const client = await connect(['--allow-write']);
    try {
      const cases: [string, Record<string, unknown>, string][] = [
        ['fix_apply', { only: 'parse' }, "fix_apply: 'only' must be an array of strings (got a string)"],
        ['check', { only: ['parse', 3] }, "check: 'only' must be an array of strings (got an array)"],
        ['check', { root: 42 }, "check: 'root' must be a string (got a number)"],
        ['check', { staged: 'true' }, "check: 'staged' must be a boolean (got a string)"],
        ['check', { now: 20260101 }, "check: 'now' must be a string (got a number)"],
        ['diff', { base: null }, "diff: 'base' must be a string (got null)"],
      ];
      for (const [name, args, message] of cases) expect(await client.callTool({ name, arguments: args }), name).toMatchObject({ isError: true, content: [{ text: message }] });
      // Nothing was written by the refused fix_apply.
      expect(readFileSync(join(root, 'docs/governance/SERVICE_REGISTRY.yaml'), 'utf8')).toContain('host: docker-host');
      // fix_apply writes only below the server's root.
      const other = join(scratch, 'other-spine');
      cpSync(EXAMPLE, other, { recursive: true });
      const outside = (await client.callTool({ name: 'fix_apply', arguments: { root: other } })) as ToolResult;
      expect(outside.isError).toBe(true);
      expect(outside.content[0]!.text).toMatch(/^fix_apply: root '.*other-spine' is outside the server's root '\.'/);
      expect(readFileSync(join(other, 'docs/governance/SERVICE_REGISTRY.yaml'), 'utf8')).toContain('host: docker-host');
      // A check id that looks like an option is an id (no such check), not the usage text.
      const dashed = (await client.callTool({ name: 'explain', arguments: { check: '--help' } })) as ToolResult;
      expect(dashed.isError).toBe(true);
      expect(dashed.content[0]!.text).toMatch(/^spine-lint explain: no check has the id or alias '--help'/);
      // A value starting with a dash stays a value: base '--output=x' is a revision that does not exist.
      const base = (await client.callTool({ name: 'check', arguments: { base: '--output=x' } })) as ToolResult;
      expect(base.isError).toBe(true);
      expect(existsSync(join(root, 'x'))).toBe(false);
    } finally {
      await client.close();
    }
  });

  it("a resource that does not exist is the protocol's resource-not-found (-32002); a gate alias names its page", async () => {
    const client = await connect();
    try {
      for (const uri of ['spine-lint://checks/nope', 'file:///etc/passwd']) await expect(client.readResource({ uri })).rejects.toMatchObject({ code: -32002 });
      const alias = await client.readResource({ uri: 'spine-lint://checks/D35' });
      expect((alias.contents[0] as { text: string }).text).toMatch(/^# relocation-parity \(D35\)/m);
      expect(((await client.callTool({ name: 'list', arguments: {} })) as ToolResult).isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('with --allow-write, fix_apply writes the fix and returns what is left', async () => {
    const client = await connect(['--allow-write']);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('fix_apply');
      const applied = (await client.callTool({ name: 'fix_apply', arguments: {} })) as ToolResult;
      expect((applied.structuredContent as { summary: { errors: number } }).summary.errors).toBe(0);
      expect(readFileSync(join(root, 'docs/governance/SERVICE_REGISTRY.yaml'), 'utf8')).toContain('    host: observability\n');
    } finally {
      await client.close();
      execFileSync('git', ['checkout', '-q', '.'], { cwd: root });
    }
  });

  it("docs/agents.md's .mcp.json entry, as written (spine-lint on PATH), starts a server that checks", async () => {
    const doc = readFileSync(join(REPO, 'docs/agents.md'), 'utf8');
    const entry = (JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]!) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers['spine-lint']!;
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, entry.command))) symlinkSync(CLI, join(bin, entry.command));
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, cwd: root, env: { PATH: `${bin}:${process.env.PATH}`, HOME: scratch }, stderr: 'pipe' }));
    try {
      const r = (await client.callTool({ name: 'check', arguments: {} })) as ToolResult;
      expect((r.structuredContent as { summary: { errors: number } }).summary.errors).toBe(3);
    } finally {
      await client.close();
    }
  });
});
