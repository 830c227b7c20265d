/**
 * Time windows: rows ordered by a time column and cut into consecutive windows, and the PSI of every
 * feature in each window against the reference. The reference is binned once per feature, so every
 * window is measured on the same bins. Metrics per window are the caller's: each window carries its
 * row indexes.
 */
import type { Column, Table } from '../../data/table';
import type { Metric } from '../quality/metric';
import { featureDrift, type DriftOptions } from './feature-drift';
import {
  binCategorical,
  binNumeric,
  categoricalReference,
  numericReference,
  psiOf,
  PSI_BINS,
  severityOf,
  type ReferenceBinning,
  type Severity,
} from './psi';

/** How a time column was ordered. */
export type TimeOrder = 'numeric' | 'date' | 'text';

export interface TimeWindow {
  index: number;
  /** Row indexes in time order (ties in row order). */
  rows: Uint32Array;
  /** The first and last time value of the window, as written in the file. */
  from: string;
  to: string;
}

export interface TimeWindows {
  windows: TimeWindow[];
  order: TimeOrder;
  /** Rows left out because their time is missing (or, for dates, unreadable). */
  skipped: number;
  /** How the rows were ordered and cut, in words. */
  note: string;
}

/** A sortable key per row (NaN = no time), how it was derived, and each row's time text. */
function timeKeys(col: Column): { keys: Float64Array; order: TimeOrder; text: (row: number) => string } {
  const n = col.kind === 'numeric' ? col.values.length : col.codes.length;
  if (col.kind === 'numeric') return { keys: col.values, order: 'numeric', text: (r) => String(col.values[r]) };
  const cats = col.categories;
  const text = (r: number) => (col.codes[r] < 0 ? '' : cats[col.codes[r]]);
  const dates = cats.map((c) => Date.parse(c));
  let byCategory: Float64Array;
  let order: TimeOrder;
  if (cats.length > 0 && dates.every((d) => Number.isFinite(d))) {
    byCategory = Float64Array.from(dates);
    order = 'date';
  } else {
    const sorted = cats.map((c, i) => ({ c, i })).sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
    byCategory = new Float64Array(cats.length);
    sorted.forEach((s, rank) => (byCategory[s.i] = rank));
    order = 'text';
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = col.codes[i] < 0 ? NaN : byCategory[col.codes[i]];
  return { keys, order, text };
}

const ORDER_WORDS: Record<TimeOrder, string> = {
  numeric: 'by its numbers',
  date: 'by the dates its values spell',
  text: 'alphabetically (its values are not all dates; ISO dates such as 2024-03-01 sort correctly this way)',
};

/**
 * Orders the rows by `time` and cuts them into `count` windows of (nearly) equal row counts, or into
 * windows of `size` rows (the last may be smaller). Rows with a missing time are left out. Windows
 * are cut by row count, so equal times may fall on both sides of a cut.
 */
export function windows(time: Column, options: { count: number } | { size: number }): TimeWindows {
  const { keys, order, text } = timeKeys(time);
  const ordered: number[] = [];
  for (let i = 0; i < keys.length; i++) if (Number.isFinite(keys[i])) ordered.push(i);
  ordered.sort((a, b) => keys[a] - keys[b] || a - b);
  const m = ordered.length;
  const cuts: number[] = [0];
  if ('count' in options) {
    const count = Math.max(1, Math.min(m, Math.floor(options.count)));
    for (let k = 1; k <= count; k++) cuts.push(Math.floor((k * m) / count));
  } else {
    const size = Math.max(1, Math.floor(options.size));
    for (let at = size; at < m + size; at += size) cuts.push(Math.min(m, at));
  }
  const out: TimeWindow[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    if (cuts[k + 1] <= cuts[k]) continue;
    const rows = Uint32Array.from(ordered.slice(cuts[k], cuts[k + 1]));
    out.push({ index: out.length, rows, from: text(rows[0]), to: text(rows[rows.length - 1]) });
  }
  const skipped = keys.length - m;
  const how = 'count' in options ? `${out.length} windows of about ${out.length ? Math.round(m / out.length) : 0} rows` : `windows of ${Math.floor(options.size)} rows`;
  const note = `Rows ordered by '${time.name}' ${ORDER_WORDS[order]}, cut into ${how}${skipped ? `; ${skipped} rows without a time left out` : ''}.`;
  return { windows: out, order, skipped, note };
}

export interface WindowDrift {
  index: number;
  from: string;
  to: string;
  rows: number;
  /** PSI of each feature (in `DriftOverWindows.features` order) against the reference. */
  psi: Metric[];
  severity: Severity[];
  /** The worst severity among the features ('unknown' only when every PSI is unknown). */
  worst: Severity;
}

export interface DriftOverWindows {
  features: string[];
  windows: WindowDrift[];
}

const RANK: Record<Severity, number> = { unknown: -1, none: 0, moderate: 1, major: 2 };

/**
 * PSI of each feature in each window of `data` against the whole of `ref` (default features: those in
 * both tables). `data` may be the reference table itself, to watch a single file drift over time.
 */
export function driftOverWindows(
  ref: Table,
  data: Table,
  wins: readonly TimeWindow[],
  features?: readonly string[],
  options: DriftOptions = {},
): DriftOverWindows {
  const refBy = new Map(ref.columns.map((c) => [c.name, c]));
  const dataBy = new Map(data.columns.map((c) => [c.name, c]));
  const names = (features ?? ref.columns.map((c) => c.name)).filter((n) => refBy.has(n) && dataBy.has(n));
  const bins = options.bins ?? PSI_BINS;

  // One reference binning per feature; null where the two sides differ in kind (rare, done the slow way).
  const references: (ReferenceBinning | null)[] = names.map((n) => {
    const r = refBy.get(n)!;
    const d = dataBy.get(n)!;
    if (r.kind === 'numeric' && d.kind === 'numeric') return numericReference(r.values, bins);
    if (r.kind !== 'numeric' && d.kind !== 'numeric') return categoricalReference(r.codes, r.categories);
    return null;
  });

  const out = wins.map((w) => {
    const psi = names.map((n, j): Metric => {
      const reference = references[j];
      const d = dataBy.get(n)!;
      if (reference === null) return featureDrift(refBy.get(n)!, d, options, undefined, w.rows).psi;
      if (reference.kind === 'numeric' && d.kind === 'numeric') return psiOf(binNumeric(reference, d.values, w.rows)).value;
      if (reference.kind === 'categorical' && d.kind !== 'numeric') return psiOf(binCategorical(reference, d.codes, d.categories, w.rows)).value;
      return featureDrift(refBy.get(n)!, d, options, undefined, w.rows).psi;
    });
    const severity = psi.map(severityOf);
    const worst = severity.reduce<Severity>((a, s) => (RANK[s] > RANK[a] ? s : a), 'unknown');
    return { index: w.index, from: w.from, to: w.to, rows: w.rows.length, psi, severity, worst };
  });
  return { features: names, windows: out };
}
