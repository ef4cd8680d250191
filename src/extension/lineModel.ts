/**
 * The cluster of every line of a CSV document, kept in step with the user's edits so the
 * annotations stay on the right lines: an edit shifts the lines below it, and the edited
 * lines become "pending" until they are re-assigned to the current centres (no refit).
 * Pure: no vscode; plain typed arrays, O(lines) per edit.
 */

/** A line that has no cluster (header, blank line, dropped row, part of a multi-line record). */
export const NONE = -1;
/** A line edited since the fit, waiting to be re-assigned. */
export const PENDING = -2;
/** A row a density method (DBSCAN, HDBSCAN) left in no cluster: noise. */
export const NOISE = -3;

export class LineClusters {
  /** Per line: cluster index, NONE, PENDING or NOISE. */
  cluster: Int32Array;
  /** Per line: distance to the cluster's centre, or HDBSCAN's membership strength (NaN when none). */
  distance: Float64Array;
  /** Per line: the data row of the fit it holds (-1 when none, e.g. a row added later). */
  row: Int32Array;
  /** Per line: 1 when the line was edited since the fit (its cluster comes from re-assignment). */
  edited: Uint8Array;

  /**
   * @param lineCount lines in the document
   * @param rowLine 0-based line where each data row starts
   * @param labels cluster per data row (-1: none)
   * @param distances distance per data row (NaN: none)
   */
  constructor(lineCount: number, rowLine: Int32Array, labels: Int32Array, distances: Float64Array) {
    this.cluster = new Int32Array(lineCount).fill(NONE);
    this.distance = new Float64Array(lineCount).fill(NaN);
    this.row = new Int32Array(lineCount).fill(-1);
    this.edited = new Uint8Array(lineCount);
    const n = Math.min(rowLine.length, labels.length);
    for (let r = 0; r < n; r++) {
      const line = rowLine[r];
      if (line < 0 || line >= lineCount) continue;
      this.row[line] = r;
      this.cluster[line] = labels[r];
      this.distance[line] = distances[r];
    }
  }

  get lineCount(): number {
    return this.cluster.length;
  }

  /**
   * Lines `start..end` (inclusive, before the edit) were replaced by `newCount` lines. Lines
   * below move; the new lines are PENDING. When a line is edited in place, it keeps its data
   * row (the first min(old, new) lines of the range keep theirs).
   */
  replaceLines(start: number, end: number, newCount: number): void {
    const oldCount = end - start + 1;
    const total = this.lineCount - oldCount + newCount;
    const cluster = new Int32Array(total);
    const distance = new Float64Array(total);
    const row = new Int32Array(total);
    const edited = new Uint8Array(total);
    edited.set(this.edited.subarray(0, start));
    cluster.set(this.cluster.subarray(0, start));
    distance.set(this.distance.subarray(0, start));
    row.set(this.row.subarray(0, start));
    for (let i = 0; i < newCount; i++) {
      cluster[start + i] = PENDING;
      distance[start + i] = NaN;
      row[start + i] = i < oldCount ? this.row[start + i] : -1;
      edited[start + i] = 1;
    }
    edited.set(this.edited.subarray(end + 1), start + newCount);
    cluster.set(this.cluster.subarray(end + 1), start + newCount);
    distance.set(this.distance.subarray(end + 1), start + newCount);
    row.set(this.row.subarray(end + 1), start + newCount);
    this.cluster = cluster;
    this.distance = distance;
    this.row = row;
    this.edited = edited;
  }

  /** Lines waiting for re-assignment, in order. */
  pendingLines(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.cluster.length; i++) if (this.cluster[i] === PENDING) out.push(i);
    return out;
  }

  /** Records the re-assignment of `line` (cluster NONE when the line is not a complete numeric record). */
  setLine(line: number, cluster: number, distance: number): void {
    this.cluster[line] = cluster;
    this.distance[line] = cluster >= 0 ? distance : NaN;
  }

  /** The line that now holds data row `row`, or -1 (deleted). O(1) when nothing moved, else O(lines). */
  lineOfRow(row: number, originalLine: number): number {
    if (originalLine >= 0 && originalLine < this.row.length && this.row[originalLine] === row) return originalLine;
    return this.row.indexOf(row);
  }
}
