import { spawnSync } from 'node:child_process';
import { UsageError } from '../config.js';
import { listDirectChildren, normalisePath, type FileRead, type FileSource } from './source.js';

/**
 * Files of a git revision or of the git index, read through plumbing only (`git ls-tree`,
 * `git ls-files -s`, `git cat-file --batch`): no checkout, no lock, no write to the repository.
 * Blobs are read in batches (one `cat-file --batch-check` for the sizes the index does not give,
 * one `cat-file --batch` for the contents), not one process per file: see GitSource.content.
 *
 * Paths are relative to the spine root, which may be a subdirectory of the repository.
 */

interface Entry {
  mode: string;
  type: string;
  oid: string;
  /** Size in bytes when known (ls-tree --long); read lazily otherwise. */
  size?: number;
  /** Index stage (0 = merged); a path with only stages 1–3 is in conflict. */
  stage?: number;
}

/** Environment for every git call: no optional locks (an index refresh would write), no pager, no prompts. */
const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
});

export class GitError extends UsageError {}

/** Run git in `cwd`; throws a GitError (exit 2) with git's own message when it fails. */
export function git(cwd: string, args: string[], input?: string | Buffer): Buffer {
  const result = spawnSync('git', args, { cwd, env: gitEnv(), input, maxBuffer: 1024 * 1024 * 1024 });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (result.status !== 0) {
    const message = result.stderr.toString('utf8').trim().split('\n').filter(Boolean).pop() ?? `exit ${result.status}`;
    throw new GitError(`git ${args[0]} failed in ${cwd}: ${message}`);
  }
  return result.stdout;
}

/** A git revision must look like one: no option injection through `--base`. */
function assertRevision(rev: string): void {
  if (rev === '' || rev.startsWith('-') || /[\s\0]/.test(rev)) throw new GitError(`not a valid git revision: '${rev}'`);
}

/** The repository holding `dir`, and `dir`'s path inside it (`''` at the top, else `sub/dir/`). */
export function gitRepositoryOf(dir: string): { toplevel: string; prefix: string } {
  let out: string;
  try {
    out = git(dir, ['rev-parse', '--show-toplevel', '--show-prefix']).toString('utf8');
  } catch (error) {
    throw new GitError(`${dir} is not inside a git repository (${(error as Error).message})`);
  }
  const [toplevel = dir, prefix = ''] = out.split('\n');
  return { toplevel, prefix };
}

/** Resolve a revision to a commit id; a UsageError naming the revision when it does not exist. */
export function resolveCommit(dir: string, rev: string): string {
  assertRevision(rev);
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: dir, env: gitEnv() });
  const oid = result.stdout?.toString('utf8').trim();
  if (result.status !== 0 || !oid) throw new GitError(`unknown git revision '${rev}' in ${dir}`);
  return oid;
}

function splitZ(buf: Buffer): string[] {
  const text = buf.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Strip the spine root's prefix from a repository path; undefined when the path is outside the root. */
function underPrefix(prefix: string, full: string): string | undefined {
  if (prefix === '') return full;
  return full.startsWith(prefix) ? full.slice(prefix.length) : undefined;
}

/**
 * Read blobs through one `git cat-file --batch` process for all of them, parsed from its single
 * output stream (`<oid> SP <type> SP <size> LF <content> LF`, or `<oid> SP missing LF`).
 */
function readBlobs(cwd: string, oids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (oids.length === 0) return out;
  const buf = git(cwd, ['cat-file', '--batch'], oids.join('\n') + '\n');
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const [oid, type, sizeText] = header.split(' ');
    if (oid === undefined || type === undefined || sizeText === undefined || type === 'missing') continue;
    const size = Number(sizeText);
    if (!Number.isSafeInteger(size) || pos + size > buf.length) break;
    out.set(oid, buf.subarray(pos, pos + size));
    pos += size + 1; // content, then a newline
  }
  return out;
}

/** Sizes of objects, from one `git cat-file --batch-check` process. */
function objectSizes(cwd: string, oids: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (oids.length === 0) return out;
  for (const line of git(cwd, ['cat-file', '--batch-check'], oids.join('\n') + '\n')
    .toString('utf8')
    .split('\n')) {
    const [oid, type, size] = line.split(' ');
    if (oid && type && type !== 'missing' && size) out.set(oid, Number(size));
  }
  return out;
}

/**
 * The most bytes of blobs one `cat-file --batch` may bring into memory at once. A source whose
 * readable blobs fit is read whole on the first read (one process for the run); a larger one is
 * read a directory at a time, in batches of at most this many bytes.
 */
export const GIT_BATCH_BYTES = 16 * 1024 * 1024;

/** The directory part of a path (`''` at the top). */
const dirOf = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
};

/** Objects a source reads one per process before it reads in batches. */
const SINGLE_READS = 2;

export interface GitSourceOptions {
  /** The spine root (a directory inside a git work tree). */
  root: string;
}

export interface GitReadOptions {
  /** The most bytes of blobs one `cat-file --batch` brings into memory (default GIT_BATCH_BYTES). */
  batchBytes?: number;
}

/** A FileSource over a commit (`git ls-tree`) or over the index (`git ls-files -s`). */
export class GitSource implements FileSource {
  readonly label: string;
  /** The resolved commit id; undefined for the index. */
  readonly commit: string | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly toplevel: string;
  /** Blob contents read so far, by object id (filled in batches on demand, kept for the run). */
  private readonly blobs = new Map<string, Buffer>();
  /** Object ids already asked of `cat-file --batch` (found or not): never asked in a batch again. */
  private readonly requested = new Set<string>();
  /** Whether the sizes `ls-files` does not give were asked of `cat-file --batch-check` (once, for every entry). */
  private sizesKnown = false;
  /** Objects read alone so far (see SINGLE_READS), and the directories of every path read. */
  private singleReads = 0;
  private readonly dirsRead = new Set<string>();

  private readonly batchBytes: number;

  private constructor(label: string, commit: string | undefined, toplevel: string, entries: Map<string, Entry>, options: GitReadOptions = {}) {
    this.batchBytes = options.batchBytes ?? GIT_BATCH_BYTES;
    this.label = label;
    this.commit = commit;
    this.toplevel = toplevel;
    this.entries = entries;
  }

  /** The files of `rev` under `root`. Throws a UsageError (exit 2) for an unknown revision. */
  static atRevision(root: string, rev: string, options?: GitReadOptions): GitSource {
    const { toplevel, prefix } = gitRepositoryOf(root);
    const commit = resolveCommit(toplevel, rev);
    const entries = new Map<string, Entry>();
    const args = ['ls-tree', '-r', '-z', '--long', '--full-tree', commit];
    if (prefix !== '') args.push('--', prefix);
    for (const record of splitZ(git(toplevel, args))) {
      // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [mode = '', type = '', oid = '', size = '-'] = record.slice(0, tab).split(/ +/);
      const path = underPrefix(prefix, record.slice(tab + 1));
      if (path === undefined) continue;
      entries.set(path, { mode, type, oid, size: size === '-' ? undefined : Number(size) });
    }
    return new GitSource(`git:${rev}`, commit, toplevel, entries, options);
  }

  /** The files staged in the index under `root` (what `git commit` would record). */
  static index(root: string, options?: GitReadOptions): GitSource {
    const { toplevel, prefix } = gitRepositoryOf(root);
    const entries = new Map<string, Entry>();
    const args = ['ls-files', '-s', '-z', '--full-name'];
    if (prefix !== '') args.push('--', prefix);
    for (const record of splitZ(git(toplevel, args))) {
      // "<mode> SP <object> SP <stage> TAB <path>"
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [mode = '', oid = '', stage = '0'] = record.slice(0, tab).split(' ');
      const path = underPrefix(prefix, record.slice(tab + 1));
      if (path === undefined) continue;
      const entry: Entry = { mode, type: mode === '160000' ? 'commit' : 'blob', oid, stage: Number(stage) };
      const existing = entries.get(path);
      // Stage 0 wins; otherwise keep the first conflict stage (the path reads as unmerged).
      if (!existing || entry.stage === 0) entries.set(path, entry);
    }
    return new GitSource('git:index', undefined, toplevel, entries, options);
  }

  /** Every file path of the source (relative to the root). */
  paths(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The blob id of a path, when it is a regular file (for cheap equality between revisions). */
  blobId(path: string): string | undefined {
    const entry = this.entries.get(normalisePath(path));
    return entry && entry.type === 'blob' ? entry.oid : undefined;
  }

  read(path: string, maxBytes: number): FileRead {
    const normal = normalisePath(path);
    if (normal.split('/').includes('..') || normal.startsWith('/')) {
      return { status: 'refused', code: 'outside-root', reason: `path '${path}' is not inside the root` };
    }
    let entry = this.entries.get(normal);
    if (!entry) return { status: 'missing' };
    let current = normal;
    for (let hops = 0; entry.mode === '120000'; hops++) {
      // A symbolic link: its blob is the target path. Follow it inside the tree only.
      if (hops >= 8) return { status: 'refused', code: 'not-a-file', reason: `'${path}' is a chain of symbolic links too long to follow.` };
      const target = this.content(current, entry, maxBytes)?.toString('utf8') ?? '';
      const resolved = resolveLink(current, target);
      const next = resolved === undefined ? undefined : this.entries.get(resolved);
      if (resolved === undefined) {
        return { status: 'refused', code: 'outside-root', reason: `'${path}' is a symbolic link that leaves the checked root (it points to ${target}); it is not read.` };
      }
      if (!next) return { status: 'missing' };
      current = resolved;
      entry = next;
    }
    if (entry.stage !== undefined && entry.stage !== 0) {
      return { status: 'refused', code: 'unreadable', reason: `'${path}' has unresolved merge conflicts in the index; resolve and stage it first.` };
    }
    if (entry.type !== 'blob') return { status: 'refused', code: 'not-a-file', reason: `'${path}' is not a regular file (git ${entry.type}).` };
    const size = this.sizeOf(entry);
    if (size !== undefined && size > maxBytes) {
      return { status: 'refused', code: 'too-large', reason: `'${path}' is ${size} bytes, over the limit of ${maxBytes} bytes (limits.maxFileBytes); it is not parsed.` };
    }
    const bytes = this.content(current, entry, maxBytes);
    if (!bytes) return { status: 'refused', code: 'unreadable', reason: `'${path}' could not be read from ${this.label} (object ${entry.oid} missing).` };
    return { status: 'ok', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /**
   * The size of a blob entry: from `ls-tree --long` for a revision; for the index, from one
   * `cat-file --batch-check` over every blob entry of the source, asked on the first need.
   */
  private sizeOf(entry: Entry): number | undefined {
    if (entry.size === undefined && entry.type === 'blob' && !this.sizesKnown) {
      this.sizesKnown = true;
      const unknown = new Set<string>();
      for (const e of this.entries.values()) if (e.size === undefined && e.type === 'blob') unknown.add(e.oid);
      const sizes = objectSizes(this.toplevel, [...unknown]);
      for (const e of this.entries.values()) if (e.size === undefined) e.size = sizes.get(e.oid);
    }
    return entry.size;
  }

  /**
   * The content of the blob entry at `path`. The first SINGLE_READS objects a source needs are read
   * alone (a base revision usually needs a file or two: the transition checks' relocation plan).
   * After that, an object not read yet is read in one `cat-file --batch` together with every blob
   * not read yet, within `maxBytes`, of the directories read so far (the binding directories a syntax
   * scan walks, not the whole repository), so a run starts a handful of processes, not one per
   * file; when those exceed the batch budget (GIT_BATCH_BYTES), with the blobs of the same directory
   * instead, up to that many bytes. A blob over `maxBytes` is never read in a batch: only when asked
   * for itself (a link target).
   */
  private content(path: string, entry: Entry, maxBytes: number): Buffer | undefined {
    const cached = this.blobs.get(entry.oid);
    if (cached || this.requested.has(entry.oid)) return cached;
    this.sizeOf(entry);
    this.dirsRead.add(dirOf(path));
    const batch = new Set<string>([entry.oid]);
    let bytes = entry.size ?? 0;
    const wanted = (e: Entry): e is Entry & { size: number } => e.type === 'blob' && (e.stage ?? 0) === 0 && e.size !== undefined && e.size <= maxBytes && !this.requested.has(e.oid);
    if (this.singleReads < SINGLE_READS) this.singleReads++;
    else {
      // Everything readable not read yet in the directories read so far, when it fits the budget.
      for (const [p, e] of this.entries) {
        if (!wanted(e) || batch.has(e.oid) || !this.dirsRead.has(dirOf(p))) continue;
        batch.add(e.oid);
        bytes += e.size;
      }
    }
    if (batch.size > 1 && bytes > this.batchBytes) {
      // Too much to hold at once: the requested blob and its directory's, in path order, within the budget.
      const dir = dirOf(path);
      batch.clear();
      batch.add(entry.oid);
      bytes = entry.size ?? 0;
      const siblings = [...this.entries].filter(([p, e]) => dirOf(p) === dir && wanted(e)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [, e] of siblings) {
        if (batch.has(e.oid) || !wanted(e)) continue;
        if (bytes + e.size > this.batchBytes) break;
        batch.add(e.oid);
        bytes += e.size;
      }
    }
    for (const [oid, content] of readBlobs(this.toplevel, [...batch])) this.blobs.set(oid, content);
    for (const oid of batch) this.requested.add(oid);
    return this.blobs.get(entry.oid);
  }

  list(dir: string): string[] {
    return listDirectChildren(this.entries.keys(), dir);
  }
}

/** Resolve a symlink target relative to the link's directory; undefined when it leaves the root. */
function resolveLink(linkPath: string, target: string): string | undefined {
  if (target.startsWith('/')) return undefined;
  const parts = linkPath.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/**
 * Files that differ between two revisions, or between a revision and the index (`head: 'index'`),
 * or between a revision and the working tree (`head: undefined`), relative to the spine root.
 */
export function changedFiles(root: string, base: string, head: string | 'index' | undefined): string[] {
  const { toplevel, prefix } = gitRepositoryOf(root);
  const baseCommit = resolveCommit(toplevel, base);
  const args = ['diff', '--no-ext-diff', '--no-renames', '--name-only', '-z'];
  if (head === 'index') args.push('--cached', baseCommit);
  else if (head === undefined) args.push(baseCommit);
  else args.push(baseCommit, resolveCommit(toplevel, head));
  if (prefix !== '') args.push('--', prefix);
  return splitZ(git(toplevel, args))
    .map((p) => underPrefix(prefix, p))
    .filter((p): p is string => p !== undefined)
    .sort();
}

/** Files staged for the next commit (index vs HEAD; every staged file in a repository without commits). */
export function stagedFiles(root: string): string[] {
  const { toplevel } = gitRepositoryOf(root);
  const hasHead = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: toplevel, env: gitEnv() }).status === 0;
  if (!hasHead) return GitSource.index(root).paths();
  return changedFiles(root, 'HEAD', 'index');
}

/** Whether `rev` names a commit in the repository holding `root`. */
export function hasRevision(root: string, rev: string): boolean {
  try {
    resolveCommit(gitRepositoryOf(root).toplevel, rev);
    return true;
  } catch {
    return false;
  }
}
