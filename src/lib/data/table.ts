/**
 * The columnar table every part of Loupe reads: one typed array per column, never one object per row.
 * Numeric columns hold Float64 values with NaN for missing or invalid cells; categorical and boolean
 * columns hold Int32 dictionary codes into `categories`, with -1 for missing.
 */

export type ColumnKind = 'numeric' | 'categorical' | 'boolean';

/** What was counted about a column while parsing it. */
export interface ColumnStats {
  /** Cells that were empty or a missing-value token (NA, NaN, null, ...). */
  missing: number;
  /** Cells that could not be read as the column's type (text in a numeric column); stored as missing. */
  invalid: number;
  /** Distinct non-missing values. */
  distinct: number;
  /** Up to 5 invalid cell texts, for messages. */
  invalidExamples: string[];
}

export interface NumericColumn {
  kind: 'numeric';
  name: string;
  values: Float64Array;
  stats: ColumnStats;
}

export interface CategoricalColumn {
  kind: 'categorical' | 'boolean';
  name: string;
  /** Index into `categories`; -1 = missing. */
  codes: Int32Array;
  /** Category texts in first-seen order (for boolean: as spelled in the file). */
  categories: string[];
  stats: ColumnStats;
}

export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  nRows: number;
  columns: Column[];
}

/** How the CSV file itself looked: everything a user may need to know about reading it. */
export interface ParseReport {
  fileName: string;
  bytes: number;
  delimiter: string;
  hadBom: boolean;
  /** Text encoding the bytes were read with: 'utf-8' (also with a BOM), 'utf-16le'/'utf-16be' (with a BOM), or 'windows-1252' for non-UTF-8 text. */
  encoding?: string;
  /** Data rows kept (header excluded). */
  rows: number;
  /** Rows whose field count differed from the header: kept (padded with missing / truncated), counted. */
  raggedRows: number;
  /** 1-based line numbers of the first ragged rows. */
  raggedExamples: number[];
  /** Blank lines skipped. */
  emptyLines: number;
  /** Header names that were empty or duplicated and were renamed (original → new). */
  renamedColumns: { from: string; to: string }[];
  /** Non-fatal problems, in words. */
  warnings: string[];
}

export function column(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** Text of one cell as a user would read it ('' for missing). */
export function cellText(col: Column, row: number): string {
  if (col.kind === 'numeric') {
    const v = col.values[row];
    return Number.isNaN(v) ? '' : String(v);
  }
  const code = col.codes[row];
  return code < 0 ? '' : col.categories[code];
}

/** The typed arrays of a table, for `postMessage` transfer lists. */
export function tableBuffers(table: Table): ArrayBuffer[] {
  return table.columns.map((c) => (c.kind === 'numeric' ? c.values.buffer : c.codes.buffer) as ArrayBuffer);
}

/** Row indexes 0..n-1. */
export function allRows(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** A new table holding the rows at `rows` (in that order; indexes may repeat). Stats are copied, not recounted. */
export function takeRows(table: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  return {
    nRows: n,
    columns: table.columns.map((c) => {
      if (c.kind === 'numeric') {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[rows[i]];
        return { ...c, values };
      }
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = c.codes[rows[i]];
      return { ...c, codes };
    }),
  };
}
