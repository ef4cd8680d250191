/**
 * Column roles and the scaling decision, as a fit reports them and the panel shows them:
 * which columns are features, which one holds known classes, and why every other column
 * was left out. Types only; the rules live in src/pipeline/roles.ts.
 */

/**
 * What a column is used for.
 * - `feature`: clustered on.
 * - `label`: the column of known classes: never a feature, scores the clustering.
 * - `id`: a row id (every value differs, or a name such as `id`, `*_id`, `index`).
 * - `category`: looks like classes, but another column is the label (or labels are off).
 * - `constant`, `empty`, `date`, `text`: carry nothing a distance can use.
 * - `unused`: numeric, but not among the feature columns the user chose.
 */
export type ColumnRole = 'feature' | 'label' | 'id' | 'category' | 'constant' | 'empty' | 'date' | 'text' | 'unused';

/** One column's role and the reason, in words, e.g. `looks like a row id (unique whole numbers 1 to 150)`. */
export interface ColumnRoleInfo {
  name: string;
  role: ColumnRole;
  reason: string;
  /** True when the user's settings decided the role (chosen columns or label), false when the rules did. */
  chosen: boolean;
}

/** How the feature columns were scaled before clustering, and why. */
export interface ScalingInfo {
  kind: 'none' | 'standard' | 'minmax';
  /** True when the rule chose `kind` (setting `auto`); false when the user named it. */
  auto: boolean;
  /** Why, in one sentence, e.g. `feature ranges differ 2,645× (proline 1,402 vs hue 0.53)`. */
  reason: string;
  /** How each feature was transformed: `(x - offset) / scale`, in words for `kind`. */
  formula: string;
}
