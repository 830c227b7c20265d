/**
 * Equal-width histograms on round bin edges (steps of 1, 2 or 5 × 10^k), shared by the column profile
 * and the overlaid drift distributions.
 */

/** Default largest number of bins. */
export const HISTOGRAM_BINS = 20;

/** One bin [x0, x1). */
export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

const STEPS = [1, 2, 5];

/** Rounds away floating noise from edge arithmetic (0.30000000000000004 → 0.3). */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * Round edges covering [min, max] with at most `maxBins` bins, each [x0, x1) (the last edge lies above
 * max, so no bin is closed on both sides). With `integers` the step is at least 1, so each integer
 * value falls in one bin. A single value gets one bin of width 1 centred on it. Empty when min or
 * max is not finite.
 */
export function niceEdges(min: number, max: number, maxBins = HISTOGRAM_BINS, integers = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  if (max === min) return [min - 0.5, min + 0.5];
  const bins = Math.max(1, Math.floor(maxBins));
  const raw = (max - min) / bins;
  let power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (let guard = 0; guard < 64; guard++) {
    for (const m of STEPS) {
      let step = m * power;
      if (integers && step < 1) step = 1;
      if (step < raw) continue;
      const first = Math.floor(min / step);
      const count = Math.floor(max / step) - first + 1;
      if (count > bins) continue;
      const edges = Array.from({ length: count + 1 }, (_, i) => tidy((first + i) * step));
      // Guards against rounding moving an end edge past the data.
      if (edges[0] > min) edges[0] = min;
      if (edges[count] <= max) edges[count] = max + step / 2;
      return edges;
    }
    power *= 10;
  }
  return [min, max];
}

/** Counts of the finite values (or `values[rows[i]]`) per bin [edges[k], edges[k+1]); values outside are left out. */
export function histogramCounts(values: ArrayLike<number>, edges: readonly number[], rows?: ArrayLike<number>): Float64Array {
  const k = edges.length - 1;
  const counts = new Float64Array(Math.max(0, k));
  if (k < 1) return counts;
  const n = rows ? rows.length : values.length;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? rows[i] : i];
    if (!(v >= edges[0] && v < edges[k])) continue;
    let lo = 0, hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (v >= edges[mid]) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
  }
  return counts;
}

/** A histogram of the finite values of `values` on round edges (at most `maxBins` bins). */
export function histogram(values: ArrayLike<number>, maxBins = HISTOGRAM_BINS, rows?: ArrayLike<number>): HistogramBin[] {
  let min = Infinity, max = -Infinity, integers = true;
  const n = rows ? rows.length : values.length;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? rows[i] : i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  const edges = niceEdges(min, max, maxBins, integers);
  const counts = histogramCounts(values, edges, rows);
  return Array.from(counts, (count, k) => ({ x0: edges[k], x1: edges[k + 1], count }));
}
