/**
 * Minimal CSV reading and writing for the sample builders (RFC 4180 quoting; header row required).
 */
import Papa from 'papaparse';

export interface Csv {
  header: string[];
  rows: string[][];
}

/** Parse CSV text; every cell stays a string (no type guessing: 'NA' stays 'NA'). */
export function parseCsv(text: string): Csv {
  const res = Papa.parse<string[]>(text.trim(), { header: false, skipEmptyLines: true });
  if (res.errors.length > 0) throw new Error(`CSV: ${res.errors[0].message} (row ${res.errors[0].row})`);
  const [header, ...rows] = res.data;
  for (const [i, r] of rows.entries()) {
    if (r.length !== header.length) throw new Error(`CSV row ${i + 2} has ${r.length} cells, header has ${header.length}`);
  }
  return { header, rows };
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Write CSV text with '\n' line ends and a final newline; cells quoted only when needed. */
export function formatCsv(csv: Csv): string {
  return [csv.header, ...csv.rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
}

/** Index of a header column, or throw. */
export function col(csv: Csv, name: string): number {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new Error(`CSV has no column '${name}'`);
  return i;
}

/** A column as numbers; 'NA' and '' become NaN. */
export function numbers(csv: Csv, name: string): number[] {
  const i = col(csv, name);
  return csv.rows.map((r) => (r[i] === 'NA' || r[i] === '' ? NaN : Number(r[i])));
}

/** A column as strings. */
export function strings(csv: Csv, name: string): string[] {
  const i = col(csv, name);
  return csv.rows.map((r) => r[i]);
}
