/** Multiclass and regression quality on real scoring runs of the penguins samples. */
import { describe, expect, test } from 'vitest';
import {
  bootstrapMulticlass,
  bootstrapRegression,
  compareSlice,
  errorHeatmap,
  fitErrorTree,
  multiclassHeadlines,
  multiclassQuality,
  nodeRows,
  regressionQuality,
  absoluteResiduals,
  sliceMask,
} from '../../../../src/lib/analysis/quality';
import { hasSample, scoreSample } from './score-sample';

describe.skipIf(!hasSample('penguins.csv', 'penguins-species.onnx'))('penguins-species', () => {
  test('confusion matrix agrees with the row outcomes; top-k rises to 1; intervals bracket accuracy', async () => {
    const { pred, rows, table } = await scoreSample('penguins-species.onnx', 'penguins.csv');
    const C = pred.classes.length;
    const q = multiclassQuality(pred.scores, C, rows.actual, pred.labels);
    let judged = 0, right = 0;
    for (const c of rows.correct) if (c >= 0) {
      judged++;
      right += c;
    }
    expect(q.n).toBe(judged);
    expect(q.accuracy.value).toBeCloseTo(right / judged, 12);
    expect(q.confusion.reduce((a, b) => a + b, 0)).toBe(judged);
    expect(q.perClass.reduce((a, c) => a + c.support, 0)).toBe(judged);
    expect(q.topK.map((t) => t.k)).toEqual([1, 2, 3]);
    expect(q.topK[2].accuracy.value).toBe(1);
    expect(q.accuracy.value).toBeGreaterThan(0.9);
    const ci = bootstrapMulticlass(pred.scores, C, rows.actual, pred.labels);
    expect(ci.intervals.accuracy.lo!).toBeLessThanOrEqual(q.accuracy.value!);
    expect(ci.intervals.accuracy.hi!).toBeGreaterThanOrEqual(q.accuracy.value!);
    const cmp = compareSlice(multiclassHeadlines(pred.scores, C, rows.actual, pred.labels), sliceMask(table, [{ column: 'island', kind: 'categories', values: ['Biscoe'] }]));
    expect(cmp.slice.counted + cmp.rest.counted).toBe(judged);
  });
});

describe.skipIf(!hasSample('penguins-mass.csv', 'penguins-mass.onnx'))('penguins-mass', () => {
  test('errors agree with the row residuals; intervals bracket the estimates; tree partitions rows', async () => {
    const { pred, rows, table, features } = await scoreSample('penguins-mass.onnx', 'penguins-mass.csv');
    expect(pred.task).toBe('regression');
    const q = regressionQuality(rows.actualValue, rows.score);
    let abs = 0, k = 0;
    for (const r of rows.residual) if (Number.isFinite(r)) {
      abs += Math.abs(r);
      k++;
    }
    expect(q.n).toBe(k);
    expect(q.mae.value).toBeCloseTo(abs / k, 9);
    expect(q.r2.value!).toBeGreaterThan(0.6);
    expect(q.mae.value!).toBeGreaterThan(100);
    expect(q.residualHistogram.reduce((a, b) => a + b.count, 0)).toBe(k);
    expect(q.scatter.rows.length).toBe(k);
    const ci = bootstrapRegression(rows.actualValue, rows.score);
    for (const key of ['mae', 'rmse', 'r2'] as const) {
      const iv = ci.intervals[key];
      expect(iv.lo!).toBeLessThan(q[key].value!);
      expect(iv.hi!).toBeGreaterThan(q[key].value!);
    }
    const errors = absoluteResiduals(rows.residual);
    const tree = fitErrorTree(table, errors, features);
    expect(tree.kind).toBe('absolute error');
    for (const node of tree.nodes) {
      if (!node.children.length) continue;
      const [l, r] = node.children.map((c) => tree.nodes[c]);
      expect(l.n + r.n).toBe(node.n);
      expect(new Set([...nodeRows(tree, l.id), ...nodeRows(tree, r.id)]).size).toBe(node.n);
    }
    const h = errorHeatmap(table, errors, features[0], features[1]);
    expect(h.count.reduce((a, b) => a + b, 0)).toBe(k);
    expect(h.meanError.every((m) => m.value === null || m.value >= 0)).toBe(true);
  });
});
