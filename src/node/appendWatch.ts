/**
 * How a watched CSV changed since a snapshot: not at all, rows appended at the end (the old
 * bytes are all still there, unchanged, and the new lines have the file's number of fields),
 * or some other change (rows edited or removed, columns changed). Node only.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';

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

function hashRange(path: string, end: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    if (end <= 0) {
      resolve(hash.digest('hex'));
      return;
    }
    createReadStream(path, { start: 0, end: end - 1 }).on('data', (c) => hash.update(c)).on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function lastByteOf(path: string, size: number): Promise<number> {
  if (size === 0) return -1;
  const fd = await fsp.open(path, 'r');
  try {
    const buf = Buffer.alloc(1);
    await fd.read(buf, 0, 1, size - 1);
    return buf[0];
  } finally {
    await fd.close();
  }
}

/** Takes a snapshot of `path` as it is now. */
export async function snapshotFile(path: string): Promise<FileSnapshot> {
  const { size } = await fsp.stat(path);
  return { size, sha256: await hashRange(path, size), lastByte: await lastByteOf(path, size) };
}

/**
 * Compares `path` with `before`. Appended text must start on a new line (the old file ended
 * with a line break, or the addition starts with one), and every non-blank appended line must
 * split into `nColumns` fields with `splitLine` (null = an open quote, also a change).
 */
export async function classifyChange(
  path: string, before: FileSnapshot, nColumns: number, splitLine: (line: string) => string[] | null,
): Promise<FileChange> {
  const { size } = await fsp.stat(path);
  if (size < before.size) return { kind: 'changed', why: 'it is shorter than before (rows were removed or edited)' };
  if ((await hashRange(path, before.size)) !== before.sha256) {
    return { kind: 'changed', why: 'rows before the end were edited or removed' };
  }
  if (size === before.size) return { kind: 'same' };
  const fd = await fsp.open(path, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(size - before.size);
    await fd.read(buf, 0, buf.length, before.size);
    text = buf.toString('utf8');
  } finally {
    await fd.close();
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
