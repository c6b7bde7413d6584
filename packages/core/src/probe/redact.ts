/** Remove credentials from a URL for any output (plans, observations, findings, recordings). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? 'REDACTED' : '';
      u.password = u.password ? 'REDACTED' : '';
      return u.toString();
    }
    return url;
  } catch {
    // Not parseable: strip anything that looks like user:pass@ after the scheme.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1REDACTED@');
  }
}

/** Redact `scheme://user:pass@` credentials anywhere inside a text (probe ids, messages). */
export const redactText = (text: string): string => text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s]+)@/gi, '$1REDACTED@');
