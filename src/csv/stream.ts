/**
 * An incremental CSV reader for big numeric files: text arrives in chunks (read from disk
 * by the caller) and comes out as a row-major Float64Array, without ever holding the rows
 * as strings.
 *
 * Fast path: a line without a double quote is scanned once, numbers are parsed straight
 * from the text ({@link scanNumber}: correctly rounded, the same doubles as `Number()`), no
 * substrings are made. Lines with quotes go through csv-parse exactly as {@link parseCsv}
 * reads them, so both readers see the same records, blank lines, line numbers and errors.
 *
 * Usage:
 * ```ts
 * const reader = new NumericCsvStream();
 * for (const chunk of chunks) reader.push(chunk);   // strings, cut anywhere
 * const { header, X, rowLine, numericColumns, warnings } = reader.end();
 * ```
 * Chunks may be cut anywhere, even between CR and LF or inside a quoted field; memory is
 * the matrix plus the unfinished line (or quoted run) at the end of the last chunk.
 */
import type { Matrix } from '../engine/matrix';
import { isBlankRange, isMissing, parseNumberRange, scanNumber, scanPlainNumber, scanState } from './numbers';
import {
  checkDelimiter, checkMaxField, CsvError, findRunEnd, GrowingInt32, isNumericRecord, Lookahead, parseRun, skipBreak,
} from './read';
import { countLineEndings, lineEndingStyle, sniffDelimiter, SNIFF_CHARS, type LineEndingCounts, type LineEndings } from './sniff';

export type { LineEndingCounts } from './sniff';

/** Options of {@link NumericCsvStream}. */
export interface NumericCsvStreamOptions {
  /** As parseCsv: one character; default sniffed from the first 64 KiB. */
  delimiter?: string;
  /** As parseCsv: default 'auto' (a header unless the first record is all numbers). */
  header?: boolean | 'auto';
  /** As parseCsv: longest field accepted, in UTF-16 code units; default no limit. */
  maxFieldBytes?: number;
  /** Rows to allocate room for at first (default 4096); the buffer doubles when full. */
  initialRows?: number;
  /** How many non-numeric cells and ragged rows to list (default 100); all are counted. */
  maxListed?: number;
  /**
   * Memory for the matrix (e.g. a kernel pool's SharedArrayBuffer, so a fit can use the
   * matrix in place). With it, the result's X.data is a view of the reader's buffer, which
   * may be longer than the rows (see reserveRows), instead of an exactly sized copy.
   */
  alloc?: (bytes: number) => ArrayBufferLike;
  /**
   * Reads a later part of a file (see {@link NumericCsvPart}): the text starts at a record
   * boundary after the first record, so it has no header and no byte order mark, and every row
   * is measured against `nColumns` fields. Needs `delimiter`.
   */
  continuation?: { nColumns: number };
}

/**
 * What a reader made with `continuation` read: its rows and their bookkeeping, counted from the
 * start of its part (rows and lines from 0). {@link NumericCsvStream.appendPart} adds it to the
 * reader of the text before it. Plain data (typed arrays and arrays), so it can be posted
 * between threads; X.data may be a view of shared memory.
 */
export interface NumericCsvPart {
  X: Matrix;
  /** 0-based line, within the part, where each row starts. */
  rowLine: Int32Array;
  /** Line breaks in the part (it ends with one, unless it ends the file). */
  lines: number;
  numbers: Int32Array;
  missing: Int32Array;
  nonNumeric: Int32Array;
  /** The first `maxListed` non-numeric cells as [row within the part, column, text]. */
  nonNumericCells: [number, number, string][];
  /** Line within the part of each listed non-numeric cell. */
  nonNumericLines: number[];
  /** The first `maxListed` ragged rows, counted within the part. */
  raggedRows: number[];
  raggedCount: number;
  blankLines: number;
  quotedRecords: number;
  lineEndings: LineEndingCounts;
}

/** What {@link NumericCsvStream.end} returns. Rows and columns are 0-based. */
export interface NumericCsvResult {
  delimiter: string;
  header: string[] | null;
  /** Columns: the header's length, or without a header the first record's field count. */
  nColumns: number;
  /** nRows x nColumns, exactly sized; NaN for a missing or non-numeric cell and for fields absent from short rows. */
  X: Matrix;
  /** 0-based file line where each row starts. */
  rowLine: Int32Array;
  /** Columns with at least one number and at most one non-numeric cell (the inspect rule). */
  numericColumns: number[];
  /** Per column: cells holding a finite number. */
  numbers: Int32Array;
  /** Per column: missing cells (empty, whitespace, NA tokens, absent fields). */
  missing: Int32Array;
  /** Per column: cells that are neither numbers nor missing. */
  nonNumeric: Int32Array;
  /** The first `maxListed` non-numeric cells as [row, column, text], in reading order. */
  nonNumericCells: [number, number, string][];
  /** The first `maxListed` rows whose field count differs from nColumns. */
  raggedRows: number[];
  /** How many rows have a different field count. */
  raggedCount: number;
  /** Blank lines skipped (outside quoted fields). */
  blankLines: number;
  /** Records that went through csv-parse (they held quotes). */
  quotedRecords: number;
  hasBom: boolean;
  lineEndings: LineEndings;
  warnings: string[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * Incremental reader of numeric CSV text; see the module comment.
 * Errors (an unclosed quote, a field over maxFieldBytes) are thrown as CsvError from
 * `push` or `end` with their 1-based line and column.
 * @complexity O(text length) time; O(rows x columns) memory for the matrix.
 */
export class NumericCsvStream {
  private readonly headerMode: boolean | 'auto';
  private readonly maxField: number;
  private readonly maxListed: number;
  private readonly alloc: ((bytes: number) => ArrayBufferLike) | undefined;
  private readonly sniff: boolean;
  private delimiter = ',';
  private delim = 44;
  /** False when the delimiter could be part of a number (a digit, . e E + -): every field then takes the checked path. */
  private fastNumbers = true;

  private started = false;
  private ended = false;
  private head: string[] = [];
  private headLength = 0;
  private bom = false;

  /** Text after the last complete record; `carryOdd` when it holds an odd number of quotes. */
  private carry = '';
  private carryOdd = false;
  /** Once csv-parse could not close a quoted run within a block, the rest of the input is kept here and parsed at the end. */
  private slow: string[] | null = null;
  private line = 0;
  private readonly counts: LineEndingCounts = { lf: 0, crlf: 0, cr: 0 };
  private blank = 0;
  private quoted = 0;

  private seenFirst = false;
  private header: string[] | null = null;
  private nCols = 0;
  private data: Float64Array = new Float64Array(0);
  private capacity: number;
  private nRows = 0;
  /** Rows handed over by takeRows. */
  private taken = 0;
  private readonly lines = new GrowingInt32();
  private numbers = new Int32Array(0);
  private missing = new Int32Array(0);
  private nonNumeric = new Int32Array(0);
  private readonly nonNumericCells: [number, number, string][] = [];
  /** File line of each listed non-numeric cell. */
  private readonly nonNumericLines: number[] = [];
  private readonly raggedRows: number[] = [];
  private raggedCount = 0;

  /** @throws CsvError for an invalid delimiter, header or maxFieldBytes option. */
  constructor(options: NumericCsvStreamOptions = {}) {
    this.headerMode = options.header ?? 'auto';
    if (this.headerMode !== true && this.headerMode !== false && this.headerMode !== 'auto') {
      throw new CsvError(`header=${JSON.stringify(this.headerMode)} should be true, false or 'auto'`);
    }
    this.sniff = options.delimiter === undefined;
    if (options.delimiter !== undefined) {
      checkDelimiter(options.delimiter);
      this.setDelimiter(options.delimiter);
    }
    this.maxField = checkMaxField(options.maxFieldBytes);
    const initialRows = options.initialRows ?? 4096;
    if (!Number.isInteger(initialRows) || initialRows < 1) throw new CsvError(`initialRows=${initialRows} should be a whole number >= 1`);
    this.capacity = initialRows;
    this.maxListed = options.maxListed ?? 100;
    this.alloc = options.alloc;
    if (!Number.isInteger(this.maxListed) || this.maxListed < 0) throw new CsvError(`maxListed=${this.maxListed} should be a whole number >= 0`);
    if (options.continuation !== undefined) {
      const { nColumns } = options.continuation;
      if (options.delimiter === undefined) throw new CsvError('a continuation reader needs the delimiter');
      if (!Number.isInteger(nColumns) || nColumns < 1) throw new CsvError(`nColumns=${nColumns} should be a whole number >= 1`);
      this.started = true;
      this.seenFirst = true;
      this.allocate(nColumns);
    }
  }

  /**
   * Makes room for `rows` rows at once (a caller that knows the file size can estimate
   * them after the first chunk), so the buffer does not double its way there. No-op before
   * the first record or when there is room already.
   */
  reserveRows(rows: number): void {
    if (!this.seenFirst || rows <= this.capacity) return;
    this.grow(Math.ceil(rows));
  }

  /**
   * Moves the rows into `storage` (e.g. a region of a matrix shared with other readers) and
   * writes the next ones there, up to `capacityRows` rows in all; past that the buffer grows
   * into new memory as usual, so nothing beyond `capacityRows` rows of `storage` is ever
   * written. `storage` may already hold the rows (a view of the same memory from the same
   * offset): they are not copied then.
   * @throws Error before the first record, or when `storage` is too small for the rows read.
   */
  useStorage(storage: Float64Array, capacityRows: number): void {
    const d = this.nCols;
    if (!this.seenFirst || d === 0) throw new Error('useStorage needs the first record read');
    if (!Number.isInteger(capacityRows) || capacityRows < this.nRows || capacityRows * d > storage.length) {
      throw new Error(`useStorage: room for ${capacityRows} rows of ${d} in ${storage.length} values does not hold the ${this.nRows} rows read`);
    }
    if (storage.buffer !== this.data.buffer || storage.byteOffset !== this.data.byteOffset) {
      storage.set(this.data.subarray(0, this.nRows * d));
    }
    this.data = storage;
    this.capacity = capacityRows;
  }

  /**
   * True when the text so far ends exactly at a record boundary outside quotes (nothing
   * carried over, no quoted run left open): a reader of the text after it, started with
   * `continuation`, then reads what this reader would.
   */
  atRecordBoundary(): boolean {
    return this.started && this.seenFirst && !this.ended && this.slow === null && this.carry === '' && !this.carryOdd;
  }

  /**
   * The part read by a `continuation` reader, after end(). Its X is a view of the reader's
   * buffer (the storage given to useStorage while the rows fitted there).
   */
  part(): NumericCsvPart {
    if (!this.ended) throw new Error('part() needs end() first');
    const d = this.nCols;
    return {
      X: { data: this.data.subarray(0, this.nRows * d), nRows: this.nRows, nCols: d },
      rowLine: this.lines.view().slice(),
      lines: this.line,
      numbers: this.numbers.slice(),
      missing: this.missing.slice(),
      nonNumeric: this.nonNumeric.slice(),
      nonNumericCells: this.nonNumericCells.slice(),
      nonNumericLines: this.nonNumericLines.slice(),
      raggedRows: this.raggedRows.slice(),
      raggedCount: this.raggedCount,
      blankLines: this.blank,
      quotedRecords: this.quoted,
      lineEndings: { ...this.counts },
    };
  }

  /**
   * Adds the part a `continuation` reader read from the text that follows this reader's, as
   * if this reader had read that text itself: rows, line numbers, counts, listed cells and
   * rows, line endings. The part's rows are copied after this reader's; when they lie in this
   * reader's own buffer (a later region of shared storage) they move down in place, and the
   * rows up to `roomRows` of the buffer may be used for them (the caller knows which regions
   * are free). Call it only when {@link atRecordBoundary} is true.
   * @throws Error when the reader is not at a record boundary or the part has another width.
   * @complexity O(part rows x columns)
   */
  appendPart(part: NumericCsvPart, roomRows = this.capacity): void {
    const d = this.nCols;
    if (!this.atRecordBoundary()) throw new Error('appendPart needs a reader stopped at a record boundary');
    if (part.X.nCols !== d) throw new Error(`appendPart: the part has ${part.X.nCols} columns, not ${d}`);
    const n0 = this.nRows;
    const m = part.X.nRows;
    const src = part.X.data;
    if (n0 + m > this.capacity) {
      if (n0 + m <= roomRows && roomRows * d <= this.data.length) this.capacity = roomRows;
      else this.grow(Math.max(n0 + m, this.capacity * 2));
    }
    const at = (src.byteOffset - this.data.byteOffset) / 8;
    if (src.buffer === this.data.buffer && at >= 0 && at + m * d <= this.data.length) {
      this.data.copyWithin(n0 * d, at, at + m * d);
    } else {
      this.data.set(src.subarray(0, m * d), n0 * d);
    }
    const firstRow = this.taken + n0;
    const line0 = this.line;
    for (let i = 0; i < m; i++) this.lines.push(part.rowLine[i] + line0);
    this.nRows += m;
    for (let c = 0; c < d; c++) {
      this.numbers[c] += part.numbers[c];
      this.missing[c] += part.missing[c];
      this.nonNumeric[c] += part.nonNumeric[c];
    }
    for (let i = 0; i < part.nonNumericCells.length && this.nonNumericCells.length < this.maxListed; i++) {
      const [r, c, text] = part.nonNumericCells[i];
      this.nonNumericCells.push([r + firstRow, c, text]);
      this.nonNumericLines.push(part.nonNumericLines[i] + line0);
    }
    for (let i = 0; i < part.raggedRows.length && this.raggedRows.length < this.maxListed; i++) {
      this.raggedRows.push(part.raggedRows[i] + firstRow);
    }
    this.raggedCount += part.raggedCount;
    this.blank += part.blankLines;
    this.quoted += part.quotedRecords;
    this.line += part.lines;
    this.counts.lf += part.lineEndings.lf;
    this.counts.crlf += part.lineEndings.crlf;
    this.counts.cr += part.lineEndings.cr;
  }

  /** Rows read so far, taken ones included (for progress reports). */
  get rowsRead(): number {
    return this.taken + this.nRows;
  }

  /** The header once the first record is read (null without one, or before). */
  headerNames(): string[] | null {
    return this.header;
  }

  /** Per column so far: cells holding a number, and cells that are neither numbers nor missing. */
  columnCounts(): { numbers: Int32Array; nonNumeric: Int32Array } {
    return { numbers: this.numbers.slice(), nonNumeric: this.nonNumeric.slice() };
  }

  /** The delimiter in use: the given one, or the sniffed one once reading has started. */
  get delimiterInUse(): string {
    return this.delimiter;
  }

  /** Field count of a row: the header's, or the first record's; 0 before the first record. */
  get nColumns(): number {
    return this.nCols;
  }

  /**
   * Hands over the rows read since the last call (for reading a file too big to hold: a
   * streaming caller takes rows after each push, so memory stays one chunk's rows) and forgets
   * them; `firstRow` is the 0-based data row of the first one. Column counts, warnings and
   * `rowsRead` still cover every row; `end()` then returns only the rows not taken.
   */
  takeRows(): { X: Matrix; rowLine: Int32Array; firstRow: number } {
    const n = this.nRows;
    const d = this.nCols;
    const out = { X: { data: this.data.slice(0, n * d), nRows: n, nCols: d }, rowLine: this.lines.view().slice(), firstRow: this.taken };
    this.taken += n;
    this.nRows = 0;
    this.lines.length = 0;
    return out;
  }

  /**
   * Feeds the next piece of text. Without a given delimiter the first 64 KiB are held back
   * until the delimiter is sniffed.
   * @throws CsvError for malformed input found so far; Error after end().
   */
  push(chunk: string): void {
    if (this.ended) throw new Error('NumericCsvStream.push called after end()');
    if (chunk.length === 0) return;
    if (!this.started) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      // Only the sniffer needs to see the start of the text at once.
      if (!this.sniff || this.headLength >= SNIFF_CHARS) this.start();
      return;
    }
    this.feed(chunk);
  }

  /**
   * Finishes reading and returns the matrix and its bookkeeping. Calling it again returns
   * a result for the same rows.
   * @throws CsvError for malformed input (an unclosed quote at the end of the text, ...).
   */
  end(): NumericCsvResult {
    if (!this.started) this.start();
    if (!this.ended) {
      this.ended = true;
      if (this.slow !== null) {
        const rest = this.slow.join('');
        this.slow = null;
        this.finishSlow(rest);
      } else {
        const rest = this.carry;
        this.carry = '';
        this.processBlock(rest, true);
      }
    }
    return this.result();
  }

  private setDelimiter(delimiter: string): void {
    this.delimiter = delimiter;
    this.delim = delimiter.charCodeAt(0);
    this.fastNumbers = !/[0-9.eE+-]/.test(delimiter);
  }

  private start(): void {
    this.started = true;
    let text = this.head.join('');
    this.head = [];
    if (text.charCodeAt(0) === 0xfeff) {
      this.bom = true;
      text = text.slice(1);
    }
    if (this.sniff) this.setDelimiter(sniffDelimiter(text));
    if (text.length > 0) this.feed(text);
  }

  private feed(chunk: string): void {
    if (this.slow !== null) {
      this.slow.push(chunk);
      return;
    }
    const cut = this.findCut(chunk);
    if (cut < 0) {
      this.carry += chunk;
      return;
    }
    const block = this.carry + chunk.substring(0, cut + 1);
    const rest = chunk.substring(cut + 1);
    this.carry = '';
    this.processBlock(block, false);
    const slow = this.slow as string[] | null; // processBlock may have switched to slow mode
    if (slow !== null) slow.push(rest);
    else this.carry = rest;
  }

  /**
   * Index in `chunk` of the last line break outside quotes (counting quotes from the start
   * of the carry), never a CR that ends the chunk (an LF may follow); -1 when there is none.
   * Updates carryOdd to the quote parity of the text after the cut.
   */
  private findCut(chunk: string): number {
    const n = chunk.length;
    if (chunk.indexOf('"') < 0) {
      if (this.carryOdd) return -1;
      let b = lastBreak(chunk, n - 1);
      if (b === n - 1 && chunk.charCodeAt(b) === CR) b = lastBreak(chunk, b - 1);
      return b;
    }
    let odd = this.carryOdd;
    let last = -1;
    let before = -1;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === QUOTE) odd = !odd;
      else if ((c === LF || c === CR) && !odd) {
        before = last;
        last = i;
      }
    }
    this.carryOdd = odd;
    if (last === n - 1 && chunk.charCodeAt(last) === CR) return before;
    return last;
  }

  /**
   * Reads the records of `text` (starting at a record boundary on line `this.line`). When
   * not `final` the text ends with a line break outside quotes.
   */
  private processBlock(text: string, final: boolean): void {
    text.indexOf('"'); // flattens a concatenated string before the scans
    const n = text.length;
    const ahead = new Lookahead(text);
    let pos = 0;
    while (pos < n) {
      const end = ahead.lineEnd(pos);
      if (ahead.nextQuote(pos) < end) {
        let runEnd = findRunEnd(text, pos, ahead);
        let run = parseRun(text, pos, runEnd, this.delimiter, this.maxField, this.line, final && runEnd === n, this.onRecord);
        if (run === null) {
          if (!final) {
            // A stray quote misled the run's end: keep everything from here and let csv-parse
            // read it in one go at the end, as parseCsv would.
            countLineEndings(text, this.counts, 0, pos);
            this.slow = [text.substring(pos)];
            return;
          }
          runEnd = n;
          run = parseRun(text, pos, n, this.delimiter, this.maxField, this.line, true, this.onRecord);
          if (run === null) throw new Error('unreachable: a final run reports an unclosed quote by throwing');
        }
        this.blank += run.blank;
        this.line += run.lines;
        pos = skipBreak(text, runEnd);
        continue;
      }
      const first = pos < end ? text.charCodeAt(pos) : -1;
      // Blank lines start with nothing, a space, a tab, VT or FF (the reader's whitespace).
      if ((first === -1 || first === 32 || first === 9 || first === 11 || first === 12) && this.isBlankLine(text, pos, end)) {
        this.blank++;
      } else if (!this.seenFirst) {
        this.addRecord(splitLine(text, pos, end, this.delim, this.maxField, this.line), this.line);
      } else {
        this.addLine(text, pos, end);
      }
      this.line++;
      pos = skipBreak(text, end);
    }
    countLineEndings(text, this.counts);
  }

  private finishSlow(text: string): void {
    countLineEndings(text, this.counts);
    const run = parseRun(text, 0, text.length, this.delimiter, this.maxField, this.line, true, this.onRecord);
    if (run === null) throw new Error('unreachable: a final run reports an unclosed quote by throwing');
    this.blank += run.blank;
    this.line += run.lines;
  }

  private isBlankLine(text: string, pos: number, end: number): boolean {
    for (let i = pos; i < end; i++) if (text.charCodeAt(i) === this.delim) return false;
    return isBlankRange(text, pos, end);
  }

  /** Records from csv-parse runs. */
  private readonly onRecord = (fields: string[], line: number): void => {
    this.quoted++;
    this.addRecord(fields, line);
  };

  /** A record given as strings: the first one may be the header. */
  private addRecord(fields: string[], line: number): void {
    if (!this.seenFirst) {
      this.seenFirst = true;
      const isHeader = this.headerMode === 'auto' ? !isNumericRecord(fields) : this.headerMode;
      this.allocate(fields.length);
      if (isHeader) {
        this.header = fields;
        return;
      }
    }
    const o = this.newRow(line);
    const d = this.nCols;
    const have = fields.length < d ? fields.length : d;
    for (let c = 0; c < have; c++) {
      const cell = fields[c];
      this.store(o, c, parseNumberRange(cell, 0, cell.length), cell, 0, cell.length);
    }
    for (let c = have; c < d; c++) {
      this.data[o + c] = NaN;
      this.missing[c]++;
    }
    if (fields.length !== d) this.ragged();
  }

  /**
   * Kernel of the fast path: one quote-free line `text[pos, end)`, numbers parsed in place.
   * Trusts that the header question is settled and that the line is not blank.
   */
  private addLine(text: string, pos: number, end: number): void {
    const o = this.newRow(this.line);
    const d = this.nCols;
    const delim = this.delim;
    const data = this.data;
    const numbers = this.numbers;
    const fast = this.fastNumbers;
    const maxField = this.maxField;
    let c = 0;
    let f = pos;
    for (;;) {
      // Try the number in place; anything else (empty, spaces, text, a field that goes on
      // after the number) takes the checked path over the whole field.
      let fe = -1;
      const c0 = f < end ? text.charCodeAt(f) : -1;
      if (fast && c0 > 32 && c0 !== delim) {
        // The line ends with a break or the end of the text, so scanPlainNumber stops in it.
        let v = scanPlainNumber(text, f);
        let stop = scanState.end;
        if (stop < 0) {
          v = scanNumber(text, f, end);
          stop = scanState.end;
        }
        if (v === v && (stop === end || text.charCodeAt(stop) === delim)) {
          fe = stop;
          if (c < d) {
            data[o + c] = v;
            numbers[c]++;
          }
        }
      }
      if (fe < 0) {
        fe = f;
        while (fe < end && text.charCodeAt(fe) !== delim) fe++;
        if (c < d) this.store(o, c, parseNumberRange(text, f, fe), text, f, fe);
      }
      if (fe - f > maxField) {
        throw new CsvError(`a field of ${fe - f} characters is longer than maxFieldBytes=${maxField}`, this.line + 1, f - pos + 1);
      }
      c++;
      if (fe >= end) break;
      f = fe + 1;
    }
    for (let k = c; k < d; k++) {
      data[o + k] = NaN;
      this.missing[k]++;
    }
    if (c !== d) this.ragged();
  }

  /** Stores a parsed cell (v is NaN when `source[s, e)` is not a number) and counts it. */
  private store(o: number, c: number, v: number, source: string, s: number, e: number): void {
    this.data[o + c] = v;
    if (v === v) {
      this.numbers[c]++;
      return;
    }
    if (isBlankRange(source, s, e) || isMissing(source.substring(s, e))) {
      this.missing[c]++;
      return;
    }
    this.nonNumeric[c]++;
    if (this.nonNumericCells.length < this.maxListed) {
      this.nonNumericCells.push([this.taken + this.nRows - 1, c, source.substring(s, e)]);
      this.nonNumericLines.push(this.lines.view()[this.nRows - 1]);
    }
  }

  private ragged(): void {
    this.raggedCount++;
    if (this.raggedRows.length < this.maxListed) this.raggedRows.push(this.taken + this.nRows - 1);
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    const next = this.newData(capacity * this.nCols);
    next.set(this.data.subarray(0, this.nRows * this.nCols));
    this.data = next;
  }

  private newData(length: number): Float64Array {
    return this.alloc === undefined ? new Float64Array(length) : new Float64Array(this.alloc(length * 8), 0, length);
  }

  private allocate(nCols: number): void {
    this.nCols = nCols;
    this.data = this.newData(this.capacity * nCols);
    this.numbers = new Int32Array(nCols);
    this.missing = new Int32Array(nCols);
    this.nonNumeric = new Int32Array(nCols);
  }

  /** Offset of a new row in `data`, growing the buffer by doubling. */
  private newRow(line: number): number {
    if (this.nRows === this.capacity) this.grow(this.capacity * 2);
    this.lines.push(line);
    return this.nRows++ * this.nCols;
  }

  private result(): NumericCsvResult {
    const d = this.nCols;
    const n = this.nRows;
    const numericColumns: number[] = [];
    for (let c = 0; c < d; c++) if (this.numbers[c] > 0 && this.nonNumeric[c] <= 1) numericColumns.push(c);
    const warnings: string[] = [];
    if (!this.seenFirst) warnings.push(this.line === 0 ? 'the file is empty' : 'the file holds only blank lines');
    if (this.raggedCount > 0) {
      warnings.push(`${this.raggedCount} ${this.raggedCount === 1 ? 'row has' : 'rows have'} a different number of fields than `
        + `${this.header !== null ? 'the header' : 'the first row'} (${d}): rows ${this.raggedRows.slice(0, 5).join(', ')}`
        + `${this.raggedCount > 5 ? ` and ${this.raggedCount - 5} more` : ''}; absent fields are missing values, extra fields are ignored`);
    }
    let nonNumericTotal = 0;
    for (let c = 0; c < d; c++) nonNumericTotal += this.nonNumeric[c];
    if (nonNumericTotal > 0) {
      const shown = this.nonNumericCells.slice(0, 5).map(([r, c, t], i) => `row ${r} (line ${this.nonNumericLines[i] + 1}), column ${c}: ${JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t)}`);
      warnings.push(`${nonNumericTotal} ${nonNumericTotal === 1 ? 'cell is' : 'cells are'} not numbers (read as NaN): ${shown.join('; ')}`
        + `${nonNumericTotal > shown.length ? `; and ${nonNumericTotal - shown.length} more` : ''}`);
    }
    return {
      delimiter: this.delimiter,
      header: this.header,
      nColumns: d,
      X: { data: this.alloc === undefined ? this.data.slice(0, n * d) : this.data.subarray(0, n * d), nRows: n, nCols: d },
      rowLine: this.lines.view().slice(),
      numericColumns,
      numbers: this.numbers.slice(),
      missing: this.missing.slice(),
      nonNumeric: this.nonNumeric.slice(),
      nonNumericCells: this.nonNumericCells.slice(),
      raggedRows: this.raggedRows.slice(),
      raggedCount: this.raggedCount,
      blankLines: this.blank,
      quotedRecords: this.quoted,
      hasBom: this.bom,
      lineEndings: lineEndingStyle(this.counts),
      warnings,
    };
  }
}

/** Index of the last CR or LF at or before `from`, -1 when none. */
function lastBreak(text: string, from: number): number {
  if (from < 0) return -1;
  const lf = text.lastIndexOf('\n', from);
  if (lf < 0) return text.lastIndexOf('\r', from);
  // Only a CR after the last LF can be later; look there alone (no backward scan of the chunk).
  let cr = text.indexOf('\r', lf + 1);
  if (cr < 0 || cr > from) return lf;
  for (let next = text.indexOf('\r', cr + 1); next >= 0 && next <= from; next = text.indexOf('\r', next + 1)) cr = next;
  return cr;
}

/** The fields of a quote-free line as strings. */
function splitLine(text: string, pos: number, end: number, delim: number, maxField: number, line: number): string[] {
  const fields: string[] = [];
  let f = pos;
  for (let i = pos; i <= end; i++) {
    if (i === end || text.charCodeAt(i) === delim) {
      if (i - f > maxField) throw new CsvError(`a field of ${i - f} characters is longer than maxFieldBytes=${maxField}`, line + 1, f - pos + 1);
      fields.push(text.substring(f, i));
      f = i + 1;
    }
  }
  return fields;
}
