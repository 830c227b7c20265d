/**
 * The Overview's findings: reads the figures the other views' states already hold (quality,
 * explanations, fairness, drift, latency) as plain numbers and arrays, and hands them to
 * src/lib/analysis/findings with the limits. One instance per session (`findingsOf`), so the view and
 * the report read the same list.
 */
import type { LoupeSession } from './session.svelte';
import {
  DEFAULT_FINDING_LIMITS,
  findings,
  type FairnessPartition,
  type Finding,
  type FindingLimits,
  type FindingsInput,
  type IntervalFigures,
  type Skip,
} from '../lib/analysis/findings';
import type { Interval } from '../lib/analysis/quality/bootstrap';

export class FindingsState {
  /** Overrides of the default limits (the scorecard's compliance limit can be set here). */
  overrides = $state<Partial<FindingLimits>>({});

  #session: LoupeSession;

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  /**
   * The limits in use: the defaults, the latency lab's p95 budget, the scorecard's compliance limit
   * (when that constraint is on), then any override.
   */
  readonly limits: FindingLimits = $derived.by(() => ({
    ...DEFAULT_FINDING_LIMITS,
    latencyBudgetMs: this.#session.latency.settings.budgetMs,
    ...this.#complianceLimit(),
    ...($state.snapshot(this.overrides) as Partial<FindingLimits>),
  }));

  #complianceLimit(): Partial<FindingLimits> {
    const c = this.#session.scorecard.stakeholders.find((s) => s.id === 'compliance')?.constraint;
    return c?.enabled && c.limit != null && Number.isFinite(c.limit) ? { fairnessGap: c.limit } : {};
  }

  readonly #predictions = $derived.by((): FindingsInput['predictions'] => {
    const s = this.#session, r = s.scoring, o = s.outcomes;
    if (!r || !o) return null;
    const n = r.scored;
    return {
      task: r.task,
      classes: r.classes,
      predicted: r.task === 'regression' ? undefined : o.predicted.subarray(0, n),
      score: r.task === 'multiclass' ? undefined : o.score.subarray(0, n),
      target: r.task === 'regression' && this.#session.quality.hasLabels ? o.actualValue.subarray(0, n) : null,
      positiveLabel: r.task === 'binary' ? r.classes[s.scoredMapping?.positiveClass ?? 0] : undefined,
    };
  });

  /** Why a labelled check cannot run on the scored rows, or null when it can (or nothing is scored). */
  readonly #noLabels = $derived.by((): Skip | null => {
    const q = this.#session.quality;
    if (!q.run || q.hasLabels) return null;
    return { skip: 'The CSV has no usable target column: pick it in the mapping panel (Model & data) and score again.' };
  });

  readonly #calibration = $derived.by((): FindingsInput['calibration'] => {
    const q = this.#session.quality, r = q.run;
    if (!r) return null;
    if (r.pred.task !== 'binary') return { skip: `Calibration is checked for binary models (one probability per row); this model's task is ${r.pred.task}.` };
    if (this.#noLabels) return this.#noLabels;
    const b = q.binary;
    if (!b) return null;
    return { ece: b.calibration.ece.value, bins: q.calibrationBins, rows: b.calibration.bins.reduce((a, x) => a + x.count, 0) };
  });

  readonly #importance = $derived.by((): FindingsInput['importance'] => {
    const e = this.#session.explain;
    if (e.shap && e.summary) return { measure: 'mean |SHAP|', features: e.summary.map((f) => ({ feature: f.feature, value: f.meanAbs })) };
    const p = e.permutation;
    if (p) return { measure: `permutation importance (${p.metric})`, features: p.features.map((f) => ({ feature: f.feature, value: f.importance })) };
    return null;
  });

  /** Every partition by the chosen sensitive columns, with its disparities (reference: the largest group), from the worker. */
  readonly #fairness = $derived.by((): FindingsInput['fairness'] => {
    const f = this.#session.fairness, r = f.run;
    if (!r) return null;
    if (f.blocked) return { skip: f.blocked };
    if (f.groupings.error) return { skip: f.groupings.error };
    if (!r.y || !r.score || !f.partitions.length) return null;
    return f.partitions;
  });

  readonly #drift = $derived.by((): FindingsInput['drift'] => {
    const s = this.#session, d = s.drift.drift;
    if (!d || !s.current) return null;
    const features = d.features.map((x) => ({ name: x.name, psi: x.psi.value }));
    const p = s.drift.predictionDrift;
    if (p) features.push({ name: p.score.name, psi: p.score.psi.value });
    return { file: s.current.fileName, features };
  });

  readonly #latency = $derived.by((): FindingsInput['latency'] => {
    const lab = this.#session.latency, f = lab.figures;
    if (!f || lab.running) return null;
    return { batch: lab.settings.batch, backends: f.backends.filter((b) => b.available).map((b) => ({ label: b.label, p95: b.worker?.p95 ?? null })) };
  });

  readonly #intervals = $derived.by((): FindingsInput['intervals'] => {
    const q = this.#session.quality, r = q.run;
    if (!r) return null;
    if (this.#noLabels) return this.#noLabels;
    const pick = (res: { level: number; rows: number; intervals: Record<string, Interval> } | null, keys: string[]): IntervalFigures | null =>
      res ? { level: res.level, rows: res.rows, intervals: keys.map((k) => ({ metric: k, lo: res.intervals[k].lo, hi: res.intervals[k].hi, reason: res.intervals[k].reason })) } : null;
    if (r.pred.task === 'binary') return pick(q.binaryIntervals, ['accuracy', 'auc', 'f1']);
    if (r.pred.task === 'multiclass') return pick(q.multiclassIntervals, ['accuracy', 'macroF1']);
    // MAE and RMSE are in the target's units; R² is on the same scale as the other tasks' metrics.
    return pick(q.regressionIntervals, ['r2']);
  });

  readonly input: FindingsInput = $derived.by(() => ({
    predictions: this.#predictions,
    calibration: this.#calibration,
    importance: this.#importance,
    fairness: this.#fairness,
    drift: this.#drift,
    latency: this.#latency,
    intervals: this.#intervals,
  }));

  readonly list: Finding[] = $derived(findings(this.input, this.limits));

  /** Counts per severity, for the view's header. */
  readonly counts = $derived.by(() => {
    const c = { high: 0, medium: 0, info: 0, 'not-checked': 0 };
    for (const f of this.list) c[f.severity]++;
    return c;
  });

  /** The report's `findings` section (documented in docs/report.md); null when nothing is loaded. */
  report(): unknown {
    const s = this.#session;
    if (!s.model && !s.data) return null;
    return {
      limits: this.limits,
      counts: this.counts,
      findings: this.list.map(({ id, severity, title, measured, view, value, limit }) => ({ id, severity, title, measured, view, value, limit })),
    };
  }
}

const instances = new WeakMap<LoupeSession, FindingsState>();

/**
 * The session's findings (created on first use). Created under its own effect root: a derived owned
 * by the first view that asked would go stale once that view is closed.
 */
export function findingsOf(session: LoupeSession): FindingsState {
  let f = instances.get(session);
  if (!f) {
    $effect.root(() => {
      f = new FindingsState(session);
    });
    instances.set(session, f!);
  }
  return f!;
}
