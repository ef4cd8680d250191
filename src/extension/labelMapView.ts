/**
 * The panel's "Clusters and labels" section as data, and the label-column choices of the
 * Quick Pick. Pure (no vscode), so both are unit-tested.
 */
import { columnNames } from '../csv/dataset';
import type { CsvTable } from '../csv/read';
import { accuracyCaveat, labelMetricRows } from '../pipeline/exports';
import { summarizeMapping, type LabelStudy, type MappingBasis } from '../pipeline/labelMap';
import type { LabelMapView } from '../protocol/labels';

/** The section for a study and the mapping in use (without `seq`, which the panel counts). */
export function labelMapView(study: LabelStudy, mapping: (string | null)[], basis: MappingBasis): Omit<LabelMapView, 'seq'> {
  const summary = summarizeMapping(study, mapping);
  return {
    column: study.column,
    k: study.k,
    classes: study.classes,
    matrix: study.matrix,
    nRows: study.nRows,
    metrics: labelMetricRows(study),
    oneToOne: study.oneToOne,
    manyToOne: study.manyToOne,
    mapping,
    basis,
    accuracy: summary.accuracy,
    flattering: summary.flattering,
    unmatchedClusters: summary.unmatchedClusters,
    unmatchedClasses: summary.unmatchedClasses,
    caveat: accuracyCaveat(summary, basis),
    notes: study.notes,
  };
}

/** One label-column choice. */
export interface LabelColumnChoice {
  name: string;
  numeric: boolean;
  /** Distinct non-empty values, counted up to `cap` (then `cap + 1` means "more"). */
  distinct: number;
  suggested: boolean;
}

/** Most distinct values counted per column for the Quick Pick's descriptions. */
export const DISTINCT_CAP = 1000;

/**
 * The columns a user may pick as classes, the suggested one first: every column that is not
 * a feature of the fit (all columns when that leaves none). Suggested: `preferred` when it is
 * one of them, else the first text column with at most 50 distinct values, else the first.
 */
export function labelColumnChoices(
  table: Pick<CsvTable, 'header' | 'rows'>, numericColumns: ReadonlySet<string>, featureNames: readonly string[],
  preferred: string | undefined,
): LabelColumnChoice[] {
  const names = columnNames(table);
  const features = new Set(featureNames);
  let indices = names.map((_, c) => c).filter((c) => !features.has(names[c]));
  if (indices.length === 0) indices = names.map((_, c) => c);
  const choices = indices.map((c) => {
    const seen = new Set<string>();
    for (const row of table.rows) {
      const v = c < row.length ? row[c].trim() : '';
      if (v !== '') seen.add(v);
      if (seen.size > DISTINCT_CAP) break;
    }
    return { name: names[c], numeric: numericColumns.has(names[c]), distinct: seen.size, suggested: false };
  });
  if (choices.length === 0) return choices;
  let pick = choices.findIndex((ch) => ch.name === preferred);
  if (pick < 0) pick = choices.findIndex((ch) => !ch.numeric && ch.distinct >= 1 && ch.distinct <= 50);
  if (pick < 0) pick = 0;
  choices[pick].suggested = true;
  return [choices[pick], ...choices.filter((_, i) => i !== pick)];
}
