/**
 * The latency lab: runs a readable, editable protocol on the loaded model in fresh workers, one per
 * backend (wasm 1 thread, wasm N threads, WebGPU), and keeps every raw sample. Two clocks per sample:
 * inside the worker around `session.run`, and the round trip seen from this page. Statistics are
 * derived by src/lib/analysis/latency.
 */
import { Engine } from '../workers/engine-bridge';
import type { ColdStart } from '../workers/engine.worker';
import type { Backend } from '../workers/ort-backend';
import type { LoupeSession } from './session.svelte';
import type { Mapping } from '../lib/model/types';
import type { Table } from '../lib/data/table';
import { takeRows } from '../lib/data/table';
import { syntheticData } from '../lib/model/synthetic';
import { createRng, sampleWithoutReplacement } from '../lib/analysis/random';
import { batchSizes, estimateTimerResolution, planTiming } from '../lib/analysis/latency';
import { latencyFigures, type LatencyFigures } from '../lib/analysis/latency-figures';

export type BackendChoice = 'wasm-1' | 'wasm-n' | 'webgpu';

export interface LatencySettings {
  warmup: number;
  runs: number;
  batch: number;
  /** Largest batch of the sweep (1, 2, 4, ... up to it). */
  sweepMax: number;
  /** Timed runs per batch size in the sweep. */
  sweepRuns: number;
  /** p95 latency budget for the sweep, ms. */
  budgetMs: number;
  backends: BackendChoice[];
  /** Rows drawn from the CSV (seeded sample) or synthetic rows of the right shape. */
  rows: 'csv' | 'synthetic';
  seed: number;
}

export const DEFAULT_LATENCY_SETTINGS: LatencySettings = {
  warmup: 10,
  runs: 200,
  batch: 1,
  sweepMax: 1024,
  sweepRuns: 30,
  budgetMs: 50,
  backends: ['wasm-1', 'wasm-n', 'webgpu'],
  rows: 'csv',
  seed: 42,
};

export interface SweepSamples {
  batch: number;
  /** In-worker ms per run of `batch` rows. */
  workerMs: Float64Array;
}

/** Everything measured for one backend; `reason` says why it could not run. */
export interface BackendRun {
  id: BackendChoice;
  label: string;
  available: boolean;
  reason: string | null;
  threads: number | null;
  adapter: string | null;
  cold: ColdStart | null;
  /** Runs timed back to back per sample (1 unless a run is shorter than a few timer ticks). */
  loops: number;
  loopNote: string;
  /** Worker clock resolution (ms). */
  workerResolutionMs: number | null;
  /** Per-run ms at `settings.batch`: in the worker around session.run, and the page's round trip. */
  workerMs: Float64Array | null;
  roundTripMs: Float64Array | null;
  sweep: SweepSamples[];
  error: string | null;
}

export interface LatencyEnvironment {
  pageResolutionMs: number | null;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  rowsSource: 'csv' | 'synthetic';
  rowsNote: string;
  /** Main-thread long tasks (> 50 ms) observed while measuring. */
  longTasksMs: number[];
  startedAt: string;
  finishedAt: string | null;
  cancelled: boolean;
}

const LABELS: Record<BackendChoice, string> = {
  'wasm-1': 'WebAssembly, 1 thread',
  'wasm-n': 'WebAssembly, N threads',
  webgpu: 'WebGPU',
};

export class LatencyLab {
  settings = $state<LatencySettings>({ ...DEFAULT_LATENCY_SETTINGS, backends: [...DEFAULT_LATENCY_SETTINGS.backends] });
  runs = $state.raw<BackendRun[]>([]);
  environment = $state.raw<LatencyEnvironment | null>(null);
  running = $state(false);
  progress = $state({ done: 0, total: 0, label: '' });
  /** The model the results belong to. */
  modelName = $state<string | null>(null);

  /** Every figure shown and exported, derived from the raw samples (the budget can change afterwards). */
  readonly figures: LatencyFigures | null = $derived(
    this.runs.length ? latencyFigures(this.runs, { budgetMs: this.settings.budgetMs, longTasksMs: this.environment?.longTasksMs ?? [], seed: this.settings.seed }) : null,
  );

  #session: LoupeSession;
  #cancel = false;
  #engines = new Set<Engine>();

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  cancel(): void {
    this.#cancel = true;
  }

  /** Steps the protocol will time, for the progress bar. */
  #steps(s: LatencySettings, backends: number): number {
    const sweep = batchSizes(s.sweepMax).length * (Math.min(3, s.warmup) + s.sweepRuns);
    return backends * (s.warmup + s.runs + sweep);
  }

  /** Rows to time with: a seeded sample of the CSV (mapped), or synthetic rows. */
  #rows(s: LatencySettings, rowsNeeded: number): { table: Table; mapping: Mapping; source: 'csv' | 'synthetic'; note: string } {
    const { model, data, mapping, canScore } = this.#session;
    if (s.rows === 'csv' && data && mapping && canScore) {
      const k = Math.min(data.table.nRows, rowsNeeded);
      const idx = sampleWithoutReplacement(createRng(s.seed), data.table.nRows, k);
      return {
        table: takeRows(data.table, idx),
        mapping: $state.snapshot(mapping) as Mapping,
        source: 'csv',
        note: `${k.toLocaleString()} rows drawn from ${data.fileName} (seed ${s.seed})${k < rowsNeeded ? `, repeated to fill larger batches` : ''}.`,
      };
    }
    const syn = syntheticData(model!.card, Math.min(rowsNeeded, 4096), s.seed);
    return {
      ...syn,
      source: 'synthetic',
      note: s.rows === 'csv' ? 'No usable CSV mapping: synthetic rows of the right shape (standard-normal numbers).' : 'Synthetic rows of the right shape (standard-normal numbers).',
    };
  }

  async run(): Promise<void> {
    const session = this.#session;
    const model = session.model;
    const env = session.env;
    if (!model || !env || this.running) return;
    const s = $state.snapshot(this.settings) as LatencySettings;
    this.#cancel = false;
    this.running = true;
    this.modelName = model.fileName;
    const longTasks: number[] = [];
    const observer = typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('longtask')
      ? new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)))
      : null;
    observer?.observe({ type: 'longtask', buffered: false });
    const rows = this.#rows(s, Math.max(s.batch, s.sweepMax));
    const readings = new Float64Array(4000);
    for (let i = 0; i < readings.length; i++) readings[i] = performance.now();
    const environment: LatencyEnvironment = {
      pageResolutionMs: estimateTimerResolution(readings).resolutionMs,
      crossOriginIsolated: env.crossOriginIsolated,
      hardwareConcurrency: env.hardwareConcurrency,
      rowsSource: rows.source,
      rowsNote: rows.note,
      longTasksMs: longTasks,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      cancelled: false,
    };
    this.environment = environment;
    const nThreads = Math.max(2, Math.min(4, env.hardwareConcurrency));
    const plan: BackendRun[] = s.backends.map((id) => {
      const base: BackendRun = {
        id, label: LABELS[id], available: true, reason: null, threads: null, adapter: null, cold: null, loops: 1, loopNote: '',
        workerResolutionMs: null, workerMs: null, roundTripMs: null, sweep: [], error: null,
      };
      if (id === 'wasm-n') {
        base.label = `WebAssembly, ${nThreads} threads`;
        if (!env.crossOriginIsolated) return { ...base, available: false, reason: 'the page is not cross-origin isolated (no COOP/COEP headers), so wasm cannot use threads' };
        if (env.hardwareConcurrency < 2) return { ...base, available: false, reason: 'this device reports a single core' };
      }
      if (id === 'webgpu') {
        if (!env.webgpu.available) return { ...base, available: false, reason: env.webgpu.reason ?? 'no WebGPU adapter' };
        base.adapter = env.webgpu.adapter;
      }
      return base;
    });
    this.runs = plan;
    const available = plan.filter((p) => p.available).length;
    this.progress = { done: 0, total: this.#steps(s, available), label: 'Starting' };
    try {
      for (let i = 0; i < plan.length; i++) {
        if (this.#cancel) break;
        if (!plan[i].available) continue;
        const result = await this.#measure(plan[i], s, rows, model.bytes, model.fileName, nThreads);
        plan[i] = result;
        this.runs = [...plan];
      }
    } finally {
      observer?.disconnect();
      for (const e of this.#engines) e.terminate();
      this.#engines.clear();
      this.environment = { ...environment, longTasksMs: [...longTasks], finishedAt: new Date().toISOString(), cancelled: this.#cancel };
      this.running = false;
    }
  }

  async #measure(
    p: BackendRun,
    s: LatencySettings,
    rows: { table: Table; mapping: Mapping },
    bytes: ArrayBuffer,
    fileName: string,
    nThreads: number,
  ): Promise<BackendRun> {
    return measureBackend(p, s, rows, bytes, fileName, nThreads, {
      cancelled: () => this.#cancel,
      step: (label) => (this.progress = { ...this.progress, done: this.progress.done + 1, label }),
      label: (label) => (this.progress = { ...this.progress, label }),
      partial: (run) => (this.runs = this.runs.map((r) => (r.id === p.id ? run : r))),
      engine: (e, alive) => (alive ? this.#engines.add(e) : this.#engines.delete(e)),
    });
  }
}

/** How `measureBackend` reports and is stopped. */
export interface MeasureHooks {
  cancelled: () => boolean;
  /** One timed or warm-up run done. */
  step: (label: string) => void;
  /** A new phase started (cold start). */
  label: (label: string) => void;
  /** Results so far (after the main setting and after each sweep batch). */
  partial?: (run: BackendRun) => void;
  /** The fresh engine it started (alive) and terminated (not alive), so a caller can stop it early. */
  engine?: (engine: Engine, alive: boolean) => void;
}

/**
 * Times one backend in a fresh engine worker (terminated at the end): cold start, then `s.runs` runs of
 * `s.batch` rows after `s.warmup`, then a sweep of batch sizes 1, 2, 4, ... `s.sweepMax` with
 * `s.sweepRuns` runs each. Errors (and a crashed worker) come back in `error`, not thrown.
 */
export async function measureBackend(
  p: BackendRun,
  s: Pick<LatencySettings, 'warmup' | 'runs' | 'batch' | 'sweepMax' | 'sweepRuns'>,
  rows: { table: Table; mapping: Mapping },
  bytes: ArrayBuffer,
  fileName: string,
  nThreads: number,
  hooks: MeasureHooks,
): Promise<BackendRun> {
  let crashed: string | null = null;
  const engine = new Engine((m) => (crashed = m));
  hooks.engine?.(engine, true);
  const out: BackendRun = { ...p, sweep: [] };
  const step = hooks.step;
  try {
    const backend: Backend = p.id === 'webgpu' ? 'webgpu' : 'wasm';
    await engine.call((api) => api.configure({ wasmThreads: p.id === 'wasm-n' ? nThreads : 1 }));
    await engine.call((api) => api.adoptTable('bench', rows.table));
    hooks.label(`${p.label}: cold start`);
    const cold = await engine.call((api) => api.coldStart('m', bytes.slice(0), fileName, backend, 'bench', rows.mapping));
    out.cold = cold;
    out.threads = backend === 'wasm' ? cold.threads : null;
    if (p.id === 'webgpu' && cold.backend !== 'webgpu') {
      return { ...out, available: false, reason: cold.notices.find((n) => /WebGPU/.test(n)) ?? 'WebGPU could not run this model; it fell back to WebAssembly' };
    }
    const resolution = estimateTimerResolution(await engine.call((api) => api.timerReadings(4000))).resolutionMs;
    out.workerResolutionMs = resolution;

    // One setting: warm up, decide how many runs one sample times, then time.
    const timeSetting = async (batch: number, warmup: number, runs: number, withRoundTrip: boolean, label: string) => {
      await engine.call((api) => api.benchPrepare('b', 'm', 'bench', rows.mapping, batch));
      const warm: number[] = [];
      for (let i = 0; i < warmup && !hooks.cancelled(); i++) {
        warm.push(await engine.call((api) => api.benchRun('b', 1)));
        step(`${label}: warm-up`);
      }
      const single = warm.length ? warm.slice().sort((a, b) => a - b)[Math.floor(warm.length / 2)] : 1;
      const timing = planTiming(single, resolution);
      const worker = new Float64Array(runs);
      const trip = new Float64Array(runs);
      let k = 0;
      for (; k < runs && !hooks.cancelled(); k++) {
        const t0 = performance.now();
        const w = await engine.call((api) => api.benchRun('b', timing.loops));
        const rt = performance.now() - t0;
        worker[k] = w / timing.loops;
        trip[k] = rt / timing.loops;
        step(`${label}: run ${k + 1} of ${runs}`);
      }
      return { worker: worker.slice(0, k), trip: withRoundTrip ? trip.slice(0, k) : null, timing };
    };

    const main = await timeSetting(s.batch, s.warmup, s.runs, true, `${p.label}, batch ${s.batch}`);
    out.workerMs = main.worker;
    out.roundTripMs = main.trip;
    out.loops = main.timing.loops;
    out.loopNote = main.timing.explanation;
    hooks.partial?.({ ...out });
    for (const batch of batchSizes(s.sweepMax)) {
      if (hooks.cancelled()) break;
      const r = await timeSetting(batch, Math.min(3, s.warmup), s.sweepRuns, false, `${p.label}, sweep batch ${batch}`);
      if (r.worker.length) out.sweep.push({ batch, workerMs: r.worker });
      hooks.partial?.({ ...out, sweep: [...out.sweep] });
    }
    return out;
  } catch (e) {
    return { ...out, error: crashed ?? (e as Error).message };
  } finally {
    engine.terminate();
    hooks.engine?.(engine, false);
  }
}
