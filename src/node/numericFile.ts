/**
 * Reads a CSV file from disk in chunks through the streaming numeric reader (Node only):
 * the text is never held whole, so a big plain numeric file costs its matrix and one chunk.
 * Shared by the command line and the worker.
 *
 * A big file is read by several threads at once (see {@link readNumericFile}): this thread
 * reads the first part, helper threads (readPartWorker.ts, bundled as readPart.js next to
 * the program) read the others into their regions of one shared matrix, and the parts are
 * joined as if one reader had read the whole text; where a part cannot be joined (a quoted
 * field across its start, invalid UTF-8, an error, a helper that failed) this thread reads
 * the rest itself, so the result is always the one-thread result.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { NumericCsvStream, type NumericCsvPart, type NumericCsvResult } from '../csv/stream';
import { fileTooLargeMessage } from '../protocol/format';
import { FileError, openRegularFile, type OpenedFile } from './files';

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
  /** Threads whose parts make up the result: 1 when this thread read the whole file. */
  threads: number;
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
  /**
   * Threads that read parts of the file at once, this one included: 1 reads on this thread
   * alone. Default: one per core (at most {@link MAX_READ_PARTS}) for files of at least
   * {@link PART_MIN_BYTES} per part, when the helper script is there.
   */
  parts?: number;
  /** The helpers' script (default: readPart.js next to this program, when present). */
  partScript?: string;
  /** A helper that reports no progress for this long is given up and its part read here (default 10 s). */
  stallMs?: number;
}

/**
 * Opens a file to read, refusing what is not a regular file (openRegularFile), missing files
 * and files over `maxBytes`; read at most the returned size (the file's size when opened).
 * @throws FileError naming the file.
 */
export function openChecked(path: string, maxBytes: number): OpenedFile {
  let opened: OpenedFile;
  try {
    opened = openRegularFile(path, { name: path });
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (opened.size > maxBytes) {
    closeSync(opened.fd);
    throw new FileError(fileTooLargeMessage(path, opened.size, maxBytes));
  }
  return opened;
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
 * Turns a file's chunks into text, UTF-8 (a byte order mark is kept as U+FEFF). While every
 * chunk so far was ASCII the decoder holds no partial character, and an ASCII chunk reads the
 * same as Latin-1: Buffer's Latin-1 copy after the SIMD ASCII check is about 1.7x faster than
 * the UTF-8 decoder (94 MB: ~100 ms against ~180 ms).
 */
export class ChunkDecoder {
  private ascii = true;
  private readonly decoder: TextDecoder;

  /** `lenient`: bytes that are not UTF-8 become U+FFFD; otherwise they throw NotUtf8 naming `path`. */
  constructor(private readonly path: string, lenient: boolean) {
    this.decoder = new TextDecoder('utf-8', { fatal: !lenient, ignoreBOM: true });
  }

  /** The text of the next chunk (a character cut at its end waits for the next one). */
  decode(bytes: Buffer): string {
    if (this.ascii && isAscii(bytes)) return bytes.toString('latin1');
    this.ascii = false;
    return this.run(bytes);
  }

  /** The text held back at the end (a cut character), '' when none. */
  end(): string {
    return this.run();
  }

  private run(bytes?: Uint8Array): string {
    try {
      return bytes === undefined ? this.decoder.decode() : this.decoder.decode(bytes, { stream: true });
    } catch (e) {
      if (e instanceof TypeError) throw new NotUtf8(`${this.path} is not valid UTF-8`);
      throw e;
    }
  }
}

/** Opens `path` for reading (a regular file only, see openRegularFile). @throws FileError naming the file. */
export function openForReading(path: string): number {
  try {
    return openRegularFile(path, { name: path }).fd;
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/**
 * Reads up to `length` bytes at `position` into the start of `buf`; returns how many (0 at
 * the end of the file). @throws FileError naming the file.
 */
export function readAt(fd: number, path: string, buf: Buffer, position: number, length = buf.length): number {
  try {
    return readSync(fd, buf, 0, Math.min(length, buf.length), position);
  } catch (e) {
    throw new FileError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/**
 * Reads bytes [start, end) of an open file (or to its end, when that comes first) in chunks of `buf`,
 * passes each chunk's text from `decoder` to `onText` and then the raw chunk and the position
 * after it to `afterChunk` (which may throw, e.g. to cancel), and at the end the text the
 * decoder held back. Returns the position reached.
 * @throws FileError naming the file; NotUtf8 from a strict decoder; what the callbacks throw.
 */
export function readTextRange(
  fd: number, path: string, buf: Buffer, start: number, end: number, decoder: ChunkDecoder,
  onText: (text: string) => void, afterChunk?: (bytes: Buffer, position: number) => void,
): number {
  let pos = start;
  for (;;) {
    const got = readAt(fd, path, buf, pos, end - pos);
    if (got === 0) break;
    const bytes = buf.subarray(0, got);
    pos += got;
    const text = decoder.decode(bytes);
    if (text.length > 0) onText(text);
    afterChunk?.(bytes, pos);
  }
  const tail = decoder.end();
  if (tail.length > 0) onText(tail);
  return pos;
}

/**
 * Streams `path` through `onText` in UTF-8 chunks (a byte order mark is kept as U+FEFF, as
 * readTextFile does). Returns the bytes read and their SHA-256.
 * @throws FileError naming the file; NotUtf8 (strict mode); whatever onText or onChunk throw.
 * @complexity O(file size) time, O(chunk) memory.
 */
export function streamTextFile(path: string, onText: (text: string) => void, options: StreamTextOptions = {}): { bytes: number; sha256: string } {
  const { fd, size } = openChecked(path, options.maxBytes ?? 2048 * 1024 * 1024);
  const hash = createHash('sha256');
  const decoder = new ChunkDecoder(path, options.lenient === true);
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? NUMERIC_CHUNK_BYTES, size || 1)));
  let done = 0;
  try {
    // To the size at open: a file that grows meanwhile (a log, a device) is not read forever.
    done = readTextRange(fd, path, buf, 0, size, decoder, onText, (bytes, position) => {
      hash.update(bytes);
      options.onChunk?.(position, size);
    });
  } finally {
    closeSync(fd);
  }
  return { bytes: done, sha256: hash.digest('hex') };
}

/** Most threads that read one file at once. */
export const MAX_READ_PARTS = 4;
/** Bytes per part below which a file is read by fewer threads (a helper thread takes ~20 ms to start). */
export const PART_MIN_BYTES = 8 * 1024 * 1024;
/**
 * Share of a helper's part that this thread takes for its own: it also hashes the whole file
 * (SHA-256, ~2 GB/s) while the helpers parse theirs (~150 MB/s).
 */
const OWN_SHARE = 0.92;

/** What a helper posts when its part is read (see readPartWorker.ts). */
export type PartOutcome = { ok: true; part: NumericCsvPart; clean: boolean } | { ok: false; message: string };

/** What a helper is given (workerData of readPartWorker.ts). */
export interface PartJob {
  path: string;
  /** Byte range of the part. */
  start: number;
  end: number;
  delimiter: string;
  nColumns: number;
  /** The shared matrix and the part's region in it, in rows. */
  storage: SharedArrayBuffer;
  offsetRows: number;
  capacityRows: number;
  chunkBytes: number;
  /** Shared Int32Array: [abort, then per helper: state (1 = outcome posted), KiB read, rows read]. */
  control: SharedArrayBuffer;
  slot: number;
  port: MessagePort;
}

/** Slots of the shared control array (per helper: CONTROL_STATE + 3 i and the two after it). */
export const CONTROL_ABORT = 0;
export const CONTROL_STATE = 1;

interface Helper {
  worker: Worker;
  port: MessagePort;
  slot: number;
  start: number;
  /** Rows of the shared matrix free for this part and, once joined, for the ones before it: up to the next part's region. */
  roomRows: number;
  outcome: PartOutcome | null;
  joined: boolean;
}

/** readPart.js next to this program (the bundles in dist/), or undefined when there is none (running from source). */
function defaultPartScript(): string | undefined {
  const script = join(__dirname, 'readPart.js');
  return existsSync(script) ? script : undefined;
}

/**
 * Reads a whole CSV file into a numeric matrix with NumericCsvStream, chunk by chunk, on
 * several threads for a big file (see the module comment and `parts`); the result is the
 * one-thread result in every case, bit for bit. A file that is not valid UTF-8 is read a
 * second time, on this thread, with bad bytes as U+FFFD.
 * @throws FileError naming the file; CsvError from the reader; whatever onChunk throws.
 * @complexity O(file size) time; memory: the matrix, the row map and one chunk per thread.
 */
export function readNumericFile(path: string, options: NumericFileOptions = {}): NumericFileRead {
  for (const lenient of [false, true]) {
    try {
      return readNumericOnce(path, options, lenient);
    } catch (e) {
      if (!(e instanceof NotUtf8)) throw e;
    }
  }
  throw new Error('unreachable: the lenient read never reports NotUtf8');
}

function readNumericOnce(path: string, options: NumericFileOptions, lenient: boolean): NumericFileRead {
  const { fd, size } = openChecked(path, options.maxBytes ?? 2048 * 1024 * 1024);
  const reader = new NumericCsvStream({ initialRows: options.initialRows, alloc: options.alloc });
  const hash = createHash('sha256');
  const decoder = new ChunkDecoder(path, lenient);
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? NUMERIC_CHUNK_BYTES, size || 1)));
  let helpers: Helper[] = [];
  let control: Int32Array | null = null;
  try {
    let pos = 0;
    let parsed = 0;
    /** Bytes [0, parseUntil) are parsed here; the rest is only hashed (helpers parse it). */
    let parseUntil = Infinity;
    /**
     * Bytes read at all: to the file's size when it was opened, where the last part ends (so
     * the hash and the rows cover the same bytes, and a file that grows meanwhile, a log or a
     * device, is not read forever; the rest is new to whoever reads it next).
     */
    const readUntil = size;
    let estimated = options.initialRows !== undefined;
    let planned = lenient || options.parts === 1;
    /** While helpers read, their rows and bytes count too; once joined, the reader holds them. */
    let helping = false;
    let threads = 1;
    const report = (): void => {
      if (options.onChunk === undefined) return;
      let bytes = parsed;
      let rows = reader.rowsRead;
      if (helping) {
        for (const h of helpers) {
          bytes += Atomics.load(control as Int32Array, h.slot + 1) * 1024;
          rows += Atomics.load(control as Int32Array, h.slot + 2);
        }
      }
      options.onChunk(Math.min(bytes, size), size, rows);
    };
    for (;;) {
      const parsing = pos < parseUntil;
      const got = readAt(fd, path, buf, pos, (parsing ? Math.min(parseUntil, readUntil) : readUntil) - pos);
      if (got === 0) break;
      const bytes = buf.subarray(0, got);
      hash.update(bytes);
      pos += got;
      if (parsing) {
        parsed = pos;
        const text = decoder.decode(bytes);
        if (text.length > 0) reader.push(text);
        if (!planned && reader.rowsRead > 0 && (reader.rowsRead >= 1000 || pos >= 4 * PART_MIN_BYTES)) {
          planned = true;
          const plan = planParts(fd, path, reader, pos, size, options);
          if (plan !== null) {
            control = plan.control;
            helpers = plan.helpers;
            helping = true;
            parseUntil = plan.stop;
            estimated = true;
          }
        }
        if (!estimated && reader.rowsRead >= 1000) {
          // Room for the whole file at once (2% to spare): no doubling, no copy of a half-full buffer.
          estimated = true;
          if (size > pos) reader.reserveRows(reader.rowsRead * (size / pos) * 1.02 + 64);
        }
      }
      report();
    }
    if (helpers.length > 0) {
      waitForHelpers(helpers, control as Int32Array, report, options.stallMs ?? 10_000);
      const from = joinParts(reader, helpers);
      threads += helpers.filter((h) => h.joined).length;
      helping = false;
      parsed = from ?? pos;
      report();
      if (from !== null) {
        // A part that could not be joined, and all after it: read here, as one thread would.
        readTextRange(fd, path, buf, from, readUntil, new ChunkDecoder(path, lenient), (text) => reader.push(text), (_bytes, position) => {
          parsed = position;
          report();
        });
      }
    } else {
      const tail = decoder.end();
      if (tail.length > 0) reader.push(tail);
    }
    return { result: reader.end(), bytes: pos, sha256: hash.digest('hex'), invalidUtf8: lenient, threads };
  } finally {
    closeSync(fd);
    if (control !== null) {
      Atomics.store(control, CONTROL_ABORT, 1);
      for (const h of helpers) {
        h.port.close();
        void h.worker.terminate();
      }
    }
  }
}

/**
 * Splits the rest of the file, from `pos`, into parts at line breaks and starts a helper for
 * every part but the first, each with its region of one shared matrix sized from the rows per
 * byte so far; this thread's reader moves into the first region. Null when the file is read
 * by this thread alone (too small, one core, no helper script, no line break to split at).
 */
function planParts(fd: number, path: string, reader: NumericCsvStream, pos: number, size: number, options: NumericFileOptions): { helpers: Helper[]; control: Int32Array; stop: number } | null {
  const script = options.partScript ?? defaultPartScript();
  const rest = size - pos;
  const wanted = options.parts ?? Math.min(availableParallelism(), MAX_READ_PARTS, Math.floor(rest / PART_MIN_BYTES));
  if (script === undefined || wanted < 2 || rest <= 0) return null;
  // Part i starts at the first line break after its share of the rest; this thread's part
  // is a little smaller (OWN_SHARE).
  const share = rest / (wanted - 1 + OWN_SHARE);
  const starts: number[] = [];
  const probe = Buffer.allocUnsafe(64 * 1024);
  for (let i = 1; i < wanted; i++) {
    const at = lineStartAfter(fd, path, probe, Math.max(pos, Math.floor(pos + share * (i - 1 + OWN_SHARE))), size);
    if (at < 0) break;
    if (at > (starts.length > 0 ? starts[starts.length - 1] : pos) && at < size) starts.push(at);
  }
  if (starts.length === 0) return null;
  const d = reader.nColumns;
  const rowsPerByte = reader.rowsRead / pos;
  const bounds = [0, ...starts, size];
  const region = (i: number): number => Math.ceil((bounds[i + 1] - bounds[i]) * rowsPerByte * 1.02) + 64;
  const firstRows = Math.max(region(0), reader.rowsRead);
  const offsets = [0, firstRows];
  for (let i = 1; i < starts.length; i++) offsets.push(offsets[i] + region(i));
  const totalRows = offsets[offsets.length - 1] + region(starts.length);
  const bytes = totalRows * d * 8;
  const storage = options.alloc !== undefined ? options.alloc(bytes) : new SharedArrayBuffer(bytes);
  if (!(storage instanceof SharedArrayBuffer)) return null;
  reader.useStorage(new Float64Array(storage, 0, totalRows * d), firstRows);
  const control = new Int32Array(new SharedArrayBuffer(4 * (1 + 3 * starts.length)));
  const helpers: Helper[] = [];
  const chunkBytes = options.chunkBytes ?? NUMERIC_CHUNK_BYTES;
  for (let i = 0; i < starts.length; i++) {
    const { port1, port2 } = new MessageChannel();
    const slot = CONTROL_STATE + 3 * i;
    const offsetRows = offsets[i + 1];
    const capacityRows = (i + 2 < offsets.length ? offsets[i + 2] : totalRows) - offsetRows;
    const job: PartJob = {
      path, start: starts[i], end: i + 1 < starts.length ? starts[i + 1] : size, delimiter: reader.delimiterInUse, nColumns: d,
      storage, offsetRows, capacityRows, chunkBytes, control: control.buffer as SharedArrayBuffer, slot, port: port2,
    };
    const worker = new Worker(script, { workerData: job, transferList: [port2] });
    // A helper that fails is given up (its part is read here); nothing it does may end this process.
    worker.on('error', () => undefined);
    worker.unref();
    helpers.push({ worker, port: port1, slot, start: starts[i], roomRows: offsetRows + capacityRows, outcome: null, joined: false });
  }
  return { helpers, control, stop: starts[0] };
}

/** Offset just after the first LF at or after `from` (a line start), or -1 when none is found before `size`. */
function lineStartAfter(fd: number, path: string, probe: Buffer, from: number, size: number): number {
  for (let at = from; at < size;) {
    const got = readAt(fd, path, probe, at);
    if (got === 0) return -1;
    const lf = probe.subarray(0, got).indexOf(10);
    if (lf >= 0) return at + lf + 1;
    at += got;
  }
  return -1;
}

/**
 * Waits for every helper's outcome, reporting progress (which may throw to cancel) about ten
 * times a second. A helper silent for `stallMs` (it died: out of memory, its script missing)
 * gets a failed outcome.
 */
function waitForHelpers(helpers: Helper[], control: Int32Array, report: () => void, stallMs: number): void {
  for (const h of helpers) {
    let seen = -1;
    let since = Date.now();
    while (Atomics.load(control, h.slot) === 0) {
      Atomics.wait(control, h.slot, 0, 100);
      report();
      const progress = Atomics.load(control, h.slot + 1) + Atomics.load(control, h.slot + 2);
      if (progress !== seen) {
        seen = progress;
        since = Date.now();
      } else if (Date.now() - since > stallMs) {
        break;
      }
    }
    const received = Atomics.load(control, h.slot) === 1 ? receiveMessageOnPort(h.port) : undefined;
    h.outcome = received === undefined ? { ok: false, message: 'the helper stopped' } : (received.message as PartOutcome);
  }
}

/**
 * Joins the helpers' parts, in file order, to the reader of the first part. Returns the byte
 * offset from which this thread must read the rest itself (a part that failed, or one whose
 * start the text before it did not end at a record boundary), or null when all were joined.
 */
function joinParts(reader: NumericCsvStream, helpers: Helper[]): number | null {
  for (const h of helpers) {
    const outcome = h.outcome;
    // A part that ended inside a quoted field (or a run csv-parse must read whole) finished
    // its last record too early, and the next part does not start at a record: unless it is
    // the last part, read it here.
    const last = h === helpers[helpers.length - 1];
    if (outcome === null || !outcome.ok || !reader.atRecordBoundary() || (!outcome.clean && !last)) return h.start;
    reader.appendPart(outcome.part, h.roomRows);
    h.joined = true;
  }
  return null;
}
