/**
 * The view figures computed in the engine worker, so that a million rows never block the page: the
 * worker already holds every table by id; the page sends the per-row vectors it has (labels, scores,
 * errors: a few MB, cloned) and the view's settings, and gets compact results back. Each function
 * calls the same `src/lib` functions the views used to call on the page; only where they run changed.
 * Results the page may ask for again with other settings (groupings, proxies) are memoised here.
 */
import type { Table } from '../lib/data/table';
import { column } from '../lib/data/table';
import { summarizeTable, type DataSummary } from '../lib/analysis/data-summary';
import {
  absoluteResiduals,
  binaryHeadlines,
  binaryQuality,
  bootstrapBinary,
  buildThresholdTable,
  expectedValueCurve,
  bootstrapMulticlass,
  bootstrapRegression,
  compareSlice,
  errorHeatmap,
  fitErrorTree,
  misclassified,
  multiclassHeadlines,
  multiclassQuality,
  regressionHeadlines,
  regressionQuality,
  sliceMask,
  type BinaryQuality,
  type BootstrapOptions,
  type BootstrapResult,
  type CalibrationOptions,
  type ErrorHeatmap,
  type ErrorTree,
  type ErrorTreeOptions,
  type HeadlineFn,
  type MulticlassQuality,
  type OutcomeValues,
  type RegressionQuality,
  type RowErrors,
  type SliceComparison,
  type SliceFilter,
  type ThresholdTable,
  type ValueCurve,
} from '../lib/analysis/quality';
import {
  compareStrategies,
  disparities,
  groupMetrics,
  groupRows,
  proxyScan,
  tradeoffCurve,
  type DisparityReport,
  type GroupMetricsResult,
  type Grouping,
  type ProxyReport,
  type SensitiveSpec,
  type StratifiedBootstrapOptions,
  type StrategyResult,
  type TradeoffConstraint,
  type TradeoffCurve,
} from '../lib/analysis/fairness';
import { columnProfile, constantColumns, duplicateRows, rowProblems, type ColumnProfile, type ConstantColumn, type DuplicateRows, type RowProblems } from '../lib/analysis/data-quality';
import { driftReport, metricChanges, scoreDrift, type DriftReport, type FeatureDrift, type MetricChange } from '../lib/analysis/drift';
import { allRows } from '../lib/data/table';
import {
  complexityVerdict,
  disagreement,
  expectedValue,
  metricWithInterval,
  pairedBootstrap,
  worstFairnessGap,
  type BootstrapSettings,
  type ComplexityVerdict,
  type Disagreement,
  type FairnessGap,
  type MetricEstimate,
  type MetricRows,
  type ThresholdRule,
} from '../lib/scorecard/compare';

/** Scores of one run as the quality figures read them. */
export type QualityInput =
  | { task: 'binary'; y: Int8Array; score: Float32Array }
  | { task: 'multiclass'; probs: Float32Array; C: number; actual: Int32Array; predicted: Int32Array; scored: number }
  | { task: 'regression'; actual: Float64Array; score: Float32Array };

/** A run's vectors: sent inline, or named by the key `keepVectors` stored them under. */
export type InputRef = QualityInput | { ref: string };

/** The error message of a call that names vectors this worker does not hold. */
export const VECTORS_MISSING = 'VECTORS_MISSING';

/** Values the page sent once under a key, the most recent `limit` kept; a lost key fails with `VECTORS_MISSING`. */
class Kept<T> {
  #map = new Map<string, T>();
  constructor(readonly limit: number) {}
  keep(key: string, value: T): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.limit) this.#map.delete(this.#map.keys().next().value!);
  }
  get(key: string): T {
    const v = this.#map.get(key);
    if (!v) throw new Error(VECTORS_MISSING);
    return v;
  }
}

/** Runs whose vectors are kept (reference and current, with room for a rescored one). */
const vectors = new Kept<QualityInput>(6);

export function keepVectors(key: string, input: QualityInput): void {
  vectors.keep(key, input);
}

export function resolveInput(ref: InputRef): QualityInput {
  return 'ref' in ref ? vectors.get(ref.ref) : ref;
}

export interface QualityFiguresResult {
  binary: BinaryQuality | null;
  multiclass: MulticlassQuality | null;
  regression: RegressionQuality | null;
}

/** Curves, threshold table, calibration (binary) or the multiclass / regression figures. */
export function qualityFigures(input: QualityInput, calibration: CalibrationOptions): QualityFiguresResult {
  if (input.task === 'binary') return { binary: binaryQuality(input.y, input.score, { threshold: 0.5, calibration }), multiclass: null, regression: null };
  if (input.task === 'multiclass') {
    const n = input.scored, C = input.C;
    return { binary: null, multiclass: multiclassQuality(input.probs.subarray(0, n * C), C, input.actual.subarray(0, n), input.predicted.subarray(0, n)), regression: null };
  }
  return { binary: null, multiclass: null, regression: regressionQuality(input.actual, input.score) };
}

let tableMemo: { input: QualityInput; table: ThresholdTable } | null = null;

/**
 * Expected value per row at every threshold (binary runs): the threshold table is rebuilt from the
 * kept vectors once per run, not copied from the page (up to three arrays of a million numbers).
 */
export function valueCurve(input: QualityInput, values: OutcomeValues): ValueCurve {
  if (input.task !== 'binary') throw new Error('The value curve needs a binary run.');
  if (tableMemo?.input !== input) tableMemo = { input, table: buildThresholdTable(input.y, input.score) };
  return expectedValueCurve(tableMemo.table, values);
}

/** Bootstrap intervals of the headline metrics (binary ones at `threshold`). */
export function qualityIntervals(input: QualityInput, threshold: number, opts: BootstrapOptions): BootstrapResult<string> {
  if (input.task === 'binary') return bootstrapBinary(input.y, input.score, threshold, opts);
  if (input.task === 'multiclass') {
    const n = input.scored, C = input.C;
    return bootstrapMulticlass(input.probs.subarray(0, n * C), C, input.actual.subarray(0, n), input.predicted.subarray(0, n), opts);
  }
  return bootstrapRegression(input.actual, input.score, opts);
}

/** Per-row errors: misclassified at `threshold` (binary), against the model's labels (multiclass), or |residual|. */
export function rowErrors(input: QualityInput, threshold: number): RowErrors {
  if (input.task === 'binary') {
    const { y, score } = input;
    const correct = new Int8Array(y.length);
    for (let i = 0; i < y.length; i++) correct[i] = y[i] < 0 || !Number.isFinite(score[i]) ? -1 : (score[i] >= threshold ? 1 : 0) === y[i] ? 1 : 0;
    return misclassified(correct);
  }
  if (input.task === 'multiclass') {
    const correct = new Int8Array(input.actual.length);
    for (let i = 0; i < correct.length; i++) correct[i] = input.actual[i] < 0 || input.predicted[i] < 0 ? -1 : input.actual[i] === input.predicted[i] ? 1 : 0;
    return misclassified(correct);
  }
  const residual = new Float64Array(input.actual.length);
  for (let i = 0; i < residual.length; i++) residual[i] = input.score[i] - input.actual[i];
  return absoluteResiduals(residual);
}

function headlines(input: QualityInput, threshold: number): HeadlineFn<string> {
  if (input.task === 'binary') return binaryHeadlines(input.y, input.score, threshold);
  if (input.task === 'multiclass') return multiclassHeadlines(input.probs, input.C, input.actual, input.predicted);
  return regressionHeadlines(input.actual, input.score);
}

export interface ErrorAnalysisRequest {
  threshold: number;
  features: string[];
  tree: ErrorTreeOptions;
  heat: { x: string; y: string } | null;
}

/** The error tree and heatmap over the run's per-row errors. */
export function errorAnalysis(table: Table, input: QualityInput, req: ErrorAnalysisRequest): { tree: ErrorTree | null; heatmap: ErrorHeatmap | null } {
  const errors = rowErrors(input, req.threshold);
  return {
    tree: req.features.length ? fitErrorTree(table, errors, req.features, req.tree) : null,
    heatmap: req.heat ? errorHeatmap(table, errors, req.heat.x, req.heat.y) : null,
  };
}

/** A slice's headline metrics against the rest, or the filter's error in words. */
export function sliceFigures(table: Table, input: QualityInput, threshold: number, filters: SliceFilter[]): { comparison: SliceComparison<string> | null; error: string | null } {
  try {
    return { comparison: compareSlice(headlines(input, threshold), sliceMask(table, filters)), error: null };
  } catch (e) {
    return { comparison: null, error: (e as Error).message };
  }
}

export interface FairnessRequest {
  /** Binary labels and scores of the run. */
  input: InputRef;
  specs: SensitiveSpec[];
  intersections: boolean;
  minSize: number;
  /** Index into the groupings; null or out of range: the last one. */
  focusChoice: number | null;
  threshold: number;
  values: OutcomeValues;
  /** Which outcome is favourable, for the per-partition disparities. */
  favorable: 'positive' | 'negative';
  constraint: TradeoffConstraint;
  consumed: string[];
  exclude: string[];
  bootstrap: StratifiedBootstrapOptions;
  coinSeed: number;
}

/**
 * What the fairness view shows. `GroupMetricsResult.predicted` stays in the worker and comes back
 * empty; each grouping's `rowGroup` comes back as a fresh copy (transferred, not cloned) because the
 * scorecard judges other models' scores by the same groups.
 */
export interface FairnessFigures {
  groupings: { list: Grouping[]; error: string | null };
  /** Every partition's disparities against its largest group, without intervals (the Overview's check). */
  partitions: FairnessPartitionFigures[];
  focus: number;
  metrics: GroupMetricsResult | null;
  strategies: StrategyResult[] | null;
  tradeoff: TradeoffCurve | null;
  proxies: ProxyReport | null;
}

export interface FairnessPartitionFigures {
  attribute: string;
  groups: { label: string; size: number }[];
  disparities: DisparityReport | null;
}

let groupingMemo: { table: Table; key: string; value: { list: Grouping[]; error: string | null } } | null = null;
let proxyMemo: { grouping: Grouping; key: string; value: ProxyReport } | null = null;

/** Groups, group metrics with their stratified bootstrap, threshold strategies, trade-off and proxies for the focused partition. */
export function fairnessFigures(table: Table, req: FairnessRequest): FairnessFigures {
  const key = JSON.stringify([req.specs, req.intersections, req.minSize]);
  if (!groupingMemo || groupingMemo.table !== table || groupingMemo.key !== key) {
    let value: { list: Grouping[]; error: string | null };
    try {
      value = { list: groupRows(table, req.specs, { intersections: req.intersections, minSize: req.minSize }), error: null };
    } catch (e) {
      value = { list: [], error: (e as Error).message };
    }
    groupingMemo = { table, key, value };
  }
  const groupings = groupingMemo.value;
  const n = groupings.list.length;
  const focus = !n ? -1 : req.focusChoice !== null && req.focusChoice >= 0 && req.focusChoice < n ? req.focusChoice : n - 1;
  const g = focus >= 0 ? groupings.list[focus] : null;
  const copies = { list: groupings.list.map((x) => ({ ...x, rowGroup: x.rowGroup.slice() })), error: groupings.error };
  if (!g) return { groupings: copies, partitions: [], focus, metrics: null, strategies: null, tradeoff: null, proxies: null };
  const pkey = JSON.stringify([req.consumed, req.exclude]);
  if (!proxyMemo || proxyMemo.grouping !== g || proxyMemo.key !== pkey) proxyMemo = { grouping: g, key: pkey, value: proxyScan(table, g, { consumed: req.consumed, exclude: req.exclude }) };
  const run = resolveInput(req.input);
  if (run.task !== 'binary') throw new Error('Fairness figures need a binary run.');
  const { y, score } = run;
  const noRows = (m: GroupMetricsResult): GroupMetricsResult => ({ ...m, predicted: new Uint8Array(0) });
  const partitions = groupings.list.map((x): FairnessPartitionFigures => {
    let d: DisparityReport | null = null;
    try {
      d = disparities(groupMetrics(y, score, x, req.threshold, { bootstrap: false }), { reference: 'largest', favorable: req.favorable });
    } catch {
      d = null;
    }
    return { attribute: x.columns.join(' × '), groups: x.groups.map((k) => ({ label: k.label, size: k.size })), disparities: d };
  });
  return {
    groupings: copies,
    partitions,
    focus,
    metrics: noRows(groupMetrics(y, score, g, req.threshold, { bootstrap: { ...req.bootstrap } })),
    strategies: compareStrategies(y, score, g, { threshold: req.threshold, values: req.values, seed: req.coinSeed }).map((x) => ({ ...x, metrics: noRows(x.metrics) })),
    tradeoff: tradeoffCurve(y, score, g, req.constraint, { threshold: req.threshold, values: req.values }),
    proxies: proxyMemo.value,
  };
}

export interface DataQualityRequest {
  knownCategories: Record<string, readonly string[]>;
  /** Columns checked for row problems (the model's inputs present in the file). */
  inputs: string[] | undefined;
  firstRows: number;
}

export interface DataQualityFigures {
  profiles: ColumnProfile[];
  rowProblems: RowProblems;
  duplicates: DuplicateRows;
  constants: ConstantColumn[];
}

/** The data-quality section's figures for one file. */
export function dataQualityFigures(table: Table, req: DataQualityRequest): DataQualityFigures {
  return {
    profiles: table.columns.map((c) => columnProfile(c, table.nRows, { knownCategories: req.knownCategories[c.name] })),
    rowProblems: rowProblems(table, { columns: req.inputs?.filter((n) => column(table, n)), firstN: req.firstRows, knownCategories: req.knownCategories }),
    duplicates: duplicateRows(table),
    constants: constantColumns(table),
  };
}

/** Feature drift of `features` between two tables. */
export function driftFigures(ref: Table, cur: Table, features: string[]): DriftReport {
  return driftReport(ref, cur, features);
}

/** The data panel's column summary. */
export function tableSummary(table: Table): DataSummary {
  return summarizeTable(table);
}

// ------------------------------------------------------------------------------------------------
// Scorecard: the per-candidate figures that walk every row (metric and its interval, expected value,
// worst fairness gap) and the comparisons between candidates (paired bootstrap, disagreement).

/** One candidate's rows, kept in the worker under a key (sent once per scoring run). */
export interface ScorecardRows {
  metric: MetricRows;
  /** Predicted labels in the primary model's classes (null for regression). */
  labels: Int32Array | null;
  binary: { y: Int8Array; score: Float32Array } | null;
}

/** Up to 5 candidates, with room for a rescored one. */
const scorecardRows = new Kept<ScorecardRows>(8);

export function keepScorecardRows(key: string, rows: ScorecardRows): void {
  scorecardRows.keep(key, rows);
}

export interface ScorecardRequest {
  /** Keys given to `keepScorecardRows`, candidates in order. */
  keys: string[];
  names: string[];
  metric: { name: string; higherIsBetter: boolean };
  values: OutcomeValues;
  rule: ThresholdRule;
  /** The fairness view's partitions (null: no sensitive columns chosen). */
  fairness: { specs: SensitiveSpec[]; intersections: boolean; minSize: number; reference: 'largest' | 'best' | number; favorable: 'positive' | 'negative' } | null;
  /** [simplest, more complex] candidate index pairs for the paired bootstrap. */
  pairs: [number, number][];
  bootstrap: BootstrapSettings;
}

export interface ScorecardFigures {
  candidates: { metric: MetricEstimate; expectedValue: { value: number | null; threshold: number } | null; fairness: FairnessGap | null }[];
  complexity: ComplexityVerdict[];
  disagreement: Disagreement | null;
}

export function scorecardFigures(table: Table, req: ScorecardRequest): ScorecardFigures {
  const rows = req.keys.map((k) => scorecardRows.get(k));
  let groupings: Grouping[] = [];
  if (req.fairness) {
    try {
      groupings = groupRows(table, req.fairness.specs, { intersections: req.fairness.intersections, minSize: req.fairness.minSize });
    } catch {
      groupings = [];
    }
  }
  const candidates = rows.map((r) => {
    const metric = metricWithInterval(r.metric, req.bootstrap);
    const ev = r.binary ? expectedValue(r.binary.y, r.binary.score, req.values, req.rule) : null;
    const threshold = ev?.threshold ?? 0.5;
    const fairness =
      r.binary && groupings.length && req.fairness
        ? worstFairnessGap(r.binary.y, r.binary.score, groupings, threshold, { reference: req.fairness.reference, favorable: req.fairness.favorable })
        : null;
    return { metric, expectedValue: ev, fairness };
  });
  const complexity = req.pairs.map(([s, i]) => complexityVerdict(req.names[s], req.names[i], pairedBootstrap(rows[s].metric, rows[i].metric, req.bootstrap), req.metric, req.bootstrap.level));
  const disagreementResult = rows.length >= 2 && rows.every((r) => r.labels) ? disagreement(rows.map((r) => r.labels!)) : null;
  return { candidates, complexity, disagreement: disagreementResult };
}

// ------------------------------------------------------------------------------------------------
// Drift between the reference and the current file's predictions: the model output's drift and the
// change of every headline metric (both sort a million scores per side).

export interface CurrentComparisonRequest {
  /** The model output per row on each side (P(positive), the prediction, or the top-class probability). */
  refScore: Float32Array;
  curScore: Float32Array;
  name: string;
  /** Both runs' labels and scores, when both files have labels; else null (no metric changes). */
  ref: QualityInput | null;
  cur: QualityInput | null;
  threshold: number;
}

export interface CurrentComparison {
  score: FeatureDrift;
  metrics: { rows: { ref: number; cur: number }; changes: MetricChange[] } | null;
}

const rowsOf = (q: QualityInput) => (q.task === 'binary' ? q.y.length : q.task === 'multiclass' ? q.scored : q.actual.length);

export function currentComparison(req: CurrentComparisonRequest): CurrentComparison {
  const score = scoreDrift(req.refScore, req.curScore, { name: req.name });
  if (!req.ref || !req.cur) return { score, metrics: null };
  const r = headlines(req.ref, req.threshold)(allRows(rowsOf(req.ref)));
  const c = headlines(req.cur, req.threshold)(allRows(rowsOf(req.cur)));
  return { score, metrics: { rows: { ref: r.counted, cur: c.counted }, changes: metricChanges(r.metrics, c.metrics) } };
}
