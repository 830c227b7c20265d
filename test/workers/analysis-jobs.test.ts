/**
 * The worker's fairness figures on a real run (credit.csv scored by credit-gbt with onnxruntime-web in
 * Node): every partition's disparities equal the ones computed directly from the lib, and each
 * grouping's `rowGroup` comes back as a copy the worker can transfer without losing its own.
 */
import { describe, expect, test } from 'vitest';
import { currentComparison, fairnessFigures } from '../../src/workers/analysis-jobs';
import { metricChanges, scoreDrift } from '../../src/lib/analysis/drift';
import { binaryHeadlines } from '../../src/lib/analysis/quality';
import { allRows } from '../../src/lib/data/table';
import { disparities, groupMetrics, groupRows } from '../../src/lib/analysis/fairness';
import { binaryLabels } from '../../src/lib/analysis/quality/binary';
import { DEFAULT_OUTCOME_VALUES } from '../../src/lib/analysis/quality';
import { hasSample, scoreSample } from '../lib/analysis/quality/score-sample';

const has = hasSample('credit.csv', 'credit-gbt.onnx');

describe.skipIf(!has)('fairnessFigures', async () => {
  const s = has ? await scoreSample('credit-gbt.onnx', 'credit.csv', 'Bad') : null!;
  const y = has ? binaryLabels(s.rows.actual, s.mapping.positiveClass) : null!;
  const score = has ? s.rows.score : null!;
  const specs = [{ column: 'Sex' }, { column: 'ForeignWorker' }];
  const req = {
    input: { task: 'binary' as const, y, score },
    specs,
    intersections: false,
    minSize: 30,
    focusChoice: 0,
    threshold: 0.5,
    values: { ...DEFAULT_OUTCOME_VALUES },
    favorable: 'negative' as const,
    constraint: 'equal-opportunity' as const,
    consumed: [],
    exclude: ['Class'],
    bootstrap: { resamples: 20, seed: 1 },
    coinSeed: 1,
  };

  test('every partition: the same disparities as the lib computes directly', () => {
    const f = fairnessFigures(s.table, req);
    const direct = groupRows(s.table, specs, { minSize: 30 });
    expect(f.partitions.map((p) => p.attribute)).toEqual(['Sex', 'ForeignWorker']);
    f.partitions.forEach((p, i) => {
      const d = disparities(groupMetrics(y, score, direct[i], 0.5, { bootstrap: false }), { reference: 'largest', favorable: 'negative' });
      expect(p.groups).toEqual(direct[i].groups.map((g) => ({ label: g.label, size: g.size })));
      expect(p.disparities!.measures).toEqual(d.measures);
      expect(p.disparities!.measures.demographicParityDifference.worst.value.value).not.toBeNull();
    });
  });

  test('rowGroup comes back as a copy: transferring it leaves the worker its own', () => {
    const a = fairnessFigures(s.table, req);
    expect(a.groupings.list[0].rowGroup.length).toBe(1000);
    // What the worker does before returning: transfer (detach) the copies.
    for (const g of a.groupings.list) structuredClone(g.rowGroup, { transfer: [g.rowGroup.buffer as ArrayBuffer] });
    expect(a.groupings.list[0].rowGroup.length).toBe(0);
    const b = fairnessFigures(s.table, req);
    expect(b.groupings.list[0].rowGroup.length).toBe(1000);
    expect(b.partitions[0].disparities).not.toBeNull();
  });

  test('currentComparison: the output drift and metric changes the lib computes directly', () => {
    // "Current" = the second half of the rows, "reference" = the first half.
    const half = 500;
    const ref = { task: 'binary' as const, y: y.subarray(0, half), score: score.subarray(0, half) };
    const cur = { task: 'binary' as const, y: y.subarray(half), score: score.subarray(half) };
    const c = currentComparison({ refScore: ref.score, curScore: cur.score, name: 'P(Bad)', ref, cur, threshold: 0.4 });
    expect(c.score).toEqual(scoreDrift(ref.score, cur.score, { name: 'P(Bad)' }));
    const r = binaryHeadlines(ref.y, ref.score, 0.4)(allRows(half)), k = binaryHeadlines(cur.y, cur.score, 0.4)(allRows(1000 - half));
    expect(c.metrics).toEqual({ rows: { ref: r.counted, cur: k.counted }, changes: metricChanges(r.metrics, k.metrics) });
    expect(c.metrics!.changes.find((x) => x.name === 'auc')).toBeDefined();
    // Without labels on both sides: the output drift only.
    expect(currentComparison({ refScore: ref.score, curScore: cur.score, name: 'P(Bad)', ref: null, cur: null, threshold: 0.4 }).metrics).toBeNull();
  });
});
