/**
 * TreeSHAP on the credit-gbt sample: the trees read from the ONNX attributes reproduce onnxruntime's
 * output on all 1000 rows, and interventional TreeSHAP equals exact KernelSHAP in log-odds.
 */
import { describe, expect, test } from 'vitest';
import { takeRows, type Table } from '../../../../src/lib/data/table';
import { sampleBackground } from '../../../../src/lib/analysis/explain/background';
import { allRows, cellValue, columnIndex, encodeCell } from '../../../../src/lib/analysis/explain/cells';
import { kernelShapRows } from '../../../../src/lib/analysis/explain/kernel-shap';
import { readTreeModel, treeOutputs, treeShap } from '../../../../src/lib/analysis/explain/tree-shap';
import { hasSample, loadSample } from './predictor';

const has = hasSample('credit.csv', 'credit-gbt.onnx');

describe.skipIf(!has)('TreeSHAP on credit-gbt', async () => {
  const s = has ? await loadSample('credit-gbt.onnx', 'credit.csv', 'Bad') : null!;
  const read = has ? readTreeModel(s.bytes, s.mapping.bindings) : null!;
  const model = read.ok ? read.model : null!;
  const bad = model ? model.outputs.findIndex((o) => o.label === 'Bad') : -1;

  test('the trees are traced to the 21 CSV columns and reproduce onnxruntime log-odds on every row', async () => {
    expect(read.ok).toBe(true);
    expect(model.op).toBe('TreeEnsembleClassifier');
    expect([...model.columns].sort()).toEqual([...s.features].sort());
    expect(model.sources).toHaveLength(63);
    expect(model.outputs[bad].space).toBe('log-odds');
    const ours = treeOutputs(model, s.table, allRows(s.table.nRows), bad);
    const ort = await s.predictor('log-odds')(s.table);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ort[i]));
    // float32 probabilities from onnxruntime, their log-odds recomputed in double.
    expect(worst).toBeLessThan(1e-5);
  });

  test('base + Σφ = output exactly; columns no tree reads get 0', async () => {
    const bg = sampleBackground(s.table, 50, 3);
    const a = await treeShap(model, s.table, allRows(40), bg, { output: bad, features: s.features });
    expect(a.additivityError).toBeLessThan(1e-12);
    const used = new Set<string>();
    for (let i = 0; i < model.mode.length; i++) if (model.mode[i] !== 0) {
      const src = model.sources[model.feature[i]];
      if (src.kind !== 'constant') used.add(src.column);
    }
    const m = a.features.length;
    a.features.forEach((f, j) => {
      if (used.has(f)) return;
      for (let r = 0; r < a.rows.length; r++) expect(a.phi[r * m + j]).toBe(0);
    });
    // output is the model's own log-odds of the row.
    const direct = treeOutputs(model, s.table, a.rows, bad);
    for (let r = 0; r < a.rows.length; r++) expect(a.outputs[r]).toBeCloseTo(direct[r], 12);
  });

  /**
   * Exact KernelSHAP needs ≤ 12 varying players, and credit has 21 columns. Sound reduction: choose the
   * 12 columns the trees split on most (set C); build the background from 20 real rows whose other 9
   * columns are overwritten with the explained row's values. Those 9 players are then dummies in the
   * interventional game (x and every background row agree on them), so both methods give them exactly 0,
   * and on C the game is the real one: 20 real rows' values against the row's. KernelSHAP drops columns
   * that never vary and enumerates all 2^12 coalitions of C: exact Shapley values to compare with.
   */
  test('TreeSHAP (log-odds) equals exact KernelSHAP on the same background to 1e-4', async () => {
    const splits = new Map<string, number>();
    for (let i = 0; i < model.mode.length; i++) if (model.mode[i] !== 0) {
      const src = model.sources[model.feature[i]];
      if (src.kind !== 'constant') splits.set(src.column, (splits.get(src.column) ?? 0) + 1);
    }
    const chosen = [...splits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([c]) => c);
    const predict = s.predictor('log-odds');
    let worst = 0;
    let calls = 0;
    for (const row of [5, 123, 777]) {
      const bgRows = sampleBackground(s.table, 20, 100 + row).table;
      const bg = overwrite(bgRows, s.table, row, s.features.filter((f) => !chosen.includes(f)));
      const tree = await treeShap(model, s.table, [row], { table: bg }, { output: bad, features: s.features });
      const kernel = await kernelShapRows(predict, s.table, [row], s.features, { table: bg }, { exactMaxFeatures: 12, seed: 1 });
      expect(kernel.method).toBe('kernel-exact');
      expect(Math.abs(tree.base - kernel.base)).toBeLessThan(1e-4);
      expect(Math.abs(tree.outputs[0] - kernel.outputs[0])).toBeLessThan(1e-4);
      let nonzero = 0;
      for (let j = 0; j < s.features.length; j++) {
        worst = Math.max(worst, Math.abs(tree.phi[j] - kernel.phi[j]));
        if (!chosen.includes(s.features[j])) expect(tree.phi[j]).toBe(0);
        if (Math.abs(tree.phi[j]) > 1e-3) nonzero++;
      }
      expect(nonzero).toBeGreaterThanOrEqual(3);
      calls += kernel.calls;
    }
    expect(worst).toBeLessThan(1e-4);
    console.log(`TreeSHAP vs exact KernelSHAP (credit-gbt, 12 players, 20 background rows, 3 rows): max |Δφ| = ${worst.toExponential(2)}, ${calls} model rows`);
  });

  test('timing: TreeSHAP of 1000 rows against 100 background rows', async () => {
    const bg = sampleBackground(s.table, 100, 7);
    const t0 = performance.now();
    const a = await treeShap(model, s.table, allRows(1000), bg, { output: bad });
    const ms = performance.now() - t0;
    expect(a.additivityError).toBeLessThan(1e-9);
    console.log(`TreeSHAP credit-gbt: 1000 rows × 100 background rows in ${ms.toFixed(0)} ms`);
  });
});

/** `bg` with `columns` set to `src` row `row`'s values in every row. */
function overwrite(bg: Table, src: Table, row: number, columns: string[]): Table {
  const t = takeRows(bg, allRows(bg.nRows));
  for (const c of columns) {
    const col = t.columns[columnIndex(t, c)];
    const v = encodeCell(col.kind === 'numeric' ? col : { ...col, categories: col.categories.slice() }, cellValue(src.columns[columnIndex(src, c)], row));
    if (col.kind === 'numeric') col.values.fill(v);
    else col.codes.fill(v);
  }
  return t;
}
