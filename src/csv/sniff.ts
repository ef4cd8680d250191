/**
 * Dialect detection for CSV text: the field delimiter, the line-ending style and the
 * UTF-8 byte order mark. Pure and cheap: the delimiter is decided from a bounded sample.
 */

/** The delimiters the sniffer chooses among, in order of preference on a tie. */
export const DELIMITERS: readonly string[] = [',', '\t', ';', '|'];

/** How many characters of the text the delimiter sniffer looks at. */
export const SNIFF_CHARS = 1 << 16;

/** How many non-blank lines the delimiter sniffer looks at. */
const SNIFF_LINES = 64;

export type LineEndings = 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';

/** True when the text starts with U+FEFF (a UTF-8 byte order mark decoded as text). */
export function hasBom(text: string): boolean {
  return text.charCodeAt(0) === 0xfeff;
}

/**
 * The delimiter among `candidates` (default , tab ; |) that splits the first lines of
 * `text` most consistently, in the spirit of Python's `csv.Sniffer`: for each candidate,
 * count its occurrences outside double quotes on each of the first 64 non-blank lines
 * (at most 64 KiB); its score is the share of lines whose count equals the most common
 * non-zero count. Only candidates that occur on the first line compete (it fixes the
 * columns); lines of spaces and tabs only are ignored. The highest score wins; on a tie
 * the earlier candidate. When no candidate occurs at all (a single-column file) the first candidate
 * (comma) is returned.
 *
 * Example: `a;b\n1,5;2,5` gives `;` (one per line on every line) rather than `,`
 * (0 then 2 per line: consistent on half the lines).
 * @complexity O(min(text length, 64 KiB) x candidates)
 */
export function sniffDelimiter(text: string, candidates: readonly string[] = DELIMITERS): string {
  const nc = candidates.length;
  if (nc === 0) throw new RangeError('sniffDelimiter needs at least one candidate');
  const codes = new Int32Array(nc);
  for (let k = 0; k < nc; k++) codes[k] = candidates[k].charCodeAt(0);
  const counts: Int32Array[] = [];
  let current = new Int32Array(nc);
  let lineHasContent = false;
  let inQuotes = false;
  const limit = Math.min(text.length, SNIFF_CHARS);
  let i = hasBom(text) ? 1 : 0;
  for (; i < limit && counts.length < SNIFF_LINES; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      inQuotes = !inQuotes;
      lineHasContent = true;
      continue;
    }
    if (inQuotes) continue;
    if (c === 10 || c === 13) {
      if (lineHasContent) {
        counts.push(current);
        current = new Int32Array(nc);
      }
      lineHasContent = false;
      continue;
    }
    if (c !== 32 && c !== 9) lineHasContent = true;
    for (let k = 0; k < nc; k++) if (c === codes[k]) current[k]++;
  }
  // The last line counts only when the sample holds it entirely.
  if (lineHasContent && i >= text.length && counts.length < SNIFF_LINES) counts.push(current);
  if (counts.length === 0 && lineHasContent) counts.push(current);

  let best = 0;
  let bestScore = -1;
  const tally = new Map<number, number>();
  for (let k = 0; k < nc; k++) {
    // The first line (the header, usually) fixes the columns: a delimiter must occur there.
    if (counts.length === 0 || counts[0][k] === 0) continue;
    tally.clear();
    for (const line of counts) {
      const v = line[k];
      if (v > 0) tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    let mode = 0;
    let modeLines = 0;
    for (const [v, f] of tally) {
      if (f > modeLines || (f === modeLines && v > mode)) {
        mode = v;
        modeLines = f;
      }
    }
    if (mode === 0) continue;
    const score = modeLines / counts.length;
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return candidates[best];
}

/**
 * Running counts of line breaks; feed text pieces with {@link countLineEndings} and read
 * the style with {@link lineEndingStyle}. A piece must not end between `\r` and `\n`.
 */
export interface LineEndingCounts {
  lf: number;
  crlf: number;
  cr: number;
}

/**
 * Adds the line breaks of `text[start, end)` to `counts` (inside quoted fields too: they
 * are line breaks of the file). A `\r` at `end - 1` is counted as a lone CR, so callers
 * never cut a piece between `\r` and `\n`.
 * @complexity O(end - start), via indexOf
 */
export function countLineEndings(text: string, counts: LineEndingCounts, start = 0, end = text.length): void {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  let p = text.indexOf('\n', start);
  while (p >= 0 && p < end) {
    lf++;
    p = text.indexOf('\n', p + 1);
  }
  p = text.indexOf('\r', start);
  while (p >= 0 && p < end) {
    if (p + 1 < end && text.charCodeAt(p + 1) === 10) crlf++;
    else cr++;
    p = text.indexOf('\r', p + 1);
  }
  counts.lf += lf - crlf;
  counts.crlf += crlf;
  counts.cr += cr;
}

/** 'none' without line breaks, 'mixed' when more than one style occurs, else the style. */
export function lineEndingStyle(counts: LineEndingCounts): LineEndings {
  const kinds = (counts.lf > 0 ? 1 : 0) + (counts.crlf > 0 ? 1 : 0) + (counts.cr > 0 ? 1 : 0);
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return counts.crlf > 0 ? 'CRLF' : counts.lf > 0 ? 'LF' : 'CR';
}

/** The line-ending style of a whole text. @complexity O(n) */
export function detectLineEndings(text: string): LineEndings {
  const counts: LineEndingCounts = { lf: 0, crlf: 0, cr: 0 };
  countLineEndings(text, counts);
  return lineEndingStyle(counts);
}
