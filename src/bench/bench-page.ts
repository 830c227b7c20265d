/**
 * bench.html: Loupe's own overhead, measured in one page. For one sample (`?sample=<id>`) and each
 * thread count (1 and N, as the latency lab uses), two workers get the same prepared model, the same
 * rows and the same thread count:
 *
 * - bare: `bare.worker.ts`, onnxruntime-web loaded as Loupe loads it, a tight `session.run` loop
 *   timed inside the worker;
 * - Loupe: an `Engine` from the bridge, driven exactly as the latency lab drives it (`configure` →
 *   `adoptTable` → `coldStart` → `benchPrepare` → `benchRun`, loops planned by `planTiming`), each
 *   call's round trip timed here.
 *
 * A floor is timed too: round trips that do no work (a bare postMessage ping, an empty `benchRun`).
 *
 * Per batch size, the two paths are timed in alternating blocks (so other load on the machine hits
 * both alike), and the result is put on `window.benchResult` for `scripts/bench-browser.ts`.
 * Throughputs come from `summarizeSweep`, percentiles from `summarizeLatency`; nothing is asserted.
 */
import { Engine } from '../workers/engine-bridge';
import type { ColdStart } from '../workers/engine.worker';
import { parseCsv } from '../lib/data/csv';
import { takeRows, type Table } from '../lib/data/table';
import { prepareModel } from '../lib/model/zipmap';
import { proposeMapping } from '../lib/model/mapping';
import type { Mapping } from '../lib/model/types';
import { createRng, sampleWithoutReplacement } from '../lib/analysis/random';
import {
  estimateTimerResolution,
  overheadRatio,
  planTiming,
  summarizeLatency,
  summarizeSweep,
  type LatencySummary,
  type SweepRow,
} from '../lib/analysis/latency';
import type { BareReply, BareRequest } from './bare.worker';

/** The protocol; every field can be overridden from the query string (`?batches=1,1024&blocks=2`). */
export interface OverheadSettings {
  sample: string;
  batches: number[];
  /** Wasm thread counts; `0` stands for the lab's N (min(4, cores), at least 2). */
  threads: number[];
  warmup: number;
  /** Timed runs per path at batch 1 (the lab's protocol: 200). */
  runsAtBatch1: number;
  /** Larger batches: as many runs as fit in `budgetMsPerPath` per path, within [minRuns, maxRuns]. */
  budgetMsPerPath: number;
  minRuns: number;
  maxRuns: number;
  /** Alternating blocks per batch size (bare then Loupe, Loupe then bare, ...). */
  blocks: number;
  /** Untimed runs at the start of each block, after the other path had the cores. */
  rewarm: number;
  /** At least this many runs per Loupe sample (default 1: as the lab plans them). */
  minLoops: number;
  seed: number;
}

export const DEFAULT_OVERHEAD_SETTINGS: Omit<OverheadSettings, 'sample'> = {
  batches: [1, 8, 64, 256, 1024],
  threads: [1, 0],
  warmup: 10,
  runsAtBatch1: 200,
  budgetMsPerPath: 600,
  minRuns: 30,
  maxRuns: 200,
  blocks: 8,
  rewarm: 2,
  minLoops: 1,
  seed: 42,
};

/** One path at one batch size: per-run latency, throughput, and the raw samples (ms, rounded to 0.1 µs). */
export interface PathFigures {
  summary: LatencySummary;
  /** `rowsPerSec` (from the mean run) and `rowsPerSecAtP50` (from the median run). */
  throughput: SweepRow;
  raw: number[];
}

export interface BatchFigures {
  batch: number;
  /** Loupe's samples; the bare loop times `runs × loops` single runs. */
  runs: number;
  /** Runs per Loupe sample (one `benchRun` call), planned as the lab plans it (`planTiming`). */
  loops: number;
  loopNote: string;
  /** Tight loop in the bare worker, its own clock. */
  bare: PathFigures;
  /** Loupe's `benchRun(…, loops)`, the engine worker's clock around `session.run` (what the lab reports), per run. */
  loupeWorker: PathFigures;
  /** Loupe's `benchRun(…, loops)` as the page sees it: one message round trip per `loops` runs, per run. */
  loupeRoundTrip: PathFigures;
  /** (bare / Loupe − 1) · 100 from median-run throughputs: Loupe round trip, and in-worker only. */
  overheadPct: { roundTrip: number | null; worker: number | null };
  /** The same from mean-run throughputs (total rows / total time). */
  overheadPctFromMean: { roundTrip: number | null; worker: number | null };
  /**
   * Paired by block: per alternating block, Loupe's median run ÷ bare's median run, then the median
   * over blocks, as a % overhead. Load that drifts during the bench hits both sides of a pair alike,
   * so this is the steadiest of the three; the goals are judged on it.
   */
  overheadPctPaired: { roundTrip: number | null; worker: number | null; blocks: number };
  /** Per run, round trip minus in-worker time, ms: the worker boundary's cost. */
  roundTripMinusWorker: LatencySummary;
  /** The lab's figure: median round trip minus median in-worker time, ms. */
  roundTripMinusWorkerP50Ms: number | null;
}

/** Round trips that do no work, ms: what messaging alone costs on this machine. */
export interface MessagingFloor {
  /** A plain postMessage to the bare worker and its immediate answer. */
  barePing: LatencySummary;
  /** Loupe's `benchRun(…, 0)` through the bridge: comlink, `Engine.call`, no `session.run`. */
  loupeEmptyCall: LatencySummary;
}

export interface ThreadFigures {
  threadsRequested: number;
  ortVersion: string;
  bareThreads: number;
  loupeThreads: number;
  bareSessionMs: number;
  loupeCold: ColdStart;
  loupeWorkerResolutionMs: number | null;
  batches: BatchFigures[];
  messagingFloor: MessagingFloor;
}

export interface OverheadResult {
  ok: true;
  sample: string;
  model: string;
  settings: OverheadSettings;
  environment: {
    userAgent: string;
    crossOriginIsolated: boolean;
    hardwareConcurrency: number;
    ortVersion: string;
    pageResolutionMs: number | null;
  };
  rows: { count: number; note: string };
  threads: ThreadFigures[];
  startedAt: string;
  finishedAt: string;
}

type BenchWindow = Window & { benchResult?: OverheadResult | { ok: false; error: string }; benchProgress?: string };
const win = window as BenchWindow;
const statusEl = document.getElementById('status');

function report(text: string): void {
  win.benchProgress = text;
  if (statusEl) statusEl.textContent = text;
}

function readSettings(q: URLSearchParams): OverheadSettings {
  const sample = q.get('sample');
  if (!sample) throw new Error('Name a sample: bench.html?sample=<id> (ids in samples/index.json).');
  const list = (k: string, d: number[]) => (q.has(k) ? q.get(k)!.split(',').map(Number).filter((x) => Number.isFinite(x) && x >= 0) : d);
  const num = (k: keyof typeof DEFAULT_OVERHEAD_SETTINGS) => (q.has(k) ? Number(q.get(k)) : (DEFAULT_OVERHEAD_SETTINGS[k] as number));
  return {
    sample,
    batches: list('batches', DEFAULT_OVERHEAD_SETTINGS.batches),
    threads: list('threads', DEFAULT_OVERHEAD_SETTINGS.threads),
    warmup: num('warmup'),
    runsAtBatch1: num('runsAtBatch1'),
    budgetMsPerPath: num('budgetMsPerPath'),
    minRuns: num('minRuns'),
    maxRuns: num('maxRuns'),
    blocks: Math.max(1, num('blocks')),
    rewarm: num('rewarm'),
    minLoops: Math.max(1, Math.floor(num('minLoops'))),
    seed: num('seed'),
  };
}

/** The bare worker behind a one-request-at-a-time promise. */
class BareWorker {
  #worker = new Worker(new URL('./bare.worker.ts', import.meta.url), { type: 'module', name: 'bench-bare' });

  request(req: BareRequest, transfer: Transferable[] = []): Promise<BareReply> {
    return new Promise((resolve, reject) => {
      this.#worker.onmessage = (ev: MessageEvent<BareReply>) => {
        if (ev.data.type === 'error') reject(new Error(`bare worker: ${ev.data.message}`));
        else resolve(ev.data);
      };
      this.#worker.onerror = (ev) => reject(new Error(`bare worker stopped: ${ev.message || 'unknown error'}`));
      this.#worker.postMessage(req, transfer);
    });
  }

  async time(batch: number, warmup: number, runs: number): Promise<{ runMs: Float64Array; loopMs: number }> {
    const r = await this.request({ type: 'time', batch, warmup, runs });
    if (r.type !== 'timed') throw new Error('bare worker: unexpected reply');
    return r;
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

const round = (a: ArrayLike<number>) => Array.from(a, (v) => Math.round(v * 1e4) / 1e4);
const pct = (ratio: number | null) => (ratio === null ? null : (ratio - 1) * 100);

function pathFigures(batch: number, samples: Float64Array): PathFigures {
  return { summary: summarizeLatency(samples), throughput: summarizeSweep([{ batch, samplesMs: samples }])[0], raw: round(samples) };
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

async function measureThreads(
  threads: number,
  s: OverheadSettings,
  model: { bytes: ArrayBuffer; prepared: Uint8Array; fileName: string },
  rows: { table: Table; mapping: Mapping },
): Promise<ThreadFigures> {
  let crashed: string | null = null;
  const engine = new Engine((m) => (crashed = m));
  const bare = new BareWorker();
  try {
    const opened = await bare.request({ type: 'open', threads, bytes: model.prepared.slice().buffer, table: rows.table, mapping: rows.mapping });
    if (opened.type !== 'opened') throw new Error('bare worker: unexpected reply');
    // The latency lab's sequence (src/state/latency.svelte.ts, #measure).
    await engine.call((api) => api.configure({ wasmThreads: threads }));
    await engine.call((api) => api.adoptTable('bench', rows.table));
    const cold = await engine.call((api) => api.coldStart('m', model.bytes.slice(0), model.fileName, 'wasm', 'bench', rows.mapping));
    const workerResolution = estimateTimerResolution(await engine.call((api) => api.timerReadings(4000))).resolutionMs;

    /** One of the lab's samples: `loops` runs in one `benchRun` call, both clocks divided by `loops`. */
    const loupeRun = async (loops: number) => {
      const t0 = performance.now();
      const w = await engine.call((api) => api.benchRun('b', loops));
      return { worker: w / loops, trip: (performance.now() - t0) / loops };
    };

    const batches: BatchFigures[] = [];
    for (const requested of s.batches) {
      const { rows: batch } = await engine.call((api) => api.benchPrepare('b', 'm', 'bench', rows.mapping, requested));
      report(`${s.sample}, ${threads} thread(s), batch ${batch}: warm-up`);
      const warm = new Float64Array(s.warmup);
      for (let i = 0; i < s.warmup; i++) warm[i] = (await loupeRun(1)).worker;
      await bare.time(batch, s.warmup, 0);
      // As the lab plans it: one run per sample unless a run spans fewer than 20 ticks of the worker's clock.
      const timing = planTiming(summarizeLatency(warm).p50 ?? 1, workerResolution);
      const loops = Math.max(s.minLoops, timing.loops);
      const typical = timing.intervalMs;
      const runs = batch === 1 ? s.runsAtBatch1 : Math.round(Math.min(s.maxRuns, Math.max(s.minRuns, s.budgetMsPerPath / Math.max(typical, 1e-3))));
      const perBlock = Math.ceil(runs / s.blocks);
      const bareParts: Float64Array[] = [];
      const workerMs: number[] = [];
      const tripMs: number[] = [];
      /** Per block: [bare p50, Loupe worker p50, Loupe round-trip p50], ms. */
      const pairs: [number | null, number | null, number | null][] = [];
      const timeBare = async (n: number) => bareParts.push((await bare.time(batch, s.rewarm, n * loops)).runMs);
      const timeLoupe = async (n: number) => {
        for (let i = 0; i < s.rewarm; i++) await loupeRun(1);
        for (let i = 0; i < n; i++) {
          const r = await loupeRun(loops);
          workerMs.push(r.worker);
          tripMs.push(r.trip);
        }
      };
      for (let b = 0, left = runs; left > 0; b++) {
        const n = Math.min(perBlock, left);
        left -= n;
        report(`${s.sample}, ${threads} thread(s), batch ${batch}: block ${b + 1} of ${s.blocks}`);
        const from = workerMs.length;
        if (b % 2 === 0) {
          await timeBare(n);
          await timeLoupe(n);
        } else {
          await timeLoupe(n);
          await timeBare(n);
        }
        pairs.push([
          summarizeLatency(bareParts[bareParts.length - 1]).p50,
          summarizeLatency(workerMs.slice(from)).p50,
          summarizeLatency(tripMs.slice(from)).p50,
        ]);
      }
      const worker = Float64Array.from(workerMs);
      const trip = Float64Array.from(tripMs);
      const bareF = pathFigures(batch, concat(bareParts));
      const workerF = pathFigures(batch, worker);
      const tripF = pathFigures(batch, trip);
      const ratio = (a: PathFigures, key: 'rowsPerSec' | 'rowsPerSecAtP50') => pct(overheadRatio(a.throughput[key] ?? NaN, bareF.throughput[key] ?? NaN));
      const tripSummary = tripF.summary, workerSummary = workerF.summary;
      const paired = (k: 1 | 2) => {
        const ratios = pairs.filter((p) => p[0] && p[k]).map((p) => p[k]! / p[0]!);
        return ratios.length ? pct(summarizeLatency(ratios).p50) : null;
      };
      batches.push({
        batch,
        runs,
        loops,
        loopNote: timing.explanation,
        bare: bareF,
        loupeWorker: workerF,
        loupeRoundTrip: tripF,
        overheadPct: { roundTrip: ratio(tripF, 'rowsPerSecAtP50'), worker: ratio(workerF, 'rowsPerSecAtP50') },
        overheadPctFromMean: { roundTrip: ratio(tripF, 'rowsPerSec'), worker: ratio(workerF, 'rowsPerSec') },
        overheadPctPaired: { roundTrip: paired(2), worker: paired(1), blocks: pairs.length },
        roundTripMinusWorker: summarizeLatency(trip.map((t, i) => t - worker[i])),
        roundTripMinusWorkerP50Ms: tripSummary.p50 !== null && workerSummary.p50 !== null ? tripSummary.p50 - workerSummary.p50 : null,
      });
    }
    report(`${s.sample}, ${threads} thread(s): messaging floor`);
    const ping = new Float64Array(s.runsAtBatch1);
    const empty = new Float64Array(s.runsAtBatch1);
    for (let i = 0; i < s.runsAtBatch1; i++) {
      const p0 = performance.now();
      await bare.request({ type: 'ping' });
      const p1 = performance.now();
      await engine.call((api) => api.benchRun('b', 0));
      ping[i] = p1 - p0;
      empty[i] = performance.now() - p1;
    }
    return {
      threadsRequested: threads,
      ortVersion: opened.ortVersion,
      bareThreads: opened.threads,
      loupeThreads: cold.threads,
      bareSessionMs: opened.sessionMs,
      loupeCold: cold,
      loupeWorkerResolutionMs: workerResolution,
      batches,
      messagingFloor: { barePing: summarizeLatency(ping), loupeEmptyCall: summarizeLatency(empty) },
    };
  } catch (e) {
    throw new Error(crashed ?? (e as Error).message);
  } finally {
    engine.terminate();
    bare.terminate();
  }
}

async function main(): Promise<OverheadResult> {
  const startedAt = new Date().toISOString();
  const s = readSettings(new URLSearchParams(location.search));
  const index = (await (await fetch('samples/index.json')).json()) as { id: string; model: string; csv: string }[];
  const sample = index.find((x) => x.id === s.sample);
  if (!sample) throw new Error(`No sample "${s.sample}" in samples/index.json.`);
  report(`${s.sample}: reading the model and CSV`);
  const [bytes, csv] = await Promise.all([
    fetch(`samples/${sample.model}`).then((r) => r.arrayBuffer()),
    fetch(`samples/${sample.csv}`).then((r) => r.blob()),
  ]);
  const prepared = prepareModel(new Uint8Array(bytes), sample.model);
  const { table } = await parseCsv(csv, { fileName: sample.csv });
  const { mapping } = proposeMapping(prepared.card, table);
  // The lab's rows: a seeded sample of the CSV, as many as the largest batch (repeated beyond that).
  const k = Math.min(table.nRows, Math.max(...s.batches));
  const rows = takeRows(table, sampleWithoutReplacement(createRng(s.seed), table.nRows, k));

  const readings = new Float64Array(4000);
  for (let i = 0; i < readings.length; i++) readings[i] = performance.now();
  const cores = navigator.hardwareConcurrency || 1;
  const nThreads = Math.max(2, Math.min(4, cores));
  const results: ThreadFigures[] = [];
  for (const t of s.threads) {
    const threads = t === 0 ? nThreads : t;
    if (threads > 1 && !crossOriginIsolated) continue;
    results.push(await measureThreads(threads, s, { bytes, prepared: prepared.bytes, fileName: sample.model }, { table: rows, mapping }));
  }
  return {
    ok: true,
    sample: s.sample,
    model: sample.model,
    settings: s,
    environment: {
      userAgent: navigator.userAgent,
      crossOriginIsolated,
      hardwareConcurrency: cores,
      ortVersion: results[0]?.ortVersion ?? 'unknown',
      pageResolutionMs: estimateTimerResolution(readings).resolutionMs,
    },
    rows: { count: k, note: `${k} rows drawn from ${sample.csv} (seed ${s.seed})${k < Math.max(...s.batches) ? ', repeated to fill larger batches' : ''}.` },
    threads: results,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

main().then(
  (r) => {
    win.benchResult = r;
    report(`done: ${r.sample}`);
  },
  (e: unknown) => {
    const error = e instanceof Error ? e.message : String(e);
    win.benchResult = { ok: false, error };
    report(`failed: ${error}`);
  },
);
