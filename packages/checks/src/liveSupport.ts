/**
 * Shared pieces of the live checks: resolving a host id to an SSH target (ssh.targets, spec §1.1),
 * timeouts, and describing a failed observation in one phrase. Pure: no I/O.
 */
import { pairObservations, type HttpObservation, type Observation, type Probe, type SshObservation, type SshProbe, type SshTarget as ProbeSshTarget } from '@spine-lint/core';
import type { Workspace } from '@spine-lint/core';
import { sshTargets, type SshTarget } from './bindings/sshTargets.js';
import type { CommandName } from './commands.js';

export const DEFAULT_SSH_CONNECT_SEC = 6;
export const DEFAULT_COMMAND_TIMEOUT_SEC = 15;

export type SshResolution = { ok: true; target: ProbeSshTarget; binding: SshTarget; connectTimeoutMs: number } | { ok: false; reason: 'missing' | 'no-host'; binding?: SshTarget };

/**
 * Resolve a host id through ssh.targets: `host`, `user // defaults.user // "root"`,
 * `port // defaults.port // 22`, connect timeout `connect_timeout_sec // defaults // 6`.
 */
export function resolveSsh(ws: Workspace, hostId: string): SshResolution {
  const view = sshTargets(ws);
  const binding = view.get(hostId);
  if (!binding) return { ok: false, reason: 'missing' };
  if (!binding.host || binding.host === 'null') return { ok: false, reason: 'no-host', binding };
  const connectSec = binding.connect_timeout_sec ?? view.defaults.connect_timeout_sec ?? DEFAULT_SSH_CONNECT_SEC;
  return {
    ok: true,
    binding,
    target: { id: hostId, host: binding.host, port: binding.port ?? view.defaults.port ?? 22, user: binding.user ?? view.defaults.user ?? 'root' },
    connectTimeoutMs: Math.round(connectSec * 1000),
  };
}

/** Build an SSH probe for a resolved target. */
export function sshProbe(id: string, target: string, r: Extract<SshResolution, { ok: true }>, command: CommandName, args: Record<string, string>, commandTimeoutMs: number): SshProbe {
  return { kind: 'ssh', id, target, ssh: r.target, command, args, connectTimeoutMs: r.connectTimeoutMs, commandTimeoutMs };
}

/**
 * The observation of each planned probe, found by the probe's key (never by position): `evaluate`
 * rebuilds the probes its `plan` returned (same ids, same order) and asks for each one's. A probe
 * without an observation gets undefined (the engine gives every planned probe one).
 */
export function observationsOf<P extends Probe>(probes: readonly P[], observations: readonly Observation[]): (probe: P) => ObservationOf<P> | undefined {
  const paired = pairObservations(probes, observations);
  const byProbe = new Map<P, Observation | undefined>(probes.map((p, i) => [p, paired[i]]));
  return (probe) => byProbe.get(probe) as ObservationOf<P> | undefined;
}

/** The observation type of a probe type. */
export type ObservationOf<P extends Probe> = P extends SshProbe ? SshObservation : HttpObservation;

/** One phrase for an observation that did not get an answer (or `undefined` when it did). */
export function failureOf(o: Observation | undefined): string | undefined {
  if (!o) return 'no observation';
  switch (o.outcome) {
    case 'response':
    case 'exited':
      return undefined;
    case 'timeout':
      return o.kind === 'http'
        ? `timeout (${o.timeoutPhase === 'body' ? `HTTP ${o.status}, body stalled` : o.timeoutPhase === 'connect' ? 'connect' : 'no response'})`
        : `timeout (${o.error ?? 'no answer'})`;
    case 'refused':
      return 'connection refused';
    case 'reset':
      return 'connection reset';
    case 'dns':
      return `DNS failure (${o.error ?? ''})`;
    case 'tls':
      return o.error ?? 'TLS error';
    case 'refused-policy':
      return `not probed: ${o.error ?? 'refused by policy'}`;
    case 'host-key-unknown':
    case 'host-key-mismatch':
    case 'auth-failed':
      return o.error ?? o.outcome;
    case 'not-recorded':
      return 'not in the recording';
    default:
      return o.error ?? o.outcome;
  }
}

/** Short description of an SSH command result that exited non-zero. */
export function exitText(o: SshObservation): string {
  const err = (o.stderr ?? '').split('\n')[0]?.trim();
  return `exit ${o.exitCode ?? '?'}${err ? `: ${err.slice(0, 160)}` : ''}`;
}

export const ms = (o: Observation | undefined): number => o?.durationMs ?? 0;
