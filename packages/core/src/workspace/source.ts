import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The result of asking a source for a file's bytes. */
export type FileRead =
  | { status: 'ok'; bytes: Uint8Array }
  | { status: 'missing' }
  | { status: 'refused'; reason: string; code: 'too-large' | 'outside-root' | 'not-a-file' | 'unreadable' };

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
}

/** Normalise a user or config path to the repository-relative form (`a/b.yaml`). */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+/g, '/').replace(/\/$/, '');
}

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
    let real: string;
    try {
      lstatSync(abs);
      real = realpathSync(abs);
    } catch {
      return { status: 'missing' };
    }
    const rel = relative(this.realRoot, real);
    if (rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) {
      return { status: 'refused', code: 'outside-root', reason: `'${path}' is a symbolic link that leaves the checked root (it points to ${real}); it is not read.` };
    }
    let size: number;
    try {
      const st = statSync(real);
      if (!st.isFile()) return { status: 'refused', code: 'not-a-file', reason: `'${path}' is not a regular file.` };
      size = st.size;
    } catch (error) {
      return { status: 'refused', code: 'unreadable', reason: `'${path}' could not be read: ${(error as Error).message}` };
    }
    if (size > maxBytes) {
      return { status: 'refused', code: 'too-large', reason: `'${path}' is ${size} bytes, over the limit of ${maxBytes} bytes (limits.maxFileBytes); it is not parsed.` };
    }
    try {
      return { status: 'ok', bytes: readFileSync(real) };
    } catch (error) {
      return { status: 'refused', code: 'unreadable', reason: `'${path}' could not be read: ${(error as Error).message}` };
    }
  }

  list(dir: string): string[] {
    const abs = this.absolute(dir || '.');
    if (!abs) return [];
    try {
      const prefix = normalisePath(dir);
      return readdirSync(abs, { withFileTypes: true })
        .filter((e) => e.isFile() || e.isSymbolicLink())
        .map((e) => (prefix ? `${prefix}/${e.name}` : e.name))
        .sort();
    } catch {
      return [];
    }
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
    const prefix = normalisePath(dir);
    return [...this.files.keys()]
      .filter((p) => {
        const rest = prefix ? (p.startsWith(prefix + '/') ? p.slice(prefix.length + 1) : undefined) : p;
        return rest !== undefined && !rest.includes('/');
      })
      .sort();
  }
}
