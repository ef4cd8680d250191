/**
 * The manifest's defaults are the code's: a fresh install (every setting at the default
 * package.json declares) runs with exactly DEFAULT_SETTINGS, the settings the CLI uses too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsFromConfig } from '../../../src/extension/config';
import { DEFAULT_SETTINGS } from '../../../src/protocol/messages';

interface Property { default?: unknown; enum?: unknown[] }
const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;
const declared = (key: string): unknown => properties[`centroid.${key}`]?.default;

describe('manifest defaults', () => {
  it('the settings at the manifest defaults are DEFAULT_SETTINGS, without a warning', () => {
    const { settings, warnings } = settingsFromConfig(declared);
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings, DEFAULT_SETTINGS);
  });

  it('no setting at all gives the same settings', () => {
    assert.deepEqual(settingsFromConfig(() => undefined).settings, DEFAULT_SETTINGS);
  });

  it('every run setting with a manifest entry has the default of the code', () => {
    const pairs: [string, unknown][] = [
      ['defaultK', DEFAULT_SETTINGS.k], ['scale', DEFAULT_SETTINGS.scale], ['seed', DEFAULT_SETTINGS.seed],
      ['init', DEFAULT_SETTINGS.init], ['nInit', DEFAULT_SETTINGS.nInit], ['algorithm', DEFAULT_SETTINGS.algorithm],
      ['metric', DEFAULT_SETTINGS.metric], ['missing', DEFAULT_SETTINGS.missing], ['labelColumn', DEFAULT_SETTINGS.label.mode],
    ];
    for (const [key, value] of pairs) assert.equal(declared(key), value, `centroid.${key}`);
  });

  it('the scale choices of the manifest are the protocol\'s', async () => {
    const { SCALES } = await import('../../../src/protocol/messages');
    assert.deepEqual(properties['centroid.scale'].enum, [...SCALES]);
  });
});
