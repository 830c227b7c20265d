import { describe, expect, test } from 'vitest';
import { mape, regressionErrors, regressionQuality } from '../../../../src/lib/analysis/quality/regression';

describe('regression quality', () => {
  test("sklearn docs' example (values from sklearn 1.2.1)", () => {
    const y = [3, -0.5, 2, 7], p = Float64Array.from([2.5, 0, 2, 8]);
    const q = regressionQuality(y, p);
    expect(q.n).toBe(4);
    expect(q.mae.value).toBe(0.5);
    expect(q.rmse.value).toBeCloseTo(0.6123724356957945, 12);
    expect(q.r2.value).toBeCloseTo(0.9486081370449679, 12);
    expect(q.mape.value.value).toBeCloseTo(0.3273809523809524, 12);
    expect(q.mape.excluded).toBe(0);
    expect(q.meanResidual.value).toBe(0.25);
    expect(Array.from(q.residuals.values)).toEqual([-0.5, 0.5, 0, 1]);
    expect(Array.from(q.residuals.rows)).toEqual([0, 1, 2, 3]);
    expect(q.scatter.extent).toEqual([-0.5, 8]);
    expect(q.residualHistogram.reduce((a, b) => a + b.count, 0)).toBe(4);
  });

  test('zero targets are left out of MAPE and counted; none left gives a reason', () => {
    expect(mape([0, 1, 2], [1, 1, 1])).toEqual({ value: { value: 0.25, reason: null }, excluded: 1 });
    expect(mape([0, 0], [1, 1])).toEqual({ value: { value: null, reason: 'every target is zero' }, excluded: 2 });
  });

  test('a constant target has no R²; unusable rows are skipped; no rows gives reasons', () => {
    const c = regressionErrors([5, 5, 5], [4, 5, 7]);
    expect(c.r2).toEqual({ value: null, reason: 'the target is constant' });
    expect(c.mae.value).toBe(1);
    const q = regressionQuality([1, NaN, 3, 4], Float32Array.from([1, 2, NaN, 5]));
    expect(q.n).toBe(2);
    expect(q.mae.value).toBe(0.5);
    expect(Array.from(q.residuals.rows)).toEqual([0, 3]);
    expect(Array.from(q.residuals.values)).toEqual([0, 1]);
    const none = regressionQuality([], new Float64Array(0));
    expect([none.mae.reason, none.r2.reason, none.mape.value.reason]).toEqual(['no rows', 'no rows', 'no rows']);
    expect(none.scatter.extent).toBeNull();
    expect(none.residualHistogram).toEqual([]);
  });

  test('predicted-vs-actual: all rows when few, a seeded sample of ≤ 2000 otherwise', () => {
    const n = 10_000;
    const y = Float64Array.from({ length: n }, (_, i) => i);
    const p = Float64Array.from({ length: n }, (_, i) => i + (i % 7) - 3);
    const a = regressionQuality(y, p), b = regressionQuality(y, p);
    expect(a.scatter.rows.length).toBe(2000);
    expect(Array.from(a.scatter.rows)).toEqual(Array.from(b.scatter.rows));
    expect(Array.from(regressionQuality(y, p, { seed: 2 }).scatter.rows)).not.toEqual(Array.from(a.scatter.rows));
    for (let k = 1; k < a.scatter.rows.length; k++) expect(a.scatter.rows[k]).toBeGreaterThan(a.scatter.rows[k - 1]);
    const i = a.scatter.rows[10];
    expect([a.scatter.actual[10], a.scatter.predicted[10]]).toEqual([y[i], p[i]]);
    expect(a.residualHistogram.reduce((s, h) => s + h.count, 0)).toBe(n);
    expect(regressionQuality(y.subarray(0, 50), p.subarray(0, 50)).scatter.rows.length).toBe(50);
  });
});
