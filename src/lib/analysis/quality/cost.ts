/**
 * What a threshold is worth: a value for each outcome (gains positive, costs negative, in the user's
 * own unit per row) turned into expected value per row at any threshold, read from the
 * ThresholdTable, and the threshold that maximises it.
 */
import { accuracyOptimalThreshold, confusionAt, confusionAtRank, thresholdOfRank, type BestThreshold, type BinaryConfusion, type ThresholdTable } from './binary';
import { downsampleIndexes, pick } from './curves';
import { known, REASONS, unknown, type Metric } from './metric';

/** Value of one row of each outcome: gains positive, costs negative. */
export interface OutcomeValues {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * Default values: the German credit cost matrix (Statlog), with the positive class being the one
 * whose miss is expensive (a bad credit risk): a missed positive (FN) costs 5, a false alarm (FP)
 * costs 1, correct outcomes cost nothing. When the positive class is the good outcome, swap fp and fn.
 */
export const DEFAULT_OUTCOME_VALUES: Readonly<OutcomeValues> = Object.freeze({ tp: 0, fp: -1, tn: 0, fn: -5 });

/** Expected value per row of a confusion matrix. */
export function expectedValueOf(c: BinaryConfusion, values: OutcomeValues): Metric {
  const n = c.tp + c.fp + c.tn + c.fn;
  if (n === 0) return unknown(REASONS.noRows);
  return known((c.tp * values.tp + c.fp * values.fp + c.tn * values.tn + c.fn * values.fn) / n);
}

/** Expected value per row at threshold `t` (positive when score >= t), O(log n). */
export function expectedValueAt(table: ThresholdTable, t: number, values: OutcomeValues = DEFAULT_OUTCOME_VALUES): Metric {
  return expectedValueOf(confusionAt(table, t), values);
}

export interface ValueCurve {
  /** Thresholds, descending (the first predicts no row positive), thinned for drawing. */
  threshold: Float64Array;
  /** Expected value per row at each threshold. */
  value: Float64Array;
  /** Points before thinning. */
  total: number;
  /** Best threshold over every distinct score (ties: the highest threshold); value per row there. */
  best: BestThreshold;
  /** The accuracy-optimal threshold, with its expected value per row (not its accuracy). */
  accuracyOptimal: BestThreshold;
}

/**
 * Expected value per row at every distinct score (plus predicting none positive), thinned to
 * `maxPoints` (default 500) for drawing; the best threshold is found on every point.
 */
export function expectedValueCurve(table: ThresholdTable, values: OutcomeValues = DEFAULT_OUTCOME_VALUES, maxPoints = 500): ValueCurve {
  const D = table.scores.length;
  const accOpt = accuracyOptimalThreshold(table);
  if (table.n === 0) {
    const none = { threshold: accOpt.threshold, value: unknown(REASONS.noRows) };
    return { threshold: new Float64Array(0), value: new Float64Array(0), total: 0, best: none, accuracyOptimal: none };
  }
  const x = new Float64Array(D + 1), v = new Float64Array(D + 1);
  let bestK = 0;
  for (let k = 0; k <= D; k++) {
    x[k] = thresholdOfRank(table, k);
    v[k] = expectedValueOf(confusionAtRank(table, k), values).value!;
    if (v[k] > v[bestK]) bestK = k;
  }
  // Thin on the rank axis: thresholds bunch where scores do, ranks are evenly spread.
  const rank = Float64Array.from({ length: D + 1 }, (_, k) => k / Math.max(1, D));
  const idx = downsampleIndexes(rank, v, maxPoints);
  return {
    threshold: pick(x, idx),
    value: pick(v, idx),
    total: D + 1,
    best: { threshold: x[bestK], value: known(v[bestK]) },
    accuracyOptimal: { threshold: accOpt.threshold, value: expectedValueAt(table, accOpt.threshold, values) },
  };
}
