/**
 * The quality view's state: the decision threshold, outcome values, calibration binning, slices and
 * the error-analysis choices, with every figure derived from the last scoring run by
 * src/lib/analysis/quality. Heavy figures (curves, threshold table, intervals, error tree, heatmap,
 * slices) are computed in the engine worker once per run and settings (`computing` while they are);
 * moving the threshold is a binary search on the page.
 */
import type { LoupeSession } from './session.svelte';
import {
  binaryLabels,
  DEFAULT_OUTCOME_VALUES,
  expectedValueAt,
  metricsAt,
  nodeRows,
  type BinaryQuality,
  type BootstrapResult,
  type ErrorHeatmap,
  type ErrorTree,
  type MulticlassQuality,
  type OutcomeValues,
  type RegressionQuality,
  type SliceComparison,
  type SliceFilter,
  type ValueCurve,
} from '../lib/analysis/quality';
import { rowErrors, type ErrorAnalysisRequest, type QualityFiguresResult, type QualityInput } from '../workers/analysis-jobs';
import { WorkerFigure, withVectors } from './worker-figure.svelte';
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

  /** The run's per-row vectors as the worker's quality figures read them (full length; multiclass figures use the scored rows). */
  readonly #input = $derived.by((): QualityInput | null => {
    const r = this.run;
    if (!r || !this.hasLabels) return null;
    if (r.pred.task === 'binary') return { task: 'binary', y: this.binaryInput!.y, score: r.out.score };
    if (r.pred.task === 'multiclass') return { task: 'multiclass', probs: r.pred.scores, C: r.pred.classes.length, actual: r.out.actual, predicted: r.out.predicted, scored: r.pred.scored };
    return { task: 'regression', actual: r.out.actualValue, score: r.out.score };
  });

  // Computed in the engine worker (src/workers/analysis-jobs.ts): at a million rows each takes from
  // hundreds of milliseconds to seconds, which would freeze the page.
  #figures = new WorkerFigure<QualityFiguresResult>();
  #intervals = new WorkerFigure<BootstrapResult<string>>();
  #analysis = new WorkerFigure<{ tree: ErrorTree | null; heatmap: ErrorHeatmap | null }>();
  #slice = new WorkerFigure<{ comparison: SliceComparison<string> | null; error: string | null }>();

  /** Whether a figure is being computed in the worker (the shown one is then the previous one, or null). */
  get computing(): boolean {
    return this.#figures.computing || this.#valueCurve.computing || this.#intervals.computing || this.#analysis.computing || this.#slice.computing;
  }

  readonly #quality = $derived.by(() => {
    const input = this.#input;
    const calibration = { bins: this.calibrationBins, strategy: this.calibrationStrategy };
    return this.#figures.read(input, input?.task === 'binary' ? calibration : null, () => withVectors(this.#session, input!, (api, ref) => api.qualityFigures(ref, calibration)));
  });

  readonly binary: BinaryQuality | null = $derived(this.#quality?.binary ?? null);

  /** Everything at the current threshold: O(log n) per move. */
  readonly atThreshold = $derived(this.binary ? metricsAt(this.binary.table, this.threshold) : null);
  readonly expectedValue = $derived(this.binary ? expectedValueAt(this.binary.table, this.threshold, this.values) : null);
  // One pass over every distinct score (up to a million): in the worker, from the run's kept vectors.
  #valueCurve = new WorkerFigure<ValueCurve>();
  readonly valueCurve: ValueCurve | null = $derived.by(() => {
    const input = this.#input, values = $state.snapshot(this.values) as OutcomeValues;
    return this.#valueCurve.read(input?.task === 'binary' ? input : null, values, () => withVectors(this.#session, input!, (api, ref) => api.valueCurve(ref, values)));
  });

  readonly #bootstrap = $derived.by(() => {
    const input = this.#input;
    const t = this.intervalThreshold;
    return this.#intervals.read(input, input?.task === 'binary' ? t : null, () => withVectors(this.#session, input!, (api, ref) => api.qualityIntervals(ref, t, { ...QUALITY_BOOTSTRAP })));
  });

  readonly binaryIntervals = $derived(this.#input?.task === 'binary' ? (this.#bootstrap as BootstrapResult<'accuracy' | 'auc' | 'f1' | 'logLoss'> | null) : null);

  readonly multiclass: MulticlassQuality | null = $derived(this.#quality?.multiclass ?? null);
  readonly multiclassIntervals = $derived(this.#input?.task === 'multiclass' && this.multiclass ? (this.#bootstrap as BootstrapResult<'accuracy' | 'macroF1'> | null) : null);

  readonly regression: RegressionQuality | null = $derived(this.#quality?.regression ?? null);
  readonly regressionIntervals = $derived(this.#input?.task === 'regression' && this.regression ? (this.#bootstrap as BootstrapResult<'mae' | 'rmse' | 'r2'> | null) : null);

  /** Per-row errors: misclassified (0/1) or absolute residual (the worker computes the same for the tree and heatmap). */
  readonly errors = $derived.by(() => {
    const input = this.#input;
    return input ? rowErrors(input, this.intervalThreshold) : null;
  });

  /** The CSV columns the model reads: the features error analysis splits on. */
  readonly features = $derived.by(() => {
    const r = this.run;
    if (!r) return [] as string[];
    const names = r.mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c);
    return [...new Set(names)];
  });

  readonly #errorAnalysis = $derived.by(() => {
    const input = this.#input, id = this.#session.data?.id;
    const x = this.heatX ?? this.features[0], y = this.heatY ?? this.features[1] ?? this.features[0];
    const req: ErrorAnalysisRequest = {
      threshold: this.intervalThreshold,
      features: this.features,
      tree: { maxDepth: this.treeDepth, minLeaf: this.treeMinLeaf },
      heat: x && y ? { x, y } : null,
    };
    // Other axes are another chart: no stale heatmap under new axis names.
    return this.#analysis.read(input && id ? input : null, req, () => withVectors(this.#session, input!, (api, ref) => api.errorAnalysis(id!, ref, req)), req.heat);
  });

  readonly tree: ErrorTree | null = $derived(this.#errorAnalysis?.tree ?? null);
  readonly heatmap: ErrorHeatmap | null = $derived(this.#errorAnalysis?.heatmap ?? null);

  readonly slice = $derived.by(() => {
    const input = this.#input, id = this.#session.data?.id;
    const filters = $state.snapshot(this.filters) as SliceFilter[];
    const t = this.intervalThreshold;
    const on = input && id && filters.length > 0 ? input : null;
    return this.#slice.read(on, [filters, t], () => withVectors(this.#session, input!, (api, ref) => api.sliceFigures(id!, ref, t, filters)), filters);
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
