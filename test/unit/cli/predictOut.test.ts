/**
 * `centroid predict FILE --model M.json --out FILE` writes the rows with their cluster and
 * distance, as `fit --out` does, and never replaces a file without --force.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/cli';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

const DATA = 'x,y,name\n0,0,a\n0,1,b\n1,0,c\n10,10,d\n10,11,e\n11,10,f\n';
// Rows 1 and 3 are near the first blob, row 2 has no y (left out), row 4 near the second blob.
const NEW = 'x,y,name\n0.5,0.5,g\n,3,h\n1,1,i\n9,9,j\n';

let dir: string;
let model: string;
let fresh: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'centroid-predict-'));
  const data = join(dir, 'data.csv');
  writeFileSync(data, DATA);
  fresh = join(dir, 'new.csv');
  writeFileSync(fresh, NEW);
  model = join(dir, 'm.centroid.json');
  const r = run(['fit', data, '--k', '2', '--columns', 'x,y', '--save-model', model, '--out', join(dir, 'fitted.csv')]);
  assert.equal(r.code, 0, r.err);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The cluster of each data row of a labelled CSV ('' for a row left out). */
function clusters(path: string): string[] {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n').map((l) => l.split(','));
  const at = header.indexOf('cluster');
  return rows.map((r) => r[at]);
}

describe('centroid predict --out', () => {
  it('writes the rows with their cluster and distance, as fit --out does', () => {
    const out = join(dir, 'predicted.csv');
    const r = run(['predict', fresh, '--model', model, '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.ok(existsSync(out), 'nothing was written');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'x,y,name,cluster,distance');
    const first = clusters(join(dir, 'fitted.csv'))[0];
    const second = clusters(join(dir, 'fitted.csv'))[3];
    assert.notEqual(first, second);
    assert.deepEqual(clusters(out), [first, '', first, second]);
    // Row 0 is (0.5, 0.5) from the centre (1/3, 1/3): sqrt(2) / 6 away.
    assert.ok(Math.abs(Number(lines[1].split(',')[4]) - Math.SQRT2 / 6) < 1e-12, lines[1]);
    assert.equal(lines[2], ',3,h,,');
  });

  it('refuses an existing file without --force, and replaces it with --force', () => {
    const out = join(dir, 'taken.csv');
    writeFileSync(out, 'mine\n');
    const r = run(['predict', fresh, '--model', model, '--out', out]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `centroid: ${out} already exists; choose another --out name or add --force to replace it`);
    assert.equal(readFileSync(out, 'utf8'), 'mine\n');
    assert.equal(run(['predict', fresh, '--model', model, '--out', out, '--force']).code, 0);
    assert.equal(clusters(out).length, 4);
  });
});
