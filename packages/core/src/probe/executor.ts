import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { AddressPolicy, systemLookup, type Lookup } from './addressPolicy.js';
import { HttpDispatchers, runHttpProbe } from './http.js';
import { KnownHostsFile } from './knownHosts.js';
import { mapLimited, Semaphore } from './limiter.js';
import { connectionKey, runSshGroup } from './ssh.js';
import { answered, type HttpProbe, type KeyedProbe, type Observation, type ProbeExecutor, type ProbeProgress, type SshProbe } from './types.js';

export interface LiveExecutorOptions {
  /** Address ranges probes may reach (undefined: everything but link-local). */
  allow?: readonly string[];
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

  constructor(private readonly options: LiveExecutorOptions = {}) {
    this.policy = new AddressPolicy(options.allow);
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
    const withTimeout = <P extends KeyedProbe>(p: P): P =>
      o.timeoutMs === undefined ? p : p.kind === 'http' ? { ...p, totalTimeoutMs: o.timeoutMs, connectTimeoutMs: Math.min(p.connectTimeoutMs, o.timeoutMs) } : { ...p, commandTimeoutMs: o.timeoutMs, connectTimeoutMs: Math.min(p.connectTimeoutMs, o.timeoutMs) };

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
      const knownHosts = new KnownHostsFile(o.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'));
      const perEndpoint = new Map<string, Semaphore>();
      await mapLimited(interleaveByEndpoint([...groups.values()]), limit(o.sshConcurrency, DEFAULT_SSH_CONCURRENCY), async (group) => {
        const endpoint = endpointOf(group);
        let gate = perEndpoint.get(endpoint);
        if (!gate) perEndpoint.set(endpoint, (gate = new Semaphore(SSH_CONNECTIONS_PER_ENDPOINT)));
        await gate.use(() => runSshGroup(group, { policy: this.policy, lookup, knownHosts, acceptNew: o.acceptNew, identity: o.identity, agent: o.agent }, record));
      });
    };
    await Promise.all([runHttp(), runSsh()]);
    return probes.map((p) => byKey.get(p.key)!);
  }
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

export function writeRecording(path: string, observations: readonly Observation[], now = new Date()): void {
  const recording: Recording = { format: 'spine-lint-probe-recording', version: 1, recordedAt: now.toISOString(), observations: [...observations] };
  writeFileSync(path, JSON.stringify(recording, null, 2) + '\n');
}

export function readRecording(path: string): Recording {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read recording ${path}: ${(error as Error).message}`);
  }
  const r = parsed as Partial<Recording>;
  if (r?.format !== 'spine-lint-probe-recording' || r.version !== 1 || !Array.isArray(r.observations)) throw new Error(`${path} is not a spine-lint probe recording (format/version 1)`);
  return r as Recording;
}

/** Answers probes from a recording; a probe that was not recorded gets a `not-recorded` observation. */
export class ReplayExecutor implements ProbeExecutor {
  private readonly byKey: Map<string, Observation>;

  constructor(recording: Recording) {
    this.byKey = new Map(recording.observations.map((o) => [o.key, o]));
  }

  async execute(probes: readonly KeyedProbe[], onProgress?: (p: ProbeProgress) => void): Promise<Observation[]> {
    let failed = 0;
    return probes.map((p, i) => {
      const { key, ...probe } = p;
      const recorded = this.byKey.get(key);
      const obs: Observation =
        recorded && recorded.kind === p.kind
          ? recorded
          : ({ key, kind: p.kind, probe, outcome: 'not-recorded', error: `no recorded observation for ${key}`, durationMs: 0, attempts: 0 } as Observation);
      if (!answered(obs)) failed++;
      onProgress?.({ done: i + 1, total: probes.length, failed });
      return obs;
    });
  }
}
