/**
 * How missing values reach the model, as the user chooses: left as they are, imputed (median for
 * numbers, most frequent value for text), or their rows dropped. Returns the table the model would be
 * fed and what changed, column by column.
 */
import { distinctNumbers } from '../../data/infer';
import { allRows, takeRows, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../../data/table';
import { quantileSorted } from '../data-summary';
import { sortedFinite } from '../drift/sorted';
import { formatNumber } from '../quality/metric';
import { categoryCounts } from './profile';

export type ImputeStrategy = 'none' | 'median-mode' | 'drop-rows';

export interface ImputeColumnChange {
  name: string;
  kind: Column['kind'];
  /** Missing cells before (invalid cells included). */
  missing: number;
  /** Cells filled in. */
  filled: number;
  /** The fill value as text ('median-mode' only); null when nothing could be filled (all missing). */
  value: string | null;
  /** Where the fill value comes from. */
  source: 'this table' | 'reference' | null;
}

export interface ImputePlan {
  strategy: ImputeStrategy;
  /** The table the model would read. */
  table: Table;
  /** For each row of `table`, its index in the input table. */
  rows: Uint32Array;
  /** Rows removed ('drop-rows' only). */
  dropped: number;
  /** Columns considered that have missing values. */
  columns: ImputeColumnChange[];
  /** What happens to missing values, in words. */
  description: string;
}

export interface ImputeOptions {
  /** Columns to impute or check for missing values (default: all). Pass the model's inputs. */
  columns?: readonly string[];
  /**
   * Learn medians and modes from this table (the reference, or training, data) by column name,
   * rather than from the table being imputed. Columns it lacks, or has with another kind, use the
   * table itself.
   */
  fitOn?: Table;
}

function missingCount(col: Column): number {
  let m = 0;
  if (col.kind === 'numeric') {
    for (const v of col.values) if (Number.isNaN(v)) m++;
  } else {
    for (const c of col.codes) if (c < 0) m++;
  }
  return m;
}

/** Stats of a column whose cells changed: counts redone, invalid cells gone once filled. */
function recounted(col: Column): Column {
  const missing = missingCount(col);
  const distinct = col.kind === 'numeric' ? distinctNumbers(col.values) : categoryCounts(col.codes, col.categories).filter((c) => c > 0).length;
  return { ...col, stats: { missing, invalid: 0, distinct, invalidExamples: [] } } as Column;
}

function median(col: NumericColumn): number {
  const sorted = sortedFinite(col.values);
  return sorted.length ? quantileSorted(sorted, 0.5) : NaN;
}

/** The most frequent category text; ties go to the first seen. Null when every cell is missing. */
function mode(col: CategoricalColumn): string | null {
  const counts = categoryCounts(col.codes, col.categories);
  let best = -1;
  for (let c = 0; c < counts.length; c++) if (counts[c] > 0 && (best < 0 || counts[c] > counts[best])) best = c;
  return best < 0 ? null : col.categories[best];
}

function fill(change: ImputeColumnChange, value: string, fromRef: boolean): void {
  change.filled = change.missing;
  change.value = value;
  change.source = fromRef ? 'reference' : 'this table';
}

const pct = (x: number) => `${formatNumber(100 * x, 3)}%`;

/** Applies `strategy` to the missing values of `table` (see `ImputeStrategy`); the input is not modified. */
export function imputePlan(table: Table, strategy: ImputeStrategy, options: ImputeOptions = {}): ImputePlan {
  const considered = new Set(options.columns ?? table.columns.map((c) => c.name));
  const fitBy = new Map((options.fitOn?.columns ?? []).map((c) => [c.name, c]));
  const identity = allRows(table.nRows);
  const changes: ImputeColumnChange[] = [];
  for (const c of table.columns) {
    if (!considered.has(c.name)) continue;
    const missing = missingCount(c);
    if (missing > 0) changes.push({ name: c.name, kind: c.kind, missing, filled: 0, value: null, source: null });
  }
  const totalMissing = changes.reduce((s, c) => s + c.missing, 0);

  if (strategy === 'none') {
    return {
      strategy,
      table,
      rows: identity,
      dropped: 0,
      columns: changes,
      description:
        totalMissing === 0
          ? 'No missing values in the columns the model reads.'
          : `${totalMissing} missing ${totalMissing === 1 ? 'cell reaches' : 'cells reach'} the model as ${totalMissing === 1 ? 'it is' : 'they are'}: ` +
            'NaN for numbers (many models then return NaN, trees follow a default branch) and an empty text for categories ' +
            '(a one-hot encoder encodes it as all zeros).',
    };
  }

  if (strategy === 'drop-rows') {
    const cols = table.columns.filter((c) => considered.has(c.name));
    const keep: number[] = [];
    for (let i = 0; i < table.nRows; i++) {
      let ok = true;
      for (const c of cols) {
        if (c.kind === 'numeric' ? Number.isNaN(c.values[i]) : c.codes[i] < 0) {
          ok = false;
          break;
        }
      }
      if (ok) keep.push(i);
    }
    const rows = Uint32Array.from(keep);
    const taken = takeRows(table, rows);
    const dropped = table.nRows - rows.length;
    return {
      strategy,
      table: { nRows: taken.nRows, columns: taken.columns.map(recounted) },
      rows,
      dropped,
      columns: changes,
      description:
        dropped === 0
          ? 'No row has a missing value in the columns the model reads; none dropped.'
          : `${dropped} of ${table.nRows} rows (${pct(dropped / Math.max(1, table.nRows))}) have a missing value in the columns the model reads and are dropped; ` +
            'metrics then describe only the complete rows, which may differ from the rest.',
    };
  }

  const byName = new Map(changes.map((c) => [c.name, c]));
  const columns = table.columns.map((c): Column => {
    const change = byName.get(c.name);
    if (!change) return c;
    const fit = fitBy.get(c.name);
    const fromRef = fit !== undefined && (fit.kind === 'numeric') === (c.kind === 'numeric');
    const source = fromRef ? fit : c;
    if (c.kind === 'numeric') {
      const m = median(source as NumericColumn);
      if (Number.isNaN(m)) return c;
      const values = c.values.slice();
      for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) values[i] = m;
      fill(change, formatNumber(m, 6), fromRef);
      return recounted({ ...c, values });
    }
    const text = mode(source as CategoricalColumn);
    if (text === null) return c;
    let code = c.categories.indexOf(text);
    const categories = code < 0 ? [...c.categories, text] : c.categories;
    if (code < 0) code = c.categories.length;
    const codes = c.codes.slice();
    for (let i = 0; i < codes.length; i++) if (codes[i] < 0) codes[i] = code;
    fill(change, text, fromRef);
    return recounted({ ...c, codes, categories });
  });
  const filled = changes.reduce((s, c) => s + c.filled, 0);
  const unfilled = changes.filter((c) => c.filled === 0).map((c) => `'${c.name}'`);
  const from = options.fitOn ? 'of the reference data' : 'of this table';
  return {
    strategy,
    table: { nRows: table.nRows, columns },
    rows: identity,
    dropped: 0,
    columns: changes,
    description:
      (filled === 0
        ? 'No missing values to fill.'
        : `${filled} missing ${filled === 1 ? 'cell is' : 'cells are'} filled: numbers with the column median, text with the most frequent value, both ${from}.`) +
      (unfilled.length ? ` ${unfilled.join(', ')} ${unfilled.length === 1 ? 'has' : 'have'} no value to learn from and stay missing.` : ''),
  };
}
