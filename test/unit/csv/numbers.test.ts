import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMissing, NA_TOKENS, parseNumber, parseNumberRange, scanNumber, scanPlainNumber, scanState } from '../../../src/csv/numbers';

// The grammar of a plain number, written independently of the scanner: the reference
// for which cells must be accepted. Its value must then be exactly Number(cell).
const PLAIN = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

describe('parseNumber', () => {
  it('accepts plain decimal numbers with the value Number() gives', () => {
    for (const cell of ['0', '1e3', '-0', '+1.5', ' 2 ', '\t7\t', '.5', '5.', '-.25', '1E-3', '6.02214076e23', '00012', '1.7976931348623157e308',
      '4.9e-324', '0.1', '123456789012345678901234567890', '-1.25e2', '3.5']) {
      const v = parseNumber(cell);
      assert.ok(Object.is(v, Number(cell)), `${JSON.stringify(cell)} -> ${v}, Number gives ${Number(cell)}`);
    }
    assert.ok(Object.is(parseNumber('-0'), -0), '-0 keeps its sign');
  });

  it('rejects what is not a finite plain number', () => {
    for (const cell of ['', '   ', '1,000', '0x10', 'Infinity', '-Infinity', 'NaN', '1e309', '-1e309', '1_000', 'e3', '1e', '1e+', '.', '-', '+-1',
      '1.2.3', '1 2', '٣', '１', 'abc', '0b1', '1f', '--1', '2024-01-01', 'null']) {
      assert.ok(Number.isNaN(parseNumber(cell)), `${JSON.stringify(cell)} should not parse`);
    }
  });

  it('agrees with Number() on random decimal strings (1000 cases)', () => {
    const digits = fc.stringMatching(/^[0-9]{0,25}$/);
    const cell = fc.tuple(fc.constantFrom('', '-', '+'), digits, fc.boolean(), digits, fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 400 })), { nil: undefined }))
      .map(([sign, a, dot, b, exp]) => `${sign}${a}${dot ? '.' : ''}${dot ? b : ''}${exp ? `${exp[0]}${exp[1]}${exp[2]}` : ''}`);
    fc.assert(fc.property(cell, (s) => {
      const v = parseNumber(s);
      const expected = PLAIN.test(s) && Number.isFinite(Number(s)) ? Number(s) : NaN;
      assert.ok(Object.is(v, expected), `${JSON.stringify(s)}: got ${v}, expected ${expected}`);
    }), { seed: 42, numRuns: 1000 });
  });

  it('gives any double back exactly from its shortest text, and agrees with Number() on other renderings', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      // String(-0) is '0', so -0 is compared by value only.
      const back = parseNumber(String(x));
      assert.ok(Object.is(back, x) || (x === 0 && back === 0), String(x));
      for (const text of [x.toExponential(), x.toExponential(3), x.toPrecision(17), Math.abs(x) < 1e21 ? x.toFixed(6) : '0']) {
        const expected = Number.isFinite(Number(text)) ? Number(text) : NaN; // rounding up can overflow: not finite
        assert.ok(Object.is(parseNumber(text), expected), text);
      }
    }), { seed: 7, numRuns: 1000 });
  });
});

describe('the scanning kernels', () => {
  it('parseNumberRange reads a slice without copying it', () => {
    const text = 'x,12.5, -3 ,oops,';
    assert.equal(parseNumberRange(text, 2, 6), 12.5);
    assert.equal(parseNumberRange(text, 7, 11), -3);
    assert.ok(Number.isNaN(parseNumberRange(text, 12, 16)));
    assert.ok(Number.isNaN(parseNumberRange(text, 17, 17)));
  });

  it('scanNumber stops at the first character that cannot continue the number', () => {
    const text = '1.5e3;42';
    assert.equal(scanNumber(text, 0, text.length), 1500);
    assert.equal(scanState.end, 5);
    assert.equal(scanNumber(text, 6, text.length), 42);
    assert.equal(scanState.end, 8);
    assert.equal(scanNumber('12345', 0, 3), 123, 'the limit bounds the scan');
  });

  it('scanPlainNumber handles short plain numbers and defers the rest', () => {
    for (const s of ['0', '-0', '1.25', '+7', '999999999999999', '.5', '5.', '-0.000123']) {
      const v = scanPlainNumber(`${s},`, 0);
      assert.ok(Object.is(v, Number(s)), s);
      assert.equal(scanState.end, s.length);
    }
    for (const s of ['1e5', '1234567890123456', '-', '.', 'x']) {
      assert.ok(Number.isNaN(scanPlainNumber(`${s},`, 0)), s);
      assert.equal(scanState.end, -1);
    }
  });

  it('scanPlainNumber agrees with Number() on up to 15 digits', () => {
    const cell = fc.tuple(fc.stringMatching(/^[0-9]{1,8}$/), fc.stringMatching(/^[0-9]{0,7}$/), fc.boolean())
      .map(([a, b, neg]) => `${neg ? '-' : ''}${a}${b.length > 0 ? `.${b}` : ''}`);
    fc.assert(fc.property(cell, (s) => {
      assert.ok(Object.is(scanPlainNumber(`${s}\n`, 0), Number(s)), s);
    }), { seed: 3, numRuns: 1000 });
  });
});

describe('isMissing', () => {
  it("treats empty, whitespace and pandas' NA tokens as missing", () => {
    for (const cell of ['', ' ', '\t', '  \t ', 'NA', 'N/A', 'n/a', 'NaN', 'nan', '-nan', '-NaN', 'null', 'NULL', 'None', '#N/A', '#N/A N/A', '#NA',
      '<NA>', '-1.#IND', '1.#QNAN', ' NA ', '\tnull']) {
      assert.equal(isMissing(cell), true, JSON.stringify(cell));
    }
    for (const token of NA_TOKENS) assert.equal(isMissing(token), true, token);
  });

  it('keeps numbers and ordinary text', () => {
    for (const cell of ['0', '1', '-1', '1.5', '-1.5', 'Na', 'NONE', 'none?', 'n', 'NAN', 'nil', 'x', '1.#', '-n', 'banana', '#', '<na>', '12345678901']) {
      assert.equal(isMissing(cell), false, JSON.stringify(cell));
    }
  });
});
