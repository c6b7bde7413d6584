import { readdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fsErrorReason, readRegularFile } from '../safeFs.js';

/** The result of asking a source for a file's bytes. */
export type FileRead = { status: 'ok'; bytes: Uint8Array } | { status: 'missing' } | { status: 'refused'; reason: string; code: 'too-large' | 'outside-root' | 'not-a-file' | 'unreadable' };

/**
 * Where a workspace's files come from: a directory, a git revision, the git index.
 * Paths are repository-relative with `/` separators. Sources never write.
 */
export interface FileSource {
  /** Human label for messages: the directory, or `git:<rev>`. */
  readonly label: string;
  read(path: string, maxBytes: number): FileRead;
  /** Files directly inside a directory (not recursive), repository-relative, sorted. */
  list(dir: string): string[];
  /**
   * Why the last `list(dir)` gave no names although the directory exists (it leaves the root, it
   * cannot be read), or undefined: a refused listing is a finding, not an empty directory.
   */
  listRefusal?(dir: string): { code: 'outside-root' | 'unreadable'; reason: string } | undefined;
}

/** Normalise a user or config path to the repository-relative form (`a/b.yaml`): see `decide.cts`. */
import { normalisePath } from '../decide.cjs';
export { normalisePath };

/** Files in a directory on disk. Refuses symlinks that leave the root and files over the size limit. */
export class DirectorySource implements FileSource {
  readonly label: string;
  private readonly realRoot: string;

  constructor(readonly root: string) {
    this.label = root;
    this.realRoot = realpathSync(resolve(root));
  }

  private absolute(path: string): string | undefined {
    const normal = normalisePath(path);
    if (isAbsolute(normal) || normal.split('/').includes('..')) return undefined;
    return join(this.realRoot, normal);
  }

  read(path: string, maxBytes: number): FileRead {
    const abs = this.absolute(path);
    if (!abs) return { status: 'refused', code: 'outside-root', reason: `path '${path}' is not inside the root` };
    // One open, judged by fstat of the opened descriptor (safeFs): links inside the root are
    // followed, a link leaving it is refused, and a FIFO, a device or a file swapped for one after
    // a first look is refused rather than read (no stat-then-read race).
    const read = readRegularFile(abs, maxBytes, { insideRoot: this.realRoot });
    if (read.status !== 'refused') return read;
    switch (read.code) {
      case 'outside-root':
        // Where it points is not printed: that is a path outside the repository (a CI log is public).
        return { status: 'refused', code: 'outside-root', reason: `'${path}' is a symbolic link (or under one) that leaves the checked root; it is not read.` };
      case 'not-a-file':
        return { status: 'refused', code: 'not-a-file', reason: `'${path}' is not a regular file (${read.reason.replace(/, not a regular file$/, '')}).` };
      case 'too-large':
        return { status: 'refused', code: 'too-large', reason: `'${path}' is ${read.size} bytes, over the limit of ${maxBytes} bytes (limits.maxFileBytes); it is not parsed.` };
      case 'symlink':
        return { status: 'refused', code: 'unreadable', reason: `'${path}' changed into a symbolic link while it was read; it is not read.` };
      default:
        return { status: 'refused', code: 'unreadable', reason: `'${path}' could not be read: ${read.reason}` };
    }
  }

  private readonly listRefusals = new Map<string, { code: 'outside-root' | 'unreadable'; reason: string }>();

  list(dir: string): string[] {
    const prefix = normalisePath(dir);
    this.listRefusals.delete(prefix);
    const abs = this.absolute(dir || '.');
    if (!abs) return [];
    const refuse = (code: 'outside-root' | 'unreadable', reason: string): string[] => {
      this.listRefusals.set(prefix, { code, reason });
      return [];
    };
    try {
      // A directory (or a parent) that is a link leaving the root is not listed: its names are
      // outside the repository, and so is where it points (neither is printed).
      const real = realpathSync(abs);
      if (real !== this.realRoot && !real.startsWith(this.realRoot.endsWith(sep) ? this.realRoot : this.realRoot + sep)) {
        return refuse('outside-root', `'${prefix}' is a symbolic link (or under one) that leaves the checked root; its files are not listed or read.`);
      }
      return readdirSync(real, { withFileTypes: true })
        .filter((e) => e.isFile() || e.isSymbolicLink())
        .map((e) => (prefix ? `${prefix}/${e.name}` : e.name))
        .sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      return refuse('unreadable', `the directory '${prefix}' could not be listed: ${fsErrorReason(error)}; the files in it were not checked.`);
    }
  }

  listRefusal(dir: string): { code: 'outside-root' | 'unreadable'; reason: string } | undefined {
    return this.listRefusals.get(normalisePath(dir));
  }
}

/** Files held in memory: for tests, the library API and fuzzing. */
export class MemorySource implements FileSource {
  readonly label: string;
  private readonly files: Map<string, Uint8Array>;

  constructor(files: Record<string, string | Uint8Array>, label = 'memory') {
    this.label = label;
    this.files = new Map(Object.entries(files).map(([p, c]) => [normalisePath(p), typeof c === 'string' ? new TextEncoder().encode(c) : c]));
  }

  read(path: string, maxBytes: number): FileRead {
    const bytes = this.files.get(normalisePath(path));
    if (!bytes) return { status: 'missing' };
    if (bytes.byteLength > maxBytes) return { status: 'refused', code: 'too-large', reason: `'${path}' is ${bytes.byteLength} bytes, over the limit of ${maxBytes} bytes.` };
    return { status: 'ok', bytes };
  }

  list(dir: string): string[] {
    return listDirectChildren(this.files.keys(), dir);
  }
}

/**
 * The paths of `paths` (normalised, root-relative files) directly in `dir` (`''`: the root),
 * sorted: a directory listing for a source that holds its files as a flat set of paths.
 */
export function listDirectChildren(paths: Iterable<string>, dir: string): string[] {
  const prefix = normalisePath(dir);
  return [...paths]
    .filter((p) => {
      const rest = prefix ? (p.startsWith(prefix + '/') ? p.slice(prefix.length + 1) : undefined) : p;
      return rest !== undefined && !rest.includes('/');
    })
    .sort();
}

/**
 * A source with some files replaced by new text (the passes of `check --fix`, the preview of
 * `--fix-dry-run`): the checks see the fixed bindings, nothing is written.
 */
export class OverlaySource implements FileSource {
  readonly label: string;

  constructor(
    private readonly inner: FileSource,
    private readonly overrides: ReadonlyMap<string, string>,
  ) {
    this.label = inner.label;
  }

  read(path: string, maxBytes: number): FileRead {
    const text = this.overrides.get(normalisePath(path));
    if (text === undefined) return this.inner.read(path, maxBytes);
    const bytes = new TextEncoder().encode(text);
    if (bytes.byteLength > maxBytes) return { status: 'refused', code: 'too-large', reason: `'${path}' is ${bytes.byteLength} bytes, over the limit of ${maxBytes} bytes.` };
    return { status: 'ok', bytes };
  }

  list(dir: string): string[] {
    return this.inner.list(dir);
  }

  listRefusal(dir: string): { code: 'outside-root' | 'unreadable'; reason: string } | undefined {
    return this.inner.listRefusal?.(dir);
  }
}
