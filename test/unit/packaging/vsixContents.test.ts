/**
 * What the extension's details page needs from the .vsix: every picture the README links by a
 * relative path (the page resolves them inside the package), and a PNG icon of at least
 * 128x128 named by the manifest. The file list is vsce's own (`vsce ls`, no build needed).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

function packagedFiles(): string[] {
  const out = execFileSync(join(ROOT, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** Relative targets of the README's images: Markdown `![alt](path)` and HTML `<img src="path">`. */
function readmeImages(): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const links = [...text.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...text.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)]
    .map((m) => m[1]);
  return [...new Set(links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l)).map((l) => l.replace(/^\.\//, '').split('#')[0]))];
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
function pngSize(path: string): { width: number; height: number } {
  const buf = readFileSync(path);
  assert.equal(buf.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${path} is not a PNG`);
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('the .vsix for the details page', () => {
  const files = packagedFiles();

  it('holds every picture the README links', () => {
    const images = readmeImages();
    assert.ok(images.length >= 7, `found only ${images.length} images in the README: ${images.join(', ')}`);
    assert.deepEqual(images.filter((i) => !files.includes(i)), [], 'README pictures left out of the .vsix (see .vscodeignore)');
  });

  it('has a PNG icon of at least 128x128 named by the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { icon?: string };
    assert.equal(typeof manifest.icon, 'string', 'package.json names no icon');
    const icon = (manifest.icon as string).replace(/^\.\//, '');
    assert.match(icon, /\.png$/i);
    assert.ok(files.includes(icon), `${icon} is not in the .vsix`);
    const { width, height } = pngSize(join(ROOT, icon));
    assert.ok(width >= 128 && height >= 128, `the icon is ${width}x${height}`);
  });
});
