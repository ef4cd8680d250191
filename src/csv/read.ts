/**
 * Reading CSV text into records: delimiter sniffing, header detection, a UTF-8 byte
 * order mark, any mix of LF/CRLF/CR line ends, RFC 4180 quoting (delimiters, doubled
 * quotes and line breaks inside quoted fields) via csv-parse, blank lines skipped, and
 * for every record the file line it starts on, so the editor can annotate it.
 *
 * Text without any double quote takes a fast path (a plain split) that gives exactly
 * what csv-parse gives for such text (a property test holds the two together); quoted
 * text goes through csv-parse. Pure: no file system.
 */
import { parse } from 'csv-parse/sync';
import { parseNumber, isMissing } from './numbers';

/** A CSV problem the reader cannot get past; the message says where (1-based line, column). */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
  }
}

export interface CsvTable {
  delimiter: string;
  /** Column names, or null when the file is empty or the first record is data. */
  header: string[] | null;
  /** Data records (the header excluded), quotes removed. */
  rows: string[][];
  /** 0-based file line where each data record starts. */
  rowLine: Int32Array;
  hasBom: boolean;
  lineEndings: 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';
  /** Data records whose field count differs from the header's. */
  raggedRows: number[];
  warnings: string[];
}

export interface ParseOptions {
  /** One of , ; tab |. Sniffed from the first lines when not given. */
  delimiter?: string;
  /** true: the first record is the header; false: no header; 'auto' (default): a header unless it is all numbers. */
  header?: boolean | 'auto';
  /** Longest field accepted, in characters (default 1 MiB). */
  maxFieldChars?: number;
}

export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** Parses CSV text. Throws CsvError (with line and column) on an unterminated or malformed quote. */
export function parseCsv(text: string, options: ParseOptions = {}): CsvTable {
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const body = hasBom ? text.slice(1) : text;
  const delimiter = options.delimiter ?? sniffDelimiter(body);
  if (!(DELIMITERS as readonly string[]).includes(delimiter) && delimiter.length !== 1) {
    throw new CsvError(`delimiter ${JSON.stringify(delimiter)} should be a single character`);
  }
  const lineEndings = detectLineEndings(body);
  const maxFieldChars = options.maxFieldChars ?? 1 << 20;
  const warnings: string[] = [];

  const { records, starts } = body.includes('"')
    ? parseQuoted(body, delimiter, maxFieldChars)
    : parsePlain(body, delimiter, maxFieldChars);

  if (records.length === 0) {
    warnings.push(body.length === 0 ? 'the file is empty' : 'the file has no records (only blank lines)');
    return { delimiter, header: null, rows: [], rowLine: new Int32Array(0), hasBom, lineEndings, raggedRows: [], warnings };
  }
  let hasHeader: boolean;
  if (options.header === undefined || options.header === 'auto') {
    hasHeader = !records[0].every((cell) => !isMissing(cell) && !Number.isNaN(parseNumber(cell)));
  } else {
    hasHeader = options.header;
  }
  const header = hasHeader ? records[0] : null;
  const rows = hasHeader ? records.slice(1) : records;
  const rowLine = Int32Array.from(hasHeader ? starts.slice(1) : starts);
  const width = header ? header.length : rows.length > 0 ? modeLength(rows) : 0;
  const raggedRows: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i].length !== width) raggedRows.push(i);
  if (raggedRows.length > 0) {
    const shown = raggedRows.slice(0, 5).map((r) => `row ${r} (line ${rowLine[r] + 1}: ${rows[r].length} fields)`).join(', ');
    warnings.push(`${raggedRows.length} rows have a different number of fields than the ${width} columns: ${shown}${raggedRows.length > 5 ? ', …' : ''}`);
  }
  if (header) {
    const seen = new Set<string>();
    const dup = header.filter((h) => (seen.has(h) ? true : (seen.add(h), false)));
    if (dup.length > 0) warnings.push(`repeated column names: ${[...new Set(dup)].map((d) => JSON.stringify(d)).join(', ')} (the first of each is used by name)`);
  }
  return { delimiter, header, rows, rowLine, hasBom, lineEndings, raggedRows, warnings };
}

function modeLength(rows: string[][]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const r of rows) {
    const c = (counts.get(r.length) ?? 0) + 1;
    counts.set(r.length, c);
    if (c > bestCount) {
      best = r.length;
      bestCount = c;
    }
  }
  return best;
}

/** True for a line that holds nothing but spaces or tabs: it is skipped like an empty one. */
function isBlank(fields: string[]): boolean {
  return fields.length === 1 && fields[0].trim() === '';
}

/** The fast path for text with no double quote: split on line ends, then on the delimiter. */
function parsePlain(body: string, delimiter: string, maxFieldChars: number): { records: string[][]; starts: number[] } {
  const records: string[][] = [];
  const starts: number[] = [];
  let line = 0;
  let pos = 0;
  const n = body.length;
  while (pos < n) {
    let end = pos;
    while (end < n) {
      const ch = body.charCodeAt(end);
      if (ch === 10 || ch === 13) break;
      end++;
    }
    const text = body.slice(pos, end);
    const fields = text.split(delimiter);
    if (!(text.length === 0 || isBlank(fields))) {
      for (let c = 0; c < fields.length; c++) {
        if (fields[c].length > maxFieldChars) {
          throw new CsvError(`line ${line + 1}, column ${c + 1}: a field of ${fields[c].length} characters is longer than the limit of ${maxFieldChars}`, line + 1, c + 1);
        }
      }
      records.push(fields);
      starts.push(line);
    }
    // Step over one line end: \r\n, \n or \r.
    if (end < n && body.charCodeAt(end) === 13 && end + 1 < n && body.charCodeAt(end + 1) === 10) pos = end + 2;
    else pos = end + 1;
    line++;
  }
  return { records, starts };
}

/** RFC 4180 parsing with csv-parse; record start lines from a quote-aware scan of the text. */
function parseQuoted(body: string, delimiter: string, maxFieldChars: number): { records: string[][]; starts: number[] } {
  let parsed: string[][];
  try {
    parsed = parse(body, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: false,
      max_record_size: maxFieldChars,
    }) as string[][];
  } catch (e) {
    throw csvErrorFrom(e, body, delimiter);
  }
  const allStarts = recordStartLines(body, delimiter);
  const records: string[][] = [];
  const starts: number[] = [];
  for (let i = 0; i < parsed.length; i++) {
    if (isBlank(parsed[i])) continue;
    records.push(parsed[i]);
    starts.push(allStarts[i] ?? (allStarts.length > 0 ? allStarts[allStarts.length - 1] : 0));
  }
  return { records, starts };
}

/**
 * 0-based line of every non-empty record, scanning quotes the way RFC 4180 does: a quote
 * at the start of a field opens it, `""` inside is a literal quote, and a line end inside
 * quotes belongs to the field. Empty lines are not records (csv-parse's skip_empty_lines);
 * whitespace-only lines are, and are dropped later with csv-parse's record.
 */
function recordStartLines(body: string, delimiter: string): number[] {
  const starts: number[] = [];
  let line = 0;
  let inQuotes = false;
  let fieldStart = true;
  let atRecordStart = true;
  const n = body.length;
  const delim = delimiter.charCodeAt(0);
  for (let i = 0; i < n; i++) {
    const ch = body.charCodeAt(i);
    if (inQuotes) {
      if (ch === 34) {
        if (body.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      } else if (ch === 13 || ch === 10) {
        if (ch === 13 && body.charCodeAt(i + 1) === 10) i++;
        line++;
      }
      continue;
    }
    if (ch === 13 || ch === 10) {
      if (ch === 13 && body.charCodeAt(i + 1) === 10) i++;
      line++;
      atRecordStart = true;
      fieldStart = true;
      continue;
    }
    if (atRecordStart) {
      starts.push(line);
      atRecordStart = false;
    }
    if (ch === delim) {
      fieldStart = true;
      continue;
    }
    // A quote opens a quoted field only at the start of a field; elsewhere it is text.
    if (ch === 34 && fieldStart) inQuotes = true;
    fieldStart = false;
  }
  return starts;
}

function csvErrorFrom(e: unknown, body: string, delimiter: string): CsvError {
  const err = e as { code?: string; message?: string; lines?: number };
  const line = typeof err.lines === 'number' ? err.lines : undefined;
  let column: number | undefined;
  if (line !== undefined) {
    const text = body.split(/\r\n|\n|\r/)[line - 1] ?? '';
    column = text.split(delimiter).length;
  }
  const where = line !== undefined ? `line ${line}${column !== undefined ? `, column ${column}` : ''}: ` : '';
  const what: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (a " is missing)',
    CSV_INVALID_CLOSING_QUOTE: 'a quote is followed by text; inside a quoted field write "" for a literal quote',
    CSV_MAX_RECORD_SIZE: 'a record is longer than the size limit',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after a closing quote',
  };
  const message = (err.code && what[err.code]) ?? (err.message ?? 'malformed CSV').split('\n')[0];
  return new CsvError(`${where}${message}`, line, column);
}

/** The delimiter among , ; tab | that splits the first lines most consistently (comma on a tie). */
export function sniffDelimiter(body: string): string {
  const lines: string[] = [];
  let inQuotes = false;
  let current = '';
  for (let i = 0; i < body.length && lines.length < 50 && i < 1 << 20; i++) {
    const ch = body[i];
    if (ch === '"') inQuotes = !inQuotes;
    if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (current.trim() !== '') lines.push(current);
      current = '';
      continue;
    }
    // Delimiters inside quotes do not count.
    current += inQuotes && ch !== '"' ? '' : ch;
  }
  if (current.trim() !== '' && lines.length < 50) lines.push(current);
  if (lines.length === 0) return ',';
  let best = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => l.split(d).length - 1);
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeCount = 0;
    for (const [c, f] of freq) if (c > 0 && (f > modeCount || (f === modeCount && c > mode))) { mode = c; modeCount = f; }
    if (mode === 0) continue;
    const score = modeCount / lines.length + mode * 1e-6;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function detectLineEndings(body: string): CsvTable['lineEndings'] {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body.charCodeAt(i);
    if (ch === 13) {
      if (body.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (ch === 10) lf++;
  }
  const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return crlf > 0 ? 'CRLF' : lf > 0 ? 'LF' : 'CR';
}
