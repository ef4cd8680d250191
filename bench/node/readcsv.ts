/**
 * Our side of the "CSV to numeric matrix" rows: read the file from disk and turn it into
 * a numeric Matrix, timed from the first byte read to the finished matrix (as
 * pandas.read_csv + to_numpy on the other side).
 *
 *   node readcsv.js stream FILE.csv   readNumericFile: NumericCsvStream fed 960 KiB chunks, sized from the
 *                                     first chunk, into shared memory, with the file's SHA-256, a big file
 *                                     in parts on every core (what the CLI and the worker do for plain
 *                                     numeric files; they give the kernel pool's shared memory)
 *   node readcsv.js table FILE.csv    parseCsv + buildDataset on the whole text (files with text cells)
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../src/csv/read';
import { buildDataset } from '../../src/csv/dataset';
import { readNumericFile } from '../../src/node/numericFile';
import type { Matrix } from '../../src/engine/matrix';
import { printResult } from './io';

function viaStream(file: string): Matrix {
  return readNumericFile(file, { alloc: (bytes) => new SharedArrayBuffer(bytes) }).result.X;
}

function viaTable(file: string): Matrix {
  return buildDataset(parseCsv(readFileSync(file, 'utf8'))).X;
}

const [mode, file] = process.argv.slice(2);
const t0 = performance.now();
const X = mode === 'stream' ? viaStream(file) : viaTable(file);
const seconds = (performance.now() - t0) / 1000;
let sum = 0;
for (let i = 0; i < X.data.length; i++) sum += X.data[i];
printResult({ seconds, nRows: X.nRows, nCols: X.nCols, sum });
