/**
 * File helpers shared by the command line and the worker (Node only): read a CSV as text
 * with a size limit and a clear message, write atomically, and pick a name that does
 * not overwrite anything.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

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

/** Reads a whole file as UTF-8 text; refuses files over `maxBytes` before reading them. */
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
  if (size > maxBytes) {
    throw new FileError(`${path} is ${(size / 1048576).toFixed(0)} MB, over the limit of ${(maxBytes / 1048576).toFixed(0)} MB (setting centroid.maxFileSizeMB)`);
  }
  const buf = readFileSync(path);
  const sha256 = createHash('sha256').update(buf).digest('hex');
  let text: string;
  let invalidUtf8 = false;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    invalidUtf8 = true;
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(buf);
  }
  return { text, bytes: buf.length, sha256, invalidUtf8 };
}

/**
 * Writes `content` to `path` atomically: a temporary file in the same folder, flushed,
 * then renamed over the target. Readers never see a half-written file.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx');
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}

/** `path` when free, else `name (2).ext`, `name (3).ext`, … : never an existing file. */
export function uniquePath(path: string): string {
  if (!existsSync(path)) return path;
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let i = 2; ; i++) {
    const candidate = `${stem} (${i})${ext}`;
    if (!existsSync(candidate)) return candidate;
  }
}
