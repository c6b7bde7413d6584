import { UsageError } from '../config.js';
import { parseCidr } from './addressPolicy.js';

/** `probes:` in `.spine-lint.yaml`, validated. */
export interface ProbeSettings {
  allow?: string[];
  /** HTTP requests in flight. */
  concurrency?: number;
  /** SSH hosts (connections) at once. */
  sshConcurrency?: number;
  /** Seconds. */
  timeout?: number;
  retries?: number;
  knownHosts?: string;
  identity?: string;
  acceptNew?: boolean;
}

const KEYS = ['allow', 'concurrency', 'sshConcurrency', 'timeout', 'retries', 'knownHosts', 'identity', 'acceptNew'];

/** Validate the config's `probes` mapping; throws `UsageError` naming the key. */
export function parseProbeSettings(raw: Readonly<Record<string, unknown>>, source = '.spine-lint.yaml'): ProbeSettings {
  const out: ProbeSettings = {};
  const bad = (key: string, what: string): never => {
    throw new UsageError(`${source}: probes.${key} ${what}`);
  };
  for (const [key, value] of Object.entries(raw)) {
    if (!KEYS.includes(key)) bad(key, `is not a probe setting (allowed: ${KEYS.join(', ')})`);
    switch (key) {
      case 'allow': {
        const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : bad(key, 'must be a list of CIDR ranges');
        out.allow = (list as unknown[]).map((v) => {
          if (typeof v !== 'string') bad(key, 'must be a list of CIDR ranges');
          try {
            return parseCidr(v as string).text;
          } catch (error) {
            return bad(key, `: ${(error as Error).message}`);
          }
        });
        break;
      }
      case 'concurrency':
      case 'sshConcurrency':
      case 'retries':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < (key === 'retries' ? 0 : 1)) bad(key, `must be a whole number${key === 'retries' ? ' ≥ 0' : ' ≥ 1'}`);
        out[key] = value as number;
        break;
      case 'timeout':
        if (typeof value !== 'number' || !(value > 0)) bad(key, 'must be a positive number of seconds');
        out.timeout = value as number;
        break;
      case 'knownHosts':
      case 'identity':
        if (typeof value !== 'string' || value === '') bad(key, 'must be a file path');
        out[key] = value as string;
        break;
      case 'acceptNew':
        if (typeof value !== 'boolean') bad(key, 'must be true or false');
        out.acceptNew = value as boolean;
        break;
    }
  }
  return out;
}
