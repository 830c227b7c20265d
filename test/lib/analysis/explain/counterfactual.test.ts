/** Counterfactuals: minimal on hand-made models; on the credit models every one flips the decision when re-scored. */
import { describe, expect, test } from 'vitest';
import { featureDomains } from '../../../../src/lib/analysis/explain/cells';
import { counterfactuals, estimateCounterfactualCalls } from '../../../../src/lib/analysis/explain/counterfactual';
import { withEdits } from '../../../../src/lib/analysis/explain/what-if';
import { hasSample, loadSample } from './predictor';
import { makeTable, rowPredictor } from './tables';

describe('counterfactuals on hand-made models', () => {
  const n = 101;
  const t = makeTable({
    a: Array.from({ length: n }, (_, i) => i / 10),
    b: Array.from({ length: n }, (_, i) => (i * 37) % 101),
    k: Array.from({ length: n }, (_, i) => ['lo', 'mid', 'hi'][i % 3]),
  });

  test('the nearest flip moves one column just past the threshold', async () => {
    const f = rowPredictor((g) => (g('a') as number) + (g('k') === 'hi' ? 100 : 0));
    // Row 19: a = 1.9, k = 'mid'.
    const r = await counterfactuals(f, t, 19, { features: ['a', 'b'], target: { kind: 'flip', threshold: 5 }, count: 3, seed: 1 });
    expect(r.original).toBeCloseTo(1.9, 12);
    expect(r.counterfactuals.length).toBeGreaterThanOrEqual(1);
    const best = r.counterfactuals[0];
    expect(best.changes).toHaveLength(1);
    expect(best.changes[0].column).toBe('a');
    expect(best.changes[0].to as number).toBeGreaterThanOrEqual(5);
    expect(best.changes[0].to as number).toBeLessThan(5.2);
    expect(best.score).toBeGreaterThanOrEqual(5);
    expect(r.calls).toBeLessThanOrEqual(estimateCounterfactualCalls());
  });

  test('a categorical change counts 1; only allowed columns change; a score target is met', async () => {
    const f = rowPredictor((g) => (g('a') as number) + (g('k') === 'hi' ? 100 : 0));
    const r = await counterfactuals(f, t, 19, { features: ['k'], target: { kind: 'score', value: 50 } });
    expect(r.counterfactuals).toHaveLength(1);
    expect(r.counterfactuals[0].changes).toEqual([{ column: 'k', from: 'mid', to: 'hi' }]);
    expect(r.counterfactuals[0].distance).toBe(1);
  });

  test('nothing valid is found within the allowed columns: an empty list, never an invalid one', async () => {
    const f = rowPredictor((g) => g('a') as number);
    const r = await counterfactuals(f, t, 19, { features: ['b', 'k'], target: { kind: 'flip', threshold: 5 } });
    expect(r.counterfactuals).toHaveLength(0);
  });
});

const has = hasSample('credit.csv', 'credit-gbt.onnx', 'credit-logreg.onnx');

describe.skipIf(!has)('counterfactuals on the credit models', () => {
  for (const model of ['credit-gbt.onnx', 'credit-logreg.onnx']) {
    test(`${model}: each counterfactual flips 'Bad' to 'Good' when its row is rebuilt and re-scored`, async () => {
      const s = await loadSample(model, 'credit.csv', 'Bad');
      const predict = s.predictor('probability');
      const p = await predict(s.table);
      const rows = [...p.keys()].filter((i) => p[i] >= 0.6).slice(0, 3);
      expect(rows.length).toBe(3);
      const allowed = s.features.filter((f) => !['Sex', 'Age', 'ForeignWorker', 'MaritalStatus'].includes(f));
      const domains = featureDomains(s.table, allowed);
      for (const row of rows) {
        const t0 = performance.now();
        const r = await counterfactuals(predict, s.table, row, { features: allowed, target: { kind: 'flip', threshold: 0.5 }, count: 5, seed: 2 });
        const ms = performance.now() - t0;
        expect(r.counterfactuals.length).toBeGreaterThanOrEqual(2);
        expect(r.calls).toBeLessThanOrEqual(20000);
        const sets = new Set<string>();
        for (const cf of r.counterfactuals) {
          const edited = withEdits(s.table, row, Object.fromEntries(cf.changes.map((c) => [c.column, c.to])));
          const again = (await predict(edited))[0];
          expect(again).toBeLessThan(0.5);
          expect(again).toBeCloseTo(cf.score, 6);
          for (const c of cf.changes) {
            expect(allowed).toContain(c.column);
            const d = domains.find((x) => x.column === c.column)!;
            if (d.kind === 'numeric') {
              expect(c.to as number).toBeGreaterThanOrEqual(d.min);
              expect(c.to as number).toBeLessThanOrEqual(d.max);
            } else expect(d.categories).toContain(c.to);
          }
          sets.add(cf.changes.map((c) => c.column).sort().join('+'));
        }
        expect(sets.size).toBeGreaterThanOrEqual(2);
        const d = r.counterfactuals.map((c) => c.distance);
        expect([...d].sort((a, b) => a - b)).toEqual(d);
        console.log(`${model} row ${row} (P(Bad) ${p[row].toFixed(3)}): ${r.counterfactuals.length} counterfactuals in ${r.calls} model rows, ${ms.toFixed(0)} ms; nearest: ${r.counterfactuals[0].changes.map((c) => `${c.column} ${c.from} → ${c.to}`).join(', ')} (P ${r.counterfactuals[0].score.toFixed(3)})`);
      }
      await s.release();
    });
  }
});
