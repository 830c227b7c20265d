import { describe, expect, test } from 'vitest';
import { interpolateCividis } from 'd3';
import { paretoLayout, UNKNOWN_GAP_FILL } from '../../../src/lib/scorecard/pareto-layout';
import { paretoFront } from '../../../src/lib/scorecard/pareto';

const items = [
  { name: 'lr', latencyMs: 0.1, metric: 0.78, sizeBytes: 10_000, fairnessGap: 0 },
  { name: 'gbt', latencyMs: 1, metric: 0.8, sizeBytes: 40_000, fairnessGap: 0.2 },
  { name: 'mlp', latencyMs: 10, metric: 0.79, sizeBytes: 20_000, fairnessGap: null },
  { name: 'new', latencyMs: null, metric: 0.9, sizeBytes: 5_000, fairnessGap: 0.1 },
];

describe('paretoLayout', () => {
  const front = paretoFront(items.map((p) => ({ cost: p.latencyMs, quality: p.metric })));
  const L = paretoLayout(items, front, { budgetMs: 2 });

  test('log x: equal ratios are equal distances; higher metric is higher up', () => {
    expect(front).toEqual([0, 1]);
    const [lr, gbt, mlp] = L.points;
    expect(gbt.x - lr.x).toBeCloseTo(mlp.x - gbt.x, 6);
    expect(gbt.y).toBeLessThan(mlp.y);
    expect(mlp.y).toBeLessThan(lr.y);
    expect(L.points.every((p) => p.x >= L.box.x0 && p.x <= L.box.x1 && p.y <= L.box.y0 && p.y >= L.box.y1)).toBe(true);
  });

  test('missing latency is listed, not drawn; the front path joins the front points as steps', () => {
    expect(L.missing).toEqual([3]);
    expect(L.points.map((p) => p.onFront)).toEqual([true, true, false]);
    const [lr, gbt] = L.points;
    expect(L.frontPath).toBe(`M${lr.x},${lr.y}H${gbt.x}V${gbt.y}`);
  });

  test('area ∝ size, colour from cividis over [0, max gap], grey when unknown; budget line inside', () => {
    const [lr, gbt, mlp] = L.points;
    expect((gbt.r / lr.r) ** 2).toBeCloseTo(4, 6);
    expect(lr.fill).toBe(interpolateCividis(0));
    expect(gbt.fill).toBe(interpolateCividis(1));
    expect(mlp.fill).toBe(UNKNOWN_GAP_FILL);
    expect(L.legend.domain).toEqual([0, 0.2]);
    expect(L.budgetX!).toBeGreaterThan(gbt.x);
    expect(L.budgetX!).toBeLessThan(mlp.x);
  });
});
