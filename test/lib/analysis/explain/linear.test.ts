/**
 * Exact linear attributions read from the graph, checked against onnxruntime and against KernelSHAP
 * through the real sessions: credit-logreg (LinearClassifier + Normalizer, log-odds) and penguins-mass
 * (LinearRegressor on a [N,3] matrix, grams).
 */
import { describe, expect, test } from 'vitest';
import { sampleBackground, kmeansBackground } from '../../../../src/lib/analysis/explain/background';
import { allRows } from '../../../../src/lib/analysis/explain/cells';
import { kernelShapRows } from '../../../../src/lib/analysis/explain/kernel-shap';
import { linearOutputs, linearShap, readLinearModel } from '../../../../src/lib/analysis/explain/linear';
import { readTreeModel } from '../../../../src/lib/analysis/explain/tree-shap';
import { featureEvaluator, tensorNumbers, traceFeatures } from '../../../../src/lib/analysis/explain/graph-features';
import { decodeModel } from '../../../../src/lib/model/proto';
import { hasSample, loadSample } from './predictor';

const hasLogreg = hasSample('credit.csv', 'credit-logreg.onnx');

describe.skipIf(!hasLogreg)('credit-logreg', async () => {
  const s = hasLogreg ? await loadSample('credit-logreg.onnx', 'credit.csv', 'Bad') : null!;
  const read = hasLogreg ? readLinearModel(s.bytes, s.mapping.bindings) : null!;
  const model = read.ok ? read.model : null!;
  const bad = model ? model.outputs.findIndex((o) => o.label === 'Bad') : -1;

  test('coefficients traced through Scaler and OneHotEncoder reproduce onnxruntime log-odds', async () => {
    expect(read.ok).toBe(true);
    expect(model.outputs[bad].space).toBe('log-odds');
    expect(model.sources).toHaveLength(63);
    expect(model.sources.slice(0, 7).every((x) => x.kind === 'number' && x.steps.some((st) => st.op === 'scaler'))).toBe(true);
    const ours = linearOutputs(model, s.table, allRows(s.table.nRows), bad);
    const ort = await s.predictor('log-odds')(s.table);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ort[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  test('a tree reader says why it cannot read a linear model', () => {
    const r = readTreeModel(s.bytes, s.mapping.bindings);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/TreeEnsemble/);
  });

  test('sampled KernelSHAP in log-odds (21 columns, 2048 samples) equals the exact linear attribution to 1e-4', async () => {
    const bg = kmeansBackground(s.table, s.features, 30, { seed: 2 });
    const rows = [0, 42, 500, 999];
    const exact = linearShap(model, s.table, rows, bg, { output: bad, features: s.features });
    expect(exact.additivityError).toBeLessThan(1e-12);
    const kernel = await kernelShapRows(s.predictor('log-odds'), s.table, rows, s.features, bg, { seed: 3 });
    expect(kernel.method).toBe('kernel-sampled');
    let worst = 0;
    for (let i = 0; i < exact.phi.length; i++) worst = Math.max(worst, Math.abs(exact.phi[i] - kernel.phi[i]));
    expect(Math.abs(exact.base - kernel.base)).toBeLessThan(1e-4);
    expect(worst).toBeLessThan(1e-4);
    console.log(`linear vs sampled KernelSHAP (credit-logreg, log-odds, 4 rows, 30 k-means rows): max |Δφ| = ${worst.toExponential(2)}`);
  });
});

const hasMass = hasSample('penguins-mass.csv', 'penguins-mass.onnx');

describe.skipIf(!hasMass)('penguins-mass', async () => {
  const s = hasMass ? await loadSample('penguins-mass.onnx', 'penguins-mass.csv') : null!;
  const read = hasMass ? readLinearModel(s.bytes, s.mapping.bindings) : null!;
  const model = read.ok ? read.model : null!;

  test('the [N,3] matrix input maps to the three measure columns', () => {
    expect(read.ok).toBe(true);
    expect(model.columns).toEqual(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm']);
    expect(model.outputs[0].space).toBe('value');
  });

  test('exact KernelSHAP (grams) equals φ = coef · (x − background mean) to 5e-3 g', async () => {
    const bg = sampleBackground(s.table, 100, 5);
    const rows = [0, 100, 200, 341];
    const exact = linearShap(model, s.table, rows, bg, { output: 0 });
    const kernel = await kernelShapRows(s.predictor('value'), s.table, rows, s.features, bg, {});
    expect(kernel.method).toBe('kernel-exact');
    expect(kernel.additivityError).toBeLessThan(1e-5);
    let worst = 0;
    for (let i = 0; i < exact.phi.length; i++) worst = Math.max(worst, Math.abs(exact.phi[i] - kernel.phi[i]));
    expect(worst).toBeLessThan(5e-3);
    const coef = model.outputs[0].coef;
    const col = s.table.columns.find((c) => c.name === 'flipper_length_mm')!;
    if (col.kind !== 'numeric') throw new Error('numeric');
    const bgCol = bg.table.columns.find((c) => c.name === 'flipper_length_mm')!;
    if (bgCol.kind !== 'numeric') throw new Error('numeric');
    const mean = bgCol.values.reduce((a, b) => a + b, 0) / bgCol.values.length;
    expect(exact.phi[2]).toBeCloseTo(coef[2] * (Math.fround(col.values[0]) - mean), 6);
    console.log(`linear vs exact KernelSHAP (penguins-mass, grams): max |Δφ| = ${worst.toExponential(2)}`);
  });
});

const hasWine = hasSample('wine.csv', 'wine-mlp.onnx');

describe.skipIf(!hasWine)('graph tracing on wine-mlp (standard ops only)', async () => {
  const s = hasWine ? await loadSample('wine-mlp.onnx', 'wine.csv') : null!;

  test('no ai.onnx.ml head: both exact explainers say why', () => {
    const t = readTreeModel(s.bytes, s.mapping.bindings);
    const l = readLinearModel(s.bytes, s.mapping.bindings);
    expect(t.ok || l.ok).toBe(false);
    if (!l.ok) expect(l.reason).toMatch(/LinearClassifier/);
  });

  test('the Sub/Div normalisation traces to the 13 columns as (x − mean) / std in float32', () => {
    const graph = decodeModel(s.bytes, 'wine-mlp.onnx').graph!;
    const traced = traceFeatures(graph, 'norm_out', s.mapping.bindings);
    if (!traced.ok) throw new Error(traced.reason);
    expect(traced.sources.map((x) => (x.kind === 'number' ? x.column : '?'))).toEqual(s.features);
    const z = new Float64Array(13);
    featureEvaluator(s.table, traced.sources)(0, z);
    const mean = graph.initializer!.find((t) => t.name === 'norm.mean')!;
    const m = tensorNumbers(mean);
    const col = s.table.columns[0];
    if (col.kind !== 'numeric') throw new Error('numeric');
    expect(Math.sign(z[0])).toBe(Math.sign(col.values[0] - m[0]));
    expect(traced.sources[0].kind === 'number' && traced.sources[0].steps.map((st) => st.op)).toEqual(['add', 'div']);
  });
});
