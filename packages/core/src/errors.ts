// Light on purpose (no imports): the filesystem helpers (`safeFs.ts`), which the CLI's run cache
// loads before anything else, throw these errors.

/** A problem with the config or the invocation: exit 2 with this message, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
