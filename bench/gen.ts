/**
 * Deterministic benchmark data: overlapping Gaussian blobs, written once into
 * bench/data/ (git-ignored) and reused while the parameters stay the same.
 *
 * For each data set: `X.f64` (raw little-endian float64, row-major), `labels.i32`
 * (the generating blob of each row), `init_k{K}.f64` (K distinct rows drawn with a
 * seeded Rng: the given initial centres every tool starts from) and `meta.json`.
 * The 10-feature set is also written as `big.csv` for the end-to-end rows.
 *
 * Blob centres are uniform in a box whose half-width makes the expected distance
 * between two centres about 2.5 blob standard deviations, and blob standard
 * deviations vary in [0.5, 1.5]: the blobs overlap, so Lloyd keeps moving for many
 * iterations instead of converging in 2. Values are rounded to 6 decimals, so the
 * CSV holds exactly the numbers of the binary file.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../src/engine/rng';

/** Bumped whenever the generator changes, so stale data is rewritten. */
const GENERATOR_VERSION = 2;

export interface DataSet {
  dir: string;
  nRows: number;
  nCols: number;
  kTrue: number;
  xPath: string;
  labelsPath: string;
  /** Path of the initial centres for `k` (written by ensureInit). */
  initPath(k: number): string;
  csvPath: string;
}

interface Meta {
  version: number;
  nRows: number;
  nCols: number;
  kTrue: number;
  seed: number;
}

function standardNormal(rng: Rng): number {
  // Box-Muller; one value per call keeps the stream simple to reason about.
  let u = rng.random();
  while (u === 0) u = rng.random();
  const v = rng.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Writes a typed array's bytes to `file`. */
export function writeTyped(file: string, a: Float64Array | Int32Array): void {
  writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Reads a raw little-endian float64 file into an aligned Float64Array. */
export function readF64(file: string, count?: number): Float64Array {
  const buf = readFileSync(file);
  const n = count ?? buf.byteLength / 8;
  const out = new Float64Array(n);
  new Uint8Array(out.buffer).set(buf.subarray(0, n * 8));
  return out;
}

/** Reads a raw little-endian int32 file into an aligned Int32Array. */
export function readI32(file: string, count?: number): Int32Array {
  const buf = readFileSync(file);
  const n = count ?? buf.byteLength / 4;
  const out = new Int32Array(n);
  new Uint8Array(out.buffer).set(buf.subarray(0, n * 4));
  return out;
}

/**
 * Makes sure the blob data set `name` exists with these parameters and returns its
 * paths. Deterministic: the same (nRows, nCols, kTrue, seed) always gives the same bytes.
 */
export function ensureBlobs(root: string, name: string, nRows: number, nCols: number, kTrue: number, seed: number, withCsv: boolean): DataSet {
  const dir = path.join(root, name);
  const set: DataSet = {
    dir,
    nRows,
    nCols,
    kTrue,
    xPath: path.join(dir, 'X.f64'),
    labelsPath: path.join(dir, 'labels.i32'),
    initPath: (k: number) => path.join(dir, `init_k${k}.f64`),
    csvPath: path.join(dir, 'big.csv'),
  };
  const metaPath = path.join(dir, 'meta.json');
  const want: Meta = { version: GENERATOR_VERSION, nRows, nCols, kTrue, seed };
  const have = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as Meta) : null;
  const fresh = have !== null && JSON.stringify(have) === JSON.stringify(want) && existsSync(set.xPath);
  if (fresh && (!withCsv || existsSync(set.csvPath))) return set;

  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const halfWidth = 2.5 / Math.sqrt((2 * nCols) / 3);
  const centres = new Float64Array(kTrue * nCols);
  const stds = new Float64Array(kTrue);
  for (let c = 0; c < kTrue; c++) {
    for (let j = 0; j < nCols; j++) centres[c * nCols + j] = (2 * rng.random() - 1) * halfWidth;
    stds[c] = 0.5 + rng.random();
  }
  const X = new Float64Array(nRows * nCols);
  const labels = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const c = rng.int(kTrue);
    labels[i] = c;
    for (let j = 0; j < nCols; j++) {
      X[i * nCols + j] = round6(centres[c * nCols + j] + stds[c] * standardNormal(rng));
    }
  }
  writeTyped(set.xPath, X);
  writeTyped(set.labelsPath, labels);
  if (withCsv) writeCsv(set.csvPath, X, nRows, nCols);
  writeFileSync(metaPath, JSON.stringify(want) + '\n');
  return set;
}

/** Writes `k` distinct rows drawn by Rng(seed) as the given initial centres. */
export function ensureInit(set: DataSet, k: number, seed: number): string {
  const file = set.initPath(k);
  const stamp = `${file}.seed`;
  if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8') === String(seed)) return file;
  const X = readF64(set.xPath);
  const rows = new Rng(seed).sample(set.nRows, k);
  const C = new Float64Array(k * set.nCols);
  for (let r = 0; r < k; r++) C.set(X.subarray(rows[r] * set.nCols, (rows[r] + 1) * set.nCols), r * set.nCols);
  writeTyped(file, C);
  writeFileSync(stamp, String(seed));
  return file;
}

function writeCsv(file: string, X: Float64Array, nRows: number, nCols: number): void {
  const fd = openSync(file, 'w');
  try {
    const header: string[] = [];
    for (let j = 0; j < nCols; j++) header.push(`x${j}`);
    writeSync(fd, header.join(',') + '\n');
    const block = 20000;
    for (let start = 0; start < nRows; start += block) {
      const end = Math.min(nRows, start + block);
      let text = '';
      for (let i = start; i < end; i++) {
        let line = String(X[i * nCols]);
        for (let j = 1; j < nCols; j++) line += ',' + String(X[i * nCols + j]);
        text += line + '\n';
      }
      writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
}
