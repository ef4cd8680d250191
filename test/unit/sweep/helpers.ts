/** Data for the sweep and k-distance tests: fixtures and seeded synthetic tables. */
import * as fs from 'fs';
import * as path from 'path';
import { parseCsv, type CsvTable } from '../../../src/csv/read';
import { Rng } from '../../../src/engine/rng';

export const FIXTURES = path.join(__dirname, '../../fixtures');

export function fixtureTable(name: string): CsvTable {
  return parseCsv(fs.readFileSync(path.join(FIXTURES, `${name}.csv`), 'utf8'), { header: 'auto' });
}

// Fixture JSON is scikit-learn's output; its shape is described in test/fixtures/README.md.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixtureJson(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

/** A standard normal draw (Box-Muller) from a seeded generator. */
export function gaussian(rng: Rng): number {
  let u = rng.random();
  while (u === 0) u = rng.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.random());
}

/**
 * CSV text of `nBlobs` well separated Gaussian blobs in `dim` dimensions: centre b sits at
 * `spacing * b` on coordinate b mod dim (and `spacing * floor(b / dim)` on the next one), so
 * centres are at least `spacing` apart; every coordinate has standard deviation 1. Columns
 * x0..x{dim-1} and `blob` (the true blob of each row).
 */
export function blobsCsv(seed: number, nBlobs: number, perBlob: number, dim: number, spacing: number): string {
  const rng = new Rng(seed);
  const lines = [[...Array.from({ length: dim }, (_, t) => `x${t}`), 'blob'].join(',')];
  for (let b = 0; b < nBlobs; b++) {
    const centre = new Array<number>(dim).fill(0);
    centre[b % dim] += spacing * (1 + Math.floor(b / dim));
    for (let r = 0; r < perBlob; r++) {
      lines.push([...centre.map((c) => (c + gaussian(rng)).toFixed(6)), String(b)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

export function blobsTable(seed: number, nBlobs: number, perBlob: number, dim: number, spacing: number): CsvTable {
  return parseCsv(blobsCsv(seed, nBlobs, perBlob, dim, spacing), { header: 'auto' });
}
