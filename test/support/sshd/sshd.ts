/**
 * A real OpenSSH sshd on 127.0.0.1 for the probe tests: its own config, generated host and
 * client keys, and stub `qm`, `tailscale`, `systemctl`, `docker` first on the session PATH
 * (sshd_config `SetEnv`). Started and stopped by the test; never listens beyond loopback.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STUBS_DIR = fileURLToPath(new URL('./stubs/', import.meta.url));

export interface SshdHandle {
  port: number;
  host: '127.0.0.1';
  user: string;
  dir: string;
  /** Private key accepted by the server. */
  clientKey: string;
  /** A private key the server does not accept. */
  strangerKey: string;
  /** `ssh-ed25519 AAAA…` of the server's host key. */
  hostKeyLine: string;
  /** known_hosts file holding the right host key for [127.0.0.1]:port. */
  knownHosts: string;
  /** State directory the stubs read (`$STUB_STATE`). */
  state: string;
  /** Write a stub state file (relative to `state`). */
  setState(path: string, content: string): void;
  clearState(): void;
  /** sshd's log so far (LogLevel VERBOSE). */
  log(): string;
  /** Successful logins so far (one per SSH connection). */
  logins(): number;
  stop(): Promise<void>;
}

export function findSshd(): string | undefined {
  for (const p of ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd']) if (existsSync(p)) return p;
  return undefined;
}

/** Why the real-sshd tests cannot run here, or undefined when they can. */
export function sshdUnavailableReason(): string | undefined {
  if (!findSshd()) return 'OpenSSH sshd is not installed (run test/support/sshd/install.sh as root, or install openssh-server)';
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'ssh-keygen is not installed';
  }
  if (process.getuid?.() !== 0) return 'sshd tests need root (sshd privilege separation and logging in as the current user)';
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function keygen(path: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { stdio: 'ignore' });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port}:\n${log()}`);
}

export async function startSshd(): Promise<SshdHandle> {
  const sshd = findSshd();
  if (!sshd) throw new Error('sshd not installed');
  const dir = mkdtempSync(join(tmpdir(), 'spine-lint-sshd-'));
  chmodSync(dir, 0o755);
  const state = join(dir, 'state');
  mkdirSync(state);
  keygen(join(dir, 'host_ed25519'), 'test-host');
  keygen(join(dir, 'client'), 'test-client');
  keygen(join(dir, 'stranger'), 'test-stranger');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  mkdirSync('/run/sshd', { recursive: true });
  const port = await freePort();
  const user = userInfo().username;
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${user}`,
    'StrictModes no',
    'UsePAM no',
    'PrintMotd no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'MaxStartups 50:30:100',
    'LogLevel VERBOSE',
    `SetEnv PATH=${STUBS_DIR}:/usr/bin:/bin STUB_STATE=${state}`,
  ].join('\n');
  writeFileSync(join(dir, 'sshd_config'), config + '\n');
  const hostKeyLine = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKeyLine}\n`);
  let log = '';
  const child = spawn(sshd, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  await waitForPort(port, child, () => log);
  return {
    port,
    host: '127.0.0.1',
    user,
    dir,
    clientKey: join(dir, 'client'),
    strangerKey: join(dir, 'stranger'),
    hostKeyLine,
    knownHosts: join(dir, 'known_hosts'),
    state,
    setState(path, content) {
      const full = join(state, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, content);
    },
    clearState() {
      rmSync(state, { recursive: true, force: true });
      mkdirSync(state);
    },
    log: () => log,
    logins: () => (log.match(/Accepted publickey/g) ?? []).length,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
