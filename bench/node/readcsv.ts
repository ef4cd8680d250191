/**
 * Our side of the "CSV to numeric matrix" row: read the file from disk and turn it
 * into a numeric Matrix with the reader the CLI uses (parseCsv + buildDataset).
 * Timed from the first byte read to the finished matrix, as pandas.read_csv +
 * to_numpy on the other side.
 *
 *   node readcsv.js FILE.csv
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../src/csv/read';
import { buildDataset } from '../../src/csv/dataset';
import { printResult } from './io';

const [file] = process.argv.slice(2);
const t0 = performance.now();
const table = parseCsv(readFileSync(file, 'utf8'));
const { X } = buildDataset(table);
const seconds = (performance.now() - t0) / 1000;
let sum = 0;
for (let i = 0; i < X.data.length; i++) sum += X.data[i];
printResult({ seconds, nRows: X.nRows, nCols: X.nCols, sum });
