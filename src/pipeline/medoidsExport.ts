/**
 * The export of a file of distances: one row per item with its cluster, its medoid and the
 * distance to it (the items are not the file's rows, so the labelled-CSV export of a table
 * of features does not apply). Pure text; the caller writes it (never overwriting).
 */
import { formatNumber, toCsv } from '../csv/write';

/** What the export needs of a distance job's output. */
export interface MedoidsItems {
  ids: string[];
  itemLabels: Int32Array;
  itemDistances: Float64Array;
  /** Per cluster: the medoid's item index, -1 without medoids (MDS, then k-means). */
  medoids: Int32Array;
}

/** Columns of the items CSV. */
export const MEDOIDS_EXPORT_HEADER = ['item', 'cluster', 'medoid', 'distance_to_medoid', 'is_medoid'] as const;

/**
 * The items CSV: header `item,cluster,medoid,distance_to_medoid,is_medoid`, one row per item
 * in the order of the distance matrix. Ids that a spreadsheet would run as formulas are
 * neutralised (src/csv/write.ts); without medoids the last three columns are empty. O(n).
 */
export function medoidsItemsCsv(m: MedoidsItems): string {
  const rows: string[][] = [];
  for (let i = 0; i < m.ids.length; i++) {
    const cluster = m.itemLabels[i];
    const medoid = m.medoids[cluster] ?? -1;
    rows.push([
      m.ids[i],
      String(cluster),
      medoid >= 0 ? m.ids[medoid] : '',
      medoid >= 0 ? formatNumber(m.itemDistances[i]) : '',
      medoid >= 0 ? String(medoid === i) : '',
    ]);
  }
  return toCsv([...MEDOIDS_EXPORT_HEADER], rows);
}
