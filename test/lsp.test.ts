/**
 * `spine-lint lsp --stdio` driven by a real LSP client (vscode-languageserver-protocol's connection
 * over the child's stdio, as editors run it; issue 18): initialize, didOpen of the example's
 * SERVICE_REGISTRY.yaml → the three known findings at 50:11; a didChange fixing the host (unsaved:
 * the buffer, not the file) → cleared; a change that breaks the registry → the relocation manifest's
 * diagnostics (another file) are updated; hover and the quick fix.
 *
 * Needs `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'packages/cli/dist/bin.cjs');
const EXAMPLE = join(REPO, 'examples/phase4-observability');
const REGISTRY = 'docs/governance/SERVICE_REGISTRY.yaml';
const PLAN = 'ops/bindings/infra.relocation.plan.yaml';
/** A YAML file no check reads, with a duplicate key: only the syntax scan of the binding directories sees it. */
const BROKEN = 'ops/bindings/broken.extra.yaml';

let scratch: string;
let root: string;
let child: ChildProcess;
let client: ProtocolConnection;
const latest = new Map<string, PublishDiagnosticsParams>();
let waiters: (() => void)[] = [];
const shown: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(REPO, 'packages/cli/dist/generated/fast-path.json'))) throw new Error('npm run build first');
  scratch = mkdtempSync(join(tmpdir(), 'spine-lint-lsp-'));
  root = join(scratch, 'spine');
  cpSync(EXAMPLE, root, { recursive: true });
  writeFileSync(join(root, BROKEN), 'targets:\n  a: 1\n  a: 2\n');
  child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: scratch, stdio: ['pipe', 'pipe', 'inherit'] });
  client = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    latest.set(p.uri, p);
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  });
  client.onNotification('window/showMessage', (m: { message: string }) => void shown.push(m.message));
  client.listen();
  const init = (await client.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {},
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'spine' }],
  })) as { capabilities: { hoverProvider: boolean } };
  expect(init.capabilities.hoverProvider).toBe(true);
  await client.sendNotification('initialized', {});
});
afterAll(async () => {
  await client.sendRequest('shutdown').catch(() => undefined);
  await client.sendNotification('exit').catch(() => undefined);
  client.dispose();
  child.kill();
  rmSync(scratch, { recursive: true, force: true });
});

const uri = (p: string): string => pathToFileURL(join(root, p)).href;
/** The next diagnostics of `file` that satisfy `ok` (they may come in several publishes). */
async function diagnosticsOf(file: string, ok: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const p = latest.get(uri(file));
    if (p && ok(p)) return p;
    if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${file}: ${JSON.stringify(p?.diagnostics.map((d) => d.message))}`);
    await new Promise<void>((r) => {
      waiters.push(r);
      setTimeout(r, 500);
    });
  }
}

describe('spine-lint lsp --stdio (a real LSP client)', () => {
  it('didOpen of SERVICE_REGISTRY.yaml: the three known findings at 50:11, each with its check, alias and page', async () => {
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(REGISTRY), languageId: 'yaml', version: 1, text: readFileSync(join(root, REGISTRY), 'utf8') } });
    const p = await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 3);
    expect(p.diagnostics.map((d) => d.code).sort()).toEqual(['placement-policy (D37)', 'relocation-parity (D35)', 'relocation-ssot-completeness']);
    for (const d of p.diagnostics) {
      expect(d.range).toEqual({ start: { line: 49, character: 10 }, end: { line: 49, character: 21 } });
      expect(d.source).toBe('spine-lint');
      expect(d.codeDescription?.href).toMatch(/^https:\/\/github\.com\/spine-lint\/spine-lint\/blob\/main\/docs\/checks\//);
    }
    const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri: uri(REGISTRY) }, position: { line: 49, character: 12 } })) as { contents: { value: string } };
    expect(hover.contents.value).toMatch(/\*\*relocation-parity \(D35\)\*\*/);
    const actions = (await client.sendRequest('textDocument/codeAction', { textDocument: { uri: uri(REGISTRY) }, range: p.diagnostics[0]!.range, context: { diagnostics: p.diagnostics } })) as {
      title: string;
      edit: { changes: Record<string, { newText: string }[]> };
    }[];
    expect(actions[0]!.title).toBe("set the SERVICE_REGISTRY host of 'grafana' to 'observability', as the relocation manifest says");
    expect(actions[0]!.edit.changes[uri(REGISTRY)]![0]!.newText).toBe('observability');
  });

  it('didChange fixing the host in the buffer (not saved): diagnostics cleared; breaking the registry updates the manifest file', async () => {
    const text = readFileSync(join(root, REGISTRY), 'utf8');
    // Line 50 is grafana's host (other services are on docker-host too).
    const lines = text.split('\n');
    expect(lines[49]).toBe('    host: docker-host');
    const fixed = [...lines.slice(0, 49), '    host: observability', ...lines.slice(50)].join('\n');
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 2 }, contentChanges: [{ text: fixed }] });
    await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 0);
    // The file on disk is untouched: the server read the buffer.
    expect(readFileSync(join(root, REGISTRY), 'utf8')).toBe(text);
    // Remove loki from the registry: relocation-parity reports it on the manifest (another file).
    const withoutLoki = fixed.replace(/\n  loki:\n(    .*\n)+/, '\n');
    expect(withoutLoki).not.toContain('loki:');
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 3 }, contentChanges: [{ text: withoutLoki }] });
    const plan = await diagnosticsOf(PLAN, (x) => x.diagnostics.some((d) => /loki missing from SERVICE_REGISTRY/.test(d.message)));
    expect(plan.diagnostics.some((d) => String(d.code).startsWith('relocation-parity'))).toBe(true);
    // And back: the manifest's diagnostics go away again.
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 4 }, contentChanges: [{ text: fixed }] });
    await diagnosticsOf(PLAN, (x) => x.diagnostics.length === 0);
  });

  it('a file no check reads keeps its parse diagnostic while other files are edited (the syntax scan runs once, then per edited file), and loses it when its own buffer is fixed', async () => {
    const broken = await diagnosticsOf(BROKEN, (x) => x.diagnostics.length === 1);
    expect(broken.diagnostics[0]!.message).toMatch(/Duplicate key 'a'/);
    expect(broken.diagnostics[0]!.range.start).toEqual({ line: 2, character: 2 });
    const text = readFileSync(join(root, REGISTRY), 'utf8');
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 5 }, contentChanges: [{ text: `${text}# an edit\n` }] });
    await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 3);
    expect(latest.get(uri(BROKEN))!.diagnostics).toHaveLength(1);
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(BROKEN), languageId: 'yaml', version: 1, text: 'targets:\n  a: 1\n' } });
    await diagnosticsOf(BROKEN, (x) => x.diagnostics.length === 0);
  });

  it('schema findings on the unsaved buffer: a port that is not a number is reported at its value, and cleared when corrected', async () => {
    const text = readFileSync(join(root, REGISTRY), 'utf8');
    const lines = text.split('\n');
    const port = lines.findIndex((l) => /^ {4}port: \d+$/.test(l));
    const wrong = [...lines.slice(0, port), '    port: [3000]', ...lines.slice(port + 1)].join('\n');
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 6 }, contentChanges: [{ text: wrong }] });
    const p = await diagnosticsOf(REGISTRY, (x) => x.diagnostics.some((d) => String(d.code) === 'schema'));
    const schema = p.diagnostics.find((d) => String(d.code) === 'schema')!;
    expect(schema.range.start.line).toBe(port);
    expect(schema.message).toMatch(/port/);
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 7 }, contentChanges: [{ text }] });
    await diagnosticsOf(REGISTRY, (x) => !x.diagnostics.some((d) => String(d.code) === 'schema'));
  });
  it('a document whose URI names no local path (file://host/…, an encoded slash, not a string) is ignored like a file outside the root: the others keep being checked', async () => {
    const odd = ['file://otherhost/tmp/x.yaml', `${pathToFileURL(join(root, 'ops/bindings')).href}/a%2Fb.yaml`];
    for (const u of odd) await client.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'yaml', version: 1, text: 'a: [\n' } });
    const text = readFileSync(join(root, REGISTRY), 'utf8');
    const fixed = text.replace('    host: docker-host\n    port: 3000', '    host: observability\n    port: 3000');
    expect(fixed).not.toBe(text);
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 8 }, contentChanges: [{ text: fixed }] });
    await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 0);
    const hover = await client.sendRequest('textDocument/hover', { textDocument: { uri: odd[0] }, position: { line: 0, character: 0 } });
    expect(hover).toBeNull();
    for (const u of odd) await client.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(REGISTRY), version: 9 }, contentChanges: [{ text }] });
    await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 3);
  });

  it("a quick fix is offered only for edits of the root's files (the fix comes back in the diagnostic data the client sends)", async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    const forged = { range, message: 'x', data: { fix: { description: 'forged', edits: [{ file: '../../../etc/passwd', range: { line: 1, column: 1, endLine: 1, endColumn: 2 }, text: 'x' }] } } };
    expect(await client.sendRequest('textDocument/codeAction', { textDocument: { uri: uri(REGISTRY) }, range, context: { diagnostics: [forged] } })).toEqual([]);
  });

  it('a saved .spine-lint.yaml is read again (checks turned off go, options apply); a saved config with an error is refused with a message and the previous one stays', async () => {
    const configPath = join(root, '.spine-lint.yaml');
    const config = readFileSync(configPath, 'utf8');
    // The editor has the config open, edits it and saves it.
    let version = 1;
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri('.spine-lint.yaml'), languageId: 'yaml', version, text: config } });
    const save = async (text: string): Promise<void> => {
      await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri('.spine-lint.yaml'), version: ++version }, contentChanges: [{ text }] });
      writeFileSync(configPath, text);
      await client.sendNotification('textDocument/didSave', { textDocument: { uri: uri('.spine-lint.yaml') } });
    };
    await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 3);
    await save(`${config}  placement-policy: off\n`);
    const after = await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 2);
    expect(after.diagnostics.map((d) => d.code).sort()).toEqual(['relocation-parity (D35)', 'relocation-ssot-completeness']);
    await save(`${config}  placement-polcy: off\n`);
    await expect.poll(() => shown.join('\n'), { timeout: 20_000 }).toMatch(/the saved config was not applied: .*placement-polcy/);
    expect(latest.get(uri(REGISTRY))!.diagnostics).toHaveLength(2);
    await save(config);
    await diagnosticsOf(REGISTRY, (x) => x.diagnostics.length === 3);
  });
});
