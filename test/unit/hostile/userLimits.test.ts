/**
 * What users see when they ask for more than their file holds (k above the rows or items,
 * min_samples above the rows, k above the rows with a direction under cosine) and when a CLI
 * option is out of range: one sentence in the settings' own names (k, min_samples, --max-iter),
 * never the engine's parameter names (nSamples, nClusters). Each message is triggered through
 * an entry users reach: the worker's job (the extension), the pipeline or the CLI. The numbers
 * in the expectations are counted by hand from the small files written here.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';
import { parseCsv } from '../../../src/csv/read';
import { EngineError } from '../../../src/engine/errors';
import { HDBSCAN_MAX_ROWS } from '../../../src/engine/hdbscan';
import { hdbscanTable } from '../../../src/pipeline/hdbscan';
import { kDistanceTable } from '../../../src/pipeline/kdistance';
import { medoidsTable } from '../../../src/pipeline/medoids';
import { DEFAULT_DISTANCE_SETTINGS, DEFAULT_SETTINGS, type DistanceSettings, type RunSettings } from '../../../src/protocol/messages';
import { describeFailure, runJob } from '../../../src/worker/job';

// 4 data rows; the last one misses x (dropped by default).
const FIVE = 'x,y,site\n1,2,a\n2,3,b\n5,5,a\n6,7,b\n,1,a\n';
// 3 rows, two of them all zero: one row has a direction.
const ZEROS = 'x,y\n0,0\n0,0\n1,2\n';
// A 3 x 3 distance matrix: 3 items.
const MATRIX = ',a,b,c\na,0,1,2\nb,1,0,3\nc,2,3,0\n';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'centroid-limits-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The error line the CLI prints, without its "centroid: <path>: " prefix and the "(see centroid --help)" tail. */
function cliError(args: string[]): string {
  let err = '';
  const code = main(args, { stdout: () => undefined, stderr: (t) => { err += t; } });
  assert.equal(code, 2, `centroid ${args.join(' ')} should fail with exit code 2: ${err}`);
  // Progress lines come first (mini-batch); the error is the last line.
  const last = err.slice(err.lastIndexOf('centroid: ')).trim();
  const m = /^centroid: .*?\.csv: (.*)$/.exec(last);
  assert.ok(m, last);
  return m[1];
}

/** The message the extension shows for a run of the worker's job on `path`. */
function jobError(path: string, settings: Partial<RunSettings>, distances: Partial<DistanceSettings> = {}): string {
  try {
    runJob({
      type: 'job/start', id: 3, file: path,
      settings: { ...DEFAULT_SETTINGS, ...settings, distances: { ...DEFAULT_DISTANCE_SETTINGS, ...distances } },
      maxBytes: 1e9, maxPoints: 5000, cancelFlag: new SharedArrayBuffer(4),
    }, () => undefined);
  } catch (e) {
    return describeFailure(3, path, e).error;
  }
  throw new Error(`${path} did not fail`);
}

function engineMessage(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof EngineError, String(e));
    return e.message;
  }
  throw new Error('did not fail');
}

describe('k above the rows of the file', () => {
  it('the panel\'s run and the CLI say how many rows there are, why, and the k to choose', () => {
    const path = file('five.csv', FIVE);
    const want = 'k = 9 is more than the 4 rows left after 1 row with missing values was dropped; '
      + 'choose k of at most 4, or impute missing values with the column mean to keep every row';
    assert.equal(jobError(path, { k: 9 }), `five.csv: ${want}`);
    assert.equal(cliError(['fit', path, '--k', '9']), want);
    assert.equal(cliError(['fit', path, '--k', '9', '--missing', 'mean']), 'k = 9 is more than the 5 rows of the file; choose k of at most 5');
  });

  it('mini-batch k-means on the command line counts the usable rows it read', () => {
    const path = file('five.csv', FIVE);
    assert.equal(cliError(['fit', path, '--k', '9', '--minibatch']),
      'k = 9 is more than the 4 usable rows of the file (rows with a missing or non-numeric feature value are left out); choose k of at most 4');
  });

  it('the cosine metric counts only the rows that have a direction', () => {
    const path = file('zeros.csv', ZEROS);
    const want = 'k = 2 is more than the 1 row that has a direction under the cosine metric (2 rows are all zero); '
      + 'choose k of at most 1, or use the euclidean metric';
    assert.equal(jobError(path, { k: 2, metric: 'cosine' }), `zeros.csv: ${want}`);
    assert.equal(cliError(['fit', path, '--k', '2', '--metric', 'cosine']), want);
  });

  it('Choose k (sweep) names the range and the rows', () => {
    const path = file('five.csv', FIVE);
    assert.equal(cliError(['sweep', path, '--k', '2..9', '--missing', 'mean']),
      'the range of k 2..9 goes above the 5 rows of the file; choose k of at most 5');
  });
});

describe('k above the items of a file of distances', () => {
  it('k-medoids, in the panel and the CLI', () => {
    const path = file('distances.csv', MATRIX);
    assert.equal(jobError(path, { k: 12 }), 'distances.csv: k = 12 is more than the 3 items in the file; choose k of at most 3');
    assert.equal(cliError(['medoids', path, '--k', '12']), 'k = 12 is more than the 3 items in the file; choose k of at most 3');
    assert.equal(engineMessage(() => medoidsTable(parseCsv(MATRIX, { header: 'auto' }), { k: 0 })),
      'k = 0 should be a whole number from 1 to 3, the number of items in the file');
  });

  it('k-means on the MDS map of the distances, in the panel', () => {
    const path = file('distances.csv', MATRIX);
    assert.equal(jobError(path, { k: 4 }, { algorithm: 'mds-kmeans' }),
      'distances.csv: k = 4 is more than the 3 items in the file; choose k of at most 3');
  });
});

describe('min_samples above the rows, and HDBSCAN\'s row limit', () => {
  const table = parseCsv(FIVE, { header: 'auto' });
  const tail = 'is more than the 4 rows left after 1 row with missing values was dropped; '
    + 'choose min_samples of at most 4, or impute missing values with the column mean to keep every row';

  it('the k-distance curve, with min_samples given or by default', () => {
    assert.equal(engineMessage(() => kDistanceTable(table, { minSamples: 9, label: 'site' })), `min_samples = 9 ${tail}`);
    assert.equal(engineMessage(() => kDistanceTable(table, { label: 'site' })), `min_samples = 5 (the default) ${tail}`);
    assert.equal(cliError(['dbscan', file('five.csv', FIVE), '--k-distance', '--min-samples', '9']), `min_samples = 9 ${tail}`);
  });

  it('HDBSCAN, where min_samples defaults to min_cluster_size', () => {
    assert.equal(engineMessage(() => hdbscanTable(table, { minSamples: 9, label: 'site' })), `min_samples = 9 ${tail}`);
    assert.equal(engineMessage(() => hdbscanTable(table, { label: 'site' })),
      `min_samples = 5 (taken from min_cluster_size, as none was given) ${tail}`);
    assert.equal(cliError(['dbscan', file('five.csv', FIVE), '--hdbscan']), `min_samples = 5 (taken from min_cluster_size, as none was given) ${tail}`);
  });

  it('HDBSCAN refuses more rows than it can take, naming both counts', () => {
    const n = HDBSCAN_MAX_ROWS + 1;
    const rows = Array.from({ length: n }, (_, i) => `${i % 97},${(i * 7) % 89}`);
    const big = parseCsv(`a,b\n${rows.join('\n')}\n`, { header: 'auto' });
    assert.equal(engineMessage(() => hdbscanTable(big, {})),
      `HDBSCAN takes at most ${HDBSCAN_MAX_ROWS} rows (its time grows with the square of the rows), and the file has ${n} rows to cluster; `
      + 'use DBSCAN, or HDBSCAN on a sample of the rows');
  });
});

describe('CLI options out of range name the option as typed', () => {
  const cases: [string[], string][] = [
    [['fit', '--k', '0'], '--k should be a whole number from 1 to 1000, not "0"'],
    [['fit', '--k', '2', '--max-iter', '0'], '--max-iter should be a whole number >= 1, not "0"'],
    [['fit', '--k', '2', '--tol=-1'], '--tol should be a number >= 0, not "-1"'],
    [['sweep', '--k', '2..3', '--n-seeds', '0'], '--n-seeds should be a whole number from 1 to 100, not "0"'],
    [['dbscan', '--eps', '0', '--min-samples', '2'], '--eps should be a number above 0, not "0"'],
    [['dbscan', '--eps', '1', '--min-samples', '0'], '--min-samples should be a whole number >= 1, not "0"'],
    [['dbscan', '--hdbscan', '--min-cluster-size', '1'], '--min-cluster-size should be a whole number >= 2, not "1"'],
    [['medoids', '--k', '0'], '--k should be a whole number from 1 to 1000, not "0"'],
  ];
  for (const [args, want] of cases) {
    it(`centroid ${args.join(' ')}`, () => {
      const path = file(args[0] === 'medoids' ? 'distances.csv' : 'five.csv', args[0] === 'medoids' ? MATRIX : FIVE);
      assert.equal(cliError([args[0], path, ...args.slice(1)]), `${want} (see centroid --help)`);
    });
  }
});
