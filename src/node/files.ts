/**
 * File helpers shared by the command line and the worker (Node only): read a CSV as text
 * with a size limit and a clear message, write atomically, and pick a name that does
 * not overwrite anything.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileTooLargeMessage, formatMegabytes } from '../protocol/format';

/** An error about a file the user gave; the message names the file. */
export class FileError extends Error {
  override readonly name = 'FileError';
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
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new FileError(`${path} is a folder, not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size > maxBytes) throw new FileError(fileTooLargeMessage(path, size, maxBytes));
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${tooLarge(e) ? `at ${formatMegabytes(size)} it is too large to read in one piece; split it into smaller files` : (e as Error).message}`);
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

/**
 * Writes `content` to `path` atomically: a temporary file (`.NAME.RANDOM.tmp`) in the same
 * folder, written in full, flushed, then renamed over the target. Readers never see a
 * half-written file, and the temporary file is removed on every failure.
 * @throws FileError naming `path` (not the temporary file) and the reason.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
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
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw writeError(path, e);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw writeError(path, e);
  }
}

function writeError(path: string, e: unknown): FileError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'ENOENT' ? 'its folder does not exist'
    : code === 'EISDIR' ? 'it is a folder'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
        : code === 'ENOSPC' ? 'the disk is full'
          : e instanceof Error ? e.message : String(e);
  return new FileError(`cannot write ${path}: ${why}`);
}

/** `path` when free, else `name (2).ext`, `name (3).ext`, … : never an existing file. */
export function uniquePath(path: string): string {
  if (!existsSync(path)) return path;
  for (let i = 2; ; i++) {
    const candidate = numberedPath(path, i);
    if (!existsSync(candidate)) return candidate;
  }
}

/** The `n`th name {@link uniquePath} tries for `path`: `name (n).ext` (for callers that check existence elsewhere). */
export function numberedPath(path: string, n: number): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)} (${n})${ext}`;
}
