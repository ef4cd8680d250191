/**
 * `centroid fit FILE --minibatch`: mini-batch k-means on a CSV file of any size in bounded
 * memory (Node only). Two passes over the file, each read in chunks and forgotten chunk by
 * chunk: pass 1 fits the centres (MiniBatchStream), pass 2 labels every row, adds up inertia
 * and cluster sizes and, when asked, writes one label per data row. Memory: a chunk of text,
 * its rows, one batch and the centres, independent of the file's size.
 */
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { CsvError } from '../csv/read';
import { NumericCsvStream } from '../csv/stream';
import type { Matrix } from '../engine/matrix';
import { labelBatch, MiniBatchStream } from '../pipeline/minibatchStream';
import { commitTemp, FileError, tempPathFor } from './files';
import { streamTextFile } from './numericFile';

/** Options of {@link fitMiniBatchFile}. */
export interface MiniBatchFileOptions {
  k: number;
  batchSize: number;
  seed: number;
  /** Feature columns by name; default every column numeric in the first chunk, except `label`. */
  columns?: string[];
  label?: string;
  /** Refuse a larger file (default: no limit: the file is never held). */
  maxBytes?: number;
  /** Bytes per read (default NUMERIC_CHUNK_BYTES, 960 KiB). */
  chunkBytes?: number;
  /** Where to write one label per data row (a one-column CSV `cluster`, empty for skipped rows). */
  out?: string;
  /** Replace a file already at `out` (--force); default: fail if anything is there when the labels are complete. */
  replaceOut?: boolean;
  /** Called after every chunk: pass 1 or 2, bytes read, file size, rows read. */
  onProgress?: (pass: 1 | 2, done: number, total: number, rows: number) => void;
}

/** What the mini-batch fit of a file reports (JSON-friendly; nothing grows with the rows). */
export interface MiniBatchFileReport {
  clusterCenters: number[][];
  /** Rows per cluster (pass 2). */
  counts: number[];
  /** Sum of squared distances of the labelled rows to their centres (pass 2). */
  inertia: number;
  featureNames: string[];
  nDataRows: number;
  /** Rows left out for a missing or non-numeric feature value. */
  nSkipped: number;
  batchSize: number;
  nSteps: number;
  seed: number;
  warnings: string[];
}

const LARGEST_SQUARE_SAFE = 1e150;

/**
 * Runs the two passes; see the module comment.
 * @throws FileError naming the file; CsvError for unknown columns or malformed CSV; EngineError
 *   for fewer usable rows than clusters.
 */
export function fitMiniBatchFile(path: string, options: MiniBatchFileOptions): MiniBatchFileReport {
  const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  let features: number[] | null = null;
  let featureNames: string[] = [];
  let fitter: MiniBatchStream | null = null;
  let skipped = 0;
  let dataRows = 0;
  let rowBuf = new Float64Array(0);

  /** The usable rows of a taken block as a compact feature matrix. */
  const usable = (X: Matrix, keep: Uint8Array): Matrix => {
    const d = (features as number[]).length;
    if (rowBuf.length < X.nRows * d) rowBuf = new Float64Array(X.nRows * d);
    let m = 0;
    for (let r = 0; r < X.nRows; r++) {
      const s = r * X.nCols;
      let ok = 1;
      for (let j = 0; j < d; j++) {
        const v = X.data[s + (features as number[])[j]];
        // NaN is a missing or non-numeric cell; a value whose square overflows cannot be fitted.
        if (!(Math.abs(v) < LARGEST_SQUARE_SAFE)) {
          ok = 0;
          break;
        }
        rowBuf[m * d + j] = v;
      }
      keep[r] = ok;
      if (ok) m++;
    }
    return { data: rowBuf.subarray(0, m * d), nRows: m, nCols: d };
  };

  // Pass 1: fit.
  const reader = new NumericCsvStream();
  const takePass1 = (): void => {
    const block = reader.takeRows();
    if (block.X.nRows === 0) return;
    if (features === null) {
      ({ features, featureNames } = chooseFeatures(reader, options, path));
      fitter = new MiniBatchStream(features.length, { nClusters: options.k, batchSize: options.batchSize, seed: options.seed });
    }
    const keep = new Uint8Array(block.X.nRows);
    const rows = usable(block.X, keep);
    dataRows += block.X.nRows;
    skipped += block.X.nRows - rows.nRows;
    (fitter as MiniBatchStream).push(rows);
  };
  streamTextFile(path, (text) => {
    reader.push(text);
    takePass1();
  }, { maxBytes, chunkBytes: options.chunkBytes, lenient: true, onChunk: (done, total) => options.onProgress?.(1, done, total, reader.rowsRead) });
  reader.end();
  takePass1();
  if (fitter === null) throw new CsvError('the file has no data rows');
  const fit = (fitter as MiniBatchStream).finish();
  const warnings = reader.end().warnings.slice();
  if (skipped > 0) warnings.push(`${skipped} ${skipped === 1 ? 'row was' : 'rows were'} left out for a missing or non-numeric feature value (or one too large to square)`);

  // Pass 2: label.
  const totals = { inertia: 0, counts: new Float64Array(options.k) };
  const out = options.out !== undefined ? new AtomicTextWriter(options.out, options.replaceOut === true) : null;
  try {
    out?.write('cluster\n');
    const second = new NumericCsvStream();
    let labels = new Int32Array(0);
    const takePass2 = (): void => {
      const block = second.takeRows();
      if (block.X.nRows === 0) return;
      const keep = new Uint8Array(block.X.nRows);
      const rows = usable(block.X, keep);
      if (labels.length < rows.nRows) labels = new Int32Array(rows.nRows);
      const lab = labels.subarray(0, rows.nRows);
      labelBatch(rows, fit.centers, lab, totals);
      if (out !== null) {
        const parts: string[] = new Array(block.X.nRows);
        for (let r = 0, i = 0; r < block.X.nRows; r++) parts[r] = keep[r] ? String(lab[i++]) : '';
        out.write(`${parts.join('\n')}\n`);
      }
    };
    streamTextFile(path, (text) => {
      second.push(text);
      takePass2();
    }, { maxBytes, chunkBytes: options.chunkBytes, lenient: true, onChunk: (done, total) => options.onProgress?.(2, done, total, second.rowsRead) });
    second.end();
    takePass2();
    out?.commit();
  } finally {
    out?.abandon();
  }
  const k = options.k;
  const d = fit.centers.nCols;
  const clusterCenters: number[][] = [];
  for (let j = 0; j < k; j++) clusterCenters.push(Array.from(fit.centers.data.subarray(j * d, j * d + d)));
  const empty = Array.from(totals.counts).filter((c) => c === 0).length;
  if (empty > 0) warnings.push(`${empty} of ${k} clusters got no row in the labelling pass`);
  return {
    clusterCenters,
    counts: Array.from(totals.counts),
    inertia: totals.inertia,
    featureNames,
    nDataRows: dataRows,
    nSkipped: skipped,
    batchSize: options.batchSize,
    nSteps: fit.steps,
    seed: options.seed,
    warnings,
  };
}

/** Feature columns by name, or every column numeric so far (the inspect rule) except the label. */
function chooseFeatures(reader: NumericCsvStream, options: MiniBatchFileOptions, path: string): { features: number[]; featureNames: string[] } {
  const header = reader.headerNames();
  const width = reader.nColumns;
  const names = header ?? Array.from({ length: width }, (_, c) => `column${c + 1}`);
  const find = (name: string): number => {
    const c = names.indexOf(name);
    if (c >= 0 || header !== null) return c;
    return /^[1-9]\d*$/.test(name) && Number(name) <= width ? Number(name) - 1 : -1;
  };
  const unknown = [...(options.columns ?? []), ...(options.label !== undefined ? [options.label] : [])].filter((n) => find(n) < 0);
  if (unknown.length > 0) {
    throw new CsvError(`no column named ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  let features: number[];
  if (options.columns !== undefined) {
    features = options.columns.map(find);
  } else {
    const { numbers, nonNumeric } = reader.columnCounts();
    const label = options.label !== undefined ? find(options.label) : -1;
    features = [];
    for (let c = 0; c < width; c++) if (numbers[c] > 0 && nonNumeric[c] <= 1 && c !== label) features.push(c);
    if (features.length === 0) throw new CsvError(`no numeric column to use as a feature in the first rows of ${basename(path)}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  return { features, featureNames: features.map((c) => names[c]) };
}

/**
 * A file written piece by piece into a temporary file next to `path` that takes its name on
 * commit (commitTemp, as writeFileAtomic: renamed over it with `replace`, else claimed with a
 * link that fails if anything has the name): readers never see half a file; abandon() removes
 * the temporary file when commit was not reached.
 */
class AtomicTextWriter {
  private readonly tmp: string;
  private fd: number | null;
  private done = false;

  constructor(private readonly path: string, private readonly replace: boolean) {
    this.tmp = tempPathFor(path);
    try {
      this.fd = openSync(this.tmp, 'wx');
    } catch (e) {
      throw new FileError(`cannot write ${path}: ${(e as Error).message}`);
    }
  }

  write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd as number, bytes, at, bytes.length - at);
    } catch (e) {
      throw new FileError(`cannot write ${this.path}: ${(e as Error).message}`);
    }
  }

  commit(): void {
    try {
      fsyncSync(this.fd as number);
      closeSync(this.fd as number);
      this.fd = null;
    } catch (e) {
      throw new FileError(`cannot write ${this.path}: ${(e as Error).message}`);
    }
    commitTemp(this.tmp, this.path, this.replace);
    this.done = true;
  }

  abandon(): void {
    if (this.done) return;
    if (this.fd !== null) {
      try { closeSync(this.fd); } catch { /* already closed */ }
      this.fd = null;
    }
    try { unlinkSync(this.tmp); } catch { /* already gone */ }
  }
}
