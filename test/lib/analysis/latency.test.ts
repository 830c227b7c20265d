import { describe, expect, test } from 'vitest';
import {
  batchSizes,
  bestUnderBudget,
  bootstrapPercentileCI,
  ecdf,
  estimateTimerResolution,
  formatDuration,
  latencyHistogram,
  overheadRatio,
  planTiming,
  summarizeLatency,
  summarizeLongTasks,
  summarizeSweep,
} from '../../../src/lib/analysis/latency';
import { createRng } from '../../../src/lib/analysis/random';

/** Log-normal-ish latencies with a few slow outliers, seeded. */
function latencies(n: number, seed = 7): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    out[i] = 0.5 * Math.exp(0.3 * z) + (rng() < 0.01 ? 20 * rng() : 0);
  }
  return out;
}

describe('summarizeLatency', () => {
  test('matches numpy', () => {
    // numpy 2.4: np.percentile(a, [50, 90, 95, 99]) -> [0.28, 0.595, 1.2475, 1.7695];
    // a.mean() -> 0.412; a.std(ddof=1) -> 0.5342450540508333
    const a = Float64Array.from([0.12, 0.31, 0.08, 0.45, 0.22, 1.9, 0.27, 0.15, 0.33, 0.29]);
    const s = summarizeLatency(a);
    expect(s.n).toBe(10);
    expect(s.min).toBe(0.08);
    expect(s.max).toBe(1.9);
    expect(s.p50).toBeCloseTo(0.28, 12);
    expect(s.p90).toBeCloseTo(0.595, 12);
    expect(s.p95).toBeCloseTo(1.2475, 12);
    expect(s.p99).toBeCloseTo(1.7695, 12);
    expect(s.mean).toBeCloseTo(0.412, 12);
    expect(s.sd).toBeCloseTo(0.5342450540508333, 12);
    expect(s.reason).toBeNull();
    // np.percentile([3, 1, 2], [50, 90, 95, 99]) -> [2, 2.8, 2.9, 2.98]; std(ddof=1) -> 1
    const b = summarizeLatency(Float64Array.from([3, 1, 2]));
    expect([b.p50, b.p90, b.p95, b.p99].map((v) => +v!.toFixed(12))).toEqual([2, 2.8, 2.9, 2.98]);
    expect(b.sd).toBe(1);
  });

  test('degenerate inputs give nulls with reasons, never NaN', () => {
    const empty = summarizeLatency(new Float64Array(0));
    expect(empty.n).toBe(0);
    expect([empty.min, empty.p50, empty.max, empty.mean, empty.sd]).toEqual([null, null, null, null, null]);
    expect(empty.reason).toMatch(/No timed runs/);
    const one = summarizeLatency(Float64Array.from([2.5]));
    expect([one.min, one.p50, one.p99, one.max, one.mean]).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(one.sd).toBeNull();
    expect(one.reason).toMatch(/two/);
    const same = summarizeLatency(new Float64Array(5).fill(0.1));
    expect(same.sd).toBe(0);
    expect(same.p95).toBe(0.1);
    // Non-finite samples are ignored.
    expect(summarizeLatency(Float64Array.from([NaN, 1, Infinity, 3])).p50).toBe(2);
  });
});

describe('latencyHistogram', () => {
  test('counts sum to n and the edges cover min and max', () => {
    const x = latencies(5000);
    const h = latencyHistogram(x);
    const s = summarizeLatency(x);
    expect(h.scale).toBe('linear');
    expect(h.bins.reduce((a, b) => a + b.count, 0)).toBe(5000);
    expect(h.bins[0].x0).toBe(s.min);
    expect(h.bins.at(-1)!.x1).toBe(s.max);
    expect(h.bins.length).toBeLessThanOrEqual(60);
    for (let i = 1; i < h.bins.length; i++) expect(h.bins[i].x0).toBeCloseTo(h.bins[i - 1].x1, 12);
    // The outliers stretch the range far beyond 2 IQR n^-1/3 steps: FD is capped.
    expect(h.rule).toBe('Freedman–Diaconis, capped at 60');
  });

  test('Freedman–Diaconis bin count, uncapped', () => {
    // 0..99: IQR 49.5, width 2*49.5/100^(1/3) = 21.33, range 99 -> 5 bins of 19.8.
    const h = latencyHistogram(Float64Array.from({ length: 100 }, (_, i) => i));
    expect(h.rule).toBe('Freedman–Diaconis');
    expect(h.bins.map((b) => b.count)).toEqual([20, 20, 20, 20, 20]);
  });

  test('log bins for heavy tails', () => {
    const x = latencies(5000);
    const h = latencyHistogram(x, { scale: 'auto' });
    expect(h.scale).toBe('log');
    expect(h.bins.reduce((a, b) => a + b.count, 0)).toBe(5000);
    const ratios = h.bins.map((b) => b.x1 / b.x0).slice(1, -1);
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 9);
    // A light tail stays linear under 'auto'; zero durations refuse 'log'.
    expect(latencyHistogram(Float64Array.from([1, 1.1, 1.2, 1.3]), { scale: 'auto' }).scale).toBe('linear');
    const zero = latencyHistogram(Float64Array.from([0, 0.1, 0.1, 5]), { scale: 'log' });
    expect(zero.scale).toBe('linear');
    expect(zero.note).toMatch(/positive/);
  });

  test('IQR of zero falls back to Sturges', () => {
    const x = Float64Array.from([...new Array(20).fill(0.1), 0.2, 0.3]);
    const h = latencyHistogram(x);
    expect(h.rule).toMatch(/Sturges/);
    expect(h.bins.length).toBe(Math.ceil(Math.log2(22)) + 1);
    expect(h.bins.reduce((a, b) => a + b.count, 0)).toBe(22);
  });

  test('degenerate inputs', () => {
    const empty = latencyHistogram(new Float64Array(0));
    expect(empty.bins).toEqual([]);
    expect(empty.note).toMatch(/No timed runs/);
    expect(latencyHistogram(Float64Array.from([3])).bins).toEqual([{ x0: 3, x1: 3, count: 1 }]);
    const same = latencyHistogram(new Float64Array(4).fill(0.1));
    expect(same.bins).toEqual([{ x0: 0.1, x1: 0.1, count: 4 }]);
    expect(same.note).toMatch(/same time/);
  });
});

describe('ecdf', () => {
  test('small inputs keep every point; y ends at 1', () => {
    const e = ecdf(Float64Array.from([3, 1, 2, 2]));
    expect([...e.x]).toEqual([1, 2, 2, 3]);
    expect([...e.y]).toEqual([0.25, 0.5, 0.75, 1]);
    expect(ecdf(new Float64Array(0)).x.length).toBe(0);
  });

  test('thinned to 500 points, monotone, keeping min, max and percentile points', () => {
    const x = latencies(20000);
    const e = ecdf(x);
    expect(e.n).toBe(20000);
    expect(e.x.length).toBeLessThanOrEqual(500);
    expect(e.x.length).toBeGreaterThan(400);
    for (let i = 1; i < e.x.length; i++) {
      expect(e.x[i]).toBeGreaterThanOrEqual(e.x[i - 1]);
      expect(e.y[i]).toBeGreaterThan(e.y[i - 1]);
    }
    const s = summarizeLatency(x);
    expect(e.x[0]).toBe(s.min);
    expect(e.x.at(-1)).toBe(s.max);
    expect(e.y.at(-1)).toBe(1);
    const sorted = x.slice().sort();
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const lo = Math.floor(19999 * q);
      expect(e.x).toContain(sorted[lo]);
      expect(e.x).toContain(sorted[lo + 1]);
    }
  });
});

describe('bootstrapPercentileCI', () => {
  test('contains the sample quantile, narrows with n, reproducible by seed', () => {
    const small = bootstrapPercentileCI(latencies(200), 0.5, { seed: 3 });
    const large = bootstrapPercentileCI(latencies(5000), 0.5, { seed: 3 });
    for (const ci of [small, large]) {
      expect(ci.reason).toBeNull();
      expect(ci.lo!).toBeLessThanOrEqual(ci.estimate!);
      expect(ci.hi!).toBeGreaterThanOrEqual(ci.estimate!);
    }
    expect(large.hi! - large.lo!).toBeLessThan((small.hi! - small.lo!) / 2);
    expect(bootstrapPercentileCI(latencies(200), 0.5, { seed: 3 })).toEqual(small);
    expect(bootstrapPercentileCI(latencies(200), 0.5, { seed: 4 }).lo).not.toBe(small.lo);
  });

  test('agrees with sorting each resample', () => {
    const x = latencies(101);
    const q = 0.9;
    const ci = bootstrapPercentileCI(x, q, { resamples: 200, seed: 11 });
    // Reference: the same draws, each resample sorted and interpolated directly.
    const sorted = x.slice().sort();
    const rng = createRng(11);
    const stats: number[] = [];
    for (let r = 0; r < 200; r++) {
      const res = Float64Array.from({ length: 101 }, () => sorted[Math.floor(rng() * 101)]).sort();
      const h = 100 * q;
      const k = Math.floor(h);
      stats.push(res[k] + (h - k) * (res[k + 1] - res[k]));
    }
    stats.sort((a, b) => a - b);
    const at = (p: number) => {
      const h = 199 * p;
      const k = Math.floor(h);
      return stats[k] + (h - k) * (stats[Math.min(199, k + 1)] - stats[k]);
    };
    expect(ci.lo).toBeCloseTo(at(0.025), 12);
    expect(ci.hi).toBeCloseTo(at(0.975), 12);
  });

  test('tail quantiles with few runs beyond them carry a caveat', () => {
    expect(bootstrapPercentileCI(latencies(100), 0.99).caveat).toMatch(/Only 1 of 100 runs/);
    expect(bootstrapPercentileCI(latencies(5000), 0.99).caveat).toBeNull();
  });

  test('degenerate inputs', () => {
    const empty = bootstrapPercentileCI(new Float64Array(0), 0.5);
    expect([empty.estimate, empty.lo, empty.hi]).toEqual([null, null, null]);
    expect(empty.reason).toMatch(/No timed runs/);
    const one = bootstrapPercentileCI(Float64Array.from([4]), 0.5);
    expect([one.estimate, one.lo, one.hi]).toEqual([4, null, null]);
    expect(one.reason).toMatch(/One timed run/);
    const same = bootstrapPercentileCI(new Float64Array(50).fill(0.2), 0.95);
    expect([same.lo, same.hi]).toEqual([0.2, 0.2]);
    expect(bootstrapPercentileCI(Float64Array.from([1, 2]), 1.5).reason).toMatch(/between 0 and 1/);
  });
});

describe('timer resolution and planning', () => {
  test('a coarse, repeating clock', () => {
    // A 0.1 ms clock read ~7 times per tick, one reading preempted for 0.5 ms.
    const r: number[] = [];
    for (let i = 0; i < 700; i++) r.push(Math.floor(i / 7) * 0.1 + (i >= 400 ? 0.5 : 0));
    const t = estimateTimerResolution(Float64Array.from(r));
    expect(t.resolutionMs).toBeCloseTo(0.1, 9);
    expect(t.smallestStepMs).toBeCloseTo(0.1, 9);
    expect(t.repeatShare).toBeGreaterThan(0.8);
    expect(t.reason).toBeNull();
  });

  test('a fine clock and a clock that never moved', () => {
    const fine = estimateTimerResolution(Float64Array.from({ length: 100 }, (_, i) => 1000 + i * 0.00004));
    expect(fine.resolutionMs).toBeCloseTo(0.00004, 9);
    expect(fine.repeatShare).toBe(0);
    const frozen = estimateTimerResolution(new Float64Array(50).fill(12));
    expect(frozen.resolutionMs).toBeNull();
    expect(frozen.reason).toMatch(/never advanced/);
    expect(estimateTimerResolution(Float64Array.from([1])).reason).toMatch(/two readings/);
  });

  test('planTiming', () => {
    const short = planTiming(0.03, 0.1);
    expect(short.loops).toBe(70);
    expect(short.explanation).toBe(
      'One run takes about 0.03 ms, less than 20 ticks of the 0.1 ms timer: each sample times a loop of 70 runs and divides.',
    );
    expect(short.caveat).toMatch(/mean of 70 runs/);
    const long = planTiming(5, 0.1);
    expect(long.loops).toBe(1);
    expect(long.explanation).toMatch(/single run/);
    expect(long.caveat).toBeNull();
    expect(planTiming(2, 0.1).loops).toBe(1); // exactly 20 ticks
    expect(planTiming(0.05, 0.005).loops).toBe(2); // 5 µs isolated timer
    expect(planTiming(0.05, 0.005).explanation).toMatch(/5 µs timer/);
    expect(planTiming(0.013, 0.1, { minTicks: 10 }).loops).toBe(80); // 76.9 -> 80
    expect(planTiming(1e-9, 1, { maxLoops: 1000 }).loops).toBe(1000);
    const under = planTiming(0, 0.1);
    expect(under.loops).toBe(20);
    expect(under.explanation).toMatch(/less than one tick of the 0.1 ms timer.*at least 20 runs/);
    const unknown = planTiming(0.5, null);
    expect(unknown.resolutionMs).toBe(1);
    expect(unknown.loops).toBe(40);
    expect(unknown.explanation).toMatch(/resolution unknown, 1 ms assumed/);
    expect(planTiming(0.5, NaN).loops).toBe(40);
  });

  test('formatDuration', () => {
    expect(formatDuration(0.005)).toBe('5 µs');
    expect(formatDuration(0.0333)).toBe('0.033 ms');
    expect(formatDuration(123.4)).toBe('120 ms');
  });
});

describe('batch sweep', () => {
  test('batchSizes', () => {
    expect(batchSizes(1)).toEqual([1]);
    expect(batchSizes(8)).toEqual([1, 2, 4, 8]);
    expect(batchSizes(1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]);
    expect(batchSizes(5.7)).toEqual([1, 2, 4, 5]);
    expect(batchSizes(0)).toEqual([]);
    expect(batchSizes(NaN)).toEqual([]);
  });

  const sweep = summarizeSweep([
    { batch: 64, samplesMs: Float64Array.from([3, 3, 3, 3.5, 8]) },
    { batch: 1, samplesMs: Float64Array.from([0.1, 0.1, 0.1, 0.1, 0.1]) },
    { batch: 16, samplesMs: Float64Array.from([1, 1, 1, 1, 1.4]) },
    { batch: 256, samplesMs: new Float64Array(0) },
  ]);

  test('summarizeSweep', () => {
    expect(sweep.map((r) => r.batch)).toEqual([1, 16, 64, 256]);
    expect(sweep[0].rowsPerSec).toBeCloseTo(10000, 6);
    expect(sweep[1].meanMs).toBeCloseTo(1.08, 12);
    expect(sweep[1].rowsPerSec).toBeCloseTo(16000 / 1.08, 6);
    expect(sweep[1].rowsPerSecAtP50).toBeCloseTo(16000, 6);
    expect(sweep[2].p95Ms).toBeCloseTo(7.1, 12); // np.percentile([3, 3, 3, 3.5, 8], 95) = 7.1
    expect(sweep[2].rowsPerSec).toBeGreaterThan(sweep[1].rowsPerSec!);
    expect(sweep[3]).toMatchObject({ n: 0, p50Ms: null, rowsPerSec: null });
    expect(sweep[3].reason).toMatch(/No timed runs/);
  });

  test('bestUnderBudget', () => {
    expect(bestUnderBudget(sweep, 2).best?.batch).toBe(16);
    expect(bestUnderBudget(sweep, 20).best?.batch).toBe(64);
    expect(bestUnderBudget(sweep, 20).explanation).toMatch(/^Batch 64 gives the most rows per second/);
    const none = bestUnderBudget(sweep, 0.05);
    expect(none.best).toBeNull();
    expect(none.explanation).toBe('No batch size keeps p95 within 0.05 ms: the quickest, batch 1, has p95 0.1 ms.');
    expect(bestUnderBudget([], 10).best).toBeNull();
  });
});

test('summarizeLongTasks and overheadRatio', () => {
  expect(summarizeLongTasks(Float64Array.from([60, 120, 55]))).toEqual({ count: 3, longestMs: 120, totalMs: 235 });
  expect(summarizeLongTasks(new Float64Array(0))).toEqual({ count: 0, longestMs: null, totalMs: 0 });
  expect(overheadRatio(800, 1000)).toBe(1.25);
  expect(overheadRatio(0, 1000)).toBeNull();
});
