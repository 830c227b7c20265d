/**
 * Every figure of the latency lab, from its raw samples: per backend the cold start, percentile
 * summaries for both clocks, bootstrap intervals, histogram, ECDF, the batch sweep and the best batch
 * under the budget. The view draws these and the report exports them, so both show the same numbers.
 */
import {
  bestUnderBudget,
  bootstrapPercentileCI,
  ecdf,
  latencyHistogram,
  summarizeLatency,
  summarizeLongTasks,
  summarizeSweep,
  type Ecdf,
  type LatencyHistogram,
  type LatencySummary,
  type PercentileCI,
  type SweepRow,
} from './latency';

/** Cold-start timings of one backend, ms. */
export interface ColdStartTimes {
  ortLoadMs: number;
  prepareMs: number;
  sessionMs: number;
  firstRunMs: number;
}

/** Raw measurements of one backend, as the lab collected them. */
export interface BackendSamples {
  id: string;
  label: string;
  available: boolean;
  reason: string | null;
  threads: number | null;
  adapter: string | null;
  cold: ColdStartTimes | null;
  loops: number;
  loopNote: string;
  workerResolutionMs: number | null;
  workerMs: Float64Array | null;
  roundTripMs: Float64Array | null;
  sweep: { batch: number; workerMs: Float64Array }[];
  error: string | null;
}

export interface BackendFigures {
  id: string;
  label: string;
  available: boolean;
  reason: string | null;
  error: string | null;
  threads: number | null;
  adapter: string | null;
  cold: (ColdStartTimes & { totalMs: number }) | null;
  loops: number;
  loopNote: string;
  workerResolutionMs: number | null;
  /** In the worker, around session.run. */
  worker: LatencySummary | null;
  /** Seen from the page: messaging and copies included. */
  roundTrip: LatencySummary | null;
  /** Median round trip minus median in-worker time, ms: what the worker boundary costs per run. */
  messagingMsP50: number | null;
  /** Bootstrap 95% intervals of the in-worker p50, p95, p99. */
  intervals: { p50: PercentileCI; p95: PercentileCI; p99: PercentileCI } | null;
  histogram: LatencyHistogram | null;
  ecdf: Ecdf | null;
  roundTripEcdf: Ecdf | null;
  sweep: SweepRow[];
  best: SweepRow | null;
  bestExplanation: string;
}

export interface LatencyFigures {
  budgetMs: number;
  backends: BackendFigures[];
  longTasks: { count: number; longestMs: number | null; totalMs: number };
}

export function latencyFigures(
  runs: readonly BackendSamples[],
  opts: { budgetMs: number; longTasksMs: ArrayLike<number>; seed?: number; resamples?: number },
): LatencyFigures {
  const seed = opts.seed ?? 1;
  const resamples = opts.resamples ?? 1000;
  return {
    budgetMs: opts.budgetMs,
    longTasks: summarizeLongTasks(opts.longTasksMs),
    backends: runs.map((r) => {
      const w = r.workerMs && r.workerMs.length ? r.workerMs : null;
      const rt = r.roundTripMs && r.roundTripMs.length ? r.roundTripMs : null;
      const worker = w ? summarizeLatency(w) : null;
      const roundTrip = rt ? summarizeLatency(rt) : null;
      const sweep = summarizeSweep(r.sweep.map((s) => ({ batch: s.batch, samplesMs: s.workerMs })));
      const { best, explanation } = bestUnderBudget(sweep, opts.budgetMs);
      const ci = (q: number) => bootstrapPercentileCI(w!, q, { resamples, seed });
      return {
        id: r.id,
        label: r.label,
        available: r.available,
        reason: r.reason,
        error: r.error,
        threads: r.threads,
        adapter: r.adapter,
        cold: r.cold ? { ...r.cold, totalMs: r.cold.ortLoadMs + r.cold.prepareMs + r.cold.sessionMs + r.cold.firstRunMs } : null,
        loops: r.loops,
        loopNote: r.loopNote,
        workerResolutionMs: r.workerResolutionMs,
        worker,
        roundTrip,
        messagingMsP50: worker?.p50 != null && roundTrip?.p50 != null ? roundTrip.p50 - worker.p50 : null,
        intervals: w ? { p50: ci(0.5), p95: ci(0.95), p99: ci(0.99) } : null,
        histogram: w ? latencyHistogram(w, { scale: 'auto' }) : null,
        ecdf: w ? ecdf(w) : null,
        roundTripEcdf: rt ? ecdf(rt) : null,
        sweep,
        best,
        bestExplanation: r.sweep.length ? explanation : 'No batch sweep was timed.',
      };
    }),
  };
}

/** Raw samples as CSV rows: backend, setting, batch, run, in-worker ms, round-trip ms. */
export function latencyCsvRows(runs: readonly BackendSamples[], batch: number): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  for (const r of runs) {
    if (r.workerMs) r.workerMs.forEach((v, i) => rows.push([r.label, 'protocol', batch, i + 1, v, r.roundTripMs?.[i] ?? null]));
    for (const s of r.sweep) s.workerMs.forEach((v, i) => rows.push([r.label, 'sweep', s.batch, i + 1, v, null]));
  }
  return rows;
}

export const LATENCY_CSV_HEADER = ['backend', 'setting', 'batch', 'run', 'worker_ms', 'round_trip_ms'];
