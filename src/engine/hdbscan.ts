/**
 * HDBSCAN: hierarchical density-based clustering (Campello, Moulavi & Sander, "Density-Based
 * Clustering Based on Hierarchical Density Estimates", PAKDD 2013), with the cluster extraction
 * of McInnes, Healy & Astels' `hdbscan` package (condensed tree, excess-of-mass selection), which
 * scikit-learn >= 1.3 also uses. No n x n matrix: core distances come from an exact neighbour
 * search and the minimum spanning tree from Prim's algorithm with distances computed on the fly.
 */
import { check, throwIfCancelled, type RunControl } from './errors';
import type { Matrix } from './matrix';
import type { DistanceMetric } from './metrics/internal';
import { coreDistances } from './kdistance';

/** Rows above which hdbscan refuses to run: its spanning tree costs O(n^2 d) time. */
export const HDBSCAN_MAX_ROWS = 50_000;

/** Options of {@link hdbscan}; the defaults are scikit-learn's. */
export interface HdbscanOptions {
  /** Smallest group of rows that counts as a cluster, default 5, integer >= 2. */
  minClusterSize?: number;
  /** Rows (the row itself included) in a core neighbourhood, default minClusterSize, integer in [1, nRows]. */
  minSamples?: number;
  /** 'euclidean' (default) or 'cosine' (1 - cos; an all-zero row is at distance 1 from every other row). */
  metric?: DistanceMetric;
}

/** What {@link hdbscan} returns. */
export interface HdbscanResult {
  /** Cluster per row, 0..nClusters-1 numbered in the order of their lowest row, or -1 for noise. */
  labels: Int32Array;
  nClusters: number;
  nNoise: number;
  /**
   * Strength of each row's membership, as scikit-learn's `probabilities_`: the density level
   * (lambda = 1 / distance) at which the row left its cluster over the cluster's highest level,
   * capped at 1; 0 for noise.
   */
  probabilities: Float64Array;
  /** Excess-of-mass stability of each cluster, by label. */
  stability: Float64Array;
  /** Each row's core distance (to its minSamples-th nearest row, itself first). */
  coreDistances: Float64Array;
}

/**
 * HDBSCAN clustering.
 *
 * 1. Core distance of each row: the distance to its minSamples-th nearest row (itself first).
 * 2. Mutual reachability distance: max(core(a), core(b), d(a, b)).
 * 3. Minimum spanning tree of the complete mutual-reachability graph (Prim, ties to the lowest
 *    row), then the single-linkage hierarchy from its edges in increasing weight.
 * 4. Condensed tree: walking down from the root with lambda = 1 / distance, a level where a
 *    cluster falls apart into two or more parts of >= minClusterSize rows makes each such part a
 *    new cluster; rows of smaller parts leave their cluster at that lambda; when one part is
 *    big enough the cluster goes on as it, and when none is, the cluster ends.
 * 5. Stability of a cluster: sum over what leaves it of (lambda_leave - lambda_birth) x size.
 *    Excess of mass: bottom up, a cluster is kept when its stability is >= the summed
 *    stabilities of the kept clusters below it, which are then dropped. The root is never a
 *    cluster (scikit-learn's allow_single_cluster=False), so data with no split is all noise.
 * 6. A row belongs to the kept cluster above the cluster it left; otherwise it is noise.
 *
 * Exact ties in the mutual reachability distance are common (it is often a core distance). Here
 * everything merged at one level is split at once, as the level sets of Campello et al. define
 * it, so the result does not depend on how tied edges were ordered. The `hdbscan` package and
 * scikit-learn split one binary merge at a time, so under ties their result depends on their
 * spanning tree's order and can differ; without ties the two agree.
 *
 * Memory O(n d). Time O(n log n) for the core distances on well spread low-dimensional data
 * (O(n^2 d) at worst) plus O(n^2) for Prim, with a distance computed only for pairs whose core
 * distances do not already rule them out: O(n^2 d) at worst.
 *
 * @throws EngineError when minClusterSize is not an integer >= 2, minSamples is not an integer in
 *   [1, nRows], X holds a non-finite value, has no columns or more than 50,000 rows, or the
 *   metric is unknown; CancelledError when `control` says so.
 */
export function hdbscan(X: Matrix, options: HdbscanOptions = {}, control?: RunControl): HdbscanResult {
  const { nRows: n, nCols: d } = X;
  const minClusterSize = options.minClusterSize ?? 5;
  const minSamples = options.minSamples ?? minClusterSize;
  const metric = options.metric ?? 'euclidean';
  check(Number.isInteger(minClusterSize) && minClusterSize >= 2, `minClusterSize=${minClusterSize} should be an integer >= 2`);
  check(n >= 1 && d >= 1, `X is ${n} x ${d}: HDBSCAN needs at least 1 row and 1 column`);
  check(Number.isInteger(minSamples) && minSamples >= 1 && minSamples <= n,
    `minSamples=${minSamples} should be an integer in [1, nSamples=${n}]`);
  check(metric === 'euclidean' || metric === 'cosine', `metric=${String(metric)} should be 'euclidean' or 'cosine'`);
  check(n <= HDBSCAN_MAX_ROWS,
    `nSamples=${n} should be <= ${HDBSCAN_MAX_ROWS} for HDBSCAN (its spanning tree takes time n^2): use DBSCAN or a sample`);
  for (let t = 0; t < n * d; t++) {
    if (!Number.isFinite(X.data[t])) check(false, `X[${Math.floor(t / d)}][${t % d}]=${X.data[t]} should be a finite number`);
  }
  const cosine = metric === 'cosine';
  const sub = (from: number, to: number): RunControl => ({
    isCancelled: control?.isCancelled,
    onProgress: control?.onProgress ? (f, m) => control.onProgress?.(from + (to - from) * f, m) : undefined,
  });
  const { core, search } = coreDistances(X, minSamples, cosine, sub(0, 0.3));
  const mst = primMst(search.data, search.isZero, n, d, cosine, core, sub(0.3, 0.95));
  const tree = singleLinkage(mst, n);
  const condensed = condense(tree, n, minClusterSize);
  const result = extract(condensed, n);
  control?.onProgress?.(1, 'HDBSCAN');
  return { ...result, coreDistances: core };
}

/** Minimum spanning tree edges in the order Prim adds them. */
interface Mst {
  from: Int32Array;
  to: Int32Array;
  weight: Float64Array;
}

/**
 * Prim's algorithm on the complete graph of mutual reachability distances, from row 0; the next
 * row is the one closest to the tree (ties to the lowest row). A distance is computed only when
 * max(core(a), core(b)), a lower bound of the mutual reachability, is below the row's current
 * best (kernel: trusts its input). O(n^2) steps, O(n) memory.
 */
function primMst(
  data: Float64Array, isZero: Uint8Array, n: number, d: number, cosine: boolean, core: Float64Array, control: RunControl,
): Mst {
  const from = new Int32Array(Math.max(0, n - 1));
  const to = new Int32Array(Math.max(0, n - 1));
  const weight = new Float64Array(Math.max(0, n - 1));
  const best = new Float64Array(n).fill(Infinity);
  const source = new Int32Array(n).fill(-1);
  // Rows not yet in the tree, kept in increasing order so that ties go to the lowest row.
  const rest = new Int32Array(n);
  let nRest = 0;
  for (let i = 1; i < n; i++) rest[nRest++] = i;
  let current = 0;
  let last = 0;
  for (let e = 0; e < n - 1; e++) {
    if ((e & 63) === 0) {
      throwIfCancelled(control);
      const now = Date.now();
      if (control.onProgress && now - last >= 100) {
        last = now;
        // Work left is quadratic in the rows left.
        control.onProgress(1 - (nRest / n) * (nRest / n), 'spanning tree');
      }
    }
    const cc = core[current];
    const xc = current * d;
    let next = -1;
    let nextAt = -1;
    let nextValue = Infinity;
    for (let r = 0; r < nRest; r++) {
      const j = rest[r];
      const cj = core[j];
      const floor = cc > cj ? cc : cj;
      if (floor < best[j]) {
        let dist: number;
        if (cosine) {
          if (isZero[current] || isZero[j]) {
            dist = 1;
          } else {
            let dot = 0;
            const xj = j * d;
            for (let t = 0; t < d; t++) dot += data[xc + t] * data[xj + t];
            dist = 1 - dot;
            if (dist < 0) dist = 0;
          }
        } else {
          let s = 0;
          const xj = j * d;
          for (let t = 0; t < d; t++) {
            const diff = data[xc + t] - data[xj + t];
            s += diff * diff;
          }
          dist = Math.sqrt(s);
        }
        const mrd = dist > floor ? dist : floor;
        if (mrd < best[j]) {
          best[j] = mrd;
          source[j] = current;
        }
      }
      if (best[j] < nextValue) {
        nextValue = best[j];
        next = j;
        nextAt = r;
      }
    }
    from[e] = source[next];
    to[e] = next;
    weight[e] = nextValue;
    // Remove `next` from `rest`, keeping the order.
    rest.copyWithin(nextAt, nextAt + 1, nRest);
    nRest--;
    current = next;
  }
  return { from, to, weight };
}

/** Single-linkage hierarchy: node n + m merges `left[m]` and `right[m]` at `distance[m]`; `size` of each node. */
interface Hierarchy {
  left: Int32Array;
  right: Int32Array;
  distance: Float64Array;
  /** Rows under node i (1 for a row, i < n). */
  size: Int32Array;
}

/** Merges the spanning tree's edges in increasing weight (ties in the order Prim added them). */
function singleLinkage(mst: Mst, n: number): Hierarchy {
  const m = mst.weight.length;
  const order = Array.from({ length: m }, (_, e) => e).sort((a, b) => mst.weight[a] - mst.weight[b] || a - b);
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const distance = new Float64Array(m);
  const size = new Int32Array(n + m).fill(1);
  const parent = new Int32Array(n + m);
  for (let i = 0; i < n + m; i++) parent[i] = i;
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root];
    while (parent[x] !== root) {
      const up = parent[x];
      parent[x] = root;
      x = up;
    }
    return root;
  };
  for (let s = 0; s < m; s++) {
    const e = order[s];
    const a = find(mst.from[e]);
    const b = find(mst.to[e]);
    const node = n + s;
    left[s] = a;
    right[s] = b;
    distance[s] = mst.weight[e];
    size[node] = size[a] + size[b];
    parent[a] = node;
    parent[b] = node;
  }
  return { left, right, distance, size };
}

/**
 * The condensed tree as parallel arrays of entries: `child` (a row < n, or a cluster id >= n)
 * leaves or is born from cluster `parent` at density `lambda`, with `childSize` rows. Cluster ids
 * are n (the root), n + 1, ... in the order the walk creates them, so a parent's id is below its
 * children's.
 */
interface CondensedTree {
  parent: number[];
  child: number[];
  lambda: number[];
  childSize: number[];
  nClusters: number;
}

function condense(tree: Hierarchy, n: number, minClusterSize: number): CondensedTree {
  const out: CondensedTree = { parent: [], child: [], lambda: [], childSize: [], nClusters: 1 };
  const m = tree.left.length;
  if (m === 0) return out;
  const root = n + m - 1;
  // Cluster id of each hierarchy node that is (part of) a cluster.
  const label = new Int32Array(n + m).fill(-1);
  label[root] = n;
  let nextLabel = n + 1;
  const stack: number[] = [];
  const leave = (node: number, cluster: number, lambda: number): void => {
    // Every row under `node` leaves `cluster` at `lambda`.
    stack.push(node);
    while (stack.length > 0) {
      const v = stack.pop() as number;
      if (v < n) {
        out.parent.push(cluster);
        out.child.push(v);
        out.lambda.push(lambda);
        out.childSize.push(1);
      } else {
        stack.push(tree.right[v - n], tree.left[v - n]);
      }
    }
  };
  // Breadth-first from the root over the nodes that stay clusters. The components just below
  // a node's level are its children, with any child merged at the very same level opened up
  // (exact ties): a level can split a cluster into more than two parts, and the result depends
  // only on the level sets, not on the order in which the tied edges were merged.
  const queue: number[] = [root];
  const parts: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    const cluster = label[node];
    const dist = tree.distance[node - n];
    const lambda = dist > 0 ? 1 / dist : Infinity;
    parts.length = 0;
    stack.push(tree.left[node - n], tree.right[node - n]);
    while (stack.length > 0) {
      const v = stack.pop() as number;
      if (v >= n && tree.distance[v - n] === dist) stack.push(tree.right[v - n], tree.left[v - n]);
      else parts.push(v);
    }
    let nBig = 0;
    for (const v of parts) if (tree.size[v] >= minClusterSize) nBig++;
    for (const v of parts) {
      if (tree.size[v] < minClusterSize) {
        leave(v, cluster, lambda);
      } else if (nBig >= 2) {
        label[v] = nextLabel++;
        out.parent.push(cluster);
        out.child.push(label[v]);
        out.lambda.push(lambda);
        out.childSize.push(tree.size[v]);
        queue.push(v); // an inner node: it has >= minClusterSize >= 2 rows
      } else {
        label[v] = cluster; // the one big part: the cluster goes on as it
        queue.push(v);
      }
    }
  }
  out.nClusters = nextLabel - n;
  return out;
}

/** Stabilities, excess-of-mass selection, labels and membership strengths (kernel). */
function extract(tree: CondensedTree, n: number): Omit<HdbscanResult, 'coreDistances'> {
  const nc = tree.nClusters;
  const birth = new Float64Array(nc); // the root is born at lambda 0
  const parentOf = new Int32Array(nc).fill(-1);
  const entries = tree.parent.length;
  for (let e = 0; e < entries; e++) {
    if (tree.child[e] >= n) {
      birth[tree.child[e] - n] = tree.lambda[e];
      parentOf[tree.child[e] - n] = tree.parent[e] - n;
    }
  }
  const stability = new Float64Array(nc);
  const death = new Float64Array(nc); // highest lambda at which anything leaves the cluster
  for (let e = 0; e < entries; e++) {
    const c = tree.parent[e] - n;
    const l = tree.lambda[e];
    // A row leaving at the level the cluster was born (both infinite for distance 0) adds nothing.
    stability[c] += (l === birth[c] ? 0 : l - birth[c]) * tree.childSize[e];
    if (l > death[c]) death[c] = l;
  }
  // Excess of mass, bottom up: children have larger ids than their parent.
  const selected = new Uint8Array(nc);
  const subtree = Float64Array.from(stability);
  const childSum = new Float64Array(nc);
  for (let c = nc - 1; c >= 1; c--) {
    if (childSum[c] > stability[c]) {
      subtree[c] = childSum[c];
    } else {
      selected[c] = 1;
      subtree[c] = stability[c];
    }
    childSum[parentOf[c]] += subtree[c];
  }
  // Drop every selected cluster below a selected one (top down).
  const keptAbove = new Uint8Array(nc);
  for (let c = 1; c < nc; c++) {
    const p = parentOf[c];
    keptAbove[c] = keptAbove[p] || (p !== 0 && selected[p]) ? 1 : 0;
    if (keptAbove[c]) selected[c] = 0;
  }
  // The kept cluster at or above each cluster (-1: none, the rows are noise).
  const owner = new Int32Array(nc).fill(-1);
  for (let c = 1; c < nc; c++) owner[c] = selected[c] ? c : owner[parentOf[c]];
  const labels = new Int32Array(n).fill(-1);
  const leaveLambda = new Float64Array(n);
  for (let e = 0; e < entries; e++) {
    if (tree.child[e] < n) {
      labels[tree.child[e]] = owner[tree.parent[e] - n];
      leaveLambda[tree.child[e]] = tree.lambda[e];
    }
  }
  // Number the kept clusters by their lowest row.
  const number = new Int32Array(nc).fill(-1);
  let nClusters = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c >= 0 && number[c] < 0) number[c] = nClusters++;
  }
  const probabilities = new Float64Array(n);
  const clusterStability = new Float64Array(nClusters);
  let nNoise = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0) {
      nNoise++;
      continue;
    }
    labels[i] = number[c];
    clusterStability[number[c]] = stability[c];
    const maxLambda = death[c];
    const l = leaveLambda[i];
    probabilities[i] = maxLambda === 0 || !Number.isFinite(l) ? 1 : (l < maxLambda ? l : maxLambda) / maxLambda;
  }
  return { labels, nClusters, nNoise, probabilities, stability: clusterStability };
}
