// Benchmark 3 — probes: 1 000 health endpoints on loopback HTTP servers (127.0.0.1 only), 5% of
// them hanging (the connection is accepted, no answer ever comes), run through `spine-lint probe`
// at the default concurrency and the binding's default timeouts (connect 5 s, total 10 s, as in
// the real services.health). Compared with the same run minus the hanging endpoints.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnce } from './lib/measure.mjs';
import { CLI, hasCommand, listChecks, NODE } from './lib/spine.mjs';

const ENDPOINTS = 1000;
const HANGING_SHARE = 0.05;
const SERVERS = 10;
const TIMEOUT_S = 10;

function startServers() {
  const sockets = new Set();
  const servers = [];
  return Promise.all(
    Array.from({ length: SERVERS }, () => {
      const server = createServer((req, res) => {
        if (req.url.startsWith('/hang/')) return; // never answers; closed when the client gives up
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      servers.push(server);
      return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
    }),
  ).then((ports) => ({
    ports,
    close: () => {
      for (const s of sockets) s.destroy();
      return Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  }));
}

function writeSpine(dir, ports, { hanging }) {
  const lines = [
    '# Status: projection',
    '# authority_state: projection',
    '# projection_of: docs/governance/SERVICE_REGISTRY.yaml',
    'version: 1',
    'defaults:',
    '  connect_timeout_sec: 5',
    `  max_time_sec: ${TIMEOUT_S}`,
    'endpoints:',
  ];
  let n = 0;
  const hangEvery = Math.round(1 / HANGING_SHARE);
  for (let i = 0; i < ENDPOINTS; i++) {
    const hang = i % hangEvery === hangEvery - 1;
    if (hang && !hanging) continue;
    const port = ports[i % ports.length];
    lines.push(`  - id: ep-${String(i).padStart(4, '0')}`, '    host: bench', `    url: "http://127.0.0.1:${port}/${hang ? 'hang' : 'ok'}/${i}"`, '    expect: 200');
    n++;
  }
  mkdirSync(join(dir, 'ops/bindings'), { recursive: true });
  writeFileSync(join(dir, 'ops/bindings/services.health.yaml'), lines.join('\n') + '\n');
  return n;
}

export async function run({ log }) {
  if (!hasCommand('probe')) return { status: 'unavailable', reason: "the CLI has no 'probe' command yet" };
  const live = listChecks().find((c) => c.id === 'health-endpoints' || (c.aliases ?? []).includes('services.health.status'));
  if (!live) return { status: 'unavailable', reason: 'no health-endpoints live check yet' };
  const base = mkdtempSync(join(tmpdir(), 'bench-probes-'));
  const servers = await startServers();
  try {
    const healthyDir = join(base, 'healthy');
    const fullDir = join(base, 'full');
    const healthy = writeSpine(healthyDir, servers.ports, { hanging: false });
    const total = writeSpine(fullDir, servers.ports, { hanging: true });
    const args = (root) => [CLI, 'probe', '--root', root, '--only', live.id, '--allow', '127.0.0.0/8', '--format', 'json'];
    const accept = (r) => r.code === 0 || r.code === 1;
    log(`probes: ${healthy} healthy endpoints`);
    const h = await runOnce(NODE, args(healthyDir), { timeoutMs: 240_000 });
    if (!accept(h)) return { status: 'error', reason: `probe (healthy) exited ${h.code}: ${h.stderr.slice(0, 500)}` };
    log(`probes: ${total} endpoints, ${total - healthy} hanging (timeout ${TIMEOUT_S} s)`);
    const f = await runOnce(NODE, args(fullDir), { timeoutMs: 400_000 });
    if (!accept(f)) return { status: 'error', reason: `probe (with hanging) exited ${f.code}${f.timedOut ? ' (killed after 400 s)' : ''}: ${f.stderr.slice(0, 500)}` };
    const summarise = (r) => {
      try {
        const j = JSON.parse(r.stdout);
        return { errors: j.summary?.errors, probe: j.probe ?? j.summary?.probes };
      } catch {
        return undefined;
      }
    };
    const hs = summarise(h);
    const fs = summarise(f);
    const floor = TIMEOUT_S * 1000 + h.wallMs;
    const one = (x) => ({ median: x, n: 1 });
    return {
      status: 'ok',
      input: { endpoints: total, hanging: total - healthy, servers: SERVERS, timeoutS: TIMEOUT_S, concurrency: 'default', check: live.id },
      reports: { healthy: hs, full: fs },
      measurements: [
        { name: `${healthy} healthy endpoints`, wallMs: one(h.wallMs), rssMb: one(h.rssMb), note: `findings: ${hs?.errors ?? '?'} errors` },
        { name: `${total} endpoints, ${total - healthy} hanging`, wallMs: one(f.wallMs), rssMb: one(f.rssMb), note: `findings: ${fs?.errors ?? '?'} errors (expected ${total - healthy})` },
        { name: 'bound: one timeout + healthy run', wallMs: one(floor), note: 'computed' },
      ],
      targets: [
        { label: `${total} endpoints (5% hanging) / (timeout + healthy run)`, target: '≤ 1.5×', measured: f.wallMs / floor, pass: f.wallMs / floor <= 1.5 },
        { label: 'hanging endpoints reported', target: `${total - healthy}`, unit: 'count', measured: fs?.errors ?? 'n/a', pass: fs ? fs.errors === total - healthy : undefined },
      ],
    };
  } finally {
    await servers.close();
    rmSync(base, { recursive: true, force: true });
  }
}
