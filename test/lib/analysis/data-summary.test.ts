import { describe, expect, test } from 'vitest';
import type { Table } from '../../../src/lib/data/table';
import { quantileSorted, summarizeColumn, summarizeTable } from '../../../src/lib/analysis/data-summary';

describe('data summary', () => {
  test('quantiles interpolate linearly like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([7], 0.9)).toBe(7);
    expect(Number.isNaN(quantileSorted([], 0.5))).toBe(true);
  });

  test('numeric and categorical columns, missing rows counted once', () => {
    const table: Table = {
      nRows: 5,
      columns: [
        { kind: 'numeric', name: 'x', values: Float64Array.from([1, NaN, 3, 5, NaN]), stats: { missing: 1, invalid: 1, distinct: 3, invalidExamples: ['abc'] } },
        { kind: 'categorical', name: 'c', categories: ['a', 'b'], codes: Int32Array.from([0, 1, 1, -1, 1]), stats: { missing: 1, invalid: 0, distinct: 2, invalidExamples: [] } },
      ],
    };
    const s = summarizeTable(table);
    expect(s.rowsWithMissing).toBe(3);
    const [x, c] = s.byColumn;
    expect([x.min, x.max, x.mean, x.median]).toEqual([1, 5, 3, 3]);
    expect(x.missing).toBe(2);
    expect(x.missingShare).toBe(0.4);
    expect(c.top).toEqual([{ value: 'b', count: 3 }, { value: 'a', count: 1 }]);
  });

  test('an all-missing numeric column has null figures, never NaN', () => {
    const s = summarizeColumn({ kind: 'numeric', name: 'e', values: Float64Array.from([NaN, NaN]), stats: { missing: 2, invalid: 0, distinct: 0, invalidExamples: [] } }, 2);
    expect([s.min, s.max, s.mean, s.median]).toEqual([null, null, null, null]);
  });
});
