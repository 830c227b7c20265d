import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../../../src/lib/data/table';
import { isTimeLike, timeColumns } from '../../../../src/lib/analysis/drift-view/time-columns';

const stats = { missing: 0, invalid: 0, distinct: 2, invalidExamples: [] };
const text = (name: string, categories: string[]): Column => ({ name, kind: 'categorical', codes: Int32Array.from(categories.map((_, i) => i)), categories, stats });
const num = (name: string): Column => ({ name, kind: 'numeric', values: Float64Array.from([1, 2]), stats });

describe('time columns', () => {
  it('takes date texts and time-named numbers, dates first', () => {
    const table: Table = { nRows: 2, columns: [num('Year'), text('Purpose', ['car', 'radio']), text('ApplicationDate', ['2025-01-01', '2025-02-01']), num('Age')] };
    expect(timeColumns(table)).toEqual(['ApplicationDate', 'Year']);
  });
  it('refuses short texts that Date.parse happens to read', () => {
    expect(isTimeLike(text('Code', ['1', '2']))).toBe(false);
    expect(isTimeLike(text('When', ['03/01/2024', '04/01/2024']))).toBe(true);
  });
});
