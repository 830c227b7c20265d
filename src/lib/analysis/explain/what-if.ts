/**
 * What-if editing: a one-row table from a row with some cells changed, ready to predict and explain
 * (TreeSHAP and linear attributions are instant; KernelSHAP of one row with a small background is
 * fast enough to follow edits for the small samples).
 */
import type { Table } from '../../data/table';
import { cellValue, columnIndex, encodeCell, repeatRows, sameCell, type CellValue } from './cells';

/** Cell edits by column name: a number, a category text (new texts are allowed), or null for missing. */
export type Edits = Record<string, CellValue>;

/** A one-row table: row `row` of `table` with `edits` applied. Categories are copied, so a new text is appended to its column only. */
export function withEdits(table: Table, row: number, edits: Edits): Table {
  if (row < 0 || row >= table.nRows) throw new Error(`Row ${row} is outside the table's ${table.nRows} rows.`);
  const t = repeatRows(table, [row], 1);
  for (const [name, value] of Object.entries(edits)) {
    const col = t.columns[columnIndex(t, name)];
    const code = encodeCell(col, value);
    if (col.kind === 'numeric') col.values[0] = code;
    else col.codes[0] = code;
  }
  return t;
}

/** The cells of one row by column name (for a what-if form). */
export function rowCells(table: Table, row: number, columns?: readonly string[]): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const c of table.columns) if (!columns || columns.includes(c.name)) out[c.name] = cellValue(c, row);
  return out;
}

/** One changed cell, for diffs against the original row. */
export interface CellChange {
  column: string;
  from: CellValue;
  to: CellValue;
}

/** The cells of `b` row `rowB` that differ from `a` row `rowA`, over `columns` (default: all of a's). */
export function diffRows(a: Table, rowA: number, b: Table, rowB: number, columns?: readonly string[]): CellChange[] {
  const names = columns ?? a.columns.map((c) => c.name);
  const out: CellChange[] = [];
  for (const name of names) {
    const from = cellValue(a.columns[columnIndex(a, name)], rowA);
    const to = cellValue(b.columns[columnIndex(b, name)], rowB);
    if (!sameCell(from, to)) out.push({ column: name, from, to });
  }
  return out;
}
