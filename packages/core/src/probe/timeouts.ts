import type { ClampedTimeout, Probe, TimeoutField } from './types.js';

/**
 * The longest timeout any probe uses: 10 minutes. Timeouts come from the bindings
 * (`services.health.yaml` `max_time_sec`, `connect_timeout_sec`, ssh targets), check options, the
 * config and `--timeout`; Node's timers hold at most 2^31-1 ms (about 24.8 days) and fire after
 * 1 ms beyond that, so an unbounded value would turn a healthy endpoint into a timeout. Every
 * timer of the probe executors goes through {@link clampTimeoutMs}.
 */
export const MAX_PROBE_TIMEOUT_MS = 600_000;

/** A timeout as a timer delay: whole milliseconds from 1 to {@link MAX_PROBE_TIMEOUT_MS} (not a number: the maximum). */
export function clampTimeoutMs(ms: number): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms > MAX_PROBE_TIMEOUT_MS) return MAX_PROBE_TIMEOUT_MS;
  return Math.max(1, Math.round(ms));
}

const FIELDS: Record<Probe['kind'], readonly TimeoutField[]> = { http: ['connectTimeoutMs', 'totalTimeoutMs'], ssh: ['connectTimeoutMs', 'commandTimeoutMs'] };

/**
 * A probe with every timeout within bounds; `clampedTimeouts` lists the ones that were over the
 * maximum (shown by `--dry-run` and kept in observations and recordings). A probe already within
 * bounds comes back as it is.
 */
export function clampProbeTimeouts<P extends Probe>(probe: P): P {
  const record = probe as unknown as Record<TimeoutField, unknown>;
  let out: (P & Record<TimeoutField, number>) | undefined;
  const clamped: ClampedTimeout[] = [];
  for (const field of FIELDS[probe.kind] ?? []) {
    const raw = record[field];
    const ms = clampTimeoutMs(raw as number);
    if (ms === raw) continue;
    out ??= { ...probe } as P & Record<TimeoutField, number>;
    out[field] = ms;
    // Only a value over the maximum is worth a note; a fraction rounded or 0 raised to 1 ms is not.
    if (!(typeof raw === 'number' && raw <= MAX_PROBE_TIMEOUT_MS)) clamped.push({ field, configuredMs: raw as number, ms });
  }
  if (!out) return probe;
  if (clamped.length > 0) (out as Probe).clampedTimeouts = [...(probe.clampedTimeouts ?? []), ...clamped];
  return out;
}

/** "total timeout 3000000000 ms" → the words of a clamp note, for the plan. */
export function describeClamped(c: ClampedTimeout): string {
  const what = c.field === 'connectTimeoutMs' ? 'connect' : c.field === 'totalTimeoutMs' ? 'total' : 'command';
  return `${what} timeout ${Number.isFinite(c.configuredMs) ? `${c.configuredMs} ms` : String(c.configuredMs)} lowered to the ${MAX_PROBE_TIMEOUT_MS} ms maximum`;
}
