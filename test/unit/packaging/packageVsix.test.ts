/**
 * The packaging step of `npm start` (scripts/package-vsix.mjs) on a checkout like a fresh
 * clone: no repository in the manifest or git remote, and a README whose pictures are linked
 * by relative paths.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVsix, VSCE_PACKAGE_OPTIONS } from '../../../scripts/package-vsix.mjs';
import { zipEntries } from '../../e2e/vsix';

const ROOT = join(__dirname, '../../..');

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'centroid-package-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

describe('packageVsix', () => {
  it('packages an extension with no repository whose README links pictures relatively', () => {
    const ext = join(dir, 'ext');
    mkdirSync(join(ext, 'docs/images'), { recursive: true });
    writeFileSync(join(ext, 'package.json'), JSON.stringify({
      name: 'fixture', publisher: 'centroid', version: '0.0.1', engines: { vscode: '^1.90.0' },
    }));
    writeFileSync(join(ext, 'README.md'), '# Fixture\n\n![A picture](docs/images/a.png)\n');
    writeFileSync(join(ext, 'docs/images/a.png'), readFileSync(join(ROOT, 'docs/images/overview.png')));
    const out = join(dir, 'fixture.vsix');
    packageVsix(out, { cwd: ext, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.ok(existsSync(out), 'no .vsix was written');
    const entries = zipEntries(out);
    assert.ok(entries.includes('extension/docs/images/a.png'), entries.join(', '));
    // The README keeps the relative link, which the details page resolves inside the .vsix.
    assert.ok(entries.includes('extension/readme.md'), entries.join(', '));
  });

  it('throws with vsce\'s message when packaging fails', () => {
    const ext = join(dir, 'broken');
    mkdirSync(ext);
    writeFileSync(join(ext, 'package.json'), '{ not json');
    assert.throws(() => packageVsix(join(dir, 'broken.vsix'), { cwd: ext, stdio: ['ignore', 'pipe', 'pipe'] }), /^Error: vsce package failed \(exit 1\)/);
  });

  it('is the command line `npm run package` uses', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(manifest.scripts.package, `vsce package ${VSCE_PACKAGE_OPTIONS.join(' ')}`);
  });
});
