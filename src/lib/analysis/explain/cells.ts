/**
 * Cells and synthetic tables: the explainers build hybrid rows (one row's columns mixed with another's,
 * a column set to a grid value, a column shuffled) as whole tables, never one object per row.
 */
import type { CategoricalColumn, Column, Table } from '../../data/table';

/** One cell as a user reads it: a number (numeric column), a category text, or null for missing. */
export type CellValue = number | string | null;

export function cellValue(col: Column, row: number): CellValue {
  if (col.kind === 'numeric') {
    const v = col.values[row];
    return Number.isNaN(v) ? null : v;
  }
  const c = col.codes[row];
  return c < 0 ? null : col.categories[c];
}

/** Whether two cells hold the same value (missing equals missing). */
export function sameCell(a: CellValue, b: CellValue): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

export function columnIndex(table: Table, name: string): number {
  const j = table.columns.findIndex((c) => c.name === name);
  if (j < 0) throw new Error(`The table has no column '${name}'.`);
  return j;
}

/**
 * The code of `text` in a categorical column, appending it to the column's categories when it is new
 * (a what-if edit may type a category the CSV never had). Only call this on columns a synthetic table
 * owns: {@link repeatRows} gives every column its own copy of `categories`.
 */
export function codeOf(col: CategoricalColumn, text: string): number {
  const k = col.categories.indexOf(text);
  if (k >= 0) return k;
  col.categories.push(text);
  return col.categories.length - 1;
}

/**
 * The number a cell stores in `col`: the value for a numeric column (NaN for missing or for text that
 * is not a number), the category code for a categorical one (-1 for missing; new texts are appended).
 */
export function encodeCell(col: Column, value: CellValue): number {
  if (col.kind === 'numeric') {
    if (value === null) return NaN;
    return typeof value === 'number' ? value : Number(value.trim() === '' ? NaN : value);
  }
  if (value === null) return -1;
  return codeOf(col, typeof value === 'number' ? String(value) : value);
}

/** Writes one encoded value (from {@link encodeCell}) into rows [from, to) of `col`. */
export function fillEncoded(col: Column, from: number, to: number, encoded: number): void {
  if (col.kind === 'numeric') col.values.fill(encoded, from, to);
  else col.codes.fill(encoded, from, to);
}

/**
 * A new table holding `rows` of `src` repeated `times` (block t = copy t, rows [t·R, (t+1)·R)). Every
 * column gets its own copy of `categories`, so cells can be written with new texts.
 */
export function repeatRows(src: Table, rows: ArrayLike<number>, times: number): Table {
  const r = rows.length;
  const n = r * times;
  return {
    nRows: n,
    columns: src.columns.map((c) => {
      if (c.kind === 'numeric') {
        const block = new Float64Array(r);
        for (let i = 0; i < r; i++) block[i] = c.values[rows[i]];
        const values = new Float64Array(n);
        for (let t = 0; t < times; t++) values.set(block, t * r);
        return { ...c, values };
      }
      const block = new Int32Array(r);
      for (let i = 0; i < r; i++) block[i] = c.codes[rows[i]];
      const codes = new Int32Array(n);
      for (let t = 0; t < times; t++) codes.set(block, t * r);
      return { ...c, codes, categories: c.categories.slice() };
    }),
  };
}

export { allRows } from '../../data/table';

/**
 * The cells of `src` row `row` encoded for `dst`'s columns (matched by name; a column `src` lacks is
 * missing). Categorical texts unknown to `dst` are appended to its categories.
 */
export function encodeRowFor(dst: Table, src: Table, row: number): Float64Array {
  const out = new Float64Array(dst.columns.length);
  dst.columns.forEach((c, j) => {
    const s = src.columns.find((x) => x.name === c.name);
    out[j] = encodeCell(c, s ? cellValue(s, row) : null);
  });
  return out;
}

/** Observed values of one column: what a user may set it to, and how far a change goes. */
export type FeatureDomain =
  | {
      kind: 'numeric';
      column: string;
      min: number;
      max: number;
      /** Interquartile range, or the range when the IQR is 0, or 1 when the column is constant. */
      scale: number;
      /** Every observed value is an integer. */
      integer: boolean;
      /** Sorted distinct observed values (all of them: the domain snaps to these). */
      distinct: Float64Array;
    }
  | {
      kind: 'categorical';
      column: string;
      /** Observed categories (count > 0), most frequent first. */
      categories: string[];
      counts: number[];
    };

/** Quantile `q` of sorted values (linear interpolation, as numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Sorted non-missing values of a numeric column. */
export function sortedValues(values: Float64Array): Float64Array {
  let k = 0;
  const out = new Float64Array(values.length);
  for (const v of values) if (!Number.isNaN(v)) out[k++] = v;
  return out.subarray(0, k).sort();
}

/** The observed domain of each named column (see {@link FeatureDomain}). */
export function featureDomains(table: Table, features: readonly string[]): FeatureDomain[] {
  return features.map((name) => {
    const col = table.columns[columnIndex(table, name)];
    if (col.kind === 'numeric') {
      const sorted = sortedValues(col.values);
      const min = sorted.length ? sorted[0] : NaN;
      const max = sorted.length ? sorted[sorted.length - 1] : NaN;
      const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
      const scale = iqr > 0 ? iqr : max > min ? max - min : 1;
      let integer = true;
      const distinct: number[] = [];
      for (let i = 0; i < sorted.length; i++) {
        if (!Number.isInteger(sorted[i])) integer = false;
        if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
      }
      return { kind: 'numeric', column: name, min, max, scale, integer, distinct: Float64Array.from(distinct) };
    }
    const counts = new Array<number>(col.categories.length).fill(0);
    for (const c of col.codes) if (c >= 0) counts[c]++;
    const order = counts.map((_, k) => k).filter((k) => counts[k] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
    return { kind: 'categorical', column: name, categories: order.map((k) => col.categories[k]), counts: order.map((k) => counts[k]) };
  });
}
