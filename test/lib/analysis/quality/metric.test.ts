import { describe, expect, test } from 'vitest';
import { cutBetween, formatNumber, known, ratio, unknown } from '../../../../src/lib/analysis/quality/metric';
import { downsampleIndexes } from '../../../../src/lib/analysis/quality/curves';

describe('metric values', () => {
  test('non-finite numbers become null with a reason', () => {
    expect(known(0.5)).toEqual({ value: 0.5, reason: null });
    expect(known(NaN)).toEqual({ value: null, reason: 'not a finite number' });
    expect(known(Infinity, 'overflow')).toEqual({ value: null, reason: 'overflow' });
    expect(ratio(1, 0, 'no rows')).toEqual({ value: null, reason: 'no rows' });
    expect(ratio(1, 4, 'no rows').value).toBe(0.25);
    expect(unknown('why')).toEqual({ value: null, reason: 'why' });
  });

  test('split thresholds are short decimals strictly between neighbours', () => {
    expect(cutBetween(25, 26)).toBe(25.5);
    expect(cutBetween(1169, 1170)).toBe(1169.5);
    expect(cutBetween(1, 100)).toBe(50);
    expect(cutBetween(0.1234, 0.5678)).toBe(0.3);
    expect(cutBetween(-2, -1)).toBe(-1.5);
    const a = 1, b = 1 + Number.EPSILON;
    expect(cutBetween(a, b)).toBe(a);
    expect(formatNumber(19.6)).toBe('19.6');
    expect(formatNumber(1234567)).toBe('1235000');
    expect(formatNumber(1.50001e-7)).toBe('1.5e-7');
    expect(formatNumber(0.1 + 0.2, 17)).toBe('0.30000000000000004');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('curve thinning', () => {
  test('short curves are kept whole; long ones keep ends and corners', () => {
    expect(Array.from(downsampleIndexes([0, 1, 2], [0, 1, 0], 10))).toEqual([0, 1, 2]);
    // A step: flat, one jump at x = 700, flat again.
    const n = 2000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i < 700 ? 0 : 1));
    const idx = downsampleIndexes(x, y, 50);
    expect(idx.length).toBe(50);
    expect([idx[0], idx[49]]).toEqual([0, n - 1]);
    expect(Array.from(idx).some((i) => i === 699 || i === 700)).toBe(true);
    for (let k = 1; k < idx.length; k++) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
  });
});
