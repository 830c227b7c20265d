/**
 * Which columns can order rows in time: text columns whose values all read as dates, and numeric
 * columns named like a time (year, month, timestamp, ...). Dates first.
 */
import type { Column, Table } from '../../data/table';

const TIME_NAME = /date|time|year|month|week|day|period|epoch/i;

/** Whether a column's values are all dates (text), or it is numeric and named like a time. */
export function isTimeLike(col: Column): boolean {
  if (col.kind === 'numeric') return TIME_NAME.test(col.name);
  if (col.categories.length === 0) return false;
  // A few distinct texts such as '1' also parse as dates; demand a date-like shape.
  return col.categories.every((c) => /\d{4}|\d{1,2}[/.-]\d{1,2}/.test(c) && Number.isFinite(Date.parse(c)));
}

/** Time-like columns of `table`, date columns first, then by table order. */
export function timeColumns(table: Table): string[] {
  const like = table.columns.filter(isTimeLike);
  return [...like.filter((c) => c.kind !== 'numeric'), ...like.filter((c) => c.kind === 'numeric')].map((c) => c.name);
}
