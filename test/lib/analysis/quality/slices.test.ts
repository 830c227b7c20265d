import { describe, expect, test } from 'vitest';
import type { Table } from '../../../../src/lib/data/table';
import { binaryHeadlines, compareSlice, maskRows, multiclassHeadlines, regressionHeadlines, sliceMask } from '../../../../src/lib/analysis/quality/slices';

const stats = { missing: 0, invalid: 0, distinct: 0, invalidExamples: [] };
const table: Table = {
  nRows: 6,
  columns: [
    { kind: 'numeric', name: 'Age', values: Float64Array.from([22, 35, NaN, 50, 25, 61]), stats },
    { kind: 'categorical', name: 'Purpose', codes: Int32Array.from([0, 1, 0, -1, 2, 1]), categories: ['car', 'tv', 'education'], stats },
    { kind: 'numeric', name: 'Kids', values: Float64Array.from([0, 1, 2, 1, 0, NaN]), stats },
  ],
};

describe('slice filters', () => {
  test('range (inclusive, missing excluded), categories, AND', () => {
    expect(Array.from(sliceMask(table, []))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(sliceMask(table, [{ column: 'Age', kind: 'range', min: 25, max: 50 }]))).toEqual([0, 1, 0, 1, 1, 0]);
    expect(Array.from(sliceMask(table, [{ column: 'Age', kind: 'range', min: -Infinity, max: 30 }]))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(sliceMask(table, [{ column: 'Purpose', kind: 'categories', values: ['car', 'tv'] }]))).toEqual([1, 1, 1, 0, 0, 1]);
    expect(Array.from(sliceMask(table, [{ column: 'Purpose', kind: 'categories', values: [''] }]))).toEqual([0, 0, 0, 1, 0, 0]);
    expect(Array.from(sliceMask(table, [{ column: 'Kids', kind: 'categories', values: ['1.0', ''] }]))).toEqual([0, 1, 0, 1, 0, 1]);
    const both = sliceMask(table, [
      { column: 'Purpose', kind: 'categories', values: ['car', 'tv'] },
      { column: 'Age', kind: 'range', min: 30, max: 100 },
    ]);
    expect(Array.from(both)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(Array.from(maskRows(both))).toEqual([1, 5]);
    expect(Array.from(maskRows(both, 0))).toEqual([0, 2, 3, 4]);
    expect(() => sliceMask(table, [{ column: 'Nope', kind: 'range', min: 0, max: 1 }])).toThrow(/Nope/);
    expect(() => sliceMask(table, [{ column: 'Purpose', kind: 'range', min: 0, max: 1 }])).toThrow(/not numeric/);
  });
});

describe('slice vs rest', () => {
  const y = Int8Array.from([1, 0, 1, 0, -1, 1]);
  const s = Float64Array.from([0.9, 0.2, 0.3, 0.6, 0.5, 0.8]);

  test('binary headlines for the slice and the rest, with sizes and differences', () => {
    const mask = Uint8Array.from([1, 1, 1, 0, 0, 0]);
    const c = compareSlice(binaryHeadlines(y, s, 0.5), mask);
    expect([c.slice.n, c.slice.counted, c.rest.n, c.rest.counted]).toEqual([3, 3, 3, 2]);
    // Slice: (1, .9) right, (0, .2) right, (1, .3) wrong. Rest: (0, .6) wrong, (1, .8) right.
    expect(c.slice.metrics.accuracy.value).toBeCloseTo(2 / 3, 12);
    expect(c.rest.metrics.accuracy.value).toBe(0.5);
    expect(c.difference.accuracy.value).toBeCloseTo(2 / 3 - 0.5, 12);
    expect(c.slice.metrics.auc.value).toBe(1);
    expect(c.rest.metrics.auc.value).toBe(1);
    expect(c.slice.metrics.recall.value).toBe(0.5);
    expect(c.rest.metrics.precision.value).toBe(0.5);
  });

  test('an empty slice gives reasons, not NaN', () => {
    const c = compareSlice(binaryHeadlines(y, s, 0.5), new Uint8Array(6));
    expect(c.slice.n).toBe(0);
    expect(c.slice.metrics.accuracy).toEqual({ value: null, reason: 'no rows' });
    expect(c.slice.metrics.auc.reason).toBe('no rows');
    expect(c.difference.accuracy.reason).toBe('slice: no rows');
    expect(c.rest.metrics.accuracy.value).toBe(0.6);
    const one = compareSlice(binaryHeadlines(y, s, 0.5), Uint8Array.from([1, 0, 1, 0, 0, 1]));
    expect(one.slice.metrics.auc.reason).toBe('only one class in the labels');
    expect(one.difference.auc.reason).toBe('slice: only one class in the labels');
    expect(JSON.stringify(one)).not.toContain('NaN');
  });

  test('multiclass and regression headlines', () => {
    const probs = Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.5, 0.4, 0.1]);
    const actual = Int32Array.from([0, 1, 1, 2]);
    const mc = compareSlice(multiclassHeadlines(probs, 3, actual), Uint8Array.from([1, 1, 0, 0]));
    expect(mc.slice.metrics.accuracy.value).toBe(1);
    expect(mc.rest.metrics.accuracy.value).toBe(0);
    expect(mc.rest.metrics.macroF1.value).toBe(0);
    const rg = compareSlice(regressionHeadlines([1, 2, 3, NaN], [1.5, 2, 5, 1]), Uint8Array.from([1, 1, 0, 0]));
    expect([rg.slice.counted, rg.rest.n, rg.rest.counted]).toEqual([2, 2, 1]);
    expect(rg.slice.metrics.mae.value).toBe(0.25);
    expect(rg.rest.metrics.mae.value).toBe(2);
    expect(rg.rest.metrics.r2.reason).toBe('the target is constant');
    expect(rg.difference.mae.value).toBe(-1.75);
  });
});
