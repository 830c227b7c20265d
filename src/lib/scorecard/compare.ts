/**
 * Per-candidate figures of the scorecard and the comparisons between candidates: the task metric
 * with a bootstrap interval, a paired bootstrap of the metric difference between two models on the
 * same rows, where their predicted labels disagree, expected value from the cost matrix, the worst
 * fairness gap, and latency read from the measurement protocol's samples.
 */
import {
  aucOf,
  bootstrapBinary,
  bootstrapRegression,
  buildThresholdTable,
  expectedValueAt,
  expectedValueCurve,
  regressionErrors,
  type BinaryLabels,
  type OutcomeValues,
} from '../analysis/quality';
import { createRng, sampleWithoutReplacement } from '../analysis/random';
import { disparities, groupMetrics, type Grouping } from '../analysis/fairness';
import { labelKey } from '../analysis/predictions';
import { bestUnderBudget, summarizeLatency, summarizeSweep } from '../analysis/latency';

export type MetricKind = 'auc' | 'accuracy' | 'rmse';

export const METRICS: Record<MetricKind, { name: string; higherIsBetter: boolean }> = {
  auc: { name: 'AUC', higherIsBetter: true },
  accuracy: { name: 'accuracy', higherIsBetter: true },
  rmse: { name: 'RMSE', higherIsBetter: false },
};

/** The scorecard's metric per task: binary AUC, multiclass accuracy, regression RMSE. */
export function metricKindOf(task: 'binary' | 'multiclass' | 'regression'): MetricKind {
  return task === 'binary' ? 'auc' : task === 'multiclass' ? 'accuracy' : 'rmse';
}

/**
 * One model's rows for its metric. auc: `truth` 1/0/-1 labels (-1 unknown), `pred` positive-class
 * scores; accuracy: `truth` 1 correct / 0 wrong / -1 not judged, `pred` unused; rmse: `truth` target
 * values, `pred` predictions (NaN unknown).
 */
export type MetricRows =
  | { kind: 'auc'; truth: BinaryLabels; pred: ArrayLike<number> }
  | { kind: 'accuracy'; truth: Int8Array; pred?: undefined }
  | { kind: 'rmse'; truth: ArrayLike<number>; pred: ArrayLike<number> };

export interface BootstrapSettings {
  resamples: number;
  seed: number;
  /** Larger inputs are subsampled (seeded) to this many rows before resampling. */
  maxRows: number;
  level: number;
}

export const SCORECARD_BOOTSTRAP: Readonly<BootstrapSettings> = Object.freeze({ resamples: 200, seed: 7, maxRows: 20_000, level: 0.95 });

/** Whether row i counts for the metric. */
function usableRow(m: MetricRows, i: number): boolean {
  if (m.kind === 'auc') return (m.truth[i] === 0 || m.truth[i] === 1) && Number.isFinite(m.pred[i]);
  if (m.kind === 'accuracy') return m.truth[i] === 0 || m.truth[i] === 1;
  return Number.isFinite(m.truth[i]) && Number.isFinite(m.pred[i]);
}

export interface MetricEstimate {
  value: number | null;
  low: number | null;
  high: number | null;
  /** Rows the metric was computed on. */
  rows: number;
  /** Why the value or the interval is missing. */
  reason: string | null;
}

/**
 * The metric on every usable row with a percentile bootstrap interval from the quality module's
 * helpers (AUC: `bootstrapBinary`, RMSE: `bootstrapRegression`, accuracy: the same weighted resampling
 * as the paired bootstrap, one model).
 */
export function metricWithInterval(m: MetricRows, opts: BootstrapSettings = SCORECARD_BOOTSTRAP): MetricEstimate {
  const bo = { resamples: opts.resamples, seed: opts.seed, maxRows: opts.maxRows, level: opts.level };
  let rows = 0;
  for (let i = 0; i < m.truth.length; i++) if (usableRow(m, i)) rows++;
  if (m.kind === 'auc') {
    const pred = Float64Array.from(m.pred as ArrayLike<number>);
    const v = aucOf(buildThresholdTable(m.truth, pred));
    const ci = bootstrapBinary(m.truth, pred, 0.5, bo).intervals.auc;
    return { value: v.value, low: ci.lo, high: ci.hi, rows, reason: v.reason ?? ci.reason };
  }
  if (m.kind === 'rmse') {
    const v = regressionErrors(m.truth, m.pred).rmse;
    const ci = bootstrapRegression(m.truth, m.pred, bo).intervals.rmse;
    return { value: v.value, low: ci.lo, high: ci.hi, rows, reason: v.reason ?? ci.reason };
  }
  const one = pairedBootstrap(m, m, opts);
  return { value: one.a, low: one.aLow, high: one.aHigh, rows, reason: one.reason };
}

/**
 * The metric of rows drawn `w[i]` times each (w: per-row counts; rows with w 0 left out). `order`
 * (AUC only) lists the rows by descending score. NaN when undefined (one class, no rows).
 */
export function weightedMetric(m: MetricRows, w: ArrayLike<number>, order?: ArrayLike<number>): number {
  if (m.kind === 'accuracy') {
    let right = 0, n = 0;
    for (let i = 0; i < w.length; i++) if (w[i] && (m.truth[i] === 0 || m.truth[i] === 1)) {
      n += w[i];
      right += w[i] * m.truth[i];
    }
    return n ? right / n : NaN;
  }
  if (m.kind === 'rmse') {
    let sq = 0, n = 0;
    for (let i = 0; i < w.length; i++) if (w[i] && usableRow(m, i)) {
      const r = m.pred[i] - m.truth[i];
      sq += w[i] * r * r;
      n += w[i];
    }
    return n ? Math.sqrt(sq / n) : NaN;
  }
  const ord = order ?? descendingOrder(m);
  // Negatives below each run of tied scores: P(score+ > score-) + half the ties.
  let pos = 0, neg = 0, gp = 0, gn = 0, num = 0;
  for (let k = 0; k < ord.length; k++) {
    const i = ord[k];
    const wi = w[i];
    if (wi && usableRow(m, i)) {
      if (m.truth[i] === 1) gp += wi;
      else gn += wi;
    }
    const next = k + 1 < ord.length ? ord[k + 1] : -1;
    if (next < 0 || m.pred[next] !== m.pred[i]) {
      num += gn * (pos + gp / 2);
      pos += gp;
      neg += gn;
      gp = gn = 0;
    }
  }
  return pos > 0 && neg > 0 ? num / (pos * neg) : NaN;
}

/** Usable rows of an AUC input by descending score (ties by row index). */
function descendingOrder(m: MetricRows): Uint32Array {
  const rows: number[] = [];
  for (let i = 0; i < m.truth.length; i++) if (usableRow(m, i)) rows.push(i);
  const p = m.pred!;
  return Uint32Array.from(rows.sort((a, b) => p[b] - p[a] || a - b));
}

export interface PairedDifference {
  /** Metric of model a and of model b on the rows usable for both. */
  a: number | null;
  b: number | null;
  /** b − a (in metric units; positive means b scores higher, which is better unless the metric is an error). */
  difference: number | null;
  low: number | null;
  high: number | null;
  /** Interval of a alone (same resamples). */
  aLow: number | null;
  aHigh: number | null;
  rows: number;
  resamples: number;
  reason: string | null;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 1) return sorted[0];
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/**
 * Paired percentile bootstrap of metric(b) − metric(a): each resample draws rows with replacement
 * from the rows usable for both models and computes both metrics on the same draw, so the row-to-row
 * variation the models share cancels out. Resamples where either metric is undefined are dropped;
 * with more than half dropped the interval is null with the reason.
 */
export function pairedBootstrap(a: MetricRows, b: MetricRows, opts: BootstrapSettings = SCORECARD_BOOTSTRAP): PairedDifference {
  const n = Math.min(a.truth.length, b.truth.length);
  const rng = createRng(opts.seed);
  let rows: number[] = [];
  for (let i = 0; i < n; i++) if (usableRow(a, i) && usableRow(b, i)) rows.push(i);
  if (rows.length > opts.maxRows) rows = Array.from(sampleWithoutReplacement(rng, rows.length, opts.maxRows)).map((k) => rows[k]).sort((x, y) => x - y);
  const m = rows.length;
  const none = (reason: string): PairedDifference => ({ a: null, b: null, difference: null, low: null, high: null, aLow: null, aHigh: null, rows: m, resamples: 0, reason });
  if (m === 0) return none('no rows usable by both models');
  // Resample the kept rows only: at a million rows each resample would otherwise walk every row.
  if (m < n) {
    a = pickRows(a, rows);
    b = pickRows(b, rows);
    rows = rows.map((_, j) => j);
    return pairedOnRows(a, b, rows, m, rng, opts, none);
  }
  return pairedOnRows(a, b, rows, n, rng, opts, none);
}

/** The rows `idx` of a model's metric rows, in that order. */
function pickRows(x: MetricRows, idx: readonly number[]): MetricRows {
  const take = <A extends { length: number; [i: number]: number }>(src: ArrayLike<number>, out: A): A => {
    for (let j = 0; j < idx.length; j++) out[j] = src[idx[j]];
    return out;
  };
  if (x.kind === 'auc') return { kind: 'auc', truth: take(x.truth, new Int8Array(idx.length)), pred: take(x.pred, new Float64Array(idx.length)) };
  if (x.kind === 'accuracy') return { kind: 'accuracy', truth: take(x.truth, new Int8Array(idx.length)) };
  return { kind: 'rmse', truth: take(x.truth, new Float64Array(idx.length)), pred: take(x.pred, new Float64Array(idx.length)) };
}

function pairedOnRows(
  a: MetricRows,
  b: MetricRows,
  rows: number[],
  n: number,
  rng: () => number,
  opts: BootstrapSettings,
  none: (reason: string) => PairedDifference,
): PairedDifference {
  const m = rows.length;
  const ordA = a.kind === 'auc' ? descendingOrder(a) : undefined;
  const ordB = b.kind === 'auc' ? descendingOrder(b) : undefined;
  const w = new Uint32Array(n);
  for (const i of rows) w[i] = 1;
  const va = weightedMetric(a, w, ordA), vb = weightedMetric(b, w, ordB);
  const diffs = new Float64Array(opts.resamples), as = new Float64Array(opts.resamples);
  let k = 0;
  for (let r = 0; r < opts.resamples; r++) {
    w.fill(0);
    for (let j = 0; j < m; j++) w[rows[Math.floor(rng() * m)]]++;
    const x = weightedMetric(a, w, ordA), y = weightedMetric(b, w, ordB);
    if (Number.isFinite(x) && Number.isFinite(y)) {
      diffs[k] = y - x;
      as[k++] = x;
    }
  }
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  if (k * 2 < opts.resamples) {
    return { ...none('the metric is undefined in most resamples (one class only?)'), a: fin(va), b: fin(vb), difference: Number.isFinite(va) && Number.isFinite(vb) ? vb - va : null, resamples: k };
  }
  const d = diffs.subarray(0, k).sort(), s = as.subarray(0, k).sort();
  const lo = (1 - opts.level) / 2, hi = (1 + opts.level) / 2;
  return {
    a: fin(va),
    b: fin(vb),
    difference: Number.isFinite(va) && Number.isFinite(vb) ? vb - va : null,
    low: quantile(d, lo),
    high: quantile(d, hi),
    aLow: quantile(s, lo),
    aHigh: quantile(s, hi),
    rows: m,
    resamples: k,
    reason: null,
  };
}

export interface ComplexityVerdict {
  simple: string;
  complex: string;
  /** metric(complex) − metric(simple). */
  difference: number | null;
  low: number | null;
  high: number | null;
  /** The interval lies entirely on the "complex is better" side of 0. */
  justified: boolean;
  sentence: string;
}

const signed = (v: number, digits: number) => (v < 0 ? `−${Math.abs(v).toFixed(digits)}` : v.toFixed(digits));

/**
 * "Is the complexity justified?" in plain words, from a paired difference (a = simple, b = complex).
 * Justified only when the whole interval says the complex model is better.
 */
export function complexityVerdict(simple: string, complex: string, d: PairedDifference, metric: { name: string; higherIsBetter: boolean }, level = 0.95): ComplexityVerdict {
  const base = { simple, complex, difference: d.difference, low: d.low, high: d.high };
  if (d.difference === null) return { ...base, justified: false, sentence: `${complex} and ${simple} cannot be compared: ${d.reason ?? 'no metric'}.` };
  const digits = Math.abs(d.difference) >= 10 ? 1 : 3;
  const better = metric.higherIsBetter ? d.difference > 0 : d.difference < 0;
  const size = Math.abs(d.difference).toFixed(digits);
  const head = d.difference === 0 ? `${complex} scores the same ${metric.name} as ${simple}` : `${complex} is ${size} ${metric.name} ${better ? 'better' : 'worse'} than ${simple}`;
  const rows = `${d.rows.toLocaleString('en-US')} rows`;
  if (d.low === null || d.high === null) return { ...base, justified: false, sentence: `${head}; no interval (${d.reason}), so the extra complexity is not shown to pay off.` };
  const ci = `(${Math.round(level * 100)}% interval ${signed(d.low, digits)} to ${signed(d.high, digits)})`;
  const betterAll = metric.higherIsBetter ? d.low > 0 : d.high < 0;
  const worseAll = metric.higherIsBetter ? d.high < 0 : d.low > 0;
  const tail = betterAll
    ? `the interval excludes 0, so on these ${rows} the extra complexity pays off.`
    : worseAll
      ? `the interval excludes 0 on the wrong side: on these ${rows} the simpler model is better.`
      : `the interval includes 0, so on these ${rows} the extra complexity is not shown to pay off.`;
  return { ...base, justified: betterAll, sentence: `${head} ${ci}: ${tail}` };
}

export interface Disagreement {
  /** Rows where at least two models with a prediction disagree. */
  rows: Uint32Array;
  /** rows / rows where at least two models predict. */
  rate: number | null;
  /** Per pair of models (i < j): rows where both predict and the labels differ. */
  pairs: { a: number; b: number; rows: number }[];
}

/** Where predicted labels (class indexes in one shared class list, -1 none) of several models disagree. */
export function disagreement(labels: readonly Int32Array[]): Disagreement {
  const n = labels.length ? Math.min(...labels.map((l) => l.length)) : 0;
  const out: number[] = [];
  let judged = 0;
  const pairs: { a: number; b: number; rows: number }[] = [];
  for (let a = 0; a < labels.length; a++) for (let b = a + 1; b < labels.length; b++) pairs.push({ a, b, rows: 0 });
  for (let i = 0; i < n; i++) {
    let first = -1, known = 0, differ = false;
    for (const l of labels) {
      const v = l[i];
      if (v < 0) continue;
      known++;
      if (first < 0) first = v;
      else if (v !== first) differ = true;
    }
    if (known >= 2) judged++;
    if (differ) out.push(i);
    for (const p of pairs) if (labels[p.a][i] >= 0 && labels[p.b][i] >= 0 && labels[p.a][i] !== labels[p.b][i]) p.rows++;
  }
  return { rows: Uint32Array.from(out), rate: judged ? out.length / judged : null, pairs };
}

/** Class index per row in `to`'s class list, matched by class name as `labelKey` reads it (-1 when absent or unknown). */
export function alignLabels(labels: Int32Array, from: readonly string[], to: readonly string[]): Int32Array {
  const keys = to.map(labelKey);
  const map = Int32Array.from(from, (c) => keys.indexOf(labelKey(c)));
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    out[i] = v >= 0 && v < map.length ? map[v] : -1;
  }
  return out;
}

export type ThresholdRule = 'value-optimal' | '0.5';

/**
 * Expected value per row (the cost matrix's unit) at the model's value-optimal threshold (the best over
 * every distinct score) or at 0.5; positive when score ≥ threshold.
 */
export function expectedValue(y: BinaryLabels, score: ArrayLike<number>, values: OutcomeValues, rule: ThresholdRule): { value: number | null; threshold: number } {
  const table = buildThresholdTable(y, Float64Array.from(score));
  if (rule === '0.5') return { value: expectedValueAt(table, 0.5, values).value, threshold: 0.5 };
  const best = expectedValueCurve(table, values, 2).best;
  return { value: best.value.value, threshold: best.threshold };
}

export interface FairnessGap {
  /** Largest |gap| over the partitions and the two measures. */
  value: number;
  measure: 'demographicParityDifference' | 'equalOpportunityDifference';
  /** The partition's columns and the group where it occurs. */
  columns: string[];
  group: string;
}

/**
 * The worst of the demographic-parity difference (selection rates) and the equal-opportunity
 * difference (true positive rates) against the reference group, over every partition, at `threshold`
 * (positive when score ≥ threshold); groups too small to judge are skipped. Null with no partition or
 * no defined gap.
 */
export function worstFairnessGap(
  y: BinaryLabels,
  score: ArrayLike<number>,
  groupings: readonly Grouping[],
  threshold: number,
  opts: { reference?: 'largest' | 'best' | number; favorable?: 'positive' | 'negative' } = {},
): FairnessGap | null {
  const s = Float64Array.from(score);
  let worst: FairnessGap | null = null;
  for (const g of groupings) {
    const gm = groupMetrics(y, s, g, threshold, { bootstrap: false });
    const d = disparities(gm, { reference: opts.reference ?? 'largest', favorable: opts.favorable ?? 'positive' });
    for (const measure of ['demographicParityDifference', 'equalOpportunityDifference'] as const) {
      const w = d.measures[measure].worst;
      if (w.value.value === null) continue;
      const v = Math.abs(w.value.value);
      if (!worst || v > worst.value) worst = { value: v, measure, columns: g.columns, group: g.groups[w.group]?.label ?? '' };
    }
  }
  return worst;
}

export interface LatencyFacts {
  /** Batch 1, in the worker around session.run, ms. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Rows per second at the batch with the most throughput whose p95 is within the budget; null when none is. */
  bestThroughput: number | null;
  bestBatch: number | null;
  budgetMs: number;
}

/** Latency figures of one model from the protocol's raw samples (batch-1 runs and the batch sweep). */
export function latencyFacts(batch1Ms: ArrayLike<number>, sweep: readonly { batch: number; workerMs: ArrayLike<number> }[], budgetMs: number): LatencyFacts {
  const s = summarizeLatency(batch1Ms);
  const { best } = bestUnderBudget(summarizeSweep(sweep.map((p) => ({ batch: p.batch, samplesMs: p.workerMs }))), budgetMs);
  return { p50Ms: s.p50, p95Ms: s.p95, bestThroughput: best?.rowsPerSec ?? null, bestBatch: best?.batch ?? null, budgetMs };
}
