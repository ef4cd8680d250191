/**
 * Known starting centres in the run settings (remembered per file, sent back by the panel's
 * form) and what the panel shows about them. Pure: no vscode, Node or DOM.
 */
import { ProtocolError } from './messages';

/** Starting centres from a centres file, with the choice to keep the given coordinates fixed. */
export interface KnownSettings {
  /** The centres file's name, for the form and every message. */
  fileName: string;
  /** Feature columns the file names, in its order. */
  columns: string[];
  /** One row per known centre, one value per column; null = not known (derived from the data). */
  rows: (number | null)[][];
  /** Keep the given coordinates fixed while iterating. */
  freeze: boolean;
}

/** The panel's "Starting centres" section: per known centre, in the fit's feature order. */
export interface KnownView {
  fileName: string;
  freeze: boolean;
  featureNames: string[];
  centres: {
    /** Coordinates given in the file (null = derived from the data). */
    given: (number | null)[];
    /** Where the fit started: given coordinates and the derived ones. */
    start: number[];
    /** Where the fit ended. */
    final: number[];
  }[];
  /** Centres beyond the file's rows (k larger), placed by k-means++. */
  placed: number;
}

const MAX_ROWS = 1000;
const MAX_COLUMNS = 100000;

/** Checks `x` is a KnownSettings and returns a fresh copy; throws ProtocolError naming the bad field. */
export function parseKnownSettings(x: unknown, where: string): KnownSettings {
  const w = `${where}.known`;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ProtocolError(`${where}: known should be an object`);
  const o = x as Record<string, unknown>;
  const { fileName, columns, rows, freeze } = o;
  if (typeof fileName !== 'string' || fileName.length === 0 || fileName.length > 1000) throw new ProtocolError(`${w}: fileName should be a non-empty string`);
  if (!Array.isArray(columns) || columns.length === 0 || columns.length > MAX_COLUMNS
    || !columns.every((c) => typeof c === 'string' && c.length > 0 && c.length <= 10000)) {
    throw new ProtocolError(`${w}: columns should be a non-empty list of column names`);
  }
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > MAX_ROWS) throw new ProtocolError(`${w}: rows should be a list of 1 to ${MAX_ROWS} centres`);
  const copy = rows.map((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) throw new ProtocolError(`${w}: row ${i} should have one value per column (${columns.length})`);
    return row.map((v, c) => {
      if (v === null) return null;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProtocolError(`${w}: row ${i}, column ${c} should be a finite number or null`);
      return v;
    });
  });
  if (typeof freeze !== 'boolean') throw new ProtocolError(`${w}: freeze should be true or false`);
  return { fileName, columns: [...(columns as string[])], rows: copy, freeze };
}
