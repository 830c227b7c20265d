/**
 * Automatic findings for the Overview: each check reads figures the views already computed (plain
 * numbers and typed arrays, no state) and says what it measured, how it compares with a limit, and
 * which view shows it. A check whose inputs are missing returns a 'not-checked' finding that says what
 * to run; one that does not apply to the model (calibration of a regression) says why.
 */
import type { DisparityKind, DisparityReport } from './fairness';
import { formatNumber } from './quality/metric';
import { formatDuration } from './latency';

export type FindingSeverity = 'high' | 'medium' | 'info' | 'not-checked';

/** Order of the list: problems first, then checks that passed, then what is still to run. */
export const SEVERITY_ORDER: readonly FindingSeverity[] = ['high', 'medium', 'info', 'not-checked'];

/** The views a finding links to (a subset of the app's tabs). */
export type FindingView = 'predictions' | 'quality' | 'explain' | 'fairness' | 'drift' | 'latency';

export interface Finding {
  /** Stable per check ('fairness-gap:Sex' for one per sensitive attribute). */
  id: string;
  severity: FindingSeverity;
  title: string;
  /** What was measured, with the numbers and the limit, in words. */
  measured: string;
  /** The view that shows the figures. */
  view: FindingView;
  /** The measured figure compared with `limit` (null when not checked). */
  value: number | null;
  limit: number | null;
}

/**
 * Limits of the checks. Comparisons: a share, ECE or PSI fires at or above its limit; a fairness gap,
 * an interval width and p95 latency fire strictly above theirs; a score spread and a parity ratio fire
 * below theirs, a group below the minimum size.
 */
export interface FindingLimits {
  /** Share of rows given the most frequent predicted class at which predictions are near-constant; 0.95. */
  constantShare: number;
  /** Binary: standard deviation of P(positive) below which scores are near-constant; 0.01. */
  minScoreSd: number;
  /** Regression: sd of predictions ÷ sd of the target below which predictions are near-constant; 0.05. */
  minSpreadRatio: number;
  /** Share of total importance held by the top feature at which it dominates (possible leakage); 0.5. */
  dominantShare: number;
  /** Expected calibration error at which calibration is poor (twice it: high); 0.05. */
  ece: number;
  /** The compliance limit: largest |difference| between a group and the reference; 0.1. */
  fairnessGap: number;
  /** Parity ratio below which the four-fifths rule fails; 0.8. */
  fourFifths: number;
  /** Difference measures compared with `fairnessGap`. */
  fairnessMeasures: readonly DisparityKind[];
  /** PSI at which a feature's drift is major (high); 0.25. */
  psi: number;
  /** PSI at which drift is moderate (medium); 0.1. */
  psiModerate: number;
  /** p95 latency budget, ms; 50 (the latency lab's default). */
  latencyBudgetMs: number;
  /** Width (hi − lo) of a headline metric's interval above which the data are too few for it; 0.1. */
  intervalWidth: number;
  /** Rows a sensitive group needs to be judged; 30. */
  minGroup: number;
}

export const DEFAULT_FINDING_LIMITS: FindingLimits = {
  constantShare: 0.95,
  minScoreSd: 0.01,
  minSpreadRatio: 0.05,
  dominantShare: 0.5,
  ece: 0.05,
  fairnessGap: 0.1,
  fourFifths: 0.8,
  fairnessMeasures: ['demographicParityDifference', 'equalOpportunityDifference', 'equalizedOddsDifference'],
  psi: 0.25,
  psiModerate: 0.1,
  latencyBudgetMs: 50,
  intervalWidth: 0.1,
  minGroup: 30,
};

/** A check that does not apply to what is loaded, and why (shown as 'not-checked'). */
export interface Skip {
  skip: string;
}

export interface PredictionFigures {
  task: 'binary' | 'multiclass' | 'regression';
  /** Class labels in score order (classification). */
  classes?: readonly string[];
  /** Predicted class index per scored row, −1 for none (classification). */
  predicted?: ArrayLike<number>;
  /** Binary: P(positive class) per row; regression: the prediction. Non-finite values are skipped. */
  score?: ArrayLike<number>;
  /** Regression: the target per row (NaN unknown), to compare the predictions' spread with. */
  target?: ArrayLike<number> | null;
  /** Binary: the positive class's label (for the text). */
  positiveLabel?: string;
}

export interface CalibrationFigures {
  /** Expected calibration error (null: undefined, e.g. no labelled rows). */
  ece: number | null;
  bins: number;
  rows: number;
}

export interface ImportanceFigures {
  /** 'mean |SHAP|' or 'permutation importance (auc)'. */
  measure: string;
  /** Importance per feature; negative values (a shuffle that helped) count as 0. */
  features: readonly { feature: string; value: number | null }[];
}

/** One partition of the rows by sensitive columns, with its disparities. */
export interface FairnessPartition {
  /** 'Sex' or 'Sex × Age'. */
  attribute: string;
  groups: readonly { label: string; size: number }[];
  /** null when the disparities could not be computed (e.g. one group). */
  disparities: DisparityReport | null;
}

export interface DriftFigures {
  /** The current file compared with the reference. */
  file: string;
  /** Features (and the prediction, when scored) with their PSI; null PSI = unknown. */
  features: readonly { name: string; psi: number | null }[];
}

export interface LatencyInput {
  /** Rows per timed run. */
  batch: number;
  /** p95 per backend measured in the worker, ms (null: not run there). */
  backends: readonly { label: string; p95: number | null }[];
}

export interface IntervalFigures {
  level: number;
  rows: number;
  /** Headline metrics on a 0–1 scale with their bootstrap bounds (null: could not be computed). */
  intervals: readonly { metric: string; lo: number | null; hi: number | null; reason?: string | null }[];
}

export interface FindingsInput {
  /** null: nothing scored yet. */
  predictions: PredictionFigures | null;
  calibration: CalibrationFigures | Skip | null;
  importance: ImportanceFigures | null;
  /** The partitions by the chosen sensitive columns (an empty list: none chosen). */
  fairness: readonly FairnessPartition[] | Skip | null;
  drift: DriftFigures | null;
  latency: LatencyInput | null;
  intervals: IntervalFigures | Skip | null;
}

const pct = (x: number) => `${formatNumber(x * 100, 3)}%`;
const num = (x: number) => formatNumber(x, 4);
const isSkip = (x: unknown): x is Skip => typeof x === 'object' && x !== null && 'skip' in x;

function notChecked(id: string, view: FindingView, title: string, measured: string): Finding {
  return { id, severity: 'not-checked', title, measured, view, value: null, limit: null };
}

function mean(xs: ArrayLike<number>): { n: number; mean: number; sd: number; min: number; max: number } {
  // One pass (Welford) over a typed copy: a million rows read through `ArrayLike` cost ~80 ms.
  const a = xs instanceof Float64Array ? xs : Float64Array.from(xs);
  let n = 0, m = 0, m2 = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) continue;
    n++;
    const d = v - m;
    m += d / n;
    m2 += d * (v - m);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { n, mean: n ? m : NaN, sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, min, max };
}

const constantCache = new WeakMap<PredictionFigures, { key: string; finding: Finding }>();

/**
 * Constant or near-constant predictions: the most frequent class's share, or the spread of scores.
 * Remembered per predictions object and limits: the Overview re-runs every check whenever any figure
 * arrives, and this one walks every row.
 */
export function constantPredictions(p: PredictionFigures | null, L: FindingLimits): Finding {
  if (!p) return constantPredictionsOf(p, L);
  const key = `${L.constantShare}|${L.minScoreSd}|${L.minSpreadRatio}`;
  const hit = constantCache.get(p);
  if (hit && hit.key === key) return hit.finding;
  const finding = constantPredictionsOf(p, L);
  constantCache.set(p, { key, finding });
  return finding;
}

function constantPredictionsOf(p: PredictionFigures | null, L: FindingLimits): Finding {
  const id = 'constant-predictions', view: FindingView = 'predictions';
  if (!p) return notChecked(id, view, 'Predictions not checked', 'Nothing scored yet: load a model and a CSV (or a sample) and score the rows.');
  if (p.task === 'regression') {
    const s = p.score ? mean(p.score) : null;
    if (!s || s.n === 0) return notChecked(id, view, 'Predictions not checked', 'No finite prediction to look at.');
    const range = s.max - s.min;
    if (range === 0)
      return { id, severity: 'high', title: 'Constant predictions', measured: `All ${s.n.toLocaleString()} predictions are ${num(s.min)}.`, view, value: 0, limit: L.minSpreadRatio };
    const t = p.target ? mean(p.target) : null;
    if (t && t.n > 1 && t.sd > 0) {
      const ratio = s.sd / t.sd;
      const near = ratio < L.minSpreadRatio;
      return {
        id,
        severity: near ? 'medium' : 'info',
        title: near ? 'Near-constant predictions' : 'Predictions vary',
        measured: `Predictions range ${num(s.min)} to ${num(s.max)}; their standard deviation is ${num(s.sd)}, ${pct(ratio)} of the target's (${num(t.sd)}); limit ${near ? 'under' : 'at least'} ${pct(L.minSpreadRatio)}.`,
        view,
        value: ratio,
        limit: L.minSpreadRatio,
      };
    }
    return { id, severity: 'info', title: 'Predictions vary', measured: `Predictions range ${num(s.min)} to ${num(s.max)} (sd ${num(s.sd)}); no target to compare their spread with.`, view, value: null, limit: null };
  }
  const classes = p.classes ?? [];
  // Counts by class index in a typed array (a Map per row took ~150 ms at a million rows).
  const pred = p.predicted instanceof Int32Array ? p.predicted : Int32Array.from(p.predicted ?? []);
  let hi = -1;
  for (let i = 0; i < pred.length; i++) if (pred[i] > hi) hi = pred[i];
  const counts = new Float64Array(hi + 1);
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    const c = pred[i];
    if (c < 0) continue;
    n++;
    counts[c]++;
  }
  if (n === 0) return notChecked(id, view, 'Predictions not checked', 'No row has a predicted class.');
  let top = -1, topCount = 0;
  for (let c = 0; c < counts.length; c++) if (counts[c] > topCount) [top, topCount] = [c, counts[c]];
  const share = topCount / n;
  const name = classes[top] ?? String(top);
  const base = `${pct(share)} of ${n.toLocaleString()} rows are predicted “${name}”`;
  if (share >= 1) return { id, severity: 'high', title: 'Constant predictions', measured: `Every one of ${n.toLocaleString()} rows is predicted “${name}”.`, view, value: share, limit: L.constantShare };
  if (share >= L.constantShare)
    return { id, severity: 'medium', title: 'Near-constant predictions', measured: `${base}: at or above the ${pct(L.constantShare)} limit.`, view, value: share, limit: L.constantShare };
  if (p.task === 'binary' && p.score) {
    const s = mean(p.score);
    if (s.n > 1 && s.sd < L.minScoreSd)
      return {
        id,
        severity: 'medium',
        title: 'Near-constant scores',
        measured: `P(${p.positiveLabel ?? 'positive'}) has standard deviation ${num(s.sd)} (${num(s.min)} to ${num(s.max)}), under the ${num(L.minScoreSd)} limit: the scores barely separate rows.`,
        view,
        value: s.sd,
        limit: L.minScoreSd,
      };
    return { id, severity: 'info', title: 'Predictions vary', measured: `${base} (limit ${pct(L.constantShare)}); scores have standard deviation ${num(s.sd)} (limit ${num(L.minScoreSd)}).`, view, value: share, limit: L.constantShare };
  }
  return { id, severity: 'info', title: 'Predictions vary', measured: `${base} (limit ${pct(L.constantShare)}).`, view, value: share, limit: L.constantShare };
}

/** One feature holding most of the importance: possible leakage (a column that encodes the target). */
export function dominantFeature(imp: ImportanceFigures | null, L: FindingLimits): Finding {
  const id = 'dominant-feature', view: FindingView = 'explain';
  if (!imp) return notChecked(id, view, 'Importance not computed yet', 'Run the SHAP summary or permutation importance in Explanations to check whether one feature dominates.');
  const vals = imp.features.map((f) => ({ feature: f.feature, v: f.value !== null && Number.isFinite(f.value) ? Math.max(0, f.value) : 0 }));
  const total = vals.reduce((a, f) => a + f.v, 0);
  if (vals.length < 2) return { id, severity: 'info', title: 'One feature only', measured: `The model reads ${vals.length} feature; dominance is not meaningful.`, view, value: null, limit: null };
  if (!(total > 0)) return { id, severity: 'info', title: 'No feature matters', measured: `No feature has a positive ${imp.measure}: the model does not depend on any single column.`, view, value: 0, limit: L.dominantShare };
  const top = vals.reduce((a, b) => (b.v > a.v ? b : a));
  const share = top.v / total;
  const flagged = share >= L.dominantShare;
  return {
    id,
    severity: flagged ? 'medium' : 'info',
    title: flagged ? `One feature dominates: ${top.feature} (possible leakage)` : 'No single feature dominates',
    measured: `${top.feature} holds ${pct(share)} of the total ${imp.measure} over ${vals.length} features (limit ${pct(L.dominantShare)}).${flagged ? ' Check that it is known at prediction time and does not encode the target.' : ''}`,
    view,
    value: share,
    limit: L.dominantShare,
  };
}

/** Poor calibration: the expected calibration error of a binary model's probabilities. */
export function calibrationFinding(c: CalibrationFigures | Skip | null, L: FindingLimits): Finding {
  const id = 'calibration', view: FindingView = 'quality';
  if (!c) return notChecked(id, view, 'Calibration not checked', 'Score a CSV with its target column to compare predicted probabilities with observed rates.');
  if (isSkip(c)) return notChecked(id, view, 'Calibration not checked', c.skip);
  if (c.ece === null) return notChecked(id, view, 'Calibration not checked', `The expected calibration error is undefined on ${c.rows.toLocaleString()} rows.`);
  const sev: FindingSeverity = c.ece >= 2 * L.ece ? 'high' : c.ece >= L.ece ? 'medium' : 'info';
  return {
    id,
    severity: sev,
    title: sev === 'info' ? 'Probabilities are calibrated' : 'Poor calibration',
    measured: `Expected calibration error ${num(c.ece)} over ${c.bins} bins of ${c.rows.toLocaleString()} labelled rows (limit ${num(L.ece)}${sev === 'info' ? '' : `; high from ${num(2 * L.ece)}`}).`,
    view,
    value: c.ece,
    limit: L.ece,
  };
}

const MEASURE_NAMES: Record<DisparityKind, string> = {
  demographicParityDifference: 'selection-rate gap',
  demographicParityRatio: 'parity ratio',
  equalOpportunityDifference: 'true-positive-rate gap',
  equalizedOddsDifference: 'equalized-odds gap',
  predictiveParityDifference: 'precision gap',
  calibrationGapDifference: 'calibration gap',
};

/** Disparities over the compliance limit, one finding per partition by the sensitive columns. */
export function fairnessFindings(f: readonly FairnessPartition[] | Skip | null, L: FindingLimits): Finding[] {
  const view: FindingView = 'fairness';
  if (!f) return [notChecked('fairness-gap', view, 'Fairness not checked', 'Score a labelled CSV of a binary model and choose sensitive columns in Fairness.')];
  if (isSkip(f)) return [notChecked('fairness-gap', view, 'Fairness not checked', f.skip)];
  if (f.length === 0) return [notChecked('fairness-gap', view, 'Fairness not checked', 'No sensitive column chosen: pick one (sex, age, ...) in Fairness.')];
  return f.map((p) => {
    const id = `fairness-gap:${p.attribute}`;
    const d = p.disparities;
    if (!d) return notChecked(id, view, `Fairness by ${p.attribute} not checked`, `The disparities by ${p.attribute} could not be computed (fewer than two groups to compare).`);
    const label = (g: number) => p.groups[g]?.label ?? `group ${g}`;
    let worst: { kind: DisparityKind; value: number; group: number } | null = null;
    const over: string[] = [];
    for (const kind of L.fairnessMeasures) {
      const w = d.measures[kind]?.worst;
      if (!w || w.value.value === null) continue;
      const v = Math.abs(w.value.value);
      if (!worst || v > worst.value) worst = { kind, value: v, group: w.group };
      if (v > L.fairnessGap) over.push(`${MEASURE_NAMES[kind]} ${num(w.value.value)} (${label(w.group)})`);
    }
    const ratio = d.measures.demographicParityRatio?.worst;
    const ratioFails = !!ratio && ratio.value.value !== null && ratio.value.value < L.fourFifths;
    if (ratioFails) over.push(`parity ratio ${num(ratio!.value.value!)} (${label(ratio!.group)}), under the four-fifths ${num(L.fourFifths)}`);
    if (!worst) return notChecked(id, view, `Fairness by ${p.attribute} not checked`, `No gap by ${p.attribute} is defined (groups too small or one class only).`);
    const flagged = over.length > 0;
    return {
      id,
      severity: flagged ? 'high' : 'info',
      title: flagged ? `Disparity over the limit by ${p.attribute}` : `Gaps by ${p.attribute} within the limit`,
      measured: flagged
        ? `Over the ${num(L.fairnessGap)} compliance limit: ${over.join('; ')}.`
        : `Largest gap by ${p.attribute}: ${MEASURE_NAMES[worst.kind]} ${num(worst.value)} (${label(worst.group)}), within ${num(L.fairnessGap)}${ratio && ratio.value.value !== null ? `; parity ratio ${num(ratio.value.value)}` : ''}.`,
      view,
      value: worst.value,
      limit: L.fairnessGap,
    };
  });
}

/** Sensitive groups under the minimum size: their rates (and gaps) are too noisy to state. */
export function smallGroups(f: readonly FairnessPartition[] | Skip | null, L: FindingLimits): Finding {
  const id = 'small-groups', view: FindingView = 'fairness';
  if (!f || isSkip(f) || f.length === 0) return notChecked(id, view, 'Group sizes not checked', 'Choose sensitive columns in Fairness to check that every group has enough rows.');
  const small: string[] = [];
  let smallest = Infinity, total = 0;
  for (const p of f)
    for (const g of p.groups) {
      total++;
      smallest = Math.min(smallest, g.size);
      if (g.size < L.minGroup) small.push(`${g.label} (${g.size})`);
    }
  if (total === 0) return notChecked(id, view, 'Group sizes not checked', 'The sensitive columns give no group.');
  const flagged = small.length > 0;
  return {
    id,
    severity: flagged ? 'medium' : 'info',
    title: flagged ? `${small.length} ${small.length === 1 ? 'group is' : 'groups are'} too small to judge` : 'Every group is large enough',
    measured: flagged
      ? `Under the minimum of ${L.minGroup} rows: ${small.slice(0, 6).join(', ')}${small.length > 6 ? `, and ${small.length - 6} more` : ''}. Their rates and gaps are too noisy to state.`
      : `The smallest of ${total} groups has ${smallest.toLocaleString()} rows (minimum ${L.minGroup}).`,
    view,
    value: smallest,
    limit: L.minGroup,
  };
}

/** Drift of the current file's features (and predictions) by PSI. */
export function driftFinding(d: DriftFigures | null, L: FindingLimits): Finding {
  const id = 'drift', view: FindingView = 'drift';
  if (!d) return notChecked(id, view, 'Drift not checked', 'Load a current CSV (or the sample’s drifted file) in Data & drift to compare it with the reference.');
  const known = d.features.filter((f): f is { name: string; psi: number } => f.psi !== null && Number.isFinite(f.psi)).sort((a, b) => b.psi - a.psi);
  if (!known.length) return notChecked(id, view, 'Drift not checked', `No feature of ${d.file} could be compared with the reference.`);
  const major = known.filter((f) => f.psi >= L.psi), moderate = known.filter((f) => f.psi >= L.psiModerate && f.psi < L.psi);
  const list = (fs: typeof known) => fs.slice(0, 5).map((f) => `${f.name} ${num(f.psi)}`).join(', ') + (fs.length > 5 ? `, and ${fs.length - 5} more` : '');
  const top = known[0];
  if (major.length)
    return { id, severity: 'high', title: `Drift over the threshold in ${major.length} ${major.length === 1 ? 'column' : 'columns'}`, measured: `${d.file}: PSI at or above ${num(L.psi)} in ${list(major)} (of ${known.length} compared).`, view, value: top.psi, limit: L.psi };
  if (moderate.length)
    return { id, severity: 'medium', title: 'Moderate drift', measured: `${d.file}: PSI between ${num(L.psiModerate)} and ${num(L.psi)} in ${list(moderate)}; none at or above ${num(L.psi)}.`, view, value: top.psi, limit: L.psi };
  return { id, severity: 'info', title: 'No significant drift', measured: `${d.file}: the largest PSI is ${num(top.psi)} (${top.name}), under ${num(L.psiModerate)}, over ${known.length} compared.`, view, value: top.psi, limit: L.psi };
}

/** p95 latency against the budget, per backend the lab measured. */
export function latencyFinding(lat: LatencyInput | null, L: FindingLimits): Finding {
  const id = 'latency-budget', view: FindingView = 'latency';
  if (!lat) return notChecked(id, view, 'Latency not measured yet', 'Run the latency lab in Latency to compare p95 with the budget.');
  const runs = lat.backends.filter((b): b is { label: string; p95: number } => b.p95 !== null && Number.isFinite(b.p95));
  if (!runs.length) return notChecked(id, view, 'Latency not measured', 'No backend produced timings; see Latency for why.');
  const over = runs.filter((b) => b.p95 > L.latencyBudgetMs);
  const best = runs.reduce((a, b) => (b.p95 < a.p95 ? b : a));
  const text = (bs: typeof runs) => bs.map((b) => `${b.label} ${formatDuration(b.p95)}`).join(', ');
  const budget = formatDuration(L.latencyBudgetMs);
  if (over.length === runs.length)
    return { id, severity: 'high', title: 'p95 latency over the budget', measured: `At batch ${lat.batch}, p95 is over the ${budget} budget on every backend measured: ${text(runs)}.`, view, value: best.p95, limit: L.latencyBudgetMs };
  if (over.length)
    return { id, severity: 'medium', title: 'p95 latency over the budget on some backends', measured: `At batch ${lat.batch}, over the ${budget} budget: ${text(over)}; within it: ${text(runs.filter((b) => !over.includes(b)))}.`, view, value: Math.max(...over.map((b) => b.p95)), limit: L.latencyBudgetMs };
  return { id, severity: 'info', title: 'p95 latency within the budget', measured: `At batch ${lat.batch}, p95 is within the ${budget} budget on every backend: ${text(runs)}.`, view, value: Math.max(...runs.map((b) => b.p95)), limit: L.latencyBudgetMs };
}

/** Too few rows for a stated interval: a headline metric's bootstrap interval wider than the limit. */
export function intervalFinding(iv: IntervalFigures | Skip | null, L: FindingLimits): Finding {
  const id = 'interval-width', view: FindingView = 'quality';
  if (!iv) return notChecked(id, view, 'Intervals not checked', 'Score a CSV with its target column to get bootstrap intervals of the headline metrics.');
  if (isSkip(iv)) return notChecked(id, view, 'Intervals not checked', iv.skip);
  if (!iv.intervals.length) return notChecked(id, view, 'Intervals not checked', 'No headline metric has an interval.');
  const level = `${formatNumber(iv.level * 100, 3)}%`;
  const wide: string[] = [];
  let widest: { metric: string; w: number } | null = null;
  for (const x of iv.intervals) {
    if (x.lo === null || x.hi === null) {
      wide.push(`${x.metric}: no interval (${x.reason ?? 'undefined'})`);
      continue;
    }
    const w = x.hi - x.lo;
    if (!widest || w > widest.w) widest = { metric: x.metric, w };
    if (w > L.intervalWidth) wide.push(`${x.metric} ${num(x.lo)} to ${num(x.hi)} (width ${num(w)})`);
  }
  if (wide.length)
    return {
      id,
      severity: 'medium',
      title: 'Too few rows for a firm interval',
      measured: `${level} bootstrap intervals on ${iv.rows.toLocaleString()} rows wider than ${num(L.intervalWidth)}: ${wide.join('; ')}.`,
      view,
      value: widest?.w ?? null,
      limit: L.intervalWidth,
    };
  return {
    id,
    severity: 'info',
    title: 'Intervals are narrow enough',
    measured: `${level} bootstrap intervals on ${iv.rows.toLocaleString()} rows; the widest, ${widest!.metric}, spans ${num(widest!.w)} (limit ${num(L.intervalWidth)}).`,
    view,
    value: widest!.w,
    limit: L.intervalWidth,
  };
}

/** Sorts by `SEVERITY_ORDER`, keeping the checks' order within a severity. */
export function sortFindings(list: readonly Finding[]): Finding[] {
  return list
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.f.severity) - SEVERITY_ORDER.indexOf(b.f.severity) || a.i - b.i)
    .map((x) => x.f);
}

/** Every check on what is loaded, problems first. `limits` overrides `DEFAULT_FINDING_LIMITS`. */
export function findings(input: FindingsInput, limits: Partial<FindingLimits> = {}): Finding[] {
  const L: FindingLimits = { ...DEFAULT_FINDING_LIMITS, ...limits };
  return sortFindings([
    constantPredictions(input.predictions, L),
    dominantFeature(input.importance, L),
    calibrationFinding(input.calibration, L),
    ...fairnessFindings(input.fairness, L),
    driftFinding(input.drift, L),
    latencyFinding(input.latency, L),
    intervalFinding(input.intervals, L),
    smallGroups(input.fairness, L),
  ]);
}
