/**
 * Our side of the "CSV to numeric matrix" rows: read the file from disk and turn it into
 * a numeric Matrix, timed from the first byte read to the finished matrix (as
 * pandas.read_csv + to_numpy on the other side).
 *
 *   node readcsv.js stream FILE.csv   NumericCsvStream fed 4 MiB chunks (the big-file reader)
 *   node readcsv.js table FILE.csv    parseCsv + buildDataset on the whole text (what the CLI does)
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseCsv } from '../../src/csv/read';
import { buildDataset } from '../../src/csv/dataset';
import { NumericCsvStream } from '../../src/csv/stream';
import type { Matrix } from '../../src/engine/matrix';
import { printResult } from './io';

function viaStream(file: string): Matrix {
  const reader = new NumericCsvStream();
  const decoder = new TextDecoder('utf-8');
  const buffer = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const got = readSync(fd, buffer, 0, buffer.length, null);
      if (got === 0) break;
      reader.push(decoder.decode(buffer.subarray(0, got), { stream: true }));
    }
    reader.push(decoder.decode());
  } finally {
    closeSync(fd);
  }
  return reader.end().X;
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
