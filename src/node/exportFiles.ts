/**
 * Writes the files of "Export…" beside the source CSV: each under a free name (`name (2).ext`
 * when taken, never overwriting), each atomically. The names are all chosen before anything
 * is written, so the report and the script refer to the files as they are really called.
 * Node only; the contents come from src/pipeline/exports.ts.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { CsvTable } from '../csv/read';
import {
  addedColumns, centroidsCsv, labelledCsv, pythonScript, reportMarkdown, type ExportNames, type MappingInUse,
} from '../pipeline/exports';
import type { SavedModel } from '../pipeline/model';
import type { FitReport } from '../pipeline/types';
import { uniquePath, writeFileUnique } from './files';

/** What can be exported, in the order the Quick Pick lists them. */
export const EXPORT_KINDS = ['labelledCsv', 'centroidsCsv', 'model', 'report', 'python'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The suffix each kind adds to the source's name (`iris.csv` -> `iris.clusters.csv`). */
export const EXPORT_SUFFIX: Record<ExportKind | 'chartPng', string> = {
  labelledCsv: '.clusters.csv',
  centroidsCsv: '.centroids.csv',
  model: '.centroid.json',
  report: '.report.md',
  chartPng: '.chart.png',
  python: '.reproduce.py',
};

export interface ExportInput {
  /** The CSV the fit was made from (absolute path). */
  sourcePath: string;
  table: CsvTable;
  report: FitReport;
  /** The label comparison and mapping in use, if any. */
  labels: MappingInUse | null;
  /** Needed for 'model'. */
  model?: SavedModel | null;
  /** The chart as PNG bytes, written beside the report (optional). */
  chartPng?: Uint8Array | null;
  kinds: ReadonlySet<ExportKind>;
}

export interface WrittenFile {
  kind: ExportKind | 'chartPng';
  path: string;
}

/**
 * The kinds actually written: the script reads the labelled and centroids CSVs, so asking
 * for it adds them.
 */
export function withDependencies(kinds: ReadonlySet<ExportKind>): Set<ExportKind> {
  const out = new Set(kinds);
  if (out.has('python')) {
    out.add('labelledCsv');
    out.add('centroidsCsv');
  }
  return out;
}

/**
 * Writes the chosen files and returns them in EXPORT_KINDS order (the chart right after the
 * report). Files written before a failure stay (each is complete); the error names the file.
 * @throws FileError (src/node/files.ts) naming the file that could not be written.
 */
export function writeExports(input: ExportInput): WrittenFile[] {
  const kinds = withDependencies(input.kinds);
  const dir = dirname(input.sourcePath);
  const stem = basename(input.sourcePath, extname(input.sourcePath));
  const paths = new Map<ExportKind | 'chartPng', string>();
  const wanted: (ExportKind | 'chartPng')[] = [];
  for (const kind of EXPORT_KINDS) {
    if (!kinds.has(kind)) continue;
    wanted.push(kind);
    if (kind === 'report' && input.chartPng) wanted.push('chartPng');
  }
  for (const kind of wanted) paths.set(kind, uniquePath(join(dir, stem + EXPORT_SUFFIX[kind])));
  const names: ExportNames = { source: basename(input.sourcePath) };
  const base = (kind: ExportKind | 'chartPng'): string | undefined => {
    const p = paths.get(kind);
    return p === undefined ? undefined : basename(p);
  };
  names.labelledCsv = base('labelledCsv');
  names.centroidsCsv = base('centroidsCsv');
  names.model = base('model');
  names.report = base('report');
  names.chartPng = base('chartPng');
  names.python = base('python');

  const mapping = input.labels?.mapping ?? null;
  const r = input.report;
  const written: WrittenFile[] = [];
  for (const kind of wanted) {
    const path = paths.get(kind) as string;
    let content: string | Uint8Array;
    switch (kind) {
      case 'labelledCsv':
        content = labelledCsv(input.table, r.labels, r.distances, mapping);
        break;
      case 'centroidsCsv':
        content = centroidsCsv(r.featureNames, r.clusterCenters, r.counts, mapping);
        break;
      case 'model':
        if (!input.model) throw new RangeError('a model is needed to export one');
        content = `${JSON.stringify(input.model, null, 2)}\n`;
        break;
      case 'report':
        content = reportMarkdown(r, names, input.labels, r.warnings);
        break;
      case 'chartPng':
        content = input.chartPng as Uint8Array;
        break;
      case 'python':
        content = pythonScript(r, {
          source: names.source, labelledCsv: names.labelledCsv as string, centroidsCsv: names.centroidsCsv as string,
        }, addedColumns(input.table));
        break;
    }
    // A name taken since it was chosen (another program, a second export) is not overwritten:
    // the next free numbered name is claimed, race-free.
    const target = writeFileUnique(path, content);
    written.push({ kind, path: target });
  }
  return written;
}
