/**
 * Reading CSV text into records (RFC 4180 as csv-parse reads it): delimiter sniffing,
 * header detection, a UTF-8 byte order mark, any mix of LF / CRLF / CR line ends, quoted
 * fields holding delimiters, doubled quotes and line breaks, blank lines skipped, and for
 * every record the 0-based file line it starts on, so the editor can annotate it.
 *
 * Speed: lines without a double quote are split directly (a plain scan for the delimiter,
 * which is exactly what csv-parse does with such lines; a property test holds the two
 * together). Runs of lines that hold quotes go through csv-parse. So a quote-free file is
 * read at memory speed and a quoted one at csv-parse's speed (about 5 MB/s); both are
 * linear in the size of the text. Pure: no file system; the input is a string.
 *
 * Rules that decide cases (see test/fixtures/README.md, "messy/"):
 * - a blank line is a line of spaces and tabs only, outside quotes; it is no record;
 * - a double quote opens a quoted field only at the start of a field; anywhere else it
 *   is kept as text (csv-parse's `relax_quotes`, pandas does the same);
 * - a quoted field that is never closed is an error (CsvError with its line and column).
 */
import { parse, CsvError as CsvParseError, type Options as CsvParseOptions } from 'csv-parse/sync';
import { isBlankRange, isMissing, parseNumber } from './numbers';
import { countLineEndings, hasBom, lineEndingStyle, sniffDelimiter, type LineEndingCounts, type LineEndings } from './sniff';

/**
 * A CSV problem the reader cannot get past. When the place is known, `line` and `column`
 * are 1-based (the editor's numbering; columns count UTF-16 code units) and the message
 * starts with `line L, column C: `.
 */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  readonly line?: number;
  readonly column?: number;
  constructor(what: string, line?: number, column?: number) {
    super(line === undefined ? what : `line ${line}${column === undefined ? '' : `, column ${column}`}: ${what}`);
    this.line = line;
    this.column = column;
  }
}

/** A parsed CSV file: header, records of strings and where each record sits in the file. */
export interface CsvTable {
  /** The field delimiter used (given or sniffed). */
  delimiter: string;
  /** Column names, or null when the file has no records or the first record is data. */
  header: string[] | null;
  /** Data records (header excluded), quotes removed, BOM stripped, blank lines skipped. */
  rows: string[][];
  /** 0-based file line where each data record starts (for editor annotations). */
  rowLine: Int32Array;
  /** True when the text started with a UTF-8 byte order mark (U+FEFF). */
  hasBom: boolean;
  /** Line-ending style of the whole text, line breaks inside quoted fields included. */
  lineEndings: LineEndings;
  /** Data rows whose field count differs from the header's (or, without a header, from the most common count). */
  raggedRows: number[];
  /** Blank lines skipped (outside quoted fields). */
  blankLines: number;
  /** Findings that do not stop reading: ragged rows, repeated column names, NUL characters, an empty file. */
  warnings: string[];
}

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /** A single character other than `"`, CR and LF. Default: sniffed among , tab ; | ({@link sniffDelimiter}). */
  delimiter?: string;
  /** true: the first record is the header; false: there is none; 'auto' (default): a header unless it is all numbers. */
  header?: boolean | 'auto';
  /**
   * Longest field accepted, in UTF-16 code units (one per byte for ASCII text); a longer one
   * throws CsvError with its line and column. Default: no limit.
   */
  maxFieldBytes?: number;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Lines with quotes are handed to csv-parse in runs of about this many characters. */
const RUN_CHARS = 1 << 20;

/** How many examples a warning lists before saying "and N more". */
const LISTED = 5;

/**
 * Parses CSV text into a {@link CsvTable}.
 *
 * Header detection with `header: 'auto'`: the first record is data when all its non-missing
 * fields are plain numbers (at least one), else it is the header. Empty or blank-only text
 * gives header null, no rows and a warning (no throw).
 *
 * @throws CsvError for invalid options, a quoted field that is never closed (the message
 *   gives the line and column of its opening quote) and a field longer than `maxFieldBytes`.
 * @complexity O(text length): quote-free lines at memory speed, quoted lines through csv-parse.
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const headerMode = options.header ?? 'auto';
  if (headerMode !== true && headerMode !== false && headerMode !== 'auto') {
    throw new CsvError(`header=${JSON.stringify(headerMode)} should be true, false or 'auto'`);
  }
  if (options.delimiter !== undefined) checkDelimiter(options.delimiter);
  const maxField = checkMaxField(options.maxFieldBytes);
  const bom = hasBom(text);
  const start = bom ? 1 : 0;
  text.indexOf('"'); // flattens a concatenated string once, so the scans below run at full speed
  const delimiter = options.delimiter ?? sniffDelimiter(text);
  const counts: LineEndingCounts = { lf: 0, crlf: 0, cr: 0 };
  countLineEndings(text, counts, start);

  const records: string[][] = [];
  const lines = new GrowingInt32();
  const blankLines = scanRecords(text, start, delimiter, maxField, (fields, line) => {
    records.push(fields);
    lines.push(line);
  });

  const warnings: string[] = [];
  const lineEndings = lineEndingStyle(counts);
  if (records.length === 0) {
    warnings.push(text.length - start === 0 ? 'the file is empty' : 'the file holds only blank lines');
    return { delimiter, header: null, rows: [], rowLine: new Int32Array(0), hasBom: bom, lineEndings, raggedRows: [], blankLines, warnings };
  }
  const hasHeader = headerMode === 'auto' ? !isNumericRecord(records[0]) : headerMode;
  const header = hasHeader ? records[0] : null;
  const rows = hasHeader ? records.slice(1) : records;
  const allLines = lines.view();
  const rowLine = hasHeader ? allLines.slice(1) : allLines.slice();
  const width = header !== null ? header.length : modeWidth(rows);
  const raggedRows: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i].length !== width) raggedRows.push(i);

  if (raggedRows.length > 0) {
    const shown = raggedRows.slice(0, LISTED).map((r) => `row ${r} (line ${rowLine[r] + 1}) has ${rows[r].length}`).join(', ');
    const what = header !== null ? `the header's ${width}` : `the usual ${width}`;
    warnings.push(`${raggedRows.length} ${plural(raggedRows.length, 'row has', 'rows have')} a different number of fields than ${what}: `
      + `${shown}${more(raggedRows.length)}; absent fields are missing values, extra fields are ignored`);
  }
  if (header !== null) {
    const first = new Map<string, number>();
    const repeated: string[] = [];
    for (let c = 0; c < header.length; c++) {
      const at = first.get(header[c]);
      if (at === undefined) first.set(header[c], c);
      else repeated.push(`${JSON.stringify(header[c])} (columns ${at + 1} and ${c + 1})`);
    }
    if (repeated.length > 0) {
      warnings.push(`repeated column ${plural(repeated.length, 'name', 'names')}: ${repeated.slice(0, LISTED).join(', ')}${more(repeated.length)}; a name refers to its first column`);
    }
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) warnings.push(`the text holds NUL characters (first at character ${nul + 1}): is this a binary file?`);
  return { delimiter, header, rows, rowLine, hasBom: bom, lineEndings, raggedRows, blankLines, warnings };
}

/**
 * Number of columns a table has: the header's length, or without a header the most common
 * field count of the rows (the smallest on a tie; 0 without rows).
 * @complexity O(rows)
 */
export function tableWidth(table: Pick<CsvTable, 'header' | 'rows'>): number {
  return table.header !== null ? table.header.length : modeWidth(table.rows);
}

/**
 * True when a record reads as data rather than a header: every non-missing field is a
 * plain number and there is at least one.
 */
export function isNumericRecord(fields: readonly string[]): boolean {
  let numbers = 0;
  for (const f of fields) {
    if (isMissing(f)) continue;
    if (Number.isNaN(parseNumber(f))) return false;
    numbers++;
  }
  return numbers > 0;
}

/** Throws CsvError unless `delimiter` is one character other than `"`, CR and LF. */
export function checkDelimiter(delimiter: string): void {
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new CsvError(`delimiter=${JSON.stringify(delimiter)} should be a single character other than a double quote or a line break`);
  }
}

/** Validates maxFieldBytes (a positive integer) and returns it, Infinity when not given. */
export function checkMaxField(maxFieldBytes: number | undefined): number {
  if (maxFieldBytes === undefined) return Infinity;
  if (!Number.isInteger(maxFieldBytes) || maxFieldBytes < 1) {
    throw new CsvError(`maxFieldBytes=${maxFieldBytes} should be a whole number >= 1`);
  }
  return maxFieldBytes;
}

/** Called with each non-blank record and the 0-based line it starts on. */
export type RecordCallback = (fields: string[], line: number) => void;

/**
 * Splits `text` from `start` (a record boundary, on line 0) into records and calls `onRecord`
 * for each non-blank one. Quote-free lines are split directly; runs of lines holding quotes
 * go to csv-parse ({@link parseRun}). Returns the number of blank lines skipped.
 * @throws CsvError as {@link parseCsv}
 * @complexity O(text length)
 */
export function scanRecords(text: string, start: number, delimiter: string, maxField: number, onRecord: RecordCallback): number {
  const n = text.length;
  const ahead = new Lookahead(text);
  let nextDelim = -1;
  let pos = start;
  let line = 0;
  let blank = 0;
  while (pos < n) {
    const end = ahead.lineEnd(pos);
    if (ahead.nextQuote(pos) < end) {
      let runEnd = findRunEnd(text, pos, ahead);
      let run = parseRun(text, pos, runEnd, delimiter, maxField, line, runEnd === n, onRecord);
      if (run === null) {
        // A quote that looked closed was not (a stray quote in an unquoted field): csv-parse
        // reads the rest of the text in one go, as it would have from the start.
        runEnd = n;
        run = parseRun(text, pos, n, delimiter, maxField, line, true, onRecord);
        if (run === null) throw new Error('unreachable: a final run reports an unclosed quote by throwing');
      }
      blank += run.blank;
      line += run.lines;
      pos = skipBreak(text, runEnd);
      continue;
    }
    const fields: string[] = [];
    let f = pos;
    // indexOf finds delimiters faster than a character loop; the next one is cached so a
    // delimiter that never comes (a one-column file) is searched for once, not per line.
    if (nextDelim < pos) nextDelim = indexOrEnd(text, delimiter, pos);
    while (nextDelim < end) {
      if (nextDelim - f > maxField) throw fieldTooLong(nextDelim - f, maxField, line, f - pos);
      fields.push(text.substring(f, nextDelim));
      f = nextDelim + 1;
      nextDelim = indexOrEnd(text, delimiter, f);
    }
    if (fields.length === 0 && isBlankRange(text, pos, end)) {
      // A blank line is no record, however long: its length is not a field's.
      blank++;
    } else {
      if (end - f > maxField) throw fieldTooLong(end - f, maxField, line, f - pos);
      fields.push(text.substring(f, end));
      onRecord(fields, line);
    }
    line++;
    pos = skipBreak(text, end);
  }
  return blank;
}

function indexOrEnd(text: string, what: string, from: number): number {
  const p = text.indexOf(what, from);
  return p < 0 ? text.length : p;
}

/** The position after the line break at `end` (CRLF counts as one), or `end` at the end of the text. */
export function skipBreak(text: string, end: number): number {
  if (end >= text.length) return end;
  return text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
}

/**
 * Cached positions of the next LF, CR and double quote, so that finding each line's end
 * and whether it holds a quote costs O(1) amortised (no rescans, also for CR-only files).
 */
export class Lookahead {
  private nlf = -1;
  private ncr = -1;
  private nq = -1;
  constructor(private readonly text: string) {}
  /** Index of the first CR or LF at or after `pos`, or the text's length. */
  lineEnd(pos: number): number {
    const t = this.text;
    if (this.nlf < pos) {
      const p = t.indexOf('\n', pos);
      this.nlf = p < 0 ? t.length : p;
    }
    if (this.ncr < pos) {
      const p = t.indexOf('\r', pos);
      this.ncr = p < 0 ? t.length : p;
    }
    return this.nlf < this.ncr ? this.nlf : this.ncr;
  }
  /** Index of the first double quote at or after `pos`, or the text's length. */
  nextQuote(pos: number): number {
    if (this.nq < pos) {
      const p = this.text.indexOf('"', pos);
      this.nq = p < 0 ? this.text.length : p;
    }
    return this.nq;
  }
}

/**
 * End of the run of quoted lines that starts at `pos` (a record boundary): the first line
 * break at which the number of quotes seen is even (outside quotes, if no quote is stray)
 * and the next line holds no quote, or after about {@link RUN_CHARS} characters; the
 * text's length when there is none. csv-parse then confirms the guess: a run it cannot
 * close is extended to the end of the text.
 */
export function findRunEnd(text: string, pos: number, ahead: Lookahead): number {
  const n = text.length;
  let i = pos;
  let odd = false;
  for (;;) {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) odd = !odd;
      else if ((c === LF || c === CR) && !odd) break;
      i++;
    }
    if (i >= n || i - pos >= RUN_CHARS) return i;
    const next = skipBreak(text, i);
    if (next >= n || ahead.nextQuote(next) >= ahead.lineEnd(next)) return i;
    i = next;
  }
}

const PARSE_OPTIONS: CsvParseOptions = {
  bom: false,
  quote: '"',
  escape: '"',
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
};

/**
 * Parses `text[start, end)` — whole records, starting on 0-based line `firstLine` — with
 * csv-parse and calls `onRecord` for each non-blank record with its start line.
 * Returns the number of lines the run covers and the blank lines in it; null when csv-parse
 * finds a quoted field still open at `end` and `final` is false (the caller then retries
 * up to the end of the text).
 * @throws CsvError (located) for an unclosed quote when `final`, a field over `maxField`, or
 *   any other csv-parse error.
 */
export function parseRun(
  text: string, start: number, end: number, delimiter: string, maxField: number, firstLine: number,
  final: boolean, onRecord: RecordCallback,
): { lines: number; blank: number } | null {
  const src = text.substring(start, end);
  let line = firstLine;
  let blank = 0;
  // Records are handed on only once the whole run has parsed: a run that is retried must
  // not deliver its first records twice.
  const records: string[][] = [];
  const starts: number[] = [];
  try {
    parse(src, {
      ...PARSE_OPTIONS,
      delimiter,
      on_record: (record: string[]) => {
        const breaks = breaksIn(record);
        if (record.length === 1 && isBlankRange(record[0], 0, record[0].length)) {
          blank += 1 + breaks;
        } else {
          for (let c = 0; c < record.length; c++) {
            if (record[c].length > maxField) {
              const at = locateField(src, offsetOfLine(src, line - firstLine), c, delimiter);
              const { line: l, column } = lineAndColumn(src, at, firstLine);
              throw new CsvError(`a field of ${record[c].length} characters is longer than maxFieldBytes=${maxField}`, l + 1, column);
            }
          }
          records.push(record);
          starts.push(line);
        }
        line += 1 + breaks;
        return null;
      },
    });
  } catch (e) {
    if (e instanceof CsvError) throw e;
    if (e instanceof CsvParseError && e.code === 'CSV_QUOTE_NOT_CLOSED') {
      if (!final) return null;
      const open = unclosedQuote(src, offsetOfLine(src, line - firstLine));
      const at = lineAndColumn(src, open, firstLine);
      throw new CsvError('a quoted field starts here and is never closed (a closing " is missing)', at.line + 1, at.column);
    }
    const what = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new CsvError(`cannot read this record: ${what}`, line + 1, 1);
  }
  for (let r = 0; r < records.length; r++) onRecord(records[r], starts[r]);
  return { lines: countBreaks(src, 0, src.length) + 1, blank };
}

/** Line breaks inside the fields of a record (CRLF counts once). */
function breaksIn(record: string[]): number {
  let breaks = 0;
  for (let c = 0; c < record.length; c++) {
    const f = record[c];
    if (f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) breaks += countBreaks(f, 0, f.length);
  }
  return breaks;
}

/** Line breaks in `text[start, end)` (CRLF counts once). */
function countBreaks(text: string, start: number, end: number): number {
  let breaks = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) breaks++;
    else if (c === CR) {
      breaks++;
      if (i + 1 < end && text.charCodeAt(i + 1) === LF) i++;
    }
  }
  return breaks;
}

/** Offset where the `k`-th line (0-based) of `text` starts. */
function offsetOfLine(text: string, k: number): number {
  let pos = 0;
  for (let seen = 0; seen < k && pos < text.length; seen++) {
    let i = pos;
    while (i < text.length && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    pos = skipBreak(text, i);
  }
  return pos;
}

/** 0-based line (counting from `firstLine`) and 1-based column of offset `at` in `text`. */
function lineAndColumn(text: string, at: number, firstLine: number): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/**
 * Offset of the opening quote of the quoted field that is still open at the end of `text`,
 * reading from `from` (a record start) as RFC 4180 does; `from` when none is found.
 */
function unclosedQuote(text: string, from: number): number {
  let inQuotes = false;
  let opened = from;
  for (let i = from; i < text.length; i++) {
    if (text.charCodeAt(i) !== QUOTE) continue;
    if (!inQuotes) {
      inQuotes = true;
      opened = i;
    } else if (text.charCodeAt(i + 1) === QUOTE) {
      i++;
    } else {
      inQuotes = false;
    }
  }
  return inQuotes ? opened : from;
}

/** Offset where field `k` (0-based) of the record starting at `from` starts (quotes respected). */
function locateField(text: string, from: number, k: number, delimiter: string): number {
  const delim = delimiter.charCodeAt(0);
  let inQuotes = false;
  let field = 0;
  for (let i = from; i < text.length && field < k; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === delim && !inQuotes) {
      field++;
      if (field === k) return i + 1;
    }
  }
  return from;
}

function fieldTooLong(length: number, maxField: number, line: number, column0: number): CsvError {
  return new CsvError(`a field of ${length} characters is longer than maxFieldBytes=${maxField}`, line + 1, column0 + 1);
}

/** The most common field count (smallest on a tie), 0 without rows. */
function modeWidth(rows: readonly string[][]): number {
  const tally = new Map<number, number>();
  for (const r of rows) tally.set(r.length, (tally.get(r.length) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [w, count] of tally) {
    if (count > bestCount || (count === bestCount && w < best)) {
      best = w;
      bestCount = count;
    }
  }
  return best;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function more(total: number): string {
  return total > LISTED ? ` and ${total - LISTED} more` : '';
}

/** An Int32Array that grows by doubling. */
export class GrowingInt32 {
  private data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** The values so far (a view: copy it before pushing more). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
