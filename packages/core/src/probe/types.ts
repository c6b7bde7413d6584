/**
 * Probes and observations: what a live check asks for (`plan`) and what came back (`evaluate`).
 * Both are plain JSON so a run can be recorded and replayed.
 */

/** An HTTP(S) GET. Redirects are never followed; the body is read up to `maxBodyBytes`. */
export interface HttpProbe {
  kind: 'http';
  /** Stable id within the check (`health:prometheus`); the engine prefixes it with the check id. */
  id: string;
  /** What the probe is about (endpoint or host id): the `target` label of metrics and findings. */
  target: string;
  url: string;
  /** Connect timeout (TCP + TLS), milliseconds. */
  connectTimeoutMs: number;
  /** Total timeout (connect, headers and body), milliseconds. */
  totalTimeoutMs: number;
  /** Statuses that count as success; used only to decide whether a retry is worth it. */
  expectStatus?: readonly number[];
  /** Keep (up to the cap) the body text in the observation, for a body expectation. */
  captureBody?: boolean;
  /** The text the check looks for in the body, for `--dry-run` to show (the check's `evaluate` decides). */
  expectBodyContains?: string;
  /** Timeouts the check planned over the maximum, lowered to it (set by the engine, shown by `--dry-run`). */
  clampedTimeouts?: readonly ClampedTimeout[];
}

/** The timeout fields of a probe (milliseconds). */
export type TimeoutField = 'connectTimeoutMs' | 'totalTimeoutMs' | 'commandTimeoutMs';

/** A planned timeout that was over the maximum (`MAX_PROBE_TIMEOUT_MS`) or not a number, and the value used instead. */
export interface ClampedTimeout {
  field: TimeoutField;
  /** The value the check planned (from the bindings, options or config), as given. */
  configuredMs: number;
  /** The value used. */
  ms: number;
}

/** Where an SSH command runs: from ssh.targets (or the check's resolution of a host id). */
export interface SshTarget {
  /** Host id (join key), used for grouping, known_hosts messages and metrics. */
  id: string;
  host: string;
  port: number;
  user: string;
}

/**
 * One allowlisted command on one host. The command is a name of the executor's command table
 * (`LiveExecutorOptions.commands`); the executor validates and quotes the arguments, and refuses a
 * name its table does not have before anything connects.
 */
export interface SshProbe {
  kind: 'ssh';
  id: string;
  target: string;
  ssh: SshTarget;
  command: string;
  args: Readonly<Record<string, string>>;
  /** Connect (TCP + handshake + auth) timeout, milliseconds. */
  connectTimeoutMs: number;
  /** Command timeout, milliseconds. */
  commandTimeoutMs: number;
  /** Timeouts the check planned over the maximum, lowered to it (set by the engine, shown by `--dry-run`). */
  clampedTimeouts?: readonly ClampedTimeout[];
}

export type Probe = HttpProbe | SshProbe;

/**
 * How a probe ended.
 * - `response` (HTTP: a status line came back) / `exited` (SSH: the command ran to an exit code)
 * - `refused-policy`: the address policy or the command allowlist refused it before any packet
 * - `dns`: the name did not resolve; `refused`: connection refused; `timeout`; `reset`; `tls`
 * - `host-key-unknown`, `host-key-mismatch`, `auth-failed`: SSH connection set-up failures
 * - `error`: anything else (message in `error`); `not-recorded`: replay had no observation
 */
export type Outcome = 'response' | 'exited' | 'refused-policy' | 'dns' | 'refused' | 'timeout' | 'reset' | 'tls' | 'host-key-unknown' | 'host-key-mismatch' | 'auth-failed' | 'error' | 'not-recorded';

interface ObservationBase {
  /** The probe's full key (`<check id>/<probe id>`). */
  key: string;
  outcome: Outcome;
  /** Human-readable reason for every outcome except a plain response/exit. */
  error?: string;
  /** Wall time of the probe (all attempts), milliseconds. */
  durationMs: number;
  /** Attempts made (1 without retries; 0 when refused before any attempt). */
  attempts: number;
  /** The address actually connected to, after resolution. */
  address?: string;
}

export interface HttpObservation extends ObservationBase {
  kind: 'http';
  probe: HttpProbe;
  status?: number;
  /** Phase a timeout happened in. */
  timeoutPhase?: 'connect' | 'headers' | 'body' | 'total';
  /** Captured body text (only when the probe asked), capped. */
  body?: string;
  bodyTruncated?: boolean;
}

export interface SshObservation extends ObservationBase {
  kind: 'ssh';
  probe: SshProbe;
  /** The exact command line sent (after validation and quoting). */
  commandLine?: string;
  exitCode?: number | null;
  stdout?: string;
  stderr?: string;
}

export type Observation = HttpObservation | SshObservation;

/** True when an observation ended with the remote side answering (any status / exit code). */
export const answered = (o: Observation): boolean => o.outcome === 'response' || o.outcome === 'exited';

/** Progress of a run, for a TTY progress line. */
export interface ProbeProgress {
  done: number;
  total: number;
  failed: number;
}

/** Runs probes: live (network), or from a recording. */
export interface ProbeExecutor {
  execute(probes: readonly KeyedProbe[], onProgress?: (p: ProbeProgress) => void): Promise<Observation[]>;
}

/** A probe with its run-wide key. */
export type KeyedProbe = Probe & { key: string };
