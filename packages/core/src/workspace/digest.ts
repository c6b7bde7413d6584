import { createHash } from 'node:crypto';

// The run cache records the digest of every file read, and the well-formed store keys YAML texts by
// the same digest: both see the same bytes object, so it is hashed once.
const digests = new WeakMap<Uint8Array, string>();

/** SHA-256 of a file's bytes, hex; computed once per bytes object. */
export function sha256Of(bytes: Uint8Array): string {
  let digest = digests.get(bytes);
  if (digest === undefined) {
    digest = createHash('sha256').update(bytes).digest('hex');
    digests.set(bytes, digest);
  }
  return digest;
}
