/**
 * Problems seen row by row (missing cells, outliers, values a model does not know), duplicate rows
 * and constant columns.
 */
import { cellText, type Column, type Table } from '../../data/table';
import { sortedFinite } from '../drift/sorted';
import { iqrFences, IQR_K } from './profile';

/** Bit flags of `RowProblems.flags`. */
export const ROW_MISSING = 1;
export const ROW_OUTLIER = 2;
export const ROW_UNSEEN = 4;

export interface RowProblemExample {
  row: number;
  /** Columns whose cell is missing or was not a number. */
  missing: string[];
  /** Numeric columns whose value lies outside the IQR fences. */
  outliers: string[];
  /** Columns whose value the model does not know. */
  unseen: string[];
}

export interface RowProblems {
  /** Per row: ROW_MISSING | ROW_OUTLIER | ROW_UNSEEN bits (0 = no problem). */
  flags: Uint8Array;
  /** Rows with each problem, and with any. */
  counts: { missing: number; outlier: number; unseen: number; any: number };
  /** Cells with each problem, per column (columns without any are left out). */
  byColumn: { name: string; missing: number; outliers: number; unseen: number }[];
  /** The first rows with any problem, ascending, with the columns at fault. */
  examples: RowProblemExample[];
  /** What the flags mean, in words. */
  note: string;
}

export interface RowProblemOptions {
  /** Columns to check (default: all). Pass the model's inputs to ignore the rest. */
  columns?: readonly string[];
  /** Tukey's k for outliers. Default 1.5. */
  iqrK?: number;
  /** Rows listed in `examples`. Default 20. */
  firstN?: number;
  /** Per column, the categories the model knows; other values are flagged unseen. */
  knownCategories?: Readonly<Record<string, readonly string[]>>;
}

const pick = (table: Table, names?: readonly string[]): Column[] =>
  names ? table.columns.filter((c) => names.includes(c.name)) : table.columns;

/** Flags every row's problems and lists the first rows that have any. */
export function rowProblems(table: Table, options: RowProblemOptions = {}): RowProblems {
  const n = table.nRows;
  const k = options.iqrK ?? IQR_K;
  const firstN = options.firstN ?? 20;
  const cols = pick(table, options.columns);
  const flags = new Uint8Array(n);
  // Per column, a per-row problem code: 1 missing, 2 outlier, 4 unseen.
  const cellFlags: Uint8Array[] = [];
  const byColumn: RowProblems['byColumn'] = [];

  for (const col of cols) {
    const f = new Uint8Array(n);
    let missing = 0, outliers = 0, unseen = 0;
    if (col.kind === 'numeric') {
      const fences = iqrFences(sortedFinite(col.values), k);
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        if (Number.isNaN(v)) {
          f[i] = ROW_MISSING;
          missing++;
        } else if (fences && (v < fences.lower || v > fences.upper)) {
          f[i] = ROW_OUTLIER;
          outliers++;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (col.codes[i] < 0) {
          f[i] = ROW_MISSING;
          missing++;
        }
      }
    }
    const known = options.knownCategories?.[col.name];
    if (known) {
      const set = new Set(known);
      for (let i = 0; i < n; i++) {
        if (f[i] === ROW_MISSING) continue;
        if (!set.has(cellText(col, i))) {
          f[i] |= ROW_UNSEEN;
          unseen++;
        }
      }
    }
    for (let i = 0; i < n; i++) flags[i] |= f[i];
    cellFlags.push(f);
    if (missing + outliers + unseen > 0) byColumn.push({ name: col.name, missing, outliers, unseen });
  }

  const counts = { missing: 0, outlier: 0, unseen: 0, any: 0 };
  const examples: RowProblemExample[] = [];
  for (let i = 0; i < n; i++) {
    const f = flags[i];
    if (f === 0) continue;
    counts.any++;
    if (f & ROW_MISSING) counts.missing++;
    if (f & ROW_OUTLIER) counts.outlier++;
    if (f & ROW_UNSEEN) counts.unseen++;
    if (examples.length < firstN) {
      const e: RowProblemExample = { row: i, missing: [], outliers: [], unseen: [] };
      cols.forEach((c, j) => {
        const g = cellFlags[j][i];
        if (g & ROW_MISSING) e.missing.push(c.name);
        if (g & ROW_OUTLIER) e.outliers.push(c.name);
        if (g & ROW_UNSEEN) e.unseen.push(c.name);
      });
      examples.push(e);
    }
  }
  const note =
    'Missing: an empty cell, a missing-value token, or text in a numeric column (read as missing; the column profile counts those ' +
    `separately). Outlier: a number beyond the quartiles by more than ${k} \u00D7 IQR. Unseen: a value the model\u2019s encoder does not know.`;
  return { flags, counts, byColumn, examples, note };
}

export interface DuplicateRows {
  /** Rows that repeat an earlier row exactly (the first occurrence is not counted). */
  count: number;
  /** Distinct rows that occur more than once. */
  groups: number;
  /** The first groups (by first occurrence): each group's row indexes, ascending (at most 10 each). */
  examples: number[][];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

function cellsEqual(cols: readonly Column[], a: number, b: number): boolean {
  for (const c of cols) {
    if (c.kind === 'numeric') {
      const x = c.values[a], y = c.values[b];
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
    } else if (c.codes[a] !== c.codes[b]) return false;
  }
  return true;
}

/**
 * Rows that are exact repeats of an earlier row over `columns` (default: all); missing equals missing.
 * Rows are hashed and every hash match is confirmed cell by cell.
 */
export function duplicateRows(table: Table, options: { columns?: readonly string[]; firstN?: number } = {}): DuplicateRows {
  const cols = pick(table, options.columns);
  const n = table.nRows;
  const firstN = options.firstN ?? 10;
  const hashes = new Uint32Array(n).fill(0x811c9dc5);
  for (const c of cols) {
    if (c.kind === 'numeric') {
      for (let i = 0; i < n; i++) {
        const v = c.values[i];
        f64[0] = Number.isNaN(v) ? NaN : v === 0 ? 0 : v;
        hashes[i] = mix(mix(hashes[i], u32[0]), u32[1]);
      }
    } else {
      for (let i = 0; i < n; i++) hashes[i] = mix(hashes[i], c.codes[i]);
    }
  }
  // hash → first rows of the distinct rows with that hash; first row → its group.
  const buckets = new Map<number, number[]>();
  const groupOf = new Map<number, number[]>();
  let count = 0;
  for (let i = 0; i < n; i++) {
    const h = hashes[i];
    let reps = buckets.get(h);
    if (!reps) buckets.set(h, (reps = []));
    const rep = reps.find((r) => cellsEqual(cols, r, i));
    if (rep === undefined) {
      reps.push(i);
      continue;
    }
    count++;
    const g = groupOf.get(rep);
    if (g) g.push(i);
    else groupOf.set(rep, [rep, i]);
  }
  const groups = [...groupOf.values()];
  return { count, groups: groups.length, examples: groups.slice(0, firstN).map((g) => g.slice(0, 10)) };
}

export interface ConstantColumn {
  name: string;
  /** The one value, as text; null when every cell is missing. */
  value: string | null;
  /** Missing cells beside the one value. */
  missing: number;
}

/** Columns with at most one distinct non-missing value: they carry no information for a model. */
export function constantColumns(table: Table): ConstantColumn[] {
  const out: ConstantColumn[] = [];
  for (const c of table.columns) {
    let first = -1, missing = 0, constant = true;
    for (let i = 0; i < table.nRows && constant; i++) {
      const isMissing = c.kind === 'numeric' ? Number.isNaN(c.values[i]) : c.codes[i] < 0;
      if (isMissing) missing++;
      else if (first < 0) first = i;
      else if (c.kind === 'numeric' ? c.values[i] !== c.values[first] : c.codes[i] !== c.codes[first]) constant = false;
    }
    if (constant) out.push({ name: c.name, value: first < 0 ? null : cellText(c, first), missing });
  }
  return out;
}
