/**
 * The one value type every quality figure is returned as: a finite number, or null with the reason
 * it cannot be computed, so NaN never reaches the UI.
 */

/** A finite number, or `value: null` with a short reason in words ('only one class in the labels'). */
export type Metric = { value: number; reason: null } | { value: null; reason: string };

/** A metric with a value; a non-finite `value` becomes null with `reasonIfNotFinite`. */
export function known(value: number, reasonIfNotFinite = 'not a finite number'): Metric {
  return Number.isFinite(value) ? { value, reason: null } : { value: null, reason: reasonIfNotFinite };
}

/** A metric that cannot be computed, and why. */
export function unknown(reason: string): Metric {
  return { value: null, reason };
}

/** `num / den`, or null with `reason` when `den` is 0. */
export function ratio(num: number, den: number, reason: string): Metric {
  return den === 0 ? unknown(reason) : known(num / den);
}

/** Reasons shared by several modules, worded once. */
export const REASONS = {
  noRows: 'no rows',
  oneClass: 'only one class in the labels',
  noPositives: 'no positive rows',
  noNegatives: 'no negative rows',
  noPredictedPositives: 'no rows predicted positive',
  noPredictedNegatives: 'no rows predicted negative',
  constantTarget: 'the target is constant',
} as const;

/** Numeric scores of either float width. */
export type Scores = Float32Array | Float64Array;

/** Text of `x` rounded to `digits` significant digits (default 4), without trailing zeros. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(Math.min(17, Math.max(1, digits)))));
}

/**
 * The shortest decimal strictly between `lo` and `hi` (a rounded midpoint, so a split reads
 * 'Age ≤ 25.5' between ages 25 and 26), or `lo` when no double lies between them; `lo < hi` required.
 */
export function cutBetween(lo: number, hi: number): number {
  const mid = lo + (hi - lo) / 2;
  for (let p = 1; p <= 17; p++) {
    const t = Number(mid.toPrecision(p));
    if (t > lo && t < hi) return t;
  }
  return mid > lo && mid < hi ? mid : lo;
}
