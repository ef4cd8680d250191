/**
 * How a watched CSV changed since a snapshot: not at all, rows appended at the end (the old
 * bytes are all still there, unchanged, and the new lines have the file's number of fields),
 * or some other change (rows edited or removed, columns changed). Node only.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { openRegularFileAsync } from './files';

/** What is remembered of the file between changes. */
export interface FileSnapshot {
  size: number;
  /** SHA-256 of the whole file at snapshot time. */
  sha256: string;
  /** The last byte (10 for a final line break), or -1 for an empty file. */
  lastByte: number;
}

export type FileChange =
  | { kind: 'same' }
  | { kind: 'appended'; text: string }
  | { kind: 'changed'; why: string };

/** SHA-256 of bytes [0, end) of an open file. */
async function hashRange(handle: FileHandle, end: number): Promise<string> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(end, 1024 * 1024)));
  for (let at = 0; at < end;) {
    const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - at), at);
    if (bytesRead === 0) break;
    hash.update(buf.subarray(0, bytesRead));
    at += bytesRead;
  }
  return hash.digest('hex');
}

async function lastByteOf(handle: FileHandle, size: number): Promise<number> {
  if (size === 0) return -1;
  const buf = Buffer.alloc(1);
  await handle.read(buf, 0, 1, size - 1);
  return buf[0];
}

/**
 * Opens the watched file, a regular file only (a pipe or device put in its place would block
 * or never end), with its size when opened.
 */
function openWatched(path: string): Promise<{ handle: FileHandle; size: number }> {
  return openRegularFileAsync(path, { name: basename(path), noun: 'CSV file' });
}

/** Takes a snapshot of `path` as it is now. */
export async function snapshotFile(path: string): Promise<FileSnapshot> {
  const { handle, size } = await openWatched(path);
  try {
    return { size, sha256: await hashRange(handle, size), lastByte: await lastByteOf(handle, size) };
  } finally {
    await handle.close();
  }
}

/**
 * Compares `path` with `before`. Appended text must start on a new line (the old file ended
 * with a line break, or the addition starts with one), and every non-blank appended line must
 * split into `nColumns` fields with `splitLine` (null = an open quote, also a change).
 */
export async function classifyChange(
  path: string, before: FileSnapshot, nColumns: number, splitLine: (line: string) => string[] | null,
): Promise<FileChange> {
  const { handle, size } = await openWatched(path);
  let text: string;
  try {
    if (size < before.size) return { kind: 'changed', why: 'it is shorter than before (rows were removed or edited)' };
    if ((await hashRange(handle, before.size)) !== before.sha256) {
      return { kind: 'changed', why: 'rows before the end were edited or removed' };
    }
    if (size === before.size) return { kind: 'same' };
    const buf = Buffer.alloc(size - before.size);
    const { bytesRead } = await handle.read(buf, 0, buf.length, before.size);
    text = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const endedLine = before.lastByte === 10 || before.lastByte === 13 || before.lastByte === -1;
  if (!endedLine && !/^[\r\n]/.test(text)) return { kind: 'changed', why: 'the last row was extended' };
  const lines = text.split(/\r\n|\n|\r/);
  for (const line of lines) {
    if (line.trim() === '') continue;
    const fields = splitLine(line);
    if (fields === null || fields.length !== nColumns) {
      const got = fields === null ? 'an unfinished quoted field' : `${fields.length} field${fields.length === 1 ? '' : 's'}`;
      return { kind: 'changed', why: `an added row has ${got} instead of ${nColumns}, so the columns changed` };
    }
  }
  return { kind: 'appended', text };
}
