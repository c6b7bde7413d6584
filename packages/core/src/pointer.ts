/** RFC 6901 JSON pointers: the way checks say *where* without knowing about lines. */

export type PathSegment = string | number;

function escapeSegment(segment: PathSegment): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Build a pointer from path segments: `pointer('services', 3, 'host')` → `/services/3/host`. */
export function pointer(...segments: PathSegment[]): string {
  return segments.map((s) => '/' + escapeSegment(s)).join('');
}

/** Split a pointer into its unescaped segments. `''` is the whole document. */
export function parsePointer(ptr: string): string[] {
  if (ptr === '' || ptr === '/') return ptr === '/' ? [''] : [];
  if (!ptr.startsWith('/')) throw new Error(`invalid JSON pointer: ${ptr}`);
  return ptr
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Look a pointer up in a plain value; `undefined` when any segment is missing. */
export function getAtPointer(value: unknown, ptr: string): unknown {
  let current: unknown = value;
  for (const segment of parsePointer(ptr)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
