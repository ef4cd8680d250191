/**
 * Fixture loading shared by the metrics, DBSCAN, k-medoids and distance-file tests.
 * The dataset CSVs need no quoting (fixtures README), so a plain split reads them exactly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fromRows, type Matrix } from '../../../src/engine/matrix';

export const FIXTURES = path.join(__dirname, '../../fixtures');

type Averages = { arithmetic: number; geometric: number; min: number; max: number };

/** One `internal_metrics` entry of a dataset fixture. */
export interface InternalCase {
  labeling: string;
  labels?: number[];
  n_clusters: number;
  silhouette_euclidean: number | null;
  silhouette_cosine: number | null;
  davies_bouldin: number | null;
  calinski_harabasz: number | null;
  silhouette_samples_euclidean?: number[];
  portable?: boolean;
}

/** One `external_metrics` entry (dataset fixtures and label_pairs.json). */
export interface ExternalCase {
  id: string;
  labels_true: (string | number)[];
  labels_pred: (string | number)[];
  adjusted_rand: number;
  rand: number;
  adjusted_mutual_info: Averages;
  normalized_mutual_info: Averages;
  mutual_info: number;
  homogeneity: number;
  completeness: number;
  v_measure: number;
  'v_measure_beta_0.5': number;
  fowlkes_mallows: number;
  pair_confusion_matrix: number[][];
  contingency: { row_labels_true: (string | number)[]; col_labels_pred: (string | number)[]; matrix: number[][] };
  hungarian: {
    row_ind: number[]; col_ind: number[]; total: number; optimum_is_unique: boolean;
    mapping_pred_to_true: Record<string, string | number>; accuracy_after_mapping: number;
    unmatched_pred_labels: (string | number)[];
  };
}

/** One `dbscan` entry of a dataset fixture. */
export interface DbscanCase {
  id: string;
  eps: number;
  min_samples: number;
  labels: number[];
  core_sample_indices: number[];
  n_clusters: number;
  n_noise: number;
  border_points_reachable_from_several_clusters: { row: number; clusters: number[]; sklearn_label: number }[];
}

/** One k of the `kmedoids` section (distances_12.json, edges_10.json). */
export interface KmedoidsCase {
  brute_force_pam_optimum: {
    k: number; optimal_cost: number; optimal_medoid_sets: number[][]; labels_for_first_optimal_set: number[];
    second_best_cost: number; n_subsets_checked: number;
  };
  r_cluster_pam: { medoids_0based: number[]; objective_swap_total: number };
}

/** The parts of a dataset fixture these tests read. */
export interface DatasetJson {
  feature_columns: string[];
  label_column?: string;
  internal_metrics?: InternalCase[];
  external_metrics?: ExternalCase[];
  dbscan?: DbscanCase[];
  kmeans_explicit?: { id: string; result: { labels: number[] } }[];
  // distances_12.json / edges_10.json
  ids?: string[];
  matrix?: number[][];
  node_order_first_appearance?: string[];
  equivalent_matrix?: number[][];
  kmedoids?: KmedoidsCase[];
}

export function readJson<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

/** Header and records of a fixture CSV (no quoting in the dataset files). */
export function readCsv(name: string): { header: string[]; rows: string[][] } {
  const lines = fs.readFileSync(path.join(FIXTURES, name), 'utf8').split('\n').filter((l) => l.length > 0);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

export interface Dataset {
  json: DatasetJson;
  header: string[];
  rows: string[][];
  X: Matrix;
  /** The raw strings of a column. */
  column(name: string): string[];
}

export function loadDataset(name: string): Dataset {
  const json = readJson<DatasetJson>(`${name}.json`);
  const { header, rows } = readCsv(`${name}.csv`);
  const featureIdx = json.feature_columns.map((c) => header.indexOf(c));
  const X = fromRows(rows.map((r) => featureIdx.map((j) => Number(r[j]))));
  return {
    json, header, rows, X,
    column(col: string): string[] {
      const j = header.indexOf(col);
      if (j < 0) throw new Error(`no column ${col}`);
      return rows.map((r) => r[j]);
    },
  };
}

/** Integer codes of a label column (sorted distinct values; numeric when all are numbers). */
export function codesOf(values: (string | number)[]): Int32Array {
  const numeric = values.every((v) => typeof v === 'number' || (v !== '' && Number.isFinite(Number(v))));
  const keys = values.map((v) => (numeric ? Number(v) : String(v)));
  const distinct = [...new Set(keys)].sort((a, b) => (numeric ? (a as number) - (b as number) : a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((v, i) => [v, i]));
  return Int32Array.from(keys.map((k) => index.get(k) as number));
}

/** |actual - expected| <= rel * |expected| + abs. */
export function assertClose(actual: number, expected: number, rel: number, abs: number, what: string): void {
  const ok = Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
  if (!ok) throw new Error(`${what}: got ${actual}, expected ${expected} (rel ${rel}, abs ${abs})`);
}
