/**
 * The CSV a fit was made from, read again for label mapping and export, with a check that
 * it is still the file the fit saw (same size, same number of data rows). Node only.
 */
import { basename } from 'node:path';
import { parseCsv, type CsvTable } from '../csv/read';
import { FileError, readTextFile } from './files';

/** A fit's source table and the hash of its bytes (for a saved model's `data`). */
export interface SourceTable {
  table: CsvTable;
  sha256: string;
  bytes: number;
}

/**
 * Reads and parses `path` as the worker does (header detection, dialect sniffing) and checks
 * it against the fit: `bytes` and `nRows` as the fit reported them.
 * @throws FileError naming the file: unreadable, over `maxBytes`, or changed since the fit.
 */
export function readSourceTable(path: string, fit: { bytes: number; nRows: number }, maxBytes: number): SourceTable {
  const read = readTextFile(path, maxBytes);
  const name = basename(path);
  const changed = `${name} changed since it was clustered; run Cluster this CSV again`;
  if (read.bytes !== fit.bytes) throw new FileError(`${changed} (it has ${read.bytes} bytes, the fit read ${fit.bytes})`);
  const table = parseCsv(read.text, { header: 'auto' });
  if (table.rows.length !== fit.nRows) throw new FileError(`${changed} (it has ${table.rows.length} data rows, the fit had ${fit.nRows})`);
  return { table, sha256: read.sha256, bytes: read.bytes };
}
