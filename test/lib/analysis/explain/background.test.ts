/** Background sets: seeded samples and k-means summaries of real rows with cluster weights. */
import { describe, expect, test } from 'vitest';
import { backgroundWeights, kmeansBackground, sampleBackground } from '../../../../src/lib/analysis/explain/background';
import { createRng } from '../../../../src/lib/analysis/random';
import { makeTable } from './tables';

describe('backgrounds', () => {
  const rng = createRng(9);
  // Three blobs of 50, 30 and 20 rows, far apart, with a category per blob.
  const centers = [[0, 0], [10, 10], [-10, 10]];
  const sizes = [50, 30, 20];
  const x: number[] = [];
  const y: number[] = [];
  const k: string[] = [];
  sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      x.push(centers[c][0] + rng() - 0.5);
      y.push(centers[c][1] + rng() - 0.5);
      k.push(['a', 'b', 'c'][c]);
    }
  });
  const t = makeTable({ x, y, k });

  test('a sample is seeded, distinct and equally weighted', () => {
    const a = sampleBackground(t, 10, 4);
    const b = sampleBackground(t, 10, 4);
    expect(Array.from(a.rows!)).toEqual(Array.from(b.rows!));
    expect(new Set(a.rows).size).toBe(10);
    expect(a.table.nRows).toBe(10);
    expect(Array.from(backgroundWeights(a))).toEqual(new Array(10).fill(0.1));
    expect(sampleBackground(t, 500, 1).table.nRows).toBe(100);
  });

  test('k-means finds the blobs: real rows, one per blob, weighted by blob size', () => {
    const bg = kmeansBackground(t, ['x', 'y', 'k'], 3, { seed: 1 });
    expect(bg.table.nRows).toBe(3);
    const w = Array.from(bg.weights!);
    const blobs = Array.from(bg.rows!, (r) => k[r]);
    expect(blobs.sort()).toEqual(['a', 'b', 'c']);
    const byBlob = Object.fromEntries(Array.from(bg.rows!, (r, i) => [k[r], w[i]]));
    expect(byBlob).toEqual({ a: 0.5, b: 0.3, c: 0.2 });
    // Each representative is a real row of the table.
    const xs = bg.table.columns[0];
    if (xs.kind !== 'numeric') throw new Error('numeric');
    Array.from(bg.rows!).forEach((r, i) => expect(xs.values[i]).toBe(x[r]));
  });

  test('k-means with k ≥ rows returns every row; weights are validated', () => {
    const small = makeTable({ a: [1, 2, 3] });
    expect(kmeansBackground(small, ['a'], 5).table.nRows).toBe(3);
    expect(() => backgroundWeights({ table: small, weights: [1, -1, 1] })).toThrow();
    expect(Array.from(backgroundWeights({ table: small, weights: [1, 1, 2] }))).toEqual([0.25, 0.25, 0.5]);
  });

  test('k-means summarises 100 rows into 10 weighted medoids that sum to 1', () => {
    const bg = kmeansBackground(t, ['x', 'y'], 10, { seed: 3 });
    expect(bg.table.nRows).toBe(10);
    expect(Array.from(bg.weights!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const again = kmeansBackground(t, ['x', 'y'], 10, { seed: 3 });
    expect(Array.from(again.rows!)).toEqual(Array.from(bg.rows!));
  });
});
