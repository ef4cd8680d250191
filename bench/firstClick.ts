/**
 * The "first click" table: on each real data set of test/fixtures/real, what `centroid fit FILE
 * --k K` with no other flag (the extension's "Cluster this CSV") decides and gets, beside
 * scikit-learn 1.2.1's defaults (KMeans n_init=10 and n_init=1, random_state=0) in the same
 * space, from the references make_real.py wrote. Also what the unscaled features would give.
 * Usage: npx tsx bench/firstClick.ts  (prints a Markdown table). Not a test: nothing is asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/cli/cli';

const REAL = join(__dirname, '../test/fixtures/real');
const FILES = ['iris', 'iris_messy', 'wine', 'wine_messy', 'breast_cancer', 'digits', 'blobs_20d'];

interface Fit { inertia: number; ari: number }
interface Reference {
  k: number;
  columns: string[];
  reference: { n_init_10: Fit; n_init_1: Fit; best_of_100: { inertia: number } };
  raw_reference?: { n_init_10: Fit };
}

const rows: string[] = [
  '| data set | k | columns used (of all) | left out, and why | scaling | inertia: ours / sklearn n_init=10 / n_init=1 (ours ÷ n_init=10) | ARI to the classes: ours / n_init=10 / n_init=1 | ARI unscaled, sklearn n_init=10 |',
  '| --- | ---: | --- | --- | --- | --- | --- | --- |',
];
for (const name of FILES) {
  const ref = JSON.parse(readFileSync(join(REAL, `${name}.json`), 'utf8')) as Reference;
  let out = '';
  let err = '';
  const code = main(['fit', join(REAL, `${name}.csv`), '--k', String(ref.k), '--json'], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  if (code !== 0) throw new Error(`${name}: ${err}`);
  const r = JSON.parse(out) as {
    inertia: number; featureNames: string[]; scaling: { kind: string };
    roles: { name: string; role: string; reason: string }[]; metrics: { adjustedRand: number };
  };
  const leftOut = r.roles.filter((c) => c.role !== 'feature');
  const shownOut = leftOut.length > 4
    ? `${leftOut.slice(0, 3).map((c) => `\`${c.name}\` (${c.role})`).join(', ')} and ${leftOut.length - 3} more`
    : leftOut.map((c) => `\`${c.name}\` (${c.role}: ${c.reason})`).join('; ');
  const s10 = ref.reference.n_init_10;
  const s1 = ref.reference.n_init_1;
  const f = (x: number): string => x.toPrecision(7);
  rows.push([
    name, ref.k, `${r.featureNames.length} of ${ref.columns.length}`, shownOut, r.scaling.kind,
    `${f(r.inertia)} / ${f(s10.inertia)} / ${f(s1.inertia)} (${(r.inertia / s10.inertia).toFixed(5)})`,
    `${r.metrics.adjustedRand.toFixed(3)} / ${s10.ari.toFixed(3)} / ${s1.ari.toFixed(3)}`,
    ref.raw_reference ? ref.raw_reference.n_init_10.ari.toFixed(3) : '(not scaled)',
  ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'));
}
console.log(rows.join('\n'));
