import { describe, expect, test } from 'vitest';
import { argmaxRows, multiclassQuality } from '../../../../src/lib/analysis/quality/multiclass';

// Five labelled rows of three classes and one unlabelled row (skipped).
const probs = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4, 0.5, 0.4, 0.1, 0.2, 0.2, 0.6]);
const actual = Int32Array.from([0, 1, 2, 2, 1, -1]);

describe('multiclass quality', () => {
  test('confusion, per-class, averages, top-k and log loss by hand (and sklearn 1.2.1)', () => {
    const q = multiclassQuality(probs, 3, actual);
    expect(q.n).toBe(5);
    expect(Array.from(q.confusion)).toEqual([1, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(q.accuracy.value).toBe(0.6);
    expect(q.perClass.map((c) => [c.precision.value, c.recall.value, c.support, c.predicted])).toEqual([
      [0.5, 1, 1, 2],
      [0.5, 0.5, 2, 2],
      [1, 0.5, 2, 1],
    ]);
    expect(q.perClass[0].f1.value).toBeCloseTo(2 / 3, 12);
    // sklearn precision_recall_fscore_support(average='macro' / 'weighted').
    expect(q.macro.precision.value).toBeCloseTo(2 / 3, 12);
    expect(q.macro.recall.value).toBeCloseTo(2 / 3, 12);
    expect(q.macro.f1.value).toBeCloseTo(0.611111111111111, 12);
    expect(q.weighted.precision.value).toBeCloseTo(0.7, 12);
    expect(q.weighted.recall.value).toBeCloseTo(0.6, 12);
    expect(q.weighted.f1.value).toBeCloseTo(0.6, 12);
    // sklearn top_k_accuracy_score for k = 1, 2, 3 and log_loss.
    expect(q.topK.map((t) => t.accuracy.value)).toEqual([0.6, 1, 1]);
    expect(q.logLoss.value).toBeCloseTo(0.7808109671557938, 12);
    expect(q.logLoss.value).toBeCloseTo(-(Math.log(0.7) + Math.log(0.6) + Math.log(0.3) + Math.log(0.4) + Math.log(0.4)) / 5, 12);
  });

  test('top-k ranks ties as sklearn does: the higher class index first', () => {
    const q = multiclassQuality(Float64Array.from([0.4, 0.4, 0.2]), 3, Int32Array.from([0]));
    expect(q.accuracy.value).toBe(1); // argmax takes the first maximum
    expect(q.topK.map((t) => t.accuracy.value)).toEqual([0, 1, 1]);
  });

  test('top-k stops at 5 classes; given predictions override the argmax', () => {
    const C = 7;
    const p = new Float64Array(C).fill(0.1);
    p[6] = 0.4;
    const q = multiclassQuality(p, C, Int32Array.from([3]), Int32Array.from([3]));
    expect(q.topK.map((t) => t.k)).toEqual([1, 2, 3, 4, 5]);
    expect(q.accuracy.value).toBe(1);
    // Ties (0.1) with classes 4 and 5 rank above class 3, plus class 6: rank 3.
    expect(q.topK.map((t) => t.accuracy.value)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(argmaxRows(p, C))).toEqual([6]);
  });

  test('a class never predicted: null precision with a reason, 0 in the macro average (sklearn)', () => {
    const q = multiclassQuality(Float64Array.from([0.9, 0.1, 0, 0.8, 0.2, 0]), 3, Int32Array.from([0, 1]));
    expect(q.perClass[1].precision).toEqual({ value: null, reason: 'no rows predicted as this class' });
    expect(q.perClass[1].f1.value).toBe(0);
    expect(q.perClass[2].recall.reason).toBe('no rows of this class');
    // Classes 0 and 1 occur; class 2 is in neither labels nor predictions, so it is not averaged.
    expect(q.macro.precision.value).toBe(0.25);
    expect(q.macro.recall.value).toBe(0.5);
  });

  test('one class only and no rows', () => {
    const one = multiclassQuality(Float64Array.from([0.9, 0.1, 0.6, 0.4]), 2, Int32Array.from([0, 0]));
    expect(one.accuracy.value).toBe(1);
    expect(one.macro.f1.value).toBe(1);
    const none = multiclassQuality(Float64Array.from([0.9, 0.1]), 2, Int32Array.from([-1]));
    expect(none.n).toBe(0);
    expect(none.accuracy.reason).toBe('no rows');
    expect(none.macro.f1.reason).toBe('no rows');
    expect(none.logLoss.reason).toBe('no rows');
    expect(none.topK[0].accuracy.reason).toBe('no rows');
  });
});
