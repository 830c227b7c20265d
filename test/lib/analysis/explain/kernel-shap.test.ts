/** KernelSHAP on hand-made predictors with known Shapley values, then on the real credit MLP. */
import { describe, expect, test } from 'vitest';
import { createRng } from '../../../../src/lib/analysis/random';
import { sampleBackground, kmeansBackground } from '../../../../src/lib/analysis/explain/background';
import {
  binomial,
  estimateKernelShapCalls,
  kernelShap,
  kernelShapRows,
  sampleCoalitions,
} from '../../../../src/lib/analysis/explain/kernel-shap';
import { withEdits } from '../../../../src/lib/analysis/explain/what-if';
import { hasSample, loadSample } from './predictor';
import { makeTable, randomTable, rowPredictor } from './tables';

describe('KernelSHAP, exact', () => {
  test('an interaction splits equally; an additive term goes to its column', async () => {
    const t = makeTable({ a: [2, 0], b: [3, 0], c: [1, 0] });
    const f = rowPredictor((g) => (g('a') as number) * (g('b') as number) + 3 * (g('c') as number));
    const r = await kernelShap(f, t, 0, ['a', 'b', 'c'], { table: makeTable({ a: [0], b: [0], c: [0] }) });
    expect(r.exact).toBe(true);
    expect(r.base).toBe(0);
    expect(r.output).toBe(9);
    expect([...r.phi]).toEqual([3, 3, 3]);
    expect(r.additivityError).toBeLessThan(1e-12);
  });

  test('weighted background: v(∅) is the weighted mean; a column equal everywhere gets exactly 0', async () => {
    const t = makeTable({ a: [1], b: [5], k: ['x'] });
    const bg = makeTable({ a: [0, 2], b: [1, 3], k: ['x', 'x'] });
    const f = rowPredictor((g) => Math.exp(g('a') as number) * (g('b') as number) + (g('k') === 'x' ? 10 : 0));
    const r = await kernelShap(f, t, 0, ['a', 'b', 'k'], { table: bg, weights: [3, 1] });
    const fb = [Math.exp(0) * 1 + 10, Math.exp(2) * 3 + 10];
    expect(r.base).toBeCloseTo(0.75 * fb[0] + 0.25 * fb[1], 12);
    expect(r.phi[2]).toBe(0);
    // Two players: φ_a = ½[(v(a) − v(∅)) + (v(ab) − v(b))].
    const v = (sa: boolean, sb: boolean) =>
      0.75 * (Math.exp(sa ? 1 : 0) * (sb ? 5 : 1) + 10) + 0.25 * (Math.exp(sa ? 1 : 2) * (sb ? 5 : 3) + 10);
    expect(r.phi[0]).toBeCloseTo(0.5 * (v(true, false) - v(false, false) + v(true, true) - v(false, true)), 12);
    expect(r.phi[1]).toBeCloseTo(0.5 * (v(false, true) - v(false, false) + v(true, true) - v(true, false)), 12);
    expect(r.calls).toBe(2 + 3 * 2); // background once, then 3 coalitions × 2 rows
  });

  test('exact enumeration of 10 nonlinear features is additive to 1e-5 and costs what the estimate says', async () => {
    const rng = createRng(5);
    const t = randomTable(200, 10, rng);
    const names = t.columns.map((c) => c.name);
    const f = rowPredictor((g) => {
      let s = 0;
      for (let j = 0; j < 10; j++) s += Math.sin(g(`x${j}`) as number) * (j + 1);
      return Math.tanh(s / 10) + (g('x0') as number) * (g('x1') as number) ** 2;
    });
    const bg = sampleBackground(t, 30, 2);
    const r = await kernelShapRows(f, t, [0, 1, 2], names, bg, { seed: 1 });
    expect(r.method).toBe('kernel-exact');
    expect(r.additivityError).toBeLessThan(1e-5);
    expect(r.calls).toBe(estimateKernelShapCalls(10, 30, { rows: 3 }));
    expect(f.calls).toBe(r.calls);
  });

  test('KernelSHAP of an edited row: a new category is carried through by text', async () => {
    const t = makeTable({ a: [1, 2, 3], k: ['x', 'y', 'x'] });
    const edited = withEdits(t, 0, { k: 'zz' });
    const f = rowPredictor((g) => (g('k') === 'zz' ? 100 : 0) + (g('a') as number));
    const r = await kernelShap(f, edited, 0, ['a', 'k'], { table: t });
    expect(r.output).toBe(101);
    expect(r.phi[1]).toBeCloseTo(100, 12);
    expect(r.phi[0]).toBeCloseTo(1 - 2, 12);
  });
});

describe('KernelSHAP, sampled', () => {
  test('coalition sampling: pairs are complements, small sizes enumerated with their Shapley kernel weights', () => {
    const m = 16;
    const { masks, weights } = sampleCoalitions(m, 2000, createRng(3));
    expect(weights.length).toBe(2000);
    // Sizes 1 and 15 (32 coalitions) and 2 and 14 (240) fit the budget; they come first, each with its complement next.
    const size = (k: number) => masks.subarray(k * m, (k + 1) * m).reduce((a, b) => a + b, 0);
    for (let k = 0; k < 32; k += 2) {
      expect(size(k)).toBe(1);
      expect(size(k + 1)).toBe(15);
    }
    const kernel = (s: number) => (m - 1) / (binomial(m, s) * s * (m - s));
    for (let k = 0; k < 272; k += 2) {
      for (let i = 0; i < m; i++) expect(masks[k * m + i] + masks[(k + 1) * m + i]).toBe(1);
      expect(weights[k]).toBe(weights[k + 1]);
    }
    expect(size(40)).toBe(2);
    expect(size(300)).toBeGreaterThanOrEqual(3);
    expect(size(300)).toBeLessThanOrEqual(13);
    expect(weights[0] / weights[40]).toBeCloseTo(kernel(1) / kernel(2), 10);
    const total = weights.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  test('an additive predictor is recovered exactly from 256 samples of 20 features', async () => {
    const rng = createRng(11);
    const t = randomTable(100, 20, rng);
    const names = t.columns.map((c) => c.name);
    const coef = names.map((_, j) => (j % 3) - 1 + j / 10);
    const f = rowPredictor((g) => names.reduce((s, n, j) => s + coef[j] * Math.atan(g(n) as number), 0));
    const bg = sampleBackground(t, 25, 4);
    const r = await kernelShap(f, t, 7, names, bg, { samples: 256, seed: 9 });
    expect(r.exact).toBe(false);
    for (let j = 0; j < 20; j++) {
      let mean = 0;
      const col = bg.table.columns[j];
      if (col.kind !== 'numeric') throw new Error('numeric');
      for (const v of col.values) mean += Math.atan(v) / 25;
      const x = (t.columns[j] as { values: Float64Array }).values[7];
      expect(r.phi[j]).toBeCloseTo(coef[j] * (Math.atan(x) - mean), 9);
    }
  });

  test('sampled estimates of a nonlinear model approach the exact values (14 features)', async () => {
    const rng = createRng(21);
    const t = randomTable(100, 14, rng);
    const names = t.columns.map((c) => c.name);
    const f = rowPredictor((g) => {
      let s = 0;
      for (let j = 0; j < 14; j++) s += ((j % 4) - 1.5) * (g(names[j]) as number);
      return 1 / (1 + Math.exp(-s)) + 0.3 * (g('x2') as number) * (g('x5') as number);
    });
    const bg = kmeansBackground(t, names, 10, { seed: 1 });
    const exact = await kernelShap(f, t, 3, names, bg, { exactMaxFeatures: 14 });
    expect(exact.exact).toBe(true);
    const error = async (samples: number) => {
      const sampled = await kernelShap(f, t, 3, names, bg, { samples, seed: 2 });
      expect(sampled.exact).toBe(false);
      expect(sampled.additivityError).toBeLessThan(1e-9);
      let worst = 0;
      let scale = 0;
      for (let j = 0; j < 14; j++) {
        worst = Math.max(worst, Math.abs(exact.phi[j] - sampled.phi[j]));
        scale = Math.max(scale, Math.abs(exact.phi[j]));
      }
      return worst / scale;
    };
    // Measured: about 2% of the largest |φ| at 2048 samples (of 16382 coalitions), 0.3% at 8192.
    expect(await error(2048)).toBeLessThan(0.04);
    expect(await error(8192)).toBeLessThan(0.008);
  });

  test('progress counts model rows up to the total; a set signal stops with an AbortError', async () => {
    const t = randomTable(50, 14, createRng(1));
    const names = t.columns.map((c) => c.name);
    const f = rowPredictor((g) => g('x0') as number);
    const seen: [number, number][] = [];
    const r = await kernelShap(f, t, 0, names, sampleBackground(t, 20, 1), { samples: 512, chunkRows: 1000, onProgress: (d, n) => seen.push([d, n]) });
    expect(seen.at(-1)).toEqual([r.calls, r.calls]);
    expect(seen.length).toBeGreaterThan(5);
    const signal = { aborted: false };
    const g = rowPredictor((get) => {
      signal.aborted = true;
      return get('x0') as number;
    });
    await expect(kernelShap(g, t, 0, names, sampleBackground(t, 20, 1), { samples: 512, chunkRows: 1000, signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(g.batches).toBe(1);
  });
});

const hasMlp = hasSample('credit.csv', 'credit-mlp.onnx');

describe.skipIf(!hasMlp)('KernelSHAP on credit-mlp', async () => {
  const s = hasMlp ? await loadSample('credit-mlp.onnx', 'credit.csv', 'Bad') : null!;

  test('timing: one row against 100 background rows (21 columns, 2048 paired samples), additive', async () => {
    const predict = s.predictor('probability');
    const bg = sampleBackground(s.table, 100, 1);
    const t0 = performance.now();
    const r = await kernelShap(predict, s.table, 0, s.features, bg, { seed: 1 });
    const ms = performance.now() - t0;
    const direct = await predict(withEdits(s.table, 0, {}));
    expect(r.exact).toBe(false);
    expect(Math.abs(r.output - direct[0])).toBeLessThan(1e-6);
    expect(r.additivityError).toBeLessThan(1e-9);
    console.log(`KernelSHAP credit-mlp: 1 row, 100 background rows, ${r.calls} model rows in ${ms.toFixed(0)} ms`);
  });

  test('timing: what-if sized KernelSHAP (20 k-means background rows, 256 samples)', async () => {
    const predict = s.predictor('probability');
    const bg = kmeansBackground(s.table, s.features, 20, { seed: 1 });
    const edited = withEdits(s.table, 3, { Age: 30 });
    await kernelShap(predict, edited, 0, s.features, bg, { samples: 256, seed: 1 });
    const t0 = performance.now();
    const r = await kernelShap(predict, edited, 0, s.features, bg, { samples: 256, seed: 1 });
    const ms = performance.now() - t0;
    expect(r.additivityError).toBeLessThan(1e-9);
    console.log(`KernelSHAP credit-mlp what-if: 20 k-means background rows, 256 samples, ${r.calls} model rows in ${ms.toFixed(0)} ms`);
  });
});
