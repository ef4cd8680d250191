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
import { metricRows, type Distinction, type PanelView, type PlotData, type ProjectionBasis } from '../protocol/view';
import { formatCount } from '../protocol/format';
import { buildKnownView } from './knownView';

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
  return panelViewAndBasis(outcome, settings, fileName, maxPoints, labelColumn, elapsedMs, rowLine).view;
}

/**
 * As {@link buildPanelView}, and the principal axes of the chart in the fit space (null for a
 * cosine fit viewed by columns), for the fit's model. With `basis` (a saved model's axes) the
 * principal-component chart is drawn on those axes, so predictions look like the fit.
 */
export function panelViewAndBasis(
  outcome: FitOutcome, settings: RunSettings, fileName: string, maxPoints: number,
  labelColumn: { name: string; guessed: boolean } | null, elapsedMs: number, rowLine: Int32Array, basis?: ProjectionBasis | null,
): { view: PanelView; basis: ProjectionBasis | null } {
  const { report, dataset } = outcome;
  const warnings = [...report.warnings];
  const { plot, basis: axes } = buildPlot(outcome, settings, maxPoints, warnings, rowLine, basis ?? undefined);
  const algorithm = report.options.metric === 'cosine' ? 'spherical k-means'
    : `k-means (${report.options.algorithm === 'elkan' ? 'Elkan' : 'Lloyd'})`;
  const used = dataset.X.nRows;
  const starts = report.options.nInit;
  const summary = `${algorithm}, k=${report.options.k}, best of ${starts} start${starts === 1 ? '' : 's'}, `
    + `${report.featureNames.length} feature${report.featureNames.length === 1 ? '' : 's'}, `
    + `${formatCount(used)} row${used === 1 ? '' : 's'}${report.options.scale === 'none' ? '' : `, ${report.options.scale} scaling`}`;
  const metrics = metricRows(report.inertia, report.metrics);
  const cosine = report.options.metric === 'cosine';
  if (report.options.metric === 'cosine') metrics[0].name = 'Inertia (sum of 1 − cosine similarity to the centres, lower is better)';

  const view: PanelView = {
    fileName,
    summary,
    k: report.options.k,
    featureNames: report.featureNames,
    counts: report.counts,
    // Spherical k-means' centres are unit-length directions: show and describe each cluster
    // by its mean row in the file's units instead (a cluster with no rows keeps its centre).
    centers: cosine
      ? clusterMeans(dataset.X, outcome.fitLabels, report.options.k).map((row, j) => (row.every(Number.isFinite) ? row : report.clusterCenters[j]))
      : report.clusterCenters,
    ...(cosine ? { centersAre: 'means' as const } : {}),
    distinctions: cosine
      ? overRepresented(dataset.X, outcome.fitLabels, report.options.k, report.featureNames)
      : distinctions(dataset.X, report.clusterCenters, report.featureNames),
    metrics,
    plot,
    warnings,
    nIter: report.nIter,
    inertiaSpace: report.inertiaSpace,
    elapsedMs,
    nDataRows: report.nDataRows,
    nDropped: report.droppedRows.length,
    scaling: { kind: report.scaling.kind, auto: report.scaling.auto, reason: report.scaling.reason, formula: report.scaling.formula },
    nInit: starts,
  };
  if (report.roles) view.roles = report.roles;
  const known = buildKnownView(outcome, settings.known);
  if (known) view.known = known;
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
  return { view, basis: axes };
}

function buildPlot(
  outcome: FitOutcome, settings: RunSettings, maxPoints: number, warnings: string[], rowLine: Int32Array, basis?: ProjectionBasis,
): { plot: PlotData; basis: ProjectionBasis | null } {
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
  // The known starting centres ride along after the final ones, so they share the projection.
  const nStart = settings.known && outcome.startCenters ? Math.min(settings.known.rows.length, outcome.startCenters.length) : 0;
  const startRows = outcome.startCenters?.slice(0, nStart) ?? [];
  const k = fitCenters.nRows;
  let unit = 0;
  let used: ProjectionBasis | null = null;
  if (columns !== null) {
    // Two columns read best in the file's own units: the unscaled data and centres.
    const pair = plotUnits(dataset.X, fromRows([...report.clusterCenters, ...startRows], names.length));
    unit = pair.exponent;
    projection = project2d(pair.X, pair.centers, { method: 'columns', ...columns }, maxPoints, seed, names, fitLabels);
    if (report.options.metric !== 'cosine') {
      // The model keeps the principal axes all the same, for charts of its predictions.
      const fit = plotUnits(fitX, fitCenters);
      used = inUnits(project2d(fit.X, fit.centers, { method: 'pca', basis: basis && toUnits(basis, fit.exponent) }, 0, seed).basis, -fit.exponent);
    }
  } else if (report.options.metric === 'cosine') {
    // Spherical k-means compares directions: project unit-length rows and centres (scaling
    // first changes no direction and keeps the squares finite).
    sampled = sampleRows(fitX.nRows, maxPoints, seed, fitLabels);
    const pair = plotUnits(takeRows(fitX, sampled), withStart(fitCenters, startRows, outcome));
    projection = project2d(normalizeRows(pair.X), normalizeRows(pair.centers), { method: 'pca', basis }, maxPoints, seed, names);
    used = projection.basis;
  } else {
    const pair = plotUnits(fitX, withStart(fitCenters, startRows, outcome));
    unit = pair.exponent;
    projection = project2d(pair.X, pair.centers, { method: 'pca', basis: basis && toUnits(basis, unit) }, maxPoints, seed, names, fitLabels);
    used = inUnits(projection.basis, -unit);
  }
  if (unit !== 0) {
    const axes = projection.axisNames.map((a) => (a === '' ? a : `${a} (×1e${unit})`)) as [string, string];
    projection = { ...projection, axisNames: axes };
    warnings.push(`values reach ${maxAbsText(dataset.X)}, beyond what the chart can draw, so its axes are in units of 1e${unit}`);
  }

  const nPoints = projection.rows.length;
  const d = dataset.X.nCols;
  const nValues = Math.min(d, MAX_HOVER_VALUES);
  const rows = new Int32Array(nPoints);
  const lines = new Int32Array(nPoints);
  const labels = new Int32Array(nPoints);
  // Float64: the hover shows the file's values as they are, even beyond the Float32 range.
  const values = new Float64Array(nPoints * nValues);
  const X = dataset.X.data;
  for (let p = 0; p < nPoints; p++) {
    const xRow = sampled === null ? projection.rows[p] : sampled[projection.rows[p]];
    rows[p] = dataset.rowIndex[xRow];
    lines[p] = rows[p] < rowLine.length ? rowLine[rows[p]] : -1;
    labels[p] = fitLabels[xRow];
    const o = xRow * d;
    for (let t = 0; t < nValues; t++) values[p * nValues + t] = X[o + t];
  }
  const plot: PlotData = {
    points: projection.points,
    rows,
    lines,
    labels,
    centers: projection.centers.slice(0, 2 * k),
    ...(nStart > 0 ? { startCenters: projection.centers.slice(2 * k, 2 * (k + nStart)) } : {}),
    values,
    valueNames: names.slice(0, nValues),
    ...(d > nValues ? { valuesNotShown: d - nValues } : {}),
    axisNames: projection.axisNames,
    explained: projection.explained,
    total: fitX.nRows,
  };
  return { plot, basis: used };
}

/** A basis in the fit space as it applies to rows divided by 10^exponent (plotUnits): the mean divided too, the directions kept. */
function toUnits(basis: ProjectionBasis, exponent: number): ProjectionBasis {
  if (exponent === 0) return basis;
  return { mean: basis.mean.map((v) => v / 10 ** exponent), axes: basis.axes };
}

function inUnits(basis: ProjectionBasis | null, exponent: number): ProjectionBasis | null {
  return basis && toUnits(basis, exponent);
}

/** The fit-space centres followed by the known starting centres (original units, scaled as the fit's). */
function withStart(fitCenters: Matrix, startRows: number[][], outcome: FitOutcome): Matrix {
  if (startRows.length === 0) return fitCenters;
  const d = fitCenters.nCols;
  const { offset, scale } = outcome.scaler;
  const data = new Float64Array((fitCenters.nRows + startRows.length) * d);
  data.set(fitCenters.data);
  startRows.forEach((row, j) => {
    for (let t = 0; t < d; t++) {
      const o = offset.length === d ? offset[t] : 0;
      const s = scale.length === d ? scale[t] : 1;
      data[(fitCenters.nRows + j) * d + t] = (row[t] - o) / s;
    }
  });
  return { data, nRows: fitCenters.nRows + startRows.length, nCols: d };
}

/**
 * The chart draws Float32 coordinates (at most about 3.4e38); this keeps the data well
 * inside: values below 1e30 in magnitude pass through untouched (exponent 0), otherwise
 * rows and centres are divided by 10^e (e = floor(log10 of the largest finite magnitude)),
 * so they lie within ±10 and the axes are named "… (×1e{e})". Linear, so PCA and
 * columns views of the scaled data are the scaled views. O(n d) when scaling, O(n d) scan.
 */
export function plotUnits(X: Matrix, centers: Matrix): { X: Matrix; centers: Matrix; exponent: number } {
  const largest = Math.max(maxAbs(X.data), maxAbs(centers.data));
  if (!(largest >= PLOT_SAFE_MAGNITUDE)) return { X, centers, exponent: 0 };
  const exponent = Math.floor(Math.log10(largest));
  const factor = 10 ** exponent;
  const scaled = (M: Matrix): Matrix => {
    const data = new Float64Array(M.data.length);
    for (let i = 0; i < data.length; i++) data[i] = M.data[i] / factor;
    return { data, nRows: M.nRows, nCols: M.nCols };
  };
  return { X: scaled(X), centers: scaled(centers), exponent };
}

/** Magnitudes from here on are drawn in scaled units (far below Float32's 3.4e38, so PCA sums stay finite too). */
export const PLOT_SAFE_MAGNITUDE = 1e30;

function maxAbs(data: Float64Array): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > m && a !== Infinity) m = a;
  }
  return m;
}

function maxAbsText(X: Matrix): string {
  return maxAbs(X.data).toPrecision(3).replace('e+', 'e');
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
  // Each column in units of its largest magnitude, so sums of values near 1e308 stay finite.
  const unit = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) {
      const a = Math.abs(X.data[o + t]);
      if (a > unit[t] && a !== Infinity) unit[t] = a;
    }
  }
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) if (unit[t] > 0) mean[t] += X.data[o + t] / unit[t];
  }
  for (let t = 0; t < d; t++) mean[t] /= Math.max(1, n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) {
      if (!(unit[t] > 0)) continue;
      const c = X.data[o + t] / unit[t] - mean[t];
      sq[t] += c * c;
    }
  }
  return centers.map((centre) => {
    const all: { feature: string; z: number }[] = [];
    for (let t = 0; t < d; t++) {
      const sd = Math.sqrt(sq[t] / Math.max(1, n));
      if (!(sd > 0) || !(unit[t] > 0) || !Number.isFinite(centre[t])) continue;
      const z = (centre[t] / unit[t] - mean[t]) / sd;
      if (Number.isFinite(z)) all.push({ feature: names[t] ?? `feature ${t + 1}`, z });
    }
    all.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
    return all.slice(0, 3);
  });
}

/**
 * Mean row of each cluster in X's units (k rows of d; NaN for a cluster with no rows).
 * `labels[i]` is row i's cluster, negative for none. Summed in each column's largest
 * magnitude so values near 1e308 stay finite. O(n d).
 */
export function clusterMeans(X: Matrix, labels: Int32Array, k: number): number[][] {
  const d = X.nCols;
  const unit = columnUnits(X);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < X.nRows; i++) {
    const j = labels[i];
    if (j < 0 || j >= k) continue;
    counts[j]++;
    for (let t = 0; t < d; t++) if (unit[t] > 0) sums[j * d + t] += X.data[i * d + t] / unit[t];
  }
  const out: number[][] = [];
  for (let j = 0; j < k; j++) {
    const row = new Array<number>(d);
    for (let t = 0; t < d; t++) row[t] = counts[j] > 0 ? (sums[j * d + t] / counts[j]) * unit[t] : NaN;
    out.push(row);
  }
  return out;
}

/**
 * For each cluster, the features most over-represented in it: the feature's mean in the
 * cluster divided by its mean over all clustered rows, up to three with a ratio above 1,
 * largest first. What describes a cluster of the cosine metric (term counts, shares): the
 * words it uses more than the rest, not the sign of a difference from a raw mean. Features
 * whose overall mean is not positive are skipped (a ratio of them means nothing).
 * Complexity O(n d + k d log d).
 */
export function overRepresented(X: Matrix, labels: Int32Array, k: number, names: string[]): Distinction[][] {
  const d = X.nCols;
  const all = new Int32Array(X.nRows);
  for (let i = 0; i < X.nRows; i++) all[i] = labels[i] < 0 ? -1 : 0;
  const overall = clusterMeans(X, all, 1)[0];
  return clusterMeans(X, labels, k).map((mean) => {
    const out: Distinction[] = [];
    for (let t = 0; t < d; t++) {
      if (!(overall[t] > 0)) continue;
      const ratio = mean[t] / overall[t];
      if (Number.isFinite(ratio) && ratio > 1) out.push({ feature: names[t] ?? `feature ${t + 1}`, ratio });
    }
    out.sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0));
    return out.slice(0, 3);
  });
}

/** Largest finite magnitude of each column (0 for an all-zero column). */
function columnUnits(X: Matrix): Float64Array {
  const d = X.nCols;
  const unit = new Float64Array(d);
  for (let i = 0; i < X.nRows; i++) {
    const o = i * d;
    for (let t = 0; t < d; t++) {
      const a = Math.abs(X.data[o + t]);
      if (a > unit[t] && a !== Infinity) unit[t] = a;
    }
  }
  return unit;
}
