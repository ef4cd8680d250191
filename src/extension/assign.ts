/**
 * Re-assigns one line of the CSV editor to the current centres, without a refit: split the
 * line into fields, read the feature columns, scale them as the fit did, and measure the
 * distance to every centre. Used for the annotations' hovers (distances to all centres)
 * and for rows the user edits. Pure: no vscode.
 */
import { isMissing, parseNumber } from '../csv/numbers';

/** The pieces of a fit that assignment needs (see JobOutput.model). */
export interface AssignModel {
  featureColumns: Int32Array;
  offset: Float64Array;
  scale: Float64Array;
  /** k x d, row-major, in the fit space. */
  centers: Float64Array;
  metric: 'euclidean' | 'cosine';
}

export interface Assignment {
  cluster: number;
  /** Distance to the nearest centre (Euclidean, or 1 - cosine similarity). */
  distance: number;
  /** Distance to every centre, in cluster order. */
  distances: Float64Array;
}

/**
 * Splits one CSV line into fields (RFC 4180 quoting: "a ""b""" is `a "b"`). Returns null
 * when a quote is left open (the record continues on the next line), so callers never
 * guess at part of a record. A trailing CR is ignored.
 */
export function splitCsvLine(line: string, delimiter: string): string[] | null {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!text.includes('"')) return text.split(delimiter);
  const out: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let atStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && atStart) {
      quoted = true;
      atStart = false;
      i++;
      continue;
    }
    if (text.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      atStart = true;
      i += delimiter.length;
      continue;
    }
    field += ch;
    atStart = false;
    i++;
  }
  if (quoted) return null;
  out.push(field);
  return out;
}

/**
 * The nearest centre to the record `fields`, or null when a feature cell is missing or not
 * a number, or (cosine) the row is all zeros and has no direction.
 * Complexity O(k d).
 */
export function assignFields(fields: readonly string[], model: AssignModel): Assignment | null {
  const d = model.featureColumns.length;
  if (d === 0) return null;
  const k = model.centers.length / d;
  const x = new Float64Array(d);
  for (let t = 0; t < d; t++) {
    const cell = fields[model.featureColumns[t]];
    if (cell === undefined || isMissing(cell)) return null;
    const v = parseNumber(cell);
    if (!Number.isFinite(v)) return null;
    x[t] = (v - model.offset[t]) / model.scale[t];
  }
  const distances = new Float64Array(k);
  let xNorm = 0;
  if (model.metric === 'cosine') {
    for (let t = 0; t < d; t++) xNorm += x[t] * x[t];
    if (xNorm === 0) return null;
    xNorm = Math.sqrt(xNorm);
  }
  let best = 0;
  for (let j = 0; j < k; j++) {
    const o = j * d;
    let value: number;
    if (model.metric === 'cosine') {
      let dot = 0;
      let cNorm = 0;
      for (let t = 0; t < d; t++) {
        dot += x[t] * model.centers[o + t];
        cNorm += model.centers[o + t] * model.centers[o + t];
      }
      value = cNorm === 0 ? 1 : 1 - dot / (xNorm * Math.sqrt(cNorm));
    } else {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = x[t] - model.centers[o + t];
        s += diff * diff;
      }
      value = Math.sqrt(s);
    }
    distances[j] = value;
    if (value < distances[best]) best = j;
  }
  return { cluster: best, distance: distances[best], distances };
}

/** splitCsvLine then assignFields; null when the line is not a complete record of `nColumns` fields. */
export function assignLine(line: string, delimiter: string, nColumns: number, model: AssignModel): Assignment | null {
  const fields = splitCsvLine(line, delimiter);
  if (fields === null || fields.length !== nColumns) return null;
  return assignFields(fields, model);
}
