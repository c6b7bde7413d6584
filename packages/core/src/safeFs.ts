import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type BigIntStats,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';

// Light on purpose (node built-ins and errors.ts only): the CLI's run cache imports this module,
// through the `@spine-lint/core/safe-fs` export, before the engine is loaded.

/**
 * Every file spine-lint reads from a path someone else may control (the config, bindings, a
 * baseline, a probe recording, the run cache, known_hosts) and every file it writes goes through
 * this module:
 *
 * - a read opens the path once and judges the opened descriptor (`fstat`): anything that is not a
 *   regular file (a FIFO, `/dev/zero`, a directory) or is over the size bound is refused, and the
 *   bytes come from that descriptor only, so a file swapped between a check and the read cannot
 *   make it hang or read without bound;
 * - a write goes to a temporary file with an unpredictable name created exclusively in the
 *   target's directory (`O_CREAT | O_EXCL | O_NOFOLLOW`), is synced and renamed over the target; a
 *   target that is a symbolic link is refused, never followed;
 * - with `insideRoot`, the path must resolve (real path) inside that directory.
 */

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOCTTY = constants.O_NOCTTY ?? 0;

/** Why a read or write was refused, as a code. */
export type FileRefusal = 'not-a-file' | 'too-large' | 'symlink' | 'outside-root' | 'unreadable';

/** The result of {@link readRegularFile}. `reason` never names the path (callers do) and never holds file content. */
export type RegularFileRead = { status: 'ok'; bytes: Buffer } | { status: 'missing' } | { status: 'refused'; code: FileRefusal; reason: string; size?: number; realPath?: string };

export interface ReadFileOptions {
  /**
   * Follow a symbolic link at the path (default true: a file the user named on the command line).
   * False: a link at the last component is refused (`symlink`).
   */
  followSymlinks?: boolean;
  /**
   * The path must resolve (real path, every link followed) inside this directory, or it is refused
   * (`outside-root`, with `realPath`). The resolved file is then opened without following links, and,
   * where `/proc/self/fd` exists, the opened descriptor's path is checked again.
   */
  insideRoot?: string;
}

/** A refused read or write of a named file: exit 2 with this message (never the file's content). */
export class FileAccessError extends UsageError {
  constructor(
    message: string,
    readonly path: string,
    readonly code: FileRefusal | 'missing' | 'unwritable',
  ) {
    super(message);
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EEXIST: 'file exists',
  EBUSY: 'resource busy',
  EXDEV: 'cross-device link',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENXIO: 'no reader on the other end (a FIFO or device)',
  EAGAIN: 'resource temporarily unavailable',
  ETXTBSY: 'text file busy',
};

/** A short, human reason for a failed filesystem call (`permission denied (EACCES)`), without the path. */
export function fsErrorReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e && typeof e.code === 'string' && ERRNO_TEXT[e.code]) return `${ERRNO_TEXT[e.code]} (${e.code})`;
  return e instanceof FileAccessError ? e.message : String(e?.message ?? error);
}

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** What a non-regular file is, for messages: `a FIFO`, `a character device`, … */
export function fileKind(st: Stats | BigIntStats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Is `real` (an absolute real path) `realRoot` or inside it? */
export function isInside(real: string, realRoot: string): boolean {
  const rel = relative(realRoot, real);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

/** The real path of the open descriptor, where the system can tell (`/proc/self/fd`); else undefined. */
function descriptorPath(fd: number): string | undefined {
  try {
    const p = readlinkSync(`/proc/self/fd/${fd}`);
    return p.startsWith('/') && !p.endsWith(' (deleted)') ? p : undefined;
  } catch {
    return undefined;
  }
}

const refused = (code: FileRefusal, reason: string, extra: { size?: number; realPath?: string } = {}): RegularFileRead => ({ status: 'refused', code, reason, ...extra });
const notRegular = (st: Stats | BigIntStats): RegularFileRead => refused('not-a-file', `it is ${fileKind(st)}, not a regular file`);
const tooLarge = (size: number, maxBytes: number): RegularFileRead => refused('too-large', `it is ${size} bytes, over the limit of ${maxBytes} bytes`, { size });

/**
 * Read a regular file of at most `maxBytes` bytes. Opens once (non-blocking, so a FIFO cannot hang
 * the open; without following a last-component link when `followSymlinks` is false or `insideRoot`
 * is set), refuses by the opened descriptor's `fstat` anything that is not a regular file or is too
 * large, and reads from that descriptor only, never more than `maxBytes + 1` bytes. Never throws.
 */
export function readRegularFile(path: string, maxBytes: number, options: ReadFileOptions = {}): RegularFileRead {
  let target = resolve(path);
  let noFollow = options.followSymlinks === false;
  let realRoot: string | undefined;
  if (options.insideRoot !== undefined) {
    try {
      realRoot = realpathSync(resolve(options.insideRoot));
    } catch (error) {
      return refused('unreadable', `the root ${options.insideRoot} cannot be resolved: ${fsErrorReason(error)}`);
    }
    let real: string;
    try {
      real = realpathSync(target);
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
      return refused('unreadable', fsErrorReason(error));
    }
    if (!isInside(real, realRoot)) return refused('outside-root', `it resolves to ${real}, outside the root`, { realPath: real });
    target = real;
    noFollow = true;
  }
  // A first look without opening: a device or FIFO is refused before open() could touch it.
  try {
    // BigInt stats: node 20 keeps plain stats in one shared buffer that its ES module loader reads
    // too, and a FIFO's stats left there made a later import of a CommonJS module come back empty.
    const st = noFollow ? lstatSync(target, { bigint: true }) : statSync(target, { bigint: true });
    if (st.isSymbolicLink()) return refused('symlink', 'it is a symbolic link');
    if (!st.isFile()) return notRegular(st);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
    return refused('unreadable', fsErrorReason(error));
  }
  let fd: number;
  try {
    fd = openSync(target, constants.O_RDONLY | O_NONBLOCK | O_NOCTTY | (noFollow ? O_NOFOLLOW : 0));
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
    if (noFollow && (code === 'ELOOP' || code === 'EMLINK')) return refused('symlink', 'it is a symbolic link');
    return refused('unreadable', fsErrorReason(error));
  }
  try {
    // The descriptor decides: what was checked above may have been swapped since.
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) return notRegular(st);
    const size = Number(st.size);
    if (realRoot !== undefined) {
      const opened = descriptorPath(fd);
      if (opened !== undefined && !isInside(opened, realRoot)) return refused('outside-root', `it resolves to ${opened}, outside the root`, { realPath: opened });
    }
    if (size > maxBytes) return tooLarge(size, maxBytes);
    const cap = maxBytes + 1;
    let buffer = Buffer.allocUnsafeSlow(Math.min(size + 1, cap));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length >= cap) break;
        const bigger = Buffer.allocUnsafeSlow(Math.min(buffer.length * 2, cap));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return tooLarge(length, maxBytes);
    return { status: 'ok', bytes: buffer.subarray(0, length) };
  } catch (error) {
    return refused('unreadable', fsErrorReason(error));
  } finally {
    closeSync(fd);
  }
}

/**
 * {@link readRegularFile} for a file that must be read or the run cannot go on: the bytes, or
 * `undefined` when it is missing and `allowMissing`; otherwise a {@link FileAccessError} (exit 2)
 * `cannot read <what> <path>: <reason>`, never echoing the file's content.
 */
export function readRegularFileOrFail(path: string, maxBytes: number, what: string, options: ReadFileOptions & { allowMissing?: boolean; label?: string } = {}): Buffer | undefined {
  const read = readRegularFile(path, maxBytes, options);
  if (read.status === 'ok') return read.bytes;
  const label = options.label ?? path;
  if (read.status === 'missing') {
    if (options.allowMissing) return undefined;
    throw new FileAccessError(`cannot read ${what} ${label}: no such file`, path, 'missing');
  }
  const why = read.code === 'outside-root' ? `${read.reason} ${options.insideRoot}; only a file named on the command line may be outside it` : read.reason;
  throw new FileAccessError(`cannot read ${what} ${label}: ${why}`, path, read.code);
}

export interface WriteFileOptions {
  /**
   * The target (real path of its directory) must be inside this directory: for paths that come
   * from the repository (its config), never for paths the user typed.
   */
  insideRoot?: string;
  /** Create missing parent directories (with this mode, default 0o777 less the umask). */
  mkdirParents?: boolean | { mode: number };
  /** Mode of a new file (default 0o666 less the umask); an existing file's mode is kept. */
  mode?: number;
  /**
   * Write in place, as a shell redirection would, when the target is a character device or a FIFO
   * (`/dev/null`, a process substitution) or a `/dev/` link to one (`/dev/stdout`, `/dev/fd/N`):
   * for `--output`-like paths only.
   */
  devices?: boolean;
  /** What the file is, for messages (`cannot write <what> <path>: …`). */
  what?: string;
  /** How to show the path in messages (default: the path). */
  label?: string;
}

function failWrite(path: string, options: WriteFileOptions, reason: string, code: FileRefusal | 'unwritable' = 'unwritable'): never {
  throw new FileAccessError(`cannot write ${options.what ? options.what + ' ' : ''}${options.label ?? path}: ${reason}`, path, code);
}

/**
 * Where a write may go: the absolute target path (its directory's real path when `insideRoot`), and
 * what is there now (lstat, not followed). Creates parents when asked; refuses outside the root.
 */
function writeTarget(path: string, options: WriteFileOptions): { target: string; existing: Stats | undefined } {
  const abs = resolve(path);
  let realRoot: string | undefined;
  if (options.insideRoot !== undefined) {
    const root = resolve(options.insideRoot);
    // Lexically first: nothing (not even a parent directory) is created outside the root.
    if (!isInside(abs, root)) failWrite(path, options, `it is outside the root ${options.insideRoot}; only a file named on the command line may be`, 'outside-root');
    try {
      realRoot = realpathSync(root);
    } catch (error) {
      failWrite(path, options, `the root ${options.insideRoot} cannot be resolved: ${fsErrorReason(error)}`);
    }
  }
  if (options.mkdirParents) {
    try {
      mkdirSync(dirname(abs), { recursive: true, ...(typeof options.mkdirParents === 'object' ? { mode: options.mkdirParents.mode } : {}) });
    } catch (error) {
      failWrite(path, options, `cannot create its directory ${dirname(abs)}: ${fsErrorReason(error)}`);
    }
  }
  let dir = dirname(abs);
  if (realRoot !== undefined) {
    try {
      dir = realpathSync(dir);
    } catch (error) {
      failWrite(path, options, errnoOf(error) === 'ENOENT' ? `its directory ${dirname(path)} does not exist` : fsErrorReason(error));
    }
    if (!isInside(dir, realRoot)) failWrite(path, options, `its directory resolves to ${dir}, outside the root ${options.insideRoot}; only a file named on the command line may be`, 'outside-root');
  } else if (!existsSync(dir)) failWrite(path, options, `its directory ${dirname(path) || '.'} does not exist`);
  const target = join(dir, basename(abs));
  let existing: Stats | undefined;
  try {
    existing = lstatSync(target, { throwIfNoEntry: false }) ?? undefined;
  } catch (error) {
    failWrite(path, options, fsErrorReason(error));
  }
  return { target, existing };
}

/** For `devices`: is this existing target one to write in place (a device or FIFO, or a /dev/ link to anything)? */
function inPlaceTarget(path: string, target: string, existing: Stats): boolean {
  let st = existing;
  if (existing.isSymbolicLink()) {
    if (!resolve(path).startsWith('/dev/')) return false;
    try {
      st = statSync(target);
    } catch {
      return false;
    }
    if (st.isFile()) return true; // /dev/stdout redirected to a file: the shell's file, appended to
  }
  return st.isCharacterDevice() || st.isFIFO() || st.isSocket();
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let at = 0;
  while (at < bytes.byteLength) at += writeSync(fd, bytes, at, bytes.byteLength - at);
}

/**
 * Write `data` to `path` atomically: an exclusive temporary file with an unpredictable name in the
 * target's directory (`O_CREAT | O_EXCL | O_NOFOLLOW`, so nothing placed in advance is followed),
 * written, synced, renamed over the target. Refuses a target that is a symbolic link, a directory or
 * any other non-regular file (except `devices`), and, with `insideRoot`, one outside that
 * directory. Every failure is a {@link FileAccessError}: `cannot write <path>: <reason>` (exit 2).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileOptions = {}): void {
  const { target, existing } = writeTarget(path, options);
  if (existing && !existing.isFile()) {
    if (options.devices && inPlaceTarget(path, target, existing)) {
      let fd: number;
      try {
        fd = openSync(target, constants.O_WRONLY | constants.O_APPEND | O_NOCTTY);
      } catch (error) {
        return failWrite(path, options, fsErrorReason(error));
      }
      try {
        writeAll(fd, data);
      } catch (error) {
        failWrite(path, options, fsErrorReason(error));
      } finally {
        closeSync(fd);
      }
      return;
    }
    if (existing.isSymbolicLink()) failWrite(path, options, 'it is a symbolic link; spine-lint does not write through links (remove it, or name the file it points to)', 'symlink');
    failWrite(path, options, `it is ${fileKind(existing)}, not a regular file`, 'not-a-file');
  }
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW | O_NOCTTY, options.mode ?? 0o666);
  } catch (error) {
    return failWrite(path, options, fsErrorReason(error));
  }
  try {
    try {
      if (existing) fchmodSync(fd, existing.mode & 0o777);
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    failWrite(path, options, fsErrorReason(error));
  }
  syncDirectory(dir);
}

/** Make a rename durable (best effort: not every system can sync a directory). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface AppendFileOptions extends WriteFileOptions {
  /** Follow a link at the path (default false: refused). Only for the user's own file (`~/.ssh/known_hosts`). */
  followSymlinks?: boolean;
  /** Size bound of what is there already (default 16 MiB). */
  maxBytes?: number;
}

/**
 * Append to a regular file (created with `mode` when missing): opened once with `O_APPEND` (and
 * `O_NOFOLLOW` unless `followSymlinks`), judged by `fstat` (a regular file within `maxBytes`, inside
 * the root with `insideRoot`), its current content read from that descriptor and passed to `build`,
 * whose text is then appended and synced. Returns the whole content after the append. Failures are
 * {@link FileAccessError}s.
 */
export function appendFileSafe(path: string, build: (existing: Buffer) => string | Uint8Array, options: AppendFileOptions = {}): Buffer {
  const { target, existing } = writeTarget(path, options);
  const follow = options.followSymlinks === true && options.insideRoot === undefined;
  if (existing?.isSymbolicLink() && !follow) failWrite(path, options, 'it is a symbolic link; spine-lint does not write through links', 'symlink');
  if (existing && !existing.isSymbolicLink() && !existing.isFile()) failWrite(path, options, `it is ${fileKind(existing)}, not a regular file`, 'not-a-file');
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  let fd: number;
  try {
    fd = openSync(target, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW), options.mode ?? 0o666);
  } catch (error) {
    const code = errnoOf(error);
    if (!follow && (code === 'ELOOP' || code === 'EMLINK')) failWrite(path, options, 'it is a symbolic link; spine-lint does not write through links', 'symlink');
    return failWrite(path, options, fsErrorReason(error));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) failWrite(path, options, `it is ${fileKind(st)}, not a regular file`, 'not-a-file');
    if (options.insideRoot !== undefined) {
      const opened = descriptorPath(fd);
      if (opened !== undefined && !isInside(opened, realpathSync(resolve(options.insideRoot))))
        failWrite(path, options, `it resolves to ${opened}, outside the root ${options.insideRoot}`, 'outside-root');
      // An append writes the shared inode: a hard link could be a file outside the root under another name.
      if (st.nlink > 1) failWrite(path, options, `it has ${st.nlink - 1} other hard link(s), which may be outside the root`, 'outside-root');
    }
    if (st.size > maxBytes) failWrite(path, options, `it is ${st.size} bytes, over the limit of ${maxBytes} bytes`, 'too-large');
    const before = Buffer.allocUnsafeSlow(st.size);
    let length = 0;
    while (length < st.size) {
      const n = readSync(fd, before, length, st.size - length, length);
      if (n === 0) break;
      length += n;
    }
    const existingBytes = before.subarray(0, length);
    const added = build(existingBytes);
    const addedBytes = typeof added === 'string' ? Buffer.from(added, 'utf8') : Buffer.from(added);
    writeAll(fd, addedBytes);
    fsyncSync(fd);
    return Buffer.concat([existingBytes, addedBytes]);
  } catch (error) {
    if (error instanceof FileAccessError) throw error;
    return failWrite(path, options, fsErrorReason(error));
  } finally {
    closeSync(fd);
  }
}

/**
 * Why `path` (a file that may not exist yet) is not inside `root`, by real path (its own, or its
 * nearest existing directory's), or `undefined` when it is inside. For paths that come from the
 * repository (its config) before they are read or written.
 */
export function outsideRootReason(path: string, root: string): string | undefined {
  const abs = resolve(path);
  const lexicalRoot = resolve(root);
  if (!isInside(abs, lexicalRoot)) return `it is outside the root ${root}`;
  let realRoot: string;
  try {
    realRoot = realpathSync(lexicalRoot);
  } catch (error) {
    return `the root ${root} cannot be resolved: ${fsErrorReason(error)}`;
  }
  let probe = abs;
  for (;;) {
    let real: string | undefined;
    try {
      real = realpathSync(probe);
    } catch (error) {
      const code = errnoOf(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return fsErrorReason(error);
    }
    if (real !== undefined) return isInside(real, realRoot) ? undefined : `it resolves to ${real}${probe === abs ? '' : '/…'}, outside the root ${root}`;
    if (lstatSync(probe, { throwIfNoEntry: false })?.isSymbolicLink()) return 'it is a symbolic link that does not resolve';
    const parent = dirname(probe);
    if (parent === probe) return undefined;
    probe = parent;
  }
}
