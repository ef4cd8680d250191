// ml-kmeans side of the benchmarks (plain ESM: ml-kmeans ships ES modules only).
//
//   node mlkmeans.mjs fixed X.f64 NROWS NCOLS INIT.f64 K ITERS OUT_PREFIX
//     Lloyd from the given centres for exactly ITERS iterations (tolerance -1 never
//     stops early); times the kmeans() call only. The runner scales ITERS up to the
//     work of the other tools and says so in the table.
//   node mlkmeans.mjs fit FILE.csv K ITERS
//     The end-to-end pieces: csv-parse into number[][] (what a user of ml-kmeans
//     does), then k-means++ and ITERS Lloyd iterations, each part timed separately.
//
// Prints one JSON line on stdout.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { kmeans } from 'ml-kmeans';
import { parse } from 'csv-parse/sync';

function readF64(file) {
  const buf = readFileSync(file);
  const out = new Float64Array(buf.byteLength / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function toRows(flat, nRows, nCols) {
  const rows = new Array(nRows);
  for (let i = 0; i < nRows; i++) rows[i] = Array.from(flat.subarray(i * nCols, (i + 1) * nCols));
  return rows;
}

function fixed([xPath, nRowsS, nColsS, initPath, kS, itersS, outPrefix]) {
  const nRows = Number(nRowsS);
  const nCols = Number(nColsS);
  const k = Number(kS);
  const iters = Number(itersS);
  const data = toRows(readF64(xPath).subarray(0, nRows * nCols), nRows, nCols);
  const init = toRows(readF64(initPath), k, nCols);
  const t0 = performance.now();
  const result = kmeans(data, k, { initialization: init, maxIterations: iters, tolerance: -1 });
  const seconds = (performance.now() - t0) / 1000;
  const centers = new Float64Array(k * nCols);
  for (let c = 0; c < k; c++) centers.set(result.centroids[c], c * nCols);
  writeFileSync(`${outPrefix}.centers.f64`, new Uint8Array(centers.buffer));
  return { seconds, iterations: result.iterations };
}

function fit([file, kS, itersS]) {
  const k = Number(kS);
  const iters = Number(itersS);
  const t0 = performance.now();
  const records = parse(readFileSync(file, 'utf8'), { from_line: 2, cast: (value) => Number(value) });
  const t1 = performance.now();
  const init = kmeans(records, k, { initialization: 'kmeans++', seed: 0, maxIterations: 1, tolerance: -1 });
  const t2 = performance.now();
  kmeans(records, k, { initialization: init.centroids, maxIterations: iters, tolerance: -1 });
  const t3 = performance.now();
  return {
    readSeconds: (t1 - t0) / 1000,
    // kmeans++ plus one Lloyd iteration (ml-kmeans cannot stop before its first step).
    initSeconds: (t2 - t1) / 1000,
    iterSeconds: (t3 - t2) / 1000 / iters,
    nRows: records.length,
  };
}

const [command, ...args] = process.argv.slice(2);
const result = command === 'fixed' ? fixed(args) : fit(args);
process.stdout.write(JSON.stringify(result) + '\n');
