import { describe, expect, test } from 'vitest';
import {
  binCategorical,
  categoricalReference,
  numericReference,
  psi,
  psiCounts,
  psiOf,
  PSI_EPSILON,
  quantileEdges,
  severityOf,
} from '../../../../src/lib/analysis/drift';
import { known, unknown } from '../../../../src/lib/analysis/quality/metric';

const seq = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('PSI', () => {
  test('a hand-computed example on two reference bins', () => {
    // Reference 1..10 cut at its median 5: shares 0.5 | 0.5. Current: 3 of 10 at or below 5.
    // PSI = (0.3 − 0.5)·ln(0.3/0.5) + (0.7 − 0.5)·ln(0.7/0.5) = 0.2·ln(5/3) + 0.2·ln(1.4)
    const r = psi(seq(1, 10), [1, 2, 3, 6, 7, 8, 9, 10, 11, 12], { bins: 2 });
    expect(r.value.value).toBeCloseTo(0.16945957207744072, 14);
    expect(r.bins.map((b) => [b.label, b.refCount, b.curCount])).toEqual([
      ['≤ 5', 5, 3],
      ['> 5', 5, 7],
    ]);
    expect(r.bins[0].term).toBeCloseTo(0.2 * Math.log(5 / 3), 14);
  });

  test('deciles of the reference, the outer bins open', () => {
    expect(quantileEdges(seq(1, 100))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(quantileEdges(seq(1, 7), 2)).toEqual([4]);
    const same = psi(seq(1, 100), seq(1, 100));
    expect(same.value.value).toBe(0);
    expect(same.bins).toHaveLength(10);
    // Every current value above the reference maximum lands in the last bin.
    const above = psi(seq(1, 100), seq(1001, 1100));
    expect(above.bins[9].curShare).toBe(1);
    const eps = PSI_EPSILON;
    expect(above.value.value).toBeCloseTo(9 * (eps - 0.1) * Math.log(eps / 0.1) + 0.9 * Math.log(10), 12);
  });

  test('few distinct values: repeated cut points merge into one bin per value', () => {
    const ref = [1, 1, 1, 2, 2, 2, 3, 3, 4, 4];
    // Cuts at 1, 2, 3 and the maximum 4, which is dropped so the top bin holds the 4s.
    expect(quantileEdges(ref)).toEqual([1, 2, 3]);
    expect(numericReference(ref).bins.map((b) => b.label)).toEqual(['≤ 1', '(1, 2]', '(2, 3]', '> 3']);
  });

  test('a constant reference: one cut at the constant', () => {
    const ref = new Float64Array(50).fill(5);
    const same = psi(ref, new Float64Array(20).fill(5));
    expect(same.bins.map((b) => b.label)).toEqual(['≤ 5', '> 5']);
    expect(same.value.value).toBe(0);
    // All current values above: both bins swap, each empty share taken as 1e-4.
    expect(psi(ref, new Float64Array(20).fill(6)).value.value).toBeCloseTo(2 * (1 - PSI_EPSILON) * Math.log(1 / PSI_EPSILON), 12);
  });

  test('missing values are a bin of their own; all missing is comparable, no rows is not', () => {
    const withMissing = psi([1, 2, 3, 4, NaN], [1, 2, NaN, NaN, NaN], { bins: 2 });
    expect(withMissing.bins.map((b) => b.label)).toEqual(['≤ 2', '> 2', 'missing']);
    expect(withMissing.bins[2]).toMatchObject({ missing: true, refShare: 0.2, curShare: 0.6 });

    const allMissing = psi([NaN, NaN], [NaN]);
    expect(allMissing.bins.map((b) => b.label)).toEqual(['all values', 'missing']);
    expect(allMissing.value.value).toBe(0);
    expect(psi([NaN, NaN], [1, 2]).value.value).toBeCloseTo(2 * (1 - PSI_EPSILON) * Math.log(1 / PSI_EPSILON), 12);

    expect(psi([], [1]).value).toEqual(unknown('no reference rows'));
    expect(psi([1], []).value).toEqual(unknown('no current rows'));
    // No missing on either side: no missing bin.
    expect(psi([1, 2], [1, 2]).bins.some((b) => b.missing)).toBe(false);
  });

  test('categorical: matched by text, a category only in current gets its own bin', () => {
    const ref = categoricalReference(Int32Array.from([0, 0, 1, 1]), ['a', 'b']);
    // The current dictionary is in another order and has 'c'; 'unused' never occurs and is dropped.
    const pair = binCategorical(ref, Int32Array.from([1, 0, 2, 2]), ['b', 'a', 'c', 'unused']);
    expect(pair.bins.map((b) => b.label)).toEqual(['a', 'b', 'c']);
    expect(Array.from(pair.ref)).toEqual([2, 2, 0]);
    expect(Array.from(pair.cur)).toEqual([1, 1, 2]);
    // 2·(0.25 − 0.5)·ln(0.25/0.5) + (0.5 − 1e-4)·ln(0.5/1e-4)
    expect(psiOf(pair).value.value).toBeCloseTo(4.60431846666895, 12);
  });

  test('counts with a missing bin', () => {
    const r = psiCounts([50, 50], [50, 30], ['x', 'y'], { ref: 0, cur: 20 });
    expect(r.bins.map((b) => b.label)).toEqual(['x', 'y', 'missing']);
    const expected = (0.3 - 0.5) * Math.log(0.3 / 0.5) + (0.2 - PSI_EPSILON) * Math.log(0.2 / PSI_EPSILON);
    expect(r.value.value).toBeCloseTo(expected, 12);
  });

  test('severity thresholds 0.1 and 0.25', () => {
    expect(severityOf(known(0.0999))).toBe('none');
    expect(severityOf(known(0.1))).toBe('moderate');
    expect(severityOf(known(0.2499))).toBe('moderate');
    expect(severityOf(known(0.25))).toBe('major');
    expect(severityOf(unknown('no rows'))).toBe('unknown');
  });
});
