/**
 * Percentile bootstrap confidence intervals for the headline metrics. A resample is drawn as a
 * count per row (how often the row was drawn, into one preallocated Uint32Array), so the score
 * order is sorted once and every resample's AUC is a single linear pass over it.
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

/** A statistic of one resample given its per-row counts; NaN when undefined for that resample. */
type Stat = (w: Uint32Array) => number;

/** Row indexes to resample from: `rows` capped at `maxRows` by a seeded draw, kept in row order. */
function capRows(rows: Uint32Array, rng: Rng, maxRows: number): Uint32Array {
  if (!(rows.length > maxRows)) return rows;
  const pick = sampleWithoutReplacement(rng, rows.length, Math.max(1, Math.floor(maxRows))).sort();
  return pick.map((k) => rows[k]);
}

function run<K extends string>(n: number, stats: Record<K, Stat>, undefinedWhy: Record<K, string>, rng: Rng, opts: BootstrapOptions): BootstrapResult<K> {
  const B = Math.max(1, Math.floor(opts.resamples ?? 200));
  const level = opts.level ?? 0.95;
  const keys = Object.keys(stats) as K[];
  const values = keys.map(() => new Float64Array(B));
  const valid = keys.map(() => 0);
  const w = new Uint32Array(n);
  if (n > 0) {
    for (let b = 0; b < B; b++) {
      w.fill(0);
      for (let k = 0; k < n; k++) w[Math.floor(rng() * n)]++;
      keys.forEach((key, s) => {
        const v = stats[key](w);
        if (Number.isFinite(v)) values[s][valid[s]++] = v;
      });
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
  // Rows laid out by descending score (stable), so every statistic, AUC included, is one sequential pass.
  const rows = capped.slice().sort((a, b) => score[b] - score[a] || a - b);
  const n = rows.length;
  const eps = opts.eps ?? 1e-15;
  const lab = new Uint8Array(n), predPos = new Uint8Array(n), ll = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    lab[k] = y[i];
    predPos[k] = score[i] >= threshold ? 1 : 0;
    const p = Math.min(1 - eps, Math.max(eps, score[i]));
    ll[k] = -(y[i] === 1 ? Math.log(p) : Math.log(1 - p));
  }
  // groupEnd[g]: end (exclusive) of the g-th run of tied scores.
  const ends: number[] = [];
  for (let k = 1; k <= n; k++) if (k === n || score[rows[k]] !== score[rows[k - 1]]) ends.push(k);
  const groupEnd = Uint32Array.from(ends);
  const auc: Stat = (w) => {
    let pos = 0, neg = 0, num = 0, start = 0;
    for (let g = 0; g < groupEnd.length; g++) {
      let gp = 0, gn = 0;
      for (let k = start; k < groupEnd[g]; k++) {
        if (lab[k] === 1) gp += w[k];
        else gn += w[k];
      }
      num += gn * (pos + gp / 2);
      pos += gp;
      neg += gn;
      start = groupEnd[g];
    }
    return pos > 0 && neg > 0 ? num / (pos * neg) : NaN;
  };
  const accuracy: Stat = (w) => {
    let right = 0;
    for (let k = 0; k < n; k++) if (lab[k] === predPos[k]) right += w[k];
    return right / n;
  };
  const f1: Stat = (w) => {
    let tp = 0, fp = 0, fn = 0;
    for (let k = 0; k < n; k++) {
      if (lab[k] === 1) {
        if (predPos[k]) tp += w[k];
        else fn += w[k];
      } else if (predPos[k]) fp += w[k];
    }
    const den = 2 * tp + fp + fn;
    return den > 0 ? (2 * tp) / den : NaN;
  };
  const logLoss: Stat = (w) => {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += w[k] * ll[k];
    return sum / n;
  };
  return run(
    n,
    { accuracy, auc, f1, logLoss },
    { accuracy: REASONS.noRows, auc: REASONS.oneClass, f1: 'no positive rows and none predicted positive', logLoss: REASONS.noRows },
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
  const tp = new Float64Array(C), support = new Float64Array(C), predicted_ = new Float64Array(C);
  const accuracy: Stat = (w) => {
    let right = 0;
    for (let k = 0; k < n; k++) if (t[k] === p[k]) right += w[k];
    return right / n;
  };
  const macroF1: Stat = (w) => {
    tp.fill(0);
    support.fill(0);
    predicted_.fill(0);
    for (let k = 0; k < n; k++) {
      const wk = w[k];
      if (wk === 0) continue;
      support[t[k]] += wk;
      predicted_[p[k]] += wk;
      if (t[k] === p[k]) tp[t[k]] += wk;
    }
    let sum = 0, present = 0;
    for (let c = 0; c < C; c++) {
      const den = support[c] + predicted_[c];
      if (den === 0) continue;
      present++;
      sum += (2 * tp[c]) / den;
    }
    return present ? sum / present : NaN;
  };
  return run(n, { accuracy, macroF1 }, { accuracy: REASONS.noRows, macroF1: REASONS.noRows }, rng, opts);
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
  const mae: Stat = (w) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += w[k] * Math.abs(r[k]);
    return s / n;
  };
  const rmse: Stat = (w) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += w[k] * r[k] * r[k];
    return Math.sqrt(s / n);
  };
  const r2: Stat = (w) => {
    let sq = 0, sy = 0, syy = 0, lo = Infinity, hi = -Infinity;
    for (let k = 0; k < n; k++) {
      const wk = w[k];
      if (wk === 0) continue;
      sq += wk * r[k] * r[k];
      sy += wk * yc[k];
      syy += wk * yc[k] * yc[k];
      if (yc[k] < lo) lo = yc[k];
      if (yc[k] > hi) hi = yc[k];
    }
    const ssTot = syy - (sy * sy) / n;
    return lo === hi || !(ssTot > 0) ? NaN : 1 - sq / ssTot;
  };
  return run(n, { mae, rmse, r2 }, { mae: REASONS.noRows, rmse: REASONS.noRows, r2: REASONS.constantTarget }, rng, opts);
}
