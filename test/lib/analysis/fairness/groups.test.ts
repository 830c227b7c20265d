import { describe, expect, test } from 'vitest';
import { binCuts, groupRows, largestGroup, partition } from '../../../../src/lib/analysis/fairness';
import { cat, num, table } from './toy';

const t = table(
  cat('Sex', ['male', 'female', 'male', '', 'female', 'male', 'male', 'female']),
  num('Age', [1, 2, 3, 4, 5, 6, 7, 8]),
  num('Coded', [0, 1, 0, 1, NaN, 0, 1, 1]),
);

describe('sensitive groups', () => {
  test('a categorical column: natural order, missing last, sizes and the small-group flag', () => {
    const g = partition(t, [{ column: 'Sex' }], { minSize: 3 });
    expect(g.groups.map((x) => x.label)).toEqual(['Sex=female', 'Sex=male', 'Sex=(missing)']);
    expect(g.groups.map((x) => x.size)).toEqual([3, 4, 1]);
    expect(g.groups.map((x) => x.tooSmall)).toEqual([false, false, true]);
    expect(Array.from(g.rowGroup)).toEqual([1, 0, 1, 2, 0, 1, 1, 0]);
    expect(g.minSize).toBe(3);
    expect(largestGroup(g)).toBe(1);
    // Default minimum size is 30.
    expect(partition(t, [{ column: 'Sex' }]).groups.every((x) => x.tooSmall)).toBe(true);
  });

  test("missing: 'exclude' leaves such rows out (group -1)", () => {
    const g = partition(t, [{ column: 'Sex' }], { missing: 'exclude' });
    expect(g.groups.map((x) => x.label)).toEqual(['Sex=female', 'Sex=male']);
    expect(g.rowGroup[3]).toBe(-1);
  });

  test('numeric quantile bins: interpolated cut points, data extremes at the open ends', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(binCuts(sorted, { kind: 'quantiles', k: 4 })).toEqual([2.75, 4.5, 6.25]);
    const g = partition(t, [{ column: 'Age', binning: { kind: 'quantiles', k: 4 } }]);
    expect(g.groups.map((x) => x.label)).toEqual(['Age∈[1, 2.75)', 'Age∈[2.75, 4.5)', 'Age∈[4.5, 6.25)', 'Age∈[6.25, 8]']);
    expect(g.groups.map((x) => x.size)).toEqual([2, 2, 2, 2]);
    expect(g.groups[0].parts[0].range).toEqual([-Infinity, 2.75]);
    expect(g.groups[3].parts[0].range).toEqual([6.25, Infinity]);
  });

  test('numeric user edges: each edge starts a bin; empty bins dropped; ties of quantile cuts merged', () => {
    const g = partition(t, [{ column: 'Age', binning: { kind: 'edges', edges: [5, 3, 100] } }]);
    expect(g.groups.map((x) => x.label)).toEqual(['Age∈[1, 3)', 'Age∈[3, 5)', 'Age∈[5, 100)']);
    expect(Array.from(g.rowGroup)).toEqual([0, 0, 1, 1, 2, 2, 2, 2]);
    expect(binCuts(Float64Array.from([0, 0, 0, 0, 0, 0, 1]), { kind: 'quantiles', k: 4 })).toEqual([0]);
  });

  test('a numeric column with few values groups by value (missing its own group)', () => {
    const g = partition(t, [{ column: 'Coded' }]);
    expect(g.groups.map((x) => x.label)).toEqual(['Coded=0', 'Coded=1', 'Coded=(missing)']);
    expect(g.groups.map((x) => x.size)).toEqual([3, 4, 1]);
  });

  test('intersections: non-empty combinations only, labels joined with ×, rows agree with both parts', () => {
    const spec = [{ column: 'Sex' }, { column: 'Age', binning: { kind: 'edges' as const, edges: [5] } }];
    const all = groupRows(t, spec, { intersections: true, minSize: 2 });
    expect(all.map((p) => p.columns)).toEqual([['Sex'], ['Age'], ['Sex', 'Age']]);
    const x = all[2];
    expect(x.groups.map((g) => g.label)).toEqual([
      'Sex=female × Age∈[1, 5)',
      'Sex=female × Age∈[5, 8]',
      'Sex=male × Age∈[1, 5)',
      'Sex=male × Age∈[5, 8]',
      'Sex=(missing) × Age∈[1, 5)',
    ]);
    expect(x.groups.map((g) => g.size)).toEqual([1, 2, 2, 2, 1]);
    expect(x.groups.map((g) => g.tooSmall)).toEqual([true, false, false, false, true]);
    const [sex, age] = all;
    for (let i = 0; i < t.nRows; i++) {
      const parts = x.groups[x.rowGroup[i]].parts;
      expect(parts[0].value).toBe(sex.groups[sex.rowGroup[i]].parts[0].value);
      expect(parts[1].value).toBe(age.groups[age.rowGroup[i]].parts[0].value);
    }
    expect(groupRows(t, spec).length).toBe(2);
    expect(() => partition(t, [{ column: 'Nope' }])).toThrow(/Nope/);
  });
});
