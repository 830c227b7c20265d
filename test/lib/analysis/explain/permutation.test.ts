/** Permutation importance: known reliance on hand-made data, and the credit sample with AUC. */
import { describe, expect, test } from 'vitest';
import { estimatePermutationCalls, permutationImportance } from '../../../../src/lib/analysis/explain/permutation';
import { aucOf, binaryLabels, buildThresholdTable } from '../../../../src/lib/analysis/quality';
import { createRng } from '../../../../src/lib/analysis/random';
import { hasSample, loadSample } from './predictor';
import { randomTable, rowPredictor } from './tables';

describe('permutation importance', () => {
  test('an unused column scores exactly 0; the ranking follows the weights; seeded runs repeat', async () => {
    const t = randomTable(300, 3, createRng(2));
    const f = rowPredictor((g) => 3 * (g('x0') as number) + (g('x1') as number));
    const y = Float64Array.from({ length: 300 }, (_, i) => (t.columns[0] as { values: Float64Array }).values[i] * 3 + (t.columns[1] as { values: Float64Array }).values[i]);
    const negMse = (p: Float64Array, yy: Float64Array) => -p.reduce((s, v, i) => s + (v - yy[i]) ** 2, 0) / p.length;
    const r = await permutationImportance(f, t, y, ['x0', 'x1', 'x2'], negMse, { repeats: 4, seed: 7, chunkRows: 500 });
    expect(Math.abs(r.baseline.value!)).toBe(0);
    expect(r.features.map((x) => x.feature)).toEqual(['x0', 'x1', 'x2']);
    expect(r.features[2].importance.value).toBe(0);
    expect(r.features[2].sd).toBe(0);
    // Shuffling x0 costs about 2·9·var(x0) in MSE.
    expect(r.features[0].importance.value!).toBeGreaterThan(5 * r.features[1].importance.value!);
    expect(r.features[0].sd).toBeGreaterThan(0);
    expect(r.calls).toBe(estimatePermutationCalls(300, 3, { repeats: 4 }));
    const again = await permutationImportance(f, t, y, ['x0', 'x1', 'x2'], negMse, { repeats: 4, seed: 7 });
    expect(Array.from(again.features[0].drops)).toEqual(Array.from(r.features[0].drops));
  });

  test("'lower' metrics count a rise as a drop; an undefined metric gives reasons, not NaN", async () => {
    const t = randomTable(50, 2, createRng(3));
    const f = rowPredictor((g) => g('x0') as number);
    const y = new Float64Array(50);
    const mse = (p: Float64Array, yy: Float64Array) => p.reduce((s, v, i) => s + (v - yy[i]) ** 2, 0) / p.length;
    const r = await permutationImportance(f, t, y, ['x0', 'x1'], mse, { better: 'lower', repeats: 2 });
    expect(r.features[0].importance.value).toBe(0); // a permutation of x0 keeps its MSE against 0 unchanged
    const bad = await permutationImportance(f, t, y, ['x0'], () => NaN, { repeats: 2 });
    expect(bad.baseline.value).toBeNull();
    expect(bad.features[0].importance.reason).toBeTruthy();
  });
});

const has = hasSample('credit.csv', 'credit-gbt.onnx');

describe.skipIf(!has)('permutation importance on credit-gbt', async () => {
  const s = has ? await loadSample('credit-gbt.onnx', 'credit.csv', 'Bad') : null!;

  test('timing: AUC drop over the 1000 rows, 21 columns × 5 repeats; the checking account leads', async () => {
    const target = s.table.columns.find((c) => c.name === 'Class')!;
    if (target.kind === 'numeric') throw new Error('categorical target');
    const yInt = Int32Array.from(target.codes, (c) => s.mapping.classes.indexOf(target.categories[c]));
    const y = binaryLabels(yInt, s.mapping.positiveClass);
    const auc = (p: Float64Array, yy: Float64Array) => aucOf(buildThresholdTable(Int8Array.from(yy), p)).value ?? NaN;
    const predict = s.predictor('probability');
    const t0 = performance.now();
    const r = await permutationImportance(predict, s.table, y, s.features, auc, { repeats: 5, seed: 1 });
    const ms = performance.now() - t0;
    expect(r.calls).toBe(1000 * (1 + 21 * 5));
    expect(r.baseline.value!).toBeGreaterThan(0.8);
    expect(r.features[0].feature).toBe('CheckingAccountStatus');
    expect(r.features[0].importance.value!).toBeGreaterThan(3 * r.features[0].sd);
    console.log(`permutation importance credit-gbt: 1000 rows, 21 columns × 5 repeats (${r.calls} model rows) in ${ms.toFixed(0)} ms; top ${r.features.slice(0, 3).map((f) => `${f.feature} ${f.importance.value!.toFixed(3)}±${f.sd.toFixed(3)}`).join(', ')}`);
  });
});
