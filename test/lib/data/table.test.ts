import { describe, expect, test } from 'vitest';
import { allRows, cellText, column, takeRows, tableBuffers, type Table } from '../../../src/lib/data/table';

const stats = { missing: 0, invalid: 0, distinct: 0, invalidExamples: [] };
const table: Table = {
  nRows: 3,
  columns: [
    { kind: 'numeric', name: 'x', values: Float64Array.from([1.5, NaN, 3]), stats },
    { kind: 'categorical', name: 'c', categories: ['a', 'b'], codes: Int32Array.from([1, -1, 0]), stats },
  ],
};

describe('table helpers', () => {
  test('cellText shows missing as empty', () => {
    expect([0, 1, 2].map((i) => cellText(table.columns[0], i))).toEqual(['1.5', '', '3']);
    expect([0, 1, 2].map((i) => cellText(table.columns[1], i))).toEqual(['b', '', 'a']);
    expect(column(table, 'c')?.kind).toBe('categorical');
    expect(column(table, 'nope')).toBeUndefined();
  });

  test('takeRows picks, reorders and repeats rows in every column', () => {
    const t = takeRows(table, [2, 0, 2, 1]);
    expect(t.nRows).toBe(4);
    expect([0, 1, 2, 3].map((i) => cellText(t.columns[0], i))).toEqual(['3', '1.5', '3', '']);
    expect([0, 1, 2, 3].map((i) => cellText(t.columns[1], i))).toEqual(['a', 'b', 'a', '']);
    // A copy: the source is untouched.
    expect(table.columns[0].kind === 'numeric' && table.columns[0].values[0]).toBe(1.5);
  });

  test('tableBuffers lists one buffer per column', () => {
    expect(tableBuffers(table).length).toBe(2);
  });
});

describe('allRows', () => {
  test('the row indexes 0..n-1, and none for an empty table', () => {
    expect(Array.from(allRows(4))).toEqual([0, 1, 2, 3]);
    expect(allRows(0).length).toBe(0);
    const big = allRows(1_000_000);
    expect(big[999_999]).toBe(999_999);
  });
});
