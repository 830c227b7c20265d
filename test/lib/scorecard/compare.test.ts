import { describe, expect, test } from 'vitest';
import {
  alignLabels,
  complexityVerdict,
  disagreement,
  expectedValue,
  latencyFacts,
  metricWithInterval,
  pairedBootstrap,
  weightedMetric,
  worstFairnessGap,
  type MetricRows,
} from '../../../src/lib/scorecard/compare';
import { createRng } from '../../../src/lib/analysis/random';
import { partition } from '../../../src/lib/analysis/fairness';
import type { Table } from '../../../src/lib/data/table';

/** AUC by counting every positive/negative pair (ties count 1/2), each row counted w[i] times. */
function bruteAuc(y: ArrayLike<number>, s: ArrayLike<number>, w: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1 || !w[i]) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0 || !w[j]) continue;
      const ww = w[i] * w[j];
      den += ww;
      num += ww * (s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0);
    }
  }
  return num / den;
}

function noisyModel(n: number, noise: number, seed: number) {
  const rng = createRng(seed);
  const y = new Int8Array(n), s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng() < 0.3 ? 1 : 0;
    s[i] = Math.round((y[i] * 0.5 + noise * rng()) * 20) / 20; // coarse: many ties
  }
  return { y, s };
}

describe('weightedMetric', () => {
  test('AUC with draw counts equals the brute-force pair count on the materialised resample', () => {
    const { y, s } = noisyModel(120, 1, 3);
    const rng = createRng(9);
    const w = new Uint32Array(120);
    for (let k = 0; k < 120; k++) w[Math.floor(rng() * 120)]++;
    expect(weightedMetric({ kind: 'auc', truth: y, pred: s }, w)).toBeCloseTo(bruteAuc(y, s, w), 12);
  });

  test('accuracy and RMSE by hand', () => {
    expect(weightedMetric({ kind: 'accuracy', truth: Int8Array.from([1, 0, 1, -1]) }, [1, 2, 1, 5])).toBeCloseTo(2 / 4, 12);
    // residuals 1, -2, 3 with counts 1, 1, 2: sqrt((1 + 4 + 18) / 4)
    expect(weightedMetric({ kind: 'rmse', truth: [0, 0, 0], pred: [1, -2, 3] }, [1, 1, 2])).toBeCloseTo(Math.sqrt(23 / 4), 12);
  });
});

describe('pairedBootstrap', () => {
  test('a model against itself: difference 0 and a zero-width interval', () => {
    const { y, s } = noisyModel(300, 1, 1);
    const m: MetricRows = { kind: 'auc', truth: y, pred: s };
    const d = pairedBootstrap(m, m, { resamples: 100, seed: 1, maxRows: 1e9, level: 0.95 });
    expect(d.difference).toBe(0);
    expect(d.low).toBe(0);
    expect(d.high).toBe(0);
    expect(d.aLow!).toBeLessThan(d.a!);
    expect(d.aHigh!).toBeGreaterThan(d.a!);
  });

  test('point difference equals the difference of independently counted AUCs; a much better model gets an interval above 0', () => {
    const weak = noisyModel(400, 3, 5), strong = { y: weak.y, s: Float64Array.from(weak.y, (v, i) => v * 0.8 + 0.4 * createRng(i + 1)()) };
    const a: MetricRows = { kind: 'auc', truth: weak.y, pred: weak.s };
    const b: MetricRows = { kind: 'auc', truth: strong.y, pred: strong.s };
    const d = pairedBootstrap(a, b, { resamples: 200, seed: 2, maxRows: 1e9, level: 0.95 });
    const ones = new Uint8Array(400).fill(1);
    expect(d.difference!).toBeCloseTo(bruteAuc(strong.y, strong.s, ones) - bruteAuc(weak.y, weak.s, ones), 12);
    expect(d.low!).toBeGreaterThan(0);
    expect(d.low!).toBeLessThanOrEqual(d.difference!);
    expect(d.high!).toBeGreaterThanOrEqual(d.difference!);
  });

  test('pairing narrows the interval: two models sharing most of their errors', () => {
    // b = a's correctness except 10 rows flipped to correct: accuracy difference 10/500 = 0.02.
    const rng = createRng(4);
    const a = Int8Array.from({ length: 500 }, () => (rng() < 0.7 ? 1 : 0));
    const b = a.slice();
    let flipped = 0;
    for (let i = 0; i < 500 && flipped < 10; i++) if (b[i] === 0) { b[i] = 1; flipped++; }
    const d = pairedBootstrap({ kind: 'accuracy', truth: a }, { kind: 'accuracy', truth: b }, { resamples: 300, seed: 3, maxRows: 1e9, level: 0.95 });
    expect(d.difference).toBeCloseTo(0.02, 12);
    // Only the 10 flipped rows vary between the two: the paired interval stays within [0, 0.04]
    // (binomial sd of 10/500 is about 0.006), far narrower than either accuracy's own (±0.04).
    expect(d.low!).toBeGreaterThanOrEqual(0.005);
    expect(d.high!).toBeLessThanOrEqual(0.04);
    expect(d.aHigh! - d.aLow!).toBeGreaterThan(0.06);
  });

  test('no common rows: null with the reason', () => {
    const d = pairedBootstrap({ kind: 'rmse', truth: [NaN, 1], pred: [1, NaN] }, { kind: 'rmse', truth: [1, 1], pred: [1, 1] });
    expect(d.difference).toBeNull();
    expect(d.reason).toMatch(/no rows/);
  });
});

describe('metricWithInterval', () => {
  test('AUC value equals the pair count; interval brackets it', () => {
    const { y, s } = noisyModel(200, 1.5, 8);
    const e = metricWithInterval({ kind: 'auc', truth: y, pred: s });
    expect(e.value!).toBeCloseTo(bruteAuc(y, s, new Uint8Array(200).fill(1)), 12);
    expect(e.low!).toBeLessThan(e.value!);
    expect(e.high!).toBeGreaterThan(e.value!);
    expect(e.rows).toBe(200);
  });

  test('RMSE and accuracy by hand', () => {
    const r = metricWithInterval({ kind: 'rmse', truth: [1, 2, 3, 4], pred: [1, 2, 3, 6] });
    expect(r.value).toBeCloseTo(1, 12);
    const a = metricWithInterval({ kind: 'accuracy', truth: Int8Array.from([1, 1, 0, -1]) });
    expect(a.value).toBeCloseTo(2 / 3, 12);
    expect(a.rows).toBe(3);
  });
});

describe('complexityVerdict', () => {
  const auc = { name: 'AUC', higherIsBetter: true };
  const d = (difference: number, low: number, high: number) => ({ a: 0.8, b: 0.8 + difference, difference, low, high, aLow: 0, aHigh: 0, rows: 1000, resamples: 200, reason: null });

  test('interval including 0: not justified, said in words', () => {
    const v = complexityVerdict('credit-logreg', 'credit-gbt', d(0.021, -0.01, 0.05), auc);
    expect(v.justified).toBe(false);
    expect(v.sentence).toBe('credit-gbt is 0.021 AUC better than credit-logreg (95% interval −0.010 to 0.050): the interval includes 0, so on these 1,000 rows the extra complexity is not shown to pay off.');
  });

  test('interval above 0 justifies; for an error metric below 0 does', () => {
    expect(complexityVerdict('a', 'b', d(0.05, 0.01, 0.09), auc).justified).toBe(true);
    const rmse = { name: 'RMSE', higherIsBetter: false };
    const v = complexityVerdict('a', 'b', d(-20, -35, -5), rmse);
    expect(v.justified).toBe(true);
    expect(v.sentence).toMatch(/^b is 20\.0 RMSE better than a/);
    const worse = complexityVerdict('a', 'b', d(-0.05, -0.09, -0.01), auc);
    expect(worse.justified).toBe(false);
    expect(worse.sentence).toMatch(/worse.*simpler model is better/);
  });
});

describe('disagreement', () => {
  test('hand-worked three models', () => {
    const a = Int32Array.from([0, 1, 1, 0, -1]);
    const b = Int32Array.from([0, 1, 0, 0, 1]);
    const c = Int32Array.from([0, 0, 1, -1, 0]);
    const d = disagreement([a, b, c]);
    // Row 1 (c differs), row 2 (b differs), row 4 (b vs c); row 3 agrees among the two known.
    expect(Array.from(d.rows)).toEqual([1, 2, 4]);
    expect(d.rate).toBeCloseTo(3 / 5, 12);
    expect(d.pairs).toEqual([
      { a: 0, b: 1, rows: 1 },
      { a: 0, b: 2, rows: 1 },
      { a: 1, b: 2, rows: 3 },
    ]);
  });

  test('labels aligned by class name', () => {
    expect(Array.from(alignLabels(Int32Array.from([0, 1, -1]), ['Good', 'Bad'], ['Bad', 'Good']))).toEqual([1, 0, -1]);
    expect(Array.from(alignLabels(Int32Array.from([0, 2]), ['x', 'y', 'z'], ['z', 'x']))).toEqual([1, 0]);
  });
});

describe('expectedValue', () => {
  test('at 0.5 and at the value-optimal threshold, recounted by hand', () => {
    const y = Int8Array.from([1, 1, 0, 0, 0]);
    const s = [0.9, 0.3, 0.6, 0.2, 0.1];
    const values = { tp: 0, fp: -1, tn: 0, fn: -5 };
    // At 0.5: tp 1 (0.9), fn 1 (0.3), fp 1 (0.6): (−5 − 1) / 5.
    expect(expectedValue(y, s, values, '0.5')).toEqual({ value: -6 / 5, threshold: 0.5 });
    // Best: positive from 0.3 down: tp 2, fp 1 (0.6) → −1/5.
    const best = expectedValue(y, s, values, 'value-optimal');
    expect(best.value).toBeCloseTo(-1 / 5, 12);
    expect(best.threshold).toBeLessThanOrEqual(0.3);
    expect(best.threshold).toBeGreaterThan(0.2);
  });
});

describe('worstFairnessGap', () => {
  test('hand-worked two groups: the larger of the selection-rate and TPR gaps', () => {
    // Group A (4 rows): y 1 1 0 0, selected 1 0 1 0 → selection 0.5, TPR 0.5.
    // Group B (6 rows): y 1 1 0 0 0 0, selected 1 1 0 0 0 0 → selection 1/3, TPR 1.
    const table: Table = {
      nRows: 10,
      columns: [{ name: 'g', kind: 'categorical', categories: ['A', 'B'], codes: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]) }],
    } as unknown as Table;
    const grouping = partition(table, [{ column: 'g' }], { minSize: 1 });
    const y = Int8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0]);
    const s = [0.9, 0.1, 0.9, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1];
    const g = worstFairnessGap(y, s, [grouping], 0.5)!;
    // Reference: the largest group (B). DP gap |0.5 − 1/3| = 1/6; EO gap |0.5 − 1| = 0.5.
    expect(g.measure).toBe('equalOpportunityDifference');
    expect(g.value).toBeCloseTo(0.5, 12);
    expect(g.group).toBe('g=A');
    expect(worstFairnessGap(y, s, [], 0.5)).toBeNull();
  });
});

describe('latencyFacts', () => {
  test('percentiles of batch 1 and the best batch within the budget', () => {
    const b1 = Float64Array.from({ length: 101 }, (_, i) => 1 + i / 100); // 1.00 … 2.00 ms
    const f = latencyFacts(b1, [
      { batch: 8, workerMs: [2, 2, 2] }, // 4000 rows/s, p95 2
      { batch: 64, workerMs: [8, 8, 8] }, // 8000 rows/s, p95 8
      { batch: 256, workerMs: [40, 40, 40] }, // 6400 rows/s
    ], 10);
    expect(f.p50Ms).toBeCloseTo(1.5, 12);
    expect(f.p95Ms).toBeCloseTo(1.95, 12);
    expect(f.bestBatch).toBe(64);
    expect(f.bestThroughput).toBeCloseTo(8000, 9);
    expect(latencyFacts(b1, [{ batch: 8, workerMs: [20] }], 10)).toMatchObject({ bestBatch: null, bestThroughput: null, budgetMs: 10 });
  });
});
