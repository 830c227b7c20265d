/**
 * A compact description of each column, for the data panel and the report: type, missing and
 * invalid counts, range and centre for numbers, most frequent values for categories.
 */
import type { Column, ColumnKind, Table } from '../data/table';

export interface ColumnSummary {
  name: string;
  kind: ColumnKind;
  /** Cells missing (empty or a missing token) plus invalid cells, which are stored as missing. */
  missing: number;
  invalid: number;
  /** Share of rows missing or invalid, 0..1. */
  missingShare: number;
  distinct: number;
  /** Numeric only (null otherwise, or when every cell is missing). */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Median by linear interpolation between order statistics (numpy's default). */
  median: number | null;
  /** Categorical/boolean only: the most frequent values with their counts, most frequent first (at most 5). */
  top: { value: string; count: number }[] | null;
}

export function summarizeColumn(col: Column, nRows: number): ColumnSummary {
  const missing = col.stats.missing + col.stats.invalid;
  const base = {
    name: col.name,
    kind: col.kind,
    missing,
    invalid: col.stats.invalid,
    missingShare: nRows ? missing / nRows : 0,
    distinct: col.stats.distinct,
    min: null,
    max: null,
    mean: null,
    median: null,
    top: null,
  };
  if (col.kind === 'numeric') {
    const finite = new Float64Array(col.values.length);
    let k = 0, sum = 0;
    for (const v of col.values) {
      if (Number.isFinite(v)) {
        finite[k++] = v;
        sum += v;
      }
    }
    if (k === 0) return base;
    const sorted = finite.subarray(0, k).sort();
    return { ...base, min: sorted[0], max: sorted[k - 1], mean: sum / k, median: quantileSorted(sorted, 0.5) };
  }
  const counts = new Array<number>(col.categories.length).fill(0);
  for (const code of col.codes) if (code >= 0) counts[code]++;
  const top = counts
    .map((count, i) => ({ value: col.categories[i], count }))
    .filter((t) => t.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 5);
  return { ...base, top };
}

/** Quantile q in [0, 1] of ascending-sorted values, linear interpolation (numpy 'linear'). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface DataSummary {
  rows: number;
  columns: number;
  /** Rows with at least one missing or invalid cell. */
  rowsWithMissing: number;
  byColumn: ColumnSummary[];
}

export function summarizeTable(table: Table): DataSummary {
  const hasMissing = new Uint8Array(table.nRows);
  for (const col of table.columns) {
    if (col.kind === 'numeric') {
      for (let i = 0; i < table.nRows; i++) if (Number.isNaN(col.values[i])) hasMissing[i] = 1;
    } else {
      for (let i = 0; i < table.nRows; i++) if (col.codes[i] < 0) hasMissing[i] = 1;
    }
  }
  let rowsWithMissing = 0;
  for (const m of hasMissing) rowsWithMissing += m;
  return {
    rows: table.nRows,
    columns: table.columns.length,
    rowsWithMissing,
    byColumn: table.columns.map((c) => summarizeColumn(c, table.nRows)),
  };
}
