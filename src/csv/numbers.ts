/**
 * Cell-level number parsing and missing-value tests shared by the table reader, the
 * dataset builder and the streaming numeric reader.
 *
 * A "plain number" is optional ASCII whitespace, an optional sign, decimal digits with an
 * optional decimal point (`12`, `1.5`, `.5`, `5.`), an optional exponent (`e-3`, `E+10`) and
 * optional whitespace, whose value is finite. The result is the correctly rounded double,
 * exactly what `Number()` gives for the same text (pandas' `round_trip` float parser agrees).
 * Not numbers: `1,000`, `0x10`, `1_000`, `Infinity`, `NaN`, `''`, and anything that overflows
 * to infinity such as `1e309`.
 */

/** pandas' default NA strings (`pandas.read_csv` `na_values` defaults, pandas 1.5). */
export const NA_TOKENS: readonly string[] = [
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
];

const NA_SET: ReadonlySet<string> = new Set(NA_TOKENS);
const MAX_TOKEN = NA_TOKENS.reduce((m, t) => Math.max(m, t.length), 0);

/** Powers of ten that are exact doubles (10^0 .. 10^22), for the fast conversion path. */
const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;

/** Largest significand digit count whose integer value is below 2^53 (exact in a double). */
const MAX_FAST_DIGITS = 15;

function isSpace(c: number): boolean {
  // tab, LF, VT, FF, CR, space
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * `end`: the stop position of the last call to {@link scanNumber}; read it right after the
 * call. One shared slot rather than a returned object, so the hot loop allocates nothing.
 */
export const scanState = { end: 0 };

/**
 * Parses a plain number (see the module comment) that starts at `start` and stops at the
 * first character that cannot continue it, at most at `limit`; the stop position is left in
 * `scanState.end`. Leading whitespace is skipped; trailing whitespace stops the scan.
 * Returns NaN when no valid number starts there (`scanState.end` is then unspecified) and NaN when
 * the value is not finite.
 *
 * Kernel: trusts `0 <= start <= limit <= text.length`. Exactness: significands of up to 15
 * digits with a decimal exponent within +-22 are converted as `m * 10^e` or `m / 10^-e`,
 * a single correctly rounded operation on two exact doubles (Clinger's fast path); every
 * other number goes through `Number()` on the validated text.
 *
 * @complexity O(length of the number)
 */
export function scanNumber(text: string, start: number, limit: number): number {
  let i = start;
  while (i < limit && isSpace(text.charCodeAt(i))) i++;
  const numberStart = i;
  let negative = false;
  let c = i < limit ? text.charCodeAt(i) : -1;
  if (c === 45 /* - */) {
    negative = true;
    i++;
  } else if (c === 43 /* + */) {
    i++;
  }
  let mantissa = 0;
  let digits = 0; // digits seen in the significand
  let significant = 0; // digits from the first non-zero one on
  let fraction = 0; // digits after the decimal point
  c = i < limit ? text.charCodeAt(i) : -1;
  while (c >= 48 && c <= 57) {
    if (significant > 0 || c !== 48) {
      significant++;
      if (significant <= MAX_FAST_DIGITS) mantissa = mantissa * 10 + (c - 48);
    }
    digits++;
    i++;
    c = i < limit ? text.charCodeAt(i) : -1;
  }
  if (c === 46 /* . */) {
    i++;
    c = i < limit ? text.charCodeAt(i) : -1;
    while (c >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) {
        significant++;
        if (significant <= MAX_FAST_DIGITS) mantissa = mantissa * 10 + (c - 48);
      }
      digits++;
      fraction++;
      i++;
      c = i < limit ? text.charCodeAt(i) : -1;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  if (c === 101 || c === 69 /* e E */) {
    let j = i + 1;
    let e = j < limit ? text.charCodeAt(j) : -1;
    let expNegative = false;
    if (e === 45 || e === 43) {
      expNegative = e === 45;
      j++;
      e = j < limit ? text.charCodeAt(j) : -1;
    }
    if (!(e >= 48 && e <= 57)) return NaN; // 'e' without digits: not a number
    while (e >= 48 && e <= 57) {
      if (exponent < 100000) exponent = exponent * 10 + (e - 48);
      j++;
      e = j < limit ? text.charCodeAt(j) : -1;
    }
    if (expNegative) exponent = -exponent;
    i = j;
  }
  scanState.end = i;
  if (significant === 0) return negative ? -0 : 0;
  if (significant <= MAX_FAST_DIGITS) {
    const e10 = exponent - fraction;
    if (e10 >= 0 && e10 <= 22) {
      const v = mantissa * POW10[e10];
      return negative ? -v : v;
    }
    if (e10 < 0 && e10 >= -22) {
      const v = mantissa / POW10[-e10];
      return negative ? -v : v;
    }
  }
  const v = Number(text.substring(numberStart, i));
  return Number.isFinite(v) ? v : NaN;
}

/**
 * The common case of {@link scanNumber}, about three times faster: an optional sign, then
 * at most 15 digits with an optional decimal point, no exponent and no whitespace. Returns
 * the value and sets `scanState.end` to the first character after it; returns NaN and sets
 * `scanState.end = -1` for anything else (the caller then uses scanNumber).
 *
 * Kernel: reads until the first character that cannot continue the number, without a
 * limit, so the caller must know the field ends with a character that is not a digit,
 * `.`, `e` or `E` (a delimiter other than those, a line break or the end of the text).
 * Exact: the significand is below 10^15 < 2^53 and is divided once by an exact power of
 * ten, a single correctly rounded operation.
 */
export function scanPlainNumber(text: string, start: number): number {
  let i = start;
  let c = text.charCodeAt(i);
  let negative = false;
  if (c === 45) {
    negative = true;
    c = text.charCodeAt(++i);
  } else if (c === 43) {
    c = text.charCodeAt(++i);
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      fraction++;
      c = text.charCodeAt(++i);
    }
  }
  if (digits === 0 || digits > MAX_FAST_DIGITS || c === 101 || c === 69) {
    scanState.end = -1;
    return NaN;
  }
  scanState.end = i;
  const v = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  return negative ? -v : v;
}

/**
 * Parses `text[start, end)` as a plain number, allowing whitespace around it.
 * Kernel: trusts `0 <= start <= end <= text.length`.
 * @returns the value, or NaN when the range is not exactly one finite plain number.
 */
export function parseNumberRange(text: string, start: number, end: number): number {
  const v = scanNumber(text, start, end);
  if (v !== v) return NaN;
  let i = scanState.end;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i === end ? v : NaN;
}

/**
 * The number in a CSV cell, or NaN when the cell is not a finite plain number.
 * Accepts `'1e3'`, `'-0'` (gives -0), `'+1.5'`, `' 2 '`, `'.5'`, `'5.'`; rejects `'1,000'`,
 * `'0x10'`, `''`, `'Infinity'`, `'NaN'` and `'1e309'` (overflow). Values are the correctly
 * rounded doubles, identical to `Number(cell)` wherever the cell is accepted.
 * @complexity O(cell length)
 */
export function parseNumber(cell: string): number {
  return parseNumberRange(cell, 0, cell.length);
}

/** True when `text[start, end)` holds only whitespace (or nothing). Kernel: trusts its range. */
export function isBlankRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/**
 * True when a cell counts as a missing value: empty, whitespace-only, or one of pandas'
 * default NA strings ({@link NA_TOKENS}: `NA`, `N/A`, `n/a`, `NaN`, `nan`, `-nan`, `null`,
 * `NULL`, `None`, `#N/A`, `<NA>`, ...), compared after trimming surrounding whitespace.
 * Case matters as in pandas: `Na` and `NONE` are text.
 * @complexity O(cell length)
 */
export function isMissing(cell: string): boolean {
  const n = cell.length;
  if (n === 0) return true;
  const first = cell.charCodeAt(0);
  if (isSpace(first) || isSpace(cell.charCodeAt(n - 1))) {
    const t = cell.trim();
    return t.length === 0 || NA_SET.has(t);
  }
  if (n > MAX_TOKEN) return false;
  // Every token starts with # < N n - or 1; the ones starting with - or 1 hold '#' or 'a',
  // which no number does. This keeps the common case (a number) away from the set lookup.
  if (first === 35 || first === 60 || first === 78 || first === 110) return NA_SET.has(cell);
  if (first === 45 || first === 49) return (cell.indexOf('#') >= 0 || cell.indexOf('a') >= 0) && NA_SET.has(cell);
  return false;
}
