/**
 * File helpers shared by the command line, the worker and the extension host (Node only): open
 * a file the user named only when it is a regular file, read a CSV as text with a size limit
 * and a clear message, write atomically, and pick a name that does not overwrite anything.
 *
 * Why only regular files: a path can name a character device (`/dev/zero`, endless), a named
 * pipe (whose open blocks until a writer comes, then reads what it writes), a socket or a block
 * device, directly or through a symbolic link that a repository carried in. `stat` says 0
 * bytes for most of them, so a size check alone lets them through and the read never ends. So
 * - the path is stat'ed (following links) and refused when not a regular file, before it is
 *   opened (opening some devices has effects);
 * - it is opened with O_NONBLOCK, so a pipe swapped in after that check cannot block the open,
 *   and the opened descriptor is fstat'ed and refused the same way (the check that counts);
 * - the size fstat gives at open bounds every read: a file that grows while it is read is read
 *   up to the size it had when opened.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, constants, copyFileSync, fstatSync, fsyncSync, linkSync, lstatSync, openSync, promises as fsp, readSync, renameSync, statSync, unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileTooLargeMessage, formatMegabytes } from '../protocol/format';

/** An error about a file the user gave; the message names the file. */
export class FileError extends Error {
  override readonly name = 'FileError';
}

/** Open flags for reading a user's file: never block on a pipe (O_NONBLOCK is 0 where it does not exist). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a path that is not a regular file is, as a phrase ("a character device"); null for a regular file. */
export function specialKind(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** How the messages name the file and what it should have been. */
export interface RegularFileNames {
  /** The file as messages name it (a path or a base name). */
  name: string;
  /** What the file should be: "file" (default), "CSV file", "model file", … */
  noun?: string;
}

/** `<name> is a character device, not a file`. */
export function notRegularMessage(names: RegularFileNames, kind: string): string {
  return `${names.name} is ${kind}, not a ${names.noun ?? 'file'}`;
}

function refuse(st: Stats, names: RegularFileNames): void {
  const kind = specialKind(st);
  if (kind !== null) throw new FileError(notRegularMessage(names, kind));
}

/** An open regular file and its size when opened: read at most `size` bytes of it. */
export interface OpenedFile {
  fd: number;
  size: number;
}

/**
 * Opens `path` for reading when it is a regular file (links followed); see the module comment.
 * @throws FileError "<name> is a character device, not a file" (folder, device, pipe, socket);
 *   the system's error (ENOENT, EACCES, …) as it comes, for the caller to word.
 */
export function openRegularFile(path: string, names: RegularFileNames): OpenedFile {
  refuse(statSync(path), names);
  const fd = openSync(path, READ_FLAGS);
  try {
    const st = fstatSync(fd);
    refuse(st, names);
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** {@link openRegularFile} for async callers (the extension host), with a FileHandle. */
export async function openRegularFileAsync(path: string, names: RegularFileNames): Promise<{ handle: FileHandle; size: number }> {
  refuse(await fsp.stat(path), names);
  const handle = await fsp.open(path, READ_FLAGS);
  try {
    const st = await handle.stat();
    refuse(st, names);
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Reads up to `length` bytes from the start of an open file into one buffer, stopping early
 * at its end: never more than `length`, however much the file grows meanwhile.
 */
export function readPrefix(fd: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  while (at < length) {
    const got = readSync(fd, out, at, length - at, at);
    if (got === 0) break;
    at += got;
  }
  return out.subarray(0, at);
}

/** {@link readPrefix} for a FileHandle. */
export async function readPrefixAsync(handle: FileHandle, length: number): Promise<Buffer> {
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  while (at < length) {
    const { bytesRead } = await handle.read(out, at, length - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return out.subarray(0, at);
}

/**
 * Reads a whole regular file (see {@link openRegularFile}) of at most `maxBytes`: at most the
 * size it had when opened.
 * @throws FileError "<name> is a character device, not a …", or `tooLarge(size)` as a
 *   FileError for a file over `maxBytes` (nothing read); the system's error as it comes.
 */
export function readRegularFile(path: string, names: RegularFileNames, maxBytes: number, tooLarge: (size: number) => string): Buffer {
  const { fd, size } = openRegularFile(path, names);
  try {
    if (size > maxBytes) throw new FileError(tooLarge(size));
    return readPrefix(fd, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a whole regular file (see {@link openRegularFileAsync}) of at most `maxBytes`, for the
 * extension host: at most the size it had when opened.
 * @throws FileError "<name> is a character device, not a …", or `tooLarge(size)` as a
 *   FileError for a file over `maxBytes` (nothing read); the system's error as it comes.
 */
export async function readRegularFileAsync(path: string, names: RegularFileNames, maxBytes: number, tooLarge: (size: number) => string): Promise<Buffer> {
  const { handle, size } = await openRegularFileAsync(path, names);
  try {
    if (size > maxBytes) throw new FileError(tooLarge(size));
    return await readPrefixAsync(handle, size);
  } finally {
    await handle.close();
  }
}

export interface ReadText {
  text: string;
  bytes: number;
  sha256: string;
  /** True when the bytes were not valid UTF-8 (bad bytes became U+FFFD). */
  invalidUtf8: boolean;
}

/**
 * Reads a whole file as UTF-8 text (a byte order mark is kept, as U+FEFF, for the CSV reader
 * to see). Refuses a file over `maxBytes` before reading it, with a message naming its size,
 * the limit and the setting that raises it.
 * @throws FileError naming the file: missing, a folder, unreadable, over the limit, or too
 *   large to hold as one string (V8 strings hold at most about 2^29 characters).
 */
export function readTextFile(path: string, maxBytes = 2048 * 1024 * 1024): ReadText {
  let opened: OpenedFile;
  try {
    opened = openRegularFile(path, { name: path });
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const { fd, size } = opened;
  let buf: Buffer;
  try {
    if (size > maxBytes) throw new FileError(fileTooLargeMessage(path, size, maxBytes));
    buf = readPrefix(fd, size);
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${path}: ${tooLarge(e) ? `at ${formatMegabytes(size)} it is too large to read in one piece; split it into smaller files` : (e as Error).message}`);
  } finally {
    closeSync(fd);
  }
  const sha256 = createHash('sha256').update(buf).digest('hex');
  let text: string;
  let invalidUtf8 = false;
  try {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e; // TypeError: the bytes are not UTF-8
      invalidUtf8 = true;
      text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(buf);
    }
  } catch (e) {
    if (tooLarge(e)) throw new FileError(`${path} (${formatMegabytes(buf.length)}) is too large to hold as text in memory; split it into smaller files`);
    throw e;
  }
  return { text, bytes: buf.length, sha256, invalidUtf8 };
}

/** Node's and V8's errors for a buffer or string over their size limits. */
function tooLarge(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return e instanceof RangeError || code === 'ERR_STRING_TOO_LONG' || code === 'ERR_FS_FILE_TOO_LARGE'
    || (e instanceof Error && /string longer than/i.test(e.message));
}

/** The name a write would take is already taken (by a file, a folder or a symbolic link, even a dangling one). */
export class FileExistsError extends FileError {}

/** Options of {@link writeFileAtomic}. */
export interface WriteOptions {
  /**
   * Replace whatever is at `path` (an explicit overwrite: --force, a name the user confirmed in
   * a save dialog). Default false: the write fails with FileExistsError if anything is there,
   * however recently it came.
   */
  replace?: boolean;
  /** Called once the temporary file is complete, just before it takes its name (tests race the write here). */
  beforeCommit?: () => void;
}

/**
 * Writes `content` to `path` atomically: a temporary file (`.NAME.RANDOM.tmp`) in the same
 * folder, written in full and flushed, then given its name. Readers never see a half-written
 * file, and the temporary file is removed on every failure. Without `replace` the name is
 * taken with link(2), which fails when anything has it: never a check followed by a rename,
 * which would replace a file created in between, or a dangling symbolic link that a check
 * through it calls free.
 * @throws FileExistsError when `path` is taken (and `replace` is not set); FileError naming
 *   `path` (not the temporary file) and the reason.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: WriteOptions = {}): void {
  const tmp = writeTempThen(path, content, options.beforeCommit);
  commitTemp(tmp, path, options.replace === true);
}

/**
 * Writes `content` to `path`, or to `name (2).ext`, `name (3).ext`, … when that is taken (as
 * {@link uniquePath}, but race-free: each name is claimed with link(2)). Returns the path written.
 * @throws FileError naming `path` and the reason.
 */
export function writeFileUnique(path: string, content: string | Uint8Array, options: Pick<WriteOptions, 'beforeCommit'> = {}): string {
  const tmp = writeTempThen(path, content, options.beforeCommit);
  for (let n = 1; n <= 10_000; n++) {
    const candidate = n === 1 ? path : numberedPath(path, n);
    try {
      claimName(tmp, candidate);
      removeQuietly(tmp);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      removeQuietly(tmp);
      throw writeError(path, e);
    }
  }
  removeQuietly(tmp);
  throw new FileError(`cannot write ${path}: 10000 numbered names beside it are taken`);
}

/** A complete, flushed temporary file beside `path`, for {@link commitTemp}. @throws FileError naming `path`. */
export function writeTemp(path: string, content: string | Uint8Array): string {
  const tmp = tempPathFor(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (e) {
    throw writeError(path, e);
  }
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    // writeSync may write less than asked (large buffers): write until all is out.
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    removeQuietly(tmp);
    throw writeError(path, e);
  }
  return tmp;
}

/** `.NAME.RANDOM.tmp` beside `path`. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Gives the complete temporary file `tmp` the name `path`: renamed over whatever is there when
 * `replace`, else linked, failing if anything has the name. `tmp` is gone afterwards, on
 * success and on failure.
 * @throws FileExistsError when `path` is taken and `replace` is not set; FileError naming `path`.
 */
export function commitTemp(tmp: string, path: string, replace: boolean): void {
  try {
    if (replace) {
      renameSync(tmp, path);
      return;
    }
    claimName(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(`${path} already exists`);
    throw writeError(path, e);
  }
  removeQuietly(tmp);
}

/**
 * Links `tmp` to `path` (EEXIST when anything has that name; link(2) never follows a symbolic
 * link at `path`). A file system without hard links (FAT, some network shares) gets an
 * exclusive copy instead (O_CREAT | O_EXCL, which fails on a symbolic link too).
 */
function claimName(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    copyFileSync(tmp, path, constants.COPYFILE_EXCL);
  }
}

/** writeTemp, then the test hook `beforeCommit` (the temporary file is removed when it throws). */
function writeTempThen(path: string, content: string | Uint8Array, beforeCommit: (() => void) | undefined): string {
  const tmp = writeTemp(path, content);
  try {
    beforeCommit?.();
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
  return tmp;
}

function removeQuietly(path: string): void {
  try { unlinkSync(path); } catch { /* already gone */ }
}

function writeError(path: string, e: unknown): FileError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'ENOENT' ? 'its folder does not exist'
    : code === 'EISDIR' ? 'it is a folder'
      : code === 'EEXIST' ? 'it already exists'
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
          : code === 'ENOSPC' ? 'the disk is full'
            : e instanceof Error ? e.message : String(e);
  return new FileError(`cannot write ${path}: ${why}`);
}

/**
 * `path` when free, else `name (2).ext`, `name (3).ext`, … : never an existing file, nor a
 * symbolic link (a dangling one included). A name to suggest: to write, {@link writeFileUnique}
 * claims the name itself, race-free.
 */
export function uniquePath(path: string): string {
  if (!taken(path)) return path;
  for (let i = 2; ; i++) {
    const candidate = numberedPath(path, i);
    if (!taken(candidate)) return candidate;
  }
}

/** Anything has this name: a file, a folder, a symbolic link (even one pointing nowhere). */
export function taken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The `n`th name {@link uniquePath} tries for `path`: `name (n).ext` (for callers that check existence elsewhere). */
export function numberedPath(path: string, n: number): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)} (${n})${ext}`;
}
