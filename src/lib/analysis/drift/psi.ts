/**
 * Population Stability Index on bins fixed by the reference: numeric features at the reference's
 * deciles, categorical features per category, missing values in a bin of their own. The reference bins
 * are computed once (`numericReference`, `categoricalReference`) and reused for every current sample,
 * so drift over time windows bins each window the same way.
 */
import { formatNumber, known, unknown, type Metric } from '../quality/metric';
import { sortedFinite } from './sorted';

/** Bins requested for numeric PSI: the reference's deciles. */
export const PSI_BINS = 10;
/** Share used for a bin that is empty on one side, so ln(cur/ref) stays finite. */
export const PSI_EPSILON = 1e-4;
/** PSI at or above this is a moderate shift. */
export const PSI_MODERATE = 0.1;
/** PSI at or above this is a major shift. */
export const PSI_MAJOR = 0.25;

/** 'none' PSI < 0.1, 'moderate' < 0.25, 'major' ≥ 0.25; 'unknown' when PSI cannot be computed. */
export type Severity = 'none' | 'moderate' | 'major' | 'unknown';

/** How PSI bins are drawn, in words, for method notes. */
export const PSI_BINNING =
  `Numeric features: up to ${PSI_BINS} bins cut at the reference deciles (each cut a reference value, the smallest with at least ` +
  'k/10 of the reference at or below it; repeated cuts merge, so a feature with few distinct values gets one bin per value); ' +
  'each bin is (lo, hi], and the outer bins are open so current ' +
  'values beyond the reference range still count. Categorical features: one bin per category, including categories seen only in ' +
  `the current data. Missing values form a bin of their own. Shares are of all rows; an empty bin counts as a share of ${PSI_EPSILON} ` +
  'so the logarithm stays finite. PSI = \u03A3 (cur \u2212 ref) \u00B7 ln(cur / ref).';

/** The severity thresholds, in words. */
export const PSI_THRESHOLDS = `PSI < ${PSI_MODERATE}: no significant shift; ${PSI_MODERATE} to ${PSI_MAJOR}: moderate; \u2265 ${PSI_MAJOR}: major.`;

export interface Bin {
  label: string;
  /** Numeric bins: the interval (lo, hi]; null for an open end, and for categories and missing. */
  lo: number | null;
  hi: number | null;
  /** True for the bin of missing values (always the last bin when present). */
  missing: boolean;
}

/** Counts of a reference and a current sample in shared bins. */
export interface BinnedPair {
  bins: Bin[];
  ref: Float64Array;
  cur: Float64Array;
}

export interface PsiBin extends Bin {
  refCount: number;
  curCount: number;
  /** Shares of all rows of each side, before the epsilon for empty bins. */
  refShare: number;
  curShare: number;
  /** This bin's part of the PSI: (cur − ref) · ln(cur / ref), with empty shares taken as 1e-4. */
  term: number;
}

export interface PsiResult {
  value: Metric;
  bins: PsiBin[];
}

/**
 * Inner cut points at the reference's k/bins quantiles (k = 1..bins−1), strictly increasing. Each is a
 * reference value: the smallest x with F(x) ≥ k/bins (the inverted empirical distribution function,
 * numpy's method='inverted_cdf'), so the bin (−∞, x] holds at least k/bins of the reference. Repeated
 * cut points merge; a cut at the reference maximum is dropped unless it is the only one (a constant
 * reference), so the open top bin holds the largest reference values.
 */
export function quantileEdges(sortedRef: ArrayLike<number>, bins = PSI_BINS): number[] {
  const n = sortedRef.length;
  const edges: number[] = [];
  if (n === 0) return edges;
  for (let k = 1; k < bins; k++) {
    const q = sortedRef[Math.max(0, Math.ceil((k * n) / bins) - 1)];
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  if (edges.length > 1 && edges[edges.length - 1] === sortedRef[n - 1]) edges.pop();
  return edges;
}

/** Index of the bin (lo, hi] holding x among the bins cut at `edges` (0..edges.length). */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0, hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The bins cut at `edges`: '≤ e0', '(e0, e1]', ..., '> e_last'; one bin 'all values' without edges. */
export function numericBins(edges: readonly number[]): Bin[] {
  if (edges.length === 0) return [{ label: 'all values', lo: null, hi: null, missing: false }];
  const bins: Bin[] = [{ label: `\u2264 ${formatNumber(edges[0])}`, lo: null, hi: edges[0], missing: false }];
  for (let k = 1; k < edges.length; k++) {
    bins.push({ label: `(${formatNumber(edges[k - 1])}, ${formatNumber(edges[k])}]`, lo: edges[k - 1], hi: edges[k], missing: false });
  }
  const last = edges[edges.length - 1];
  bins.push({ label: `> ${formatNumber(last)}`, lo: last, hi: null, missing: false });
  return bins;
}

const MISSING_BIN: Bin = { label: 'missing', lo: null, hi: null, missing: true };

/** Reference binning of a numeric feature: cut points and the reference counts (missing count last). */
export interface NumericReference {
  kind: 'numeric';
  edges: number[];
  bins: Bin[];
  /** Per bin, then the missing count. */
  counts: Float64Array;
}

/** Reference binning of a categorical feature: its categories and their counts (missing count last). */
export interface CategoricalReference {
  kind: 'categorical';
  labels: string[];
  /** Per label, then the missing count. */
  counts: Float64Array;
}

export type ReferenceBinning = NumericReference | CategoricalReference;

/**
 * Bins a numeric reference sample at its quantiles; NaN and ±Infinity count as missing. `sorted`, when
 * the caller has it, is `sortedFinite(values, rows)`, saving a sort.
 */
export function numericReference(values: ArrayLike<number>, bins = PSI_BINS, rows?: ArrayLike<number>, sorted = sortedFinite(values, rows)): NumericReference {
  const edges = quantileEdges(sorted, bins);
  const counts = countNumeric(edges, values, rows);
  return { kind: 'numeric', edges, bins: numericBins(edges), counts };
}

function countNumeric(edges: readonly number[], values: ArrayLike<number>, rows?: ArrayLike<number>): Float64Array {
  const k = edges.length + 1;
  const counts = new Float64Array(k + 1);
  const n = rows ? rows.length : values.length;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? rows[i] : i];
    counts[Number.isFinite(v) ? binOf(edges, v) : k]++;
  }
  return counts;
}

/** Counts per category text of dictionary codes (code −1 = missing), plus the missing count last. */
function countCodes(codes: ArrayLike<number>, categories: readonly string[], rows?: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(categories.length + 1);
  const n = rows ? rows.length : codes.length;
  for (let i = 0; i < n; i++) {
    const c = codes[rows ? rows[i] : i];
    counts[c >= 0 ? c : categories.length]++;
  }
  return counts;
}

/** The categories of a categorical reference sample (in dictionary order) and their counts. */
export function categoricalReference(codes: ArrayLike<number>, categories: readonly string[], rows?: ArrayLike<number>): CategoricalReference {
  return { kind: 'categorical', labels: [...categories], counts: countCodes(codes, categories, rows) };
}

/** Shared bins of a numeric reference and a current sample. The missing bin is kept only when used. */
export function binNumeric(ref: NumericReference, values: ArrayLike<number>, rows?: ArrayLike<number>): BinnedPair {
  return withMissingBin(ref.bins, ref.counts, countNumeric(ref.edges, values, rows));
}

/**
 * Shared bins of a categorical reference and a current sample, matched by category text. Categories
 * only in the current sample get bins of their own after the reference's; reference categories absent
 * from both samples are dropped.
 */
export function binCategorical(ref: CategoricalReference, codes: ArrayLike<number>, categories: readonly string[], rows?: ArrayLike<number>): BinnedPair {
  const curCounts = countCodes(codes, categories, rows);
  const index = new Map(ref.labels.map((l, i) => [l, i]));
  const labels = [...ref.labels];
  const refCounts = Array.from(ref.counts.subarray(0, ref.labels.length));
  const cur = new Array<number>(labels.length).fill(0);
  for (let c = 0; c < categories.length; c++) {
    if (curCounts[c] === 0) continue;
    let at = index.get(categories[c]);
    if (at === undefined) {
      at = labels.length;
      index.set(categories[c], at);
      labels.push(categories[c]);
      refCounts.push(0);
      cur.push(0);
    }
    cur[at] += curCounts[c];
  }
  const keep = labels.map((_, i) => refCounts[i] > 0 || cur[i] > 0);
  const bins: Bin[] = labels.map((label) => ({ label, lo: null, hi: null, missing: false }));
  const pick = <T>(a: T[]) => a.filter((_, i) => keep[i]);
  const refMissing = ref.counts[ref.labels.length];
  const curMissing = curCounts[categories.length];
  return withMissingBin(pick(bins), Float64Array.from([...pick(refCounts), refMissing]), Float64Array.from([...pick(cur), curMissing]));
}

/** `bins` plus the missing bin when either side has missing values; counts carry the missing count last. */
function withMissingBin(bins: Bin[], refCounts: Float64Array, curCounts: Float64Array): BinnedPair {
  const k = bins.length;
  if (refCounts[k] > 0 || curCounts[k] > 0) return { bins: [...bins, MISSING_BIN], ref: refCounts.slice(0, k + 1), cur: curCounts.slice(0, k + 1) };
  return { bins, ref: refCounts.slice(0, k), cur: curCounts.slice(0, k) };
}

/** PSI of binned counts (see `PSI_BINNING`). Null when either side has no rows. */
export function psiOf(pair: BinnedPair): PsiResult {
  let nRef = 0, nCur = 0;
  for (const c of pair.ref) nRef += c;
  for (const c of pair.cur) nCur += c;
  const bins: PsiBin[] = pair.bins.map((b, i) => {
    const refShare = nRef > 0 ? pair.ref[i] / nRef : 0;
    const curShare = nCur > 0 ? pair.cur[i] / nCur : 0;
    const r = Math.max(refShare, PSI_EPSILON);
    const c = Math.max(curShare, PSI_EPSILON);
    return { ...b, refCount: pair.ref[i], curCount: pair.cur[i], refShare, curShare, term: (c - r) * Math.log(c / r) };
  });
  if (nRef === 0 || nCur === 0) return { value: unknown(nRef === 0 ? 'no reference rows' : 'no current rows'), bins };
  let total = 0;
  for (const b of bins) total += b.term;
  return { value: known(total), bins };
}

/** PSI of two numeric samples on the reference's quantile bins (default deciles); NaN = missing. */
export function psi(ref: ArrayLike<number>, cur: ArrayLike<number>, options: { bins?: number } = {}): PsiResult {
  return psiOf(binNumeric(numericReference(ref, options.bins ?? PSI_BINS), cur));
}

/**
 * PSI of counts per category (same order on both sides; a category only one side has is a 0 on the
 * other). `labels` name the bins; `missing` counts, when given, form one more bin.
 */
export function psiCounts(
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  labels?: readonly string[],
  missing?: { ref: number; cur: number },
): PsiResult {
  const k = Math.max(refCounts.length, curCounts.length);
  const bins: Bin[] = Array.from({ length: k }, (_, i) => ({ label: labels?.[i] ?? String(i), lo: null, hi: null, missing: false }));
  const ref = Float64Array.from({ length: k + 1 }, (_, i) => (i < k ? (refCounts[i] ?? 0) : (missing?.ref ?? 0)));
  const cur = Float64Array.from({ length: k + 1 }, (_, i) => (i < k ? (curCounts[i] ?? 0) : (missing?.cur ?? 0)));
  return psiOf(withMissingBin(bins, ref, cur));
}

/** Severity of a PSI value by the thresholds 0.1 and 0.25. */
export function severityOf(value: Metric): Severity {
  if (value.value === null) return 'unknown';
  return value.value >= PSI_MAJOR ? 'major' : value.value >= PSI_MODERATE ? 'moderate' : 'none';
}
