/**
 * Percentile bootstrap confidence intervals for the headline metrics. A resample is drawn as a
 * count per row (how often the row was drawn, into one preallocated Uint32Array), so rows are
 * sorted by score once and every resample's metrics, AUC included, take one linear pass.
 */
import { quantileSorted } from '../data-summary';
import { createRng, sampleWithoutReplacement, type Rng } from '../random';
import type { BinaryLabels } from './binary';
import { argmaxRows } from './multiclass';
import { REASONS, type Scores } from './metric';

/** A confidence interval, or null bounds with the reason (e.g. too few rows, one class only). */
export type Interval =
  | { lo: number; hi: number; reason: null; /** Resamples in which the metric was defined. */ resamples: number }
  | { lo: null; hi: null; reason: string; resamples: number };

export interface BootstrapOptions {
  /** Number of resamples; default 200. */
  resamples?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** Confidence level; default 0.95 (2.5th and 97.5th percentiles). */
  level?: number;
  /**
   * Most rows to resample from; larger inputs are first subsampled (seeded, without replacement),
   * which widens the interval to that of `maxRows` rows. Default: no cap.
   */
  maxRows?: number;
}

export interface BootstrapResult<K extends string> {
  /** Rows the resamples were drawn from (after dropping unusable rows and capping). */
  rows: number;
  resamples: number;
  level: number;
  intervals: Record<K, Interval>;
}

/**
 * Writes each statistic of one resample, given its per-row draw counts, into `out` (in key order);
 * NaN where the statistic is undefined for that resample. One pass over the rows computes them all.
 */
type Compute = (w: Uint32Array, out: Float64Array) => void;

/** Row indexes to resample from: `rows` capped at `maxRows` by a seeded draw, kept in row order. */
function capRows(rows: Uint32Array, rng: Rng, maxRows: number): Uint32Array {
  if (!(rows.length > maxRows)) return rows;
  const pick = sampleWithoutReplacement(rng, rows.length, Math.max(1, Math.floor(maxRows))).sort();
  return pick.map((k) => rows[k]);
}

function run<K extends string>(n: number, undefinedWhy: Record<K, string>, compute: Compute, rng: Rng, opts: BootstrapOptions): BootstrapResult<K> {
  const B = Math.max(1, Math.floor(opts.resamples ?? 200));
  const level = opts.level ?? 0.95;
  const keys = Object.keys(undefinedWhy) as K[];
  const values = keys.map(() => new Float64Array(B));
  const valid = keys.map(() => 0);
  const w = new Uint32Array(n);
  const out = new Float64Array(keys.length);
  if (n > 0) {
    for (let b = 0; b < B; b++) {
      w.fill(0);
      for (let k = 0; k < n; k++) w[Math.floor(rng() * n)]++;
      compute(w, out);
      for (let s = 0; s < keys.length; s++) if (Number.isFinite(out[s])) values[s][valid[s]++] = out[s];
    }
  }
  const intervals = {} as Record<K, Interval>;
  keys.forEach((key, s) => {
    const m = valid[s];
    if (n === 0) intervals[key] = { lo: null, hi: null, reason: REASONS.noRows, resamples: 0 };
    else if (m * 2 < B) intervals[key] = { lo: null, hi: null, reason: `undefined in most resamples (${undefinedWhy[key]})`, resamples: m };
    else {
      const sorted = values[s].subarray(0, m).sort();
      intervals[key] = { lo: quantileSorted(sorted, (1 - level) / 2), hi: quantileSorted(sorted, (1 + level) / 2), reason: null, resamples: m };
    }
  });
  return { rows: n, resamples: B, level, intervals };
}

/**
 * 95 % intervals (by default) for binary accuracy, AUC, F1 at `threshold` (positive when
 * score >= threshold) and log loss (clipped at `eps`, default 1e-15). Rows with a label other than
 * 0/1 or a non-finite score are skipped. Draws pick positions in the rows sorted by descending
 * score (ties by row index).
 */
export function bootstrapBinary(
  y: BinaryLabels,
  score: Scores,
  threshold: number,
  opts: BootstrapOptions & { eps?: number } = {},
): BootstrapResult<'accuracy' | 'auc' | 'f1' | 'logLoss'> {
  const rng = createRng(opts.seed ?? 1);
  const all = new Uint32Array(y.length);
  let m = 0;
  for (let i = 0; i < y.length; i++) if ((y[i] === 0 || y[i] === 1) && Number.isFinite(score[i])) all[m++] = i;
  const capped = capRows(all.subarray(0, m), rng, opts.maxRows ?? Infinity);
  // Rows laid out by descending score (stable), so the AUC is one sequential pass with the rest.
  const rows = capped.slice().sort((a, b) => score[b] - score[a] || a - b);
  const n = rows.length;
  const eps = opts.eps ?? 1e-15;
  const lab = new Uint8Array(n), predPos = new Uint8Array(n), ll = new Float64Array(n);
  // Row k ends a run of tied scores.
  const runEnd = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    lab[k] = y[i];
    predPos[k] = score[i] >= threshold ? 1 : 0;
    const p = Math.min(1 - eps, Math.max(eps, score[i]));
    ll[k] = -(y[i] === 1 ? Math.log(p) : Math.log(1 - p));
    runEnd[k] = k === n - 1 || score[rows[k + 1]] !== score[i] ? 1 : 0;
  }
  const compute: Compute = (w, out) => {
    let right = 0, tp = 0, fp = 0, fn = 0, loss = 0;
    // AUC: each negative scores below `pos` positives and ties with `gp` (counting 1/2).
    let pos = 0, neg = 0, gp = 0, gn = 0, num = 0;
    for (let k = 0; k < n; k++) {
      const wk = w[k];
      if (wk !== 0) {
        loss += wk * ll[k];
        if (lab[k] === 1) {
          gp += wk;
          if (predPos[k]) {
            tp += wk;
            right += wk;
          } else fn += wk;
        } else {
          gn += wk;
          if (predPos[k]) fp += wk;
          else right += wk;
        }
      }
      if (runEnd[k]) {
        num += gn * (pos + gp / 2);
        pos += gp;
        neg += gn;
        gp = gn = 0;
      }
    }
    const den = 2 * tp + fp + fn;
    out[0] = right / n;
    out[1] = pos > 0 && neg > 0 ? num / (pos * neg) : NaN;
    out[2] = den > 0 ? (2 * tp) / den : NaN;
    out[3] = loss / n;
  };
  return run(
    n,
    { accuracy: REASONS.noRows, auc: REASONS.oneClass, f1: 'no positive rows and none predicted positive', logLoss: REASONS.noRows },
    compute,
    rng,
    opts,
  );
}

/**
 * Intervals for multiclass accuracy and macro F1 (sklearn's macro: classes present in the resample's
 * labels or predictions). `predicted` defaults to the argmax of `probs`; rows with -1 are skipped.
 */
export function bootstrapMulticlass(
  probs: Scores,
  C: number,
  actual: Int32Array,
  predicted?: Int32Array,
  opts: BootstrapOptions = {},
): BootstrapResult<'accuracy' | 'macroF1'> {
  const rng = createRng(opts.seed ?? 1);
  const pred = predicted ?? argmaxRows(probs, C, actual.length);
  const all = new Uint32Array(actual.length);
  let m = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] >= 0 && actual[i] < C && pred[i] >= 0 && pred[i] < C) all[m++] = i;
  const rows = capRows(all.subarray(0, m), rng, opts.maxRows ?? Infinity);
  const n = rows.length;
  const t = Int32Array.from(rows, (i) => actual[i]), p = Int32Array.from(rows, (i) => pred[i]);
  const tp = new Float64Array(C), support = new Float64Array(C), predictedW = new Float64Array(C);
  const compute: Compute = (w, out) => {
    tp.fill(0);
    support.fill(0);
    predictedW.fill(0);
    let right = 0;
    for (let k = 0; k < n; k++) {
      const wk = w[k];
      if (wk === 0) continue;
      support[t[k]] += wk;
      predictedW[p[k]] += wk;
      if (t[k] === p[k]) {
        tp[t[k]] += wk;
        right += wk;
      }
    }
    let sum = 0, present = 0;
    for (let c = 0; c < C; c++) {
      const den = support[c] + predictedW[c];
      if (den === 0) continue;
      present++;
      sum += (2 * tp[c]) / den;
    }
    out[0] = right / n;
    out[1] = present ? sum / present : NaN;
  };
  return run(n, { accuracy: REASONS.noRows, macroF1: REASONS.noRows }, compute, rng, opts);
}

/** Intervals for MAE, RMSE and R² (R² undefined in a resample whose targets are all equal). */
export function bootstrapRegression(y: ArrayLike<number>, pred: ArrayLike<number>, opts: BootstrapOptions = {}): BootstrapResult<'mae' | 'rmse' | 'r2'> {
  const rng = createRng(opts.seed ?? 1);
  const all = new Uint32Array(y.length);
  let m = 0;
  for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i]) && Number.isFinite(pred[i])) all[m++] = i;
  const rows = capRows(all.subarray(0, m), rng, opts.maxRows ?? Infinity);
  const n = rows.length;
  let center = 0;
  for (let k = 0; k < n; k++) center += y[rows[k]];
  center = n ? center / n : 0;
  // Targets centred on the full mean keep the weighted sum of squares free of cancellation.
  const yc = Float64Array.from(rows, (i) => y[i] - center);
  const r = Float64Array.from(rows, (i) => pred[i] - y[i]);
  const compute: Compute = (w, out) => {
    let abs = 0, sq = 0, sy = 0, syy = 0, lo = Infinity, hi = -Infinity;
    for (let k = 0; k < n; k++) {
      const wk = w[k];
      if (wk === 0) continue;
      abs += wk * Math.abs(r[k]);
      sq += wk * r[k] * r[k];
      sy += wk * yc[k];
      syy += wk * yc[k] * yc[k];
      if (yc[k] < lo) lo = yc[k];
      if (yc[k] > hi) hi = yc[k];
    }
    const ssTot = syy - (sy * sy) / n;
    out[0] = abs / n;
    out[1] = Math.sqrt(sq / n);
    out[2] = lo === hi || !(ssTot > 0) ? NaN : 1 - sq / ssTot;
  };
  return run(n, { mae: REASONS.noRows, rmse: REASONS.noRows, r2: REASONS.constantTarget }, compute, rng, opts);
}
