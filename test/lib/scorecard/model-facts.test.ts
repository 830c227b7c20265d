/**
 * Model facts on the real credit samples, checked against counts made another way: the architecture
 * rebuilt from the CSV (one-hot widths from its categories), the raw tree attributes, and for the trees'
 * used columns, scoring with onnxruntime-web after shuffling a column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as ort from 'onnxruntime-web';
import { featuresUsed, hasExactAttributions, modelFacts } from '../../../src/lib/scorecard/model-facts';
import { decodeModel } from '../../../src/lib/model/proto';
import { parseCsv } from '../../../src/lib/data/csv';
import { prepareModel } from '../../../src/lib/model/zipmap';
import { proposeMapping } from '../../../src/lib/model/mapping';
import { buildFeeds } from '../../../src/lib/model/feeds';
import type { Table } from '../../../src/lib/data/table';
import { createRng, shuffle } from '../../../src/lib/analysis/random';

const DIR = 'static/samples';
const has = ['credit.csv', 'credit-gbt.onnx', 'credit-logreg.onnx', 'credit-mlp.onnx'].every((f) => existsSync(`${DIR}/${f}`));
const bytes = (f: string) => new Uint8Array(readFileSync(`${DIR}/${f}`));

describe.skipIf(!has)('modelFacts on the credit samples', async () => {
  const { table } = has ? await parseCsv(readFileSync(`${DIR}/credit.csv`, 'utf8'), { fileName: 'credit.csv' }) : { table: null! };
  // Width after preprocessing: 7 numeric columns plus one column per category of the 14 text ones.
  const numeric = ['Duration', 'Amount', 'InstallmentRatePercentage', 'ResidenceDuration', 'Age', 'NumberExistingCredits', 'NumberPeopleMaintenance'];
  const categorical = has ? table.columns.filter((c) => c.kind !== 'numeric' && c.name !== 'Class') : [];
  const width = numeric.length + categorical.reduce((s, c) => s + (c.kind === 'numeric' ? 0 : c.categories.length), 0);

  test('families from the graph', () => {
    expect(modelFacts(bytes('credit-logreg.onnx'), 'lr').family).toBe('linear');
    expect(modelFacts(bytes('credit-gbt.onnx'), 'gbt').family).toBe('trees');
    expect(modelFacts(bytes('credit-mlp.onnx'), 'mlp').family).toBe('neural');
    expect(hasExactAttributions('linear') && hasExactAttributions('trees') && !hasExactAttributions('neural')).toBe(true);
  });

  test('credit-mlp parameters: a width→32→16→2 network, a 7-column scaler and a 2-element shape', () => {
    expect(width).toBe(63);
    const f = modelFacts(bytes('credit-mlp.onnx'), 'credit-mlp.onnx');
    const net = width * 32 + 32 + 32 * 16 + 16 + 16 * 2 + 2;
    expect(f.parameters).toBe(net + 2 * numeric.length + 2);
    expect(f.sizeBytes).toBe(bytes('credit-mlp.onnx').length);
    expect(f.opTypes).toEqual(expect.arrayContaining(['Gemm', 'Relu', 'Softmax', 'ai.onnx.ml.OneHotEncoder']));
    // 1 + 1 numeric Concat and Scaler, 14 one-hot encoders, Concat, Reshape, Concat, 3 Gemm, 2 Relu, Softmax, ArgMax.
    expect(f.ops).toBe(2 + categorical.length + 3 + 3 + 2 + 2);
  });

  test('credit-logreg parameters: one coefficient per class and feature, intercepts, scaler, shape', () => {
    const f = modelFacts(bytes('credit-logreg.onnx'), 'credit-logreg.onnx');
    expect(f.parameters).toBe(2 * width + 2 + 2 * numeric.length + 2);
    expect(f.splitInputs).toBeNull();
  });

  test('credit-gbt parameters: split thresholds plus leaf weights, counted from the raw attributes', () => {
    const f = modelFacts(bytes('credit-gbt.onnx'), 'credit-gbt.onnx');
    const node = decodeModel(bytes('credit-gbt.onnx'), 'g').graph!.node!.find((n) => n.opType === 'TreeEnsembleClassifier')!;
    const attr = (name: string) => node.attribute!.find((a) => a.name === name)!;
    const modes = attr('nodes_modes').strings!.map((s) => Buffer.from(s).toString());
    const splits = modes.filter((m) => m !== 'LEAF').length;
    const leaves = modes.length - splits;
    const trees = new Set(attr('nodes_treeids').ints!.map(Number)).size;
    expect(trees).toBe(60);
    // A binary tree has one more leaf than splits; each leaf carries one class weight here.
    expect(leaves).toBe(splits + trees);
    expect(attr('class_weights').floats!.length).toBe(leaves);
    expect(f.parameters).toBe(splits + leaves + (attr('base_values')?.floats?.length ?? 0) + 2);
  });

  test('credit-gbt: columns its splits read; shuffling any other column leaves every prediction unchanged', async () => {
    const prepared = prepareModel(bytes('credit-gbt.onnx'), 'credit-gbt.onnx');
    const { mapping } = proposeMapping(prepared.card, table);
    const f = modelFacts(bytes('credit-gbt.onnx'), 'credit-gbt.onnx');
    const used = featuresUsed(f, mapping);
    expect(used.basis).toBe('splits');
    const bound = featuresUsed({ ...f, splitInputs: null }, mapping);
    expect(bound.count).toBe(21);
    expect(used.count).toBeGreaterThan(0);
    expect(used.count).toBeLessThanOrEqual(21);
    const session = await ort.InferenceSession.create(prepared.bytes, { executionProviders: ['wasm'] });
    const run = async (t: Table) => {
      const feeds = buildFeeds(t, mapping.bindings, 0, t.nRows);
      const out = await session.run(Object.fromEntries(feeds.map((x) => [x.name, new ort.Tensor(x.type, x.data as never, x.dims)])));
      return Array.from(out[mapping.outputs.scoreOutput!].data as Float32Array);
    };
    const base = await run(table);
    const shuffled = (name: string): Table => ({
      ...table,
      columns: table.columns.map((c) => {
        if (c.name !== name) return c;
        const rng = createRng(3);
        return c.kind === 'numeric' ? { ...c, values: shuffle(rng, c.values.slice()) } : { ...c, codes: shuffle(rng, c.codes.slice()) };
      }),
    });
    let changedUsed = 0;
    for (const name of bound.columns) {
      const same = (await run(shuffled(name))).every((v, i) => v === base[i]);
      if (used.columns.includes(name)) changedUsed += same ? 0 : 1;
      else expect(same, `${name} is not read by any split`).toBe(true);
    }
    // Every column a split reads changes some prediction when shuffled.
    expect(changedUsed).toBe(used.count);
    await session.release();
    console.log(`credit-gbt splits read ${used.count} of 21 columns: ${used.columns.join(', ')}`);
  });

  test('linear and neural models use every bound column', () => {
    for (const m of ['credit-logreg.onnx', 'credit-mlp.onnx']) {
      const { mapping } = proposeMapping(prepareModel(bytes(m), m).card, table);
      const u = featuresUsed(modelFacts(bytes(m), m), mapping);
      expect(u).toMatchObject({ basis: 'bound', count: 21 });
    }
  });

  test('bad bytes throw the decoder message', () => {
    expect(() => modelFacts(new Uint8Array([1, 2, 3]), 'junk.onnx')).toThrow(/junk\.onnx/);
  });
});
