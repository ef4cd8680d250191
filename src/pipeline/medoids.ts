/**
 * k-medoids on a CSV that holds only distances or similarities: a square matrix with ids
 * in the header and first column, or an edge list source,target,weight.
 */
import type { CsvTable } from '../csv/read';
import { distanceInputFromRecords } from '../csv/distances';
import { EngineError, type RunControl } from '../engine/errors';
import { kMedoids, silhouettePrecomputed, type KMedoidsMethod } from '../engine/kmedoids';
import type { Matrix } from '../engine/matrix';
import { checkKForItems } from './limits';
import { SQUARE_SUM_LIMIT } from './magnitude';

export interface MedoidsOptions {
  k: number;
  seed?: number;
  similarity?: 'auto' | 'distance' | 'similarity';
  missing?: 'error' | 'shortest-path';
  /** k-medoids search (default 'auto': exact when affordable, else FasterPAM). */
  method?: KMedoidsMethod;
  /** Stop with a DistanceChoiceError when edge weights are only presumed to be distances. */
  askWhenUnsure?: boolean;
}

export interface MedoidsReport {
  /** Ids of the medoids, one per cluster: cluster j is the one around medoids[j]. */
  medoids: string[];
  /** Per id, in the order of `ids`: the index into `medoids` of its medoid. */
  labels: number[];
  ids: string[];
  /** Sum over ids of the distance to their medoid. */
  cost: number;
  method: string;
  silhouette: number | null;
  input: 'matrix' | 'edges';
  similarityConverted: string | null;
  missingPairs: number;
  warnings: string[];
  /** Items of each record, 2 per record (see DistanceInput.rowItems). */
  rowItems: Int32Array;
}

/**
 * k-medoids on a distance matrix or edge list.
 * @throws CsvError for a malformed distance file; EngineError for bad options or distances
 *   so large that their sums overflow a double (policy in magnitude.ts).
 */
export function medoidsTable(table: CsvTable, options: MedoidsOptions, control?: RunControl): MedoidsReport & { D: Matrix } {
  const input = distanceInputFromRecords(table.header, table.rows, {
    similarity: options.similarity ?? 'auto',
    missing: options.missing ?? 'error',
    askWhenUnsure: options.askWhenUnsure,
  });
  checkDistanceSums(input.D, input.ids);
  checkKForItems(options.k, input.ids.length);
  const result = kMedoids(input.D, { nClusters: options.k, seed: options.seed ?? 0, method: options.method ?? 'auto' }, control);
  const warnings = [...input.warnings];
  if (input.similarityConverted) warnings.push(`similarities were converted to distances: ${input.similarityConverted}`);
  return {
    medoids: result.medoids.map((i) => input.ids[i]),
    labels: Array.from(result.labels),
    ids: input.ids,
    cost: result.cost,
    method: result.method,
    silhouette: silhouettePrecomputed(input.D, result.labels),
    input: input.kind,
    similarityConverted: input.similarityConverted,
    missingPairs: input.missingPairs,
    warnings,
    rowItems: input.rowItems,
    D: input.D,
  };
}

/**
 * The cost and the silhouette add up to n distances: refuse distances whose sum over the
 * ids could overflow a double, naming the largest (the same policy as magnitude.ts).
 */
export function checkDistanceSums(D: Matrix, ids: readonly string[]): void {
  const n = D.nRows;
  let max = 0;
  let at = 0;
  for (let p = 0; p < D.data.length; p++) {
    if (D.data[p] > max) {
      max = D.data[p];
      at = p;
    }
  }
  if (!(n * max <= SQUARE_SUM_LIMIT)) {
    const i = Math.floor(at / n);
    throw new EngineError(`the distance ${max} between ${JSON.stringify(ids[i] ?? String(i))} and ${JSON.stringify(ids[at - i * n] ?? String(at - i * n))} `
      + `is too large: sums of ${n} such distances overflow a double; divide the distances by a power of ten`);
  }
}
