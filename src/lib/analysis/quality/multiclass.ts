/**
 * Multiclass quality from N x C row-major probabilities and the true class index per row (-1 =
 * unknown, skipped). Averages follow sklearn: macro and weighted means run over the classes that
 * occur in the labels or the predictions, and a per-class figure that is undefined counts as 0 in
 * them (zero_division=0), while the per-class figure itself is reported as null with its reason.
 */
import { known, ratio, REASONS, unknown, type Metric, type Scores } from './metric';

export interface ClassMetrics {
  precision: Metric;
  recall: Metric;
  f1: Metric;
  /** Rows whose true class is this one. */
  support: number;
  /** Rows predicted as this class. */
  predicted: number;
}

export interface AveragedMetrics {
  precision: Metric;
  recall: Metric;
  f1: Metric;
}

export interface MulticlassQuality {
  /** Rows counted (known class and a prediction). */
  n: number;
  classes: number;
  /** C x C row-major counts: row = true class, column = predicted class (sklearn's layout). */
  confusion: Float64Array;
  perClass: ClassMetrics[];
  /** Unweighted mean over classes present in labels or predictions. */
  macro: AveragedMetrics;
  /** Support-weighted mean. */
  weighted: AveragedMetrics;
  accuracy: Metric;
  /** Top-k accuracy for k = 1..min(5, C); ties ranked as sklearn does (higher class index first). */
  topK: { k: number; accuracy: Metric }[];
  /** Mean −log p(true class) in nats, p clipped to [eps, 1 − eps]; rows are not renormalised. */
  logLoss: Metric;
}

/** Predicted class per row: the first highest probability. */
export function argmaxRows(probs: Scores, C: number, n = Math.floor(probs.length / C)): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0, bestP = -Infinity;
    for (let c = 0; c < C; c++) {
      const p = probs[i * C + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    out[i] = Number.isFinite(bestP) ? best : -1;
  }
  return out;
}

/** Per-class and averaged precision/recall/F1 from a C x C confusion matrix. */
export function classReport(confusion: ArrayLike<number>, C: number): { perClass: ClassMetrics[]; macro: AveragedMetrics; weighted: AveragedMetrics } {
  const perClass: ClassMetrics[] = [];
  let present = 0, total = 0;
  const macro = [0, 0, 0], weighted = [0, 0, 0];
  for (let c = 0; c < C; c++) {
    let support = 0, predicted = 0;
    for (let j = 0; j < C; j++) {
      support += confusion[c * C + j];
      predicted += confusion[j * C + c];
    }
    const tp = confusion[c * C + c];
    const precision = ratio(tp, predicted, 'no rows predicted as this class');
    const recall = ratio(tp, support, 'no rows of this class');
    const f1 = ratio(2 * tp, support + predicted, 'no rows of this class and none predicted');
    perClass.push({ precision, recall, f1, support, predicted });
    if (support + predicted === 0) continue;
    present++;
    total += support;
    const vals = [precision.value ?? 0, recall.value ?? 0, f1.value ?? 0];
    for (let m = 0; m < 3; m++) {
      macro[m] += vals[m];
      weighted[m] += vals[m] * support;
    }
  }
  const avg = (sums: number[], den: number, reason: string): AveragedMetrics => ({
    precision: ratio(sums[0], den, reason),
    recall: ratio(sums[1], den, reason),
    f1: ratio(sums[2], den, reason),
  });
  return { perClass, macro: avg(macro, present, REASONS.noRows), weighted: avg(weighted, total, REASONS.noRows) };
}

/**
 * All multiclass figures.
 * @param probs N x C row-major probabilities.
 * @param actual true class index per row, -1 = unknown (skipped).
 * @param predicted predicted class per row (e.g. the model's label output); default the argmax of probs. -1 rows are skipped.
 * @param eps log-loss clipping, default 1e-15.
 */
export function multiclassQuality(probs: Scores, C: number, actual: Int32Array, predicted?: Int32Array, eps = 1e-15): MulticlassQuality {
  const n0 = actual.length;
  const pred = predicted ?? argmaxRows(probs, C, n0);
  const confusion = new Float64Array(C * C);
  const K = Math.min(5, C);
  const topHits = new Float64Array(K + 1);
  let n = 0, ll = 0, llRows = 0;
  for (let i = 0; i < n0; i++) {
    const t = actual[i], p = pred[i];
    if (t < 0 || t >= C || p < 0 || p >= C) continue;
    n++;
    confusion[t * C + p]++;
    const pt = probs[i * C + t];
    // Rank of the true class: classes scoring higher, plus tied ones with a higher index.
    let rank = 0;
    for (let c = 0; c < C; c++) {
      const q = probs[i * C + c];
      if (q > pt || (q === pt && c > t)) rank++;
    }
    if (rank < K) topHits[rank + 1]++;
    if (Number.isFinite(pt)) {
      ll -= Math.log(Math.min(1 - eps, Math.max(eps, pt)));
      llRows++;
    }
  }
  let right = 0;
  for (let c = 0; c < C; c++) right += confusion[c * C + c];
  const topK: { k: number; accuracy: Metric }[] = [];
  let cum = 0;
  for (let k = 1; k <= K; k++) {
    cum += topHits[k];
    topK.push({ k, accuracy: ratio(cum, n, REASONS.noRows) });
  }
  return {
    n,
    classes: C,
    confusion,
    ...classReport(confusion, C),
    accuracy: ratio(right, n, REASONS.noRows),
    topK,
    logLoss: llRows ? known(ll / llRows) : unknown(REASONS.noRows),
  };
}
