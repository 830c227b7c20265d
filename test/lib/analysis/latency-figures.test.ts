import { describe, expect, test } from 'vitest';
import { latencyCsvRows, latencyFigures, type BackendSamples } from '../../../src/lib/analysis/latency-figures';

const base: BackendSamples = {
  id: 'wasm-1', label: 'wasm 1', available: true, reason: null, threads: 1, adapter: null,
  cold: { ortLoadMs: 100, prepareMs: 2, sessionMs: 30, firstRunMs: 5 }, loops: 1, loopNote: '', workerResolutionMs: 0.005,
  workerMs: Float64Array.from({ length: 101 }, (_, i) => 1 + i / 100), // 1.00 .. 2.00
  roundTripMs: Float64Array.from({ length: 101 }, (_, i) => 1.1 + i / 100),
  sweep: [
    { batch: 1, workerMs: Float64Array.from([1, 1, 1, 1]) },
    { batch: 64, workerMs: Float64Array.from([10, 10, 10, 12]) },
    { batch: 1024, workerMs: Float64Array.from([80, 80, 90, 100]) },
  ],
  error: null,
};

describe('latency figures', () => {
  test('summaries, messaging cost, cold total and intervals', () => {
    const f = latencyFigures([base], { budgetMs: 50, longTasksMs: [60, 120] });
    const b = f.backends[0];
    expect(b.worker?.p50).toBeCloseTo(1.5, 12);
    expect(b.worker?.p95).toBeCloseTo(1.95, 12);
    expect(b.messagingMsP50).toBeCloseTo(0.1, 12);
    expect(b.cold?.totalMs).toBe(137);
    const { p50, p95, p99 } = b.intervals!;
    expect(p50.lo! <= 1.5 && 1.5 <= p50.hi!).toBe(true);
    expect(p50.estimate! <= p95.estimate! && p95.estimate! <= p99.estimate!).toBe(true);
    expect(f.longTasks).toEqual({ count: 2, longestMs: 120, totalMs: 180 });
    expect(b.histogram!.bins.reduce((s, x) => s + x.count, 0)).toBe(101);
    expect(b.ecdf!.y[b.ecdf!.y.length - 1]).toBe(1);
  });

  test('best batch under the budget has the highest throughput with p95 inside it', () => {
    const b = latencyFigures([base], { budgetMs: 50, longTasksMs: [] }).backends[0];
    expect(b.sweep.map((s) => s.batch)).toEqual([1, 64, 1024]);
    expect(b.best?.batch).toBe(64);
    const none = latencyFigures([base], { budgetMs: 0.5, longTasksMs: [] }).backends[0];
    expect(none.best).toBeNull();
    expect(none.bestExplanation).toMatch(/No batch size keeps p95 within/);
  });

  test('an unavailable backend keeps its reason and has no figures', () => {
    const off = { ...base, id: 'webgpu', available: false, reason: 'no adapter', workerMs: null, roundTripMs: null, sweep: [], cold: null };
    const b = latencyFigures([off], { budgetMs: 50, longTasksMs: [] }).backends[0];
    expect(b.reason).toBe('no adapter');
    expect([b.worker, b.intervals, b.histogram, b.best]).toEqual([null, null, null, null]);
    expect(b.bestExplanation).toBe('No batch sweep was timed.');
  });

  test('CSV rows: one per timed run, round trip only for the protocol', () => {
    const rows = latencyCsvRows([base], 1);
    expect(rows.length).toBe(101 + 12);
    expect(rows[0]).toEqual(['wasm 1', 'protocol', 1, 1, 1, 1.1]);
    expect(rows[101]).toEqual(['wasm 1', 'sweep', 1, 1, 1, null]);
  });
});
