/**
 * State of the Data quality and drift view: which file is profiled, the drift table's selection, the
 * time-window settings, and every figure derived from the loaded files by src/lib/analysis/data-quality
 * and src/lib/analysis/drift. Everything is a `$derived`, computed when the view reads it; the time
 * windows only once a time column is chosen.
 */
import type { LoupeSession } from './session.svelte';
import { DISPARITY_KINDS, disparities, groupMetrics, groupRows, type DisparityReport } from '../lib/analysis/fairness';
import { column, type Table } from '../lib/data/table';
import { labelQualityHints } from '../lib/analysis/data-quality';
import {
  classDrift,
  driftOverWindows,
  driftReport,
  metricChanges,
  type DriftReport,
  whatCanBeJudged,
  windows,
} from '../lib/analysis/drift';
import {
  binaryHeadlines,
  binaryLabels,
  multiclassHeadlines,
  regressionHeadlines,
  type HeadlineFn,
  type Metric,
} from '../lib/analysis/quality';
import { rowOutcomes, type RowOutcomes } from '../lib/analysis/predictions';
import type { ScoreResult } from '../workers/engine-bridge';
import type { Mapping } from '../lib/model/types';
import { decodeModel } from '../lib/model/proto';
import { encoderCategories } from '../lib/model/encoder-categories';
import { timeColumns } from '../lib/analysis/drift-view/time-columns';
import { dataQualityFigures, type CurrentComparison, type DataQualityFigures, type DataQualityRequest, type QualityInput } from '../workers/analysis-jobs';
import { WorkerFigure } from './worker-figure.svelte';

/** Rows listed with problems, and the confidence of a label-quality hint. */
export const DRIFT_SETTINGS = { firstRows: 20, labelConfidence: 0.9, topWindowFeatures: 5 } as const;

export type ProfileSide = 'reference' | 'current';

export class DriftState {
  /** Which file the data-quality section profiles. */
  side = $state<ProfileSide>('reference');
  /** The feature whose distributions the view overlays (null: the top one). */
  selected = $state<string | null>(null);
  /** The time column windows are cut on (null: none). */
  timeColumn = $state<string | null>(null);
  windowCount = $state(6);

  #session: LoupeSession;

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  /** Whether the view has anything to show for what is loaded. */
  get applies(): boolean {
    return !!this.#session.model;
  }

  /** The model's CSV inputs (all columns when no mapping). */
  readonly inputs = $derived.by((): string[] | null => {
    const m = this.#session.scoredMapping ?? this.#session.mapping;
    if (!m) return null;
    return [...new Set(m.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c))];
  });

  /** The categories the model's one-hot encoders know, per column (empty when it has none, or they cannot be traced). */
  readonly encoderCategories = $derived.by((): Record<string, string[]> => {
    const model = this.#session.model, m = this.#session.mapping;
    if (!model || !m) return {};
    try {
      const graph = decodeModel(new Uint8Array(model.bytes), model.fileName).graph;
      return graph ? encoderCategories(graph, $state.snapshot(m.bindings) as Mapping['bindings']) : {};
    } catch {
      return {};
    }
  });

  /** The reference as read from the file (before any imputation) and the current file. */
  readonly referenceTable = $derived.by(() => (this.#session.data ? (this.#session.data.raw ?? this.#session.data.table) : null));
  readonly currentTable = $derived.by(() => this.#session.current?.table ?? null);

  /**
   * What counts as "seen" for each categorical column of the profiled file: the encoder's categories
   * when the graph has them; for the current file, otherwise the reference's values.
   */
  readonly known = $derived.by((): { categories: Record<string, readonly string[]>; source: string } => {
    const enc = this.encoderCategories;
    const encoded = Object.keys(enc);
    const side = this.side === 'current' && this.currentTable ? 'current' : 'reference';
    if (side === 'reference') {
      return encoded.length
        ? { categories: enc, source: `the categories of the model\u2019s one-hot encoders (${encoded.length} columns, read from the ONNX graph)` }
        : { categories: {}, source: 'none: the model has no one-hot encoder whose categories can be read, so values are not checked against it' };
    }
    const ref = this.referenceTable!;
    const categories: Record<string, readonly string[]> = {};
    for (const c of ref.columns) if (c.kind !== 'numeric' && (!this.inputs || this.inputs.includes(c.name))) categories[c.name] = c.categories;
    Object.assign(categories, enc);
    return {
      categories,
      source: encoded.length
        ? `the model\u2019s one-hot encoder categories for ${encoded.length} columns (ONNX graph); the reference file\u2019s values for the other text columns`
        : 'the reference file\u2019s values (the model has no one-hot encoder whose categories can be read)',
    };
  });

  /** The file the data-quality section profiles. */
  readonly profiled = $derived.by((): { table: Table; name: string } | null => {
    const s = this.#session;
    if (this.side === 'current' && s.current) return { table: s.current.table, name: s.current.fileName };
    return s.data && this.referenceTable ? { table: this.referenceTable, name: s.data.fileName } : null;
  });

  // Profiles, row problems, duplicates and constant columns are computed in the engine worker
  // (src/workers/analysis-jobs.ts) on the table it holds; a prepared reference's file-as-read has no
  // copy there, so that one (and only that one) is profiled on the page.
  #quality = new WorkerFigure<DataQualityFigures>();
  #driftFigure = new WorkerFigure<DriftReport>();

  /** Whether a figure is being computed in the worker. */
  get computing(): boolean {
    return this.#quality.computing || this.#driftFigure.computing || this.#comparisonFigure.computing;
  }

  /** The worker's id of a table, when the worker holds exactly that table. */
  #workerId(table: Table): string | null {
    const s = this.#session;
    if (s.data && s.data.table === table) return s.data.id;
    if (s.current && s.current.table === table) return s.current.id;
    return null;
  }

  readonly #dataQuality = $derived.by((): DataQualityFigures | null => {
    const p = this.profiled;
    if (!p) return null;
    const req: DataQualityRequest = { knownCategories: this.known.categories, inputs: this.inputs ?? undefined, firstRows: DRIFT_SETTINGS.firstRows };
    const id = this.#workerId(p.table);
    if (!id) return dataQualityFigures(p.table, req);
    return this.#quality.read(p.table, req, () => this.#session.call((api) => api.dataQualityFigures(id, req)));
  });

  readonly profiles = $derived(this.#dataQuality?.profiles ?? []);
  readonly rowProblems = $derived(this.#dataQuality?.rowProblems ?? null);
  readonly duplicates = $derived(this.#dataQuality?.duplicates ?? null);
  readonly constants = $derived(this.#dataQuality?.constants ?? []);

  /** The current file's outcomes: scores and its labels, read through the reference's mapping. */
  readonly currentOutcomes = $derived.by((): RowOutcomes | null => {
    const s = this.#session, pred = s.currentScoring, m = s.scoredMapping, cur = s.current;
    if (!pred || !m || !cur) return null;
    const target = m.target ? (column(cur.table, m.target) ?? null) : null;
    return rowOutcomes(pred, target, m.positiveClass);
  });

  readonly currentHasLabels = $derived.by(() => {
    const o = this.currentOutcomes, pred = this.#session.currentScoring;
    if (!o || !pred) return false;
    if (pred.task === 'regression') return o.actualValue.some((v) => Number.isFinite(v));
    return o.actual.some((a) => a >= 0);
  });

  /** Confident predictions that disagree with the label, in the profiled file. */
  readonly labelHints = $derived.by(() => {
    const s = this.#session;
    const onCurrent = this.side === 'current' && !!s.current;
    const pred = onCurrent ? s.currentScoring : s.scoring;
    const out = onCurrent ? this.currentOutcomes : s.outcomes;
    if (!pred || !out || pred.task === 'regression') return null;
    const C = pred.classes.length;
    return labelQualityHints(out.actual.subarray(0, pred.scored), pred.scores.subarray(0, pred.scored * C), C, DRIFT_SETTINGS.labelConfidence);
  });

  readonly classes = $derived.by(() => this.#session.scoring?.classes ?? []);

  /** Drift of every model input present in both files (all shared columns when no mapping), by PSI. */
  readonly drift = $derived.by(() => {
    const ref = this.referenceTable, cur = this.currentTable;
    if (!ref || !cur) return null;
    const target = this.#session.scoredMapping?.target ?? this.#session.mapping?.target ?? null;
    const features = this.inputs ?? ref.columns.map((c) => c.name).filter((n) => n !== target);
    const refId = this.#workerId(ref), curId = this.#workerId(cur);
    if (!refId || !curId) return driftReport(ref, cur, features);
    return this.#driftFigure.read(cur, [refId, features], () => this.#session.call((api) => api.driftFigures(refId, curId, features)));
  });

  /** The feature whose distributions are overlaid: the clicked one, else the most drifted. */
  readonly focus = $derived.by(() => {
    const d = this.drift;
    if (!d || d.features.length === 0) return null;
    return d.features.find((f) => f.name === this.selected) ?? d.features[0];
  });

  #comparisonFigure = new WorkerFigure<CurrentComparison>();

  /** A run as the worker's quality figures read it (the rows scored only). */
  #qualityInput(pred: ScoreResult, out: RowOutcomes, mapping: Mapping): QualityInput {
    const n = pred.scored;
    if (pred.task === 'binary') return { task: 'binary', y: binaryLabels(out.actual, mapping.positiveClass).subarray(0, n), score: out.score.subarray(0, n) };
    if (pred.task === 'multiclass') return { task: 'multiclass', probs: pred.scores, C: pred.classes.length, actual: out.actual, predicted: out.predicted, scored: n };
    return { task: 'regression', actual: out.actualValue.subarray(0, n), score: out.score.subarray(0, n) };
  }

  /**
   * The model output's drift and the change of every headline metric, computed in the worker: each
   * sorts a million scores per side, seconds on the page.
   */
  readonly #comparison = $derived.by((): CurrentComparison | null => {
    const s = this.#session, ref = s.scoring, cur = s.currentScoring, ro = s.outcomes, co = this.currentOutcomes, m = s.scoredMapping;
    const on = ref && cur && ro && co && m ? cur : null;
    const pos = ref ? (ref.classes[m?.positiveClass ?? 0] ?? '') : '';
    const name = !ref ? '' : ref.task === 'binary' ? `P(${pos})` : ref.task === 'regression' ? 'prediction' : 'top-class probability';
    const withLabels = this.currentHasLabels && s.quality.hasLabels;
    const threshold = s.quality.threshold;
    return this.#comparisonFigure.read(on, { name, withLabels, threshold, ref: !!ref }, () =>
      s.call((api) =>
        api.currentComparison({
          refScore: ro!.score.subarray(0, ref!.scored),
          curScore: co!.score.subarray(0, cur!.scored),
          name,
          ref: withLabels ? this.#qualityInput(ref!, ro!, m!) : null,
          cur: withLabels ? this.#qualityInput(cur!, co!, m!) : null,
          threshold,
        }),
      ),
    );
  });

  /** Drift of the model's output, and of the labels when both files have them (null until the worker answers). */
  readonly predictionDrift = $derived.by(() => {
    const s = this.#session, ref = s.scoring, cur = s.currentScoring, ro = s.outcomes, co = this.currentOutcomes;
    const c = this.#comparison;
    if (!ref || !cur || !ro || !co || !c) return null;
    const predicted = ref.task === 'regression' ? null : classDrift('predicted class', ro.predicted.subarray(0, ref.scored), co.predicted.subarray(0, cur.scored), ref.classes);
    const labels = ref.task !== 'regression' && this.currentHasLabels && s.quality.hasLabels ? classDrift('label', ro.actual, co.actual, ref.classes) : null;
    return { score: c.score, predicted, labels };
  });

  readonly judged = $derived.by(() => (this.#session.current ? whatCanBeJudged({ hasLabels: this.currentHasLabels, hasScores: !!this.#session.currentScoring }) : null));

  /** Headline metrics function over rows of one side, by the same library functions the quality view uses. */
  #headlines(pred: ScoreResult, out: RowOutcomes, mapping: Mapping): HeadlineFn<string> {
    if (pred.task === 'binary') return binaryHeadlines(binaryLabels(out.actual, mapping.positiveClass), out.score, this.#session.quality.threshold);
    if (pred.task === 'multiclass') return multiclassHeadlines(pred.scores, pred.classes.length, out.actual, out.predicted);
    return regressionHeadlines(out.actualValue, out.score);
  }

  readonly #referenceHeadlines = $derived.by(() => {
    const s = this.#session;
    return s.scoring && s.outcomes && s.scoredMapping && s.quality.hasLabels ? this.#headlines(s.scoring, s.outcomes, s.scoredMapping) : null;
  });
  readonly #currentHeadlines = $derived.by(() => {
    const s = this.#session, o = this.currentOutcomes;
    return s.currentScoring && o && s.scoredMapping && this.currentHasLabels ? this.#headlines(s.currentScoring, o, s.scoredMapping) : null;
  });

  /** Every headline quality metric on both files and its change (current − reference), from the worker. */
  readonly metricChanges = $derived(this.#comparison?.metrics ?? null);

  /**
   * The worst fairness gaps on both files, for the sensitive columns chosen in the Fairness view
   * (reference group: the largest), compared with `metricChanges`. Numeric sensitive columns are
   * binned on each file's own quantiles unless the Fairness view was given edges.
   */
  readonly fairnessChanges = $derived.by(() => {
    const s = this.#session, f = s.fairness, cur = s.current, cs = s.currentScoring, o = this.currentOutcomes, m = s.scoredMapping;
    if (!f.metrics || f.focus < 0 || !cur || !cs || !o || !m || cs.task !== 'binary' || !this.currentHasLabels) return null;
    try {
      const g = groupRows(cur.table, f.specs, { intersections: f.intersections, minSize: Math.max(1, Math.round(f.minSize) || 1) })[f.focus];
      if (!g) return null;
      const gm = groupMetrics(binaryLabels(o.actual, m.positiveClass), o.score, g, f.threshold, { bootstrap: false });
      const worst = (d: DisparityReport) => Object.fromEntries(DISPARITY_KINDS.map((k) => [k, d.measures[k].worst.value]));
      const ref = disparities(f.metrics, { reference: 'largest', favorable: f.favorable });
      const now = disparities(gm, { reference: 'largest', favorable: f.favorable });
      return { attribute: f.attribute, changes: metricChanges(worst(ref), worst(now)) };
    } catch {
      return null;
    }
  });

  /** Time-like columns of the file windows are cut from (the current one when loaded). */
  readonly windowed = $derived.by(() => {
    const s = this.#session;
    if (s.current) return { table: s.current.table, side: 'current' as const, name: s.current.fileName };
    return this.referenceTable && s.data ? { table: this.referenceTable, side: 'reference' as const, name: s.data.fileName } : null;
  });
  readonly timeCandidates = $derived(this.windowed ? timeColumns(this.windowed.table) : []);

  /** PSI per window for the most drifted features, and accuracy (or the first headline metric) per window. */
  readonly windows = $derived.by(() => {
    const w = this.windowed, ref = this.referenceTable, name = this.timeColumn;
    if (!w || !ref || !name) return null;
    const col = column(w.table, name);
    if (!col) return null;
    const cut = windows(col, { count: Math.max(1, Math.min(50, Math.floor(this.windowCount) || 1)) });
    const ranked = this.drift?.features.map((f) => f.name) ?? this.inputs ?? ref.columns.map((c) => c.name).filter((n) => n !== name);
    const features = ranked.filter((n) => n !== name).slice(0, DRIFT_SETTINGS.topWindowFeatures);
    const psi = driftOverWindows(ref, w.table, cut.windows, features);
    const fn = w.side === 'current' ? this.#currentHeadlines : this.#referenceHeadlines;
    const metrics = fn ? cut.windows.map((win) => fn(win.rows)) : null;
    const metricName = metrics && metrics[0] ? (Object.keys(metrics[0].metrics)[0] ?? null) : null;
    const metric = metrics && metricName ? metrics.map((m) => m.metrics[metricName] as Metric) : null;
    return { ...cut, psi, metricName, metric, side: w.side, file: w.name };
  });

  /** This view's section of the report JSON (documented in docs/report.md); null when empty. */
  report(): unknown {
    const s = this.#session;
    if (!s.data) return null;
    const p = this.profiled;
    const rp = this.rowProblems;
    const d = this.drift;
    const w = this.windows;
    return {
      profiled: p ? { side: this.side, file: p.name, rows: p.table.nRows } : null,
      seenCategories: this.known.source,
      profiles: this.profiles.map((c) => ({ ...c, outliers: c.outliers ? { ...c.outliers, examples: undefined } : null, unseen: c.unseen ? { values: c.unseen.values, rows: c.unseen.rows } : null })),
      rowProblems: rp ? { counts: rp.counts, byColumn: rp.byColumn, firstRows: rp.examples.map((e) => e.row), note: rp.note } : null,
      duplicates: this.duplicates ? { count: this.duplicates.count, groups: this.duplicates.groups } : null,
      constantColumns: this.constants,
      labelHints: this.labelHints
        ? { rule: this.labelHints.rule, minConfidence: this.labelHints.minConfidence, count: this.labelHints.count, judged: this.labelHints.judged, share: this.labelHints.share, pairs: this.labelHints.pairs }
        : null,
      preparation: s.data.preparation ?? { strategy: 'none' },
      current: s.current ? { file: s.current.fileName, rows: s.current.table.nRows, scored: s.currentScoring?.scored ?? 0, hasLabels: this.currentHasLabels } : null,
      drift: d ? { schema: d.schema, counts: d.counts, methods: d.methods, features: d.features } : null,
      predictionDrift: this.predictionDrift,
      metricChanges: this.metricChanges,
      fairnessChanges: this.fairnessChanges,
      whatCanBeJudged: this.judged,
      windows: w
        ? {
            timeColumn: this.timeColumn,
            side: w.side,
            order: w.order,
            skipped: w.skipped,
            note: w.note,
            windows: w.windows.map((x) => ({ index: x.index, from: x.from, to: x.to, rows: x.rows.length })),
            psi: w.psi,
            metric: w.metricName ? { name: w.metricName, values: w.metric } : null,
          }
        : null,
    };
  }
}
