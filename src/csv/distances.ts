/**
 * Recognises CSV files that hold distances (or similarities) between items instead of
 * features, and turns them into a distance matrix for k-medoids and MDS. Two layouts:
 *
 * - a square matrix: item ids in the header (after the first cell) and in the first column;
 *   also accepted without the corner cell, or with ids only in the header;
 * - an edge list: three columns source, target, weight (any names), one row per pair.
 *
 * Pure: the input is already-parsed records of strings (the CSV reader's output).
 */
import { check, EngineError } from '../engine/errors';
import type { Matrix } from '../engine/matrix';

/** What `detectDistanceInput` concludes, with the reason in plain words. */
export interface DistanceDetection {
  kind: 'matrix' | 'edges' | 'none';
  reason: string;
}

/** Options of `distanceInputFromRecords`. */
export interface DistanceInputOptions {
  /**
   * 'auto' (default): a matrix whose diagonal is all zeros holds distances, one whose diagonal
   * holds each row's largest value holds similarities, anything else is ambiguous (an error
   * asking to choose); edge weights are distances unless self-loops or the column name say
   * otherwise. 'similarity' converts with d = max(s) - s.
   */
  similarity?: 'auto' | 'distance' | 'similarity';
  /** Pairs without a value: 'error' (default) stops; 'shortest-path' fills them with path lengths. */
  missing?: 'error' | 'shortest-path';
  /** Force a layout instead of detecting it (e.g. an edge list whose ids are numbers). */
  kind?: 'auto' | 'matrix' | 'edges';
  /**
   * With similarity 'auto': also stop (DistanceChoiceError) when edge weights are only
   * presumed to be distances, instead of going on with a warning. For a front end that can ask.
   */
  askWhenUnsure?: boolean;
}

/**
 * A decision the input cannot make for itself: whether the numbers are distances or
 * similarities, or what to do with missing pairs. A front end that can ask catches it, asks,
 * and runs again with the answer (similarity or missing); the message alone is a complete
 * error for one that cannot.
 */
export class DistanceChoiceError extends EngineError {
  constructor(
    message: string,
    readonly choice: { kind: 'similarity'; suggested: 'distance' | 'similarity'; reason: string }
      | { kind: 'missing'; missingPairs: number; totalPairs: number; example: [string, string] },
  ) {
    super(message);
  }
}

/** A distance matrix over named items. */
export interface DistanceInput {
  /** Item ids; row and column i of D belong to ids[i]. */
  ids: string[];
  /** n x n symmetric distances, zero diagonal. */
  D: Matrix;
  kind: 'matrix' | 'edges';
  /** The conversion rule when similarities were turned into distances, else null. */
  similarityConverted: string | null;
  warnings: string[];
  /** Unordered pairs of distinct ids that had no value (0 when complete). */
  missingPairs: number;
  /**
   * Per given record (2 per record): the items it is about. A matrix row: [its item, -1]; an
   * edge: [source, target]; the header row of a headerless table read as a matrix: [-1, -1].
   */
  rowItems: Int32Array;
}

/** The largest number of items a distance matrix may have (n^2 doubles in memory). */
export const MAX_DISTANCE_ITEMS = 10000;

const MISSING = /^(|na|n\/a|nan|null)$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Column names that mark an edge list's id columns even when the ids are numbers. */
const EDGE_ID_NAMES = new Set(['source', 'target', 'from', 'to', 'src', 'dst', 'dest', 'destination', 'origin', 'start',
  'end', 'head', 'tail', 'u', 'v', 'i', 'j', 'node1', 'node2', 'nodea', 'nodeb', 'id1', 'id2', 'item1', 'item2', 'fromid',
  'toid', 'sourceid', 'targetid', 'fromnode', 'tonode', 'sourcenode', 'targetnode']);
const SIMILARITY_NAME = /similar|affinit|correl|strength|^sim$|^sim[_ ]|[_ ]sim$/i;
const DISTANCE_NAME = /dist|cost|length|dissim|km$|miles|time|duration|^d$/i;

function isMissing(cell: string | undefined): boolean {
  return cell === undefined || MISSING.test(cell.trim());
}

/** A plain number whose value is finite (`1e309` is not one, as in the CSV reader). */
function isNumber(cell: string | undefined): boolean {
  if (cell === undefined) return false;
  const t = cell.trim();
  return NUMBER.test(t) && Number.isFinite(Number(t));
}

function quote(id: string): string {
  return JSON.stringify(id);
}

/** Where the ids and the numbers of a matrix layout are. */
interface MatrixLayout {
  ids: string[];
  /** Per data row: the column of its first number. */
  firstValueColumn: number;
  /** rowOrder[r] = index in ids of data row r. */
  rowOrder: number[];
  reordered: boolean;
  note: string;
}

/** Checks one of the three matrix layouts; returns null (with the reason) when it does not fit. */
function matrixLayout(header: string[] | null, rows: string[][]): { layout: MatrixLayout | null; reason: string } {
  const n = rows.length;
  if (header === null) return { layout: null, reason: 'there is no header row of ids' };
  if (n === 0) return { layout: null, reason: 'there are no data rows' };
  const h = header.map((c) => c.trim());
  // (a) corner cell + n ids in the header, id + n values per row; (b) n ids in the header,
  // id + n values per row; (c) n ids in the header, n values per row (no id column).
  let ids: string[];
  let firstValueColumn: number;
  let rowIds: string[] | null;
  if (h.length === n + 1 && rows.every((r) => r.length === n + 1)) {
    ids = h.slice(1);
    firstValueColumn = 1;
    rowIds = rows.map((r) => r[0].trim());
  } else if (h.length === n && rows.every((r) => r.length === n + 1)) {
    ids = h;
    firstValueColumn = 1;
    rowIds = rows.map((r) => r[0].trim());
  } else if (h.length === n && rows.every((r) => r.length === n)) {
    ids = h;
    firstValueColumn = 0;
    rowIds = null;
  } else {
    return {
      layout: null,
      reason: `a square matrix needs as many id columns as rows (the header has ${h.length} cells, there are ${n} rows`
        + `${rows.length > 0 ? ` of ${rows[0].length} cells` : ''})`,
    };
  }
  if (ids.some((id) => id === '')) return { layout: null, reason: 'an id in the header is empty' };
  if (new Set(ids).size !== ids.length) return { layout: null, reason: 'the header repeats an id' };
  const position = new Map(ids.map((id, i) => [id, i]));
  let rowOrder = ids.map((_, i) => i);
  let reordered = false;
  if (rowIds !== null) {
    const sameOrder = rowIds.every((id, i) => id === ids[i]);
    if (!sameOrder) {
      const missing = rowIds.find((id) => !position.has(id));
      if (missing !== undefined || new Set(rowIds).size !== n) {
        const first = rowIds.findIndex((id, i) => id !== ids[i]);
        return {
          layout: null,
          reason: `the first column does not list the header's ids (row ${first} has ${quote(rowIds[first])}, `
            + `the header has ${quote(ids[first])} there)`,
        };
      }
      rowOrder = rowIds.map((id) => position.get(id) as number);
      reordered = true;
    }
  }
  for (let r = 0; r < n; r++) {
    for (let c = firstValueColumn; c < rows[r].length; c++) {
      const cell = rows[r][c];
      if (!isMissing(cell) && !isNumber(cell)) {
        return { layout: null, reason: `row ${r}, column ${c} holds ${quote(cell)}, not a number` };
      }
    }
  }
  if (rowIds === null) {
    // Without an id column a table of n numeric columns and n rows could be ordinary data:
    // accept it only when it looks like a distance or similarity matrix.
    const v = (r: number, c: number): number => Number(rows[r][c]);
    let symmetric = true;
    let diagZero = true;
    let diagMax = true;
    for (let r = 0; r < n; r++) {
      if (isMissing(rows[r][r])) return { layout: null, reason: 'a matrix without an id column needs its diagonal' };
      if (v(r, r) !== 0) diagZero = false;
      for (let c = 0; c < n; c++) {
        if (isMissing(rows[r][c]) || isMissing(rows[c][r])) continue;
        const a = v(r, c);
        const b = v(c, r);
        if (Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b))) symmetric = false;
        if (c !== r && a > v(r, r)) diagMax = false;
      }
    }
    if (!symmetric || !(diagZero || diagMax)) {
      return {
        layout: null,
        reason: 'without an id column, a square table is read as a matrix only when it is symmetric with a diagonal of zeros or of row maxima',
      };
    }
  }
  const layoutName = firstValueColumn === 0 ? 'ids in the header only'
    : h.length === n ? 'ids in the header and the first column (no corner cell)' : 'ids in the header and the first column';
  return {
    layout: { ids, firstValueColumn, rowOrder, reordered, note: layoutName },
    reason: `a square matrix of ${n} items, ${layoutName}`,
  };
}

/** Checks the edge-list layout; returns null (with the reason) when it does not fit. */
function edgeLayout(header: string[] | null, rows: string[][]): { ok: boolean; reason: string } {
  const nCols = header !== null ? header.length : rows.length > 0 ? rows[0].length : 0;
  if (nCols !== 3) return { ok: false, reason: `an edge list has 3 columns (source, target, weight), this file has ${nCols}` };
  if (rows.length === 0) return { ok: false, reason: 'there are no data rows' };
  const numeric = [true, true];
  const seen = [new Set<string>(), new Set<string>()];
  let weights = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== 3) return { ok: false, reason: `row ${r} has ${row.length} cells, an edge list has 3` };
    for (const c of [0, 1]) {
      const id = row[c].trim();
      if (id === '') return { ok: false, reason: `row ${r} has an empty ${c === 0 ? 'source' : 'target'} id` };
      if (!NUMBER.test(id)) numeric[c] = false;
      seen[c].add(id);
    }
    if (isNumber(row[2])) weights++;
    else if (!isMissing(row[2])) return { ok: false, reason: `row ${r}, column 2 holds ${quote(row[2])}, not a number (weight)` };
  }
  if (weights === 0) return { ok: false, reason: 'the third column holds no numbers' };
  // Ordinary data with three columns must not pass for an edge list: its first two columns
  // would be numbers, or a name and a number, and rarely share values. Column names such as
  // source/target or from/to vouch for an edge list whatever the ids look like.
  const names = header?.slice(0, 2).map((h) => h.trim().toLowerCase().replace(/[^a-z0-9]/g, '')) ?? [];
  const idNames = names.length === 2 && names.every((name) => EDGE_ID_NAMES.has(name));
  if (!idNames) {
    if (numeric[0] && numeric[1]) {
      return {
        ok: false,
        reason: 'the first two columns are numbers: this looks like ordinary data; if they are node ids, '
          + 'name them source and target (or choose the edge-list layout)',
      };
    }
    if (numeric[0] !== numeric[1]) {
      return { ok: false, reason: `the ${numeric[0] ? 'first' : 'second'} column holds numbers and the other names, so they are not both node ids` };
    }
    let shared = false;
    for (const id of seen[0]) {
      if (seen[1].has(id)) {
        shared = true;
        break;
      }
    }
    if (!shared) {
      return { ok: false, reason: 'no id appears in both of the first two columns (name them source and target if they are node ids)' };
    }
  }
  const listed = header !== null ? ` (${header.map((h) => quote(h.trim())).join(', ')})` : '';
  return { ok: true, reason: `an edge list source, target, weight${listed} with ${rows.length} rows` };
}

/**
 * Decides whether parsed CSV records hold a square distance/similarity matrix, an edge list,
 * or neither, and says why. A matrix is tried first. Three columns are an edge list when the
 * third holds numbers and the first two hold ids: named like ids (source/target, from/to, ...),
 * or else both non-numeric with at least one id in both columns (so "x, y, label" or
 * "name, height, weight" tables are not mistaken for edges).
 * When `header` is null the first record is tried as a header of ids for the matrix layout.
 */
export function detectDistanceInput(header: string[] | null, rows: string[][]): DistanceDetection {
  const asMatrix = header === null && rows.length > 1 ? matrixLayout(rows[0], rows.slice(1)) : matrixLayout(header, rows);
  if (asMatrix.layout !== null) return { kind: 'matrix', reason: asMatrix.reason };
  const asEdges = edgeLayout(header, rows);
  if (asEdges.ok) return { kind: 'edges', reason: asEdges.reason };
  return { kind: 'none', reason: `not a distance matrix (${asMatrix.reason}) and not an edge list (${asEdges.reason})` };
}

/**
 * Whether records that `detectDistanceInput` does not accept still look meant as distances,
 * so that clustering their numbers as features would give a silently wrong answer: three
 * columns whose first two names mark an edge list (source, target, ...), or a first column
 * of text ids most of which the header repeats (a matrix). Returns why, or null.
 */
export function looksLikeDistanceFile(header: string[] | null, rows: string[][]): string | null {
  if (header === null || rows.length === 0) return null;
  const names = header.slice(0, 2).map((h) => h.trim().toLowerCase().replace(/[^a-z0-9]/g, ''));
  if (header.length === 3 && names.length === 2 && names.every((name) => EDGE_ID_NAMES.has(name))) {
    return `its columns ${header.map((h) => quote(h.trim())).join(', ')} name an edge list`;
  }
  const named = new Set(header.slice(1).map((h) => h.trim()));
  let repeated = 0;
  for (const row of rows) {
    const id = (row[0] ?? '').trim();
    if (id !== '' && !NUMBER.test(id) && named.has(id)) repeated++;
  }
  if (repeated >= 2 && repeated >= rows.length / 2) return 'its header repeats the ids of its first column, as a distance matrix does';
  return null;
}

/** Values per ordered pair, NaN when absent; the diagonal is kept for the similarity test. */
interface RawPairs {
  ids: string[];
  /** n x n, row-major: values[i * n + j] as given for (ids[i], ids[j]), NaN when absent. */
  values: Float64Array;
  warnings: string[];
  /** The edge list's weight column name (null for a matrix or without a header). */
  weightName: string | null;
  /** See DistanceInput.rowItems. */
  rowItems: Int32Array;
}

function readMatrix(header: string[] | null, rows: string[][]): RawPairs {
  let h = header;
  let body = rows;
  let found = matrixLayout(h, body);
  if (found.layout === null && header === null && rows.length > 1) {
    h = rows[0];
    body = rows.slice(1);
    found = matrixLayout(h, body);
  }
  const layout = found.layout;
  if (layout === null) throw new EngineError(`not a distance matrix: ${found.reason}`);
  const n = layout.ids.length;
  checkSize(n);
  const values = new Float64Array(n * n).fill(NaN);
  for (let r = 0; r < n; r++) {
    const i = layout.rowOrder[r];
    for (let j = 0; j < n; j++) {
      const cell = body[r][layout.firstValueColumn + j];
      if (!isMissing(cell)) values[i * n + j] = Number(cell.trim());
    }
  }
  const warnings: string[] = [];
  if (layout.reordered) warnings.push('the rows list the ids in a different order from the header; they were matched by id');
  const skipped = rows.length - body.length;
  const rowItems = new Int32Array(2 * rows.length).fill(-1);
  for (let r = 0; r < n; r++) rowItems[2 * (r + skipped)] = layout.rowOrder[r];
  return { ids: layout.ids, values, warnings, weightName: null, rowItems };
}

function readEdges(header: string[] | null, rows: string[][]): RawPairs {
  const found = edgeLayout(header, rows);
  // When the layout is forced, only the shape matters (3 columns, numeric weights).
  if (!found.ok && !/^(the first two columns are numbers|the (first|second) column holds numbers|no id appears)/.test(found.reason)) {
    throw new EngineError(`not an edge list: ${found.reason}`);
  }
  const index = new Map<string, number>();
  const ids: string[] = [];
  const idOf = (raw: string): number => {
    const id = raw.trim();
    let k = index.get(id);
    if (k === undefined) {
      k = ids.length;
      index.set(id, k);
      ids.push(id);
    }
    return k;
  };
  const edges: [number, number, number][] = [];
  let withoutWeight = 0;
  const rowItems = new Int32Array(2 * rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const s = idOf(row[0]);
    const t = idOf(row[1]);
    rowItems[2 * r] = s;
    rowItems[2 * r + 1] = t;
    if (isMissing(row[2])) {
      withoutWeight++;
      continue;
    }
    edges.push([s, t, Number(row[2].trim())]);
  }
  const n = ids.length;
  checkSize(n);
  const sum = new Float64Array(n * n);
  const count = new Float64Array(n * n);
  const first = new Float64Array(n * n);
  const conflicts = new Set<number>();
  for (const [s, t, w] of edges) {
    // Both directions of the pair (once for a self-loop) accumulate the same weights.
    const a = Math.min(s, t);
    const b = Math.max(s, t);
    const k = a * n + b;
    if (count[k] === 0) first[k] = w;
    else if (first[k] !== w) conflicts.add(k);
    sum[k] += w;
    count[k]++;
  }
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      sum[b * n + a] = sum[a * n + b];
      count[b * n + a] = count[a * n + b];
    }
  }
  const conflicting = conflicts.size;
  const values = new Float64Array(n * n).fill(NaN);
  for (let k = 0; k < n * n; k++) if (count[k] > 0) values[k] = sum[k] / count[k];
  const warnings: string[] = [];
  if (withoutWeight > 0) warnings.push(`${withoutWeight} edges have no weight and were left out`);
  if (conflicting > 0) {
    warnings.push(`${conflicting} pairs are given more than once with different weights; each pair was set to the mean of its weights`);
  }
  return { ids, values, warnings, weightName: header !== null ? header[2].trim() : null, rowItems };
}

function checkSize(n: number): void {
  check(n <= MAX_DISTANCE_ITEMS, `${n} items is more than the ${MAX_DISTANCE_ITEMS} a distance matrix can hold here`);
  check(n >= 1, 'no items found');
}

const SAY_WHICH = "say which (similarity: 'distance' or 'similarity')";

/** Decides distance or similarity for 'auto' (see DistanceInputOptions). */
function looksLikeSimilarity(raw: RawPairs, kind: 'matrix' | 'edges', warnings: string[], askWhenUnsure: boolean): boolean {
  const { ids, values } = raw;
  const n = ids.length;
  let diagPresent = 0;
  let diagZero = true;
  let diagMax = true;
  let diagPositive = false;
  for (let i = 0; i < n; i++) {
    const d = values[i * n + i];
    if (Number.isNaN(d)) continue;
    diagPresent++;
    if (d !== 0) diagZero = false;
    if (d > 0) diagPositive = true;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (values[i * n + j] > d || values[j * n + i] > d) diagMax = false;
    }
  }
  if (kind === 'edges' && diagPresent === 0) {
    const name = raw.weightName;
    if (name !== null && SIMILARITY_NAME.test(name)) {
      const reason = `the weight column ${quote(name)} sounds like similarities, but an edge list cannot show it`;
      throw new DistanceChoiceError(`${reason}: ${SAY_WHICH}`, { kind: 'similarity', suggested: 'similarity', reason });
    }
    if (askWhenUnsure && (name === null || !DISTANCE_NAME.test(name))) {
      const reason = `the edge weights${name !== null ? ` in ${quote(name)}` : ''} may be distances (smaller = closer) or similarities (larger = closer)`;
      throw new DistanceChoiceError(`${reason}: ${SAY_WHICH}`, { kind: 'similarity', suggested: 'distance', reason });
    }
    if (name === null || !DISTANCE_NAME.test(name)) {
      warnings.push(`edge weights${name !== null ? ` in ${quote(name)}` : ''} were read as distances (smaller = closer); `
        + 'if they are similarities, choose similarity');
    }
    return false;
  }
  if (diagPresent === 0) {
    const reason = 'the matrix has no diagonal, so it cannot tell distances from similarities';
    throw new DistanceChoiceError(`${reason}: ${SAY_WHICH}`, { kind: 'similarity', suggested: 'distance', reason });
  }
  if (diagZero) return false;
  if (diagMax && diagPositive) return true;
  const where = kind === 'edges' ? 'the self-loops (an item to itself) are' : 'the diagonal is';
  const reason = `${where} neither all zeros (distances) nor the largest value of each row (similarities)`;
  throw new DistanceChoiceError(`cannot tell whether these are distances or similarities: ${reason}; ${SAY_WHICH}`,
    { kind: 'similarity', suggested: diagonalAboveMean(values, n) ? 'similarity' : 'distance', reason });
}

/** Whether the given diagonal values are on average above the mean of the given off-diagonal ones. */
function diagonalAboveMean(values: Float64Array, n: number): boolean {
  let diag = 0;
  let nDiag = 0;
  let off = 0;
  let nOff = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = values[i * n + j];
      if (Number.isNaN(v)) continue;
      if (i === j) {
        diag += v;
        nDiag++;
      } else {
        off += v;
        nOff++;
      }
    }
  }
  return nDiag > 0 && nOff > 0 && diag / nDiag > off / nOff;
}

/**
 * Reads a distance matrix from parsed CSV records (see `detectDistanceInput` for the layouts).
 *
 * Steps: ids (matrix: from the header, matched against the first column; edges: in order of
 * first appearance, source before target); similarity test and conversion d = max(s) - s
 * (max over all given values); an asymmetric matrix is symmetrised by the mean of the two
 * values with a warning; the diagonal is set to 0; missing pairs either stop with an error
 * naming how many, or (missing: 'shortest-path') get the length of the shortest path through
 * the given pairs (Floyd-Warshall up to 400 items, Dijkstra from every item above), given
 * pairs being kept as they are.
 *
 * @throws EngineError when the records fit neither layout, distances and similarities cannot
 *   be told apart (the message asks to choose), a distance is negative, pairs are missing
 *   with missing: 'error', some items are not connected at all, or there are more than
 *   10,000 items. O(n^2) memory; O(n^3) time only for shortest paths.
 */
export function distanceInputFromRecords(header: string[] | null, rows: string[][], options: DistanceInputOptions = {}): DistanceInput {
  const similarity = options.similarity ?? 'auto';
  const missing = options.missing ?? 'error';
  const forced = options.kind ?? 'auto';
  check(['auto', 'distance', 'similarity'].includes(similarity), `similarity=${String(similarity)} should be 'auto', 'distance' or 'similarity'`);
  check(['error', 'shortest-path'].includes(missing), `missing=${String(missing)} should be 'error' or 'shortest-path'`);
  check(['auto', 'matrix', 'edges'].includes(forced), `kind=${String(forced)} should be 'auto', 'matrix' or 'edges'`);

  let kind: 'matrix' | 'edges';
  if (forced === 'auto') {
    const detected = detectDistanceInput(header, rows);
    if (detected.kind === 'none') throw new EngineError(`this file holds neither distances nor an edge list: ${detected.reason}`);
    kind = detected.kind;
  } else {
    kind = forced;
  }
  const raw = kind === 'matrix' ? readMatrix(header, rows) : readEdges(header, rows);
  const { ids, values } = raw;
  const n = ids.length;
  const warnings = [...raw.warnings];

  // Distances or similarities.
  const isSimilarity = similarity === 'similarity'
    || (similarity === 'auto' && looksLikeSimilarity(raw, kind, warnings, options.askWhenUnsure === true));
  let similarityConverted: string | null = null;
  if (isSimilarity) {
    let max = -Infinity;
    for (let k = 0; k < n * n; k++) if (values[k] > max) max = values[k];
    for (let k = 0; k < n * n; k++) if (!Number.isNaN(values[k])) values[k] = max - values[k];
    similarityConverted = `d = max(s) - s, with max(s) = ${max}`;
  } else if (similarity === 'distance') {
    let nonzero = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(values[i * n + i]) && values[i * n + i] !== 0) nonzero++;
    if (nonzero > 0) warnings.push(`${nonzero} items had a nonzero distance to themselves; it was set to 0`);
  }

  // Symmetrise, count missing pairs, check signs.
  const D = new Float64Array(n * n);
  let asymmetric = 0;
  let worst = 0;
  let worstPair = [0, 0];
  let missingPairs = 0;
  let firstMissing: [number, number] | null = null;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = values[i * n + j];
      const b = values[j * n + i];
      let v: number;
      if (Number.isNaN(a) && Number.isNaN(b)) {
        v = NaN;
        missingPairs++;
        if (firstMissing === null) firstMissing = [i, j];
      } else if (Number.isNaN(a)) {
        v = b;
      } else if (Number.isNaN(b)) {
        v = a;
      } else {
        v = a === b ? a : (a + b) / 2;
        if (a !== b) {
          asymmetric++;
          if (Math.abs(a - b) > worst) {
            worst = Math.abs(a - b);
            worstPair = [i, j];
          }
        }
      }
      if (v < 0) {
        throw new EngineError(`the distance between ${quote(ids[i])} and ${quote(ids[j])} is ${v}: distances should be >= 0`
          + (isSimilarity ? '' : ' (if these are similarities, choose similarity)'));
      }
      D[i * n + j] = v;
      D[j * n + i] = v;
    }
  }
  if (asymmetric > 0) {
    warnings.push(`the matrix is not symmetric: ${asymmetric} pairs differ (most: ${worst} between ${quote(ids[worstPair[0]])} `
      + `and ${quote(ids[worstPair[1]])}); each pair was set to the mean of its two values`);
  }

  if (missingPairs > 0) {
    const total = (n * (n - 1)) / 2;
    const [a, b] = firstMissing as [number, number];
    if (missing === 'error') {
      throw new DistanceChoiceError(`${missingPairs} of ${total} pairs of items have no distance (for example ${quote(ids[a])} and `
        + `${quote(ids[b])}): give every pair, or choose shortest-path distances`,
      { kind: 'missing', missingPairs, totalPairs: total, example: [ids[a], ids[b]] });
    }
    fillShortestPaths(D, n, ids);
    warnings.push(`${missingPairs} of ${total} pairs had no distance and were given the length of the shortest path through the given pairs`);
  }
  return { ids, D: { data: D, nRows: n, nCols: n }, kind, similarityConverted, warnings, missingPairs, rowItems: raw.rowItems };
}

/**
 * Replaces NaN entries of the symmetric matrix D by shortest-path lengths over the known
 * entries (kernel). Throws when some pair is not connected.
 */
function fillShortestPaths(D: Float64Array, n: number, ids: string[]): void {
  // A shortest path has at most n - 1 steps: bound its length so an overflow (which would
  // look like "no path") is reported as what it is.
  let max = 0;
  for (let k = 0; k < n * n; k++) if (D[k] > max) max = D[k];
  if (!((n - 1) * max < Number.MAX_VALUE)) {
    throw new EngineError(`distances up to ${max} are too large: a shortest path through ${n} items could overflow a double; `
      + 'divide the distances by a power of ten');
  }
  const paths = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) paths[k] = Number.isNaN(D[k]) ? Infinity : D[k];
  if (n <= 400) {
    for (let m = 0; m < n; m++) {
      for (let i = 0; i < n; i++) {
        const im = paths[i * n + m];
        if (im === Infinity) continue;
        for (let j = 0; j < n; j++) {
          const via = im + paths[m * n + j];
          if (via < paths[i * n + j]) paths[i * n + j] = via;
        }
      }
    }
  } else {
    dijkstraAll(paths, n);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!Number.isNaN(D[i * n + j])) continue;
      const p = Math.min(paths[i * n + j], paths[j * n + i]);
      if (p === Infinity) {
        throw new EngineError(`${quote(ids[i])} and ${quote(ids[j])} are not connected by any path of given distances, `
          + 'so their distance is unknown: the items fall into separate groups');
      }
      D[i * n + j] = p;
      D[j * n + i] = p;
    }
  }
}

/** All-pairs shortest paths by Dijkstra from every item with a binary heap; `w` is overwritten (kernel). */
function dijkstraAll(w: Float64Array, n: number): void {
  // Adjacency lists of the finite off-diagonal entries.
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && w[i * n + j] !== Infinity) degree[i + 1]++;
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const adj = new Int32Array(degree[n]);
  const adjW = new Float64Array(degree[n]);
  const fill = degree.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j && w[i * n + j] !== Infinity) {
        adj[fill[i]] = j;
        adjW[fill[i]++] = w[i * n + j];
      }
    }
  }
  const dist = new Float64Array(n);
  const heapNode = new Int32Array(degree[n] + n);
  const heapKey = new Float64Array(degree[n] + n);
  for (let s = 0; s < n; s++) {
    dist.fill(Infinity);
    dist[s] = 0;
    let size = 0;
    // Lazy-deletion heap of (key, node).
    heapNode[0] = s;
    heapKey[0] = 0;
    size = 1;
    while (size > 0) {
      const u = heapNode[0];
      const key = heapKey[0];
      size--;
      if (size > 0) {
        // Move the last entry to the root and sift down.
        const lastNode = heapNode[size];
        const lastKey = heapKey[size];
        let pos = 0;
        for (;;) {
          const left = 2 * pos + 1;
          if (left >= size) break;
          const child = left + 1 < size && heapKey[left + 1] < heapKey[left] ? left + 1 : left;
          if (heapKey[child] >= lastKey) break;
          heapNode[pos] = heapNode[child];
          heapKey[pos] = heapKey[child];
          pos = child;
        }
        heapNode[pos] = lastNode;
        heapKey[pos] = lastKey;
      }
      if (key > dist[u]) continue;
      for (let e = degree[u]; e < degree[u + 1]; e++) {
        const v = adj[e];
        const nd = key + adjW[e];
        if (nd < dist[v]) {
          dist[v] = nd;
          // Sift up the new entry.
          let pos = size++;
          while (pos > 0) {
            const parent = (pos - 1) >> 1;
            if (heapKey[parent] <= nd) break;
            heapNode[pos] = heapNode[parent];
            heapKey[pos] = heapKey[parent];
            pos = parent;
          }
          heapNode[pos] = v;
          heapKey[pos] = nd;
        }
      }
    }
    for (let j = 0; j < n; j++) w[s * n + j] = dist[j];
  }
}
