/** Partial dependence and ICE: a linear model's PD is a line with its coefficient's slope. */
import { describe, expect, test } from 'vitest';
import { estimatePdp2dCalls, estimatePdpCalls, partialDependence, partialDependence2d, pdpGrid } from '../../../../src/lib/analysis/explain/pdp';
import { readLinearModel } from '../../../../src/lib/analysis/explain/linear';
import { createRng } from '../../../../src/lib/analysis/random';
import { hasSample, loadSample } from './predictor';
import { makeTable, randomTable, rowPredictor } from './tables';

describe('partial dependence on hand-made models', () => {
  test('numeric grid: quantiles, deduplicated, integers kept integer; categorical grid: most frequent first', () => {
    const t = makeTable({ a: Array.from({ length: 101 }, (_, i) => i), b: [...Array(100).fill(1), 2], k: ['x', 'y', 'y', ...Array(98).fill('z')] });
    expect(pdpGrid(t, 'a', 5)).toEqual([0, 25, 50, 75, 100]);
    expect(pdpGrid(t, 'b', 5)).toEqual([1, 2]);
    expect(pdpGrid(t, 'k', 5)).toEqual(['z', 'y', 'x']);
  });

  test('ICE lines of an additive model are parallel; PD of a categorical column gives one bar per category', async () => {
    const t = randomTable(60, 2, createRng(4));
    (t.columns as unknown[]).push(makeTable({ k: Array.from({ length: 60 }, (_, i) => ['p', 'q', 'r'][i % 3]) }).columns[0]);
    const f = rowPredictor((g) => 2 * (g('x0') as number) + Math.sin(g('x1') as number) + ({ p: 0, q: 5, r: -1 }[g('k') as string] ?? 0));
    const pd = await partialDependence(f, t, 'x0', { gridSize: 7, sampleRows: 30, seed: 1 });
    expect(pd.kind).toBe('numeric');
    expect(pd.rows.length).toBe(30);
    expect(pd.calls).toBe(estimatePdpCalls(t, 'x0', { gridSize: 7, sampleRows: 30 }));
    const g = pd.grid as number[];
    for (let r = 0; r < 30; r++) for (let k = 1; k < g.length; k++) {
      expect(pd.ice[r * g.length + k] - pd.ice[r * g.length]).toBeCloseTo(2 * (g[k] - g[0]), 10);
    }
    const cat = await partialDependence(f, t, 'k', { sampleRows: 60, chunkRows: 50 });
    expect(cat.kind).toBe('categorical');
    const at = (c: string) => cat.mean[(cat.grid as string[]).indexOf(c)];
    expect(at('q') - at('p')).toBeCloseTo(5, 10);
    expect(at('r') - at('p')).toBeCloseTo(-1, 10);
  });

  test('2-D partial dependence of an additive model is the sum of the 1-D ones', async () => {
    const t = randomTable(40, 3, createRng(8));
    const f = rowPredictor((g) => (g('x0') as number) ** 2 + 3 * (g('x1') as number) + (g('x2') as number));
    const pd2 = await partialDependence2d(f, t, ['x0', 'x1'], { gridSize: 5, sampleRows: 40, chunkRows: 77 });
    expect(pd2.calls).toBe(estimatePdp2dCalls(t, ['x0', 'x1'], { gridSize: 5, sampleRows: 40 }));
    const [g0, g1] = pd2.grids as [number[], number[]];
    const n1 = g1.length;
    for (let a = 1; a < g0.length; a++) for (let b = 1; b < n1; b++) {
      const v = (i: number, j: number) => pd2.values[i * n1 + j];
      expect(v(a, b) - v(a, 0) - v(0, b) + v(0, 0)).toBeCloseTo(0, 10);
      expect(v(a, b) - v(0, b)).toBeCloseTo(g0[a] ** 2 - g0[0] ** 2, 10);
    }
  });
});

const has = hasSample('penguins-mass.csv', 'penguins-mass.onnx');

describe.skipIf(!has)('partial dependence of penguins-mass', async () => {
  const s = has ? await loadSample('penguins-mass.onnx', 'penguins-mass.csv') : null!;

  test('PD of flipper length is a straight line whose slope is the regression coefficient', async () => {
    const read = readLinearModel(s.bytes, s.mapping.bindings);
    if (!read.ok) throw new Error(read.reason);
    const coef = read.model.outputs[0].coef[2];
    const pd = await partialDependence(s.predictor('value'), s.table, 'flipper_length_mm', { seed: 3 });
    const g = pd.grid as number[];
    expect(g.length).toBeGreaterThanOrEqual(15);
    let worst = 0;
    for (let k = 1; k < g.length; k++) {
      const slope = (pd.mean[k] - pd.mean[0]) / (g[k] - g[0]);
      worst = Math.max(worst, Math.abs(slope - coef));
    }
    // float32 outputs of ~4000 g: about 1e-3 g of rounding over ≥ 1 mm steps.
    expect(worst).toBeLessThan(1e-3);
    expect(Math.abs(coef)).toBeGreaterThan(10);
  });
});
