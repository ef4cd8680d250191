/**
 * Workspace trust as the manifest declares it: limited support, a description saying what
 * works, and the restricted settings (the limits a hostile folder could raise) really exist.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, unknown> } };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as Manifest;

describe('workspace trust in the manifest', () => {
  const trust = manifest.capabilities.untrustedWorkspaces;

  it('is limited, with a description of what works and what is restricted', () => {
    assert.equal(trust.supported, 'limited');
    assert.ok(trust.description, 'a "limited" capability needs a description');
    for (const word of ['panel', 'annotations', 'untrusted', 'centroid.maxFileSizeMB', 'centroid.plot.maxPoints']) {
      assert.ok(trust.description.includes(word), `the description should mention ${word}`);
    }
  });

  it('restricts the size limits, and only settings the extension has', () => {
    const restricted = trust.restrictedConfigurations ?? [];
    assert.ok(restricted.includes('centroid.maxFileSizeMB'));
    assert.ok(restricted.includes('centroid.plot.maxPoints'));
    for (const key of restricted) assert.ok(key in manifest.contributes.configuration.properties, `${key} is not a setting`);
  });
});
