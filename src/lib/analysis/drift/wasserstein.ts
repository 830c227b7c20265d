/** Earth mover's (Wasserstein-1) distance between two 1-D samples. */
import { known, unknown, type Metric } from '../quality/metric';
import { sortedFinite } from './sorted';

export interface WassersteinResult {
  /** ∫ |F_ref(x) − F_cur(x)| dx over the finite values: in the feature's own units. */
  distance: Metric;
  /**
   * `distance` divided by the reference's standard deviation (population, as numpy's default `std`,
   * the convention of Evidently's normed Wasserstein): in reference standard deviations, so
   * comparable across features. Null when the reference is constant.
   */
  normalized: Metric;
}

/** W1 of two ascending-sorted samples, as scipy's `wasserstein_distance`. */
export function wasserstein1Sorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  let i = 0, j = 0, total = 0;
  let x = a[0] <= b[0] ? a[0] : b[0];
  while (i < n || j < m) {
    // Step both empirical CDFs past x, then integrate the gap up to the next value.
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
    if (i === n && j === m) break;
    const next = i === n ? b[j] : j === m ? a[i] : Math.min(a[i], b[j]);
    total += Math.abs(i / n - j / m) * (next - x);
    x = next;
  }
  return total;
}

/** Population standard deviation of ascending values (0 for one value). */
function populationSd(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2;
  return Math.sqrt(ss / n);
}

/** Wasserstein-1 distance between the finite values of `ref` and `cur`, raw and in reference SDs. */
export function wasserstein1(ref: ArrayLike<number>, cur: ArrayLike<number>): WassersteinResult {
  return wasserstein1FromSorted(sortedFinite(ref), sortedFinite(cur));
}

/** `wasserstein1` on samples already reduced to ascending finite values. */
export function wasserstein1FromSorted(a: ArrayLike<number>, b: ArrayLike<number>): WassersteinResult {
  if (a.length === 0 || b.length === 0) {
    const reason = a.length === 0 ? 'no reference values' : 'no current values';
    return { distance: unknown(reason), normalized: unknown(reason) };
  }
  const d = wasserstein1Sorted(a, b);
  const sd = populationSd(a);
  return {
    distance: known(d),
    normalized: sd > 0 ? known(d / sd) : unknown('the reference values are constant'),
  };
}

