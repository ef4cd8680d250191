/**
 * Packages the extension as users get it: `vsce package` (which runs the manifest's
 * vscode:prepublish, a production build) with no node_modules, since esbuild bundles
 * everything the extension needs, by the command line `npm start` uses
 * (scripts/package-vsix.mjs). Packaged once per test process and shared by the specs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageVsix } from '../../scripts/package-vsix.mjs';

let packaged: string | undefined;

/**
 * The path of a .vsix built from the working tree in this process (about 5 s the first
 * time). The temporary folder holding it is removed when the process exits.
 */
export function packagedVsix(): string {
  if (packaged !== undefined) return packaged;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centroid-vsix-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'centroid.vsix');
  packageVsix(file, { stdio: ['ignore', 'pipe', 'pipe'] });
  packaged = file;
  return file;
}

/**
 * Names of the entries of a zip file (a .vsix is one), read from its central directory.
 * Throws when the file is not a zip. O(size of the central directory).
 */
export function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  // End of central directory record: signature 0x06054b50, at most 64 KiB of comment after it.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
