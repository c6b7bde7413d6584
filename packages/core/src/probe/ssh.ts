import { readRegularFile } from '../safeFs.js';
import { resolveAllowed, type AddressPolicy, type Lookup } from './addressPolicy.js';
import { buildCommand, type CommandTable } from './commands.js';
import { hostKeyName, type HostKeyVerdict, type KnownHostsFile } from './knownHosts.js';
import { shownProbe } from './redact.js';
import { clampProbeTimeouts } from './timeouts.js';
import type { KeyedProbe, Outcome, SshObservation, SshProbe } from './types.js';

export interface SshRunOptions {
  policy: AddressPolicy;
  /** The only commands that may run: a probe naming another is refused before anything connects. */
  commands: CommandTable;
  lookup: Lookup;
  knownHosts: KnownHostsFile;
  /** Trust-on-first-use: accept and record an unknown host key (never a changed one). */
  acceptNew?: boolean;
  /** Private key file (`--identity`). */
  identity?: string;
  /** SSH agent socket (`SSH_AUTH_SOCK`), used when no identity is given. */
  agent?: string;
}

type SshKeyed = KeyedProbe & SshProbe;

/** Output kept per stream. */
const MAX_OUTPUT = 256 * 1024;

/** The size bound of an identity (private key) file. */
const MAX_IDENTITY_BYTES = 1024 * 1024;

/** Why an SSH target from the bindings cannot be connected to (port, user, host syntax), or undefined. */
export function sshTargetProblem({ host, port, user }: { host: unknown; port: unknown; user: unknown }): string | undefined {
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) return `invalid port ${JSON.stringify(port)}`;
  if (typeof user !== 'string' || !/^[A-Za-z0-9._-]+$/.test(user) || user.startsWith('-')) return `invalid user name ${JSON.stringify(user)}`;
  if (typeof host !== 'string' || !/^(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\[?[0-9A-Fa-f:.]+\]?)$/.test(host))
    return `invalid host ${JSON.stringify(host)} (a host name or IP address: letters, digits, . _ - and no leading '-')`;
  return undefined;
}

/** Probes of one SSH connection: same user, host and port. */
export const connectionKey = (p: SshProbe): string => `${p.ssh.user}@${p.ssh.host}:${p.ssh.port}`;

let nodeSshModule: Promise<typeof import('node-ssh')> | undefined;
const loadNodeSsh = (): Promise<typeof import('node-ssh')> => (nodeSshModule ??= import('node-ssh'));

/**
 * Run all probes of one host over one connection, commands one after another. Refused
 * commands (allowlist/arguments) are answered before anything connects; a connection failure
 * fails every remaining probe of the host with the same reason. Never throws.
 */
export async function runSshGroup(group: readonly SshKeyed[], options: SshRunOptions, onDone: (o: SshObservation) => void): Promise<SshObservation[]> {
  const started = performance.now();
  // Every timer below gets a bounded delay (timeouts.ts), whatever the bindings say.
  const probes = group.map(clampProbeTimeouts);
  const out: SshObservation[] = [];
  const emit = (o: SshObservation): void => {
    out.push(o);
    onDone(o);
  };
  const obs = (p: SshKeyed, fields: Partial<SshObservation> & { outcome: Outcome }, t0 = started): SshObservation => {
    const { key, ...probe } = p;
    return { key, kind: 'ssh', probe: shownProbe(probe), attempts: 1, durationMs: Math.round(performance.now() - t0), ...fields };
  };

  const runnable: { probe: SshKeyed; commandLine: string }[] = [];
  for (const p of probes) {
    const built = buildCommand(options.commands, p.command, p.args);
    if (!built.ok) emit(obs(p, { outcome: 'refused-policy', error: `refused before connecting: ${built.error}`, attempts: 0 }));
    else runnable.push({ probe: p, commandLine: built.commandLine });
  }
  if (runnable.length === 0) return out;
  const first = runnable[0]!.probe;
  const { host, port, user } = first.ssh;
  const failAll = (fields: Partial<SshObservation> & { outcome: Outcome }): SshObservation[] => {
    for (const r of runnable) emit(obs(r.probe, { commandLine: r.commandLine, ...fields }));
    return out;
  };
  const badTarget = sshTargetProblem(first.ssh);
  if (badTarget) return failAll({ outcome: 'refused-policy', error: `refused before connecting: ${badTarget}`, attempts: 0 });

  const resolved = await resolveAllowed(host, options.policy, options.lookup, Math.max(...runnable.map((r) => r.probe.connectTimeoutMs)));
  if (!resolved.ok) return failAll({ outcome: resolved.outcome, error: resolved.error, attempts: 0 });

  let verdict: HostKeyVerdict | undefined;
  let accepted = false;
  let notAdded: string | undefined;
  const hostVerifier = (key: Buffer): boolean => {
    verdict = options.knownHosts.verify(host, port, key);
    if (verdict.status === 'known') return true;
    if (verdict.status === 'unknown' && options.acceptNew) {
      try {
        options.knownHosts.add(host, port, key);
      } catch (error) {
        // Not written (outside the root, a link, unwritable): the key is not trusted either.
        notAdded = (error as Error).message;
        return false;
      }
      accepted = true;
      return true;
    }
    return false;
  };

  let privateKey: string | undefined;
  if (options.identity) {
    // A regular file of bounded size (a FIFO or /dev/zero named as the key cannot hang the run).
    const read = readRegularFile(options.identity, MAX_IDENTITY_BYTES);
    if (read.status !== 'ok') return failAll({ outcome: 'error', error: `cannot read identity file ${options.identity}: ${read.status === 'missing' ? 'no such file' : read.reason}`, attempts: 0 });
    privateKey = read.bytes.toString('utf8');
  }
  const connectTimeout = Math.max(...runnable.map((r) => r.probe.connectTimeoutMs));
  const { NodeSSH } = await loadNodeSsh();
  const ssh = new NodeSSH();
  const name = hostKeyName(host, port);
  let closed = false;
  try {
    await withTimeout(
      ssh.connect({
        host: resolved.address,
        port,
        username: user,
        ...(privateKey ? { privateKey } : options.agent ? { agent: options.agent } : {}),
        hostVerifier,
        readyTimeout: connectTimeout,
        keepaliveInterval: 0,
        tryKeyboard: false,
      }),
      connectTimeout + 1000,
      'connect timeout',
    );
  } catch (error) {
    ssh.connection?.end();
    const message = (error as Error).message ?? String(error);
    const level = (error as { level?: string }).level;
    const code = (error as { code?: string }).code;
    const file = options.knownHosts.path;
    if (verdict?.status === 'unknown' && notAdded !== undefined)
      return failAll({ outcome: 'host-key-unknown', error: `host key of ${name} is not in ${file}, and accept-new could not add it: ${notAdded}`, address: resolved.address });
    if (verdict?.status === 'unknown')
      return failAll({
        outcome: 'host-key-unknown',
        error: `host key of ${name} is not in ${file} (verify it, then add it, or run with --accept-new to trust it on first use)`,
        address: resolved.address,
      });
    if (verdict?.status === 'mismatch')
      return failAll({
        outcome: 'host-key-mismatch',
        error: `HOST KEY CHANGED for ${name}: it does not match ${file} line ${verdict.lines.join(', ')} (possible man-in-the-middle; if the host was rebuilt, remove the old entry)`,
        address: resolved.address,
      });
    if (verdict?.status === 'revoked') return failAll({ outcome: 'host-key-mismatch', error: `host key of ${name} is marked @revoked in ${file} line ${verdict.line}`, address: resolved.address });
    if (code === 'ECONNREFUSED') return failAll({ outcome: 'refused', error: `connection refused (${resolved.address}:${port})`, address: resolved.address });
    if (level === 'client-authentication')
      return failAll({
        outcome: 'auth-failed',
        error: `authentication as '${user}' refused (${privateKey ? `identity ${options.identity}` : options.agent ? 'keys from the SSH agent' : 'no identity and no SSH agent'})`,
        address: resolved.address,
      });
    if (level === 'client-timeout' || /timed out|timeout/i.test(message) || code === 'ETIMEDOUT')
      return failAll({ outcome: 'timeout', error: `connect timeout after ${connectTimeout} ms`, address: resolved.address });
    if (code === 'ECONNRESET') return failAll({ outcome: 'reset', error: 'connection reset during SSH handshake', address: resolved.address });
    return failAll({ outcome: 'error', error: `SSH connection failed: ${message}`, address: resolved.address });
  }
  const connection = ssh.connection!;
  connection.on('error', () => undefined);
  connection.on('close', () => {
    closed = true;
  });
  const note = accepted ? `host key of ${name} added to ${options.knownHosts.path} (accept-new)` : undefined;
  try {
    for (const { probe, commandLine } of runnable) {
      const t0 = performance.now();
      if (closed) {
        emit(obs(probe, { outcome: 'error', error: 'connection closed before the command could run', commandLine, address: resolved.address }, t0));
        continue;
      }
      let channel: { close(): void; destroy?(): void } | undefined;
      let stdout = '';
      let stderr = '';
      const cap = (acc: string, chunk: Buffer): string => (acc.length >= MAX_OUTPUT ? acc : acc + chunk.toString('utf8').slice(0, MAX_OUTPUT - acc.length));
      try {
        const res = await withTimeout(
          ssh.execCommand(commandLine, {
            onChannel: (c) => (channel = c),
            onStdout: (c) => (stdout = cap(stdout, c)),
            onStderr: (c) => (stderr = cap(stderr, c)),
          }),
          probe.commandTimeoutMs,
          'command timeout',
        );
        stdout = stdout.trimEnd();
        stderr = stderr.trimEnd();
        if (res.code === null && res.signal === null && closed) {
          emit(obs(probe, { outcome: 'error', error: 'connection dropped while the command was running', commandLine, stdout, stderr, exitCode: null, address: resolved.address }, t0));
        } else {
          emit(
            obs(
              probe,
              {
                outcome: 'exited',
                exitCode: res.code,
                stdout,
                stderr,
                commandLine,
                address: resolved.address,
                ...(res.signal ? { error: `killed by signal ${res.signal}` } : note ? { error: note } : {}),
              },
              t0,
            ),
          );
        }
      } catch (error) {
        const timeout = (error as Error).message === 'command timeout';
        try {
          channel?.close();
        } catch {
          /* already gone */
        }
        emit(
          obs(
            probe,
            timeout
              ? { outcome: 'timeout', error: `command timed out after ${probe.commandTimeoutMs} ms`, commandLine, stdout, stderr, address: resolved.address }
              : { outcome: 'error', error: `command failed: ${(error as Error).message}`, commandLine, stdout, stderr, address: resolved.address },
            t0,
          ),
        );
      }
    }
  } finally {
    ssh.dispose();
    connection.destroy();
  }
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
