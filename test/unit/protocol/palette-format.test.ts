/** Cluster colours and number formatting shared by the chart, the annotations and the status bar. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterColor, hexToRgb, hslToHex, withAlpha } from '../../../src/protocol/palette';
import { fileTooLargeMessage, formatBytes, formatCount, formatMegabytes, formatNumber } from '../../../src/protocol/format';

describe('palette', () => {
  it('starts with the Tableau 10 colours', () => {
    assert.equal(clusterColor(0), '#4e79a7');
    assert.equal(clusterColor(1), '#f28e2b');
    assert.equal(clusterColor(9), '#bab0ac');
  });

  it('gives 200 distinct #rrggbb colours, the same on every call', () => {
    const seen = new Set<string>();
    for (let j = 0; j < 200; j++) {
      const c = clusterColor(j);
      assert.match(c, /^#[0-9a-f]{6}$/);
      assert.equal(clusterColor(j), c);
      seen.add(c);
    }
    assert.equal(seen.size, 200);
  });

  it('greys out noise and dropped rows', () => {
    assert.equal(clusterColor(-1), '#8c8c8c');
    assert.equal(clusterColor(1.5), '#8c8c8c');
  });

  it('converts HSL like CSS does (hand-checked primaries)', () => {
    assert.equal(hslToHex(0, 1, 0.5), '#ff0000');
    assert.equal(hslToHex(120, 1, 0.25), '#008000');
    assert.equal(hslToHex(240, 1, 0.5), '#0000ff');
    assert.equal(hslToHex(0, 0, 1), '#ffffff');
  });

  it('adds alpha and parses short and long hex', () => {
    assert.equal(withAlpha('#4e79a7', 0.5), 'rgba(78, 121, 167, 0.5)');
    assert.equal(withAlpha('#fff', 2), 'rgba(255, 255, 255, 1)');
    assert.deepEqual(hexToRgb('#0a0B0c'), [10, 11, 12]);
    assert.throws(() => hexToRgb('red'), /colour "red" should be #rrggbb or #rgb/);
  });
});

describe('format', () => {
  it('formats with significant digits and no trailing zeros', () => {
    assert.equal(formatNumber(0.41234), '0.412');
    assert.equal(formatNumber(0.5), '0.5');
    assert.equal(formatNumber(78.85144142614601, 4), '78.85');
    assert.equal(formatNumber(1234.5), '1235');
    assert.equal(formatNumber(-2.25, 2), '-2.3');
    assert.equal(formatNumber(0), '0');
    assert.equal(formatNumber(1e-5), '1e-5');
    assert.equal(formatNumber(123456789, 3), '1.23e8');
    assert.equal(formatNumber(null), '–');
    assert.equal(formatNumber(NaN), '–');
  });

  it('groups counts and names sizes in MB', () => {
    assert.equal(formatCount(1000000), '1,000,000');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(-1234), '-1,234');
    assert.equal(formatMegabytes(2048 * 1048576), '2048 MB');
    assert.equal(formatMegabytes(1.5 * 1048576), '1.5 MB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(3768), '3.68 KB');
    assert.equal(formatBytes(100 * 1048576), '100 MB');
    assert.equal(formatBytes(1.5 * 1073741824), '1.5 GB');
    assert.equal(fileTooLargeMessage('big.csv', 3000 * 1048576, 2048 * 1048576),
      'big.csv is 3000 MB, over the limit of 2048 MB set by the setting centroid.maxFileSizeMB');
  });
});
