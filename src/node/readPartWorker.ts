/**
 * A helper thread of readNumericFile (numericFile.ts), bundled as dist/readPart.js: reads one
 * part of a big CSV file, from a line start to the next part's start, with NumericCsvStream
 * in continuation mode into its region of the shared matrix, and posts the part's
 * bookkeeping (or why it could not) before it flags itself done. Progress (KiB and rows read)
 * goes to the shared control array; the abort flag there stops it between chunks.
 */
import { closeSync } from 'node:fs';
import { isMainThread, workerData } from 'node:worker_threads';
import { NumericCsvStream } from '../csv/stream';
import { ChunkDecoder, CONTROL_ABORT, openForReading, readTextRange, type PartJob, type PartOutcome } from './numericFile';

/** Reads the part `job` describes and returns its outcome (never throws). */
export function readPart(job: PartJob, control: Int32Array): PartOutcome {
  let fd = -1;
  try {
    const reader = new NumericCsvStream({ delimiter: job.delimiter, continuation: { nColumns: job.nColumns }, alloc: (bytes) => new SharedArrayBuffer(bytes) });
    const d = job.nColumns;
    reader.useStorage(new Float64Array(job.storage, job.offsetRows * d * 8, job.capacityRows * d), job.capacityRows);
    fd = openForReading(job.path);
    const aborted = new Error('aborted');
    readTextRange(fd, job.path, Buffer.allocUnsafe(Math.max(1, job.chunkBytes)), job.start, job.end, new ChunkDecoder(job.path, false),
      (text) => reader.push(text), (_bytes, position) => {
        Atomics.store(control, job.slot + 1, Math.floor((position - job.start) / 1024));
        Atomics.store(control, job.slot + 2, reader.rowsRead);
        if (Atomics.load(control, CONTROL_ABORT) !== 0) throw aborted;
      });
    const clean = reader.atRecordBoundary();
    reader.end();
    return { ok: true, part: reader.part(), clean };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

if (!isMainThread && (workerData as PartJob | undefined)?.port !== undefined) {
  const job = workerData as PartJob;
  const control = new Int32Array(job.control);
  const outcome = readPart(job, control);
  job.port.postMessage(outcome);
  Atomics.store(control, job.slot, 1);
  Atomics.notify(control, job.slot);
}
