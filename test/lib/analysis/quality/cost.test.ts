import { describe, expect, test } from 'vitest';
import { buildThresholdTable } from '../../../../src/lib/analysis/quality/binary';
import { DEFAULT_OUTCOME_VALUES, expectedValueAt, expectedValueCurve } from '../../../../src/lib/analysis/quality/cost';
import { createRng } from '../../../../src/lib/analysis/random';

const y = Int8Array.from([1, 0, 1, 1, 0, 0, 1, 0]);
const s = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.4, 0.1]);

describe('cost matrix', () => {
  test('German credit defaults: FN costs 5, FP costs 1', () => {
    expect(DEFAULT_OUTCOME_VALUES).toEqual({ tp: 0, fp: -1, tn: 0, fn: -5 });
    const t = buildThresholdTable(y, s);
    // At 0.5: TP 3, FP 2, TN 2, FN 1.
    expect(expectedValueAt(t, 0.5).value).toBe(-7 / 8);
    expect(expectedValueAt(t, 0.5, { tp: 10, fp: -1, tn: 1, fn: -5 }).value).toBe((30 - 2 + 2 - 5) / 8);
  });

  test('best threshold over every distinct score, next to the accuracy-optimal one', () => {
    const c = expectedValueCurve(buildThresholdTable(y, s));
    // Value per rank k = 0..7: -(FP + 5 FN)/8 = -20, -15, -16, -11, -6, -7, -3, -4 (/8).
    expect(Array.from(c.value, (v) => v * 8)).toEqual([-20, -15, -16, -11, -6, -7, -3, -4]);
    expect(Array.from(c.threshold)).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.1]);
    expect(c.best).toEqual({ threshold: 0.4, value: { value: -3 / 8, reason: null } });
    expect(c.accuracyOptimal).toEqual({ threshold: 0.6, value: { value: -6 / 8, reason: null } });
  });

  test('long curves are thinned but the best is found on all points', () => {
    const rng = createRng(3);
    const n = 50_000;
    const yy = Int8Array.from({ length: n }, () => (rng() < 0.3 ? 1 : 0));
    const ss = Float64Array.from(yy, (v) => rng() * 0.8 + v * 0.2);
    const t = buildThresholdTable(yy, ss);
    const c = expectedValueCurve(t, DEFAULT_OUTCOME_VALUES, 300);
    expect(c.total).toBe(t.scores.length + 1);
    expect(c.value.length).toBeLessThanOrEqual(300);
    let best = -Infinity;
    for (let k = 0; k <= t.scores.length; k++) best = Math.max(best, expectedValueAt(t, k === 0 ? 1.5 : t.scores[k - 1]).value!);
    expect(c.best.value.value).toBe(best);
    expect(expectedValueAt(t, c.best.threshold).value).toBe(best);
  });

  test('no rows: reasons', () => {
    const c = expectedValueCurve(buildThresholdTable(new Int8Array(0), new Float64Array(0)));
    expect(c.best.value.reason).toBe('no rows');
    expect(c.value.length).toBe(0);
  });
});
