/** Jensen-Shannon distance between two discrete distributions. */
import { known, unknown, type Metric } from '../quality/metric';

/**
 * √JSD(p‖q) with logarithms in base 2, so it lies in [0, 1]: 0 for identical distributions, 1 for
 * disjoint ones (scipy's `jensenshannon(p, q, base=2)`). `p` and `q` are counts or shares per bin, in
 * the same order; each is normalised to sum 1. Null when either sums to 0.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): Metric {
  const k = Math.max(p.length, q.length);
  let sp = 0, sq = 0;
  for (let i = 0; i < k; i++) {
    sp += p[i] ?? 0;
    sq += q[i] ?? 0;
  }
  if (!(sp > 0) || !(sq > 0)) return unknown(sp > 0 ? 'the current distribution is empty' : 'the reference distribution is empty');
  let js = 0;
  for (let i = 0; i < k; i++) {
    const a = (p[i] ?? 0) / sp;
    const b = (q[i] ?? 0) / sq;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log2(a / m);
    if (b > 0) js += 0.5 * b * Math.log2(b / m);
  }
  // Rounding can leave a tiny negative divergence for identical inputs, or one just above 1.
  return known(Math.sqrt(Math.min(1, Math.max(0, js))));
}
