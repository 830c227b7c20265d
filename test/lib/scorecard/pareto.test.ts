import { describe, expect, test } from 'vitest';
import { paretoFront } from '../../../src/lib/scorecard/pareto';

const P = (cost: number | null, quality: number | null) => ({ cost, quality });

describe('paretoFront', () => {
  test('hand-worked: lower cost and higher quality win', () => {
    // A(1, .70) B(2, .80) C(3, .75) D(4, .90) E(5, .90)
    // C is dominated by B (cheaper, better); E by D (cheaper, same quality); A, B, D survive.
    const pts = [P(1, 0.7), P(2, 0.8), P(3, 0.75), P(4, 0.9), P(5, 0.9)];
    expect(paretoFront(pts)).toEqual([0, 1, 3]);
  });

  test('identical points both stay on the front; equal cost keeps only the better quality', () => {
    expect(paretoFront([P(2, 0.8), P(2, 0.8), P(1, 0.5)])).toEqual([2, 0, 1]);
    expect(paretoFront([P(2, 0.8), P(2, 0.7)])).toEqual([0]);
  });

  test('missing values are never on the front and never dominate', () => {
    expect(paretoFront([P(null, 0.99), P(3, 0.7), P(1, null), P(Number.NaN, 1)])).toEqual([1]);
    expect(paretoFront([P(null, null)])).toEqual([]);
  });

  test('direction: for an error metric lower quality values are better', () => {
    // RMSE: (1, 300) vs (2, 250) both on the front; (3, 260) dominated by (2, 250).
    const pts = [P(1, 300), P(2, 250), P(3, 260)];
    expect(paretoFront(pts, false)).toEqual([0, 1]);
    // Read as higher-is-better the same points give only the first (cheapest, highest).
    expect(paretoFront(pts, true)).toEqual([0]);
  });

  test('a single point is its own front; every point on an anti-diagonal is on it', () => {
    expect(paretoFront([P(5, 0.1)])).toEqual([0]);
    const diag = [P(4, 0.9), P(1, 0.6), P(3, 0.8), P(2, 0.7)];
    expect(paretoFront(diag)).toEqual([1, 3, 2, 0]);
  });
});
