/**
 * The panel's "Starting centres" section for a run from known centres: each centre of the
 * centres file with its given coordinates, where the fit started and where it ended.
 */
import type { FitOutcome } from '../pipeline/fit';
import type { KnownSettings, KnownView } from '../protocol/known';

/**
 * Builds the section, or returns undefined for a run without known centres. The fit keeps
 * centre j as cluster j (one run from the given start), so row j of the file is cluster j.
 */
export function buildKnownView(outcome: FitOutcome, known: KnownSettings | undefined): KnownView | undefined {
  const start = outcome.startCenters;
  if (!known || !start) return undefined;
  const names = outcome.report.featureNames;
  const at = known.columns.map((c) => names.indexOf(c));
  const centres = known.rows.map((row, j) => {
    const given = new Array<number | null>(names.length).fill(null);
    at.forEach((t, c) => {
      if (t >= 0) given[t] = row[c];
    });
    return { given, start: start[j], final: outcome.report.clusterCenters[j] };
  });
  return {
    fileName: known.fileName,
    // Cosine fits cannot keep coordinates fixed (the fit warns): the section must not say they were.
    freeze: known.freeze && outcome.report.options.metric !== 'cosine',
    featureNames: names,
    centres,
    placed: outcome.report.options.k - known.rows.length,
  };
}
