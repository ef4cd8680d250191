import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  adjustedMutualInfoScore, adjustedRandScore, compareCodePoints, contingencyTable, externalMetrics,
  fowlkesMallowsScore, homogeneityCompletenessVMeasure, mutualInfoScore, normalizedMutualInfoScore,
  pairConfusionMatrix, randScore, type AverageMethod,
} from '../../../src/engine/metrics/external';
import { lgamma } from '../../../src/engine/metrics/special';
import { assertClose, readJson, type DatasetJson, type ExternalCase } from './helpers';

const AVERAGES: AverageMethod[] = ['arithmetic', 'geometric', 'min', 'max'];
// README tolerance: 1e-9 relative plus 1e-12 absolute near 0.
const close = (got: number, want: number, what: string): void => assertClose(got, want, 1e-9, 1e-12, what);

function allCases(): { source: string; c: ExternalCase }[] {
  const out: { source: string; c: ExternalCase }[] = [];
  for (const c of readJson<{ cases: ExternalCase[] }>('label_pairs.json').cases) out.push({ source: 'label_pairs', c });
  for (const name of ['iris', 'wine', 'blobs_2d_k4', 'blobs_8d_k5', 'text_counts', 'animals']) {
    for (const c of readJson<DatasetJson>(`${name}.json`).external_metrics ?? []) out.push({ source: name, c });
  }
  return out;
}

describe('external metrics against scikit-learn fixtures', () => {
  for (const { source, c } of allCases()) {
    it(`${source}: ${c.id}`, () => {
      const t = c.labels_true;
      const p = c.labels_pred;
      close(adjustedRandScore(t, p), c.adjusted_rand, 'ARI');
      close(randScore(t, p), c.rand, 'Rand');
      close(mutualInfoScore(t, p), c.mutual_info, 'MI');
      for (const m of AVERAGES) {
        close(adjustedMutualInfoScore(t, p, m), c.adjusted_mutual_info[m], `AMI ${m}`);
        close(normalizedMutualInfoScore(t, p, m), c.normalized_mutual_info[m], `NMI ${m}`);
      }
      const hcv = homogeneityCompletenessVMeasure(t, p);
      close(hcv.homogeneity, c.homogeneity, 'homogeneity');
      close(hcv.completeness, c.completeness, 'completeness');
      close(hcv.vMeasure, c.v_measure, 'V-measure');
      close(homogeneityCompletenessVMeasure(t, p, 0.5).vMeasure, c['v_measure_beta_0.5'], 'V-measure beta 0.5');
      close(fowlkesMallowsScore(t, p), c.fowlkes_mallows, 'Fowlkes-Mallows');
      assert.deepEqual(pairConfusionMatrix(t, p), c.pair_confusion_matrix);
      const ct = contingencyTable(t, p);
      assert.deepEqual(ct.rows, c.contingency.row_labels_true);
      assert.deepEqual(ct.cols, c.contingency.col_labels_pred);
      assert.deepEqual(ct.matrix, c.contingency.matrix);
      const all = externalMetrics(t, p);
      close(all.adjustedRand, c.adjusted_rand, 'bundle ARI');
      close(all.adjustedMutualInfo, c.adjusted_mutual_info.arithmetic, 'bundle AMI');
      close(all.normalizedMutualInfo, c.normalized_mutual_info.arithmetic, 'bundle NMI');
      close(all.homogeneity, c.homogeneity, 'bundle h');
      close(all.completeness, c.completeness, 'bundle c');
      close(all.vMeasure, c.v_measure, 'bundle V');
      close(all.fowlkesMallows, c.fowlkes_mallows, 'bundle FM');
    });
  }
});

describe('external metrics: properties', () => {
  const labelling = fc.integer({ min: 2, max: 60 }).chain((n) => fc.record({
    t: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
    p: fc.array(fc.integer({ min: -1, max: 6 }), { minLength: n, maxLength: n }),
  }));
  const rename = (labels: number[], k: number): string[] => labels.map((l) => `c${(l * 7 + k) % 97}`);

  it('ARI, AMI and NMI are 1 for a permutation of the same clustering', () => {
    fc.assert(fc.property(labelling, fc.integer({ min: 1, max: 50 }), ({ t }, k) => {
      const permuted = rename(t, k);
      assert.equal(adjustedRandScore(t, permuted), 1);
      // With every row its own cluster every permutation gives the same MI, so MI = E[MI] = H
      // and AMI is 0/0 in exact arithmetic: rounding decides (scikit-learn gives 0 or 1 there
      // too), so AMI is checked only when some cluster has two rows.
      const allSingletons = new Set(t).size === t.length;
      for (const m of AVERAGES) {
        if (!allSingletons) assertClose(adjustedMutualInfoScore(t, permuted, m), 1, 1e-12, 1e-12, `AMI ${m}`);
        assertClose(normalizedMutualInfoScore(t, permuted, m), 1, 1e-12, 1e-12, `NMI ${m}`);
      }
    }), { seed: 3, numRuns: 100 });
  });

  it('every metric is unchanged when either side is relabelled', () => {
    fc.assert(fc.property(labelling, fc.integer({ min: 1, max: 50 }), ({ t, p }, k) => {
      const a = externalMetrics(t, p);
      const b = externalMetrics(rename(t, k), rename(p, k + 1));
      for (const key of Object.keys(a) as (keyof typeof a)[]) assertClose(b[key], a[key], 1e-12, 1e-12, key);
      assertClose(randScore(rename(t, k), p), randScore(t, p), 1e-15, 0, 'rand');
    }), { seed: 4, numRuns: 100 });
  });

  it('contingency orders strings by code point, numbers numerically', () => {
    // U+FF21 (fullwidth A) is one UTF-16 unit above U+D83D; the emoji is a surrogate pair
    // whose code point (U+1F600) is larger: code-point order puts it last.
    const ct = contingencyTable(['\u{1F600}', '\uFF21', 'B', 'a'], [10, 9, 100, 9]);
    assert.deepEqual(ct.rows, ['B', 'a', '\uFF21', '\u{1F600}']);
    assert.deepEqual(ct.cols, [9, 10, 100]);
    assert.deepEqual(ct.matrix, [[0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 1, 0]]);
    assert.ok(compareCodePoints('\u{1F600}', '\uFF21') > 0);
  });

  it('rejects mismatched lengths, empty input and NaN labels', () => {
    assert.throws(() => adjustedRandScore([0, 1], [0]), /labels_true has 2 entries and labels_pred 1/);
    assert.throws(() => adjustedRandScore([], []), /empty/);
    assert.throws(() => adjustedRandScore([0, NaN], [0, 1]), /labels_true\[1\]=NaN/);
    assert.throws(() => adjustedMutualInfoScore([0], [0], 'median' as AverageMethod), /average=median should be/);
  });
});

describe('lgamma', () => {
  it('agrees with known values (integers exactly, halves from sqrt(pi))', () => {
    assert.equal(lgamma(1), 0);
    assert.equal(lgamma(2), 0);
    assert.equal(lgamma(5), Math.log(24));
    // Gamma(1/2) = sqrt(pi); Gamma(7/2) = 15 sqrt(pi) / 8.
    assertClose(lgamma(0.5), 0.5 * Math.log(Math.PI), 0, 6e-15, 'lgamma(0.5)');
    assertClose(lgamma(3.5), Math.log(15 / 8) + 0.5 * Math.log(Math.PI), 0, 6e-15, 'lgamma(3.5)');
    // ln(100!) = 363.73937555556347 (from exact big-integer factorial).
    assertClose(lgamma(101), 363.73937555556347, 1e-15, 0, 'lgamma(101)');
    assert.equal(lgamma(0), Infinity);
    assert.ok(Number.isNaN(lgamma(-1)));
  });

  it('satisfies lgamma(x + 1) = lgamma(x) + ln x', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), (x) => {
      assertClose(lgamma(x + 1), lgamma(x) + Math.log(x), 1e-13, 1e-13, `x=${x}`);
    }), { seed: 5, numRuns: 500 });
  });
});
