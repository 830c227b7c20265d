import { describe, expect, test } from 'vitest';
import {
  accuracyOptimalThreshold,
  binaryLabels,
  binaryQuality,
  brierScore,
  buildThresholdTable,
  calibrationCurve,
  confusionAt,
  logLoss,
  metricsAt,
  prCurve,
  rocCurve,
  thresholdAboveAll,
} from '../../../../src/lib/analysis/quality/binary';
import { createRng } from '../../../../src/lib/analysis/random';

// Four positives (0.9, 0.7, 0.6, 0.4) and four negatives (0.8, 0.55, 0.4, 0.1): one cross-class tie at 0.4.
const y = Int8Array.from([1, 0, 1, 1, 0, 0, 1, 0]);
const s = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.4, 0.1]);

/** AUC as a pair count: P(score_pos > score_neg) + 1/2 P(tie). */
export function bruteAuc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  let num = 0, pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return num / pairs;
}

function recount(y: ArrayLike<number>, s: ArrayLike<number>, t: number) {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const p = s[i] >= t;
    if (y[i] === 1) p ? c.tp++ : c.fn++;
    else p ? c.fp++ : c.tn++;
  }
  return c;
}

function randomData(n: number, seed: number, round = 100) {
  const rng = createRng(seed);
  const y = new Int8Array(n), s = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng() < 0.3 ? 1 : 0;
    // Scores rounded to a grid, so ties are common; positives score higher on average.
    s[i] = Math.round(Math.min(1, Math.max(0, rng() * 0.7 + y[i] * 0.3)) * round) / round;
  }
  return { y, s };
}

describe('threshold table', () => {
  test('distinct scores descending with cumulative counts', () => {
    const t = buildThresholdTable(y, s);
    expect([t.n, t.positives, t.negatives]).toEqual([8, 4, 4]);
    expect(Array.from(t.scores)).toEqual([0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.1]);
    expect(Array.from(t.tp)).toEqual([1, 1, 2, 3, 3, 4, 4]);
    expect(Array.from(t.fp)).toEqual([0, 1, 1, 1, 2, 3, 4]);
  });

  test('metrics at 0.5 by hand', () => {
    const m = metricsAt(buildThresholdTable(y, s), 0.5);
    expect(m.confusion).toEqual({ tp: 3, fp: 2, tn: 2, fn: 1 });
    expect(m.accuracy.value).toBe(5 / 8);
    expect(m.balancedAccuracy.value).toBe(0.625);
    expect(m.precision.value).toBe(0.6);
    expect(m.recall.value).toBe(0.75);
    expect(m.specificity.value).toBe(0.5);
    expect(m.f1.value).toBeCloseTo(2 / 3, 12);
    expect(m.fpr.value).toBe(0.5);
    expect(m.fnr.value).toBe(0.25);
    expect(m.selectionRate.value).toBe(5 / 8);
  });

  test('score equal to the threshold is positive; above every score predicts none', () => {
    const t = buildThresholdTable(y, s);
    expect(confusionAt(t, 0.4)).toEqual({ tp: 4, fp: 3, tn: 1, fn: 0 });
    expect(confusionAt(t, 0.41)).toEqual({ tp: 3, fp: 2, tn: 2, fn: 1 });
    expect(confusionAt(t, 0)).toEqual({ tp: 4, fp: 4, tn: 0, fn: 0 });
    expect(thresholdAboveAll(t)).toBe(1);
    const m = metricsAt(t, 1);
    expect(m.confusion).toEqual({ tp: 0, fp: 0, tn: 4, fn: 4 });
    expect(m.precision).toEqual({ value: null, reason: 'no rows predicted positive' });
    expect(m.f1.value).toBe(0);
  });

  test('a score of exactly 1 gets a threshold just above it', () => {
    const t = buildThresholdTable(Int8Array.from([1, 0]), Float64Array.from([1, 0.2]));
    const above = thresholdAboveAll(t);
    expect(above).toBeGreaterThan(1);
    expect(confusionAt(t, above).tp).toBe(0);
  });

  test('matches a direct recount at many thresholds on random tied data', () => {
    const d = randomData(5000, 3);
    const t = buildThresholdTable(d.y, d.s);
    for (const th of [0, 0.05, 0.1, 0.3, 0.33, 0.5, 0.505, 0.7, 0.99, 1, 1.5, -1]) expect(confusionAt(t, th)).toEqual(recount(d.y, d.s, th));
  });

  test('rows with unknown labels or scores are skipped', () => {
    const t = buildThresholdTable(Int8Array.from([1, -1, 0, 1]), Float64Array.from([0.8, 0.9, NaN, 0.3]));
    expect([t.n, t.positives, t.negatives]).toEqual([2, 2, 0]);
    expect(Array.from(binaryLabels(Int32Array.from([0, 1, -1, 2]), 1))).toEqual([0, 1, -1, 0]);
  });

  test('100k rows: a threshold change is a binary search (timed, not asserted)', () => {
    const d = randomData(100_000, 9, 1e6);
    const b0 = performance.now();
    const t = buildThresholdTable(d.y, d.s);
    const build = performance.now() - b0;
    const t0 = performance.now();
    const K = 10_000;
    let sink = 0;
    for (let k = 0; k < K; k++) sink += metricsAt(t, k / K).confusion.tp;
    const per = (performance.now() - t0) / K;
    console.log(`[quality] 100k rows: table built in ${build.toFixed(1)} ms; metricsAt ${(per * 1000).toFixed(2)} µs per threshold`);
    expect(sink).toBeGreaterThan(0);
  });
});

describe('threshold-free metrics', () => {
  test('ROC AUC equals the pair count with ties counting 1/2', () => {
    const roc = rocCurve(buildThresholdTable(y, s));
    expect(roc.auc.value).toBe(11.5 / 16);
    expect(bruteAuc(y, s)).toBe(11.5 / 16);
    expect(Array.from(roc.points.x)).toEqual([0, 0, 0.25, 0.25, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(roc.points.y)).toEqual([0, 0.25, 0.25, 0.5, 0.75, 0.75, 1, 1]);
    expect(roc.points.threshold[0]).toBe(1);
    expect(roc.points.threshold[7]).toBe(0.1);
    for (const seed of [1, 2, 3]) {
      const d = randomData(1500, seed, 20);
      expect(rocCurve(buildThresholdTable(d.y, d.s)).auc.value).toBeCloseTo(bruteAuc(d.y, d.s), 12);
    }
  });

  test('AP is sklearn step-wise Σ (R_n − R_{n−1}) P_n', () => {
    const pr = prCurve(buildThresholdTable(y, s));
    expect(pr.averagePrecision.value).toBeCloseTo(251 / 336, 12);
    // sklearn 1.2.1 (Debian python3-sklearn) average_precision_score(y, s) on the same arrays.
    expect(pr.averagePrecision.value).toBeCloseTo(0.7470238095238095, 12);
    expect(pr.points.x[0]).toBe(0);
    expect(pr.points.y[0]).toBe(1);
    expect(pr.baseline.value).toBe(0.5);
  });

  test('log loss, Brier, accuracy-optimal threshold by hand', () => {
    const expected = -(Math.log(0.9) + Math.log(0.7) + Math.log(0.6) + Math.log(0.4) + Math.log(0.2) + Math.log(0.45) + Math.log(0.6) + Math.log(0.9)) / 8;
    expect(logLoss(y, s).value).toBeCloseTo(expected, 12);
    // sklearn 1.2.1 log_loss(y, s) and brier_score_loss(y, s).
    expect(logLoss(y, s).value).toBeCloseTo(0.6141604454140492, 12);
    expect(brierScore(y, s).value).toBeCloseTo(0.2165625, 12);
    const best = accuracyOptimalThreshold(buildThresholdTable(y, s));
    expect(best.threshold).toBe(0.6);
    expect(best.value.value).toBe(0.75);
    expect(logLoss(Int8Array.from([1, 0]), Float64Array.from([1, 1])).value).toBeCloseTo(-Math.log(1 - (1 - 1e-15)) / 2, 9);
  });

  test('calibration: 10 uniform bins, empty ones left out, ECE count-weighted', () => {
    const cal = calibrationCurve(y, s);
    expect(cal.bins.map((b) => [b.lo, b.count])).toEqual([[0, 1], [0.3, 2], [0.5, 2], [0.6, 1], [0.7, 1], [0.8, 1]]);
    const b5 = cal.bins[2];
    expect(b5.meanPredicted).toBeCloseTo(0.575, 12);
    expect(b5.observedRate).toBe(0.5);
    expect(cal.ece.value).toBeCloseTo(1.65 / 8, 12);
    const q = calibrationCurve(y, s, { bins: 4, strategy: 'quantile' });
    expect(q.bins.reduce((a, b) => a + b.count, 0)).toBe(8);
    expect(q.bins.length).toBeLessThanOrEqual(4);
  });

  test('curves are thinned to ≤ 500 points with the exact AUC kept', () => {
    const d = randomData(100_000, 5, 1e6);
    const t = buildThresholdTable(d.y, d.s);
    const roc = rocCurve(t);
    expect(roc.points.total).toBeGreaterThan(10_000);
    expect(roc.points.x.length).toBeLessThanOrEqual(500);
    expect([roc.points.x[0], roc.points.y[0]]).toEqual([0, 0]);
    expect([roc.points.x.at(-1), roc.points.y.at(-1)]).toEqual([1, 1]);
    let area = 0;
    for (let i = 1; i < roc.points.x.length; i++) area += ((roc.points.x[i] - roc.points.x[i - 1]) * (roc.points.y[i] + roc.points.y[i - 1])) / 2;
    expect(Math.abs(area - roc.auc.value!)).toBeLessThan(0.002);
    const pr = prCurve(t);
    expect(pr.points.x.length).toBeLessThanOrEqual(500);
    for (let i = 1; i < roc.points.threshold.length; i++) expect(roc.points.threshold[i]).toBeLessThan(roc.points.threshold[i - 1]);
  });
});

describe('degenerate inputs give reasons, never NaN', () => {
  const noNaN = (x: unknown) => expect(JSON.stringify(x, (_, v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN!' : v))).not.toContain('NaN!');

  test('one class only', () => {
    const q = binaryQuality(Int8Array.from([1, 1, 1]), Float64Array.from([0.2, 0.6, 0.9]));
    expect(q.roc.auc).toEqual({ value: null, reason: 'only one class in the labels' });
    expect(q.atThreshold.specificity.reason).toBe('no negative rows');
    expect(q.atThreshold.balancedAccuracy.reason).toBe('only one class in the labels');
    expect(q.pr.averagePrecision.value).toBe(1);
    expect(q.atThreshold.recall.value).toBe(2 / 3);
    noNaN(q);
    const neg = binaryQuality(Int8Array.from([0, 0]), Float64Array.from([0.2, 0.6]));
    expect(neg.pr.averagePrecision.reason).toBe('no positive rows');
    expect(neg.atThreshold.f1.value).toBe(0);
    noNaN(neg);
  });

  test('all scores equal', () => {
    const q = binaryQuality(Int8Array.from([1, 0, 0, 1, 0]), Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.5]));
    expect(q.roc.auc.value).toBe(0.5);
    expect(q.table.scores.length).toBe(1);
    expect(q.pr.averagePrecision.value).toBe(0.4);
    expect(q.atThreshold.selectionRate.value).toBe(1);
    expect(q.accuracyOptimal).toEqual({ threshold: 1, value: { value: 0.6, reason: null } });
    noNaN(q);
  });

  test('no rows', () => {
    const q = binaryQuality(new Int8Array(0), new Float64Array(0));
    expect(q.atThreshold.accuracy.reason).toBe('no rows');
    expect(q.roc.auc.reason).toBe('no rows');
    expect(q.logLoss.reason).toBe('no rows');
    expect(q.calibration.ece.reason).toBe('no rows');
    expect(q.accuracyOptimal.value.reason).toBe('no rows');
    noNaN(q);
  });
});
