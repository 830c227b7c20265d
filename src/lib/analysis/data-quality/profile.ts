/**
 * A column's full profile for the data-quality view: the compact `ColumnSummary` plus spread,
 * quantiles, a small histogram (or the top categories), invalid cells, IQR outliers and categories a
 * model does not know.
 */
import type { Column, ColumnStats } from '../../data/table';
import { quantileSorted, summarizeColumn, type ColumnSummary } from '../data-summary';
import { sortedFinite } from '../drift/sorted';
import { histogram, HISTOGRAM_BINS, type HistogramBin } from './histogram';
import { unseenCategories, type UnseenCategories } from './unseen';

/** Quantiles by linear interpolation (numpy's default), as `quantileSorted`. */
export interface Quantiles {
  p1: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
}

const QUANTILES: [keyof Quantiles, number][] = [
  ['p1', 0.01],
  ['p5', 0.05],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p95', 0.95],
  ['p99', 0.99],
];

/** Default multiple of the IQR beyond the quartiles at which a value is an outlier (Tukey's fences). */
export const IQR_K = 1.5;

export interface OutlierSummary {
  /** Values below `lowerFence` or above `upperFence`. */
  count: number;
  low: number;
  high: number;
  /** p25 − k·IQR and p75 + k·IQR. */
  lowerFence: number;
  upperFence: number;
  k: number;
  /** First outlying row indexes, ascending. */
  examples: number[];
}

export interface CategoryCount {
  value: string;
  count: number;
  /** Share of all rows (missing included). */
  share: number;
  /** True for the bucket that gathers the categories beyond the top ones; `value` says how many. */
  other: boolean;
}

export interface ColumnProfile extends ColumnSummary {
  rows: number;
  /** Up to 5 cell texts that were not numbers (numeric columns). */
  invalidExamples: string[];
  /** Sample standard deviation (n − 1) of the finite values; null with fewer than two. */
  sd: number | null;
  quantiles: Quantiles | null;
  /** Numeric: at most `histogramBins` round equal-width bins. */
  histogram: HistogramBin[] | null;
  /** Categorical/boolean: the top categories by count, then one 'other' bucket. */
  categories: CategoryCount[] | null;
  /** Numeric: outliers by the IQR rule. */
  outliers: OutlierSummary | null;
  /** At most one distinct non-missing value. */
  constant: boolean;
  /** Values the model does not know, when `knownCategories` is given. */
  unseen: UnseenCategories | null;
}

export interface ProfileOptions {
  /** Default 20. */
  histogramBins?: number;
  /** Default 10. */
  topCategories?: number;
  /** Tukey's k. Default 1.5. */
  iqrK?: number;
  /** Row indexes kept as examples. Default 10. */
  examples?: number;
  /** The categories the model's encoder knows for this column (skl2onnx `cats_strings`). */
  knownCategories?: readonly string[];
}

/** Tukey's fences of ascending finite values, or null without values. */
export function iqrFences(sorted: ArrayLike<number>, k = IQR_K): { lower: number; upper: number } | null {
  if (sorted.length === 0) return null;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return { lower: q1 - k * (q3 - q1), upper: q3 + k * (q3 - q1) };
}

function outliers(values: Float64Array, fences: { lower: number; upper: number }, k: number, maxExamples: number): OutlierSummary {
  let low = 0, high = 0;
  const examples: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const isLow = v < fences.lower;
    const isHigh = v > fences.upper;
    if (!isLow && !isHigh) continue;
    if (isLow) low++;
    else high++;
    if (examples.length < maxExamples) examples.push(i);
  }
  return { count: low + high, low, high, lowerFence: fences.lower, upperFence: fences.upper, k, examples };
}

function countDistinctSorted(sorted: Float64Array): number {
  let d = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) d++;
  return d;
}

/** Per-category counts of a categorical column (codes −1 excluded). */
export function categoryCounts(codes: Int32Array, categories: readonly string[]): number[] {
  const counts = new Array<number>(categories.length).fill(0);
  for (const c of codes) if (c >= 0) counts[c]++;
  return counts;
}

/** Missing cells actually in the data (stats may be stale after rows were taken), and the invalid part of them. */
function recount(col: Column): Pick<ColumnStats, 'missing' | 'invalid'> {
  let missing = 0;
  if (col.kind === 'numeric') {
    for (const v of col.values) if (Number.isNaN(v)) missing++;
  } else {
    for (const c of col.codes) if (c < 0) missing++;
  }
  return { missing, invalid: Math.min(col.stats.invalid, missing) };
}

/** The profile of one column of a table of `nRows` rows. */
export function columnProfile(col: Column, nRows: number, options: ProfileOptions = {}): ColumnProfile {
  const summary = summarizeColumn(col, nRows);
  const { missing, invalid } = recount(col);
  const base = {
    ...summary,
    missing,
    invalid,
    missingShare: nRows ? missing / nRows : 0,
    rows: nRows,
    invalidExamples: invalid > 0 ? col.stats.invalidExamples : [],
    sd: null,
    quantiles: null,
    histogram: null,
    categories: null,
    outliers: null,
    unseen: options.knownCategories ? unseenCategories(col, options.knownCategories, options.examples) : null,
  };
  const maxExamples = options.examples ?? 10;

  if (col.kind === 'numeric') {
    const sorted = sortedFinite(col.values);
    const k = sorted.length;
    const distinct = countDistinctSorted(sorted);
    if (k === 0) return { ...base, distinct, constant: true, histogram: [] };
    let sum = 0;
    for (const v of sorted) sum += v;
    const mean = sum / k;
    let ss = 0;
    for (const v of sorted) ss += (v - mean) ** 2;
    const quantiles = Object.fromEntries(QUANTILES.map(([name, q]) => [name, quantileSorted(sorted, q)])) as unknown as Quantiles;
    const iqrK = options.iqrK ?? IQR_K;
    return {
      ...base,
      distinct,
      sd: k > 1 ? Math.sqrt(ss / (k - 1)) : null,
      quantiles,
      histogram: histogram(sorted, options.histogramBins ?? HISTOGRAM_BINS),
      outliers: outliers(col.values, iqrFences(sorted, iqrK)!, iqrK, maxExamples),
      constant: distinct <= 1,
    };
  }

  const counts = categoryCounts(col.codes, col.categories);
  const ranked = counts
    .map((count, i) => ({ value: col.categories[i], count }))
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count);
  const top = Math.max(1, options.topCategories ?? 10);
  const categories: CategoryCount[] = ranked.slice(0, top).map((c) => ({ ...c, share: nRows ? c.count / nRows : 0, other: false }));
  const rest = ranked.slice(top);
  if (rest.length > 0) {
    const count = rest.reduce((s, c) => s + c.count, 0);
    categories.push({ value: `${rest.length} other ${rest.length === 1 ? 'value' : 'values'}`, count, share: nRows ? count / nRows : 0, other: true });
  }
  return { ...base, distinct: ranked.length, categories, constant: ranked.length <= 1 };
}
