/**
 * The quality view's state: the decision threshold, outcome values, calibration binning, slices and
 * the error-analysis choices, with every figure derived from the last scoring run by
 * src/lib/analysis/quality. Heavy figures (curves, threshold table) are computed once per run; moving
 * the threshold is a binary search.
 */
import type { LoupeSession } from './session.svelte';
import {
  binaryLabels,
  binaryQuality,
  bootstrapBinary,
  bootstrapMulticlass,
  bootstrapRegression,
  binaryHeadlines,
  compareSlice,
  DEFAULT_OUTCOME_VALUES,
  errorHeatmap,
  expectedValueAt,
  expectedValueCurve,
  fitErrorTree,
  metricsAt,
  misclassified,
  absoluteResiduals,
  multiclassHeadlines,
  multiclassQuality,
  nodeRows,
  regressionHeadlines,
  regressionQuality,
  sliceMask,
  type OutcomeValues,
  type SliceFilter,
  type HeadlineFn,
} from '../lib/analysis/quality';
import type { Mapping } from '../lib/model/types';

/** Bootstrap settings shown next to every interval. */
export const QUALITY_BOOTSTRAP = { resamples: 200, seed: 7, maxRows: 20_000 } as const;

export class QualityState {
  threshold = $state(0.5);
  /** The threshold intervals were computed at (set when the slider is released, not on every move). */
  intervalThreshold = $state(0.5);
  values = $state<OutcomeValues>({ ...DEFAULT_OUTCOME_VALUES });
  calibrationBins = $state(10);
  calibrationStrategy = $state<'uniform' | 'quantile'>('uniform');
  filters = $state<SliceFilter[]>([]);
  treeDepth = $state(3);
  treeMinLeaf = $state(20);
  selectedNode = $state<number | null>(null);
  heatX = $state<string | null>(null);
  heatY = $state<string | null>(null);

  #session: LoupeSession;

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  /** The run being judged: predictions, outcomes, and the mapping they were scored with. */
  readonly run = $derived.by(() => {
    const s = this.#session;
    if (!s.scoring || !s.outcomes || !s.scoredMapping || !s.data) return null;
    return { pred: s.scoring, out: s.outcomes, mapping: s.scoredMapping as Mapping, table: s.data.table };
  });

  readonly hasLabels = $derived.by(() => !!this.run && !!this.run.mapping.target && (this.#session.predictionSummary?.labelled ?? 0) > 0);

  /** Binary: 1/0/-1 labels and the positive-class score per row. */
  readonly binaryInput = $derived.by(() => {
    const r = this.run;
    if (!r || r.pred.task !== 'binary' || !this.hasLabels) return null;
    return { y: binaryLabels(r.out.actual, r.mapping.positiveClass), score: r.out.score };
  });

  readonly binary = $derived.by(() => {
    const b = this.binaryInput;
    if (!b) return null;
    return binaryQuality(b.y, b.score, { threshold: 0.5, calibration: { bins: this.calibrationBins, strategy: this.calibrationStrategy } });
  });

  /** Everything at the current threshold: O(log n) per move. */
  readonly atThreshold = $derived(this.binary ? metricsAt(this.binary.table, this.threshold) : null);
  readonly expectedValue = $derived(this.binary ? expectedValueAt(this.binary.table, this.threshold, this.values) : null);
  readonly valueCurve = $derived(this.binary ? expectedValueCurve(this.binary.table, $state.snapshot(this.values) as OutcomeValues) : null);

  readonly binaryIntervals = $derived.by(() => {
    const b = this.binaryInput;
    return b ? bootstrapBinary(b.y, b.score, this.intervalThreshold, QUALITY_BOOTSTRAP) : null;
  });

  readonly multiclass = $derived.by(() => {
    const r = this.run;
    if (!r || r.pred.task !== 'multiclass' || !this.hasLabels) return null;
    return multiclassQuality(r.pred.scores.subarray(0, r.pred.scored * r.pred.classes.length), r.pred.classes.length, r.out.actual.subarray(0, r.pred.scored), r.out.predicted.subarray(0, r.pred.scored));
  });
  readonly multiclassIntervals = $derived.by(() => {
    const r = this.run;
    if (!r || !this.multiclass) return null;
    const n = r.pred.scored, C = r.pred.classes.length;
    return bootstrapMulticlass(r.pred.scores.subarray(0, n * C), C, r.out.actual.subarray(0, n), r.out.predicted.subarray(0, n), QUALITY_BOOTSTRAP);
  });

  readonly regression = $derived.by(() => {
    const r = this.run;
    if (!r || r.pred.task !== 'regression' || !this.hasLabels) return null;
    return regressionQuality(r.out.actualValue, r.out.score);
  });
  readonly regressionIntervals = $derived.by(() => {
    const r = this.run;
    return r && this.regression ? bootstrapRegression(r.out.actualValue, r.out.score, QUALITY_BOOTSTRAP) : null;
  });

  /** Per-row errors: misclassified (0/1) or absolute residual. */
  readonly errors = $derived.by(() => {
    const r = this.run;
    if (!r || !this.hasLabels) return null;
    if (r.pred.task === 'binary') {
      // Errors at the chosen threshold, not at the model's own labels.
      const b = this.binaryInput!;
      const correct = new Int8Array(b.y.length);
      for (let i = 0; i < b.y.length; i++) correct[i] = b.y[i] < 0 || !Number.isFinite(b.score[i]) ? -1 : (b.score[i] >= this.intervalThreshold ? 1 : 0) === b.y[i] ? 1 : 0;
      return misclassified(correct);
    }
    return r.pred.task === 'regression' ? absoluteResiduals(r.out.residual) : misclassified(r.out.correct);
  });

  /** The CSV columns the model reads: the features error analysis splits on. */
  readonly features = $derived.by(() => {
    const r = this.run;
    if (!r) return [] as string[];
    const names = r.mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c);
    return [...new Set(names)];
  });

  readonly tree = $derived.by(() => {
    const r = this.run, e = this.errors;
    if (!r || !e || this.features.length === 0) return null;
    return fitErrorTree(r.table, e, this.features, { maxDepth: this.treeDepth, minLeaf: this.treeMinLeaf });
  });

  readonly heatmap = $derived.by(() => {
    const r = this.run, e = this.errors;
    const x = this.heatX ?? this.features[0], y = this.heatY ?? this.features[1] ?? this.features[0];
    if (!r || !e || !x || !y) return null;
    return errorHeatmap(r.table, e, x, y);
  });

  /** The headline metrics function for slices, per task. */
  readonly #headlines = $derived.by((): HeadlineFn<string> | null => {
    const r = this.run;
    if (!r || !this.hasLabels) return null;
    if (r.pred.task === 'binary') return binaryHeadlines(this.binaryInput!.y, this.binaryInput!.score, this.intervalThreshold);
    if (r.pred.task === 'multiclass') return multiclassHeadlines(r.pred.scores, r.pred.classes.length, r.out.actual, r.out.predicted);
    return regressionHeadlines(r.out.actualValue, r.out.score);
  });

  readonly slice = $derived.by(() => {
    const r = this.run, fn = this.#headlines;
    if (!r || !fn || this.filters.length === 0) return null;
    try {
      const mask = sliceMask(r.table, $state.snapshot(this.filters) as SliceFilter[]);
      return { comparison: compareSlice(fn, mask), error: null };
    } catch (e) {
      return { comparison: null, error: (e as Error).message };
    }
  });

  /** Clicking a tree node: its rows become the predictions table's filter. */
  selectNode(id: number): void {
    const t = this.tree;
    if (!t) return;
    this.selectedNode = id;
    const node = t.nodes.find((n) => n.id === id);
    this.#session.rowSubset = { label: node ? node.path.join(' and ') || 'all rows' : `node ${id}`, rows: nodeRows(t, id) };
  }

  /** The quality section of the report: every figure of the view. */
  report() {
    return {
      threshold: this.threshold,
      outcomeValues: $state.snapshot(this.values),
      bootstrap: QUALITY_BOOTSTRAP,
      binary: this.binary
        ? {
            atThreshold: this.atThreshold,
            roc: this.binary.roc,
            pr: this.binary.pr,
            logLoss: this.binary.logLoss,
            brier: this.binary.brier,
            calibration: this.binary.calibration,
            accuracyOptimal: this.binary.accuracyOptimal,
            expectedValuePerRow: this.expectedValue,
            valueOptimal: this.valueCurve?.best ?? null,
            intervals: this.binaryIntervals,
          }
        : null,
      multiclass: this.multiclass ? { ...this.multiclass, intervals: this.multiclassIntervals } : null,
      regression: this.regression
        ? { ...this.regression, residuals: undefined, scatter: undefined, intervals: this.regressionIntervals }
        : null,
      slice: this.filters.length ? { filters: $state.snapshot(this.filters), ...this.slice } : null,
      errorTree: this.tree ? { kind: this.tree.kind, features: this.tree.features, nodes: this.tree.nodes } : null,
      errorHeatmap: this.heatmap,
    };
  }
}
