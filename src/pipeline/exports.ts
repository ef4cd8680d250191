/**
 * The text of every file "Export…" writes, built from a parsed CSV and a finished fit: the
 * labelled CSV (original columns plus cluster, distance and mapped label), the centroids
 * CSV, a Markdown report and a scikit-learn script that reproduces the fit. Pure: the
 * caller reads the source, picks free file names and writes atomically (src/node/files.ts).
 * Every CSV goes through src/csv/write.ts, so formula-like text cells are neutralised.
 */
import { columnNames } from '../csv/dataset';
import type { CsvTable } from '../csv/read';
import { formatNumber, toCsv } from '../csv/write';
import type { LabelStudy, MappingBasis } from './labelMap';
import { summarizeMapping } from './labelMap';
import type { FitReport } from './types';
import { markdownCode, markdownText, markdownUrl } from '../protocol/markdownText';

/** The names of the columns the labelled CSV adds, made unique against the file's own columns. */
export interface AddedColumns {
  cluster: string;
  distance: string;
  mappedLabel: string;
}

/** `wanted`, or `wanted_2`, `wanted_3`, … when the file already has a column of that name. */
function freeName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}_${i}`;
  taken.add(name);
  return name;
}

/** The added columns' names for a table. */
export function addedColumns(table: Pick<CsvTable, 'header' | 'rows'>): AddedColumns {
  const taken = new Set(columnNames(table));
  return {
    cluster: freeName('cluster', taken),
    distance: freeName('distance_to_centre', taken),
    mappedLabel: freeName('mapped_label', taken),
  };
}

/**
 * The labelled CSV: a header (the file's, or `column1`, … without one), then every data row
 * with its fields as read (short rows padded with empty fields), its cluster, its distance
 * to the centre (in the space the fit ran in) and, with a mapping, its cluster's class.
 * Dropped rows keep their fields and get empty cluster, distance and label cells.
 * @param labels per data row, cluster or null/-1; `distances` per data row, null/NaN when dropped
 * @param mapping per cluster, a class or null; omitted: no mapped_label column
 */
export function labelledCsv(
  table: CsvTable, labels: ArrayLike<number | null>, distances: ArrayLike<number | null>,
  mapping?: readonly (string | null)[] | null,
): string {
  if (labels.length !== table.rows.length) {
    throw new RangeError(`the fit has ${labels.length} rows but the file has ${table.rows.length}`);
  }
  const names = columnNames(table);
  const width = names.length;
  const added = addedColumns(table);
  const header = [...names, added.cluster, added.distance];
  if (mapping) header.push(added.mappedLabel);
  const rows: string[][] = new Array(table.rows.length);
  for (let i = 0; i < table.rows.length; i++) {
    const fields = table.rows[i].slice(0, width);
    while (fields.length < width) fields.push('');
    const c = labels[i];
    const assigned = c !== null && c >= 0;
    fields.push(assigned ? String(c) : '', assigned ? formatNumber(distances[i]) : '');
    if (mapping) fields.push(assigned ? (mapping[c] ?? '') : '');
    rows[i] = fields;
  }
  return toCsv(header, rows);
}

/**
 * The labelled CSV of a DBSCAN or HDBSCAN result: every data row with its fields as read,
 * then `cluster` (scikit-learn's labels_: the cluster, or -1 for noise), `noise` ("noise" for
 * a noise row, empty otherwise, so a spreadsheet filter finds them) and, for HDBSCAN,
 * `probability` (its membership strength in [0, 1], 0 for noise). Rows the run dropped (a
 * missing value) keep their fields and get empty cells. Added names are made unique against
 * the file's own columns (`cluster_2`, …).
 * @param labels per data row: cluster >= 0, -1 noise, anything below (-2) dropped
 * @param probabilities per data row (NaN when dropped), or null for DBSCAN
 */
export function densityLabelledCsv(table: CsvTable, labels: ArrayLike<number>, probabilities: ArrayLike<number> | null): string {
  if (labels.length !== table.rows.length) {
    throw new RangeError(`the density run has ${labels.length} rows but the file has ${table.rows.length}`);
  }
  const names = columnNames(table);
  const width = names.length;
  const taken = new Set(names);
  const header = [...names, freeName('cluster', taken), freeName('noise', taken)];
  if (probabilities) header.push(freeName('probability', taken));
  const rows: string[][] = new Array(table.rows.length);
  for (let i = 0; i < table.rows.length; i++) {
    const fields = table.rows[i].slice(0, width);
    while (fields.length < width) fields.push('');
    const c = labels[i];
    const clustered = c >= -1;
    fields.push(clustered ? String(c) : '', c === -1 ? 'noise' : '');
    if (probabilities) fields.push(clustered && Number.isFinite(probabilities[i]) ? formatNumber(probabilities[i]) : '');
    rows[i] = fields;
  }
  return toCsv(header, rows);
}

/**
 * The centroids CSV: one row per cluster with its number, its size, its class (with a
 * mapping) and its centre in the file's original units, in feature order.
 */
export function centroidsCsv(
  featureNames: readonly string[], centers: readonly (readonly number[])[], counts: readonly number[],
  mapping?: readonly (string | null)[] | null,
): string {
  const taken = new Set(featureNames);
  const lead = [freeName('cluster', taken), freeName('rows', taken)];
  if (mapping) lead.push(freeName('mapped_label', taken));
  const rows = centers.map((centre, j) => {
    const cells = [String(j), String(counts[j] ?? 0)];
    if (mapping) cells.push(mapping[j] ?? '');
    for (const v of centre) cells.push(formatNumber(v));
    return cells;
  });
  return toCsv([...lead, ...featureNames], rows);
}

/** The file names the exports use, as the caller chose them (base names, beside the source). */
export interface ExportNames {
  source: string;
  labelledCsv?: string;
  centroidsCsv?: string;
  model?: string;
  report?: string;
  chartPng?: string;
  python?: string;
}

/** A label comparison for the report and the script: the study and the mapping in use. */
export interface MappingInUse {
  study: LabelStudy;
  mapping: (string | null)[];
  basis: MappingBasis;
}

const METRIC_WORDS: [keyof LabelStudy['metrics'], string][] = [
  ['homogeneity', 'Homogeneity (0 to 1: each cluster holds one class)'],
  ['completeness', 'Completeness (0 to 1: each class is in one cluster)'],
  ['vMeasure', 'V-measure (0 to 1: mean of homogeneity and completeness)'],
  ['adjustedRand', 'Adjusted Rand index, ARI (1 = same grouping as the classes, about 0 = chance)'],
  ['adjustedMutualInfo', 'Adjusted mutual information, AMI (1 = same grouping, about 0 = chance)'],
  ['normalizedMutualInfo', 'Normalized mutual information, NMI (0 to 1)'],
];

/** The external metrics in words, in the order they are shown everywhere. */
export function labelMetricRows(study: LabelStudy): { key: string; name: string; value: number }[] {
  return METRIC_WORDS.map(([key, name]) => ({ key, name, value: study.metrics[key] }));
}

/** The caveat that always goes with "accuracy after mapping". */
export function accuracyCaveat(summary: { flattering: boolean }, basis: MappingBasis): string {
  const base = 'Accuracy after mapping counts the rows whose cluster maps to their own class. It depends on the mapping '
    + 'chosen after seeing the classes, so it is optimistic; prefer the metrics above to compare clusterings.';
  if (summary.flattering) {
    return `${base} This mapping gives several clusters the same class (many-to-one), which flatters it further: `
      + 'with one cluster per row it would reach 1.';
  }
  return basis === 'edited' ? `${base} The mapping was edited by hand.` : base;
}

/** A Markdown table cell holding text from the file: see markdownText (no markup, no HTML). */
const cell = markdownText;
/** Markdown inline text from the file or its fit: see markdownText. */
const md = markdownText;

function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'undefined';
  return Number(x.toPrecision(digits)).toString();
}

/**
 * The Markdown report: the fit's settings, internal metrics, cluster sizes, centroid table,
 * and with a label column the external metrics, the mapping (with its caveat) and the
 * contingency table; the chart image when one was written.
 */
export function reportMarkdown(report: FitReport, names: ExportNames, labels?: MappingInUse | null, warnings: readonly string[] = []): string {
  const o = report.options;
  const lines: string[] = [];
  lines.push(`# Clusters of ${md(names.source)}`, '');
  lines.push(`k-means${o.metric === 'cosine' ? ' (spherical, cosine distance)' : ` (${o.algorithm})`} with k = ${o.k}, `
    + `scaling ${o.scale}, init ${o.init}, ${o.nInit} restart${o.nInit === 1 ? '' : 's'}, seed ${o.seed}, `
    + `missing values: ${o.missing}. ${report.nIter} iteration${report.nIter === 1 ? '' : 's'}.`, '');
  lines.push(`Features: ${report.featureNames.map(markdownCode).join(', ')}.`, '');
  const used = report.counts.reduce((s, c) => s + c, 0);
  lines.push(`${used} of ${report.nDataRows} rows clustered${report.droppedRows.length > 0 ? ` (${report.droppedRows.length} dropped for missing values)` : ''}.`, '');
  if (names.chartPng) lines.push(`![Rows by cluster](${markdownUrl(names.chartPng)})`, '');

  lines.push('## Metrics', '');
  if (labels) {
    lines.push(`Against the classes of ${markdownCode(labels.study.column)} (${labels.study.nRows} rows):`, '');
    lines.push('| metric | value |', '| --- | ---: |');
    for (const row of labelMetricRows(labels.study)) lines.push(`| ${row.name} | ${num(row.value)} |`);
    lines.push('');
  }
  lines.push('On the features alone:', '');
  lines.push('| metric | value |', '| --- | ---: |');
  lines.push(`| Inertia (${cell(report.inertiaSpace)}) | ${num(report.inertia, 6)} |`);
  lines.push(`| Silhouette (−1 to 1, higher is better) | ${num(report.metrics.silhouette)} |`);
  lines.push(`| Davies–Bouldin (lower is better) | ${num(report.metrics.daviesBouldin)} |`);
  lines.push(`| Calinski–Harabasz (higher is better) | ${num(report.metrics.calinskiHarabasz)} |`);
  lines.push('');

  lines.push('## Clusters and centroids (original units)', '');
  const mapped = labels ? labels.mapping : null;
  lines.push(`| cluster | rows | share${mapped ? ' | class' : ''} | ${report.featureNames.map(cell).join(' | ')} |`);
  lines.push(`| ---: | ---: | ---:${mapped ? ' | ---' : ''} | ${report.featureNames.map(() => '---:').join(' | ')} |`);
  report.clusterCenters.forEach((centre, j) => {
    const n = report.counts[j] ?? 0;
    const share = used > 0 ? `${num((100 * n) / used, 3)}%` : '';
    const cls = mapped ? ` | ${mapped[j] === null ? '(unmatched)' : cell(mapped[j] as string)}` : '';
    lines.push(`| ${j} | ${n} | ${share}${cls} | ${centre.map((v) => num(v, 6)).join(' | ')} |`);
  });
  lines.push('');

  if (labels) {
    const { study, mapping, basis } = labels;
    const summary = summarizeMapping(study, mapping);
    lines.push('## Clusters and classes', '');
    const how = basis === 'oneToOne' ? 'the best one-to-one mapping (Hungarian algorithm on the table below)'
      : basis === 'manyToOne' ? 'each cluster\'s most common class (many-to-one, flattering)'
        : 'a mapping edited by hand';
    lines.push(`Mapping: ${how}.`, '');
    for (const note of study.notes) lines.push(`- ${md(note)}`);
    if (summary.unmatchedClusters.length > 0) lines.push(`- Unmatched clusters: ${summary.unmatchedClusters.join(', ')}.`);
    if (summary.unmatchedClasses.length > 0) lines.push(`- Classes without a cluster: ${summary.unmatchedClasses.map(md).join(', ')}.`);
    if (study.notes.length > 0 || summary.unmatchedClusters.length > 0 || summary.unmatchedClasses.length > 0) lines.push('');
    lines.push(`Accuracy after mapping: ${num(summary.accuracy)}. ${accuracyCaveat(summary, basis)}`, '');
    lines.push(`| class \\ cluster | ${Array.from({ length: study.k }, (_, c) => String(c)).join(' | ')} |`);
    lines.push(`| --- | ${Array.from({ length: study.k }, () => '---:').join(' | ')} |`);
    study.classes.forEach((name, r) => lines.push(`| ${cell(name)} | ${study.matrix[r].join(' | ')} |`));
    lines.push('');
  }
  if (warnings.length > 0) {
    lines.push('## Warnings', '');
    for (const w of warnings) lines.push(`- ${md(w)}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** A Python string literal (double quotes; every non-ASCII or control character escaped). */
export function pyString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * A short scikit-learn script that reproduces the fit from the exported labelled CSV and
 * centroids CSV: the same feature columns, missing-value rule, scaling, k, init, n_init,
 * seed, algorithm, max_iter and tol. It runs KMeans twice: from Centroid's own centres
 * (the same labels are expected: Centroid follows scikit-learn's algorithm), and from
 * scratch with the same seed (NumPy's random numbers differ from Centroid's, so the
 * clusters may come out numbered differently; it prints the adjusted Rand index).
 */
export function pythonScript(report: FitReport, names: Required<Pick<ExportNames, 'source' | 'labelledCsv' | 'centroidsCsv'>>, added: AddedColumns): string {
  const o = report.options;
  const features = `[${report.featureNames.map(pyString).join(', ')}]`;
  const scaler = o.scale === 'standard' ? 'StandardScaler()' : o.scale === 'minmax' ? 'MinMaxScaler()' : null;
  const imports = ['from sklearn.cluster import KMeans', 'from sklearn.metrics import adjusted_rand_score'];
  if (scaler) imports.push(`from sklearn.preprocessing import ${o.scale === 'standard' ? 'StandardScaler' : 'MinMaxScaler'}`);
  const cosine = o.metric === 'cosine';
  const init = o.init === 'random' ? '"random"' : '"k-means++"';
  const lines = [
    '#!/usr/bin/env python3',
    `"""Reproduces the Centroid clustering of ${pyString(names.source).slice(1, -1)} with scikit-learn.`,
    '',
    'Reads the exported files next to this script, refits, and compares the clusters.',
    'Run: python3 <this file>   (needs numpy and scikit-learn)',
    '"""',
    'import csv',
    'from pathlib import Path',
    '',
    'import numpy as np',
    ...imports,
    '',
    'HERE = Path(__file__).resolve().parent',
    `LABELLED = HERE / ${pyString(names.labelledCsv)}`,
    `CENTROIDS = HERE / ${pyString(names.centroidsCsv)}`,
    `FEATURES = ${features}`,
    `K, SEED, N_INIT, MAX_ITER, TOL = ${o.k}, ${o.seed}, ${o.nInit}, ${o.maxIter}, ${o.tol}`,
    '',
    'def number(cell):',
    '    try:',
    '        x = float(cell)',
    '    except ValueError:',
    '        return float("nan")',
    '    return x if np.isfinite(x) else float("nan")',
    '',
    'with open(LABELLED, newline="", encoding="utf-8") as f:',
    '    rows = list(csv.DictReader(f))',
    'X = np.array([[number(r[c]) for c in FEATURES] for r in rows])',
    `exported = np.array([int(r[${pyString(added.cluster)}]) if r[${pyString(added.cluster)}] != "" else -1 for r in rows])`,
    o.missing === 'mean'
      ? 'X = np.where(np.isnan(X), np.nanmean(X, axis=0), X)  # missing values: column mean'
      : 'keep = ~np.isnan(X).any(axis=1)  # missing values: the row is left out\nX, exported = X[keep], exported[keep]',
    scaler ? `scaler = ${scaler}.fit(X)\nXs = scaler.transform(X)` : 'Xs = X  # no scaling',
    'with open(CENTROIDS, newline="", encoding="utf-8") as f:',
    '    start = np.array([[float(r[c]) for c in FEATURES] for r in csv.DictReader(f)])',
    scaler ? 'start = scaler.transform(start)' : '',
  ];
  if (cosine) {
    lines.push(
      '# Centroid used spherical k-means (cosine distance): k-means on rows scaled to length 1 is its closest',
      '# scikit-learn counterpart (all-zero rows have no direction and were left out).',
      'nonzero = np.linalg.norm(Xs, axis=1) > 0',
      'Xs, exported = Xs[nonzero], exported[nonzero]',
      'Xs = Xs / np.linalg.norm(Xs, axis=1, keepdims=True)',
      'start = start / np.linalg.norm(start, axis=1, keepdims=True)',
    );
  }
  lines.push(
    '',
    '# 1. From Centroid\'s own centres: the same clusters are expected.',
    `same = KMeans(n_clusters=K, init=start, n_init=1, max_iter=MAX_ITER, tol=TOL, algorithm=${pyString(cosine ? 'lloyd' : o.algorithm)}).fit(Xs)`,
    'print(f"from the exported centres: {np.mean(same.labels_ == exported):.4f} of rows in the same cluster, inertia {same.inertia_:.6g}")',
    '',
    o.init === 'given centres'
      ? '# 2. From scratch. The fit started from centres given by hand, which the exports do not hold: k-means++ here.'
      : `# 2. From scratch: init ${o.init}, ${o.nInit} restart(s), seed ${o.seed}. NumPy draws other random numbers than`,
    '#    Centroid, so the clusters may be numbered differently; the adjusted Rand index compares the groupings.',
    `fresh = KMeans(n_clusters=K, init=${init}, n_init=N_INIT, max_iter=MAX_ITER, tol=TOL, algorithm=${pyString(cosine ? 'lloyd' : o.algorithm)}, random_state=SEED).fit(Xs)`,
    'print(f"from scratch: adjusted Rand index {adjusted_rand_score(exported, fresh.labels_):.4f} against the exported clusters, inertia {fresh.inertia_:.6g}")',
    '',
  );
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}
