/**
 * Reads a CSV file from disk in chunks through the streaming numeric reader (Node only):
 * the text is never held whole, so a big plain numeric file costs its matrix and one chunk.
 * Shared by the command line and the worker.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { NumericCsvStream, type NumericCsvResult } from '../csv/stream';
import { fileTooLargeMessage } from '../protocol/format';
import { FileError } from './files';

/**
 * Bytes read from disk at a time: 960 KiB. Node gives a decoded text of more than about 1 MB
 * to V8 as an external string, which young-generation collections do not free promptly: with
 * 4 MiB chunks, reading 94 MB of numbers kept 60-70 MB of dead chunk texts alive and raised
 * the peak memory by about 75 MB; below that size the texts die in the next scavenge. Same
 * speed (measured 1.6-1.7 s either way on 1M x 10).
 */
export const NUMERIC_CHUNK_BYTES = 960 * 1024;

export interface NumericFileRead {
  result: NumericCsvResult;
  bytes: number;
  sha256: string;
  /** True when the bytes were not valid UTF-8 (bad bytes became U+FFFD). */
  invalidUtf8: boolean;
}

/** Options of {@link readNumericFile}. */
export interface NumericFileOptions {
  /** Refuse a larger file before reading (default 2 GiB). */
  maxBytes?: number;
  /** Called after every chunk with the bytes and rows read so far; may throw (e.g. to cancel). */
  onChunk?: (bytesDone: number, bytesTotal: number, rowsRead: number) => void;
  /** Bytes per read (default NUMERIC_CHUNK_BYTES). */
  chunkBytes?: number;
  /** Rows the reader allocates room for at first (default: estimated from the first chunk and the file size). */
  initialRows?: number;
  /** Memory for the matrix (see NumericCsvStreamOptions.alloc). */
  alloc?: (bytes: number) => ArrayBufferLike;
}

/** Size of a readable file, refusing folders, missing files and files over `maxBytes`. */
export function checkedSize(path: string, maxBytes: number): number {
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
  return size;
}

/** Options of {@link streamTextFile}. */
export interface StreamTextOptions {
  /** Refuse a larger file before reading (default 2 GiB). */
  maxBytes?: number;
  /** Bytes per read (default NUMERIC_CHUNK_BYTES). */
  chunkBytes?: number;
  /** Called after every chunk with the bytes read so far and the file size; may throw (e.g. to cancel). */
  onChunk?: (done: number, total: number) => void;
  /**
   * false (default): stop with {@link NotUtf8} at the first byte that is not UTF-8, so the
   * caller can start over; true: such bytes become U+FFFD.
   */
  lenient?: boolean;
}

/** streamTextFile met a byte that is not UTF-8 (strict mode): read again with `lenient`. */
export class NotUtf8 extends Error {
  override readonly name = 'NotUtf8';
}

/**
 * Streams `path` through `onText` in UTF-8 chunks (a byte order mark is kept as U+FEFF, as
 * readTextFile does). Returns the bytes read and their SHA-256.
 * @throws FileError naming the file; NotUtf8 (strict mode); whatever onText or onChunk throw.
 * @complexity O(file size) time, O(chunk) memory.
 */
export function streamTextFile(path: string, onText: (text: string) => void, options: StreamTextOptions = {}): { bytes: number; sha256: string } {
  const size = checkedSize(path, options.maxBytes ?? 2048 * 1024 * 1024);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: options.lenient !== true, ignoreBOM: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch (e) {
      if (e instanceof TypeError) throw new NotUtf8(`${path} is not valid UTF-8`);
      throw e;
    }
  };
  // While every chunk so far was ASCII the decoder holds no partial character, and an ASCII
  // chunk reads the same as Latin-1: Buffer's Latin-1 copy after the SIMD ASCII check is about
  // 1.7x faster than the UTF-8 decoder (94 MB: ~100 ms against ~180 ms).
  let ascii = true;
  const decodeChunk = (bytes: Buffer): string => {
    if (ascii && isAscii(bytes)) return bytes.toString('latin1');
    ascii = false;
    return decode(bytes);
  };
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? NUMERIC_CHUNK_BYTES, size || 1)));
  let done = 0;
  try {
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw new FileError(`cannot read ${path}: ${(e as Error).message}`);
      }
      if (got === 0) break;
      const bytes = buf.subarray(0, got);
      hash.update(bytes);
      done += got;
      const text = decodeChunk(bytes);
      if (text.length > 0) onText(text);
      options.onChunk?.(done, Math.max(size, done));
    }
    const tail = decode();
    if (tail.length > 0) onText(tail);
  } finally {
    closeSync(fd);
  }
  return { bytes: done, sha256: hash.digest('hex') };
}

/**
 * Reads a whole CSV file into a numeric matrix with NumericCsvStream, chunk by chunk.
 * A file that is not valid UTF-8 is read a second time with bad bytes as U+FFFD.
 * @throws FileError naming the file; CsvError from the reader; whatever onChunk throws.
 * @complexity O(file size) time; memory: the matrix, the row map and one chunk.
 */
export function readNumericFile(path: string, options: NumericFileOptions = {}): NumericFileRead {
  for (const lenient of [false, true]) {
    const reader = new NumericCsvStream({ initialRows: options.initialRows, alloc: options.alloc });
    let estimated = options.initialRows !== undefined;
    try {
      const read = streamTextFile(path, (text) => reader.push(text), {
        maxBytes: options.maxBytes,
        chunkBytes: options.chunkBytes,
        lenient,
        onChunk: (done, total) => {
          if (!estimated && reader.rowsRead >= 1000) {
            // Room for the whole file at once (2% to spare): no doubling, no copy of a half-full buffer.
            estimated = true;
            if (total > done) reader.reserveRows(reader.rowsRead * (total / done) * 1.02 + 64);
          }
          options.onChunk?.(done, total, reader.rowsRead);
        },
      });
      return { result: reader.end(), ...read, invalidUtf8: lenient };
    } catch (e) {
      if (!(e instanceof NotUtf8)) throw e;
    }
  }
  throw new Error('unreachable: the lenient read never reports NotUtf8');
}
