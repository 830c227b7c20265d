/**
 * Binary classification quality. Scores are P(positive); a row is predicted positive when
 * score >= threshold. A `ThresholdTable` is built by sorting once, after which any threshold's
 * confusion matrix is a binary search, so a threshold slider stays within a frame at 100k rows.
 *
 * Every function here counts only rows whose label is 0 or 1 and whose score is finite; callers may
 * pass full-length columns with -1 (Int8Array) for unknown targets and NaN for unscored rows.
 */
import { quantileSorted } from '../data-summary';
import { downsampleIndexes, pick } from './curves';
import { known, ratio, REASONS, unknown, type Metric, type Scores } from './metric';

/** Labels: 1 positive, 0 negative; any other value (-1) is skipped. */
export type BinaryLabels = Int8Array | Uint8Array;

/** Counts of each outcome at one threshold. */
export interface BinaryConfusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * Cumulative counts at each distinct score, scores descending: predicting positive when
 * score >= scores[k] gives tp[k] true and fp[k] false positives.
 */
export interface ThresholdTable {
  /** Rows counted (label 0 or 1, finite score). */
  n: number;
  positives: number;
  negatives: number;
  /** Distinct scores, descending. */
  scores: Float64Array;
  /** Positives with score >= scores[k]. */
  tp: Float64Array;
  /** Negatives with score >= scores[k]. */
  fp: Float64Array;
}

/** Whether row i counts: a 0/1 label and a finite score. */
function usable(y: BinaryLabels, score: Scores, i: number): boolean {
  const t = y[i];
  return (t === 0 || t === 1) && Number.isFinite(score[i]);
}

/** Sorts positives' and negatives' scores apart (native typed-array sorts) and merges them descending. */
export function buildThresholdTable(y: BinaryLabels, score: Scores): ThresholdTable {
  let P = 0, N = 0;
  for (let i = 0; i < y.length; i++) {
    if (!usable(y, score, i)) continue;
    if (y[i] === 1) P++;
    else N++;
  }
  const pos = new Float64Array(P), neg = new Float64Array(N);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (!usable(y, score, i)) continue;
    if (y[i] === 1) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  pos.sort();
  neg.sort();
  const scores = new Float64Array(P + N), tp = new Float64Array(P + N), fp = new Float64Array(P + N);
  let i = P - 1, j = N - 1, d = 0, tpc = 0, fpc = 0;
  while (i >= 0 || j >= 0) {
    const s = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    while (i >= 0 && pos[i] === s) {
      tpc++;
      i--;
    }
    while (j >= 0 && neg[j] === s) {
      fpc++;
      j--;
    }
    scores[d] = s;
    tp[d] = tpc;
    fp[d] = fpc;
    d++;
  }
  return { n: P + N, positives: P, negatives: N, scores: scores.slice(0, d), tp: tp.slice(0, d), fp: fp.slice(0, d) };
}

/** Number of distinct scores >= t (binary search over the descending scores). */
export function rankOf(table: ThresholdTable, t: number): number {
  const s = table.scores;
  let lo = 0, hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Confusion counts when the top `k` distinct scores are predicted positive (k = 0: none). */
export function confusionAtRank(table: ThresholdTable, k: number): BinaryConfusion {
  const tp = k > 0 ? table.tp[k - 1] : 0;
  const fp = k > 0 ? table.fp[k - 1] : 0;
  return { tp, fp, fn: table.positives - tp, tn: table.negatives - fp };
}

/** Confusion counts at threshold `t` (positive when score >= t), O(log n). */
export function confusionAt(table: ThresholdTable, t: number): BinaryConfusion {
  return confusionAtRank(table, rankOf(table, t));
}

/** The smallest "nice" threshold that predicts no row positive: 1 when every score is below 1. */
export function thresholdAboveAll(table: ThresholdTable): number {
  if (table.scores.length === 0) return 1;
  const top = table.scores[0];
  if (top < 1) return 1;
  const f = new Float64Array([top]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] += top >= 0 ? 1n : -1n;
  return f[0];
}

/** Threshold that realises rank `k`: the k-th distinct score, or `thresholdAboveAll` for k = 0. */
export function thresholdOfRank(table: ThresholdTable, k: number): number {
  return k === 0 ? thresholdAboveAll(table) : table.scores[k - 1];
}

/** Every threshold-dependent figure at one threshold; rates are fractions in [0, 1]. */
export interface BinaryThresholdMetrics {
  threshold: number;
  confusion: BinaryConfusion;
  accuracy: Metric;
  /** Mean of recall and specificity. */
  balancedAccuracy: Metric;
  precision: Metric;
  /** True positive rate. */
  recall: Metric;
  /** True negative rate. */
  specificity: Metric;
  /** 2TP / (2TP + FP + FN): 0 when precision alone is undefined (sklearn's zero_division=0). */
  f1: Metric;
  fpr: Metric;
  fnr: Metric;
  /** Share of rows predicted positive. */
  selectionRate: Metric;
}

/** Threshold metrics from confusion counts. */
export function metricsFromConfusion(c: BinaryConfusion, threshold: number): BinaryThresholdMetrics {
  const P = c.tp + c.fn, N = c.fp + c.tn, n = P + N;
  const recall = ratio(c.tp, P, REASONS.noPositives);
  const specificity = ratio(c.tn, N, REASONS.noNegatives);
  return {
    threshold,
    confusion: c,
    accuracy: ratio(c.tp + c.tn, n, REASONS.noRows),
    balancedAccuracy:
      recall.value !== null && specificity.value !== null
        ? known((recall.value + specificity.value) / 2)
        : unknown(n === 0 ? REASONS.noRows : REASONS.oneClass),
    precision: ratio(c.tp, c.tp + c.fp, REASONS.noPredictedPositives),
    recall,
    specificity,
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn, 'no positive rows and none predicted positive'),
    fpr: ratio(c.fp, N, REASONS.noNegatives),
    fnr: ratio(c.fn, P, REASONS.noPositives),
    selectionRate: ratio(c.tp + c.fp, n, REASONS.noRows),
  };
}

/** Threshold metrics at `t` (positive when score >= t), O(log n). */
export function metricsAt(table: ThresholdTable, t: number): BinaryThresholdMetrics {
  return metricsFromConfusion(confusionAt(table, t), t);
}

/** Reason the threshold-free curves are undefined, or null when both classes are present. */
function curveReason(table: ThresholdTable): string | null {
  if (table.n === 0) return REASONS.noRows;
  if (table.positives === 0 || table.negatives === 0) return REASONS.oneClass;
  return null;
}

/** A curve thinned for drawing; index i of every array describes the same point. */
export interface CurvePoints {
  x: Float64Array;
  y: Float64Array;
  /** Threshold giving the point (the first point uses `thresholdAboveAll`). */
  threshold: Float64Array;
  /** Points before thinning. */
  total: number;
}

/** ROC curve (x = FPR, y = TPR) from (0, 0) to (1, 1), and its exact area. */
export interface RocCurve {
  points: CurvePoints;
  /** Area under the full curve (trapezoids, so tied scores count 1/2: the Mann-Whitney U / PN). */
  auc: Metric;
}

/** Empty curve for undefined cases. */
const noPoints = (): CurvePoints => ({ x: new Float64Array(0), y: new Float64Array(0), threshold: new Float64Array(0), total: 0 });

function thin(x: Float64Array, y: Float64Array, table: ThresholdTable, maxPoints: number): CurvePoints {
  const idx = downsampleIndexes(x, y, maxPoints);
  const threshold = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) threshold[i] = thresholdOfRank(table, idx[i]);
  return { x: pick(x, idx), y: pick(y, idx), threshold, total: x.length };
}

/**
 * ROC curve at every distinct score plus the all-negative start, thinned to `maxPoints` (default 500)
 * for drawing; the AUC is computed on every point.
 */
export function rocCurve(table: ThresholdTable, maxPoints = 500): RocCurve {
  const why = curveReason(table);
  if (why) return { points: noPoints(), auc: unknown(why) };
  const D = table.scores.length, P = table.positives, N = table.negatives;
  const x = new Float64Array(D + 1), y = new Float64Array(D + 1);
  for (let k = 0; k < D; k++) {
    x[k + 1] = table.fp[k] / N;
    y[k + 1] = table.tp[k] / P;
  }
  return { points: thin(x, y, table, maxPoints), auc: aucOf(table) };
}

/** Area under the ROC curve from the table alone (no curve arrays), ties counting 1/2. */
export function aucOf(table: ThresholdTable): Metric {
  const why = curveReason(table);
  if (why) return unknown(why);
  let twiceArea = 0, ptp = 0, pfp = 0;
  for (let k = 0; k < table.scores.length; k++) {
    const tp = table.tp[k], fp = table.fp[k];
    twiceArea += (fp - pfp) * (tp + ptp);
    ptp = tp;
    pfp = fp;
  }
  return known(twiceArea / (2 * table.positives * table.negatives));
}

/** Precision-recall curve (x = recall, y = precision) starting at (0, 1). */
export interface PrCurve {
  points: CurvePoints;
  /** sklearn's average precision: Σ (R_k − R_{k−1}) P_k over distinct thresholds, descending. */
  averagePrecision: Metric;
  /** Precision of predicting every row positive (the share of positives): the no-skill line. */
  baseline: Metric;
}

/** PR curve at every distinct score, thinned to `maxPoints` (default 500); AP on every point. */
export function prCurve(table: ThresholdTable, maxPoints = 500): PrCurve {
  const baseline = ratio(table.positives, table.n, REASONS.noRows);
  if (table.positives === 0) {
    const why = table.n === 0 ? REASONS.noRows : REASONS.noPositives;
    return { points: noPoints(), averagePrecision: unknown(why), baseline };
  }
  const D = table.scores.length, P = table.positives;
  const x = new Float64Array(D + 1), y = new Float64Array(D + 1);
  y[0] = 1;
  let ap = 0, prevRecall = 0;
  for (let k = 0; k < D; k++) {
    const tp = table.tp[k];
    const recall = tp / P, precision = tp / (tp + table.fp[k]);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
    x[k + 1] = recall;
    y[k + 1] = precision;
  }
  return { points: thin(x, y, table, maxPoints), averagePrecision: known(ap), baseline };
}

/**
 * Mean binary cross-entropy in nats, probabilities clipped to [eps, 1 − eps].
 * @param eps default 1e-15.
 */
export function logLoss(y: BinaryLabels, score: Scores, eps = 1e-15): Metric {
  let sum = 0, n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!usable(y, score, i)) continue;
    const p = Math.min(1 - eps, Math.max(eps, score[i]));
    sum -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
    n++;
  }
  return ratio(sum, n, REASONS.noRows);
}

/** Mean squared difference between the score and the 0/1 label. */
export function brierScore(y: BinaryLabels, score: Scores): Metric {
  let sum = 0, n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!usable(y, score, i)) continue;
    const d = score[i] - y[i];
    sum += d * d;
    n++;
  }
  return ratio(sum, n, REASONS.noRows);
}

/** One non-empty bin of a reliability diagram. */
export interface CalibrationBin {
  /** Bin edges on the score axis: scores in (lo, hi] (the first bin also holds lo). */
  lo: number;
  hi: number;
  count: number;
  /** Mean score of the bin's rows. */
  meanPredicted: number;
  /** Share of the bin's rows that are positive. */
  observedRate: number;
}

export interface Calibration {
  /** Non-empty bins in score order (empty ones are left out, as in sklearn's calibration_curve). */
  bins: CalibrationBin[];
  /** Expected calibration error: count-weighted mean of |observedRate − meanPredicted|. */
  ece: Metric;
}

export interface CalibrationOptions {
  /** Number of bins; default 10. */
  bins?: number;
  /** 'uniform': equal-width bins on [0, 1] (default); 'quantile': equal-count bins. */
  strategy?: 'uniform' | 'quantile';
}

/**
 * Reliability curve and ECE. Binning follows sklearn's calibration_curve: a score goes to the bin
 * whose upper edge is the first edge >= it; scores outside [0, 1] are clamped.
 */
export function calibrationCurve(y: BinaryLabels, score: Scores, opts: CalibrationOptions = {}): Calibration {
  const B = Math.max(1, Math.floor(opts.bins ?? 10));
  const vals: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (!usable(y, score, i)) continue;
    vals.push(Math.min(1, Math.max(0, score[i])));
    labels.push(y[i]);
  }
  const n = vals.length;
  if (n === 0) return { bins: [], ece: unknown(REASONS.noRows) };
  const edges = new Float64Array(B + 1);
  if (opts.strategy === 'quantile') {
    const sorted = Float64Array.from(vals).sort();
    for (let b = 0; b <= B; b++) edges[b] = quantileSorted(sorted, b / B);
  } else {
    for (let b = 0; b <= B; b++) edges[b] = b / B;
  }
  const count = new Float64Array(B), sumP = new Float64Array(B), sumY = new Float64Array(B);
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    // Inner edges strictly below v (sklearn: searchsorted(edges[1:-1], v, 'left')).
    let lo = 1, hi = B;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const b = lo - 1;
    count[b]++;
    sumP[b] += v;
    sumY[b] += labels[i];
  }
  const bins: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < B; b++) {
    if (count[b] === 0) continue;
    const meanPredicted = sumP[b] / count[b], observedRate = sumY[b] / count[b];
    bins.push({ lo: edges[b], hi: edges[b + 1], count: count[b], meanPredicted, observedRate });
    ece += (count[b] / n) * Math.abs(observedRate - meanPredicted);
  }
  return { bins, ece: known(ece) };
}

/** The threshold with the highest accuracy and that accuracy. */
export interface BestThreshold {
  threshold: number;
  /** Value of the criterion there (accuracy, or expected value per row for costs). */
  value: Metric;
}

/**
 * Threshold maximising accuracy over every distinct score (and predicting none positive); ties go to
 * the highest threshold. `value` is the accuracy there.
 */
export function accuracyOptimalThreshold(table: ThresholdTable): BestThreshold {
  if (table.n === 0) return { threshold: 0.5, value: unknown(REASONS.noRows) };
  let bestK = 0, best = table.negatives;
  for (let k = 1; k <= table.scores.length; k++) {
    const right = table.tp[k - 1] + table.negatives - table.fp[k - 1];
    if (right > best) {
      best = right;
      bestK = k;
    }
  }
  return { threshold: thresholdOfRank(table, bestK), value: known(best / table.n) };
}

export interface BinaryQualityOptions {
  /** Decision threshold; default 0.5. */
  threshold?: number;
  /** Most points per drawn curve; default 500. */
  maxPoints?: number;
  calibration?: CalibrationOptions;
  /** Log-loss clipping; default 1e-15. */
  eps?: number;
}

/** Everything the binary quality view shows, computed once per scoring run. */
export interface BinaryQuality {
  table: ThresholdTable;
  atThreshold: BinaryThresholdMetrics;
  roc: RocCurve;
  pr: PrCurve;
  logLoss: Metric;
  brier: Metric;
  calibration: Calibration;
  accuracyOptimal: BestThreshold;
}

/** All binary figures; move the threshold afterwards with `metricsAt(result.table, t)`. */
export function binaryQuality(y: BinaryLabels, score: Scores, opts: BinaryQualityOptions = {}): BinaryQuality {
  const table = buildThresholdTable(y, score);
  const maxPoints = opts.maxPoints ?? 500;
  return {
    table,
    atThreshold: metricsAt(table, opts.threshold ?? 0.5),
    roc: rocCurve(table, maxPoints),
    pr: prCurve(table, maxPoints),
    logLoss: logLoss(y, score, opts.eps),
    brier: brierScore(y, score),
    calibration: calibrationCurve(y, score, opts.calibration),
    accuracyOptimal: accuracyOptimalThreshold(table),
  };
}

/**
 * Binary labels from target class indexes (as `targetClassIndex` gives them): 1 for `positiveClass`,
 * 0 for any other class, -1 where unknown.
 */
export function binaryLabels(actual: Int32Array, positiveClass: number): Int8Array {
  const out = new Int8Array(actual.length);
  for (let i = 0; i < actual.length; i++) out[i] = actual[i] < 0 ? -1 : actual[i] === positiveClass ? 1 : 0;
  return out;
}
