/**
 * Which rows are new when rows are added to a model, decided so that no row is counted twice:
 * the model's own rows come from the file it was fitted on (found by name and checked by its
 * SHA-256), the new rows from the file the user chose, and when that file is the fitted one
 * (the same bytes, or the same bytes with rows appended) only the rows after the fitted ones
 * are new. Pure: the file system work (finding and hashing files) is the caller's.
 */

/** How a file relates to the bytes a model was fitted on (src/node/fittedFile.ts). */
export type FileRelation = 'same' | 'appended' | 'other';

/** Where the rows a model was fitted on are, or why they are not available. */
export type FittedRows =
  | { kind: 'file'; path: string; name: string; nRows: number }
  | { kind: 'unavailable'; why: string; nRows: number | null };

/** A data file and the first of its data rows that is new (null: none, they are the model's own rows). */
export interface NewRowsSource { file: string; newFrom: number | null }

export type NewRowsPlan =
  | {
    ok: true;
    sources: NewRowsSource[];
    /** Index in `sources` of the model's fitted file (its rows are the model's), or null when it is not part of them. */
    csvIndex: number | null;
    warnings: string[];
  }
  | { ok: false; message: string };

/** A file the user chose as the new rows, with how it relates to the fitted bytes (null: not known, no hash). */
export interface NewRowsFile { path: string; name: string; relation: FileRelation | null }

/**
 * The sources of an Add Rows run: the fitted file's rows as the model's (not new), then the
 * new rows. Refuses (ok: false, one sentence) when the chosen file is the fitted file unchanged
 * (there are no new rows), or the fitted file changed in another way than rows appended (which
 * rows are new cannot be told).
 */
export function planNewRows(modelName: string, fitted: FittedRows, chosen: NewRowsFile): NewRowsPlan {
  const nFitted = fitted.nRows;
  if (chosen.relation === 'same') {
    return {
      ok: false,
      message: `${chosen.name} is the file ${modelName} was fitted on, unchanged (the same SHA-256), so it has no new rows; `
        + 'add rows at its end or choose another CSV',
    };
  }
  if (chosen.relation === 'appended' && nFitted !== null) {
    // The fitted bytes followed by more: its first rows are the model's own, the rest are new.
    return { ok: true, sources: [{ file: chosen.path, newFrom: nFitted }], csvIndex: 0, warnings: [] };
  }
  if (fitted.kind === 'file' && fitted.path === chosen.path) {
    if (chosen.relation === null) return { ok: true, sources: [{ file: chosen.path, newFrom: fitted.nRows }], csvIndex: 0, warnings: [] };
    return {
      ok: false,
      message: `${chosen.name} has changed since ${modelName} was fitted on it (not only rows added at the end), `
        + 'so which of its rows are new cannot be told; cluster it again',
    };
  }
  if (fitted.kind === 'file') {
    return { ok: true, sources: [{ file: fitted.path, newFrom: null }, { file: chosen.path, newFrom: 0 }], csvIndex: 0, warnings: [] };
  }
  return {
    ok: true,
    sources: [{ file: chosen.path, newFrom: 0 }],
    csvIndex: null,
    warnings: [`the rows ${modelName} was fitted on are not included (${fitted.why}), so the refits use only the new rows`],
  };
}

/** A file found where the fitted CSV could be (beside the model, in the workspace), with how it relates to the fitted bytes. */
export interface FittedCandidate { path: string; relation: FileRelation }

/**
 * The fitted file among the candidates: the first whose bytes are the fitted ones (or those
 * with rows appended). Otherwise why it is not available: the model does not say which file,
 * no file of that name was found, or every file of that name differs.
 * @param recorded the model's `data` (file name and data rows), null when it records none.
 * @param where where the candidates were looked for, for the message ("beside the model or in the workspace").
 */
export function chooseFitted(recorded: { file: string; nRows: number } | null, candidates: readonly FittedCandidate[], where: string): FittedRows {
  if (recorded === null) return { kind: 'unavailable', why: 'the model does not record the file it was fitted on', nRows: null };
  const found = candidates.find((c) => c.relation === 'same' || c.relation === 'appended');
  if (found) return { kind: 'file', path: found.path, name: recorded.file, nRows: recorded.nRows };
  if (candidates.length === 0) return { kind: 'unavailable', why: `${recorded.file} was not found ${where}`, nRows: recorded.nRows };
  return {
    kind: 'unavailable',
    why: `${recorded.file} ${candidates.length === 1 ? 'has' : `(${candidates.length} files) have`} changed since the fit: `
      + 'its SHA-256 differs from the one the model records',
    nRows: recorded.nRows,
  };
}
