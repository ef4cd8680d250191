/**
 * Turns a fit outcome into what the panel draws: a 2-D sample of the rows with their
 * clusters, the centres, the metrics in words, distinguishing features per cluster and the
 * comparison with a label column. Runs in the worker, next to the fit, so the host and the
 * webview only ever see a bounded amount of data (maxPoints rows) whatever the file size.
 */
import type { FitOutcome } from '../pipeline/fit';
import { project2d, sampleRows, type Projection } from '../pipeline/projection';
import { fromRows, takeRows, type Matrix } from '../engine/matrix';
import type { RunSettings } from '../protocol/messages';
import { metricRows, type Distinction, type PanelView, type PlotData } from '../protocol/view';
import { formatCount } from '../protocol/format';

/** The hover shows at most this many values of a row. */
export const MAX_HOVER_VALUES = 10;

/**
 * Builds the panel's view of a fit.
 * @param outcome the fit (report, dataset, fit-space matrix and centres)
 * @param settings what was asked (the 2-D view choice, seed)
 * @param maxPoints at most this many rows in the plot sample (stratified by cluster)
 * Complexity O(n d) for the feature statistics plus the projection's cost.
 */
export function buildPanelView(
  outcome: FitOutcome, settings: RunSettings, fileName: string, maxPoints: number,
  labelColumn: { name: string; guessed: boolean } | null, elapsedMs: number, rowLine: Int32Array,
): PanelView {
  const { report, dataset } = outcome;
  const warnings = [...report.warnings];
  const plot = buildPlot(outcome, settings, maxPoints, warnings, rowLine);
  const algorithm = report.options.metric === 'cosine' ? 'spherical k-means'
    : `k-means (${report.options.algorithm === 'elkan' ? 'Elkan' : 'Lloyd'})`;
  const used = dataset.X.nRows;
  const summary = `${algorithm}, k=${report.options.k}, ${report.featureNames.length} feature${report.featureNames.length === 1 ? '' : 's'}, `
    + `${formatCount(used)} row${used === 1 ? '' : 's'}${report.options.scale === 'none' ? '' : `, ${report.options.scale} scaling`}`;
  const metrics = metricRows(report.inertia, report.metrics);
  if (report.options.metric === 'cosine') metrics[0].name = 'Inertia (sum of 1 − cosine similarity to the centres, lower is better)';

  const view: PanelView = {
    fileName,
    summary,
    k: report.options.k,
    featureNames: report.featureNames,
    counts: report.counts,
    centers: report.clusterCenters,
    distinctions: distinctions(dataset.X, report.clusterCenters, report.featureNames),
    metrics,
    plot,
    warnings,
    nIter: report.nIter,
    inertiaSpace: report.inertiaSpace,
    elapsedMs,
    nDataRows: report.nDataRows,
    nDropped: report.droppedRows.length,
  };
  if (labelColumn !== null) {
    const m = report.metrics;
    view.labels = {
      column: labelColumn.name,
      guessed: labelColumn.guessed,
      contingency: m.contingency
        ? { rows: m.contingency.rows.map(String), cols: m.contingency.cols.map(String), matrix: m.contingency.matrix }
        : null,
      mapping: m.mapping
        ? Object.entries(m.mapping.clusterToLabel).map(([cluster, label]) => ({ cluster, label: String(label) }))
        : [],
      accuracy: m.mapping ? m.mapping.accuracy : null,
    };
  }
  return view;
}

function buildPlot(outcome: FitOutcome, settings: RunSettings, maxPoints: number, warnings: string[], rowLine: Int32Array): PlotData {
  const { dataset, fitX, fitCenters, fitLabels, report } = outcome;
  const names = report.featureNames;
  const seed = report.options.seed;
  let projection: Projection;
  let sampled: Int32Array | null = null;
  const view = settings.view;
  let columns: { x: number; y: number } | null = null;
  if (view.method === 'columns') {
    const x = names.indexOf(view.x);
    const y = names.indexOf(view.y);
    if (x < 0 || y < 0) {
      const missing = x < 0 ? view.x : view.y;
      warnings.push(`the view column "${missing}" is not a feature of this fit, so the view shows principal components`);
    } else {
      columns = { x, y };
    }
  }
  if (columns !== null) {
    // Two columns read best in the file's own units: the unscaled data and centres.
    const centers = fromRows(report.clusterCenters, names.length);
    projection = project2d(dataset.X, centers, { method: 'columns', ...columns }, maxPoints, seed, names, fitLabels);
  } else if (report.options.metric === 'cosine') {
    // Spherical k-means compares directions: project unit-length rows and centres.
    sampled = sampleRows(fitX.nRows, maxPoints, seed, fitLabels);
    const Xs = normalizeRows(takeRows(fitX, sampled));
    projection = project2d(Xs, normalizeRows(fitCenters), { method: 'pca' }, maxPoints, seed, names);
  } else {
    projection = project2d(fitX, fitCenters, { method: 'pca' }, maxPoints, seed, names, fitLabels);
  }

  const nPoints = projection.rows.length;
  const d = dataset.X.nCols;
  const nValues = Math.min(d, MAX_HOVER_VALUES);
  const rows = new Int32Array(nPoints);
  const lines = new Int32Array(nPoints);
  const labels = new Int32Array(nPoints);
  const values = new Float32Array(nPoints * nValues);
  const X = dataset.X.data;
  for (let p = 0; p < nPoints; p++) {
    const xRow = sampled === null ? projection.rows[p] : sampled[projection.rows[p]];
    rows[p] = dataset.rowIndex[xRow];
    lines[p] = rows[p] < rowLine.length ? rowLine[rows[p]] : -1;
    labels[p] = fitLabels[xRow];
    const o = xRow * d;
    for (let t = 0; t < nValues; t++) values[p * nValues + t] = X[o + t];
  }
  return {
    points: projection.points,
    rows,
    lines,
    labels,
    centers: projection.centers,
    values,
    valueNames: names.slice(0, nValues),
    axisNames: projection.axisNames,
    explained: projection.explained,
    total: fitX.nRows,
  };
}

/** A copy of M with each row scaled to unit length (zero rows stay zero). */
function normalizeRows(M: Matrix): Matrix {
  const d = M.nCols;
  const out = new Float64Array(M.data);
  for (let i = 0; i < M.nRows; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += out[i * d + t] * out[i * d + t];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let t = 0; t < d; t++) out[i * d + t] *= inv;
  }
  return { data: out, nRows: M.nRows, nCols: d };
}

/**
 * For each centre, the features where it lies furthest from the overall mean, measured in
 * the feature's standard deviation (population, ddof 0): up to three, largest |z| first.
 * Constant features are skipped. Complexity O(n d + k d log d).
 */
export function distinctions(X: Matrix, centers: number[][], names: string[]): Distinction[][] {
  const n = X.nRows;
  const d = X.nCols;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) mean[t] += X.data[o + t];
  }
  for (let t = 0; t < d; t++) mean[t] /= Math.max(1, n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) {
      const c = X.data[o + t] - mean[t];
      sq[t] += c * c;
    }
  }
  return centers.map((centre) => {
    const all: Distinction[] = [];
    for (let t = 0; t < d; t++) {
      const sd = Math.sqrt(sq[t] / Math.max(1, n));
      if (!(sd > 0) || !Number.isFinite(centre[t])) continue;
      all.push({ feature: names[t] ?? `feature ${t + 1}`, z: (centre[t] - mean[t]) / sd });
    }
    all.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
    return all.slice(0, 3);
  });
}
