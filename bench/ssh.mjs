// Benchmark 4 — SSH: 20 ssh2 servers on loopback (in a separate process), 5 readiness commands per
// host, each answering after a fixed delay; all hosts through the core's SSH executor
// (LiveExecutor, default SSH host concurrency), against one host alone (its 5 commands in sequence
// over one connection). Also the same run with the hosts in waves of 8 (the old shared default),
// for comparison.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { median, summarise } from './lib/measure.mjs';
import { CHECKS_DIST, CORE_DIST, REPO } from './lib/spine.mjs';

const HOSTS = 20;
const DELAY_MS = 200;
const COMMANDS = [
  { command: 'reachability', args: {} },
  { command: 'tailscale-status', args: {} },
  { command: 'systemctl-is-active', args: { unit: 'cron' } },
  { command: 'systemctl-is-active', args: { unit: 'qemu-guest-agent' } },
  { command: 'docker-compose-ls', args: {} },
];

export async function run({ runs, log }) {
  if (!existsSync(CORE_DIST)) return { status: 'unavailable', reason: 'packages/core is not built' };
  const core = await import(pathToFileURL(CORE_DIST).href);
  if (typeof core.LiveExecutor !== 'function') return { status: 'unavailable', reason: 'no SSH executor (LiveExecutor) in @spine-lint/core yet' };
  // The spine's command table (the executor runs only the commands of the table it is given).
  if (!existsSync(CHECKS_DIST)) return { status: 'unavailable', reason: 'packages/checks is not built' };
  const { remoteCommands } = await import(pathToFileURL(CHECKS_DIST).href);
  const dir = mkdtempSync(join(tmpdir(), 'bench-ssh-'));
  const keyFile = join(dir, 'id_ed25519');
  const child = spawn(process.execPath, [join(REPO, 'bench/lib/ssh-servers.mjs'), String(HOSTS), String(DELAY_MS), keyFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise((resolve, reject) => {
      lines.once('line', (l) => resolve(JSON.parse(l)));
      child.once('exit', (c) => reject(new Error(`ssh servers exited ${c}`)));
    });
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, first.ports.map((p) => `[127.0.0.1]:${p} ${first.hostKey}`).join('\n') + '\n');
    const probesOf = (hosts) =>
      hosts.flatMap((port, h) =>
        COMMANDS.map((c, i) => ({
          kind: 'ssh',
          key: `bench/host-${h}/${i}`,
          id: `host-${h}/${i}`,
          target: `host-${h}`,
          ssh: { id: `host-${h}`, host: '127.0.0.1', port, user: 'bench' },
          command: c.command,
          args: c.args,
          connectTimeoutMs: 10_000,
          commandTimeoutMs: 20_000,
        })),
      );
    // `concurrency` here is the SSH host limit (sshConcurrency; older builds had one shared limit).
    const executor = (concurrency) =>
      new core.LiveExecutor({ allow: ['127.0.0.0/8'], commands: remoteCommands, knownHostsFile: knownHosts, identity: keyFile, ...(concurrency ? { concurrency, sshConcurrency: concurrency } : {}) });
    const time = async (probes, concurrency) => {
      const t0 = performance.now();
      const obs = await executor(concurrency).execute(probes);
      const ms = performance.now() - t0;
      const bad = obs.filter((o) => o.outcome !== 'exited' || o.exitCode !== 0);
      if (bad.length) throw new Error(`${bad.length} SSH probes failed, e.g. ${bad[0].outcome}: ${bad[0].error}`);
      return ms;
    };
    const n = Math.max(3, Math.min(runs, 5));
    const single = [];
    const all = [];
    await time(probesOf(first.ports.slice(0, 1))); // warm-up (loads node-ssh, first handshake)
    for (let i = 0; i < n; i++) {
      single.push(await time(probesOf([first.ports[i % HOSTS]])));
      all.push(await time(probesOf(first.ports)));
    }
    // the slowest single host: every host alone once
    const perHost = [];
    for (const p of first.ports) perHost.push(await time(probesOf([p])));
    const slowest = Math.max(median(single), ...perHost);
    // the same in waves of 8 hosts (the old default, shared with HTTP), for comparison
    const OLD = 8;
    const waves = [];
    for (let i = 0; i < n; i++) waves.push(await time(probesOf(first.ports), OLD));
    log(`ssh: one host ${median(single).toFixed(0)} ms (slowest of ${HOSTS} alone ${Math.max(...perHost).toFixed(0)} ms), all ${HOSTS} hosts ${median(all).toFixed(0)} ms`);
    child.stdin.write('\n');
    const stats = await new Promise((resolve) => lines.once('line', (l) => resolve(JSON.parse(l))));
    const expectedSessions = 1 + n * (1 + HOSTS) + HOSTS + n * HOSTS;
    const defaultLimit = core.DEFAULT_SSH_CONCURRENCY ?? core.DEFAULT_CONCURRENCY ?? '?';
    return {
      status: 'ok',
      input: { hosts: HOSTS, commandsPerHost: COMMANDS.length, delayMs: DELAY_MS, sshConcurrency: defaultLimit },
      connections: { made: stats.sessions, expectedOnePerHostPerRun: expectedSessions },
      measurements: [
        { name: `one host, ${COMMANDS.length} commands in sequence`, wallMs: summarise(single), note: `floor ${COMMANDS.length}×${DELAY_MS} ms = ${COMMANDS.length * DELAY_MS} ms` },
        { name: `slowest host alone (each of ${HOSTS} once)`, wallMs: summarise(perHost) },
        {
          name: `${HOSTS} hosts × ${COMMANDS.length} commands (default SSH concurrency ${defaultLimit})`,
          wallMs: summarise(all),
          note: `${stats.sessions} SSH connections in all runs (${expectedSessions} = one per host per run)`,
        },
        {
          name: `${HOSTS} hosts × ${COMMANDS.length} commands (SSH concurrency ${OLD}, the old default)`,
          wallMs: summarise(waves),
          note: `ratio to slowest host ${(median(waves) / slowest).toFixed(2)}× (informational)`,
        },
      ],
      targets: [
        { label: `${HOSTS} hosts / slowest single host`, target: '≤ 1.5×', measured: median(all) / slowest, pass: median(all) / slowest <= 1.5 },
        { label: 'SSH connections: one per host per run', target: `${expectedSessions}`, unit: 'count', measured: stats.sessions, pass: stats.sessions === expectedSessions },
      ],
    };
  } finally {
    child.stdin.end();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
