import { createHash } from 'node:crypto';
import { sha256Of } from './digest.js';
import type { FileRead, FileSource } from './source.js';

// Light on purpose (node built-ins, the source and digest modules only): the CLI's run cache imports this
// module, through the `@spine-lint/core/recording-source` export, before anything else is loaded.
export { DirectorySource } from './source.js';

/**
 * One question a run asked its source, with a digest of the answer. A run's verdict is a function
 * of these answers (checks are pure), so a run whose every question gets the same answer again
 * would give the same report: that is what `check --cache` relies on.
 */
export type InputRecord = { op: 'read'; path: string; maxBytes: number; digest: string } | { op: 'list'; dir: string; digest: string };

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** Digest of a read: the content's SHA-256, or what kept it from being read (missing, refused and why). */
export function readDigest(read: FileRead): string {
  if (read.status === 'ok') return `ok:${sha256Of(read.bytes)}`;
  if (read.status === 'missing') return 'missing';
  return `refused:${read.code}:${read.reason}`;
}

/** Digest of a directory listing (the names, in the source's order). */
export const listDigest = (names: readonly string[]): string => `list:${sha256(names.join('\0'))}`;

/**
 * A source that passes every question to another source and keeps a digest of each answer. When
 * the same question gets two different answers during one run (a file changed while it was being
 * checked), `consistent` turns false and the run must not be replayed.
 */
export class RecordingSource implements FileSource {
  readonly label: string;
  private readonly seen = new Map<string, InputRecord>();
  private changedDuringRun = false;

  constructor(private readonly inner: FileSource) {
    this.label = inner.label;
  }

  /** The questions asked so far, once each, in the order first asked. */
  get records(): InputRecord[] {
    return [...this.seen.values()];
  }

  get consistent(): boolean {
    return !this.changedDuringRun;
  }

  read(path: string, maxBytes: number): FileRead {
    const read = this.inner.read(path, maxBytes);
    this.note({ op: 'read', path, maxBytes, digest: readDigest(read) }, `r\0${maxBytes}\0${path}`);
    return read;
  }

  list(dir: string): string[] {
    const names = this.inner.list(dir);
    this.note({ op: 'list', dir, digest: listDigest(names) }, `l\0${dir}`);
    return names;
  }

  listRefusal(dir: string): { code: 'outside-root' | 'unreadable'; reason: string } | undefined {
    return this.inner.listRefusal?.(dir);
  }

  private note(record: InputRecord, key: string): void {
    const earlier = this.seen.get(key);
    if (earlier === undefined) this.seen.set(key, record);
    else if (earlier.digest !== record.digest) this.changedDuringRun = true;
  }
}

/**
 * Ask `source` every recorded question again; the first answer that differs is returned
 * (`undefined`: every answer is the same).
 */
export function firstChangedInput(source: FileSource, records: readonly InputRecord[]): InputRecord | undefined {
  for (const record of records) {
    const digest = record.op === 'read' ? readDigest(source.read(record.path, record.maxBytes)) : listDigest(source.list(record.dir));
    if (digest !== record.digest) return record;
  }
  return undefined;
}
