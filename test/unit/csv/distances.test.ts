import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectDistanceInput, distanceInputFromRecords } from '../../../src/csv/distances';
import { toRows } from '../../../src/engine/matrix';
import { kMedoids } from '../../../src/engine/kmedoids';
import { readCsv, readJson, type DatasetJson } from '../metrics/helpers';

const csv = (text: string): { header: string[]; rows: string[][] } => {
  const lines = text.trim().split('\n').map((l) => l.split(','));
  return { header: lines[0], rows: lines.slice(1) };
};

describe('distance files from the fixtures', () => {
  it('distances_12.csv: a square matrix with ids', () => {
    const { header, rows } = readCsv('distances_12.csv');
    const json = readJson<DatasetJson>('distances_12.json');
    assert.equal(detectDistanceInput(header, rows).kind, 'matrix');
    const input = distanceInputFromRecords(header, rows);
    assert.equal(input.kind, 'matrix');
    assert.deepEqual(input.ids, json.ids);
    assert.deepEqual(toRows(input.D), json.matrix);
    assert.equal(input.similarityConverted, null);
    assert.deepEqual(input.warnings, []);
    assert.equal(input.missingPairs, 0);
  });

  it('edges_10.csv: an edge list, ids in order of first appearance, then k-medoids', () => {
    const { header, rows } = readCsv('edges_10.csv');
    const json = readJson<DatasetJson>('edges_10.json');
    const detected = detectDistanceInput(header, rows);
    assert.equal(detected.kind, 'edges');
    assert.match(detected.reason, /edge list/);
    const input = distanceInputFromRecords(header, rows);
    assert.equal(input.kind, 'edges');
    assert.deepEqual(input.ids, json.node_order_first_appearance);
    assert.deepEqual(toRows(input.D), json.equivalent_matrix);
    assert.equal(input.missingPairs, 0);
    // "weight" does not say distance or similarity: the assumption is stated.
    assert.match(input.warnings.join('\n'), /edge weights in "weight" were read as distances/);
    for (const c of json.kmedoids ?? []) {
      const r = kMedoids(input.D, { nClusters: c.brute_force_pam_optimum.k });
      assert.ok(Math.abs(r.cost - c.brute_force_pam_optimum.optimal_cost) <= 1e-9 * r.cost);
    }
  });

  it('the dataset files are not distance files', () => {
    for (const name of ['iris.csv', 'blobs_2d_k4.csv', 'animals.csv']) {
      const { header, rows } = readCsv(name);
      const d = detectDistanceInput(header, rows);
      assert.equal(d.kind, 'none', name);
      assert.match(d.reason, /not a distance matrix \(.+\) and not an edge list \(.+\)/);
      assert.throws(() => distanceInputFromRecords(header, rows), /holds neither distances nor an edge list/);
    }
  });
});

describe('matrix layouts', () => {
  const full = csv('id,a,b,c\na,0,1,2\nb,1,0,3\nc,2,3,0');
  const want = [[0, 1, 2], [1, 0, 3], [2, 3, 0]];

  it('accepts no corner cell, ids only in the header, and no header at all', () => {
    const noCorner = csv('a,b,c\na,0,1,2\nb,1,0,3\nc,2,3,0');
    const headerOnly = csv('a,b,c\n0,1,2\n1,0,3\n2,3,0');
    for (const [h, r] of [[full.header, full.rows], [noCorner.header, noCorner.rows], [headerOnly.header, headerOnly.rows],
      [null, [full.header, ...full.rows]]] as [string[] | null, string[][]][]) {
      const input = distanceInputFromRecords(h, r);
      assert.deepEqual(input.ids, ['a', 'b', 'c']);
      assert.deepEqual(toRows(input.D), want);
    }
  });

  it('matches rows to the header by id when the order differs', () => {
    const { header, rows } = csv('id,a,b,c\nc,2,3,0\na,0,1,2\nb,1,0,3');
    const input = distanceInputFromRecords(header, rows);
    assert.deepEqual(toRows(input.D), want);
    assert.match(input.warnings[0], /different order/);
  });

  it('explains why a table is not a matrix', () => {
    const d = detectDistanceInput(['id', 'a', 'b'], [['a', '0', '1'], ['x', '1', '0']]);
    assert.equal(d.kind, 'none');
    assert.match(d.reason, /row 1 has "x", the header has "b" there/);
    // A square numeric table that is not symmetric is ordinary data when it has no id column.
    assert.equal(detectDistanceInput(['p', 'q'], [['1', '5'], ['2', '7']]).kind, 'none');
  });

  it('symmetrises an asymmetric matrix by the mean, saying so', () => {
    const { header, rows } = csv('id,a,b,c\na,0,1,2\nb,3,0,3\nc,2,3,0');
    const input = distanceInputFromRecords(header, rows);
    assert.equal(input.D.data[1], 2); // (1 + 3) / 2
    assert.equal(input.D.data[3], 2);
    assert.match(input.warnings[0], /not symmetric: 1 pairs differ \(most: 2 between "a" and "b"\); each pair was set to the mean/);
  });

  it('takes a value given on one side only', () => {
    const { header, rows } = csv('id,a,b\na,0,\nb,4,0');
    assert.deepEqual(toRows(distanceInputFromRecords(header, rows).D), [[0, 4], [4, 0]]);
  });

  it('rejects negative distances', () => {
    const { header, rows } = csv('id,a,b\na,0,-1\nb,-1,0');
    assert.throws(() => distanceInputFromRecords(header, rows), /the distance between "a" and "b" is -1: distances should be >= 0/);
  });
});

describe('similarities', () => {
  it('detects a diagonal of row maxima and converts with d = max(s) - s', () => {
    const { header, rows } = csv('id,a,b,c\na,1,0.8,0.1\nb,0.8,1,0.3\nc,0.1,0.3,1');
    const input = distanceInputFromRecords(header, rows);
    assert.equal(input.similarityConverted, 'd = max(s) - s, with max(s) = 1');
    // 1 - 0.8 and 1 - 0.1 etc., computed the same way.
    assert.deepEqual(toRows(input.D), [[0, 1 - 0.8, 1 - 0.1], [1 - 0.8, 0, 1 - 0.3], [1 - 0.1, 1 - 0.3, 0]]);
  });

  it('asks when the diagonal is neither zeros nor maxima, and follows an explicit choice', () => {
    const { header, rows } = csv('id,a,b\na,0.5,0.7\nb,0.7,0.2');
    assert.throws(() => distanceInputFromRecords(header, rows),
      { name: 'EngineError', message: /cannot tell whether these are distances or similarities.+say which \(similarity: 'distance' or 'similarity'\)/ });
    const asDistance = distanceInputFromRecords(header, rows, { similarity: 'distance' });
    assert.deepEqual(toRows(asDistance.D), [[0, 0.7], [0.7, 0]]);
    assert.match(asDistance.warnings[0], /2 items had a nonzero distance to themselves; it was set to 0/);
    const asSimilarity = distanceInputFromRecords(header, rows, { similarity: 'similarity' });
    assert.equal(asSimilarity.similarityConverted, 'd = max(s) - s, with max(s) = 0.7');
    assert.deepEqual(toRows(asSimilarity.D), [[0, 0], [0, 0]]);
  });

  it('edge lists: a similarity-sounding weight column asks; an explicit choice converts', () => {
    const { header, rows } = csv('from,to,similarity\nx,y,0.9\ny,z,0.5\nx,z,0.2');
    assert.throws(() => distanceInputFromRecords(header, rows), /"similarity" sounds like similarities.+say which/);
    const input = distanceInputFromRecords(header, rows, { similarity: 'similarity' });
    assert.deepEqual(input.ids, ['x', 'y', 'z']);
    assert.deepEqual(toRows(input.D), [[0, 0.9 - 0.9, 0.9 - 0.2], [0, 0, 0.9 - 0.5], [0.9 - 0.2, 0.9 - 0.5, 0]]);
  });

  it('edge lists: zero self-loops mean distances (no assumption to state)', () => {
    const { header, rows } = csv('a,b,w\nx,x,0\nx,y,2\ny,y,0');
    const input = distanceInputFromRecords(header, rows);
    assert.deepEqual(toRows(input.D), [[0, 2], [2, 0]]);
    assert.deepEqual(input.warnings, []);
  });
});

describe('edge lists', () => {
  it('keeps non-ASCII ids and averages pairs given twice', () => {
    const { header, rows } = csv('von,nach,km\nZürich,東京,9580\nSão Paulo,Zürich,9300\n東京,São Paulo,18500\n東京,Zürich,9600');
    const input = distanceInputFromRecords(header, rows);
    assert.deepEqual(input.ids, ['Zürich', '東京', 'São Paulo']);
    assert.equal(input.D.data[1], 9590);
    assert.match(input.warnings.join('\n'), /1 pairs are given more than once with different weights/);
    assert.ok(!input.warnings.some((w) => /read as distances/.test(w)), '"km" names a distance');
  });

  it('numeric ids need id-like column names (or an explicit layout)', () => {
    const features = csv('x,y,z\n1,2,3\n2,3,1\n1,3,5');
    const d = detectDistanceInput(features.header, features.rows);
    assert.equal(d.kind, 'none');
    assert.match(d.reason, /the first two columns are numbers: this looks like ordinary data/);
    const named = csv('source,target,weight\n1,2,3\n2,3,1\n1,3,5');
    assert.equal(detectDistanceInput(named.header, named.rows).kind, 'edges');
    const forced = distanceInputFromRecords(features.header, features.rows, { kind: 'edges' });
    assert.deepEqual(forced.ids, ['1', '2', '3']);
    assert.deepEqual(toRows(forced.D), [[0, 3, 5], [3, 0, 1], [5, 1, 0]]);
  });

  it('three-column data with a name column is not an edge list', () => {
    const people = csv('name,height,weight\nAna,170,60\nBo,180,80\nCy,165,55');
    assert.match(detectDistanceInput(people.header, people.rows).reason, /the second column holds numbers and the other names/);
    const pairs = csv('left,right,score\nA,B,1\nC,D,2');
    assert.match(detectDistanceInput(pairs.header, pairs.rows).reason, /no id appears in both of the first two columns/);
  });

  it('missing pairs: an error naming how many, or shortest paths on request', () => {
    // Path a - b - c with weights 1 and 2: the pair (a, c) is missing; its shortest path is 3.
    const { header, rows } = csv('source,target,distance\na,b,1\nb,c,2');
    assert.throws(() => distanceInputFromRecords(header, rows),
      { name: 'EngineError', message: '1 of 3 pairs of items have no distance (for example "a" and "c"): give every pair, or choose shortest-path distances' });
    const input = distanceInputFromRecords(header, rows, { missing: 'shortest-path' });
    assert.deepEqual(toRows(input.D), [[0, 1, 3], [1, 0, 2], [3, 2, 0]]);
    assert.equal(input.missingPairs, 1);
    assert.match(input.warnings.join('\n'), /1 of 3 pairs had no distance and were given the length of the shortest path/);
  });

  it('shortest paths keep given pairs and stop on separate groups', () => {
    const { header, rows } = csv('source,target,distance\na,b,1\nb,c,1\na,c,5\nc,d,1');
    const D = toRows(distanceInputFromRecords(header, rows, { missing: 'shortest-path' }).D);
    assert.equal(D[0][2], 5, 'a given distance is kept even when a path is shorter');
    assert.equal(D[0][3], 3, 'a - b - c - d');
    const split = csv('source,target,distance\na,b,1\nc,d,1');
    assert.throws(() => distanceInputFromRecords(split.header, split.rows, { missing: 'shortest-path' }),
      /"a" and "c" are not connected by any path/);
  });

  it('rings of 40 (Floyd-Warshall) and 420 items (Dijkstra) give the ring distance', () => {
    for (const n of [40, 420]) {
      const rows = Array.from({ length: n }, (_, i) => [`n${i}`, `n${(i + 1) % n}`, '1']);
      const input = distanceInputFromRecords(['source', 'target', 'distance'], rows, { missing: 'shortest-path' });
      // Unit weights around a ring: d(i, j) = min(|i - j|, n - |i - j|).
      for (const [i, j] of [[0, 1], [0, n / 2], [3, n - 2], [7, 7 + Math.floor(n / 3)]]) {
        const want = Math.min(Math.abs(i - j), n - Math.abs(i - j));
        assert.equal(input.D.data[i * n + j], want, `n=${n} d(${i},${j})`);
      }
    }
  });
});
