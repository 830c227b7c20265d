/**
 * Drift statistics against known values. Literals marked "scipy" were computed with Debian's
 * python3-scipy 1.17.1; the KS p-values with the formula `ks2` documents:
 *   en = sqrt(n*m/(n+m)); scipy.stats.kstwobign.sf((en + 0.12 + 0.11/en) * D)
 */
import { describe, expect, test } from 'vitest';
import {
  chiSquare,
  chiSquareSf,
  gammaP,
  gammaQ,
  jensenShannon,
  kolmogorovSf,
  ks2,
  lnGamma,
  wasserstein1,
} from '../../../../src/lib/analysis/drift';

const range = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));

describe('special functions', () => {
  test('ln Γ at integers and halves', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(lnGamma(100)).toBeCloseTo(359.13420536957540, 9);
  });

  test('P and Q are complementary and match closed forms', () => {
    // P(1, x) = 1 − e^−x
    for (const x of [0.1, 1, 5, 30]) {
      expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14);
      expect(gammaP(3.5, x) + gammaQ(3.5, x)).toBeCloseTo(1, 14);
    }
    expect(gammaP(2, 0)).toBe(0);
    expect(gammaQ(2, 0)).toBe(1);
  });

  test('chi-square tail (scipy chi2.sf)', () => {
    const cases: [number, number, number][] = [
      [3.84, 1, 0.05004352124870519],
      [3.841458820694124, 1, 0.04999999999999989],
      [10, 3, 0.01856613546304325],
      [0.5, 4, 0.9735009788392561],
      [100, 50, 3.454931382984871e-5],
      [1e-3, 2, 0.9995001249791693],
      [30, 10, 0.000856641210775301],
    ];
    for (const [x, k, p] of cases) expect(chiSquareSf(x, k) / p).toBeCloseTo(1, 10);
    expect(chiSquareSf(200, 3) / 4.218541107192018e-43).toBeCloseTo(1, 8);
    expect(chiSquareSf(0, 3)).toBe(1);
  });

  test('Kolmogorov tail on both sides of the series switch (scipy kstwobign.sf)', () => {
    const cases: [number, number][] = [
      [0.3, 0.9999906941986655],
      [0.5, 0.9639452436648751],
      [1.0, 0.26999967167735456],
      [1.17, 0.12939004218561884],
      [1.19, 0.11774229287977166],
      [1.36, 0.049485876755377876],
      [2.0, 0.0006709252557796953],
    ];
    for (const [l, p] of cases) expect(kolmogorovSf(l)).toBeCloseTo(p, 13);
    expect(kolmogorovSf(3) / 3.045995948942526e-8).toBeCloseTo(1, 10);
    expect(kolmogorovSf(0)).toBe(1);
  });
});

describe('two-sample Kolmogorov-Smirnov', () => {
  test('small samples: D and p-value', () => {
    // scipy: ks_2samp([1..5], [3..8]).statistic = 0.5; p = 0.3670013850902251
    const r = ks2([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]);
    expect(r.statistic.value).toBeCloseTo(0.5, 15);
    expect(r.pValue.value).toBeCloseTo(0.3670013850902251, 12);
    expect([r.n, r.m]).toEqual([5, 6]);
  });

  test('ties step together', () => {
    // scipy: D = 0.48214285714285715, p = 0.2523286150431562
    const r = ks2([1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5, 5, 5]);
    expect(r.statistic.value).toBeCloseTo(0.48214285714285715, 15);
    expect(r.pValue.value).toBeCloseTo(0.2523286150431562, 12);
  });

  test('larger samples, order of arguments irrelevant, missing values left out', () => {
    // scipy: a = 0.01 i (i < 200), b = 0.3 + 0.013 i (i < 150): D = 0.15333333333333332, p = 0.0316512514852219
    // (scipy's current method='asymp' gives 0.03129, the exact-n Kolmogorov distribution).
    const a = range(200, (i) => i * 0.01);
    const b = range(150, (i) => 0.3 + i * 0.013);
    const r = ks2(a, b);
    expect(r.statistic.value).toBeCloseTo(0.15333333333333332, 14);
    expect(r.pValue.value).toBeCloseTo(0.0316512514852219, 12);
    const withNaN = Float64Array.from([...a, NaN, NaN]);
    const s = ks2(b, withNaN);
    expect(s.statistic.value).toBeCloseTo(0.15333333333333332, 14);
    expect(s.pValue.value).toBeCloseTo(0.0316512514852219, 12);
    expect(s.m).toBe(200);
  });

  test('identical samples: D = 0, p = 1; an empty side is unknown, not NaN', () => {
    const r = ks2([1, 2, 3], [3, 2, 1]);
    expect(r.statistic.value).toBe(0);
    expect(r.pValue.value).toBe(1);
    const e = ks2([NaN, NaN], [1, 2]);
    expect(e.statistic).toEqual({ value: null, reason: 'no reference values' });
    expect(e.pValue.value).toBeNull();
  });
});

describe('chi-square test of homogeneity', () => {
  test('matches scipy chi2_contingency(correction=False)', () => {
    // scipy: statistic 2.3877551020408165, dof 2, p 0.30304391468510006
    const r = chiSquare([10, 20, 30], [15, 15, 40]);
    expect(r.statistic.value).toBeCloseTo(2.3877551020408165, 12);
    expect(r.dof).toBe(2);
    expect(r.pValue.value).toBeCloseTo(0.30304391468510006, 12);
    expect(r.smallExpected).toBe(0);
  });

  test('a category only in current counts; empty categories are dropped', () => {
    // scipy: chi2_contingency([[50,30,20,0],[40,30,20,10]]): 11.11111111111111, dof 3, p 0.011139980641667716
    const r = chiSquare([50, 30, 20, 0, 0], [40, 30, 20, 10, 0]);
    expect(r.statistic.value).toBeCloseTo(11.11111111111111, 12);
    expect(r.dof).toBe(3);
    expect(r.pValue.value).toBeCloseTo(0.011139980641667716, 12);
    expect(r.smallExpected).toBe(0);
    // Expected counts of 2 and 2 in the first category: the approximation is rough there.
    expect(chiSquare([3, 50], [1, 50]).smallExpected).toBe(2);
  });

  test('one category, or an empty side: no p-value', () => {
    expect(chiSquare([5], [7]).pValue.value).toBeNull();
    expect(chiSquare([5, 0], [7, 0]).dof).toBe(0);
    expect(chiSquare([0, 0], [1, 2]).statistic.reason).toBe('no reference rows');
  });
});

describe('Jensen-Shannon distance', () => {
  test('identical → 0, disjoint → 1, and a scipy value', () => {
    expect(jensenShannon([1, 2, 3], [2, 4, 6]).value).toBeCloseTo(0, 7);
    expect(jensenShannon([1, 0, 0], [0, 5, 5]).value).toBe(1);
    // scipy: jensenshannon([0.1,0.4,0.5], [0.3,0.3,0.4], base=2) = 0.21663402449519667 (counts normalised)
    expect(jensenShannon([0.1, 0.4, 0.5], [0.3, 0.3, 0.4]).value).toBeCloseTo(0.21663402449519667, 14);
    expect(jensenShannon([10, 40, 50], [3, 3, 4]).value).toBeCloseTo(0.21663402449519667, 14);
  });

  test('an empty distribution is unknown', () => {
    expect(jensenShannon([0, 0], [1, 1]).value).toBeNull();
  });
});

describe('Wasserstein-1', () => {
  test('small arrays (scipy wasserstein_distance)', () => {
    expect(wasserstein1([0, 1, 3], [5, 6, 8]).distance.value).toBeCloseTo(5, 14);
    expect(wasserstein1([0, 1], [0, 1, 2]).distance.value).toBeCloseTo(0.5, 14);
    const r = wasserstein1([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]);
    expect(r.distance.value).toBeCloseTo(2.7, 14);
    // normalised by numpy.std of the reference = 2.01059692628831
    expect(r.normalized.value).toBeCloseTo(2.7 / 2.01059692628831, 12);
    // scipy: 0.2734999999999999
    expect(wasserstein1(range(200, (i) => i * 0.01), range(150, (i) => 0.3 + i * 0.013)).distance.value).toBeCloseTo(0.2735, 12);
  });

  test('a constant reference has no normalised distance; missing values are left out', () => {
    const r = wasserstein1([2, 2, NaN], [3, 3]);
    expect(r.distance.value).toBe(1);
    expect(r.normalized.value).toBeNull();
    expect(wasserstein1([], [1]).distance.value).toBeNull();
  });
});
