/**
 * Latency as a statistic: summaries, histogram and ECDF layouts, bootstrap intervals for
 * percentiles, timer resolution and loop planning, batch sweeps and long tasks. Pure functions over
 * typed arrays of durations in milliseconds; the worker measures, the panel draws, this computes.
 *
 * Percentiles everywhere are numpy's default ('linear'): for ascending samples x[0..n-1] the
 * q-quantile is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)·q.
 *
 * Degenerate input (no samples, one sample, all equal) gives null figures and a sentence saying
 * why, never NaN.
 */
import { quantileSorted } from './data-summary';
import { createRng } from './random';

/** Finite values of `samples`, sorted ascending (a copy). */
function sortedFinite(samples: ArrayLike<number>): Float64Array {
  const out = new Float64Array(samples.length);
  let k = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (Number.isFinite(v)) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}

/** A duration in words: "5 µs" under 0.01 ms, otherwise "0.03 ms", "12 ms" (two significant digits). */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 0.01) return `${Number((ms * 1000).toPrecision(2))} µs`;
  return `${Number(ms.toPrecision(2))} ms`;
}

// ---------------------------------------------------------------------------------------------
// Summary

/** Order statistics and moments of latency samples, all in milliseconds (null when undefined). */
export interface LatencySummary {
  /** Finite samples counted (non-finite ones are ignored). */
  n: number;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (divides by n − 1); null below two samples. */
  sd: number | null;
  /** Why some figures are null; null when every figure is set. */
  reason: string | null;
}

/**
 * n, min, p50, p90, p95, p99, max, mean and sample standard deviation (n − 1) of durations in ms.
 * Percentiles interpolate linearly between order statistics (numpy's default, see the module note).
 */
export function summarizeLatency(samplesMs: ArrayLike<number>): LatencySummary {
  const s = sortedFinite(samplesMs);
  const n = s.length;
  if (n === 0) {
    return { n, min: null, p50: null, p90: null, p95: null, p99: null, max: null, mean: null, sd: null, reason: 'No timed runs yet.' };
  }
  let sum = 0;
  for (const v of s) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of s) ss += (v - mean) * (v - mean);
  const q = (p: number) => quantileSorted(s, p);
  return {
    n,
    min: s[0],
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    max: s[n - 1],
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null,
    reason: n > 1 ? null : 'One timed run has no spread: the standard deviation needs at least two.',
  };
}

// ---------------------------------------------------------------------------------------------
// Histogram

export interface HistogramBin {
  /** Lower edge, ms (inclusive). */
  x0: number;
  /** Upper edge, ms (exclusive, except the last bin, which includes the maximum). */
  x1: number;
  count: number;
}

export interface LatencyHistogram {
  n: number;
  /** Edges are evenly spaced in ms ('linear') or in log10 ms ('log'). */
  scale: 'linear' | 'log';
  /** The rule that chose the bin count, in words ("Freedman–Diaconis", "Sturges (IQR is zero)", ...). */
  rule: string;
  bins: HistogramBin[];
  /** A remark for the reader (no samples, all equal, log refused); null when none. */
  note: string | null;
}

export interface HistogramOptions {
  /** At most this many bins (default 60). */
  maxBins?: number;
  /**
   * 'linear' (default), 'log', or 'auto': log when the tail is heavy (max ≥ 10 × median) and every
   * sample is positive. Log bins need positive samples; otherwise linear is used with a note.
   */
  scale?: 'linear' | 'log' | 'auto';
}

/**
 * Histogram bins of durations in ms. The bin count follows Freedman–Diaconis (width
 * 2·IQR·n^(−1/3)): it depends on the interquartile range, not the standard deviation, so a few
 * extreme runs (GC pauses, a tab switch) do not widen every bin the way Scott's rule does, and it
 * grows with n, unlike Sturges' rule (d3's default), which is built for normal data and gives ~14
 * bins for 10k samples. A heavy tail still makes the range long and FD asks for many bins, hence
 * the cap (60) and the log option. When the IQR is zero (over half the runs took the same tick)
 * Sturges' rule is used instead. Edges run from min to max exactly, evenly spaced (counted in one
 * pass, no nice rounding: d3's `bin` would extend the domain to round ticks).
 */
export function latencyHistogram(samplesMs: ArrayLike<number>, opts: HistogramOptions = {}): LatencyHistogram {
  const maxBins = Math.max(1, Math.floor(opts.maxBins ?? 60));
  const s = sortedFinite(samplesMs);
  const n = s.length;
  if (n === 0) return { n, scale: 'linear', rule: 'none', bins: [], note: 'No timed runs yet.' };
  const min = s[0];
  const max = s[n - 1];
  if (min === max) {
    return {
      n,
      scale: 'linear',
      rule: 'one value',
      bins: [{ x0: min, x1: max, count: n }],
      note: n === 1 ? `One timed run (${formatDuration(min)}).` : `All ${n} runs took the same time (${formatDuration(min)}), probably the timer's resolution.`,
    };
  }
  let scale: 'linear' | 'log' = 'linear';
  let note: string | null = null;
  const wanted = opts.scale ?? 'linear';
  if (wanted !== 'linear') {
    const heavy = max >= 10 * quantileSorted(s, 0.5);
    if (min <= 0) {
      if (wanted === 'log') note = 'Log bins need positive durations; some runs measured 0 ms, so the bins are linear.';
    } else if (wanted === 'log' || heavy) {
      scale = 'log';
    }
  }
  const t = scale === 'log' ? s.map(Math.log10) : s;
  const lo = t[0];
  const hi = t[n - 1];
  const iqr = quantileSorted(t, 0.75) - quantileSorted(t, 0.25);
  let count: number;
  let rule: string;
  if (iqr > 0) {
    count = Math.ceil((hi - lo) / (2 * iqr * Math.cbrt(1 / n)));
    rule = 'Freedman–Diaconis';
  } else {
    count = Math.ceil(Math.log2(n)) + 1;
    rule = 'Sturges (IQR is zero)';
  }
  if (count > maxBins) {
    count = maxBins;
    rule += `, capped at ${maxBins}`;
  }
  count = Math.max(1, count);
  const width = (hi - lo) / count;
  const edges = new Float64Array(count + 1);
  for (let i = 0; i <= count; i++) edges[i] = lo + i * width;
  edges[count] = hi;
  const counts = new Uint32Array(count);
  for (let i = 0; i < n; i++) {
    const v = t[i];
    let b = Math.min(count - 1, Math.floor((v - lo) / width));
    // Rounding in (v − lo) / width can land a value one bin off its edges; move it back.
    while (b > 0 && v < edges[b]) b--;
    while (b < count - 1 && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  const back = scale === 'log' ? (x: number) => 10 ** x : (x: number) => x;
  const bins: HistogramBin[] = [];
  for (let i = 0; i < count; i++) bins.push({ x0: back(edges[i]), x1: back(edges[i + 1]), count: counts[i] });
  // Exact min and max, not 10^log10(x) round trips.
  bins[0].x0 = min;
  bins[count - 1].x1 = max;
  return { n, scale, rule, bins, note };
}

// ---------------------------------------------------------------------------------------------
// ECDF

export interface Ecdf {
  n: number;
  /** Durations, ms, ascending. */
  x: Float64Array;
  /** Share of runs at or below x, 0..1, non-decreasing, ending at 1. */
  y: Float64Array;
}

/** The quantiles an ECDF drawing always keeps (their order statistics either side). */
const ECDF_KEPT_QUANTILES = [0.5, 0.9, 0.95, 0.99];

/**
 * The empirical CDF of durations: point i is (x₍ᵢ₎, (i + 1)/n). Above `maxPoints` (default 500)
 * it is thinned for drawing, keeping the minimum, the maximum and the order statistics either side
 * of p50/p90/p95/p99, and otherwise half the points evenly spaced in rank (the body) and half
 * evenly spaced in duration (the tail, where ranks are few but the distance is long).
 */
export function ecdf(samplesMs: ArrayLike<number>, maxPoints = 500): Ecdf {
  const s = sortedFinite(samplesMs);
  const n = s.length;
  const full = () => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = (i + 1) / n;
    return { n, x: s, y };
  };
  const limit = Math.max(2 + 2 * ECDF_KEPT_QUANTILES.length + 2, Math.floor(maxPoints));
  if (n <= limit) return full();
  const keep = new Set<number>([0, n - 1]);
  for (const q of ECDF_KEPT_QUANTILES) {
    const h = (n - 1) * q;
    keep.add(Math.floor(h));
    keep.add(Math.ceil(h));
  }
  const rest = limit - keep.size;
  const byRank = Math.ceil(rest / 2);
  const byValue = rest - byRank;
  for (let k = 1; k <= byRank; k++) keep.add(Math.round((k * (n - 1)) / (byRank + 1)));
  // Last index with x ≤ each evenly spaced threshold: the ECDF's height there.
  for (let k = 1, i = 0; k <= byValue; k++) {
    const threshold = s[0] + ((s[n - 1] - s[0]) * k) / (byValue + 1);
    while (i + 1 < n && s[i + 1] <= threshold) i++;
    keep.add(i);
  }
  const idx = Uint32Array.from(keep).sort();
  const x = new Float64Array(idx.length);
  const y = new Float64Array(idx.length);
  idx.forEach((i, k) => {
    x[k] = s[i];
    y[k] = (i + 1) / n;
  });
  return { n, x, y };
}

// ---------------------------------------------------------------------------------------------
// Bootstrap

export interface PercentileCI {
  /** The quantile, 0..1. */
  q: number;
  level: number;
  resamples: number;
  n: number;
  /** The sample quantile, ms. */
  estimate: number | null;
  lo: number | null;
  hi: number | null;
  /** Why the interval is null; null when it is set. */
  reason: string | null;
  /**
   * Set when few runs lie beyond the quantile: resamples cannot exceed the largest run, so the
   * upper end is too low and the interval too narrow.
   */
  caveat: string | null;
}

export interface BootstrapOptions {
  /** Default 1000. */
  resamples?: number;
  /** Coverage, default 0.95. */
  level?: number;
  /** Seed for `createRng`; default 1, so the same samples give the same interval. */
  seed?: number;
}

/**
 * Percentile-bootstrap confidence interval for the q-quantile of durations (numpy 'linear'
 * quantiles of each resample; the interval's ends are the (1 ∓ level)/2 quantiles of the resampled
 * estimates). Each resample is drawn as counts over the sorted samples and its two order statistics
 * found by a cumulative scan: O(n) per resample, no sort.
 */
export function bootstrapPercentileCI(samplesMs: ArrayLike<number>, q: number, opts: BootstrapOptions = {}): PercentileCI {
  const resamples = Math.max(1, Math.floor(opts.resamples ?? 1000));
  const level = opts.level ?? 0.95;
  const s = sortedFinite(samplesMs);
  const n = s.length;
  const base = { q, level, resamples, n, estimate: null, lo: null, hi: null, caveat: null };
  if (!(q >= 0 && q <= 1)) return { ...base, reason: `The quantile must lie between 0 and 1 (got ${q}).` };
  if (!(level > 0 && level < 1)) return { ...base, reason: `The level must lie strictly between 0 and 1 (got ${level}).` };
  if (n === 0) return { ...base, reason: 'No timed runs yet.' };
  const estimate = quantileSorted(s, q);
  if (n === 1) return { ...base, estimate, reason: 'One timed run gives no interval: resampling it always returns the same value.' };
  const rng = createRng(opts.seed ?? 1);
  const h = (n - 1) * q;
  const k = Math.floor(h);
  const frac = h - k;
  const counts = new Uint32Array(n);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(rng() * n)]++;
    // The resample's order statistics k and k+1 (0-based) are the sorted values where the
    // cumulative count first exceeds k and k+1.
    let cum = 0, j = 0;
    while (cum + counts[j] <= k) cum += counts[j++];
    const a = s[j];
    let b = a;
    if (frac > 0) {
      while (cum + counts[j] <= k + 1) cum += counts[j++];
      b = s[j];
    }
    stats[r] = a + frac * (b - a);
  }
  stats.sort();
  const tailCount = Math.floor(n * (1 - q));
  const caveat =
    q > 0.5 && tailCount < 5
      ? `Only ${tailCount} of ${n} runs lie above p${+(q * 100).toFixed(1)}: resamples never exceed the slowest run, so the upper end understates the uncertainty. Time more runs.`
      : null;
  return {
    ...base,
    estimate,
    lo: quantileSorted(stats, (1 - level) / 2),
    hi: quantileSorted(stats, (1 + level) / 2),
    reason: null,
    caveat,
  };
}

// ---------------------------------------------------------------------------------------------
// Timer resolution and loop planning

export interface TimerResolution {
  readings: number;
  /** The timer's tick: the typical step when the clock advances (median positive difference), ms; null when it never advanced. */
  resolutionMs: number | null;
  /** The smallest positive difference, ms (below the tick when the browser jitters its clock). */
  smallestStepMs: number | null;
  /** Share of consecutive readings that were equal (high for a coarse clock). */
  repeatShare: number;
  reason: string | null;
}

/**
 * The resolution of `performance.now()` from a burst of consecutive readings. Browsers coarsen it
 * (Chromium: 5 µs when cross-origin isolated, 100 µs otherwise, with jitter; some browsers 1 ms
 * when not isolated); Node's is sub-µs, where the
 * median step measures the cost of one reading, an upper bound on the tick. The median positive
 * step is the tick: robust to a preempted reading and to jittered short steps.
 */
export function estimateTimerResolution(readings: ArrayLike<number>): TimerResolution {
  const m = readings.length;
  if (m < 2) return { readings: m, resolutionMs: null, smallestStepMs: null, repeatShare: 0, reason: 'At least two readings are needed.' };
  const steps: number[] = [];
  let repeats = 0;
  for (let i = 1; i < m; i++) {
    const d = readings[i] - readings[i - 1];
    if (d > 0) steps.push(d);
    else if (d === 0) repeats++;
  }
  const repeatShare = repeats / (m - 1);
  if (steps.length === 0) {
    return {
      readings: m,
      resolutionMs: null,
      smallestStepMs: null,
      repeatShare,
      reason: `The clock never advanced in ${m} readings: its tick is longer than the burst. Take a longer burst.`,
    };
  }
  const sorted = Float64Array.from(steps).sort();
  return { readings: m, resolutionMs: quantileSorted(sorted, 0.5), smallestStepMs: sorted[0], repeatShare, reason: null };
}

export interface TimingPlan {
  /** Runs timed together as one sample (the sample is their total divided by `loops`), ≥ 1. */
  loops: number;
  /** The expected length of one timed interval, ms (a lower bound when the run was under one tick). */
  intervalMs: number;
  /** The timer resolution the plan assumed, ms (`ASSUMED_RESOLUTION_MS` when none was measured). */
  resolutionMs: number;
  /** The choice in one sentence, for the panel. */
  explanation: string;
  /** Set when loops > 1: what averaging hides. */
  caveat: string | null;
}

/** The tick assumed when none could be measured: the coarsest common browser timer. */
export const ASSUMED_RESOLUTION_MS = 1;

/** Rounds up to one significant digit (67 → 70, 134 → 200), so loop counts read as round numbers. */
function ceilOneDigit(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  return Math.ceil(x / p - 1e-9) * p;
}

/**
 * How many runs to time in one loop so each timed interval spans at least `minTicks` (default 20)
 * ticks of the timer, which keeps the rounding error of one reading under 1/minTicks of a sample.
 * One run when a run is long enough; otherwise ⌈minTicks·tick / run⌉ rounded up to one significant
 * digit, at most `maxLoops` (default 100 000). When the resolution is unknown (null), 1 ms is
 * assumed; when one run measured 0 ms (under one tick) it is taken as one tick, which gives
 * `minTicks` runs, a lower bound: time such a loop and plan again with its mean.
 */
export function planTiming(singleRunMs: number, resolutionMs: number | null, opts: { minTicks?: number; maxLoops?: number } = {}): TimingPlan {
  const minTicks = Math.max(1, opts.minTicks ?? 20);
  const maxLoops = Math.max(1, Math.floor(opts.maxLoops ?? 100_000));
  const known = resolutionMs !== null && resolutionMs > 0 && Number.isFinite(resolutionMs);
  const tick = known ? resolutionMs : ASSUMED_RESOLUTION_MS;
  const timer = known ? `the ${formatDuration(tick)} timer` : `the timer (resolution unknown, ${formatDuration(tick)} assumed)`;
  const underTick = !(singleRunMs > 0) || !Number.isFinite(singleRunMs);
  const run = underTick ? tick : singleRunMs;
  const needMs = minTicks * tick;
  const caveat = (loops: number) =>
    `Each sample is the mean of ${loops} runs, so single slow runs are averaged away: the percentiles describe loops, and the tail looks thinner than it is.`;
  if (underTick) {
    const loops = Math.min(maxLoops, Math.ceil(minTicks));
    return {
      loops,
      intervalMs: loops * run,
      resolutionMs: tick,
      explanation: `One run took less than one tick of ${timer}: each sample times a loop of at least ${loops} runs and divides; time one loop to plan better.`,
      caveat: loops > 1 ? caveat(loops) : null,
    };
  }
  const about = `One run takes about ${formatDuration(run)}`;
  if (run >= needMs) {
    return {
      loops: 1,
      intervalMs: run,
      resolutionMs: tick,
      explanation: `${about}, at least ${minTicks} ticks of ${timer}: each sample times a single run.`,
      caveat: null,
    };
  }
  const loops = Math.min(maxLoops, ceilOneDigit(needMs / run));
  return {
    loops,
    intervalMs: loops * run,
    resolutionMs: tick,
    explanation: `${about}, less than ${minTicks} ticks of ${timer}: each sample times a loop of ${loops} runs and divides.`,
    caveat: caveat(loops),
  };
}

// ---------------------------------------------------------------------------------------------
// Batch sweep

/**
 * Batch sizes for a sweep: powers of two 1, 2, 4, ... up to `max`, and `max` itself when it is not
 * a power of two (the largest batch the caller can run, often the row count, is worth a point).
 * Empty below 1; `max` is floored.
 */
export function batchSizes(max: number): number[] {
  const top = Math.floor(max);
  if (!(top >= 1)) return [];
  const out: number[] = [];
  for (let b = 1; b <= top; b *= 2) out.push(b);
  if (out[out.length - 1] !== top) out.push(top);
  return out;
}

export interface SweepRow {
  batch: number;
  /** Timed runs at this batch size. */
  n: number;
  /** Per run (one batch), ms. */
  p50Ms: number | null;
  p95Ms: number | null;
  meanMs: number | null;
  /** batch / mean seconds per run. */
  rowsPerSec: number | null;
  /** batch / median seconds per run. */
  rowsPerSecAtP50: number | null;
  reason: string | null;
}

/** Per batch size, latency of one run and throughput in rows per second; rows sorted by batch. */
export function summarizeSweep(points: readonly { batch: number; samplesMs: ArrayLike<number> }[]): SweepRow[] {
  return points
    .map(({ batch, samplesMs }) => {
      const s = summarizeLatency(samplesMs);
      const perSec = (ms: number | null) => (ms !== null && ms > 0 ? (batch * 1000) / ms : null);
      const rowsPerSec = perSec(s.mean);
      return {
        batch,
        n: s.n,
        p50Ms: s.p50,
        p95Ms: s.p95,
        meanMs: s.mean,
        rowsPerSec,
        rowsPerSecAtP50: perSec(s.p50),
        reason: s.n === 0 ? s.reason : rowsPerSec === null ? 'Runs measured 0 ms: time loops of runs to get a throughput.' : null,
      };
    })
    .sort((a, b) => a.batch - b.batch);
}

/**
 * The batch size with the highest throughput (mean-based rows/s) whose p95 latency is within
 * `budgetMsP95`; null with the reason when none is.
 */
export function bestUnderBudget(sweep: readonly SweepRow[], budgetMsP95: number): { best: SweepRow | null; explanation: string } {
  const measured = sweep.filter((r) => r.p95Ms !== null && r.rowsPerSec !== null);
  const budget = formatDuration(budgetMsP95);
  if (measured.length === 0) return { best: null, explanation: 'No batch size has been timed yet.' };
  const fit = measured.filter((r) => r.p95Ms! <= budgetMsP95);
  if (fit.length === 0) {
    const fastest = measured.reduce((a, b) => (b.p95Ms! < a.p95Ms! ? b : a));
    return {
      best: null,
      explanation: `No batch size keeps p95 within ${budget}: the quickest, batch ${fastest.batch}, has p95 ${formatDuration(fastest.p95Ms!)}.`,
    };
  }
  const best = fit.reduce((a, b) => (b.rowsPerSec! > a.rowsPerSec! ? b : a));
  return {
    best,
    explanation: `Batch ${best.batch} gives the most rows per second (${Math.round(best.rowsPerSec!)}) with p95 ${formatDuration(best.p95Ms!)}, within the ${budget} budget.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Long tasks and overhead

/** Main-thread long tasks (≥ 50 ms each, from PerformanceObserver 'longtask') while timing. */
export function summarizeLongTasks(durationsMs: ArrayLike<number>): { count: number; longestMs: number | null; totalMs: number } {
  let count = 0, total = 0, longest = -Infinity;
  for (let i = 0; i < durationsMs.length; i++) {
    const d = durationsMs[i];
    if (!Number.isFinite(d)) continue;
    count++;
    total += d;
    if (d > longest) longest = d;
  }
  return { count, longestMs: count ? longest : null, totalMs: total };
}

/**
 * How many times slower a path is than a reference, from throughputs: bare / loupe (1 = no
 * overhead, 1.25 = 25 % slower). Null when either is not a positive number.
 */
export function overheadRatio(loupeRowsPerSec: number, bareRowsPerSec: number): number | null {
  if (!(loupeRowsPerSec > 0 && bareRowsPerSec > 0) || !Number.isFinite(loupeRowsPerSec) || !Number.isFinite(bareRowsPerSec)) return null;
  return bareRowsPerSec / loupeRowsPerSec;
}
