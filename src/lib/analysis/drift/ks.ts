/**
 * Two-sample Kolmogorov-Smirnov test: the largest gap between the two empirical distribution functions
 * and its asymptotic p-value.
 */
import { known, unknown, type Metric } from '../quality/metric';
import { sortedFinite } from './sorted';
import { kolmogorovSf } from './special';

export interface KsResult {
  /** D = sup_x |F_ref(x) − F_cur(x)|, in [0, 1]. */
  statistic: Metric;
  /**
   * Asymptotic two-sided p-value with Stephens' small-sample correction:
   * Q_KS((√en + 0.12 + 0.11/√en) · D), en = n·m/(n+m) (Numerical Recipes' `kstwo`, and older scipy's
   * `ks_2samp`). scipy's current method='asymp' uses the exact-n Kolmogorov distribution at round(en)
   * instead; the two agree to about 1e-3 with 100+ rows a side and drift apart for tiny samples.
   */
  pValue: Metric;
  /** Finite values counted in each sample (missing values are left out). */
  n: number;
  m: number;
}

/** Words for the p-value method, for method notes in the UI and report. */
export const KS_P_VALUE_METHOD =
  'asymptotic Kolmogorov distribution with Stephens\u2019 correction: p = Q_KS((\u221Aen + 0.12 + 0.11/\u221Aen)\u00B7D), en = nm/(n+m)';

/** D of two ascending-sorted samples (ties stepped together, as scipy does). */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  let i = 0, j = 0, d = 0;
  while (i < n && j < m) {
    const x = a[i] <= b[j] ? a[i] : b[j];
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  return d;
}

/** Two-sided asymptotic p-value for statistic `d` between samples of sizes n and m. */
export function ksPValue(d: number, n: number, m: number): number {
  const en = Math.sqrt((n * m) / (n + m));
  return kolmogorovSf((en + 0.12 + 0.11 / en) * d);
}

/** Two-sample KS test of the finite values of `ref` and `cur` (NaN and ±Infinity are left out). */
export function ks2(ref: ArrayLike<number>, cur: ArrayLike<number>): KsResult {
  return ks2Sorted(sortedFinite(ref), sortedFinite(cur));
}

/** `ks2` on samples already reduced to ascending finite values. */
export function ks2Sorted(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) {
    const reason = n === 0 ? 'no reference values' : 'no current values';
    return { statistic: unknown(reason), pValue: unknown(reason), n, m };
  }
  const d = ksStatisticSorted(a, b);
  return { statistic: known(d), pValue: known(ksPValue(d, n, m)), n, m };
}
