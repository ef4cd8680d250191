/**
 * Column roles: which columns of a CSV a careful analyst would cluster on, which one holds
 * known classes, and why each other one is left out. The CLI (no --columns) and the
 * extension's "Cluster this CSV" both use these rules, through fit.ts, so they make the
 * same choices. Pure: the caller hands the cells through {@link RoleColumns}.
 *
 * The rules, in order, per column:
 * 1. no value at all: `empty`; one value in every row: `constant`.
 * 2. a row id: every value differs and the name says id (`id`, `*_id`, `index`, `key`,
 *    `row`, …), or whole numbers that are all different and fill one run (0..n−1, 1..n,
 *    in any order) over at least 20 rows.
 * 3. dates (text that reads as dates in 90% of the rows): `date`.
 * 4. classes, candidates for the label column:
 *    - a name that says classes (class, label, target, species, category, group, cluster, y,
 *      outcome as a word of the name) on text or whole numbers with 2 to 50 values that repeat;
 *    - text with 2 to 50 values that repeat (at least two rows per value on average);
 *    - whole-number codes (2 to 20 consecutive values) in the first or last column next to
 *      continuous columns, or in the last column with every code holding at least half its
 *      share of the rows.
 *    (`y` in a file that also has an `x` is a coordinate, not a class word.)
 *    The strongest candidate (name, then text, then codes; the later column on a tie)
 *    becomes the label; the others are `category`.
 * 5. other text: `text`. Every other numeric column is a feature.
 */
import type { ColumnRoleInfo } from '../protocol/roles';
import type { CsvTable } from '../csv/read';
import { classifyColumns } from '../csv/inspect';
import { columnNames } from '../csv/dataset';
import { isMissing, parseNumber } from '../csv/numbers';
import { numericColumnNames, type NumericTable } from '../csv/numericTable';

/** The cells of a table, column by column, as the rules read them. */
export interface RoleColumns {
  /** Column names (the header, or column1, column2, … without one). */
  names: string[];
  /** Whether the names come from a header (without one, no rule reads a name). */
  hasHeader: boolean;
  nRows: number;
  /** numeric[c]: column c holds numbers (the inspect rule). */
  numeric: boolean[];
  /** The number in a cell of a numeric column; NaN when missing. */
  number(c: number, r: number): number;
  /** The trimmed text of a cell of a text column; '' when missing. */
  text(c: number, r: number): string;
}

/** What the user fixed: feature columns by name, and the label (a name, none, or guessed). */
export interface RoleChoices {
  columns?: readonly string[];
  /** A column name; null: no label column; undefined: the rules pick one. */
  label?: string | null;
}

/** The decided roles, the feature names in order and the label column. */
export interface Roles {
  columns: ColumnRoleInfo[];
  features: string[];
  /** Column indices of the features when the rules chose them (names can repeat in a header); undefined with chosen columns. */
  featureColumns?: number[];
  label: string | null;
  /** True when the rules picked the label. */
  labelGuessed: boolean;
}

/** At most this many distinct values make classes. */
export const MAX_CLASSES = 50;
/** Fewest rows for whole numbers filling one run (0..n−1, 1..n) to count as a row id without an id name. */
const MIN_RUN_ROWS = 20;
/** At most this many consecutive whole-number codes make a class column without a telling name. */
const MAX_CODES = 20;
const ID_WORDS = new Set(['id', 'ids', 'index', 'idx', 'key', 'row', 'rowid', 'rownum', 'rownumber', 'uuid', 'guid', 'unnamed']);
const CLASS_WORDS = new Set(['class', 'classes', 'label', 'labels', 'target', 'targets', 'species', 'category', 'categories',
  'group', 'groups', 'cluster', 'clusters', 'y', 'outcome']);
const DATE = /^(\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}\/\d{1,2}\/\d{1,2})$/;

/** The words of a column name: `patient_id` → patient, id; `speciesCode` → species, code. */
export function nameWords(name: string): string[] {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
}

/** What one pass over a column found. */
interface ColumnFacts {
  c: number;
  name: string;
  numeric: boolean;
  present: number;
  distinct: number;
  /** Numeric columns: all values whole numbers. */
  integer: boolean;
  min: number;
  max: number;
  /** Whole-number columns: the smallest count of a value (for balance). */
  minCount: number;
  /** Text columns: share of values that read as dates. */
  dateShare: number;
  /** A value of a constant column, for the reason. */
  example: string;
}

/**
 * Decides every column's role. With `choices.columns`, those are the features (in that order)
 * and the rules only explain the other columns.
 * @complexity O(rows × columns); whole-number columns and columns named like ids are also
 *   sorted, O(n log n) each.
 */
export function decideRoles(cols: RoleColumns, choices: RoleChoices = {}): Roles {
  const facts = cols.names.map((name, c) => columnFacts(cols, c, name));
  const nCols = facts.length;
  const info: (ColumnRoleInfo | null)[] = new Array(nCols).fill(null);
  const set = (c: number, role: ColumnRoleInfo['role'], reason: string, chosen = false): void => {
    info[c] = { name: cols.names[c], role, reason, chosen };
  };

  for (const f of facts) {
    if (f.present === 0) set(f.c, 'empty', 'no values');
    else if (f.distinct === 1) set(f.c, 'constant', `the same value (${f.example}) in every row`);
    else if (isId(f, cols)) set(f.c, 'id', idReason(f, cols));
    else if (!f.numeric && f.dateShare >= 0.9) set(f.c, 'date', 'holds dates');
  }

  // Continuous neighbours make whole-number codes stand out as classes.
  const continuous = facts.filter((f) => info[f.c] === null && f.numeric && !f.integer).length;
  const hasX = cols.hasHeader && cols.names.some((name) => name.trim().toLowerCase() === 'x');
  const candidates: { c: number; priority: number; reason: string }[] = [];
  for (const f of facts) {
    if (info[f.c] !== null) continue;
    const repeats = f.distinct >= 2 && f.distinct <= MAX_CLASSES && f.distinct * 2 <= f.present;
    // `y` beside an `x` is a coordinate, not the target.
    const named = cols.hasHeader && nameWords(f.name).some((w) => CLASS_WORDS.has(w)) && !(f.name.trim().toLowerCase() === 'y' && hasX);
    if (named && repeats && (!f.numeric || f.integer)) {
      candidates.push({ c: f.c, priority: 3, reason: `its name says classes (${f.distinct} values)` });
    } else if (!f.numeric && repeats) {
      candidates.push({ c: f.c, priority: 2, reason: `text with ${f.distinct} classes` });
    } else if (f.numeric && f.integer && repeats && f.distinct <= MAX_CODES && f.max - f.min + 1 === f.distinct
      && (f.c === 0 || f.c === nCols - 1)) {
      const others = nCols - 1;
      // Among whole-number columns (pixels, counts) only a last column of balanced codes is a target.
      const balanced = f.c === nCols - 1 && f.minCount * 2 * f.distinct >= f.present;
      if (continuous >= Math.max(2, others / 2) || balanced) {
        candidates.push({
          c: f.c, priority: 1,
          reason: `whole-number codes ${fmt(f.min)} to ${fmt(f.max)} in the ${f.c === 0 ? 'first' : 'last'} column, `
            + (continuous >= Math.max(2, others / 2) ? 'next to continuous columns' : 'each code on many rows'),
        });
      }
    }
  }
  candidates.sort((a, b) => b.priority - a.priority || b.c - a.c);

  const chosenColumns = choices.columns;
  let label: string | null = null;
  let labelGuessed = false;
  if (typeof choices.label === 'string') {
    label = choices.label;
  } else if (choices.label === undefined && candidates.length > 0) {
    const name = cols.names[candidates[0].c];
    // A column the user listed as a feature is not a label.
    if (!chosenColumns?.includes(name)) {
      label = name;
      labelGuessed = true;
    }
  }
  const labelIndex = label === null ? -1 : cols.names.indexOf(label);
  for (const cand of candidates) {
    if (cand.c === labelIndex) continue;
    if (info[cand.c] === null) {
      set(cand.c, 'category', `looks like classes (${cand.reason}); ${label === null ? 'no label column is used' : `\`${label}\` is the label column`}`);
    }
  }
  if (labelIndex >= 0) {
    const cand = candidates.find((x) => x.c === labelIndex);
    set(labelIndex, 'label', labelGuessed && cand ? `used as the label column: ${cand.reason}` : 'the label column you chose', !labelGuessed);
  }
  for (const f of facts) {
    if (info[f.c] === null) {
      if (f.numeric) set(f.c, 'feature', 'numeric');
      else set(f.c, 'text', f.distinct === f.present ? 'text: every value differs (names or ids)' : `text (${f.distinct} different values)`);
    }
  }

  let features: string[];
  if (chosenColumns !== undefined) {
    features = [...chosenColumns];
    const chosen = new Set(chosenColumns);
    for (let c = 0; c < nCols; c++) {
      const cur = info[c] as ColumnRoleInfo;
      if (chosen.has(cols.names[c])) {
        info[c] = { name: cols.names[c], role: 'feature', reason: cur.role === 'feature' ? 'numeric; chosen by you' : `chosen by you (the rules said: ${cur.reason})`, chosen: true };
      } else if (cur.role === 'feature') {
        info[c] = { ...cur, role: 'unused', reason: 'not among the columns you chose', chosen: true };
      }
    }
  } else {
    features = [];
    const featureColumns: number[] = [];
    for (let c = 0; c < nCols; c++) {
      if ((info[c] as ColumnRoleInfo).role === 'feature') {
        features.push(cols.names[c]);
        featureColumns.push(c);
      }
    }
    return { columns: info as ColumnRoleInfo[], features, featureColumns, label, labelGuessed };
  }
  return { columns: info as ColumnRoleInfo[], features, label, labelGuessed };
}

function isId(f: ColumnFacts, cols: RoleColumns): boolean {
  if (f.distinct !== f.present || f.present < 2) return false;
  if (cols.hasHeader && idName(f.name)) return true;
  // A short column can fill a run by chance (0, 1, 2): the unnamed rule needs some rows.
  return f.numeric && f.integer && f.present >= MIN_RUN_ROWS && f.max - f.min + 1 === f.present;
}

/** `id`, `ID`, `patient_id`, `PatientId`, `index`, `row`, `Unnamed: 0` (pandas' unnamed index), or an empty name. */
function idName(name: string): boolean {
  if (name.trim() === '') return true;
  const words = nameWords(name);
  return words.length > 0 && (ID_WORDS.has(words[words.length - 1]) || (words.length === 1 && ID_WORDS.has(words[0])) || words[0] === 'unnamed');
}

function idReason(f: ColumnFacts, cols: RoleColumns): string {
  if (f.numeric && f.integer) {
    const run = f.max - f.min + 1 === f.present ? `, ${fmt(f.min)} to ${fmt(f.max)}` : '';
    return `looks like a row id (unique whole numbers${run}${cols.hasHeader && idName(f.name) ? ', and its name says id' : ''})`;
  }
  return 'looks like a row id (every value differs, and its name says id)';
}

function columnFacts(cols: RoleColumns, c: number, name: string): ColumnFacts {
  const n = cols.nRows;
  const facts: ColumnFacts = {
    c, name, numeric: cols.numeric[c], present: 0, distinct: 0, integer: true, min: Infinity, max: -Infinity,
    minCount: 0, dateShare: 0, example: '',
  };
  if (facts.numeric) {
    const values = new Float64Array(n);
    let m = 0;
    for (let r = 0; r < n; r++) {
      const v = cols.number(c, r);
      if (v !== v) continue;
      values[m++] = v;
      if (v < facts.min) facts.min = v;
      if (v > facts.max) facts.max = v;
      if (facts.integer && !Number.isInteger(v)) facts.integer = false;
    }
    facts.present = m;
    if (m === 0) return facts;
    facts.example = fmt(facts.min);
    if (facts.min === facts.max) {
      facts.distinct = 1;
      return facts;
    }
    // Ids and codes are whole numbers (or named like ids): only those need the exact count.
    // For any other column no rule reads it beyond "more than one value".
    if (!facts.integer && !(cols.hasHeader && idName(name))) {
      facts.distinct = 2;
      return facts;
    }
    const sorted = values.slice(0, m).sort();
    let distinct = 1;
    let run = 1;
    let minCount = Infinity;
    for (let i = 1; i < m; i++) {
      if (sorted[i] === sorted[i - 1]) run++;
      else {
        distinct++;
        if (run < minCount) minCount = run;
        run = 1;
      }
    }
    if (run < minCount) minCount = run;
    facts.distinct = distinct;
    facts.minCount = minCount;
    return facts;
  }
  const seen = new Set<string>();
  let dates = 0;
  for (let r = 0; r < n; r++) {
    const t = cols.text(c, r);
    if (t === '') continue;
    facts.present++;
    seen.add(t);
    if (DATE.test(t)) dates++;
    if (facts.example === '') facts.example = JSON.stringify(t.length > 20 ? `${t.slice(0, 20)}…` : t);
  }
  facts.distinct = seen.size;
  facts.dateShare = facts.present === 0 ? 0 : dates / facts.present;
  return facts;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** The columns of a parsed table, for {@link decideRoles}. Numbers are parsed as the dataset parses them. */
export function tableRoleColumns(table: CsvTable): RoleColumns {
  const classes = classifyColumns(table, false);
  const rows = table.rows;
  return {
    names: columnNames(table),
    hasHeader: table.header !== null,
    nRows: rows.length,
    numeric: classes.numeric,
    number: (c, r) => {
      const cell = rows[r][c];
      return cell === undefined || isMissing(cell) ? NaN : parseNumber(cell);
    },
    text: (c, r) => {
      const cell = rows[r][c];
      return cell === undefined || isMissing(cell) ? '' : cell.trim();
    },
  };
}

/** The columns of a plain numeric file (every column numeric), for {@link decideRoles}. */
export function numericRoleColumns(table: NumericTable): RoleColumns {
  const { data, nCols } = table.X;
  return {
    names: numericColumnNames(table),
    hasHeader: table.header !== null,
    nRows: table.X.nRows,
    numeric: new Array<boolean>(nCols).fill(true),
    number: (c, r) => data[r * nCols + c],
    text: () => '',
  };
}
