import { homedir } from 'node:os';
import { join } from 'node:path';
import { readRegularFileOrFail, writeFileAtomic } from '../safeFs.js';
import { AddressPolicy, systemLookup, type Lookup } from './addressPolicy.js';
import { defineCommands, NO_COMMANDS, type CommandTable } from './commands.js';
import { HttpDispatchers, runHttpProbe } from './http.js';
import { KnownHostsFile } from './knownHosts.js';
import { mapLimited, Semaphore } from './limiter.js';
import { redactCredentials, shownProbe } from './redact.js';
import { connectionKey, runSshGroup } from './ssh.js';
import { clampTimeoutMs } from './timeouts.js';
import { answered, type HttpProbe, type KeyedProbe, type Observation, type Outcome, type ProbeExecutor, type ProbeProgress, type SshProbe } from './types.js';

export interface LiveExecutorOptions {
  /** Address ranges probes may reach (undefined: everything but link-local). */
  allow?: readonly string[];
  /**
   * The fixed read-only command allowlist (`defineCommands`; spine-lint gives the catalog's
   * `remoteCommands`). An SSH probe naming a command not in it is refused before any name lookup or
   * connection; without a table, every SSH probe is.
   */
  commands?: CommandTable;
  /** HTTP requests in flight at once (default {@link DEFAULT_CONCURRENCY}). */
  concurrency?: number;
  /**
   * SSH hosts (connections) at once, independent of the HTTP limit (default
   * {@link DEFAULT_SSH_CONCURRENCY}); each host's commands run one after another on its connection.
   */
  sshConcurrency?: number;
  /** Extra attempts for a failed HTTP probe, with exponential backoff. */
  retries?: number;
  /** Overrides every probe's total/command timeout (ms). */
  timeoutMs?: number;
  knownHostsFile?: string;
  /**
   * Set when `knownHostsFile` comes from the repository's config (`probes.knownHosts`): accept-new
   * appends to it only when it resolves inside this directory (the root).
   */
  knownHostsInsideRoot?: string;
  acceptNew?: boolean;
  identity?: string;
  agent?: string;
  /** Name resolution; the system resolver by default. */
  lookup?: Lookup;
  /** Extra trusted CA certificates (PEM) for HTTPS. */
  ca?: string[];
}

/**
 * Default HTTP requests in flight. Probes wait on the network, not the CPU: a hanging endpoint
 * holds its slot for its whole timeout, so the limit must exceed the number of endpoints that may
 * hang at once or the healthy ones queue behind them (5% of 1 000 endpoints = 50 slots). Still
 * bounded: one socket per in-flight request.
 */
export const DEFAULT_CONCURRENCY = 128;

/** Default SSH hosts probed at once (one connection each), separate from the HTTP limit. */
export const DEFAULT_SSH_CONCURRENCY = 32;

/**
 * Connections opened at once to the same `host:port` (several users or ids of ssh.targets on one
 * sshd): stays under OpenSSH's `MaxStartups` default (10 unauthenticated connections before it
 * starts dropping), whatever the host limit.
 */
export const SSH_CONNECTIONS_PER_ENDPOINT = 8;

/** The network executor: undici for HTTP, node-ssh for SSH (both loaded only when used). */
export class LiveExecutor implements ProbeExecutor {
  readonly policy: AddressPolicy;
  /** The commands this executor may run: a frozen copy of the table it was given. */
  readonly commands: CommandTable;

  constructor(private readonly options: LiveExecutorOptions = {}) {
    this.policy = new AddressPolicy(options.allow);
    // Copied and frozen: changing the caller's object afterwards adds no command to this executor.
    this.commands = options.commands ? defineCommands(options.commands) : NO_COMMANDS;
  }

  async execute(probes: readonly KeyedProbe[], onProgress?: (p: ProbeProgress) => void): Promise<Observation[]> {
    const o = this.options;
    const lookup = o.lookup ?? systemLookup;
    const progress: ProbeProgress = { done: 0, total: probes.length, failed: 0 };
    const tick = (obs: Observation): void => {
      progress.done++;
      if (!answered(obs)) progress.failed++;
      onProgress?.({ ...progress });
    };
    // --timeout / probes.timeout, bounded like every other timeout (timeouts.ts); the executors clamp the probes' own.
    const override = o.timeoutMs === undefined ? undefined : clampTimeoutMs(o.timeoutMs);
    const withTimeout = <P extends KeyedProbe>(p: P): P =>
      override === undefined
        ? p
        : p.kind === 'http'
          ? { ...p, totalTimeoutMs: override, connectTimeoutMs: Math.min(p.connectTimeoutMs, override) }
          : { ...p, commandTimeoutMs: override, connectTimeoutMs: Math.min(p.connectTimeoutMs, override) };

    // HTTP: each probe alone. SSH: all probes of one connection (user@host:port) together.
    const http: (KeyedProbe & HttpProbe)[] = [];
    const groups = new Map<string, (KeyedProbe & SshProbe)[]>();
    for (const raw of probes) {
      const p = withTimeout(raw);
      if (p.kind === 'http') http.push(p);
      else {
        const k = connectionKey(p);
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(p);
      }
    }
    const byKey = new Map<string, Observation>();
    const record = (obs: Observation): void => {
      byKey.set(obs.key, obs);
      tick(obs);
    };

    // The two kinds run side by side, each under its own limit: SSH hosts never wait for HTTP
    // slots and the reverse. Within a kind, a slow probe holds only its own slot.
    const runHttp = async (): Promise<void> => {
      if (http.length === 0) return;
      const max = limit(o.concurrency, DEFAULT_CONCURRENCY);
      const dispatchers = new HttpDispatchers(o.ca, max);
      try {
        await mapLimited(http, max, async (p) => record(await runHttpProbe(p, { policy: this.policy, lookup, ca: o.ca, dispatchers }, o.retries ?? 0)));
      } finally {
        await dispatchers.close();
      }
    };
    const runSsh = async (): Promise<void> => {
      if (groups.size === 0) return;
      // The user's own ~/.ssh/known_hosts may be a link (dotfiles); a named file is never written through one.
      const knownHosts = new KnownHostsFile(o.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'), { insideRoot: o.knownHostsInsideRoot, followSymlinks: o.knownHostsFile === undefined });
      const perEndpoint = new Map<string, Semaphore>();
      await mapLimited(interleaveByEndpoint([...groups.values()]), limit(o.sshConcurrency, DEFAULT_SSH_CONCURRENCY), async (group) => {
        const endpoint = endpointOf(group);
        let gate = perEndpoint.get(endpoint);
        if (!gate) perEndpoint.set(endpoint, (gate = new Semaphore(SSH_CONNECTIONS_PER_ENDPOINT)));
        try {
          await gate.use(() => runSshGroup(group, { policy: this.policy, commands: this.commands, lookup, knownHosts, acceptNew: o.acceptNew, identity: o.identity, agent: o.agent }, record));
        } catch (error) {
          // Never one host's failure for the whole run: its probes without an observation fail with the reason.
          for (const p of group) if (!byKey.has(p.key)) record(failed(p, error));
        }
      });
    };
    await Promise.all([runHttp(), runSsh()]);
    // Every probe has an observation, whatever happened (a run always ends in a report and a recording).
    return probes.map((p) => byKey.get(p.key) ?? failed(withTimeout(p), new Error('no observation')));
  }
}

/** The observation of a probe whose executor failed unexpectedly (credentials redacted). */
function failed(p: KeyedProbe, error: unknown): Observation {
  const { key, ...probe } = p;
  return {
    key,
    kind: p.kind,
    probe: shownProbe(probe),
    outcome: 'error',
    error: redactCredentials(`probe failed: ${error instanceof Error ? error.message : String(error)}`),
    durationMs: 0,
    attempts: 0,
  } as Observation;
}

const endpointOf = (g: readonly SshProbe[]): string => `${g[0]!.ssh.host}:${g[0]!.ssh.port}`;

/**
 * Order connection groups round-robin over their endpoints (host:port), so that many users of one
 * sshd waiting on its per-endpoint gate do not hold every host slot while other hosts wait.
 */
function interleaveByEndpoint<G extends readonly SshProbe[]>(groups: G[]): G[] {
  const queues = new Map<string, G[]>();
  for (const g of groups) {
    const k = endpointOf(g);
    const q = queues.get(k);
    if (q) q.push(g);
    else queues.set(k, [g]);
  }
  const out: G[] = [];
  for (let round = 0; out.length < groups.length; round++) for (const q of queues.values()) if (round < q.length) out.push(q[round]!);
  return out;
}

const limit = (n: number | undefined, fallback: number): number => Math.max(1, Math.floor(n ?? fallback));

/** A recorded run: the observations of every probe, by key. */
export interface Recording {
  format: 'spine-lint-probe-recording';
  version: 1;
  recordedAt: string;
  observations: Observation[];
}

/** The size bound of a recording read by `--replay` (observations keep at most 64 KiB of body each). */
export const MAX_RECORDING_BYTES = 256 * 1024 * 1024;

/** Write a recording (`--record FILE`): atomically, never through a symbolic link; failures are `UsageError`s. */
export function writeRecording(path: string, observations: readonly Observation[], now = new Date()): void {
  const recording: Recording = { format: 'spine-lint-probe-recording', version: 1, recordedAt: now.toISOString(), observations: [...observations] };
  writeFileAtomic(path, JSON.stringify(recording, null, 2) + '\n', { what: 'recording', devices: true });
}

/**
 * Read a recording (`--replay FILE`): a regular file within {@link MAX_RECORDING_BYTES}, else a
 * `UsageError`; messages never quote the file.
 */
export function readRecording(path: string): Recording {
  const bytes = readRegularFileOrFail(path, MAX_RECORDING_BYTES, 'recording')!;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`cannot read recording ${path}: not valid JSON`);
  }
  const r = parsed as Partial<Recording>;
  if (r?.format !== 'spine-lint-probe-recording' || r.version !== 1 || !Array.isArray(r.observations)) throw new Error(`${path} is not a spine-lint probe recording (format/version 1)`);
  r.observations.forEach((o, i) => {
    const problem = observationProblem(o);
    if (problem) throw new Error(`cannot read recording ${path}: observations[${i}] ${problem}`);
  });
  return r as Recording;
}

const OUTCOMES: ReadonlySet<string> = new Set<Outcome>([
  'response',
  'exited',
  'refused-policy',
  'dns',
  'refused',
  'timeout',
  'reset',
  'tls',
  'host-key-unknown',
  'host-key-mismatch',
  'auth-failed',
  'error',
  'not-recorded',
]);
const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * Why a recorded entry is not an observation the evaluators can read, or undefined. Checks the
 * fields they read (a hand-edited or truncated recording must be refused, not crash a check);
 * the reason names types only, never the file's text.
 */
function observationProblem(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return `is ${kindOf(o)}, not an observation object`;
  const r = o as Record<string, unknown>;
  if (typeof r.key !== 'string') return `has no string 'key'`;
  if (r.kind !== 'http' && r.kind !== 'ssh') return `has 'kind' ${kindOf(r.kind) === 'string' ? 'other than http or ssh' : `of type ${kindOf(r.kind)}`}`;
  if (typeof r.outcome !== 'string' || !OUTCOMES.has(r.outcome)) return `has no known 'outcome'`;
  const typed: Array<[string, (v: unknown) => boolean]> = [
    ['error', (v) => typeof v === 'string'],
    ['durationMs', (v) => typeof v === 'number'],
    ['attempts', (v) => typeof v === 'number'],
    ['status', (v) => typeof v === 'number'],
    ['body', (v) => typeof v === 'string'],
    ['exitCode', (v) => v === null || typeof v === 'number'],
    ['stdout', (v) => typeof v === 'string'],
    ['stderr', (v) => typeof v === 'string'],
    ['probe', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)],
  ];
  for (const [field, ok] of typed) if (r[field] !== undefined && !ok(r[field])) return `has '${field}' of type ${kindOf(r[field])}`;
  return undefined;
}

/** Answers probes from a recording; a probe that was not recorded gets a `not-recorded` observation. */
export class ReplayExecutor implements ProbeExecutor {
  private readonly byKey: Map<string, Observation>;

  constructor(recording: Recording) {
    // Keys are matched with credentials redacted the current way (recordings made before the
    // `***` marker carried `REDACTED:REDACTED@`).
    this.byKey = new Map(recording.observations.map((o) => [redactCredentials(String(o.key)), o]));
  }

  async execute(probes: readonly KeyedProbe[], onProgress?: (p: ProbeProgress) => void): Promise<Observation[]> {
    let failed = 0;
    return probes.map((p, i) => {
      const { key, ...probe } = p;
      const recorded = this.byKey.get(redactCredentials(key));
      const obs: Observation =
        recorded && recorded.kind === p.kind
          ? recorded
          : ({ key, kind: p.kind, probe: shownProbe(probe), outcome: 'not-recorded', error: `no recorded observation for ${redactCredentials(key)}`, durationMs: 0, attempts: 0 } as Observation);
      if (!answered(obs)) failed++;
      onProgress?.({ done: i + 1, total: probes.length, failed });
      return obs;
    });
  }
}
