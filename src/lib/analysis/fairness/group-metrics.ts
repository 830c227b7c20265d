/**
 * Binary classification metrics per sensitive group, at one threshold for all, a threshold per
 * group, or a randomized threshold per group (post-processing), with stratified bootstrap intervals:
 * every resample draws each group's rows from that group alone, so no group, however small, is ever
 * missing from a resample.
 *
 * Only rows with a 0/1 label, a finite score and a group (>= 0) are counted; rates are fractions in
 * [0, 1]. A row is predicted positive when score >= its threshold.
 */
import { quantileSorted } from '../data-summary';
import { createRng, sampleWithoutReplacement } from '../random';
import { aucOf, buildThresholdTable, confusionAt, metricsFromConfusion, type BinaryConfusion, type BinaryLabels, type ThresholdTable } from '../quality/binary';
import type { Interval } from '../quality/bootstrap';
import { known, ratio, REASONS, unknown, type Metric, type Scores } from '../quality/metric';
import type { Grouping } from './groups';

/**
 * A randomized threshold: a row's threshold is `thresholds[j]` with probability `weights[j]`
 * (weights sum to 1), so a row with score s is predicted positive with probability
 * Σ weights[j]·[s >= thresholds[j]]. One threshold with weight 1 is an ordinary threshold; two are
 * Hardt et al.'s (2016) mix of two thresholds.
 */
export interface GroupRule {
  thresholds: number[];
  weights: number[];
}

/** One threshold for every group, or one per group (a number or a randomized rule), indexed like `grouping.groups`. */
export type Decision = number | readonly (number | GroupRule)[];

/** A deterministic rule. */
export const fixedRule = (t: number): GroupRule => ({ thresholds: [t], weights: [1] });

/** Probability that a row with score `s` is predicted positive under `rule`. */
export function acceptance(rule: GroupRule, s: number): number {
  let p = 0;
  for (let j = 0; j < rule.thresholds.length; j++) if (s >= rule.thresholds[j]) p += rule.weights[j];
  // Weights summing to 1 - 1e-16 must still accept surely.
  return p > 1 - 1e-12 ? 1 : p < 1e-12 ? 0 : p;
}

/** Whether any row's decision depends on a coin flip under `rule`. */
export const isRandomized = (rule: GroupRule) => rule.weights.filter((w) => w > 1e-12).length > 1;

/** Confusion counts expected under a randomized rule (a weighted sum of the counts at each threshold; may be fractional). */
export function expectedConfusion(table: ThresholdTable, rule: GroupRule): BinaryConfusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let j = 0; j < rule.thresholds.length; j++) {
    const w = rule.weights[j];
    if (w === 0) continue;
    const cj = confusionAt(table, rule.thresholds[j]);
    c.tp += w * cj.tp;
    c.fp += w * cj.fp;
    c.tn += w * cj.tn;
    c.fn += w * cj.fn;
  }
  return c;
}

/** Rule of group g under a decision. */
function ruleOf(decision: Decision, g: number): GroupRule {
  if (typeof decision === 'number') return fixedRule(decision);
  const d = decision[g];
  return typeof d === 'number' ? fixedRule(d) : d;
}

/**
 * Per-row predictions (1 positive, 0 negative) under `decision`. Randomized rules flip one seeded
 * coin per row (drawn for every row in row order, so a row's coin does not depend on the rules);
 * rows with a non-finite score, and rows in no group under per-group rules, are 0. Throws when a row's
 * group has no rule.
 * @param seed PRNG seed of the coin flips; default 1.
 */
export function decide(score: Scores, rowGroup: Int32Array, decision: Decision, seed = 1): Uint8Array {
  const n = score.length;
  const out = new Uint8Array(n);
  const G = typeof decision === 'number' ? 1 : decision.length;
  if (typeof decision !== 'number') {
    for (let i = 0; i < n; i++) if (rowGroup[i] >= G) throw new Error(`No threshold for group ${rowGroup[i]}.`);
  }
  const rules = Array.from({ length: G }, (_, g) => ruleOf(decision, g));
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) {
    const u = rng();
    const s = score[i];
    if (!Number.isFinite(s)) continue;
    const g = typeof decision === 'number' ? 0 : rowGroup[i];
    if (g < 0) continue;
    out[i] = u < acceptance(rules[g], s) ? 1 : 0;
  }
  return out;
}

/** Whether row i counts: a 0/1 label, a finite score, a group. */
const usable = (y: BinaryLabels, score: Scores, rowGroup: Int32Array, i: number) =>
  (y[i] === 0 || y[i] === 1) && Number.isFinite(score[i]) && rowGroup[i] >= 0;

/** Each group's ThresholdTable (its usable rows only), indexed like `grouping.groups`. */
export function groupTables(y: BinaryLabels, score: Scores, grouping: Grouping): ThresholdTable[] {
  const G = grouping.groups.length, rg = grouping.rowGroup;
  const count = new Array<number>(G).fill(0);
  for (let i = 0; i < y.length; i++) if (usable(y, score, rg, i)) count[rg[i]]++;
  const ys = count.map((c) => new Int8Array(c)), ss = count.map((c) => new Float64Array(c));
  const at = new Array<number>(G).fill(0);
  for (let i = 0; i < y.length; i++) {
    if (!usable(y, score, rg, i)) continue;
    const g = rg[i], k = at[g]++;
    ys[g][k] = y[i];
    ss[g][k] = score[i];
  }
  return ys.map((yg, g) => buildThresholdTable(yg, ss[g]));
}

/** The group rates that get bootstrap intervals. */
export const GROUP_RATES = ['baseRate', 'selectionRate', 'tpr', 'fpr', 'fnr', 'precision', 'accuracy', 'auc', 'meanScore', 'calibrationGap'] as const;
/** A per-group rate with a bootstrap interval. */
export type GroupRate = (typeof GROUP_RATES)[number];

/** Figures of one group (or of all grouped rows together). */
export interface GroupStats {
  /** Rows in the group, labelled or not. */
  rows: number;
  /** Rows counted: 0/1 label and finite score. */
  n: number;
  positives: number;
  negatives: number;
  /** `n < minSize`: too few rows to judge. */
  tooSmall: boolean;
  /** Why the group's figures should not be trusted, in words; null when none. */
  warning: string | null;
  /** Counts of the predictions actually made (coin flips included). */
  confusion: BinaryConfusion;
  /** Share of positives: the observed rate the mean score is compared with. */
  baseRate: Metric;
  /** Share predicted positive. */
  selectionRate: Metric;
  /** True positive rate (recall). */
  tpr: Metric;
  fpr: Metric;
  fnr: Metric;
  precision: Metric;
  accuracy: Metric;
  /** Threshold-free: ROC AUC within the group. */
  auc: Metric;
  /** Mean score (P(positive)) over the counted rows. */
  meanScore: Metric;
  /** Mean score − observed rate (base rate): > 0 the model over-predicts the positive class for the group. */
  calibrationGap: Metric;
}

export interface GroupResult extends GroupStats {
  /** Index into `grouping.groups`. */
  group: number;
  label: string;
  /** 95 % (by default) stratified bootstrap intervals; null bounds with a reason where undefined. */
  intervals: Record<GroupRate, Interval>;
}

export interface StratifiedBootstrapOptions {
  /** Resamples; default 200. */
  resamples?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** Confidence level; default 0.95. */
  level?: number;
  /**
   * Most rows resampled; default all. Above it, each group keeps a seeded random share of its rows
   * proportional to its size (at least 50, or all it has), and the intervals are those of that sample:
   * wider than the full data's, never narrower. Bounds the cost at a million rows (200 resamples of
   * every row take tens of seconds).
   */
  maxRows?: number;
}

/** Every resample's value of each rate per group: `samples[rate][b * G + g]`, NaN where undefined. */
export interface GroupSamples {
  resamples: number;
  /** Rows the resamples drew from (fewer than the counted rows when `maxRows` capped them). */
  rows: number;
  level: number;
  groups: number;
  samples: Record<GroupRate, Float64Array>;
}

export interface GroupMetricsResult {
  groups: GroupResult[];
  /** All grouped rows together (no intervals: the quality view has them). */
  overall: GroupStats;
  /** Per-row predictions the figures were counted from (1 positive). */
  predicted: Uint8Array;
  /** Bootstrap draws, for disparity intervals from the same resamples; null when not bootstrapped. */
  bootstrap: GroupSamples | null;
  minSize: number;
}

export interface GroupMetricsOptions {
  /** Seed of the per-row coin flips of randomized rules; default 1. */
  seed?: number;
  /** Stratified bootstrap settings, or false for none (intervals then say so). Default: 200 resamples, seed 1, 95 %. */
  bootstrap?: StratifiedBootstrapOptions | false;
}

/** Figures from counts. */
function stats(
  rows: number,
  c: BinaryConfusion,
  sumScore: number,
  auc: Metric,
  minSize: number,
): GroupStats {
  const n = c.tp + c.fp + c.tn + c.fn;
  const m = metricsFromConfusion(c, NaN);
  const baseRate = ratio(c.tp + c.fn, n, REASONS.noRows);
  const meanScore = ratio(sumScore, n, REASONS.noRows);
  const tooSmall = n < minSize;
  let warning: string | null = null;
  if (n === 0) warning = 'no rows with a label and a score';
  else if (tooSmall) warning = `only ${n} rows with a label: too few to judge (fewer than ${minSize})`;
  else if (c.tp + c.fn === 0 || c.fp + c.tn === 0) warning = 'only one class in the labels';
  return {
    rows,
    n,
    positives: c.tp + c.fn,
    negatives: c.fp + c.tn,
    tooSmall,
    warning,
    confusion: c,
    baseRate,
    selectionRate: m.selectionRate,
    tpr: m.recall,
    fpr: m.fpr,
    fnr: m.fnr,
    precision: m.precision,
    accuracy: m.accuracy,
    auc,
    meanScore,
    calibrationGap: meanScore.value !== null && baseRate.value !== null ? known(meanScore.value - baseRate.value) : unknown(REASONS.noRows),
  };
}

/** Why each rate can be undefined (in a group or a resample), in words. */
export const GROUP_RATE_UNDEFINED: Record<GroupRate, string> = {
  baseRate: REASONS.noRows,
  selectionRate: REASONS.noRows,
  tpr: REASONS.noPositives,
  fpr: REASONS.noNegatives,
  fnr: REASONS.noPositives,
  precision: REASONS.noPredictedPositives,
  accuracy: REASONS.noRows,
  auc: REASONS.oneClass,
  meanScore: REASONS.noRows,
  calibrationGap: REASONS.noRows,
};

/**
 * Percentile interval of bootstrap values (NaN = undefined in that resample): null with a reason
 * when the statistic is undefined in more than half the resamples, as the quality bootstrap does.
 */
export function percentileInterval(values: ArrayLike<number>, level: number, undefinedWhy: string): Interval {
  const ok: number[] = [];
  for (let b = 0; b < values.length; b++) if (Number.isFinite(values[b])) ok.push(values[b]);
  const B = values.length;
  if (B === 0) return { lo: null, hi: null, reason: 'not bootstrapped', resamples: 0 };
  if (ok.length * 2 < B) return { lo: null, hi: null, reason: `undefined in most resamples (${undefinedWhy})`, resamples: ok.length };
  const sorted = Float64Array.from(ok).sort();
  return { lo: quantileSorted(sorted, (1 - level) / 2), hi: quantileSorted(sorted, (1 + level) / 2), reason: null, resamples: ok.length };
}

/**
 * Stratified bootstrap of every group rate: in each resample, group g's m_g counted rows are drawn
 * with replacement from group g alone. Rows are laid out by group, then by descending score, so each
 * resample's rates, AUC included, take one pass over the rows.
 */
export function bootstrapGroups(
  y: BinaryLabels,
  score: Scores,
  grouping: Grouping,
  predicted: Uint8Array,
  opts: StratifiedBootstrapOptions = {},
): GroupSamples {
  const B = Math.max(1, Math.floor(opts.resamples ?? 200));
  const level = opts.level ?? 0.95;
  const G = grouping.groups.length, rg = grouping.rowGroup;
  const rng = createRng(opts.seed ?? 1);
  let all: number[] = [];
  for (let i = 0; i < y.length; i++) if (usable(y, score, rg, i)) all.push(i);
  const cap = opts.maxRows;
  if (cap !== undefined && all.length > cap) {
    const byGroup: number[][] = Array.from({ length: G }, () => []);
    for (const i of all) byGroup[rg[i]].push(i);
    // Its own stream, so the resamples' draws follow the same seed as without a cap.
    const pick = createRng(((opts.seed ?? 1) + 0x9e3779b9) >>> 0);
    const total = all.length;
    all = [];
    for (const rows of byGroup) {
      const k = Math.min(rows.length, Math.max(Math.ceil((rows.length * cap) / total), 50));
      for (const j of sampleWithoutReplacement(pick, rows.length, k)) all.push(rows[j]);
    }
  }
  all.sort((a, b) => rg[a] - rg[b] || score[b] - score[a] || a - b);
  const n = all.length;
  const start = new Int32Array(G + 1);
  for (const i of all) start[rg[i] + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g];
  const lab = new Uint8Array(n), pred = new Uint8Array(n), sc = new Float64Array(n), runEnd = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = all[k];
    lab[k] = y[i];
    pred[k] = predicted[i];
    sc[k] = score[i];
    // A tied run ends at a score change or a group boundary.
    runEnd[k] = k === n - 1 || rg[all[k + 1]] !== rg[i] || score[all[k + 1]] !== score[i] ? 1 : 0;
  }
  const samples = {} as Record<GroupRate, Float64Array>;
  for (const key of GROUP_RATES) samples[key] = new Float64Array(B * G);
  const w = new Uint32Array(n);
  for (let b = 0; b < B; b++) {
    w.fill(0);
    for (let g = 0; g < G; g++) {
      const s0 = start[g], m = start[g + 1] - s0;
      for (let d = 0; d < m; d++) w[s0 + Math.floor(rng() * m)]++;
    }
    for (let g = 0; g < G; g++) {
      const s0 = start[g], s1 = start[g + 1], m = s1 - s0;
      let P = 0, tp = 0, fp = 0, sum = 0;
      let pos = 0, neg = 0, gp = 0, gn = 0, num = 0;
      for (let k = s0; k < s1; k++) {
        const wk = w[k];
        if (wk !== 0) {
          sum += wk * sc[k];
          if (lab[k] === 1) {
            P += wk;
            gp += wk;
            if (pred[k]) tp += wk;
          } else {
            gn += wk;
            if (pred[k]) fp += wk;
          }
        }
        if (runEnd[k]) {
          num += gn * (pos + gp / 2);
          pos += gp;
          neg += gn;
          gp = gn = 0;
        }
      }
      const N = m - P, at = b * G + g;
      const base = m ? P / m : NaN, mean = m ? sum / m : NaN;
      samples.baseRate[at] = base;
      samples.selectionRate[at] = m ? (tp + fp) / m : NaN;
      samples.tpr[at] = P ? tp / P : NaN;
      samples.fpr[at] = N ? fp / N : NaN;
      samples.fnr[at] = P ? 1 - tp / P : NaN;
      samples.precision[at] = tp + fp ? tp / (tp + fp) : NaN;
      samples.accuracy[at] = m ? (tp + N - fp) / m : NaN;
      samples.auc[at] = pos > 0 && neg > 0 ? num / (pos * neg) : NaN;
      samples.meanScore[at] = mean;
      samples.calibrationGap[at] = mean - base;
    }
  }
  return { resamples: B, rows: n, level, groups: G, samples };
}

/** Column g of a B × G sample matrix. */
export function groupColumn(values: Float64Array, G: number, g: number): Float64Array {
  const B = values.length / G;
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) out[b] = values[b * G + g];
  return out;
}

/**
 * Metrics of every group of `grouping` under `decision` (default: threshold 0.5 for all), with
 * stratified bootstrap intervals (default 200 resamples, seed 1, 95 %). Randomized rules are
 * applied with seeded per-row coins (`seed`), and the figures count the predictions so made;
 * the bootstrap resamples rows with their predictions.
 */
export function groupMetrics(
  y: BinaryLabels,
  score: Scores,
  grouping: Grouping,
  decision: Decision = 0.5,
  opts: GroupMetricsOptions = {},
): GroupMetricsResult {
  const G = grouping.groups.length, rg = grouping.rowGroup;
  const predicted = decide(score, rg, decision, opts.seed ?? 1);
  const conf = Array.from({ length: G }, () => ({ tp: 0, fp: 0, tn: 0, fn: 0 }));
  const sum = new Float64Array(G);
  const all = { tp: 0, fp: 0, tn: 0, fn: 0 };
  let sumAll = 0;
  const yAll = new Int8Array(y.length).fill(-1);
  for (let i = 0; i < y.length; i++) {
    if (!usable(y, score, rg, i)) continue;
    const c = conf[rg[i]];
    const key = y[i] === 1 ? (predicted[i] ? 'tp' : 'fn') : predicted[i] ? 'fp' : 'tn';
    c[key]++;
    all[key]++;
    sum[rg[i]] += score[i];
    sumAll += score[i];
    yAll[i] = y[i];
  }
  const tables = groupTables(y, score, grouping);
  const boot = opts.bootstrap === false ? null : bootstrapGroups(y, score, grouping, predicted, opts.bootstrap);
  const groups = grouping.groups.map((grp, g): GroupResult => {
    const st = stats(grp.size, conf[g], sum[g], aucOf(tables[g]), grouping.minSize);
    const intervals = {} as Record<GroupRate, Interval>;
    for (const key of GROUP_RATES) {
      intervals[key] = !boot
        ? { lo: null, hi: null, reason: 'not bootstrapped', resamples: 0 }
        : st.n === 0
          ? { lo: null, hi: null, reason: REASONS.noRows, resamples: 0 }
          : percentileInterval(groupColumn(boot.samples[key], G, g), boot.level, GROUP_RATE_UNDEFINED[key]);
    }
    return { group: g, label: grp.label, ...st, intervals };
  });
  let rowsAll = 0;
  for (let i = 0; i < rg.length; i++) if (rg[i] >= 0) rowsAll++;
  const overall = stats(rowsAll, all, sumAll, aucOf(buildThresholdTable(yAll, score)), 0);
  return { groups, overall, predicted, bootstrap: boot, minSize: grouping.minSize };
}
