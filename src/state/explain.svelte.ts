/**
 * State of the Explanations view: the explainer setup (class, output space, background, seed), one
 * row's explanation with what-if edits, and the global jobs (permutation importance, SHAP summary,
 * partial dependence, counterfactuals). Every computation runs in the engine worker through
 * `session.explainJob`; this class keeps settings, results and the cost estimates shown before a job.
 */
import type { LoupeSession } from './session.svelte';
import type { Mapping } from '../lib/model/types';
import {
  estimateCounterfactualCalls,
  estimateKernelShapCalls,
  estimatePdp2dCalls,
  estimatePdpCalls,
  estimatePermutationCalls,
  rowCells,
  shapSummary,
  type Attributions,
  type CellValue,
  type CounterfactualTarget,
  type Edits,
  type FeatureDomain,
} from '../lib/analysis/explain';
import type {
  CounterfactualOut,
  ExplainSetupInfo,
  ExplainSetupRequest,
  GlobalShapResult,
  LocalExplanation,
  Pdp2dOut,
  PdpOut,
  PermutationMetric,
  PermutationOut,
} from '../workers/explain-jobs';
import { WorkerFigure } from './worker-figure.svelte';

export type { LocalExplanation, PermutationOut, PdpOut, Pdp2dOut, CounterfactualOut, GlobalShapResult, ExplainSetupInfo };

/** A cost shown before a job starts: model rows and the time they take at the measured speed. */
export interface Cost {
  calls: number;
  /** Seconds, or null when no scoring run measured the speed yet. */
  seconds: number | null;
}

export interface ExplainSettings {
  classIndex: number;
  space: 'probability' | 'log-odds';
  backgroundKind: 'sample' | 'kmeans';
  backgroundSize: number;
  samples: number;
  seed: number;
  forceKernel: boolean;
}

export class ExplainState {
  #session: LoupeSession;

  settings = $state<ExplainSettings>({ classIndex: -1, space: 'log-odds', backgroundKind: 'kmeans', backgroundSize: 20, samples: 256, seed: 1, forceKernel: false });
  info = $state.raw<ExplainSetupInfo | null>(null);

  /** The explained row (index into the data table) and its edits. */
  row = $state(0);
  edits = $state<Edits>({});
  local = $state.raw<LocalExplanation | null>(null);
  /** The unedited row's explanation (the what-if baseline). */
  original = $state.raw<LocalExplanation | null>(null);
  /** Page round trip of the last what-if update, milliseconds. */
  lastMs = $state<number | null>(null);
  busy = $state(false);

  permutationSettings = $state({ metric: 'auc' as PermutationMetric, repeats: 5, maxRows: 1000 });
  permutation = $state.raw<PermutationOut | null>(null);
  shapSettings = $state({ sampleRows: 50 });
  shap = $state.raw<GlobalShapResult | null>(null);
  pdpSettings = $state({ feature: '', feature2: '', gridSize: 20, sampleRows: 200 });
  pdp = $state.raw<PdpOut | null>(null);
  pdp2d = $state.raw<Pdp2dOut | null>(null);
  cfSettings = $state({ features: [] as string[], target: 'flip' as 'flip' | 'score', value: 0.5, count: 5, maxCalls: 20000 });
  cf = $state.raw<CounterfactualOut | null>(null);
  /** The row the counterfactuals were found for. */
  cfRow = $state(0);

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  /** Whether the view has anything to show for what is loaded. */
  get applies(): boolean {
    return !!this.#session.model;
  }

  /** Ready to explain: scored data with a mapping. */
  readonly ready = $derived.by(() => !!this.#session.model && !!this.#session.data && !!this.#session.scoredMapping && !!this.#session.scoring);
  readonly mapping = $derived.by(() => this.#session.scoredMapping);
  readonly task = $derived(this.mapping?.task ?? null);
  readonly features = $derived(this.mapping ? [...new Set(this.mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c))] : []);
  // Sorting every numeric feature takes about a second at a million rows: done in the engine worker.
  #domains = new WorkerFigure<FeatureDomain[]>();
  readonly domains: FeatureDomain[] = $derived.by(() => {
    const d = this.#session.data, f = this.features;
    if (!d || !f.length) return [];
    return this.#domains.read(d.table, f, () => this.#session.call((api) => api.featureDomains(d.id, f))) ?? [];
  });
  readonly nRows = $derived.by(() => this.#session.data?.table.nRows ?? 0);
  /** The explained class (binary: the positive class unless chosen). */
  readonly classIndex = $derived(this.mapping && this.mapping.task !== 'regression' ? (this.settings.classIndex >= 0 && this.settings.classIndex < this.mapping.classes.length ? this.settings.classIndex : this.mapping.positiveClass) : 0);
  readonly className = $derived(this.mapping && this.mapping.task !== 'regression' ? this.mapping.classes[this.classIndex] : null);
  /** Measured milliseconds per model row, from the last scoring run. */
  readonly msPerRow = $derived.by(() => {
    const s = this.#session.scoring;
    return s && s.scored > 0 ? s.inferenceMs / s.scored : null;
  });

  /** The row's cells with edits applied, for the what-if form. */
  readonly cells: Record<string, CellValue> = $derived.by(() => {
    const d = this.#session.data;
    if (!d || this.row >= d.table.nRows) return {};
    return { ...rowCells(d.table, this.row, this.features), ...this.edits };
  });

  readonly summary = $derived.by(() => this.shap && this.#session.data ? shapSummary(this.shap as Attributions, this.#session.data.table) : null);

  cost(calls: number): Cost {
    return { calls, seconds: this.msPerRow === null ? null : (calls * this.msPerRow) / 1000 };
  }

  readonly localCost = $derived(
    this.info?.method === 'kernel' ? this.cost(estimateKernelShapCalls(this.features.length, this.info.backgroundRows, { samples: this.settings.samples })) : this.cost(1),
  );
  readonly shapCost = $derived.by(() => {
    const rows = Math.min(this.nRows, this.shapSettings.sampleRows);
    if (!this.info || this.info.method !== 'kernel') return this.cost(0);
    return this.cost(estimateKernelShapCalls(this.features.length, this.info.backgroundRows, { rows, samples: this.settings.samples }));
  });
  readonly permutationCost = $derived(this.cost(estimatePermutationCalls(this.nRows, this.features.length, { repeats: this.permutationSettings.repeats, maxRows: this.permutationSettings.maxRows })));
  readonly pdpCost = $derived.by(() => {
    const d = this.#session.data;
    const f = this.pdpSettings.feature;
    if (!d || !this.features.includes(f)) return null;
    return this.cost(estimatePdpCalls(d.table, f, { gridSize: this.pdpSettings.gridSize, sampleRows: this.pdpSettings.sampleRows }));
  });
  readonly pdp2dCost = $derived.by(() => {
    const d = this.#session.data;
    const { feature: a, feature2: b } = this.pdpSettings;
    if (!d || !this.features.includes(a) || !this.features.includes(b) || a === b) return null;
    return this.cost(estimatePdp2dCalls(d.table, [a, b], { gridSize: 10, sampleRows: 100 }));
  });
  readonly cfCost = $derived(this.cost(estimateCounterfactualCalls({ maxCalls: this.cfSettings.maxCalls })));

  #request(): ExplainSetupRequest | null {
    const s = this.#session;
    if (!s.model || !s.data || !this.mapping) return null;
    return {
      modelId: s.model.id,
      datasetId: s.data.id,
      mapping: this.mapping as Mapping,
      classIndex: this.classIndex,
      space: this.settings.space,
      background: { kind: this.settings.backgroundKind, size: this.settings.backgroundSize },
      samples: this.settings.samples,
      seed: this.settings.seed,
      forceKernel: this.settings.forceKernel,
    };
  }

  /** Sets the worker up for the current model, data and settings (graph read, background built) when they changed. */
  async ensureSetup(): Promise<ExplainSetupInfo | null> {
    const req = this.#request();
    if (!req) return null;
    const key = JSON.stringify(req);
    if (this.info?.key === key) return this.info;
    const bytes = this.#session.model!.bytes.slice(0);
    const info = await this.#session.explainJob('explain-setup', (api) => api.explainSetup(req, bytes), null);
    if (info) {
      this.info = info;
      this.local = null;
      this.original = null;
      this.shap = null;
    }
    return info;
  }

  /** Explains `row` afresh (edits cleared). */
  async openRow(row: number): Promise<void> {
    this.row = Math.max(0, Math.min(this.nRows - 1, Math.floor(row)));
    this.edits = {};
    this.original = null;
    await this.update();
  }

  #pending = false;

  /** Re-predicts and re-explains the row with its edits; coalesces edits that arrive meanwhile. */
  async update(): Promise<void> {
    if (this.busy) {
      this.#pending = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.#pending = false;
        const info = await this.ensureSetup();
        if (!info) return;
        const edits = $state.snapshot(this.edits) as Edits;
        const row = this.row;
        const t0 = performance.now();
        const r = await this.#session.explainJob('explain-row', (api) => api.explainRow(info.key, row, edits), null);
        if (!r) return;
        this.lastMs = performance.now() - t0;
        this.local = r;
        if (Object.keys(edits).length === 0) this.original = r;
      } while (this.#pending);
    } finally {
      this.busy = false;
    }
  }

  /** Sets one cell of the what-if row (null = missing) and updates. */
  edit(column: string, value: CellValue): void {
    this.edits = { ...this.edits, [column]: value };
    void this.update();
  }

  resetEdits(): void {
    this.edits = {};
    void this.update();
  }

  /** y for permutation importance: 1/0 (binary positive), class index (multiclass), value (regression); NaN unknown. */
  #targets(): Float64Array | null {
    const o = this.#session.outcomes, m = this.mapping;
    if (!o || !m || !m.target) return null;
    if (m.task === 'regression') return Float64Array.from(o.actualValue);
    return Float64Array.from(o.actual, (a) => (a < 0 ? NaN : m.task === 'binary' ? (a === this.classIndex ? 1 : 0) : a));
  }

  readonly metrics = $derived<PermutationMetric[]>(this.task === 'binary' ? ['auc', 'accuracy'] : this.task === 'multiclass' ? ['accuracy'] : ['mae']);

  async runPermutation(): Promise<void> {
    const info = await this.ensureSetup();
    const y = this.#targets();
    if (!info) return;
    if (!y) {
      this.#session.error('Permutation importance needs a target column: choose one in the mapping.');
      return;
    }
    const metric = this.metrics.includes(this.permutationSettings.metric) ? this.permutationSettings.metric : this.metrics[0];
    const { repeats, maxRows } = this.permutationSettings;
    const c = this.permutationCost;
    const r = await this.#session.explainJob('explain-permutation', (api, id, p) => api.explainPermutation(id, info.key, y, metric, repeats, maxRows, p), `Permutation importance (${metric}, ${repeats} repeats)`, c.calls);
    if (r) this.permutation = r;
  }

  async runShap(): Promise<void> {
    const info = await this.ensureSetup();
    if (!info) return;
    const rows = Math.min(this.nRows, this.shapSettings.sampleRows);
    const total = info.method === 'kernel' ? this.shapCost.calls : rows;
    const r = await this.#session.explainJob('explain-shap', (api, id, p) => api.explainGlobal(id, info.key, rows, p), `SHAP summary of ${rows} rows`, total);
    if (r) this.shap = r;
  }

  async runPdp(): Promise<void> {
    const info = await this.ensureSetup();
    const { feature, gridSize, sampleRows } = this.pdpSettings;
    if (!info || !this.pdpCost) return;
    const r = await this.#session.explainJob('explain-pdp', (api, id, p) => api.explainPdp(id, info.key, feature, gridSize, sampleRows, p), `Partial dependence on ${feature}`, this.pdpCost.calls);
    if (r) this.pdp = r;
  }

  async runPdp2d(): Promise<void> {
    const info = await this.ensureSetup();
    const { feature: a, feature2: b } = this.pdpSettings;
    if (!info || !this.pdp2dCost) return;
    const r = await this.#session.explainJob('explain-pdp2d', (api, id, p) => api.explainPdp2d(id, info.key, [a, b], 10, 100, p), `Partial dependence on ${a} × ${b}`, this.pdp2dCost.calls);
    if (r) this.pdp2d = r;
  }

  /** The default decision threshold: 0.5 for a probability, the row's own score for a regression. */
  async runCounterfactuals(): Promise<void> {
    const info = await this.ensureSetup();
    if (!info) return;
    const features = this.cfSettings.features.filter((f) => this.features.includes(f));
    if (features.length === 0) {
      this.#session.error('Let at least one feature vary to search for counterfactuals.');
      return;
    }
    const target: CounterfactualTarget = this.cfSettings.target === 'flip' && this.task !== 'regression' ? { kind: 'flip', threshold: 0.5 } : { kind: 'score', value: this.cfSettings.value };
    const row = this.row;
    const { count, maxCalls } = this.cfSettings;
    const r = await this.#session.explainJob('explain-cf', (api, id, p) => api.explainCounterfactuals(id, info.key, row, features, target, count, maxCalls, p), `Counterfactuals for row ${row + 1}`, maxCalls);
    if (r) {
      this.cf = r;
      this.cfRow = row;
    }
  }

  /** This view's section of the report JSON (documented in docs/report.md); null when empty. */
  report(): unknown {
    const info = this.info;
    if (!info) return null;
    const byFeature = (features: string[], phi: ArrayLike<number>) => Object.fromEntries(features.map((f, j) => [f, phi[j]]));
    const l = this.local;
    return {
      setup: {
        method: info.method,
        reason: info.reason,
        space: info.space,
        explainedClass: this.className,
        background: { kind: this.settings.backgroundKind, rows: info.backgroundRows },
        kernelSamples: this.settings.samples,
        seed: this.settings.seed,
        msPerModelRow: this.msPerRow,
      },
      local: l
        ? {
            row: this.row,
            edits: $state.snapshot(this.edits),
            method: l.method,
            space: l.space,
            base: l.base,
            output: l.output,
            prediction: l.prediction,
            additivityError: l.additivityError,
            attributions: byFeature(l.features, l.phi),
            modelRows: l.calls,
            workerMs: l.ms,
            roundTripMs: this.lastMs,
          }
        : null,
      permutation: this.permutation,
      shapSummary:
        this.shap && this.summary
          ? {
              method: this.shap.method,
              space: this.shap.space,
              rows: this.shap.rows.length,
              base: this.shap.base,
              additivityError: this.shap.additivityError,
              modelRows: this.shap.calls,
              meanAbs: Object.fromEntries(this.summary.map((s) => [s.feature, s.meanAbs])),
            }
          : null,
      partialDependence: this.pdp ? { feature: this.pdp.feature, kind: this.pdp.kind, space: this.pdp.space, grid: this.pdp.grid, mean: Array.from(this.pdp.mean), iceRows: this.pdp.rows, modelRows: this.pdp.calls } : null,
      partialDependence2d: this.pdp2d ? { features: this.pdp2d.features, grids: this.pdp2d.grids, values: Array.from(this.pdp2d.values), rows: this.pdp2d.rows, modelRows: this.pdp2d.calls } : null,
      counterfactuals: this.cf ? { row: this.cfRow, ...this.cf } : null,
    };
  }
}
