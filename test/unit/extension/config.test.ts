/** Settings: defaults, explicit values, and bad values falling back with a warning that names them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { limitsFromConfig, settingsFromConfig } from '../../../src/extension/config';
import { DEFAULT_SETTINGS } from '../../../src/protocol/messages';

const getter = (values: Record<string, unknown>) => (key: string): unknown => values[key];

describe('settingsFromConfig', () => {
  it('gives the defaults when nothing is set', () => {
    const { settings, warnings } = settingsFromConfig(getter({}));
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.deepEqual(warnings, []);
    assert.equal(settings.k, 3);
  });

  it('reads every setting', () => {
    const { settings, warnings } = settingsFromConfig(getter({
      defaultK: 5, scale: 'standard', seed: 7, init: 'random', nInit: 4, algorithm: 'elkan', metric: 'cosine', missing: 'mean', labelColumn: 'kind',
    }));
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings, {
      ...DEFAULT_SETTINGS, k: 5, scale: 'standard', seed: 7, init: 'random', nInit: 4, algorithm: 'elkan', metric: 'cosine', missing: 'mean',
      label: { mode: 'column', name: 'kind' },
    });
    assert.deepEqual(settingsFromConfig(getter({ labelColumn: 'none' })).settings.label, { mode: 'none' });
    assert.equal(settingsFromConfig(getter({ nInit: '12' })).settings.nInit, 12);
  });

  it('falls back to the default for a bad value and says which setting', () => {
    const { settings, warnings } = settingsFromConfig(getter({ defaultK: 0, scale: 'log', nInit: 'many' }));
    assert.equal(settings.k, 3);
    assert.equal(settings.scale, DEFAULT_SETTINGS.scale);
    assert.equal(settings.nInit, DEFAULT_SETTINGS.nInit);
    assert.deepEqual(warnings, [
      'centroid.nInit="many" should be "auto" or a whole number from 1 to 1000; using the default',
      'centroid.defaultK=0 should be a whole number from 1 to 1000; using the default',
      'centroid.scale="log" should be one of auto, none, standard, minmax; using the default',
    ]);
  });
});

describe('limitsFromConfig', () => {
  it('converts MB to bytes and bounds the plot size', () => {
    assert.deepEqual(limitsFromConfig(getter({})), { maxBytes: 2048 * 1048576, maxPoints: 5000 });
    assert.deepEqual(limitsFromConfig(getter({ maxFileSizeMB: 1.5, 'plot.maxPoints': 300 })), { maxBytes: 1572864, maxPoints: 300 });
    assert.deepEqual(limitsFromConfig(getter({ maxFileSizeMB: -1, 'plot.maxPoints': 5 })), { maxBytes: 2048 * 1048576, maxPoints: 5000 });
  });
});
