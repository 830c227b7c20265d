/**
 * The stakeholder scorecard: 2-5 models judged on the same reference CSV. The primary model is the
 * session's; the others are opened in the session's engine worker, scored on the same rows with a
 * mapping aligned to the primary one, then dropped from the worker (their predictions stay here).
 * Latency is measured in fresh wasm 1-thread engines with a short protocol. Every figure is derived
 * by src/lib/scorecard.
 */
import type { LoupeSession, SampleInfo } from './session.svelte';
import type { ScoreResult } from '../workers/engine-bridge';
import type { Mapping, ModelCard, Task } from '../lib/model/types';
import type { Table } from '../lib/data/table';
import { column, takeRows } from '../lib/data/table';
import { rowOutcomes } from '../lib/analysis/predictions';
import { binaryLabels, type OutcomeValues } from '../lib/analysis/quality';
import { createRng, sampleWithoutReplacement } from '../lib/analysis/random';
import { batchSizes } from '../lib/analysis/latency';
import { featuresUsed, hasExactAttributions, modelFacts, type FeaturesUsed, type ModelFacts } from '../lib/scorecard/model-facts';
import { alignMapping } from '../lib/scorecard/align';
import { paretoFront } from '../lib/scorecard/pareto';
import {
  alignLabels,
  latencyFacts,
  metricKindOf,
  METRICS,
  SCORECARD_BOOTSTRAP,
  type ComplexityVerdict,
  type FairnessGap,
  type LatencyFacts,
  type MetricEstimate,
  type MetricRows,
  type ThresholdRule,
} from '../lib/scorecard/compare';
import { checkConstraints, defaultStakeholders, weightedScores, type CandidateVerdict, type CriterionValues, type Stakeholder, type StakeholderId } from '../lib/scorecard/stakeholders';
import { measureBackend, type BackendRun } from './latency.svelte';
import type { Engine } from '../workers/engine-bridge';
import type { ScorecardFigures } from '../workers/analysis-jobs';
import { keepOnce, retryIfLost, WorkerFigure } from './worker-figure.svelte';

/** Most models compared at once. */
export const MAX_CANDIDATES = 5;

/** One model on the scorecard, with its predictions on the reference CSV. */
export interface Candidate {
  key: string;
  /** File name without `.onnx`. */
  name: string;
  fileName: string;
  primary: boolean;
  bytes: ArrayBuffer;
  card: ModelCard;
  mapping: Mapping;
  scoring: ScoreResult;
  /** The dataset (session.data.id) the predictions belong to. */
  dataId: string;
  facts: ModelFacts;
}

/** The scorecard's latency protocol: wasm, 1 thread, a fresh engine per model. */
export interface ScorecardProtocol {
  warmup: number;
  /** Timed runs at batch 1. */
  runs: number;
  /** Largest batch of the throughput sweep (1, 2, 4, ... up to it). */
  sweepMax: number;
  sweepRuns: number;
  /** Seed of the rows drawn from the CSV. */
  seed: number;
}

export const DEFAULT_PROTOCOL: ScorecardProtocol = { warmup: 5, runs: 50, sweepMax: 256, sweepRuns: 10, seed: 42 };

/** Raw latency samples of one model (in-worker ms). */
export interface LatencySamples {
  batch1Ms: Float64Array;
  sweep: { batch: number; workerMs: Float64Array }[];
  source: 'scorecard' | 'latency lab';
  error: string | null;
}

/** Stakeholder settings as plain JSON (what a settings link carries). */
export interface ScorecardSettings {
  stakeholders: { id: StakeholderId; enabled: boolean; limit: number | null; weight: number }[];
  thresholdRule: ThresholdRule;
  protocol: ScorecardProtocol;
}

/** Everything the table shows for one candidate. */
export interface CandidateFigures {
  candidate: Candidate;
  metric: MetricEstimate;
  features: FeaturesUsed;
  latency: LatencyFacts | null;
  latencySource: LatencySamples['source'] | null;
  latencyError: string | null;
  fairness: FairnessGap | null;
  expectedValue: { value: number | null; threshold: number } | null;
  explainable: boolean;
  values: CriterionValues;
  verdict: CandidateVerdict;
  score: number | null;
  rank: number | null;
  onFront: boolean;
}

const stripOnnx = (f: string) => f.replace(/\.onnx$/i, '');

export class ScorecardState {
  #session: LoupeSession;
  #ids = 0;
  #cancel = false;
  #engines = new Set<Engine>();

  /** Models added besides the primary one. */
  extras = $state.raw<Candidate[]>([]);
  stakeholders = $state<Stakeholder[]>(defaultStakeholders({ metricName: 'metric', metricHigherIsBetter: true, budgetMs: 50 }));
  /** Threshold for expected value and fairness gaps (binary): each model's value-optimal one, or 0.5. */
  thresholdRule = $state<ThresholdRule>('value-optimal');
  protocol = $state<ScorecardProtocol>({ ...DEFAULT_PROTOCOL });
  /** Latency samples measured here, by file name. */
  measured = $state.raw<Record<string, LatencySamples>>({});
  measuring = $state(false);
  adding = $state<string | null>(null);
  progress = $state({ done: 0, total: 0, label: '' });
  /** The candidate index hovered or focused in the chart (its table row is highlighted). */
  highlighted = $state<number | null>(null);
  /** Sample models that share the loaded sample's CSV (from samples/index.json), once read. */
  siblings = $state.raw<SampleInfo[]>([]);

  constructor(session: LoupeSession) {
    this.#session = session;
    const budget = session.latency?.settings.budgetMs ?? 50;
    this.stakeholders = defaultStakeholders({ metricName: 'metric', metricHigherIsBetter: true, budgetMs: budget });
  }

  /** The primary model, when it has been scored on the reference CSV. */
  readonly primary = $derived.by((): Candidate | null => {
    const s = this.#session, m = s.model, d = s.data, sc = s.scoring, map = s.scoredMapping;
    if (!m || !d || !sc || !map || sc.cancelled) return null;
    let facts: ModelFacts;
    try {
      facts = modelFacts(new Uint8Array(m.bytes), m.fileName);
    } catch {
      return null;
    }
    return { key: 'primary', name: stripOnnx(m.fileName), fileName: m.fileName, primary: true, bytes: m.bytes, card: m.card, mapping: map, scoring: sc, dataId: d.id, facts };
  });

  /** The primary model first, then the others scored on the same CSV. */
  readonly candidates = $derived.by((): Candidate[] => {
    const p = this.primary;
    if (!p) return [];
    return [p, ...this.extras.filter((e) => e.dataId === p.dataId && e.fileName !== p.fileName && e.mapping.task === p.mapping.task)];
  });

  /** Models added earlier whose predictions belong to another CSV (or another preparation of it). */
  readonly stale = $derived(this.extras.filter((e) => e.dataId !== this.primary?.dataId).map((e) => e.fileName));

  readonly task = $derived<Task | null>(this.primary?.mapping.task ?? null);
  readonly metricKind = $derived(this.task ? metricKindOf(this.task) : 'auc');
  readonly metric = $derived(METRICS[this.metricKind]);

  /** The stakeholders with the ML engineer's objective worded for the task's metric. */
  readonly people = $derived.by((): Stakeholder[] =>
    this.stakeholders.map((s) => (s.id === 'ml' ? { ...s, objective: `${this.metric.name} ${this.metric.higherIsBetter ? '≥' : '≤'} limit` } : s)),
  );

  /** Per candidate: the rows its metric reads, and its predicted labels in the primary model's classes. */
  readonly #rows = $derived.by(() => {
    const d = this.#session.data, p = this.primary;
    if (!d || !p) return [];
    return this.candidates.map((c) => {
      const target = c.mapping.target ? (column(d.table, c.mapping.target) ?? null) : null;
      // The primary model's outcomes are the session's own (computed once for every view).
      const out = c.primary && c.scoring === this.#session.scoring && this.#session.outcomes ? this.#session.outcomes : rowOutcomes(c.scoring, target, c.mapping.positiveClass);
      let metric: MetricRows;
      if (c.mapping.task === 'binary') metric = { kind: 'auc', truth: binaryLabels(out.actual, c.mapping.positiveClass), pred: out.score };
      else if (c.mapping.task === 'multiclass') metric = { kind: 'accuracy', truth: out.correct };
      else metric = { kind: 'rmse', truth: out.actualValue, pred: out.score };
      const labels = c.mapping.task === 'regression' ? null : alignLabels(out.predicted, c.scoring.classes, p.scoring.classes);
      return { metric, labels, binary: metric.kind === 'auc' ? { y: metric.truth as Int8Array, score: out.score } : null };
    });
  });

  /** Latency samples per candidate: measured here, else (primary only) the latency lab's wasm 1-thread run. */
  readonly #samples = $derived.by(() => {
    const lab = this.#session.latency;
    return this.candidates.map((c): LatencySamples | null => {
      const own = this.measured[c.fileName];
      if (own) return own;
      if (c.primary && lab && lab.modelName === c.fileName) {
        const r = lab.runs.find((x) => x.id === 'wasm-1');
        if (r?.workerMs && r.workerMs.length) return { batch1Ms: r.workerMs, sweep: r.sweep, source: 'latency lab', error: r.error };
      }
      return null;
    });
  });

  readonly budgetMs = $derived.by(() => {
    const p = this.stakeholders.find((s) => s.id === 'product');
    return p?.constraint.limit ?? this.#session.latency?.settings.budgetMs ?? 50;
  });

  /** The simplest candidate (fewest parameters) and the more complex ones, for the paired bootstrap. */
  readonly #pairs = $derived.by((): [number, number][] => {
    const cands = this.candidates;
    if (cands.length < 2) return [];
    let s = 0;
    cands.forEach((c, i) => {
      if (c.facts.parameters < cands[s].facts.parameters) s = i;
    });
    return cands
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => i !== s && c.facts.parameters > cands[s].facts.parameters)
      .sort((a, b) => a.c.facts.parameters - b.c.facts.parameters)
      .map(({ i }) => [s, i] as [number, number]);
  });

  #heavy = new WorkerFigure<ScorecardFigures>();
  /** Whether the per-model figures are being computed in the worker. */
  get computing(): boolean {
    return this.#heavy.computing;
  }

  /**
   * The figures that walk every row (metric with interval, expected value, worst fairness gap, paired
   * bootstraps, disagreement), computed in the engine worker: at a million rows they take seconds.
   */
  readonly #computed = $derived.by((): ScorecardFigures | null => {
    const s = this.#session, rows = this.#rows, cands = this.candidates, id = s.data?.id;
    const on = id && rows.length && rows.length === cands.length ? rows : null;
    const f = s.fairness;
    const params = {
      names: cands.map((c) => c.name),
      metric: this.metric,
      values: $state.snapshot(s.quality.values) as OutcomeValues,
      rule: this.thresholdRule,
      fairness:
        f && !f.blocked && f.specs.length
          ? { specs: $state.snapshot(f.specs) as typeof f.specs, intersections: f.intersections, minSize: Math.max(1, Math.round(f.minSize) || 1), reference: f.referenceOption, favorable: f.favorable }
          : null,
      pairs: this.#pairs,
      bootstrap: { ...SCORECARD_BOOTSTRAP },
    };
    return this.#heavy.read(on, params, () =>
      retryIfLost(async (fresh) => {
        const keys = await Promise.all(rows.map((r) => keepOnce(s, r, (api, key, v) => api.keepScorecardRows(key, v), fresh)));
        return s.call((api) => api.scorecardFigures(id!, { ...params, keys }));
      }),
    );
  });

  readonly #partial = $derived.by((): Omit<CandidateFigures, 'score' | 'rank' | 'onFront'>[] => {
    const rows = this.#rows, samples = this.#samples;
    const cands = this.candidates;
    if (rows.length !== cands.length) return [];
    const heavy = this.#computed;
    const ready = heavy && heavy.candidates.length === cands.length ? heavy.candidates : null;
    const people = this.people;
    const partial = cands.map((c, i) => {
      const h = ready?.[i] ?? null;
      const metric: MetricEstimate = h?.metric ?? { value: null, low: null, high: null, rows: 0, reason: this.#heavy.error ?? 'computing…' };
      const sm = samples[i];
      const latency = sm && sm.batch1Ms.length ? latencyFacts(sm.batch1Ms, sm.sweep, this.budgetMs) : null;
      const ev = h?.expectedValue ?? null;
      const gap = h?.fairness ?? null;
      const explainable = hasExactAttributions(c.facts.family);
      const vals: CriterionValues = {
        metric: metric.value,
        latency: latency?.p95Ms ?? null,
        size: c.facts.sizeBytes / 1e6,
        fairness: gap?.value ?? null,
        explainable: explainable ? 1 : 0,
        value: ev?.value ?? null,
      };
      return {
        candidate: c,
        metric,
        features: featuresUsed(c.facts, c.mapping),
        latency,
        latencySource: sm?.source ?? null,
        latencyError: sm?.error ?? null,
        fairness: gap,
        expectedValue: ev,
        explainable,
        values: vals,
        verdict: checkConstraints(people, vals),
      };
    });
    return partial;
  });

  /** The weighted ranking and the Pareto front (indexes in latency order) of the candidates' criterion values. */
  #rank(values: CriterionValues[]) {
    return { ...weightedScores(this.people, values), front: paretoFront(values.map((v) => ({ cost: v.latency, quality: v.metric })), this.metric.higherIsBetter) };
  }

  /** The weighted ranking (with the criteria used and left out) and the Pareto front. */
  readonly ranking = $derived(this.#rank(this.#partial.map((p) => p.values)));
  readonly front = $derived(this.ranking.front);

  readonly figures: CandidateFigures[] = $derived.by(() => {
    const w = this.ranking, front = new Set(w.front);
    return this.#partial.map((p, i) => ({ ...p, score: w.scores[i], rank: w.ranks[i], onFront: front.has(i) }));
  });

  readonly disagreement = $derived(this.#computed && this.#computed.candidates.length === this.candidates.length ? this.#computed.disagreement : null);

  /** The simplest model (fewest parameters) against each more complex one, paired on the same rows. */
  readonly complexity: ComplexityVerdict[] = $derived(this.#computed && this.#computed.candidates.length === this.candidates.length ? this.#computed.complexity : []);

  // ------------------------------------------------------------------------------------------------
  // Adding and removing models

  /** Why models cannot be added now, or null. */
  get blocked(): string | null {
    const s = this.#session;
    if (!s.model || !s.data) return 'Load a model and a CSV first: the primary model is the one loaded.';
    if (!this.primary) return 'Score the CSV with the loaded model first (Model & data).';
    return null;
  }

  /** Files dropped or picked in the scorecard: each .onnx is added as a candidate. */
  async addFiles(files: File[]): Promise<void> {
    for (const f of files) {
      if (!/\.onnx$/i.test(f.name)) {
        this.#session.error(`${f.name} is not an .onnx model; the scorecard compares models on the CSV already loaded.`);
        continue;
      }
      await this.addModelBytes(await f.arrayBuffer(), f.name);
    }
  }

  /**
   * Opens a model in the engine worker, aligns its mapping with the primary one and scores the
   * reference CSV. A model that does not fit gets a message and is not added.
   */
  async addModelBytes(bytes: ArrayBuffer, fileName: string): Promise<boolean> {
    const s = this.#session, d = s.data, p = this.primary;
    const refuse = (why: string) => {
      s.error(`${fileName} was not added to the scorecard: ${why}`);
      return false;
    };
    if (!d || !p) return refuse(this.blocked ?? 'nothing is loaded.');
    if (this.candidates.length >= MAX_CANDIDATES) return refuse(`the scorecard compares at most ${MAX_CANDIDATES} models; remove one first.`);
    if (this.candidates.some((c) => c.fileName === fileName)) return refuse('a model with this file name is already on the scorecard.');
    if (bytes.byteLength === 0) return refuse('the file is empty.');
    if (this.adding || s.job) return refuse('another model is being added or a job is running; try again when it ends.');
    const id = `scorecard-${++this.#ids}`;
    this.adding = fileName;
    let opened = false;
    try {
      let card: ModelCard;
      try {
        card = (await s.call((api) => api.openModel(id, bytes.slice(0), fileName, 'wasm'))).card;
        opened = true;
      } catch (e) {
        return refuse((e as Error).message);
      }
      const aligned = alignMapping(card, d.table, p.mapping);
      if (!aligned.mapping) return refuse(aligned.error);
      const mapping = aligned.mapping;
      const result = await s.explainJob(
        'score',
        (api, jobId, onProgress) => api.score({ jobId, modelId: id, datasetId: d.id, mapping }, onProgress),
        `Scoring ${d.table.nRows.toLocaleString()} rows with ${fileName}`,
        d.table.nRows,
      );
      if (!result) return refuse('scoring did not finish.');
      if (result.cancelled) return refuse('scoring was cancelled.');
      let facts: ModelFacts;
      try {
        facts = modelFacts(new Uint8Array(bytes), fileName);
      } catch (e) {
        return refuse((e as Error).message);
      }
      if (this.#session.data?.id !== d.id) return refuse('the CSV changed while it was being scored.');
      this.extras = [...this.extras.filter((e) => e.dataId === d.id), { key: id, name: stripOnnx(fileName), fileName, primary: false, bytes, card, mapping, scoring: result, dataId: d.id, facts }];
      return true;
    } finally {
      // Predictions stay on the page; the worker need not keep the session.
      if (opened) void s.call((api) => api.dropModel(id)).catch(() => {});
      this.adding = null;
    }
  }

  remove(key: string): void {
    const c = this.extras.find((e) => e.key === key);
    this.extras = this.extras.filter((e) => e.key !== key);
    if (c && this.measured[c.fileName]) {
      const { [c.fileName]: _, ...rest } = this.measured;
      this.measured = rest;
    }
    this.highlighted = null;
  }

  /** Reads samples/index.json for models that share the loaded sample's CSV. */
  async loadSiblings(): Promise<void> {
    const s = this.#session.sample;
    if (!s || this.#session.data?.fileName !== s.csv) {
      this.siblings = [];
      return;
    }
    try {
      const res = await fetch('samples/index.json');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const all = (await res.json()) as SampleInfo[];
      this.siblings = all.filter((x) => x.csv === s.csv);
    } catch {
      this.siblings = [];
    }
  }

  /** Adds every sample model sharing the loaded CSV (the three credit models for a credit sample). */
  async addSiblings(): Promise<void> {
    if (!this.siblings.length) await this.loadSiblings();
    for (const x of this.siblings) {
      if (this.candidates.some((c) => c.fileName === x.model)) continue;
      if (this.candidates.length >= MAX_CANDIDATES) break;
      const res = await fetch(`samples/${x.model}`);
      if (!res.ok) {
        this.#session.error(`The sample model ${x.model} could not be read (HTTP ${res.status}).`);
        continue;
      }
      await this.addModelBytes(await res.arrayBuffer(), x.model);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Latency

  /** Steps the protocol times per model (for the progress bar). */
  #steps(p: ScorecardProtocol): number {
    return p.warmup + p.runs + batchSizes(p.sweepMax).length * (Math.min(3, p.warmup) + p.sweepRuns);
  }

  cancelMeasure(): void {
    this.#cancel = true;
    for (const e of this.#engines) e.terminate();
  }

  /**
   * Times every candidate with the same protocol, one after another, each in a fresh wasm 1-thread
   * engine, on rows drawn from the reference CSV (seeded).
   */
  async measure(): Promise<void> {
    const d = this.#session.data;
    const cands = this.candidates;
    if (!d || !cands.length || this.measuring) return;
    const p = $state.snapshot(this.protocol) as ScorecardProtocol;
    p.warmup = Math.max(1, Math.round(p.warmup));
    p.runs = Math.max(2, Math.round(p.runs));
    p.sweepMax = Math.max(1, Math.min(4096, Math.round(p.sweepMax)));
    p.sweepRuns = Math.max(2, Math.round(p.sweepRuns));
    this.#cancel = false;
    this.measuring = true;
    this.progress = { done: 0, total: cands.length * this.#steps(p), label: 'Starting' };
    const k = Math.min(d.table.nRows, Math.max(1, p.sweepMax));
    const table: Table = takeRows(d.table, sampleWithoutReplacement(createRng(p.seed), d.table.nRows, k));
    try {
      for (const c of cands) {
        if (this.#cancel) break;
        const plan: BackendRun = {
          id: 'wasm-1', label: `${c.name}, wasm 1 thread`, available: true, reason: null, threads: null, adapter: null, cold: null, loops: 1, loopNote: '',
          workerResolutionMs: null, workerMs: null, roundTripMs: null, sweep: [], error: null,
        };
        const run = await measureBackend(plan, { ...p, batch: 1 }, { table, mapping: $state.snapshot(c.mapping) as Mapping }, c.bytes, c.fileName, 1, {
          cancelled: () => this.#cancel,
          step: (label) => (this.progress = { ...this.progress, done: this.progress.done + 1, label }),
          label: (label) => (this.progress = { ...this.progress, label }),
          engine: (e, alive) => (alive ? this.#engines.add(e) : this.#engines.delete(e)),
        });
        if (this.#cancel) break;
        if (run.error || !run.workerMs?.length) this.#session.error(`Latency of ${c.fileName} could not be measured: ${run.error ?? 'no timed runs'}.`);
        this.measured = {
          ...this.measured,
          [c.fileName]: { batch1Ms: run.workerMs ?? new Float64Array(0), sweep: run.sweep, source: 'scorecard', error: run.error },
        };
      }
    } finally {
      for (const e of this.#engines) e.terminate();
      this.#engines.clear();
      if (this.#cancel) this.#session.say('info', 'Latency measurement was cancelled; the models timed before it keep their figures.');
      this.measuring = false;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Settings and report

  setConstraint(id: StakeholderId, patch: Partial<Stakeholder['constraint']>): void {
    this.stakeholders = this.stakeholders.map((s) => (s.id === id ? { ...s, constraint: { ...s.constraint, ...patch } } : s));
  }

  setWeight(id: StakeholderId, weight: number): void {
    this.stakeholders = this.stakeholders.map((s) => (s.id === id ? { ...s, weight: Number.isFinite(weight) && weight >= 0 ? weight : 0 } : s));
  }

  /** The stakeholders' constraints and weights, the threshold rule and the latency protocol, as plain JSON. */
  settings(): ScorecardSettings {
    return {
      stakeholders: this.stakeholders.map((s) => ({ id: s.id, enabled: s.constraint.enabled, limit: s.constraint.limit, weight: s.weight })),
      thresholdRule: this.thresholdRule,
      protocol: $state.snapshot(this.protocol) as ScorecardProtocol,
    };
  }

  /** Applies settings from `settings()` (unknown ids and ill-typed values are ignored). */
  applySettings(input: unknown): void {
    const s = input as Partial<ScorecardSettings> | null | undefined;
    if (!s || typeof s !== 'object') return;
    if (Array.isArray(s.stakeholders)) {
      const byId = new Map(s.stakeholders.filter((x) => x && typeof x === 'object').map((x) => [x.id, x]));
      this.stakeholders = this.stakeholders.map((p) => {
        const x = byId.get(p.id);
        if (!x) return p;
        const limit = x.limit === null || (typeof x.limit === 'number' && Number.isFinite(x.limit)) ? x.limit : p.constraint.limit;
        return {
          ...p,
          constraint: { enabled: typeof x.enabled === 'boolean' ? x.enabled : p.constraint.enabled, limit },
          weight: typeof x.weight === 'number' && Number.isFinite(x.weight) && x.weight >= 0 ? x.weight : p.weight,
        };
      });
    }
    if (s.thresholdRule === 'value-optimal' || s.thresholdRule === '0.5') this.thresholdRule = s.thresholdRule;
    if (s.protocol && typeof s.protocol === 'object') {
      const cur = $state.snapshot(this.protocol) as ScorecardProtocol;
      for (const key of Object.keys(DEFAULT_PROTOCOL) as (keyof ScorecardProtocol)[]) {
        const v = (s.protocol as Partial<ScorecardProtocol>)[key];
        if (typeof v === 'number' && Number.isFinite(v) && v > 0) cur[key] = v;
      }
      this.protocol = cur;
    }
  }

  /** Shows the rows where the models' predicted labels disagree in the Predictions tab. */
  showDisagreements(): void {
    const d = this.disagreement;
    if (!d) return;
    this.#session.rowSubset = { label: `rows where ${this.candidates.map((c) => c.name).join(', ')} disagree`, rows: d.rows };
    this.#session.ui.show('predictions');
  }

  /** The report's `scorecard` section (null with fewer than one scored model). */
  report() {
    const f = this.figures;
    if (!f.length) return null;
    const name = (i: number) => f[i]?.candidate.name ?? String(i);
    const dis = this.disagreement;
    return {
      metric: { name: this.metric.name, higherIsBetter: this.metric.higherIsBetter },
      stakeholders: this.people.map((s) => ({ id: s.id, role: s.role, objective: s.objective, constraint: { enabled: s.constraint.enabled, limit: s.constraint.limit }, weight: s.weight })),
      candidates: f.map((x) => ({
        name: x.candidate.name,
        fileName: x.candidate.fileName,
        family: x.candidate.facts.family,
        sizeBytes: x.candidate.facts.sizeBytes,
        parameters: x.candidate.facts.parameters,
        ops: x.candidate.facts.ops,
        opTypes: x.candidate.facts.opTypes,
        featuresUsed: x.features.count,
        metric: { value: x.metric.value, low: x.metric.low, high: x.metric.high },
        latency: x.latency ? { p50Ms: x.latency.p50Ms, p95Ms: x.latency.p95Ms, bestThroughput: x.latency.bestThroughput, bestBatch: x.latency.bestBatch, budgetMs: x.latency.budgetMs } : null,
        fairnessGap: x.fairness?.value ?? null,
        expectedValue: x.expectedValue?.value ?? null,
        passes: x.verdict.passes,
        failed: x.verdict.failed,
        score: x.score,
      })),
      pareto: this.front.map(name),
      disagreement: dis ? { rows: dis.rows.length, rate: dis.rate, pairs: dis.pairs.map((p) => ({ a: name(p.a), b: name(p.b), rows: p.rows })) } : null,
      complexity: this.complexity.map((c) => ({ simple: c.simple, complex: c.complex, difference: c.difference, low: c.low, high: c.high, justified: c.justified, sentence: c.sentence })),
      thresholdRule: this.thresholdRule,
      bootstrap: SCORECARD_BOOTSTRAP,
      latencyProtocol: { ...($state.snapshot(this.protocol) as ScorecardProtocol), backend: 'wasm, 1 thread', sources: Object.fromEntries(f.map((x) => [x.candidate.name, x.latencySource])) },
    };
  }
}
