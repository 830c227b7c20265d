import { describe, expect, test } from 'vitest';
import { bandPath, defaultFrame, extent, formatMs, histogramBars, linePath, makeScale, plotBox, ticks } from '../../../src/lib/charts/layout';

describe('chart layout', () => {
  test('plot box inside the margins', () => {
    const b = plotBox(defaultFrame(500, 200));
    expect(b).toEqual({ x0: 56, x1: 484, y0: 160, y1: 12 });
  });

  test('scales: nice domains, degenerate domains widened, log scale', () => {
    const s = makeScale([0.3, 9.7], [0, 100]);
    expect(s.domain()).toEqual([0, 10]);
    expect(s(5)).toBe(50);
    const flat = makeScale([4, 4], [0, 100], { nice: false });
    expect(flat.domain()[0]).toBeLessThan(4);
    expect(flat.domain()[1]).toBeGreaterThan(4);
    const zero = makeScale([0, 0], [0, 100]);
    expect(zero.domain()).toEqual([0, 1]);
    const log = makeScale([1, 1000], [0, 300], { log: true });
    expect(log(10)).toBeCloseTo(100, 9);
  });

  test('ticks carry positions and labels', () => {
    const s = makeScale([0, 1], [0, 200]);
    const t = ticks(s, 5);
    expect(t.map((x) => x.value)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(t[1].pos).toBeCloseTo(40, 9);
    expect(t[1].label).toBe('0.2');
  });

  test('histogram bars sit on the baseline with heights from counts', () => {
    const x = makeScale([0, 10], [0, 100], { nice: false });
    const y = makeScale([0, 4], [80, 0], { nice: false });
    const bars = histogramBars([{ x0: 0, x1: 5, count: 4 }, { x0: 5, x1: 10, count: 1 }], x, y);
    expect(bars[0]).toEqual({ x: 0, y: 0, width: 49, height: 80 });
    expect(bars[1].height).toBe(20);
    expect(bars[1].y + bars[1].height).toBe(80);
  });

  test('paths skip gaps and step when asked', () => {
    const x = makeScale([0, 2], [0, 20], { nice: false });
    const y = makeScale([0, 1], [10, 0], { nice: false });
    expect(linePath([{ x: 0, y: 0 }, { x: 1, y: 1 }], x, y)).toBe('M0,10L10,0');
    expect(linePath([{ x: 0, y: 0 }, { x: 1, y: 1 }], x, y, { step: true })).toBe('M0,10L10,10L10,0');
    expect(linePath([{ x: 0, y: 0 }, { x: 1, y: NaN }, { x: 2, y: 1 }], x, y)).toBe('M0,10ZM20,0Z'); // two one-point segments: the gap is kept
    expect(bandPath([{ x: 0, lo: 0, hi: 1 }, { x: 2, lo: 0, hi: 1 }], x, y)).toBe('M0,0L20,0L20,10L0,10Z');
  });

  test('extent over several arrays ignores non-finite values', () => {
    expect(extent([3, NaN, 1], Float64Array.from([7, Infinity]))).toEqual([1, 7]);
    expect(extent([NaN])).toBeNull();
  });

  test('milliseconds formatted with sensible units', () => {
    expect(formatMs(0.0123)).toBe('12.3 µs');
    expect(formatMs(3.456)).toBe('3.46 ms');
    expect(formatMs(123.45)).toBe('123.5 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatMs(null)).toBe('—');
  });
});

describe('log ticks and value ticks', () => {
  test('log scales tick at powers of ten, or 1-2-5 on short domains', async () => {
    const { ticks, valueTicks, makeScale, formatMs } = await import('../../../src/lib/charts/layout');
    const wide = makeScale([0.01, 100], [0, 400], { log: true });
    expect(ticks(wide, 6).map((t) => t.value)).toEqual([0.01, 0.1, 1, 10, 100]);
    const narrow = makeScale([1, 20], [0, 400], { log: true, nice: false });
    expect(ticks(narrow, 6).map((t) => t.value)).toEqual([1, 2, 5, 10, 20]);
    expect(ticks(wide, 6, formatMs)[0].label).toBe('10.0 µs');
    const x = makeScale([1, 1024], [0, 300], { log: true, nice: false });
    const v = valueTicks(x, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], 26);
    expect(v[0].value).toBe(1);
    for (let i = 1; i < v.length; i++) expect(v[i].pos - v[i - 1].pos).toBeGreaterThanOrEqual(26);
  });
});
