/**
 * Big generated CSVs for the end-to-end tests (never committed: written into a run's
 * temporary folder). Deterministic: the same arguments give the same bytes.
 */
import * as fs from 'node:fs';
import { Rng } from '../../src/engine/rng';

/**
 * Writes `nRows` rows of five numeric columns (x1..x5) around `nCentres` seeded centres to
 * `file`, in blocks (memory stays small). Returns the file's size in bytes.
 */
export function writeBlobsCsv(file: string, nRows: number, seed = 7, nCentres = 4): number {
  const rng = new Rng(seed);
  const centres = Array.from({ length: nCentres }, () => Array.from({ length: 5 }, () => 200 * rng.random() - 100));
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'x1,x2,x3,x4,x5\n');
    const BLOCK = 20_000;
    for (let start = 0; start < nRows; start += BLOCK) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(nRows, start + BLOCK); i++) {
        const c = centres[i % nCentres];
        const cells = new Array<string>(5);
        for (let t = 0; t < 5; t++) cells[t] = (c[t] + 8 * (rng.random() + rng.random() + rng.random() - 1.5)).toFixed(4);
        lines.push(cells.join(','));
      }
      fs.writeSync(fd, lines.join('\n') + '\n');
    }
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}
