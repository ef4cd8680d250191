/**
 * Is this file the one a model was fitted on? Compares a file's bytes, read as a stream,
 * with the SHA-256 a model records of its fitted CSV: the very same bytes, those bytes
 * followed by more lines (rows appended since the fit), or something else. Node only.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileRelation } from '../pipeline/newRows';

/** What is known of the fitted file's bytes: always its hash, and its length when the fit was made here. */
export interface FittedBytes {
  sha256: string;
  /** Length in bytes; when unknown, every line boundary is tried as the end of the fitted bytes. */
  bytes?: number;
}

const NL = 10;
const CR = 13;

/**
 * How `path` relates to the fitted bytes: 'same' (the whole file hashes to `sha256`),
 * 'appended' (a prefix ending at a line boundary does, and more follows) or 'other'.
 * Streams the file once; without `bytes`, each line boundary costs one digest of a copy of
 * the running hash, O(lines) digests in all.
 * @throws the file system's error when the file cannot be read.
 */
export function relationToFitted(path: string, fitted: FittedBytes): Promise<FileRelation> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const want = fitted.sha256.toLowerCase();
    const matches = (): boolean => hash.copy().digest('hex') === want;
    let done = 0;
    let prefix = false;
    let last = -1;
    let settled = false;
    const settle = (r: FileRelation): void => {
      if (!settled) resolve(r);
      settled = true;
    };
    const stream = createReadStream(path);
    stream.on('data', (chunk) => {
      const buf = chunk as Buffer;
      let from = 0;
      for (let i = 0; i < buf.length && !prefix; i++) {
        let boundary: boolean;
        if (fitted.bytes !== undefined) {
          boundary = done + i === fitted.bytes;
        } else {
          // A prefix may end after a line break ("a\n" + "b\n") or before one ("a" + "\nb", "a" + "\r\nb").
          const previous = i > 0 ? buf[i - 1] : last;
          boundary = done + i > 0 && (previous === NL || buf[i] === CR || (buf[i] === NL && previous !== CR));
        }
        if (!boundary) continue;
        hash.update(buf.subarray(from, i));
        from = i;
        prefix = matches();
      }
      done += buf.length;
      last = buf[buf.length - 1];
      if (prefix) {
        // More bytes follow the fitted ones: no need to read the rest.
        settle('appended');
        stream.destroy();
        return;
      }
      hash.update(buf.subarray(from));
    });
    stream.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    stream.on('end', () => settle(hash.digest('hex') === want ? 'same' : 'other'));
  });
}

/** SHA-256 (hex) of the first `bytes` bytes of a file, read as a stream; null when the file is shorter. */
export function sha256OfPrefix(path: string, bytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let got = 0;
    if (bytes <= 0) {
      resolve(hash.digest('hex'));
      return;
    }
    createReadStream(path, { start: 0, end: bytes - 1 }).on('data', (c) => {
      got += (c as Buffer).length;
      hash.update(c);
    }).on('error', reject).on('end', () => resolve(got === bytes ? hash.digest('hex') : null));
  });
}
