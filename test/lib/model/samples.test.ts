/**
 * The bundled samples (static/samples, built by `npm run samples`) through the whole model path:
 * inspect, prepare, propose a mapping, feed every CSV row to onnxruntime-web, decode, and score.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { parseCsv } from '../../../src/lib/data/csv';
import type { Table } from '../../../src/lib/data/table';
import { targetClassIndex, targetNumbers } from '../../../src/lib/analysis/predictions';
import { inspectModel } from '../../../src/lib/model/inspect';
import { buildFeeds } from '../../../src/lib/model/feeds';
import { proposeMapping } from '../../../src/lib/model/mapping';
import { decodeOutputs } from '../../../src/lib/model/outputs';
import { prepareModel } from '../../../src/lib/model/zipmap';
import type { Mapping, PreparedModel } from '../../../src/lib/model/types';

const DIR = 'static/samples';
const has = (...files: string[]) => files.every((f) => existsSync(`${DIR}/${f}`));
const bytes = (f: string) => new Uint8Array(readFileSync(`${DIR}/${f}`));
const csv = async (f: string) => (await parseCsv(readFileSync(`${DIR}/${f}`, 'utf8'), { fileName: f })).table;

async function scoreAll(prepared: PreparedModel, table: Table, mapping: Mapping) {
  const session = await ort.InferenceSession.create(prepared.bytes, { executionProviders: ['wasm'] });
  const C = mapping.task === 'regression' ? 1 : mapping.classes.length;
  const scores = new Float32Array(table.nRows * C);
  const labels = new Int32Array(mapping.task === 'regression' ? 0 : table.nRows);
  const rawLabels: string[] = [];
  const batch = 256;
  for (let start = 0; start < table.nRows; start += batch) {
    const end = Math.min(table.nRows, start + batch);
    const feeds = buildFeeds(table, mapping.bindings, start, end);
    const out = await session.run(Object.fromEntries(feeds.map((f) => [f.name, new ort.Tensor(f.type, f.data as never, f.dims)])));
    const d = decodeOutputs(out, mapping.outputs, mapping, end - start);
    scores.set(d.scores, start * C);
    if (labels.length > 0) labels.set(d.labels, start);
    if (out.label) rawLabels.push(...Array.from(out.label.data as ArrayLike<unknown>, String));
  }
  await session.release();
  return { scores, labels, rawLabels };
}

function accuracy(labels: Int32Array, actual: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === actual[i]) ok++;
  return ok / labels.length;
}

function rowsSumToOne(scores: Float32Array, C: number): boolean {
  for (let r = 0; r < scores.length; r += C) {
    let s = 0;
    for (let k = 0; k < C; k++) s += scores[r + k];
    if (Math.abs(s - 1) > 1e-4) return false;
  }
  return true;
}

describe.skipIf(!has('credit.csv', 'credit-gbt.onnx', 'credit-logreg.onnx', 'credit-mlp.onnx'))('credit samples', () => {
  it('credit-gbt: ZipMap replaced, trees read, one input per column', async () => {
    const raw = inspectModel(bytes('credit-gbt.onnx'), 'credit-gbt.onnx');
    expect(raw.outputs.map((o) => o.kind)).toContain('seq(map)');
    expect(raw.family).toBe('trees');
    const prepared = prepareModel(bytes('credit-gbt.onnx'), 'credit-gbt.onnx');
    expect(prepared.notices[0]).toMatch(/'output_probability' was a ZipMap .* exposes the probability tensor 'probabilities' \[N, 2\]/);
    expect(prepared.card.outputs.every((o) => o.kind === 'tensor')).toBe(true);
    const table = await csv('credit.csv');
    const { mapping, issues } = proposeMapping(prepared.card, table);
    expect(issues.filter((i) => i.level !== 'info')).toEqual([]);
    expect([mapping.target, mapping.task, mapping.classes]).toEqual(['Class', 'binary', ['Bad', 'Good']]);
    expect(mapping.bindings.every((b) => b.layout === 'column' && b.columns[0] === b.input)).toBe(true);
    expect(mapping.outputs).toEqual({ scoreOutput: 'probabilities', labelOutput: null, squash: 'none' });
    const { scores, labels } = await scoreAll(prepared, table, mapping);
    expect(rowsSumToOne(scores, 2)).toBe(true);
    const acc = accuracy(labels, targetClassIndex(table.columns.find((c) => c.name === 'Class')!, mapping.classes));
    expect(acc).toBeGreaterThan(0.75);
  });

  it.each(['credit-logreg.onnx', 'credit-mlp.onnx'])('%s: runs on every row with labels matching the probabilities', async (file) => {
    const original = bytes(file);
    const prepared = prepareModel(original, file);
    expect(prepared.bytes).toBe(original);
    expect(prepared.notices).toEqual([]);
    const table = await csv('credit.csv');
    const { mapping, issues } = proposeMapping(prepared.card, table);
    expect(issues.filter((i) => i.level !== 'info')).toEqual([]);
    expect([mapping.target, mapping.task, mapping.classes, mapping.outputs.squash]).toEqual(['Class', 'binary', ['Bad', 'Good'], 'none']);
    expect(mapping.outputs.labelOutput).toBe('label');
    const { scores, labels } = await scoreAll(prepared, table, mapping);
    expect(rowsSumToOne(scores, 2)).toBe(true);
    for (let i = 0; i < labels.length; i++) expect(labels[i]).toBe(scores[2 * i + 1] > scores[2 * i] ? 1 : 0);
    const acc = accuracy(labels, targetClassIndex(table.columns.find((c) => c.name === 'Class')!, mapping.classes));
    expect(acc).toBeGreaterThan(0.72);
  });
});

describe.skipIf(!has('penguins.csv', 'penguins-species.onnx'))('penguins-species', () => {
  it('maps six per-column inputs (with missing values) and predicts species', async () => {
    const prepared = prepareModel(bytes('penguins-species.onnx'), 'penguins-species.onnx');
    const table = await csv('penguins.csv');
    const { mapping, issues } = proposeMapping(prepared.card, table);
    expect(issues.filter((i) => i.level === 'error')).toEqual([]);
    expect([mapping.target, mapping.task, mapping.classes]).toEqual(['species', 'multiclass', ['Adelie', 'Chinstrap', 'Gentoo']]);
    const { scores, labels } = await scoreAll(prepared, table, mapping);
    expect(rowsSumToOne(scores, 3)).toBe(true);
    expect(accuracy(labels, targetClassIndex(table.columns.find((c) => c.name === 'species')!, mapping.classes))).toBeGreaterThan(0.95);
  });
});

describe.skipIf(!has('penguins-mass.csv', 'penguins-mass.onnx'))('penguins-mass', () => {
  it('feeds a float [N,3] matrix by the feature names and regresses body mass', async () => {
    const prepared = prepareModel(bytes('penguins-mass.onnx'), 'penguins-mass.onnx');
    expect(prepared.card.inputs.map((i) => [i.elemType, i.shape])).toEqual([['float', ['N', 3]]]);
    const table = await csv('penguins-mass.csv');
    const { mapping, issues } = proposeMapping(prepared.card, table);
    expect(issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(mapping.bindings).toEqual([
      { input: 'float_input', elemType: 'float', layout: 'matrix', columns: ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm'] },
    ]);
    expect([mapping.target, mapping.task]).toEqual(['body_mass_g', 'regression']);
    const { scores } = await scoreAll(prepared, table, mapping);
    const y = targetNumbers(table.columns.find((c) => c.name === 'body_mass_g')!);
    let mean = 0;
    for (const v of y) mean += v / y.length;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < y.length; i++) {
      ssRes += (y[i] - scores[i]) ** 2;
      ssTot += (y[i] - mean) ** 2;
    }
    expect(1 - ssRes / ssTot).toBeGreaterThan(0.7);
  });
});
