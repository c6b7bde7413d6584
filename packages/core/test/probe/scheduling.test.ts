/**
 * Scheduling of the live executor: hanging HTTP endpoints must not starve healthy ones, the HTTP
 * limit still bounds what is in flight, connections are reused per origin, and SSH hosts run in
 * parallel under their own limit (one connection per host, its commands in sequence).
 * Loopback only; small sizes and short timeouts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_SSH_CONCURRENCY,
  LiveExecutor,
  SSH_CONNECTIONS_PER_ENDPOINT,
  type HttpProbe,
  type KeyedProbe,
  type ProbeProgress,
  type SshObservation,
  type SshProbe,
} from '@spine-lint/core';
import { remoteCommands } from '@spine-lint/checks';
import { LOOPBACK_ONLY, httpServer, type TestServer } from './servers.js';

const httpProbe = (url: string, key: string, timeoutMs: number): KeyedProbe & HttpProbe => ({ kind: 'http', id: key, key, target: key, url, connectTimeoutMs: timeoutMs, totalTimeoutMs: timeoutMs });

/** Answers `/ok/*` at once, `/slow/*` after 200 ms, never answers `/hang/*`; counts requests in flight (until the answer is sent or the connection closes). */
function mixedHandler(stats: { inFlight: number; maxInFlight: number }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let counted = true;
    const done = (): void => {
      if (counted) stats.inFlight--;
      counted = false;
    };
    res.on('close', done);
    res.on('finish', done);
    if (req.url!.startsWith('/hang/')) return;
    if (req.url!.startsWith('/slow/')) setTimeout(() => res.writeHead(200).end('ok'), 200);
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  };
}

const settle = async (server: TestServer): Promise<number> => {
  for (let i = 0; i < 50 && server.open() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return server.open();
};

describe('HTTP scheduling', () => {
  const stats = { inFlight: 0, maxInFlight: 0 };
  let server: TestServer;
  beforeAll(async () => {
    server = await httpServer(mixedHandler(stats));
  });
  afterAll(() => server.close());
  const reset = (): void => {
    stats.inFlight = 0;
    stats.maxInFlight = 0;
  };

  it('default: 40 hanging endpoints (5× the old default of 8) do not delay the 40 healthy ones; the run takes about one timeout', async () => {
    expect(DEFAULT_CONCURRENCY).toBeGreaterThanOrEqual(64);
    reset();
    const TIMEOUT = 1000;
    const probes: (KeyedProbe & HttpProbe)[] = [];
    for (let i = 0; i < 40; i++) probes.push(httpProbe(`${server.url}/hang/${i}`, `hang/${i}`, TIMEOUT), httpProbe(`${server.url}/ok/${i}`, `ok/${i}`, TIMEOUT));
    const ticks: (ProbeProgress & { at: number })[] = [];
    const started = performance.now();
    const obs = await new LiveExecutor({ allow: LOOPBACK_ONLY }).execute(probes, (p) => ticks.push({ ...p, at: performance.now() - started }));
    const elapsed = performance.now() - started;
    expect(obs.filter((o) => o.key.startsWith('ok/')).every((o) => o.outcome === 'response' && o.status === 200)).toBe(true);
    expect(obs.filter((o) => o.key.startsWith('hang/')).every((o) => o.outcome === 'timeout')).toBe(true);
    // Every healthy answer came back before the first hanging probe gave up.
    const firstFailure = ticks.find((t) => t.failed > 0)!;
    expect(firstFailure.done - firstFailure.failed).toBe(40);
    expect(firstFailure.at).toBeGreaterThanOrEqual(TIMEOUT - 50);
    // All 40 hanging requests were waiting at the same time: one timeout, not five rounds of 8.
    expect(stats.maxInFlight).toBeGreaterThanOrEqual(40);
    expect(elapsed).toBeLessThan(2 * TIMEOUT);
    // Each hanging probe lasted its own timeout, no more (the total timeout stays exact).
    for (const o of obs.filter((x) => x.outcome === 'timeout')) {
      expect(o.durationMs).toBeGreaterThanOrEqual(TIMEOUT - 20);
      expect(o.durationMs).toBeLessThan(TIMEOUT + 500);
    }
    // The hanging connections were closed when their probes gave up; idle ones when the run ended.
    expect(await settle(server)).toBe(0);
  });

  it('--concurrency still bounds the requests in flight', async () => {
    reset();
    const probes = Array.from({ length: 10 }, (_, i) => httpProbe(`${server.url}/slow/b${i}`, `b${i}`, 2000));
    const started = performance.now();
    const obs = await new LiveExecutor({ allow: LOOPBACK_ONLY, concurrency: 4 }).execute(probes);
    const elapsed = performance.now() - started;
    expect(obs.every((o) => o.outcome === 'response' && o.status === 200)).toBe(true);
    expect(stats.maxInFlight).toBe(4);
    // ceil(10 / 4) = 3 rounds of 200 ms.
    expect(elapsed).toBeGreaterThanOrEqual(3 * 200 - 30);
  });

  it("time spent waiting for a slot is not counted in a probe's timeout", async () => {
    const probes = Array.from({ length: 3 }, (_, i) => httpProbe(`${server.url}/hang/w${i}`, `w${i}`, 300));
    const started = performance.now();
    const obs = await new LiveExecutor({ allow: LOOPBACK_ONLY, concurrency: 1 }).execute(probes);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 300 - 30);
    expect(obs.map((o) => o.outcome)).toEqual(['timeout', 'timeout', 'timeout']);
    for (const o of obs) {
      expect(o.durationMs).toBeGreaterThanOrEqual(280);
      expect(o.durationMs).toBeLessThan(300 + 250);
    }
    expect(await settle(server)).toBe(0);
  });

  it('connections are reused per origin (keep-alive), never more than the limit', async () => {
    reset();
    const before = server.connections();
    const probes = Array.from({ length: 30 }, (_, i) => httpProbe(`${server.url}/ok/r${i}`, `r${i}`, 2000));
    const obs = await new LiveExecutor({ allow: LOOPBACK_ONLY, concurrency: 3 }).execute(probes);
    expect(obs.every((o) => o.outcome === 'response' && o.status === 200)).toBe(true);
    const made = server.connections() - before;
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThanOrEqual(3);
    expect(await settle(server)).toBe(0);
  });

  it('a connection is not shared across names: another name for the same server gets its own', async () => {
    const before = server.connections();
    const lookup = async (name: string): Promise<string[]> => (name === 'alias.test' ? ['127.0.0.1'] : Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' })));
    const obs = await new LiveExecutor({ allow: LOOPBACK_ONLY, concurrency: 1, lookup }).execute([
      httpProbe(`${server.url}/ok/n1`, 'n1', 2000),
      httpProbe(`http://alias.test:${server.port}/ok/n2`, 'n2', 2000),
      httpProbe(`${server.url}/ok/n3`, 'n3', 2000),
    ]);
    expect(obs.map((o) => o.outcome)).toEqual(['response', 'response', 'response']);
    expect(server.connections() - before).toBe(2);
  });
});

interface SshFarm {
  ports: number[];
  knownHosts: string;
  clientKey: string;
  /** Connections accepted, per server. */
  connections: number[];
  /** Most exec channels running at once on one server. */
  maxExecPerServer: number[];
  /** Most connections open at once, per server and over all servers. */
  maxOpenPerServer: number[];
  maxOpenTotal: number;
  /** Connections open right now, over all servers. */
  openNow(): number;
  reset(): void;
  close(): Promise<void>;
}

/** `count` ssh2 servers on 127.0.0.1; every exec answers `active` after `delayMs`. */
async function sshFarm(count: number, delayMs: number): Promise<SshFarm> {
  const { Server, utils } = await import('ssh2');
  const host = utils.generateKeyPairSync('ed25519');
  const client = utils.generateKeyPairSync('ed25519');
  const allowed = utils.parseKey(client.public);
  if (allowed instanceof Error) throw allowed;
  const dir = mkdtempSync(join(tmpdir(), 'spine-lint-sched-ssh-'));
  const clientKey = join(dir, 'client');
  writeFileSync(clientKey, client.private, { mode: 0o600 });
  const servers: import('ssh2').Server[] = [];
  const open = new Array<number>(count).fill(0);
  const exec = new Array<number>(count).fill(0);
  const farm: SshFarm = {
    ports: [],
    knownHosts: join(dir, 'known_hosts'),
    clientKey,
    connections: new Array<number>(count).fill(0),
    maxExecPerServer: new Array<number>(count).fill(0),
    maxOpenPerServer: new Array<number>(count).fill(0),
    maxOpenTotal: 0,
    openNow: () => open.reduce((a, b) => a + b, 0),
    reset() {
      this.connections.fill(0);
      this.maxExecPerServer.fill(0);
      this.maxOpenPerServer.fill(0);
      this.maxOpenTotal = 0;
    },
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < count; i++) {
    const server = new Server({ hostKeys: [host.private] }, (conn) => {
      farm.connections[i]!++;
      open[i]!++;
      farm.maxOpenPerServer[i] = Math.max(farm.maxOpenPerServer[i]!, open[i]!);
      farm.maxOpenTotal = Math.max(
        farm.maxOpenTotal,
        open.reduce((a, b) => a + b, 0),
      );
      let closed = false;
      // Gone when the client's FIN arrives ('end'): 'close' can come after the client's next connection.
      const gone = (): void => {
        if (!closed) open[i]!--;
        closed = true;
      };
      conn.on('end', gone);
      conn.on('close', gone);
      conn.on('error', () => undefined);
      conn.on('authentication', (ctx) => {
        if (ctx.method !== 'publickey' || !ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(['publickey']);
        if (ctx.signature && !allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
        ctx.accept();
      });
      conn.on('ready', () => {
        conn.on('session', (accept) => {
          const session = accept();
          session.on('exec', (acceptExec) => {
            const stream = acceptExec();
            exec[i]!++;
            farm.maxExecPerServer[i] = Math.max(farm.maxExecPerServer[i]!, exec[i]!);
            setTimeout(() => {
              exec[i]!--;
              stream.write('active\n');
              stream.exit(0);
              stream.end();
            }, delayMs);
          });
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    farm.ports.push((server.address() as { port: number }).port);
  }
  const pub = host.public.trim().split(/\s+/).slice(0, 2).join(' ');
  writeFileSync(farm.knownHosts, farm.ports.map((p) => `[127.0.0.1]:${p} ${pub}`).join('\n') + '\n');
  return farm;
}

describe('SSH scheduling (in-process ssh2 servers, 150 ms per command)', () => {
  const HOSTS = 12;
  const COMMANDS = 3;
  const DELAY = 150;
  let farm: SshFarm;
  beforeAll(async () => {
    farm = await sshFarm(HOSTS, DELAY);
  });
  afterAll(() => farm?.close());

  const probesFor = (ports: number[], users = ['root']): (KeyedProbe & SshProbe)[] =>
    ports.flatMap((port, h) =>
      users.flatMap((user) =>
        Array.from({ length: COMMANDS }, (_, c) => ({
          kind: 'ssh' as const,
          id: `h${h}/${user}/${c}`,
          key: `t/h${h}/${user}/${c}`,
          target: `h${h}`,
          ssh: { id: `h${h}`, host: '127.0.0.1', port, user },
          command: 'systemctl-is-active' as const,
          args: { unit: 'cron' },
          connectTimeoutMs: 5000,
          commandTimeoutMs: 5000,
        })),
      ),
    );
  const exec = (opts: ConstructorParameters<typeof LiveExecutor>[0] = {}) =>
    new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, knownHostsFile: farm.knownHosts, identity: farm.clientKey, ...opts });
  const timed = async (probes: KeyedProbe[], opts?: ConstructorParameters<typeof LiveExecutor>[0]): Promise<{ ms: number; obs: SshObservation[] }> => {
    const t0 = performance.now();
    const obs = (await exec(opts).execute(probes)) as SshObservation[];
    return { ms: performance.now() - t0, obs };
  };
  const allGood = (obs: SshObservation[]): boolean => obs.every((o) => o.outcome === 'exited' && o.exitCode === 0 && o.stdout === 'active');

  it(`default: ${HOSTS} hosts (more than the old limit of 8) all at once, one connection each, in about one host's time`, async () => {
    expect(DEFAULT_SSH_CONCURRENCY).toBeGreaterThanOrEqual(HOSTS);
    await timed(probesFor([farm.ports[0]!])); // warm-up: loads node-ssh
    const single = await timed(probesFor([farm.ports[1]!]));
    expect(allGood(single.obs)).toBe(true);
    expect(single.ms).toBeGreaterThanOrEqual(COMMANDS * DELAY - 20);
    farm.reset();
    const all = await timed(probesFor(farm.ports));
    expect(allGood(all.obs)).toBe(true);
    expect(all.obs).toHaveLength(HOSTS * COMMANDS);
    expect(farm.connections).toEqual(new Array(HOSTS).fill(1));
    expect(farm.maxExecPerServer).toEqual(new Array(HOSTS).fill(1)); // commands in sequence on each connection
    expect(farm.maxOpenTotal).toBe(HOSTS); // every host in parallel
    // Two waves (the old default) would take at least 2 × COMMANDS × DELAY = 900 ms on top of handshakes.
    expect(all.ms).toBeLessThan(single.ms * 1.5 + 250);
  });

  it('--ssh-concurrency bounds the hosts probed at once', async () => {
    farm.reset();
    const { ms, obs } = await timed(probesFor(farm.ports.slice(0, 6)), { sshConcurrency: 3 });
    expect(allGood(obs)).toBe(true);
    expect(farm.maxOpenTotal).toBe(3);
    expect(ms).toBeGreaterThanOrEqual(2 * COMMANDS * DELAY - 30);
  });

  it('the SSH limit is separate from the HTTP limit: a hanging HTTP probe holding the only HTTP slot does not hold SSH back', async () => {
    const hang = await httpServer(() => undefined);
    try {
      farm.reset();
      const ticks: (ProbeProgress & { at: number })[] = [];
      const probes: KeyedProbe[] = [httpProbe(`${hang.url}/x`, 'http/hang', 1500), httpProbe(`${hang.url}/y`, 'http/hang2', 1500), ...probesFor(farm.ports.slice(0, 4))];
      const started = performance.now();
      const obs = await exec({ concurrency: 1 }).execute(probes, (p) => ticks.push({ ...p, at: performance.now() - started }));
      expect(obs.slice(0, 2).map((o) => o.outcome)).toEqual(['timeout', 'timeout']);
      expect(allGood(obs.slice(2) as SshObservation[])).toBe(true);
      expect(farm.maxOpenTotal).toBe(4);
      // All 12 SSH observations were in before the first HTTP timeout (1.5 s), the two HTTP ones last.
      expect(ticks).toHaveLength(14);
      expect(ticks[11]).toMatchObject({ done: 12, failed: 0 });
      expect(ticks[11]!.at).toBeLessThan(1500);
      expect(ticks[12]!.failed).toBe(1);
    } finally {
      await hang.close();
    }
  });

  it(`many users of one sshd: one connection each, at most ${SSH_CONNECTIONS_PER_ENDPOINT} open at once (under OpenSSH MaxStartups 10)`, async () => {
    farm.reset();
    const users = Array.from({ length: 12 }, (_, i) => `user${i}`);
    const { obs } = await timed(probesFor([farm.ports[2]!], users));
    expect(allGood(obs)).toBe(true);
    expect(farm.connections[2]).toBe(12);
    expect(farm.maxOpenPerServer[2]).toBe(SSH_CONNECTIONS_PER_ENDPOINT);
  });
});
