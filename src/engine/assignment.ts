/**
 * Linear sum assignment (the "Hungarian" problem) on rectangular matrices, following SciPy's
 * `scipy.optimize.linear_sum_assignment`: the shortest augmenting path algorithm of
 * Crouse (2016), "On implementing 2D rectangular assignment algorithms", IEEE TAES 52(4),
 * with the same order of operations, so ties resolve as SciPy's do.
 */
import { check, EngineError } from './errors';

/**
 * Finds one row-to-column matching of size min(nRows, nCols) with the smallest (or, with
 * `maximize`, largest) total cost.
 *
 * @param cost nRows x nCols matrix (all rows the same length). Entries are finite numbers;
 *   +Infinity marks a forbidden pair when minimising (-Infinity when maximising).
 * @returns `rowInd` ascending, `colInd[k]` the column matched to `rowInd[k]`, and `total` the
 *   sum of the matched costs. Empty when either dimension is 0.
 * @throws EngineError for ragged or NaN input, or when no complete matching avoids the
 *   forbidden pairs. Time O(min(r,c)^2 max(r,c)), memory O(r c).
 */
export function linearSumAssignment(cost: number[][], maximize = false): { rowInd: number[]; colInd: number[]; total: number } {
  const nRowsIn = cost.length;
  const nColsIn = nRowsIn > 0 ? cost[0].length : 0;
  for (let i = 0; i < nRowsIn; i++) {
    check(Array.isArray(cost[i]) && cost[i].length === nColsIn,
      `cost row ${i} has ${cost[i]?.length} entries, row 0 has ${nColsIn}: the matrix should be rectangular`);
    for (let j = 0; j < nColsIn; j++) {
      const v = cost[i][j];
      check(typeof v === 'number' && !Number.isNaN(v), `cost[${i}][${j}]=${String(v)} should be a number`);
      check(maximize ? v !== Infinity : v !== -Infinity,
        `cost[${i}][${j}]=${v} is not allowed when ${maximize ? 'maximising' : 'minimising'}`);
    }
  }
  if (nRowsIn === 0 || nColsIn === 0) return { rowInd: [], colInd: [], total: 0 };

  // A tall matrix is solved transposed; the solver needs nr <= nc.
  const transpose = nColsIn < nRowsIn;
  const nr = transpose ? nColsIn : nRowsIn;
  const nc = transpose ? nRowsIn : nColsIn;
  const c = new Float64Array(nr * nc);
  for (let i = 0; i < nRowsIn; i++) {
    for (let j = 0; j < nColsIn; j++) {
      const v = maximize ? -cost[i][j] : cost[i][j];
      if (transpose) c[j * nc + i] = v;
      else c[i * nc + j] = v;
    }
  }
  const col4row = solveRectangular(c, nr, nc);
  const rowInd: number[] = [];
  const colInd: number[] = [];
  if (transpose) {
    // Pairs (original row, original column) = (col4row[r], r), sorted by original row.
    const order = Array.from({ length: nr }, (_, r) => r).sort((a, b) => col4row[a] - col4row[b]);
    for (const r of order) {
      rowInd.push(col4row[r]);
      colInd.push(r);
    }
  } else {
    for (let r = 0; r < nr; r++) {
      rowInd.push(r);
      colInd.push(col4row[r]);
    }
  }
  let total = 0;
  for (let k = 0; k < rowInd.length; k++) total += cost[rowInd[k]][colInd[k]];
  return { rowInd, colInd, total };
}

/**
 * Crouse's shortest augmenting path on an nr x nc cost matrix, nr <= nc (kernel: trusts its
 * input). Returns, for each row, its column.
 */
function solveRectangular(cost: Float64Array, nr: number, nc: number): Int32Array {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortestPathCosts = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr);
  const SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // Find the shortest augmenting path from curRow.
    let minVal = 0;
    let numRemaining = nc;
    // Filled in reverse so that a constant matrix gives the identity matching (as SciPy).
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SR.fill(0);
    SC.fill(0);
    shortestPathCosts.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      SR[i] = 1;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        const r = minVal + cost[i * nc + j] - u[i] - v[j];
        if (r < shortestPathCosts[j]) {
          path[j] = i;
          shortestPathCosts[j] = r;
        }
        // Among equal costs prefer a column that ends the path (matters for integer costs).
        if (shortestPathCosts[j] < lowest || (shortestPathCosts[j] === lowest && row4col[j] === -1)) {
          lowest = shortestPathCosts[j];
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) {
        throw new EngineError('the cost matrix is infeasible: no complete assignment avoids the forbidden (infinite) entries');
      }
      const j = remaining[index];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }

    // Update the dual variables.
    u[curRow] += minVal;
    for (let r = 0; r < nr; r++) {
      if (SR[r] && r !== curRow) u[r] += minVal - shortestPathCosts[col4row[r]];
    }
    for (let j = 0; j < nc; j++) {
      if (SC[j]) v[j] -= minVal - shortestPathCosts[j];
    }

    // Augment the previous solution along the path.
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const previous = col4row[r];
      col4row[r] = j;
      j = previous;
      if (r === curRow) break;
    }
  }
  return col4row;
}
