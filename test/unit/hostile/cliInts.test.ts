/**
 * Whole numbers on the command line (issue 18): `--k 0x3` was read as 3 (Number() reads hex,
 * exponents, "3.0" and padded text), and k = 1001 was accepted though k goes from 1 to 1000
 * (MAX_K) everywhere else. Only plain decimal digits are whole numbers, and k is 1..MAX_K.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MAX_K } from '../../../src/protocol/messages';
import { cli, fuzzRuns, fuzzSeed, scratch } from './helpers';

describe('CLI whole numbers', () => {
  let dir: string;
  let remove: () => void;
  let file: string;
  before(() => {
    ({ dir, remove } = scratch('ints'));
    file = join(dir, 'd.csv');
    writeFileSync(file, `a,b\n${Array.from({ length: 12 }, (_, i) => `${i},${(i * 5) % 7}`).join('\n')}\n`);
  });
  after(() => remove());

  const kRefused = (k: string): void => {
    const r = cli(['fit', file, `--k=${k}`, '--json']);
    assert.equal(r.code, 2, `--k=${k} was accepted`);
    assert.deepEqual(r.err, [`centroid: ${file}: --k should be a whole number from 1 to ${MAX_K}, not "${k}" (see centroid --help)`]);
  };

  it('hex, exponents, fractions, padding and k above MAX_K are refused with the rule', () => {
    for (const k of ['0x3', '0X3', '0b11', '0o3', '1e1', '3.0', ' 3', '3 ', '', 'Infinity', '1001', '1000000']) kRefused(k);
    for (const k of ['3', '+3', '003']) assert.equal(cli(['fit', file, `--k=${k}`, '--json']).code, 0, `--k=${k}`);
    assert.match(cli(['sweep', file, '--k', '2..1001', '--json']).err[0], /the range 2\.\.1001 goes above k = 1000/);
    assert.match(cli(['fit', file, '--k', '2', '--seed', '0x10', '--json']).err[0], /--seed should be a whole number from -2147483648 to 4294967295, not "0x10"/);
  });

  it('any text that Number() reads as a whole number but is not plain digits is refused (fast-check)', () => {
    const tricky = fc.oneof(
      fc.integer({ min: 1, max: 15 }).map((x) => `0x${x.toString(16)}`),
      fc.integer({ min: 1, max: 9 }).map((x) => `${x}e0`),
      fc.integer({ min: 1, max: 9 }).map((x) => `${x}.0`),
      fc.integer({ min: 1, max: 9 }).map((x) => ` ${x}\t`),
      fc.integer({ min: MAX_K + 1, max: 1e9 }).map(String),
    );
    fc.assert(fc.property(tricky, (k) => kRefused(k)), { seed: fuzzSeed(51), numRuns: fuzzRuns(20) });
  });
});
