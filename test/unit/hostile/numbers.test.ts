/**
 * Numeric edge cases (issue 9): NaN and Infinity in features, constant columns under
 * standard scaling, k above the number of distinct rows, a single row, identical rows,
 * values near 1e308 and tiny spreads. Expected values are hand-computed (explained next to
 * each case) or scikit-learn's (test/fixtures/degenerate.json); every output is checked
 * for silent NaN and Infinity.
 *
 * The overflow policy under test (src/pipeline/magnitude.ts): values whose squares overflow
 * a double are refused with one clear error naming the column, the row and the remedy
 * (standard scaling), never rescaled silently; spreads that vanish when squared give a
 * warning.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { buildDataset } from '../../../src/csv/dataset';
import { EngineError } from '../../../src/engine/errors';
import { fitTable, runFit } from '../../../src/pipeline/fit';
import { dbscanTable } from '../../../src/pipeline/density';
import { medoidsTable } from '../../../src/pipeline/medoids';
import { modelFromFit, predictTable, partialFitTable } from '../../../src/pipeline/model';
import { sweepTable } from '../../../src/pipeline/sweep';
import type { FitOptions, FitReport } from '../../../src/pipeline/types';
import { assertNoSilentNaN, cli, scratch } from './helpers';

const FIX = join(__dirname, '../../fixtures');

function fit(text: string, options: FitOptions): FitReport {
  const report = runFit(parseCsv(text), options);
  assertNoSilentNaN(report);
  return report;
}

function close(actual: number, expected: number, rel = 1e-12, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

/** Sorted copy of a report's centres, so tests do not depend on cluster numbering. */
function sortedCenters(r: FitReport): number[][] {
  return [...r.clusterCenters].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

function throwsEngine(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof EngineError, `an EngineError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

describe('NaN and Infinity in features', () => {
  // pandas would read Infinity/-Infinity/inf as ±inf and scikit-learn would then refuse the
  // matrix ("Input X contains infinity"); the reader's rule instead is that only finite plain
  // numbers are numbers, so these cells are missing values, named in a warning, and `NaN`
  // (a pandas NA token) is missing as in pandas.
  const text = 'x,y\n0,0\nNaN,5\nInfinity,1\n-Infinity,2\n1e309,3\ninf,4\n2,0\n10,10\n12,10\n';

  it('rows with them are dropped and named; the fit runs on the others', () => {
    const r = fit(text, { k: 2, columns: ['x', 'y'] });
    // Rows kept: (0,0), (2,0), (10,10), (12,10): clusters of two around (1,0) and (11,10),
    // each row 1 away from its centre, so the inertia is 4 x 1 = 4.
    assert.deepEqual(r.labels.map((l) => l === null), [false, true, true, true, true, true, false, false, false]);
    assert.deepEqual(sortedCenters(r), [[1, 0], [11, 10]]);
    assert.equal(r.inertia, 4);
    assert.deepEqual(r.droppedRows, [1, 2, 3, 4, 5]);
    const notNumbers = r.warnings.find((w) => w.startsWith('4 feature cells are not numbers'));
    assert.ok(notNumbers, r.warnings.join(' | '));
    for (const cell of ['"Infinity"', '"-Infinity"', '"1e309"', '"inf"']) assert.ok(notNumbers.includes(cell), `${cell} named`);
    assert.ok(r.warnings.some((w) => w.startsWith('5 rows dropped for missing values (rows 1, 2, 3, 4, 5)')));
  });

  it('with mean imputation they get the column mean (6 = mean of 0, 2, 10, 12)', () => {
    const ds = buildDataset(parseCsv(text), { columns: ['x', 'y'], missing: 'mean' });
    assert.equal(ds.imputed, 5);
    for (let r = 1; r <= 5; r++) assert.equal(ds.X.data[r * 2], 6);
    assertNoSilentNaN(fit(text, { k: 2, columns: ['x', 'y'], missing: 'mean' }));
  });

  it('a column of nothing but them is refused, naming it', () => {
    assert.throws(() => fit('x,y\nInfinity,1\nNaN,2\n', { k: 1, columns: ['x', 'y'] }), /column "x" holds no numbers/);
  });
});

describe('constant columns under standard scaling', () => {
  it('keep scale 1 (scaled to 0) as scikit-learn does, with a warning naming them', () => {
    // b: mean 6, population variance (36 + 16 + 16 + 36) / 4 = 26. Scaled b = (-6, -4, 4, 6)/sqrt(26);
    // clusters {0,1} and {2,3}, each row 1/sqrt(26) from its centre: inertia 4/26.
    const r = fit('a,b\n5,0\n5,2\n5,10\n5,12\n', { k: 2, scale: 'standard' });
    close(r.inertia, 4 / 26, 1e-12, 'inertia');
    const c = sortedCenters(r);
    assert.deepEqual(c.map((row) => row[0]), [5, 5]);
    close(c[0][1], 1, 1e-12, 'centre 0');
    close(c[1][1], 11, 1e-12, 'centre 1');
    assert.ok(r.warnings.some((w) => /^column "a" is constant and kept scale 1 under standard scaling/.test(w)), r.warnings.join(' | '));
  });

  it('all columns constant: every row is the same point, inertia 0, and k=2 warns', () => {
    const text = 'a,b\n5,7\n5,7\n5,7\n';
    const one = fit(text, { k: 1, scale: 'standard' });
    assert.deepEqual(one.clusterCenters, [[5, 7]]);
    assert.equal(one.inertia, 0);
    const two = fit(text, { k: 2, scale: 'minmax' });
    assert.equal(two.inertia, 0);
    assert.ok(two.warnings.some((w) => w.startsWith('Number of distinct clusters (1) found smaller than nClusters (2)')), two.warnings.join(' | '));
    assert.ok(two.warnings.some((w) => /columns "a", "b" are constant/.test(w)));
  });

  it('the degenerate fixture: "const" is named and the five points come back in original units', () => {
    const table = parseCsv(readFileSync(join(FIX, 'degenerate.csv'), 'utf8'));
    const r = runFit(table, { k: 5, scale: 'standard', label: 'group', columns: ['a', 'b', 'const'] });
    assertNoSilentNaN(r);
    assert.ok(r.warnings.some((w) => w.startsWith('column "const" is constant')));
    // Each of the 5 distinct points is repeated 12 times: 5 clusters of 12, centred on them.
    assert.deepEqual([...r.counts].sort(), [12, 12, 12, 12, 12]);
    const points = new Set(table.rows.map((row) => `${row[0]},${row[1]}`));
    for (const c of r.clusterCenters) {
      assert.equal(c[2], 3);
      assert.ok([...points].some((p) => {
        const [a, b] = p.split(',').map(Number);
        return Math.abs(c[0] - a) < 1e-12 && Math.abs(c[1] - b) < 1e-12;
      }), `centre ${c} is one of the points`);
    }
    assert.ok(r.inertia < 1e-20);
  });
});

describe('k against the number of rows', () => {
  it('k above the distinct rows: a warning and inertia exactly 0 (exact means)', () => {
    // Two distinct points (integers, so every mean is exact): both become centres.
    const r = fit('a,b\n1,1\n1,1\n1,1\n4,5\n4,5\n', { k: 3 });
    assert.equal(r.inertia, 0);
    assert.equal(r.labels[0], r.labels[1]);
    assert.equal(r.labels[1], r.labels[2]);
    assert.equal(r.labels[3], r.labels[4]);
    assert.notEqual(r.labels[0], r.labels[3]);
    assert.deepEqual([...r.counts].sort(), [0, 2, 3]);
    assert.ok(r.warnings.includes('Number of distinct clusters (2) found smaller than nClusters (3). Possibly due to duplicate points in X.'), r.warnings.join(' | '));
  });

  it('k above the distinct rows on the degenerate fixture (scikit-learn: inertia ~0, 5 non-empty clusters, the same warning)', () => {
    const fx = JSON.parse(readFileSync(join(FIX, 'degenerate.json'), 'utf8')) as { kmeans_explicit: { id: string; sklearn_warnings: string[] }[] };
    const ref = fx.kmeans_explicit.find((c) => c.id === 'degenerate_k7_more_than_distinct');
    assert.ok(ref);
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      const r = runFit(parseCsv(readFileSync(join(FIX, 'degenerate.csv'), 'utf8')), { k: 7, columns: ['a', 'b', 'const'], algorithm });
      assertNoSilentNaN(r);
      assert.ok(r.inertia < 1e-20, `inertia ${r.inertia}`);
      assert.equal(r.counts.filter((c) => c > 0).length, 5);
      // scikit-learn's text with its parameter name in our camelCase.
      assert.ok(r.warnings.includes(ref.sklearn_warnings[0].replace('n_clusters', 'nClusters')), r.warnings.join(' | '));
    }
  });

  it('k above the rows is an error naming the rows there are and the k to choose', () => {
    throwsEngine(() => fit('a,b\n1,1\n4,5\n', { k: 3 }), /^k = 3 is more than the 2 rows of the file; choose k of at most 2$/);
    throwsEngine(() => fit('a,b\n1,1\n,5\n4,5\n', { k: 3 }), /^k = 3 is more than the 2 rows left after 1 row with missing values was dropped; choose k of at most 2, or impute missing values with the column mean to keep every row$/);
  });

  it('a single row with k=1: the row is the centre, inertia 0, metrics undefined (null)', () => {
    for (const scale of ['none', 'standard', 'minmax'] as const) {
      const r = fit('a,b\n-2.5,1e-3\n', { k: 1, scale });
      assert.deepEqual(r.clusterCenters, [[-2.5, 1e-3]], scale);
      assert.equal(r.inertia, 0);
      assert.deepEqual(r.labels, [0]);
      assert.deepEqual(r.distances, [0]);
      assert.deepEqual([r.metrics.silhouette, r.metrics.daviesBouldin, r.metrics.calinskiHarabasz], [null, null, null]);
    }
    const cosine = fit('a,b\n3,4\n', { k: 1, metric: 'cosine' });
    // Spherical centres are unit vectors: (3, 4) / 5.
    assert.deepEqual(cosine.clusterCenters, [[0.6, 0.8]]);
  });

  it('all rows identical: the centre is the row, inertia 0, for every algorithm', () => {
    const text = 'a,b,c\n0.1,-7,1e5\n0.1,-7,1e5\n0.1,-7,1e5\n0.1,-7,1e5\n';
    for (const algorithm of ['lloyd', 'elkan'] as const) {
      for (const k of [1, 2, 4]) {
        const r = fit(text, { k, algorithm, init: k === 4 ? 'random' : 'k-means++' });
        assert.equal(r.inertia, 0);
        assert.ok(r.clusterCenters.some((c) => c[0] === 0.1 && c[1] === -7 && c[2] === 1e5));
        assert.equal(r.warnings.some((w) => w.startsWith('Number of distinct clusters (1)')), k > 1, `k=${k}`);
      }
    }
  });
});

describe('values near 1e308: a clear error, or standard scaling', () => {
  const huge = 'a,b\n1e308,1\n-1e308,2\n1.5e308,3\n-1.7e308,0\n';

  it('without scaling, every verb refuses them naming the column, the row and line, and the remedy', () => {
    const message = /^column "a" holds values as large as 1\.7e\+308 \(row 3, line 5\): their squares overflow a double, so distances cannot be computed; .*standard scaling$/;
    const table = parseCsv(huge);
    for (const metric of ['euclidean', 'cosine'] as const) throwsEngine(() => fitTable(table, { k: 2, metric }), message);
    throwsEngine(() => sweepTable(table, 1, 3, {}), message);
    throwsEngine(() => dbscanTable(table, { eps: 1, minSamples: 1 }), message);
    throwsEngine(() => dbscanTable(table, { eps: 0.5, minSamples: 1, metric: 'cosine' }), message);
  });

  it('a spread whose squared sum overflows is refused too, even with moderate values', () => {
    // |values| <= 1e153 keep the squared norms finite (2e306), but 4 rows x (2e153)^2 = 1.6e307
    // is past the limit of MAX_VALUE / 64 = 2.8e306.
    throwsEngine(() => fit('a\n1e153\n-1e153\n1e153\n-1e153\n', { k: 2 }), /^column "a" spans -1e\+153 to 1e\+153 over 4 rows: the sum of squared distances could overflow a double/);
  });

  it('standard scaling fits them, with every output finite and centres in original units', () => {
    const r = fit(huge, { k: 2, scale: 'standard', columns: ['a'] });
    // Two positive and two negative values: they split by sign, centres are the means.
    assert.equal(r.labels[0], r.labels[2]);
    assert.equal(r.labels[1], r.labels[3]);
    assert.notEqual(r.labels[0], r.labels[1]);
    const c = sortedCenters(r).map((row) => row[0]);
    close(c[0], -1.35e308, 1e-12, 'negative centre');
    close(c[1], 1.25e308, 1e-12, 'positive centre');
    // min-max scaling cannot: max - min overflows, and the error names the column.
    throwsEngine(() => fit(huge, { k: 2, scale: 'minmax' }), /^column "a": max - min = 1\.5e\+308 - -1\.7e\+308 overflows a double/);
  });

  it('a model fitted with standard scaling predicts and updates such rows with finite numbers', () => {
    const table = parseCsv(huge);
    const outcome = fitTable(table, { k: 2, scale: 'standard' });
    const model = modelFromFit(outcome, 'test', null);
    assertNoSilentNaN(model);
    const p = predictTable(table, model);
    assertNoSilentNaN(p);
    assert.deepEqual(p.labels, outcome.report.labels);
    assertNoSilentNaN(partialFitTable(table, { ...model, scaler: model.scaler }));
    // The same model without its scaler sees raw 1e308 values: refused, not NaN.
    const raw = { ...model, scaler: { kind: 'none' as const, offset: [0, 0], scale: [1, 1] } };
    throwsEngine(() => predictTable(table, raw), /holds values as large as/);
    throwsEngine(() => partialFitTable(table, raw), /holds values as large as/);
  });

  it('starting centres near 1e308 are refused as such', () => {
    throwsEngine(() => fit('a\n1\n2\n3\n', { k: 2, init: [[1e308], [1]] }), /^column "a" holds values as large as 1e\+308 \(centre 0\)/);
  });

  it('mean imputation of such a column gives a finite mean', () => {
    // The plain sum 1.5e308 + 1e308 overflows; the mean 1.25e308 does not.
    const ds = buildDataset(parseCsv('a,b\n1.5e308,1\n1e308,2\n,3\n'), { missing: 'mean' });
    close(ds.X.data[4], 1.25e308, 1e-15, 'imputed mean');
    assertNoSilentNaN(fit('a,b\n1.5e308,1\n1e308,2\n,3\n', { k: 2, missing: 'mean', scale: 'standard' }));
  });

  it('k-medoids refuses distances whose sum overflows', () => {
    const table = parseCsv(',x,y,z\nx,0,1e308,1\ny,1e308,0,1\nz,1,1,0\n');
    throwsEngine(() => medoidsTable(table, { k: 1 }), /^the distance 1e\+308 between "x" and "y" is too large: sums of 3 such distances overflow a double/);
  });

  it('distance files: 1e309 is not a number, and shortest paths that would overflow are named as such', () => {
    // As in the CSV reader, a number that overflows to Infinity is not a number.
    throwsEngine(() => medoidsTable(parseCsv(',p,q\np,0,1e309\nq,1e309,0\n'), { k: 1 }), /row 0, column 2 holds "1e309", not a number/);
    // p-q and q-r are 1e308 apart and p-r is missing: its shortest path, 2e308, overflows.
    // Without the bound this read as "not connected by any path".
    const edges = parseCsv('source,target,weight\np,q,1e308\nq,r,1e308\n');
    throwsEngine(() => medoidsTable(edges, { k: 1, missing: 'shortest-path' }),
      /^distances up to 1e\+308 are too large: a shortest path through 3 items could overflow a double/);
  });
});

describe('huge and tiny magnitudes that do fit', () => {
  const iris = readFileSync(join(FIX, 'iris.csv'), 'utf8');
  const table = parseCsv(iris);
  /** The iris table with every feature multiplied by `f` (written as the exact double). */
  function scaled(f: number): ReturnType<typeof parseCsv> {
    return { ...table, rows: table.rows.map((row) => row.map((cell, c) => (c < 4 ? String(Number(cell) * f) : cell))) };
  }

  for (const [name, f] of [['2^300 (about 2e90)', 2 ** 300], ['2^-300 (about 5e-91)', 2 ** -300]] as const) {
    it(`multiplying the data by ${name} multiplies centres by it and inertia by its square, exactly`, () => {
      // A power of two changes only exponents: as long as nothing overflows or underflows,
      // every operation of the fit rounds the same way, so the results scale bit for bit.
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        const base = runFit(table, { k: 3, algorithm, label: 'species' });
        const big = runFit(scaled(f), { k: 3, algorithm, label: 'species' });
        assertNoSilentNaN(big);
        assert.deepEqual(big.labels, base.labels);
        assert.equal(big.nIter, base.nIter);
        assert.deepEqual(big.clusterCenters, base.clusterCenters.map((row) => row.map((x) => x * f)));
        assert.equal(big.inertia, base.inertia * f * f);
        assert.deepEqual(big.distances, base.distances.map((x) => (x === null ? null : x * f)));
        assert.equal(big.metrics.silhouette, base.metrics.silhouette);
        assert.deepEqual(big.warnings, base.warnings);
      }
    });
  }

  it('a spread that vanishes when squared gives a warning naming the column; standard scaling uses it', () => {
    // Column a separates two groups by 1e-200 only: its squared differences (1e-400) are 0.
    const text = 'a,b\n0,0\n1e-200,0\n0,0\n1e-200,0\n';
    const r = fit(text, { k: 2 });
    assert.ok(r.warnings.some((w) => w.startsWith('column "a" (1e-200) spans less than 1e-154')), r.warnings.join(' | '));
    const s = fit(text, { k: 2, scale: 'standard' });
    assert.ok(!s.warnings.some((w) => w.includes('spans less than')));
    assert.equal(s.labels[0], s.labels[2]);
    assert.equal(s.labels[1], s.labels[3]);
    assert.notEqual(s.labels[0], s.labels[1]);
    assert.equal(s.inertia, 0);
  });
});

describe('metrics that overflow', () => {
  it('Calinski-Harabasz over a subnormal within-cluster dispersion is undefined (null) with a reason, not Infinity', () => {
    // Rows 0, 2, 3 form one cluster whose squared spread, (2.4e-162 * 2/3)^2 + ..., is a
    // subnormal number; the between-cluster dispersion is about 0.75, so the ratio overflows.
    // scikit-learn reports inf here; JSON cannot carry it, so it is null and explained.
    const r = fit('a,b\n2.4e-162,0\n0,1\n0,0\n0,0\n', { k: 2, init: [[0, 0], [0, 1]] });
    assert.deepEqual(r.labels, [0, 1, 0, 0]);
    assert.equal(r.metrics.calinskiHarabasz, null);
    assert.equal(r.metrics.daviesBouldin, 0);
    assert.ok(r.warnings.some((w) => w.startsWith('Calinski-Harabasz is Infinity here')), r.warnings.join(' | '));
  });
});

describe('every number in every CLI JSON output is finite or a documented null', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = scratch('numbers')));
  after(() => remove());

  const inputs: Record<string, string> = {
    single: 'a,b\n1,2\n',
    identical: 'a,b\n1,2\n1,2\n1,2\n',
    infinities: 'a,b,c\n1,Infinity,x\n2,NaN,y\n3,1e309,x\n4,5,y\n-0,6,x\n',
    constant: 'a,b,c\n3,0,x\n3,1,y\n3,2,x\n3,3,y\n',
    tiny: 'a,b\n1e-310,5e-320\n2e-310,0\n3e-310,1e-320\n',
    scaledHuge: 'a,b\n1e308,1\n-1e308,2\n1e308,3\n',
  };

  it('fit, sweep, dbscan, metrics, inspect and predict on edge inputs', () => {
    for (const [name, text] of Object.entries(inputs)) {
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, text);
      const model = join(dir, `${name}.model.json`);
      const runs = [
        ['inspect', file],
        ['fit', file, '--k', '1', '--scale', 'standard', '--save-model', model],
        ['fit', file, '--k', '2', '--scale', 'standard', '--metric', 'cosine'],
        ['sweep', file, '--k', '1..3', '--scale', 'minmax'],
        ['dbscan', file, '--eps', '0.5', '--min-samples', '2', '--scale', 'standard'],
        ['metrics', file, '--labels', 'a'],
        ['predict', file, '--model', model],
      ];
      for (const args of runs) {
        const r = cli([...args, '--json']);
        if (r.code === 0) {
          assert.equal(r.out.length, 1, `${name}: ${args.join(' ')}`);
          assertNoSilentNaN(JSON.parse(r.out[0]), `${name} ${args[0]}`);
        } else {
          assert.equal(r.code, 2);
          assert.equal(r.err.length, 1, r.err.join('|'));
          assert.ok(!r.err[0].includes('unexpected error'), `${name} ${args.join(' ')}: ${r.err[0]}`);
        }
      }
    }
  });
});
