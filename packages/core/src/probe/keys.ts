/**
 * Probe keys, and pairing observations with probes by key. An observation belongs to exactly the
 * probe whose key it carries: never to the one at its position (a missing observation would shift
 * every later one onto the wrong probe).
 */
import { redactText } from './redact.js';
import type { Probe } from './types.js';

/**
 * What each probe of one check is called within the check, in order: its id with credentials
 * redacted, then `#2`, `#3` … on a repeated id. The run-wide key is `<check id>/<local key>`.
 */
export function localKeys(probes: readonly Pick<Probe, 'id'>[]): string[] {
  const seen = new Map<string, number>();
  return probes.map((p) => {
    const base = redactText(String(p.id));
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** The local key of a run-wide key (`<check id>/<local key>`; check ids hold no `/`), credentials redacted. */
export const localKeyOf = (key: string): string => {
  const k = redactText(String(key));
  return k.slice(k.indexOf('/') + 1);
};

/**
 * A check's observations paired with its probes by key, never by position: one entry per probe,
 * in the order given, the observation whose key is that probe's (undefined when there is none).
 * `probes` are what the check's `plan` returned (same ids, repeated ids in the same order), so a
 * check's `evaluate` can rebuild them and ask for each one's observation.
 */
export function pairObservations<O extends { key: string }>(probes: readonly Pick<Probe, 'id'>[], observations: readonly O[]): (O | undefined)[] {
  const byKey = new Map<string, O>();
  for (const o of observations) {
    const k = localKeyOf(o.key);
    if (!byKey.has(k)) byKey.set(k, o);
  }
  return localKeys(probes).map((k) => byKey.get(k));
}
