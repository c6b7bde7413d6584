// Benchmark 6 — where bindings are edited (issue 18): the language server's time from a didChange of
// SERVICE_REGISTRY.yaml to its publishDiagnostics on the newest real tree (warm), and the MCP `check`
// tool's time against the library call it wraps (runChecks on the same tree, in-process).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarise } from './lib/measure.mjs';
import { CHECKS_DIST, CLI, CORE_DIST, corpusDir, newestTree, NODE } from './lib/spine.mjs';

const NOW = '2026-03-06T00:00:00Z';

async function lsp(tree, runs, warmup) {
  const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver-protocol/node.js');
  const child = spawn(NODE, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const file = join(tree, 'docs/governance/SERVICE_REGISTRY.yaml');
  const uri = pathToFileURL(file).href;
  let waiting;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri === uri && waiting) waiting();
  });
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(tree).href, capabilities: {} });
    await conn.sendNotification('initialized', {});
    const text = readFileSync(file, 'utf8');
    const published = () => new Promise((resolve) => (waiting = resolve));
    let next = published();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await next;
    const samples = [];
    for (let i = 0; i < warmup + runs; i++) {
      next = published();
      const t0 = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: `${text}# edit ${i}\n` }] });
      await next;
      if (i >= warmup) samples.push(performance.now() - t0);
    }
    return summarise(samples);
  } finally {
    child.kill();
  }
}

async function mcp(tree, runs, warmup) {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const { DirectorySource, runChecks, syntaxScan, Workspace } = await import(CORE_DIST);
  const { catalog, defaultPaths } = await import(CHECKS_DIST);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: NODE, args: [CLI, 'mcp'], stderr: 'ignore' }));
  const viaMcp = [];
  const library = [];
  try {
    for (let i = 0; i < warmup + runs; i++) {
      let t0 = performance.now();
      await client.callTool({ name: 'check', arguments: { root: tree, now: NOW } });
      const a = performance.now() - t0;
      t0 = performance.now();
      runChecks({ workspace: new Workspace(new DirectorySource(tree), { paths: defaultPaths }), checks: catalog, now: new Date(NOW), producers: [syntaxScan(['ops/bindings', 'docs/governance'])] });
      const b = performance.now() - t0;
      if (i >= warmup) {
        viaMcp.push(a);
        library.push(b);
      }
    }
  } finally {
    await client.close();
  }
  return { viaMcp: summarise(viaMcp), library: summarise(library) };
}

export async function run({ runs, warmup, log }) {
  const tree = newestTree(corpusDir());
  if (!tree) return { status: 'unavailable', reason: 'no corpus tree found' };
  log(`editors: language server on ${tree.split('/').pop()}`);
  const l = await lsp(tree, runs, warmup);
  log('editors: MCP check against the library call');
  const m = await mcp(tree, runs, warmup);
  const overhead = m.viaMcp.median / m.library.median;
  return {
    status: 'ok',
    measurements: [
      { name: 'lsp didChange → publishDiagnostics (SERVICE_REGISTRY.yaml, warm)', wallMs: l },
      { name: 'mcp check tool (newest tree)', wallMs: m.viaMcp },
      { name: 'library runChecks (same tree, in-process)', wallMs: m.library },
    ],
    targets: [
      { label: 'language server: didChange → diagnostics, warm', target: '< 150 ms', unit: 'ms', measured: l.median, pass: l.median < 150 },
      { label: 'MCP check over the library call', target: 'reported', unit: 'ratio', measured: overhead },
    ],
  };
}
