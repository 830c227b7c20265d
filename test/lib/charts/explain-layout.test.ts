import { describe, expect, test } from 'vitest';
import { beeswarmOffsets, paddedDomain, shortNumber, spanBar } from '../../../src/lib/charts/explain-layout';

describe('beeswarmOffsets', () => {
  test('separate points stay on the axis; coincident ones stack without overlapping', () => {
    expect(Array.from(beeswarmOffsets([0, 100, 200], 3, 20))).toEqual([0, 0, 0]);
    const ys = beeswarmOffsets([50, 50, 50, 50], 3, 100);
    expect(Array.from(ys)).toEqual([0, 6, -6, 12]);
  });

  test('no two placed points overlap, and offsets respect the cap', () => {
    const xs = Array.from({ length: 200 }, (_, i) => (i * 7919) % 97);
    const ys = beeswarmOffsets(xs, 2, 1000);
    for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) expect(Math.hypot(xs[i] - xs[j], ys[i] - ys[j])).toBeGreaterThanOrEqual(4 - 1e-6);
    const capped = beeswarmOffsets(new Array(50).fill(10), 2, 8);
    for (const y of capped) expect(Math.abs(y)).toBeLessThanOrEqual(8);
  });
});

describe('spanBar', () => {
  const x = (v: number) => v * 10;
  test('spans from the lower to the higher end and says which way it goes', () => {
    expect(spanBar(1, 3, x)).toEqual({ x: 10, width: 20, positive: true });
    expect(spanBar(3, 1, x)).toEqual({ x: 10, width: 20, positive: false });
  });
  test('a tiny step is widened around its centre', () => {
    expect(spanBar(1, 1.01, x, 2)).toEqual({ x: 10.05 - 1, width: 2, positive: true });
  });
});

describe('paddedDomain and shortNumber', () => {
  test('domain over several arrays skips non-finite values and pads', () => {
    expect(paddedDomain([[0, 1], Float64Array.of(NaN, 0.5)], 0.1)).toEqual([-0.1, 1.1]);
    expect(paddedDomain([[2, 2]])).toEqual([1.5, 2.5]);
    expect(paddedDomain([[]])).toEqual([0, 1]);
  });
  test('numbers read short', () => {
    expect(shortNumber(0.123456)).toBe('0.123');
    expect(shortNumber(1234.5)).toBe('1230');
    expect(shortNumber(1e-5)).toBe('1.00e-5');
    expect(shortNumber(NaN)).toBe('—');
  });
});
