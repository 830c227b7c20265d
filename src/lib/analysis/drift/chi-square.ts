/** Pearson's chi-square test of homogeneity between a reference and a current count vector. */
import { known, unknown, type Metric } from '../quality/metric';
import { chiSquareSf } from './special';

export interface ChiSquareResult {
  /** Σ (observed − expected)² / expected over the 2 × k table (no Yates correction). */
  statistic: Metric;
  /** Categories used minus one: categories empty on both sides are dropped. */
  dof: number;
  /** P(χ²_dof ≥ statistic), from the regularized upper incomplete gamma function. */
  pValue: Metric;
  /** Cells whose expected count is below 5, where the chi-square approximation is rough. */
  smallExpected: number;
}

/**
 * Chi-square test that `refCounts` and `curCounts` (counts per category, same order) come from one
 * distribution: scipy's `chi2_contingency([ref, cur], correction=False)`.
 */
export function chiSquare(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): ChiSquareResult {
  const k = Math.max(refCounts.length, curCounts.length);
  let nRef = 0, nCur = 0, used = 0;
  for (let i = 0; i < k; i++) {
    const r = refCounts[i] ?? 0;
    const c = curCounts[i] ?? 0;
    nRef += r;
    nCur += c;
    if (r + c > 0) used++;
  }
  if (nRef === 0 || nCur === 0) {
    const reason = nRef === 0 ? 'no reference rows' : 'no current rows';
    return { statistic: unknown(reason), dof: 0, pValue: unknown(reason), smallExpected: 0 };
  }
  if (used < 2) {
    const reason = 'only one category on both sides';
    return { statistic: known(0), dof: 0, pValue: unknown(reason), smallExpected: 0 };
  }
  const n = nRef + nCur;
  let stat = 0, small = 0;
  for (let i = 0; i < k; i++) {
    const r = refCounts[i] ?? 0;
    const c = curCounts[i] ?? 0;
    const total = r + c;
    if (total === 0) continue;
    const eRef = (total * nRef) / n;
    const eCur = (total * nCur) / n;
    stat += (r - eRef) ** 2 / eRef + (c - eCur) ** 2 / eCur;
    if (eRef < 5) small++;
    if (eCur < 5) small++;
  }
  const dof = used - 1;
  return { statistic: known(stat), dof, pValue: known(chiSquareSf(stat, dof)), smallExpected: small };
}
