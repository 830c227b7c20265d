import { describe, expect, test } from 'vitest';
import { createRng, randInt, resampleIndexes, sampleWithoutReplacement, shuffle } from '../../../src/lib/analysis/random';

describe('seeded randomness', () => {
  test('same seed, same stream; different seeds differ', () => {
    const a = createRng(42), b = createRng(42), c = createRng(43);
    const xa = Array.from({ length: 5 }, a), xb = Array.from({ length: 5 }, b), xc = Array.from({ length: 5 }, c);
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    for (const x of xa) expect(x >= 0 && x < 1).toBe(true);
  });

  test('uniform enough: mean near 1/2 and every bucket used', () => {
    const rng = createRng(7);
    const buckets = new Array(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng();
      sum += x;
      buckets[Math.floor(x * 10)]++;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  test('resampling and sampling stay in range; sampling without replacement has no repeats', () => {
    const rng = createRng(1);
    const r = resampleIndexes(rng, 50);
    expect(Math.max(...r)).toBeLessThan(50);
    const s = sampleWithoutReplacement(rng, 100, 30);
    expect(new Set(s).size).toBe(30);
    expect(sampleWithoutReplacement(rng, 5, 10).length).toBe(5);
    expect(randInt(rng, 3)).toBeLessThan(3);
    const arr = Array.from({ length: 20 }, (_, i) => i);
    expect(shuffle(rng, arr.slice()).sort((x, y) => x - y)).toEqual(arr);
  });
});
