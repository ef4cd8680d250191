/**
 * k-medoids on a CSV that holds only distances or similarities: a square matrix with ids
 * in the header and first column, or an edge list source,target,weight.
 */
import type { CsvTable } from '../csv/read';
import { distanceInputFromRecords } from '../csv/distances';
import type { RunControl } from '../engine/errors';
import { kMedoids, silhouettePrecomputed } from '../engine/kmedoids';
import type { Matrix } from '../engine/matrix';

export interface MedoidsOptions {
  k: number;
  seed?: number;
  similarity?: 'auto' | 'distance' | 'similarity';
  missing?: 'error' | 'shortest-path';
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
}

export function medoidsTable(table: CsvTable, options: MedoidsOptions, control?: RunControl): MedoidsReport & { D: Matrix } {
  const input = distanceInputFromRecords(table.header, table.rows, {
    similarity: options.similarity ?? 'auto',
    missing: options.missing ?? 'error',
  });
  const result = kMedoids(input.D, { nClusters: options.k, seed: options.seed ?? 0, method: 'auto' }, control);
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
    D: input.D,
  };
}
