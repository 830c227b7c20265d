/**
 * Quality analyses on a real scoring run: static/samples/credit.csv scored by credit-logreg.onnx with
 * onnxruntime-web in Node, through the app's own lib path (parse → prepare → map → feed → decode).
 */
import { describe, expect, test } from 'vitest';
import {
  binaryHeadlines,
  binaryLabels,
  binaryQuality,
  bootstrapBinary,
  compareSlice,
  confusionAt,
  errorHeatmap,
  expectedValueCurve,
  fitErrorTree,
  metricsAt,
  misclassified,
  nodeRows,
  sliceMask,
} from '../../../../src/lib/analysis/quality';
import { hasSample, scoreSample } from './score-sample';

const has = hasSample('credit.csv', 'credit-logreg.onnx');

async function scoreCredit() {
  // The sample's positive class is 'Bad', the outcome the German credit cost matrix prices.
  const s = await scoreSample('credit-logreg.onnx', 'credit.csv', 'Bad');
  return { ...s, y: binaryLabels(s.rows.actual, s.mapping.positiveClass), score: s.rows.score };
}

describe.skipIf(!has)('credit-logreg on credit.csv', async () => {
  const d = has ? await scoreCredit() : null!;

  test('AUC equals a brute-force pair count; threshold metrics equal a direct recount', () => {
    const { y, score } = d;
    expect(d.mapping.task).toBe('binary');
    const q = binaryQuality(y, score);
    let num = 0, pairs = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 1) continue;
      for (let j = 0; j < y.length; j++) {
        if (y[j] !== 0) continue;
        pairs++;
        num += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
      }
    }
    expect(q.roc.auc.value).toBeCloseTo(num / pairs, 12);
    expect(q.roc.auc.value).toBeGreaterThan(0.7);
    for (const t of [0.1, 0.3, 0.5, 0.5000001, 0.7, 0.9, q.table.scores[17]]) {
      const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
      for (let i = 0; i < y.length; i++) {
        const p = score[i] >= t;
        if (y[i] === 1) p ? c.tp++ : c.fn++;
        else if (y[i] === 0) p ? c.fp++ : c.tn++;
      }
      expect(confusionAt(q.table, t)).toEqual(c);
    }
    // At 0.5 the threshold table agrees with the model's own labels (argmax of two probabilities).
    const right = d.rows.correct.reduce((a, v) => a + (v === 1 ? 1 : 0), 0);
    expect(metricsAt(q.table, 0.5).accuracy.value).toBeCloseTo(right / q.table.n, 2);
    expect(q.calibration.bins.reduce((a, b) => a + b.count, 0)).toBe(q.table.n);
    expect(q.accuracyOptimal.value.value!).toBeGreaterThanOrEqual(metricsAt(q.table, 0.5).accuracy.value!);
    const ev = expectedValueCurve(q.table);
    expect(ev.best.value.value!).toBeGreaterThanOrEqual(ev.accuracyOptimal.value.value!);
    const ci = bootstrapBinary(y, score, 0.5);
    expect(ci.intervals.auc.lo!).toBeLessThan(q.roc.auc.value!);
    expect(ci.intervals.auc.hi!).toBeGreaterThan(q.roc.auc.value!);
  });

  test('agrees with sklearn on the same scores', () => {
    // Expected values: these P(Bad) scores written to JSON and read by sklearn 1.2.1 (Debian
    // python3-sklearn): roc_auc_score, average_precision_score, log_loss, brier_score_loss,
    // calibration_curve(n_bins=10), and accuracy/f1/balanced_accuracy/precision at 0.5.
    const q = binaryQuality(d.y, d.score);
    expect([q.table.n, q.table.positives]).toEqual([1000, 300]);
    expect(q.roc.auc.value).toBeCloseTo(0.8169238095238096, 9);
    expect(q.pr.averagePrecision.value).toBeCloseTo(0.6758807037059171, 9);
    expect(q.logLoss.value).toBeCloseTo(0.4633709841097778, 9);
    expect(q.brier.value).toBeCloseTo(0.15153280792844745, 9);
    const sk = [0.05597015, 0.15, 0.26771654, 0.31683168, 0.46987952, 0.50793651, 0.65671642, 0.72, 0.93548387, 0.9];
    expect(q.calibration.bins.map((b) => b.observedRate)).toEqual(sk.map((v) => expect.closeTo(v, 7)));
    expect(q.calibration.bins[0].meanPredicted).toBeCloseTo(0.04993344, 7);
    const m = q.atThreshold;
    expect(m.confusion).toEqual({ tp: 150, fp: 71, tn: 629, fn: 150 });
    expect(m.accuracy.value).toBeCloseTo(0.779, 12);
    expect(m.f1.value).toBeCloseTo(0.5758157389635317, 12);
    expect(m.balancedAccuracy.value).toBeCloseTo(0.6992857142857143, 12);
    expect(m.precision.value).toBeCloseTo(0.6787330316742082, 12);
  });

  test('error tree: children partition their parent; heatmap and slices cover every row', () => {
    const errors = misclassified(d.rows.correct);
    const tree = fitErrorTree(d.table, errors, d.features);
    expect(tree.nodes.length).toBeGreaterThan(1);
    expect(tree.features).not.toContain(d.mapping.target);
    for (const node of tree.nodes) {
      const rows = nodeRows(tree, node.id);
      expect(rows.length).toBe(node.n);
      if (!node.children.length) {
        expect(node.n).toBeGreaterThanOrEqual(20);
        continue;
      }
      const [l, r] = node.children.map((c) => tree.nodes[c]);
      expect(l.n + r.n).toBe(node.n);
      expect(l.errorSum + r.errorSum).toBe(node.errorSum);
      const union = new Set([...nodeRows(tree, l.id), ...nodeRows(tree, r.id)]);
      expect(union.size).toBe(node.n);
      for (const row of rows) expect(union.has(row)).toBe(true);
    }
    const h = errorHeatmap(d.table, errors, 'Age', 'Purpose');
    expect(h.count.reduce((a, b) => a + b, 0)).toBe(tree.nodes[0].n);
    const young = sliceMask(d.table, [{ column: 'Age', kind: 'range', min: -Infinity, max: 25 }]);
    const cmp = compareSlice(binaryHeadlines(d.y, d.score, 0.5), young);
    expect(cmp.slice.n + cmp.rest.n).toBe(d.table.nRows);
    expect(cmp.slice.n).toBeGreaterThan(50);
    for (const m of Object.values(cmp.slice.metrics)) expect(m.reason).toBeNull();
  });
});
