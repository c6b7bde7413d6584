import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveExecutor, MAX_PROBE_TIMEOUT_MS, type KeyedProbe, type SshObservation, type SshProbe } from '@spine-lint/core';
// The spine's command table: these tests run its commands against stub qm/tailscale/systemctl/docker.
import { remoteCommands, type CommandName } from '@spine-lint/checks';
import { sshdUnavailableReason, startSshd, type SshdHandle } from '../../../../test/support/sshd/sshd.js';
import { LOOPBACK_ONLY } from './servers.js';

const unavailable = sshdUnavailableReason();
if (unavailable) {
  // Loud on purpose: CI installs sshd through .ci/run, so this should only ever happen on a laptop.
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING the real-sshd probe tests: ${unavailable}\n${'!'.repeat(78)}\n`);
}

describe.skipIf(Boolean(unavailable))('SSH executor against a real OpenSSH sshd on 127.0.0.1', () => {
  let sshd: SshdHandle;
  let work: string;
  beforeAll(async () => {
    sshd = await startSshd();
    work = mkdtempSync(join(tmpdir(), 'spine-lint-ssh-'));
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  let n = 0;
  const probe = (command: CommandName, args: Record<string, string> = {}, extra: Partial<SshProbe> = {}): KeyedProbe & SshProbe => {
    n++;
    return {
      kind: 'ssh',
      id: `p${n}`,
      key: `t/p${n}`,
      target: 'vm',
      ssh: { id: 'pve', host: '127.0.0.1', port: sshd.port, user: sshd.user },
      command,
      args,
      connectTimeoutMs: 5000,
      commandTimeoutMs: 5000,
      ...extra,
    };
  };
  const exec = (opts: ConstructorParameters<typeof LiveExecutor>[0] = {}) =>
    new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, knownHostsFile: sshd.knownHosts, identity: sshd.clientKey, ...opts });
  const run = async (probes: KeyedProbe[], opts?: ConstructorParameters<typeof LiveExecutor>[0]) => (await exec(opts).execute(probes)) as SshObservation[];

  it('runs allowlisted commands over ONE connection per host, with stub qm/tailscale/systemctl/docker', async () => {
    sshd.clearState();
    sshd.setState('vm-205/status', 'running');
    sshd.setState('vm-205/agent', 'ok');
    sshd.setState('tailscale.json', '{"BackendState":"Running","Self":{"Online":true,"TailscaleIPs":["100.120.163.70"]}}');
    sshd.setState('units/cron', 'active');
    sshd.setState('compose.json', '[{"Name":"observability","Status":"running(4)","ConfigFiles":"/opt/stacks/observability/docker-compose.yml"}]');
    const before = sshd.logins();
    const obs = await run([
      probe('reachability'),
      probe('qm-status', { vmid: '205' }),
      probe('qm-status', { vmid: '206' }),
      probe('qm-agent-ping', { vmid: '205' }),
      probe('tailscale-status'),
      probe('systemctl-is-active', { unit: 'cron' }),
      probe('systemctl-is-active', { unit: 'crond' }),
      probe('docker-compose-ls'),
    ]);
    expect(sshd.logins() - before).toBe(1);
    expect(obs.map((o) => [o.outcome, o.exitCode])).toEqual([
      ['exited', 0],
      ['exited', 0],
      ['exited', 2],
      ['exited', 0],
      ['exited', 0],
      ['exited', 0],
      ['exited', 3],
      ['exited', 0],
    ]);
    expect(obs[1]!.stdout).toBe('status: running');
    expect(obs[1]!.commandLine).toBe("qm status '205'");
    expect(obs[2]!.stderr).toContain('does not exist');
    expect(JSON.parse(obs[4]!.stdout!).Self.TailscaleIPs).toEqual(['100.120.163.70']);
    expect(obs[6]!.stdout).toBe('inactive');
    expect(JSON.parse(obs[7]!.stdout!)[0].Name).toBe('observability');
    expect(obs.every((o) => o.address === '127.0.0.1' && o.durationMs >= 0)).toBe(true);
  });

  it('newest-file finds the newest matching backup with its mtime', async () => {
    const dir = join(work, 'dump');
    mkdirSync(dir, { recursive: true });
    for (const [name, epoch] of [
      ['vzdump-qemu-205-2026_03_01-01_00_00.vma.zst', 1772326800],
      ['vzdump-qemu-205-2026_03_04-01_00_00.vma.zst', 1772586000],
      ['vzdump-qemu-206-2026_03_05-01_00_00.vma.zst', 1772672400],
    ] as const) {
      writeFileSync(join(dir, name), 'x');
      utimesSync(join(dir, name), epoch, epoch);
    }
    mkdirSync(join(dir, 'run-1'));
    writeFileSync(join(dir, 'run-1', 'manifest.txt'), 'x');
    utimesSync(join(dir, 'run-1', 'manifest.txt'), 1772500000, 1772500000);
    const [hit, none, missing, sub] = await run([
      probe('newest-file', { dir, glob: 'vzdump-qemu-205-*.vma.zst' }),
      probe('newest-file', { dir, glob: 'vzdump-qemu-999-*.vma.zst' }),
      probe('newest-file', { dir: join(work, 'nope'), glob: '*' }),
      probe('newest-file', { dir: dir + '/', glob: '*/manifest.txt' }),
    ]);
    expect(sub!.stdout).toMatch(new RegExp(`^1772500000(\\.0+)? ${dir}/run-1/manifest\\.txt$`));
    expect(hit).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(hit!.stdout).toMatch(new RegExp(`^1772586000(\\.0+)? ${dir}/vzdump-qemu-205-2026_03_04-01_00_00\\.vma\\.zst$`));
    expect(none).toMatchObject({ outcome: 'exited', exitCode: 0, stdout: '' });
    expect(missing).toMatchObject({ outcome: 'exited', exitCode: 3, stderr: 'no such directory' });
  });

  it('refuses invalid commands before any connection opens', async () => {
    const before = sshd.logins();
    const obs = await run([probe('qm-status', { vmid: '205; reboot' }), probe('newest-file', { dir: '/x', glob: '-exec' }), probe('rm' as CommandName)]);
    expect(obs.map((o) => o.outcome)).toEqual(['refused-policy', 'refused-policy', 'refused-policy']);
    expect(obs[0]!.error).toBe('refused before connecting: command \'qm-status\': vmid must be digits only (got "205; reboot")');
    expect(obs[0]!.attempts).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(sshd.logins()).toBe(before);
    expect(sshd.log()).not.toContain('reboot');
  });

  it('address policy applies to SSH too', async () => {
    const [o] = await run([probe('reachability')], { allow: ['::1'] });
    expect(o).toMatchObject({ outcome: 'refused-policy' });
  });

  it('unknown host key: failed probe with a clear message; --accept-new trusts it on first use', async () => {
    const kh = join(work, 'kh-empty');
    writeFileSync(kh, '');
    const [o] = await run([probe('reachability')], { knownHostsFile: kh });
    expect(o!.outcome).toBe('host-key-unknown');
    expect(o!.error).toBe(`host key of [127.0.0.1]:${sshd.port} is not in ${kh} (verify it, then add it, or run with --accept-new to trust it on first use)`);
    const [a] = await run([probe('reachability')], { knownHostsFile: kh, acceptNew: true });
    expect(a).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(readFileSync(kh, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostKeyLine}\n`);
    const [again] = await run([probe('reachability')], { knownHostsFile: kh });
    expect(again).toMatchObject({ outcome: 'exited', exitCode: 0 });
  });

  it('changed host key: refused even with --accept-new', async () => {
    const other = join(work, 'otherkey');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const kh = join(work, 'kh-wrong');
    writeFileSync(kh, `# stale\n[127.0.0.1]:${sshd.port} ${readFileSync(other + '.pub', 'utf8').trim()}\n`);
    const [o] = await run([probe('reachability'), probe('tailscale-status')], { knownHostsFile: kh, acceptNew: true });
    expect(o!.outcome).toBe('host-key-mismatch');
    expect(o!.error).toContain(`HOST KEY CHANGED for [127.0.0.1]:${sshd.port}: it does not match ${kh} line 2`);
  });

  it('hashed known_hosts entries are honoured', async () => {
    const kh = join(work, 'kh-hashed');
    copyFileSync(sshd.knownHosts, kh);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const [o] = await run([probe('reachability')], { knownHostsFile: kh });
    expect(o).toMatchObject({ outcome: 'exited', exitCode: 0 });
  });

  it('refused authentication', async () => {
    const [o, p] = await run([probe('reachability'), probe('tailscale-status')], { identity: sshd.strangerKey });
    expect(o!.outcome).toBe('auth-failed');
    expect(o!.error).toBe(`authentication as '${sshd.user}' refused (identity ${sshd.strangerKey})`);
    expect(p!.outcome).toBe('auth-failed');
  });

  it('command timeout: the command is abandoned, the next one on the connection still runs', async () => {
    sshd.clearState();
    sshd.setState('vm-300/sleep', '20');
    sshd.setState('vm-300/status', 'running');
    sshd.setState('units/cron', 'active');
    const started = performance.now();
    const [slow, next] = await run([probe('qm-status', { vmid: '300' }, { commandTimeoutMs: 700 }), probe('systemctl-is-active', { unit: 'cron' })]);
    expect(slow).toMatchObject({ outcome: 'timeout', error: 'command timed out after 700 ms' });
    expect(next).toMatchObject({ outcome: 'exited', exitCode: 0, stdout: 'active' });
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('SSH executor against an in-process ssh2 server (faults sshd will not produce)', () => {
  type Mode = 'hang-after-auth' | 'drop-mid-command' | 'answer-slowly';
  let server: import('ssh2').Server;
  let port: number;
  let mode: Mode = 'hang-after-auth';
  let dir: string;
  let knownHosts: string;
  let clientKey: string;

  beforeAll(async () => {
    const { Server, utils } = await import('ssh2');
    const host = utils.generateKeyPairSync('ed25519');
    const client = utils.generateKeyPairSync('ed25519');
    dir = mkdtempSync(join(tmpdir(), 'spine-lint-ssh2-'));
    clientKey = join(dir, 'client');
    writeFileSync(clientKey, client.private, { mode: 0o600 });
    server = new Server({ hostKeys: [host.private] }, (conn) => {
      conn.on('error', () => undefined);
      conn.on('authentication', (ctx) => (ctx.method === 'publickey' ? ctx.accept() : ctx.reject(['publickey'])));
      conn.on('ready', () => {
        conn.on('session', (accept) => {
          if (mode === 'hang-after-auth') return; // never confirm the channel
          const session = accept();
          session.on('exec', (acceptExec) => {
            const stream = acceptExec();
            if (mode === 'answer-slowly') {
              // Answers after 300 ms: longer than a timer that fires early, shorter than any sane timeout.
              setTimeout(() => {
                stream.write('status: running\n');
                stream.exit(0);
                stream.end();
              }, 300);
              return;
            }
            stream.write('status: runn');
            setTimeout(() => (conn as unknown as { _sock: { destroy(): void } })._sock.destroy(), 50);
          });
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${host.public.trim().split(/\s+/).slice(0, 2).join(' ')}\n`);
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const probe = (id: string, commandTimeoutMs = 600): KeyedProbe & SshProbe => ({
    kind: 'ssh',
    id,
    key: `t/${id}`,
    target: 'h',
    ssh: { id: 'h', host: '127.0.0.1', port, user: 'root' },
    command: 'qm-status',
    args: { vmid: '1' },
    connectTimeoutMs: 3000,
    commandTimeoutMs,
  });
  const run = (probes: KeyedProbe[]) =>
    new LiveExecutor({ allow: LOOPBACK_ONLY, commands: remoteCommands, knownHostsFile: knownHosts, identity: clientKey }).execute(probes) as Promise<SshObservation[]>;

  it('hang after auth: each command times out, the run still ends', async () => {
    mode = 'hang-after-auth';
    const started = performance.now();
    const obs = await run([probe('a'), probe('b')]);
    expect(obs.map((o) => o.outcome)).toEqual(['timeout', 'timeout']);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('connect and command timeouts beyond the timer limit (3 000 000 s) are clamped: the command answers, nothing times out at once', async () => {
    mode = 'answer-slowly';
    const huge = 3_000_000 * 1000;
    const [o] = await run([{ ...probe('slow'), connectTimeoutMs: huge, commandTimeoutMs: huge }]);
    expect(o).toMatchObject({ outcome: 'exited', exitCode: 0, stdout: 'status: running' });
    expect(o!.probe).toMatchObject({ connectTimeoutMs: MAX_PROBE_TIMEOUT_MS, commandTimeoutMs: MAX_PROBE_TIMEOUT_MS });
  });

  it('drop mid-command: an error saying the connection dropped, partial output kept', async () => {
    mode = 'drop-mid-command';
    const [o, after] = await run([probe('a', 3000), probe('b', 3000)]);
    expect(o).toMatchObject({ outcome: 'error', error: 'connection dropped while the command was running', stdout: 'status: runn' });
    expect(after).toMatchObject({ outcome: 'error', error: 'connection closed before the command could run' });
  });
});
