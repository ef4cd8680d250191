/**
 * The worker's reader for big plain numeric files: the file streams from disk in chunks
 * straight into a matrix (NumericCsvStream), with "rows read" progress and the cancel flag
 * checked between chunks, so a 1M-row file never becomes one string or a table of strings.
 * Any other file (text cells, ragged rows, ...) gets null and takes the table path. A big
 * file is read on every core (readNumericFile's helper threads), the pool's threads idle.
 */
import { basename } from 'node:path';
import { plainNumericTable, type NumericTable } from '../csv/numericTable';
import { CancelledError } from '../engine/errors';
import { defaultExecutor } from '../engine/parallel/executor';
import { FileError } from '../node/files';
import { readNumericFile } from '../node/numericFile';
import { formatBytes } from '../protocol/format';

/** Files at least this big are read as numbers first (smaller ones parse fast enough as text). */
export const STREAM_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Shapes a file of distances can have (three columns: an edge list; about as many rows as
 * columns: a square matrix): such files take the table path, which tells them apart.
 */
export function mayHoldDistances(table: NumericTable): boolean {
  return table.X.nCols === 3 || table.X.nRows <= table.X.nCols + 1;
}

/**
 * Reads `path` as a plain numeric table, or returns null when it is not one.
 * @param progress called with the fraction of bytes read and a message naming the rows read.
 * @throws InputError-like FileError (size over maxBytes, unreadable), CsvError, CancelledError.
 */
export function readPlainNumeric(
  path: string, maxBytes: number, progress: (fraction: number, message: string) => void, isCancelled: () => boolean,
): { table: NumericTable; bytes: number } | null {
  const name = basename(path);
  let lastReport = 0;
  let read;
  try {
    const executor = defaultExecutor();
    read = readNumericFile(path, {
      maxBytes,
      // In the kernel pool's memory when one runs, so the fit works on the matrix in place.
      alloc: executor.threads > 1 ? (bytes) => executor.alloc(bytes) : undefined,
      onChunk: (done, total, rows) => {
        if (isCancelled()) throw new CancelledError();
        // About ten messages a second at most (a chunk takes ~15 ms).
        const now = Date.now();
        if (now - lastReport < 100 && done < total) return;
        lastReport = now;
        progress(total === 0 ? 1 : done / total,
          `Reading ${name}: ${rows.toLocaleString('en-US')} rows read (${formatBytes(done)} of ${formatBytes(total)})`);
      },
    });
  } catch (e) {
    // Name the file by its base name, as the worker's other messages do.
    if (e instanceof FileError) throw new FileError(e.message.split(path).join(name));
    throw e;
  }
  const table = plainNumericTable(read.result);
  if (table === null || mayHoldDistances(table)) return null;
  return { table, bytes: read.bytes };
}
