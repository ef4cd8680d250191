/**
 * The worker job for a CSV that holds distances instead of features: a square distance or
 * similarity matrix, or an edge list source,target,weight. Clusters the items with
 * k-medoids (or, on request, k-means on the 2-D MDS map), draws them on the classical MDS
 * map, and maps the items back to the file's rows for the annotations: a matrix row is its
 * item, an edge row names two items. Node only through job.ts; no vscode.
 */
import type { CsvTable } from '../csv/read';
import { distanceInputFromRecords } from '../csv/distances';
import type { RunControl } from '../engine/errors';
import { kmeansFit } from '../engine/kmeans';
import { silhouettePrecomputed } from '../engine/kmedoids';
import { checkKForItems } from '../pipeline/limits';
import { checkDistanceSums, medoidsTable } from '../pipeline/medoids';
import { distanceMap } from '../pipeline/distanceMap';
import { sampleRows } from '../pipeline/projection';
import { plotUnits } from './view';
import { formatCount, formatNumber, formatPercent } from '../protocol/format';
import {
  DEFAULT_DISTANCE_SETTINGS, type DistanceSettings, type JobOutput, type JobStart, type ReportCore,
} from '../protocol/messages';
import type { MedoidsView, MetricRow, PanelView, PlotData } from '../protocol/view';
import { scalingInfo } from '../pipeline/autoScale';

export interface DistanceJobInput {
  start: JobStart;
  table: CsvTable;
  kind: 'matrix' | 'edges';
  name: string;
  control: RunControl;
  file: JobOutput['file'];
}

/** What a distance job adds to the timings; job.ts fills in the rest. */
export type DistanceJobOutput = Omit<JobOutput, 'timings'>;

/**
 * Clusters the items of a distance file. Throws DistanceChoiceError (an EngineError with a
 * `choice`) when it needs the user to say distances or similarities, or what to do with
 * missing pairs; EngineError/CsvError for a malformed file. O(n^2) memory in the items.
 */
export function runDistanceJob(input: DistanceJobInput): DistanceJobOutput {
  const { start, table, name, control } = input;
  const settings: DistanceSettings = { ...DEFAULT_DISTANCE_SETTINGS, ...start.settings.distances };
  const k = start.settings.k;
  const seed = start.settings.seed;
  const progress = (f: number, message: string): void => control.onProgress?.(f, message);

  progress(0, `Reading the distances of ${name}`);
  let ids: string[];
  let D: ReturnType<typeof medoidsTable>['D'];
  let itemLabels: Int32Array;
  let medoidItems: Int32Array;
  let cost: number;
  let method: string;
  let nIter = 0;
  let conversion: string | null;
  let missingPairs: number;
  let rowItems: Int32Array;
  const warnings: string[] = [];
  let mapCenters: Float64Array | null = null;
  const options = { similarity: settings.similarity, missing: settings.missing, askWhenUnsure: true } as const;

  if (settings.algorithm === 'k-medoids') {
    progress(0.05, `k-medoids on the distances of ${name}`);
    const report = medoidsTable(table, { k, seed, ...options, method: settings.method }, control);
    ids = report.ids;
    D = report.D;
    itemLabels = Int32Array.from(report.labels);
    medoidItems = Int32Array.from(report.medoids.map((id) => ids.indexOf(id)));
    cost = report.cost;
    method = report.method;
    conversion = report.similarityConverted;
    missingPairs = report.missingPairs;
    rowItems = report.rowItems;
    // The conversion rule is shown on its own line of the panel.
    warnings.push(...report.warnings.filter((w) => !w.startsWith('similarities were converted')));
  } else {
    const parsed = distanceInputFromRecords(table.header, table.rows, options);
    checkDistanceSums(parsed.D, parsed.ids);
    ids = parsed.ids;
    D = parsed.D;
    conversion = parsed.similarityConverted;
    missingPairs = parsed.missingPairs;
    rowItems = parsed.rowItems;
    warnings.push(...parsed.warnings);
    itemLabels = new Int32Array(0);
    medoidItems = new Int32Array(0);
    cost = 0;
    method = '';
  }

  progress(0.5, `Classical MDS of ${formatCount(ids.length)} items`);
  const map = distanceMap(D, seed, control);
  const n = ids.length;
  let caveat: string | null = null;
  if (settings.algorithm === 'mds-kmeans') {
    progress(0.8, `k-means on the MDS map of ${name}`);
    checkKForItems(k, n);
    const fit = kmeansFit(map.coords, { nClusters: k, seed, init: start.settings.init, nInit: start.settings.nInit }, control);
    itemLabels = fit.labels;
    medoidItems = new Int32Array(k).fill(-1);
    cost = fit.inertia;
    nIter = fit.nIter;
    mapCenters = fit.clusterCenters.data;
    warnings.push(...fit.warnings);
    method = `k-means (Lloyd) on the 2-D MDS map, ${fit.runInertias.length} start${fit.runInertias.length === 1 ? '' : 's'}`;
    caveat = `k-means ran on the 2-D MDS map, not on the distances: the map keeps ${formatPercent(map.explained)}% `
      + `of the structure (stress ${formatNumber(map.stress, 3)}), so items it draws close together may be far apart in the file, `
      + 'and the clusters can differ from k-medoids on the same distances; the centres are points of the map, not items';
  }
  if (map.landmarks !== null) {
    warnings.push(`the MDS map was computed on ${formatCount(map.landmarks)} landmark items of ${formatCount(n)}; the others were placed by landmark MDS`);
  }
  progress(0.9, 'Silhouette on the distances');
  const silhouette = silhouettePrecomputed(D, itemLabels);

  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) counts[itemLabels[i]]++;
  const itemDistances = new Float64Array(n).fill(NaN);
  if (settings.algorithm === 'k-medoids') for (let i = 0; i < n; i++) itemDistances[i] = D.data[i * n + medoidItems[itemLabels[i]]];

  // Per data row: a matrix row is its item; an edge row is coloured by its source.
  const nRows = table.rows.length;
  const labels = new Int32Array(nRows).fill(-1);
  const distances = new Float64Array(nRows).fill(NaN);
  const firstRowOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < nRows; r++) {
    const a = rowItems[2 * r];
    const b = rowItems[2 * r + 1];
    if (a >= 0) {
      labels[r] = itemLabels[a];
      if (input.kind === 'matrix') distances[r] = itemDistances[a];
      if (firstRowOf[a] < 0) firstRowOf[a] = r;
    }
    if (b >= 0 && firstRowOf[b] < 0) firstRowOf[b] = r;
  }

  // The chart draws Float32: huge distances are drawn in units of a power of ten.
  const units = plotUnits(map.coords, { data: mapCenters ?? new Float64Array(0), nRows: mapCenters ? k : 0, nCols: 2 });
  if (units.exponent !== 0) warnings.push(`the MDS map reaches beyond what the chart can draw, so its axes are in units of 1e${units.exponent}`);
  const plot = buildPlot(units.X.data, itemLabels, itemDistances, ids, medoidItems, mapCenters && units.centers.data, firstRowOf, input.file.rowLine, start.maxPoints, seed);
  if (units.exponent !== 0) plot.axisNames = plot.axisNames.map((a) => `${a} (×1e${units.exponent})`) as [string, string];
  const isMedoids = settings.algorithm === 'k-medoids';
  const metrics: MetricRow[] = [
    isMedoids
      ? { key: 'cost', name: 'Total distance to the medoids (lower is better)', value: cost }
      : { key: 'inertia', name: 'Inertia in the MDS map (sum of squared map distances to the centres, lower is better)', value: cost },
    {
      key: 'silhouette', name: 'Silhouette on the given distances (−1 to 1, higher is better)', value: silhouette,
      ...(silhouette === null ? { note: 'undefined for this labelling (needs 2 to n−1 clusters)' } : {}),
    },
    {
      key: 'mdsExplained', name: 'MDS map: share of the distances\u2019 structure in 2-D (0 to 1, higher is better)', value: map.explained,
      ...(map.landmarks !== null ? { note: `on ${formatCount(map.landmarks)} landmark items` } : {}),
    },
    {
      key: 'mdsStress', name: 'MDS map: stress-1 (0 = every distance drawn exactly)', value: map.stress,
      ...(map.landmarks !== null ? { note: `on ${formatCount(map.landmarks)} landmark items` } : {}),
    },
  ];
  const source = input.kind === 'matrix' ? `a ${formatCount(n)} × ${formatCount(n)} distance matrix`
    : `an edge list of ${formatCount(nRows)} edge${nRows === 1 ? '' : 's'}`;
  const algorithm = isMedoids ? 'k-medoids' : 'MDS, then k-means';
  const summary = `${algorithm}, k=${k}, ${formatCount(n)} item${n === 1 ? '' : 's'} from ${source}; ${method}`;
  const medoidsView: MedoidsView = {
    kind: input.kind,
    algorithm: settings.algorithm,
    method,
    medoids: isMedoids ? Array.from(medoidItems, (item, j) => ({ id: ids[item], size: counts[j] })) : null,
    nItems: n,
    mds: { explained: map.explained, stress: map.stress },
    caveat,
    conversion,
    missingPairs,
    settings,
  };
  const view: PanelView = {
    fileName: name,
    summary,
    k,
    featureNames: [],
    counts,
    centers: [],
    distinctions: counts.map(() => []),
    metrics,
    plot,
    warnings,
    nIter,
    inertiaSpace: isMedoids ? 'the given distances' : 'the 2-D MDS map (squared distances)',
    elapsedMs: 0,
    nDataRows: nRows,
    nDropped: 0,
    medoids: medoidsView,
  };
  const report: ReportCore = {
    clusterCenters: [],
    inertia: cost,
    nIter,
    warnings,
    metrics: { silhouette, daviesBouldin: null, calinskiHarabasz: null },
    featureNames: [],
    counts,
    inertiaSpace: view.inertiaSpace,
    options: {
      k, seed, metric: 'euclidean', scale: 'none', missing: 'drop', algorithm: 'lloyd', maxIter: 0, tol: 0,
      nInit: 1, init: algorithm, label: null,
    },
    nDataRows: nRows,
    droppedRows: [],
    scaling: { ...scalingInfo('none', false, 'distances are used as given'), offset: [], scale: [] },
  };
  return {
    report,
    labels,
    distances,
    file: input.file,
    model: {
      featureColumns: new Int32Array(0),
      offset: new Float64Array(0),
      scale: new Float64Array(0),
      centers: new Float64Array(0),
      metric: 'euclidean',
    },
    labelColumn: null,
    view,
    medoids: { kind: input.kind, ids, itemLabels, itemDistances, medoids: medoidItems, rowItems, settings },
  };
}

/** The items on the MDS map (a cluster-stratified sample above maxPoints), medoids or map centres as centres. */
function buildPlot(
  coords: Float64Array, itemLabels: Int32Array, itemDistances: Float64Array, ids: string[], medoidItems: Int32Array,
  mapCenters: Float64Array | null, firstRowOf: Int32Array, rowLine: Int32Array, maxPoints: number, seed: number,
): PlotData {
  const n = ids.length;
  const chosen = sampleRows(n, maxPoints, seed, itemLabels);
  const m = chosen.length;
  const points = new Float32Array(2 * m);
  const rows = new Int32Array(m);
  const lines = new Int32Array(m);
  const labels = new Int32Array(m);
  const values = new Float64Array(m);
  const pointNames: string[] = [];
  for (let p = 0; p < m; p++) {
    const i = chosen[p];
    points[2 * p] = coords[2 * i];
    points[2 * p + 1] = coords[2 * i + 1];
    rows[p] = firstRowOf[i];
    lines[p] = firstRowOf[i] >= 0 && firstRowOf[i] < rowLine.length ? rowLine[firstRowOf[i]] : -1;
    labels[p] = itemLabels[i];
    values[p] = itemDistances[i];
    pointNames.push(ids[i]);
  }
  const k = medoidItems.length;
  const centers = new Float32Array(2 * k);
  for (let j = 0; j < k; j++) {
    const item = medoidItems[j];
    centers[2 * j] = mapCenters !== null ? mapCenters[2 * j] : coords[2 * item];
    centers[2 * j + 1] = mapCenters !== null ? mapCenters[2 * j + 1] : coords[2 * item + 1];
  }
  const medoidNames = mapCenters === null ? Array.from(medoidItems, (item) => ids[item]) : undefined;
  return {
    points,
    rows,
    lines,
    labels,
    centers,
    values: mapCenters === null ? values : new Float64Array(0),
    valueNames: mapCenters === null ? ['distance to its medoid'] : [],
    axisNames: ['MDS axis 1', 'MDS axis 2'],
    explained: null,
    total: n,
    ...(medoidNames !== undefined ? { centerNames: medoidNames } : {}),
    pointNames,
  };
}

