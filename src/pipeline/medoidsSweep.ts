/**
 * "Choose k" on a file of distances: k-medoids over a range of k on the same distance matrix,
 * scored by the total distance to the medoids (the curve whose elbow is sought, in place of
 * k-means' inertia) and the silhouette on the given distances, with the same suggestion rule
 * as the k-means sweep (suggestK). The rows have the k-means sweep's shape, so the Choose k
 * view can draw them; `medoids` names each k's medoids.
 */
import type { CsvTable } from '../csv/read';
import { distanceInputFromRecords } from '../csv/distances';
import { check, throwIfCancelled, type RunControl } from '../engine/errors';
import { kMedoids, silhouettePrecomputed, type KMedoidsMethod } from '../engine/kmedoids';
import { checkKRangeForItems } from './limits';
import { checkDistanceSums } from './medoids';
import { suggestK, type SweepReport, type SweepRow } from './sweep';

export interface MedoidsSweepOptions {
  seed?: number;
  similarity?: 'auto' | 'distance' | 'similarity';
  missing?: 'error' | 'shortest-path';
  method?: KMedoidsMethod;
  askWhenUnsure?: boolean;
}

/** A k-medoids sweep row: the sweep's row (inertia = total distance to the medoids) plus the method and medoids. */
export interface MedoidsSweepRow extends SweepRow {
  method: string;
  /** Ids of the medoids, one per cluster. */
  medoids: string[];
}

export interface MedoidsSweepReport extends SweepReport {
  results: MedoidsSweepRow[];
  /** Item ids of the distance matrix. */
  ids: string[];
}

/**
 * k-medoids for k = kMin..kMax on the distances of `table` (a matrix or an edge list).
 * `onRow` gets each row as soon as it is scored. Reads the distances once.
 * @throws EngineError (DistanceChoiceError when a question must be answered, see
 *   distanceInputFromRecords), when kMax exceeds the number of items, or when the distances overflow.
 * Complexity: the distance reading, then per k the k-medoids search and an O(n^2) silhouette.
 */
export function medoidsSweepTable(
  table: CsvTable, kMin: number, kMax: number, options: MedoidsSweepOptions = {},
  control?: RunControl, onRow?: (row: MedoidsSweepRow, index: number, total: number) => void,
): MedoidsSweepReport {
  check(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 1 && kMax >= kMin,
    `the range of k ${kMin}..${kMax} should have 1 <= from <= to`);
  const input = distanceInputFromRecords(table.header, table.rows, {
    similarity: options.similarity ?? 'auto', missing: options.missing ?? 'error', askWhenUnsure: options.askWhenUnsure,
  });
  checkDistanceSums(input.D, input.ids);
  const n = input.ids.length;
  checkKRangeForItems(kMin, kMax, n);
  const seed = options.seed ?? 0;
  const total = kMax - kMin + 1;
  const results: MedoidsSweepRow[] = [];
  for (let k = kMin; k <= kMax; k++) {
    throwIfCancelled(control);
    const index = k - kMin;
    const inner: RunControl = {
      isCancelled: control?.isCancelled,
      onProgress: (f, message) => control?.onProgress?.((index + Math.min(1, Math.max(0, f))) / total, message),
    };
    control?.onProgress?.(index / total, `k-medoids with k=${k}`);
    const fit = kMedoids(input.D, { nClusters: k, seed, method: options.method ?? 'auto' }, inner);
    const row: MedoidsSweepRow = {
      k,
      inertia: fit.cost,
      silhouette: silhouettePrecomputed(input.D, fit.labels),
      daviesBouldin: null,
      calinskiHarabasz: null,
      nIter: 0,
      warnings: [...input.warnings],
      init: 'k-means++',
      metric: 'euclidean',
      seed,
      stability: null,
      seedInertias: [fit.cost],
      method: fit.method,
      medoids: fit.medoids.map((i) => input.ids[i]),
    };
    results.push(row);
    onRow?.(row, index, total);
  }
  control?.onProgress?.(1, 'k-medoids sweep done');
  const suggestion = suggestK(results);
  const why = suggestion.why.replace('the inertia curve', 'the total-distance curve').replace('the inertia elbow', 'the total-distance elbow');
  return {
    results,
    suggestedK: suggestion.suggestedK,
    elbowK: suggestion.elbowK,
    why,
    suggestedSetting: { init: 'k-means++', metric: 'euclidean' },
    settings: [{ init: 'k-means++', metric: 'euclidean', suggestedK: suggestion.suggestedK, elbowK: suggestion.elbowK, why }],
    grid: { kMin, kMax, inits: ['k-means++'], metrics: ['euclidean'], seeds: [seed] },
    ids: input.ids,
  };
}
