import { redactCredentials, redactUrl } from '../redact.js';
import type { Probe } from './types.js';

/**
 * Credentials in probe output (plans, observations, findings, recordings): the shared helper of
 * `../redact.ts`, under the names the probe code has always used.
 */
export { redactUrl, redactCredentials, redactCredentials as redactText } from '../redact.js';

/** A probe as it is shown in observations and recordings: id, target and URL with credentials redacted. */
export function shownProbe<P extends Probe>(p: P): P {
  const out = { ...p, id: redactCredentials(String(p.id)), target: redactCredentials(String(p.target)) };
  if (out.kind === 'http') out.url = redactUrl(String(out.url));
  return out;
}
