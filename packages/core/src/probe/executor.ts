import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { AddressPolicy, systemLookup, type Lookup } from './addressPolicy.js';
import { runHttpProbe } from './http.js';
import { KnownHostsFile } from './knownHosts.js';
import { mapLimited } from './limiter.js';
import { connectionKey, runSshGroup } from './ssh.js';
import { answered, type HttpProbe, type KeyedProbe, type Observation, type ProbeExecutor, type ProbeProgress, type SshProbe } from './types.js';

export interface LiveExecutorOptions {
  /** Address ranges probes may reach (undefined: everything but link-local). */
  allow?: readonly string[];
  /** Parallel HTTP probes and SSH hosts. */
  concurrency?: number;
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

export const DEFAULT_CONCURRENCY = 8;

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

    // Units of work: each HTTP probe alone; all SSH probes of one host together (one connection).
    type Unit = { http: KeyedProbe & HttpProbe } | { ssh: (KeyedProbe & SshProbe)[] };
    const units: Unit[] = [];
    const groups = new Map<string, (KeyedProbe & SshProbe)[]>();
    for (const raw of probes) {
      const p = withTimeout(raw);
      if (p.kind === 'http') units.push({ http: p });
      else {
        const k = connectionKey(p);
        let g = groups.get(k);
        if (!g) {
          g = [];
          groups.set(k, g);
          units.push({ ssh: g });
        }
        g.push(p);
      }
    }
    let knownHosts: KnownHostsFile | undefined;
    const byKey = new Map<string, Observation>();
    await mapLimited(units, Math.max(1, o.concurrency ?? DEFAULT_CONCURRENCY), async (unit) => {
      if ('http' in unit) {
        const obs = await runHttpProbe(unit.http, { policy: this.policy, lookup, ca: o.ca }, o.retries ?? 0);
        byKey.set(obs.key, obs);
        tick(obs);
      } else {
        knownHosts ??= new KnownHostsFile(o.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'));
        await runSshGroup(unit.ssh, { policy: this.policy, lookup, knownHosts, acceptNew: o.acceptNew, identity: o.identity, agent: o.agent }, (obs) => {
          byKey.set(obs.key, obs);
          tick(obs);
        });
      }
    });
    return probes.map((p) => byKey.get(p.key)!);
  }
}

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
