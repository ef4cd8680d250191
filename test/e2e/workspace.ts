/**
 * Workspaces for the integration and end-to-end tests: a temporary copy of examples/ plus
 * files the tests write themselves (an unseen CSV, a CSV with no numbers).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../src/engine/rng';

/** The repository's examples/ (not ROOT from harness.ts, which imports this module). */
const EXAMPLES = path.resolve(__dirname, '../../examples');

/** A CSV with only text: clustering it must fail with one clear sentence. */
export const NO_NUMBERS_CSV = 'name,colour,shape\nalpha,red,round\nbeta,blue,square\ngamma,green,round\ndelta,red,square\n';

/**
 * A CSV no fixture or example has: `nRows` readings of three sensors at `sites.length`
 * sites, each site around its own means, plus the site name (a class column). Made from a
 * seeded Rng, so the same arguments give the same file.
 */
export function sensorCsv(seed: number, nRows = 90, sites = ['north', 'harbour', 'ridge']): string {
  const rng = new Rng(seed);
  const centres = sites.map(() => [10 + 20 * rng.random(), 30 + 50 * rng.random(), 990 + 40 * rng.random()]);
  // Box-Muller: roughly normal noise around each site's means.
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.random())) * Math.cos(2 * Math.PI * rng.random());
  const lines = ['temperature_c,humidity_pct,pressure_hpa,site'];
  for (let i = 0; i < nRows; i++) {
    const s = i % sites.length;
    const [t, h, p] = centres[s];
    lines.push(`${(t + 1.5 * normal()).toFixed(2)},${(h + 4 * normal()).toFixed(2)},${(p + 3 * normal()).toFixed(1)},${sites[s]}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Makes a fresh folder named `examples` (so the workbench shows that name, as in the README's
 * pictures) holding a copy of examples/ and `extra` files (name -> content). Remove it with
 * removeWorkspace.
 */
export function makeWorkspace(extra: Record<string, string> = {}): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'centroid-ws-')), 'examples');
  fs.cpSync(EXAMPLES, dir, { recursive: true });
  for (const [name, content] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

/** Removes a folder made by makeWorkspace, with its temporary parent. */
export function removeWorkspace(dir: string): void {
  if (dir !== '') fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}
