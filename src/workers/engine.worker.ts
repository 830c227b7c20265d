/**
 * Loupe's one worker: it owns parsed tables and model sessions, and does every long job (parsing,
 * scoring) off the main thread. The UI imports only `type EngineApi` and talks to it through
 * `engine-bridge.ts`. Large arrays come back as transferables.
 */
import * as Comlink from 'comlink';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { parseCsv } from '../lib/data/csv';
import type { ParseReport, Table } from '../lib/data/table';
import type { DataSummary } from '../lib/analysis/data-summary';
import { tableBuffers, takeRows } from '../lib/data/table';
import { buildFeeds, type FeedData } from '../lib/model/feeds';
import { decodeOutputs, outputFetches } from '../lib/model/outputs';
import { exclusive, yieldToEvents } from './run-queue';
import type { Mapping, ModelCard, Predictions, PreparedModel } from '../lib/model/types';
import { prepareModel } from '../lib/model/zipmap';
import { explainOrtError } from '../lib/model/ort-errors';
import * as explain from './explain-jobs';
import * as analysis from './analysis-jobs';
import { sortRows } from '../lib/analysis/predictions';
import { featureDomains, type FeatureDomain } from '../lib/analysis/explain';
import type { OutcomeValues, ValueCurve } from '../lib/analysis/quality';
import type { CounterfactualTarget, Edits } from '../lib/analysis/explain';
import { loadOrt, probeWebGpu, setWasmThreads, wasmThreadCount, type Backend, type BackendEnv, type OrtModule } from './ort-backend';

/** Progress of a long job: `done` of `total` units (bytes or rows). */
export type ProgressFn = (done: number, total: number) => void;

export interface OpenedModel {
  card: ModelCard;
  notices: string[];
  backend: Backend;
  /** Milliseconds to create the session (parse + optimise + allocate). */
  sessionMs: number;
}

export interface ScoreRequest {
  jobId: string;
  modelId: string;
  datasetId: string;
  mapping: Mapping;
  /** Rows per `session.run`; clamped to the model's fixed batch dimension when it has one. */
  batchSize?: number;
}

export interface ScoreResult extends Predictions {
  /** Milliseconds spent inside `session.run`, summed over batches. */
  inferenceMs: number;
  /** Wall milliseconds for the whole job inside the worker. */
  totalMs: number;
  batchSize: number;
  backend: Backend;
  cancelled: boolean;
}

interface LoadedModel {
  session: InferenceSession;
  ort: OrtModule;
  card: ModelCard;
  backend: Backend;
}

/** Timings of a model's first use in a fresh worker. */
export interface ColdStart {
  /** Loading and compiling onnxruntime-web's wasm (zero when it was already loaded). */
  ortLoadMs: number;
  /** Reading the ONNX bytes (model card, ZipMap rewrite). */
  prepareMs: number;
  /** `InferenceSession.create`. */
  sessionMs: number;
  /** The first `session.run` on one row. */
  firstRunMs: number;
  backend: Backend;
  threads: number;
  notices: string[];
}

/** Feeds prepared once for repeated timed runs of one batch size. */
interface Bench {
  modelId: string;
  feeds: Record<string, Tensor>;
  fetches: string[];
  rows: number;
}

const tables = new Map<string, Table>();
const benches = new Map<string, Bench>();
const models = new Map<string, LoadedModel>();
const cancelled = new Set<string>();


function tableOf(datasetId: string): Table {
  const t = tables.get(datasetId);
  if (!t) throw new Error('No CSV data is loaded.');
  return t;
}

function toTensor(ort: OrtModule, f: FeedData): Tensor {
  return new ort.Tensor(f.type, f.data as never, f.dims);
}

/** A fixed (numeric) leading dimension on any input forces the batch size (e.g. exports with [1, F]). */
function fixedBatch(card: ModelCard): number | null {
  for (const input of card.inputs) {
    const d0 = input.shape?.[0];
    if (typeof d0 === 'number' && d0 > 0) return d0;
  }
  return null;
}

const api = {
  /** What this browser offers: isolation, threads, WebGPU adapter, ort version. */
  async env(): Promise<BackendEnv> {
    const ort = await loadOrt('wasm');
    return {
      crossOriginIsolated: self.crossOriginIsolated,
      hardwareConcurrency: self.navigator.hardwareConcurrency || 1,
      wasmThreads: wasmThreadCount(),
      webgpu: await probeWebGpu(),
      ortVersion: ort.env.versions.web ?? ort.env.versions.common ?? 'unknown',
    };
  },

  /** Parses a CSV file (streaming) and keeps the table under `datasetId`; returns a copy to the page. */
  async parseCsv(
    jobId: string,
    datasetId: string,
    source: Blob,
    fileName: string,
    onProgress?: ProgressFn,
  ): Promise<{ table: Table; report: ParseReport; summary: DataSummary }> {
    const signal = { get aborted() { return cancelled.has(jobId); } };
    try {
      const { table, report } = await parseCsv(source, { fileName, onProgress, signal });
      tables.set(datasetId, table);
      // Summarising sorts every numeric column: here, not on the page.
      const summary = analysis.tableSummary(table);
      // The worker keeps its table for scoring; the page gets its own copy, moved not cloned twice.
      const copy = structuredClone(table);
      return Comlink.transfer({ table: copy, report, summary }, tableBuffers(copy));
    } finally {
      cancelled.delete(jobId);
    }
  },

  /** Keeps a table the page already holds (after a worker restart, when the file is gone). */
  adoptTable(datasetId: string, table: Table): void {
    tables.set(datasetId, table);
  },

  dropDataset(datasetId: string): void {
    tables.delete(datasetId);
  },

  /**
   * Reads the ONNX bytes (model card, ZipMap rewrite) and creates an inference session. Throws a
   * user-facing Error when the file is not a model Loupe can run; nothing already loaded is touched.
   */
  async openModel(modelId: string, bytes: ArrayBuffer, fileName: string, backend: Backend): Promise<OpenedModel> {
    return openPrepared(modelId, prepareModel(new Uint8Array(bytes), fileName), backend);
  },

  async dropModel(modelId: string): Promise<void> {
    const m = models.get(modelId);
    models.delete(modelId);
    if (m) await m.session.release();
  },


  /** Scores every row of a dataset in batches, reporting rows done; cancel keeps the rows scored so far. */
  async score(req: ScoreRequest, onProgress?: ProgressFn): Promise<ScoreResult> {
    const model = models.get(req.modelId);
    const table = tables.get(req.datasetId);
    if (!model) throw new Error('No model is loaded.');
    if (!table) throw new Error('No CSV data is loaded.');
    const { mapping } = req;
    const n = table.nRows;
    const fixed = fixedBatch(model.card);
    const batchSize = fixed ?? Math.max(1, req.batchSize ?? 1024);
    const fetches = outputFetches(mapping.outputs);
    if (fetches.length === 0) throw new Error('The mapping names no model output to read.');
    const C = mapping.task === 'regression' ? 1 : mapping.classes.length;
    const scores = new Float32Array(n * C);
    const labels = new Int32Array(mapping.task === 'regression' ? 0 : n).fill(-1);
    const t0 = performance.now();
    let inferenceMs = 0;
    let scored = 0;
    let lastReport = 0;
    try {
      for (let start = 0; start < n; start += batchSize) {
        if (cancelled.has(req.jobId)) break;
        const end = Math.min(n, start + batchSize);
        const feeds: Record<string, Tensor> = {};
        for (const f of buildFeeds(table, mapping.bindings, start, end)) feeds[f.name] = toTensor(model.ort, f);
        const r0 = performance.now();
        let out: InferenceSession.ReturnType;
        try {
          out = await exclusive(() => model.session.run(feeds, fetches));
        } catch (e) {
          const rows = end - start === 1 ? `row ${end.toLocaleString('en-US')}` : `rows ${(start + 1).toLocaleString('en-US')}-${end.toLocaleString('en-US')}`;
          throw new Error(`The model failed on ${rows}: ${describeOrtError(e)}`);
        }
        inferenceMs += performance.now() - r0;
        const decoded = decodeOutputs(out, mapping.outputs, mapping, end - start);
        scores.set(decoded.scores, start * C);
        if (labels.length) labels.set(decoded.labels, start);
        for (const t of Object.values(out)) t.dispose();
        scored = end;
        const now = performance.now();
        if (onProgress && (now - lastReport > 50 || end === n)) {
          lastReport = now;
          onProgress(scored, n);
        }
        if (end < n) await yieldToEvents();
      }
    } finally {
      cancelled.delete(req.jobId);
    }
    const result: ScoreResult = {
      n,
      task: mapping.task,
      classes: mapping.classes,
      scores,
      labels,
      scored,
      inferenceMs,
      totalMs: performance.now() - t0,
      batchSize,
      backend: model.backend,
      cancelled: scored < n,
    };
    return Comlink.transfer(result, [scores.buffer, labels.buffer]);
  },

  /**
   * Fixes this worker's wasm thread count; call before anything loads onnxruntime-web. Used by the
   * latency lab, which compares 1 thread with N threads in separate workers.
   */
  configure(opts: { wasmThreads: number | null }): void {
    setWasmThreads(opts.wasmThreads);
  },

  /** Consecutive `performance.now()` readings in this worker, to estimate the timer's resolution. */
  timerReadings(count: number): Float64Array {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = performance.now();
    return Comlink.transfer(out, [out.buffer]);
  },

  /**
   * Opens a model in this (fresh) worker and times each step of a cold start, the first inference
   * included (on the first row of `datasetId`).
   */
  async coldStart(modelId: string, bytes: ArrayBuffer, fileName: string, backend: Backend, datasetId: string, mapping: Mapping): Promise<ColdStart> {
    const l0 = performance.now();
    await loadOrt(backend === 'webgpu' ? 'webgpu' : 'wasm');
    const ortLoadMs = performance.now() - l0;
    const p0 = performance.now();
    const prepared = prepareModel(new Uint8Array(bytes), fileName);
    const prepareMs = performance.now() - p0;
    const opened = await openPrepared(modelId, prepared, backend);
    const bench = await api.benchPrepare('cold', modelId, datasetId, mapping, 1);
    const r0 = performance.now();
    await models.get(modelId)!.session.run(benches.get('cold')!.feeds, bench.fetches);
    const firstRunMs = performance.now() - r0;
    benches.delete('cold');
    return { ortLoadMs, prepareMs, sessionMs: opened.sessionMs, firstRunMs, backend: opened.backend, threads: wasmThreadCount(), notices: opened.notices };
  },

  /** Builds and keeps the feeds for `rows` rows (cycling through the table) of one batch size. */
  async benchPrepare(benchId: string, modelId: string, datasetId: string, mapping: Mapping, rows: number): Promise<{ rows: number; fetches: string[] }> {
    const model = models.get(modelId);
    const table = tables.get(datasetId);
    if (!model) throw new Error('No model is loaded.');
    if (!table || table.nRows === 0) throw new Error('No rows to time with.');
    const fixed = fixedBatch(model.card);
    const n = fixed ?? rows;
    const source = table.nRows >= n ? table : takeRows(table, Uint32Array.from({ length: n }, (_, i) => i % table.nRows));
    const feeds: Record<string, Tensor> = {};
    for (const f of buildFeeds(source, mapping.bindings, 0, n)) feeds[f.name] = toTensor(model.ort, f);
    const fetches = outputFetches(mapping.outputs);
    for (const t of Object.values(benches.get(benchId)?.feeds ?? {})) t.dispose();
    benches.set(benchId, { modelId, feeds, fetches, rows: n });
    return { rows: n, fetches };
  },

  /**
   * Runs the prepared batch `loops` times back to back and returns the milliseconds inside
   * `session.run`, summed (the caller divides by `loops`).
   */
  async benchRun(benchId: string, loops: number): Promise<number> {
    const bench = benches.get(benchId);
    if (!bench) throw new Error('Nothing prepared to time.');
    const session = models.get(bench.modelId)!.session;
    let total = 0;
    for (let i = 0; i < loops; i++) {
      const t0 = performance.now();
      const out = await session.run(bench.feeds, bench.fetches);
      total += performance.now() - t0;
      for (const t of Object.values(out)) t.dispose();
    }
    return total;
  },

  /**
   * Explanations (see `explain-jobs.ts`): reads the graph's tree/linear head from `modelBytes` and builds
   * the background once; every later explain call names the returned key.
   */
  explainSetup(req: explain.ExplainSetupRequest, modelBytes: ArrayBuffer | null): explain.ExplainSetupInfo {
    const model = models.get(req.modelId);
    const table = tables.get(req.datasetId);
    if (!model) throw new Error('No model is loaded.');
    if (!table) throw new Error('No CSV data is loaded.');
    return explain.setup(model, table, req, modelBytes);
  },

  /** Predicts and explains one (edited) row: the what-if path, no job id. */
  explainRow(key: string, row: number, edits: Edits): Promise<explain.LocalExplanation> {
    return explain.explainRow(key, row, edits);
  },

  async explainGlobal(jobId: string, key: string, sampleRows: number, onProgress?: ProgressFn): Promise<explain.GlobalShapResult> {
    return explainJob(jobId, (signal) => explain.globalShap(key, sampleRows, signal, onProgress));
  },

  async explainPermutation(jobId: string, key: string, y: Float64Array, metric: explain.PermutationMetric, repeats: number, maxRows: number, onProgress?: ProgressFn): Promise<explain.PermutationOut> {
    return explainJob(jobId, (signal) => explain.permutation(key, y, metric, repeats, maxRows, signal, onProgress));
  },

  async explainPdp(jobId: string, key: string, feature: string, gridSize: number, sampleRows: number, onProgress?: ProgressFn): Promise<explain.PdpOut> {
    return explainJob(jobId, (signal) => explain.pdp(key, feature, gridSize, sampleRows, signal, onProgress));
  },

  async explainPdp2d(jobId: string, key: string, features: [string, string], gridSize: number, sampleRows: number, onProgress?: ProgressFn): Promise<explain.Pdp2dOut> {
    return explainJob(jobId, (signal) => explain.pdp2d(key, features, gridSize, sampleRows, signal, onProgress));
  },

  async explainCounterfactuals(jobId: string, key: string, row: number, features: string[], target: CounterfactualTarget, count: number, maxCalls: number, onProgress?: ProgressFn): Promise<explain.CounterfactualOut> {
    return explainJob(jobId, (signal) => explain.findCounterfactuals(key, row, features, target, count, maxCalls, signal, onProgress));
  },

  /**
   * Keeps a run's per-row vectors (`QualityInput`) under `key`, so the analysis calls that follow name
   * them instead of copying megabytes per call; a call naming a key this worker lacks (evicted, or a
   * restarted worker) fails with `VECTORS_MISSING` and the page sends them again.
   */
  /** Keeps a scorecard candidate's rows for later `scorecardFigures` calls (sent once per run). */
  keepScorecardRows(key: string, rows: analysis.ScorecardRows): void {
    analysis.keepScorecardRows(key, rows);
  },

  /** The scorecard's per-candidate metric, expected value and fairness gap, paired bootstraps and disagreement. */
  scorecardFigures(datasetId: string, req: analysis.ScorecardRequest): analysis.ScorecardFigures {
    const r = analysis.scorecardFigures(tableOf(datasetId), req);
    return r.disagreement ? Comlink.transfer(r, [r.disagreement.rows.buffer as ArrayBuffer]) : r;
  },

  keepVectors(key: string, input: analysis.QualityInput): void {
    analysis.keepVectors(key, input);
  },

  /** The data panel's column summary of a kept table (sorts every numeric column: a page-blocking step at 1M rows). */
  summarize(datasetId: string): ReturnType<typeof analysis.tableSummary> {
    return analysis.tableSummary(tableOf(datasetId));
  },

  /** Quality curves, threshold table and calibration (or the multiclass / regression figures); the table's arrays are transferred. */
  qualityFigures(ref: analysis.InputRef, calibration: { bins: number; strategy: 'uniform' | 'quantile' }): analysis.QualityFiguresResult {
    const r = analysis.qualityFigures(analysis.resolveInput(ref), calibration);
    const t = r.binary?.table;
    return t ? Comlink.transfer(r, [t.scores.buffer, t.tp.buffer, t.fp.buffer] as ArrayBuffer[]) : r;
  },

  /** Bootstrap intervals of the headline quality metrics. */
  qualityIntervals(ref: analysis.InputRef, threshold: number, opts: { resamples: number; seed: number; maxRows: number }): ReturnType<typeof analysis.qualityIntervals> {
    return analysis.qualityIntervals(analysis.resolveInput(ref), threshold, opts);
  },

  /** Error tree and heatmap over a kept table and the run's per-row errors. */
  errorAnalysis(datasetId: string, ref: analysis.InputRef, req: analysis.ErrorAnalysisRequest): ReturnType<typeof analysis.errorAnalysis> {
    return analysis.errorAnalysis(tableOf(datasetId), analysis.resolveInput(ref), req);
  },

  /** A slice of a kept table against the rest. */
  sliceFigures(datasetId: string, ref: analysis.InputRef, threshold: number, filters: Parameters<typeof analysis.sliceFigures>[3]): ReturnType<typeof analysis.sliceFigures> {
    return analysis.sliceFigures(tableOf(datasetId), analysis.resolveInput(ref), threshold, filters);
  },

  /** Every fairness figure of the focused partition of a kept table. */
  fairnessFigures(datasetId: string, req: analysis.FairnessRequest): analysis.FairnessFigures {
    const r = analysis.fairnessFigures(tableOf(datasetId), req);
    return Comlink.transfer(r, r.groupings.list.map((g) => g.rowGroup.buffer as ArrayBuffer));
  },

  /** Column profiles, row problems, duplicates and constant columns of a kept table. */
  dataQualityFigures(datasetId: string, req: analysis.DataQualityRequest): analysis.DataQualityFigures {
    return analysis.dataQualityFigures(tableOf(datasetId), req);
  },

  /** The model output's drift and every headline metric's change between the reference and the current run. */
  currentComparison(req: analysis.CurrentComparisonRequest): analysis.CurrentComparison {
    return analysis.currentComparison(req);
  },

  /** Feature drift between two kept tables. */
  driftFigures(referenceId: string, currentId: string, features: string[]): ReturnType<typeof analysis.driftFigures> {
    return analysis.driftFigures(tableOf(referenceId), tableOf(currentId), features);
  },

  /** The observed domain of each named column of a kept table (the what-if form's ranges): sorts every numeric one. */
  featureDomains(datasetId: string, features: string[]): FeatureDomain[] {
    return featureDomains(tableOf(datasetId), features);
  },

  /** Expected value per row at every threshold of a binary run (its threshold table rebuilt and kept here). */
  valueCurve(ref: analysis.InputRef, values: OutcomeValues): ValueCurve {
    return analysis.valueCurve(analysis.resolveInput(ref), values);
  },

  /**
   * The predictions table's row order (`sortRows`) off the page: a million float32 keys take one
   * native 64-bit sort (~0.1-0.3 s). `PredictionsTable.svelte` sends sorts of more than 50,000 rows here.
   */
  sortRows(rows: Uint32Array, key: Float32Array | Float64Array, descending: boolean): Uint32Array {
    const order = sortRows(rows, key, descending);
    return Comlink.transfer(order, [order.buffer as ArrayBuffer]);
  },

  /** Asks a running job to stop at its next batch or chunk boundary. */
  cancel(jobId: string): void {
    cancelled.add(jobId);
  },

  /** Throws inside the worker: used by tests to check the page reports a broken worker and recovers. */
  crash(): void {
    setTimeout(() => {
      throw new Error('Deliberate worker crash (test hook)');
    });
  },
};

/** Runs an explain job with a cancel signal read from the job id, throttling progress to the page. */
async function explainJob<T>(jobId: string, run: (signal: { readonly aborted: boolean }) => Promise<T>): Promise<T> {
  const signal = { get aborted() { return cancelled.has(jobId); } };
  try {
    return await run(signal);
  } finally {
    cancelled.delete(jobId);
  }
}

/** Creates the session for an already prepared model (WebGPU falling back to wasm) and keeps it. */
async function openPrepared(modelId: string, prepared: PreparedModel, backend: Backend): Promise<OpenedModel> {
  const notices = [...prepared.notices];
  let used = backend;
  let opened: { session: InferenceSession; ort: OrtModule; ms: number };
  try {
    opened = await createSession(prepared.bytes, backend);
  } catch (e) {
    if (backend !== 'webgpu') throw new Error(`Loading the model on ${backend} failed: ${describeOrtError(e)}`);
    // The WebGPU build lacks some kernels (all of ai.onnx.ml); such models still run on wasm.
    try {
      opened = await createSession(prepared.bytes, 'wasm');
    } catch {
      throw new Error(`onnxruntime-web could not load this model on webgpu: ${describeOrtError(e)}`);
    }
    used = 'wasm';
    notices.push(`WebGPU cannot run this model (${webGpuReason(e)}); it runs on WebAssembly instead.`);
  }
  const old = models.get(modelId);
  models.set(modelId, { session: opened.session, ort: opened.ort, card: prepared.card, backend: used });
  if (old) void old.session.release();
  return { card: prepared.card, notices, backend: used, sessionMs: opened.ms };
}

async function createSession(bytes: Uint8Array, backend: Backend): Promise<{ session: InferenceSession; ort: OrtModule; ms: number }> {
  const ort = await loadOrt(backend);
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'],
    graphOptimizationLevel: 'all',
  });
  return { session, ort, ms: performance.now() - t0 };
}

/** Why the WebGPU build refused a model, in words: usually an op it has no kernel for. */
function webGpuReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const op = /No Op registered for (\w+) with domain_version of \d+/.exec(msg);
  if (op) return `onnxruntime-web's WebGPU build has no kernel for the ${op[1]} operator`;
  return describeOrtError(e);
}

function describeOrtError(e: unknown): string {
  return explainOrtError(e instanceof Error ? e.message : String(e));
}

export type EngineApi = typeof api;

Comlink.expose(api);
