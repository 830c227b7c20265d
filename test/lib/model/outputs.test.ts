import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { argmaxRows, decodeOutputs, sigmoid, softmax, outputFetches } from '../../../src/lib/model/outputs';
import { prepareModel } from '../../../src/lib/model/zipmap';
import { logitModel, logregProbability, logregZipMap, mlpLogits, mlpModel } from '../../fixtures/models/build';

const f32 = (dims: number[], values: number[]) => ({ type: 'float32', dims, data: Float32Array.from(values) });

describe('sigmoid and softmax', () => {
  it('are numerically stable', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-2)).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
    const s = softmax(Float64Array.from([1, 2, 3, 1000, 1000, 0]), 3);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const z = e[0] + e[1] + e[2];
    expect(Array.from(s.subarray(0, 3)).map((v, i) => v - e[i] / z).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    expect(Array.from(s.subarray(3))).toEqual([0.5, 0.5, 0]);
    expect(Array.from(softmax(Float32Array.from([NaN, 1]), 2)).every(Number.isNaN)).toBe(true);
  });
  it('argmaxRows picks the first largest, -1 for NaN rows', () => {
    expect(Array.from(argmaxRows([0.2, 0.5, 0.5, NaN, NaN, NaN], 3, new Int32Array(2)))).toEqual([1, -1]);
  });
});

describe('decodeOutputs', () => {
  const plan = (p: Partial<Parameters<typeof decodeOutputs>[1]>) => ({ scoreOutput: null, labelOutput: null, squash: 'none' as const, ...p });

  it('copies probabilities and maps int64 labels by text', () => {
    const out = decodeOutputs(
      { probs: f32([2, 3], [0.1, 0.7, 0.2, 0.5, 0.2, 0.3]), label: { type: 'int64', dims: [2], data: BigInt64Array.from([1n, 7n]) } },
      plan({ scoreOutput: 'probs', labelOutput: 'label' }),
      { task: 'multiclass', classes: ['0', '1', '2'] },
      2,
    );
    expect(Array.from(out.scores)).toEqual(Array.from(Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.2, 0.3])));
    expect(Array.from(out.labels)).toEqual([1, -1]);
  });

  it('maps string labels, and integer labels as indices when classes are text', () => {
    const s = decodeOutputs({ l: { type: 'string', dims: [3], data: ['b', 'a', 'zz'] } }, plan({ labelOutput: 'l' }), { task: 'binary', classes: ['a', 'b'] }, 3);
    expect(Array.from(s.labels)).toEqual([1, 0, -1]);
    expect(Array.from(s.scores)).toEqual([0, 1, 1, 0, 0, 0]);
    const i = decodeOutputs({ l: { type: 'int64', dims: [3, 1], data: BigInt64Array.from([2n, 0n, 5n]) } }, plan({ labelOutput: 'l' }), { task: 'multiclass', classes: ['x', 'y', 'z'] }, 3);
    expect(Array.from(i.labels)).toEqual([2, 0, -1]);
  });

  it('applies softmax to logits and takes argmax labels', () => {
    const out = decodeOutputs({ logits: f32([2, 2], [0, Math.log(3), 2, 0]) }, plan({ scoreOutput: 'logits', squash: 'softmax' }), { task: 'binary', classes: ['n', 'p'] }, 2);
    expect(out.scores[0]).toBeCloseTo(0.25, 6);
    expect(out.scores[1]).toBeCloseTo(0.75, 6);
    expect(Array.from(out.labels)).toEqual([1, 0]);
  });

  it('expands one binary column to (1-p, p), through a sigmoid for logits', () => {
    const logit = decodeOutputs({ z: f32([2, 1], [0, 2]) }, plan({ scoreOutput: 'z', squash: 'sigmoid' }), { task: 'binary', classes: ['0', '1'] }, 2);
    expect(Array.from(logit.scores).map((v) => +v.toFixed(6))).toEqual([0.5, 0.5, +(1 - sigmoid(2)).toFixed(6), +sigmoid(2).toFixed(6)]);
    expect(Array.from(logit.labels)).toEqual([0, 1]);
    const prob = decodeOutputs({ p: f32([2], [0.25, 0.9]) }, plan({ scoreOutput: 'p' }), { task: 'binary', classes: ['0', '1'] }, 2);
    expect(Array.from(prob.scores).map((v) => +v.toFixed(6))).toEqual([0.75, 0.25, 0.1, 0.9]);
  });

  it('decodes float16 bits', () => {
    // 0x3c00 = 1, 0xb800 = -0.5, 0x3555 ≈ 0.33325, 0x0001 = 2^-24
    const r = decodeOutputs({ y: { type: 'float16', dims: [4], data: Uint16Array.from([0x3c00, 0xb800, 0x3555, 0x0001]) } }, plan({ scoreOutput: 'y' }), { task: 'regression', classes: [] }, 4);
    expect(Array.from(r.scores)).toEqual(Array.from(Float32Array.from([1, -0.5, 0.333251953125, 2 ** -24])));
  });

  it('reads regression values and rejects misfits in words', () => {
    const r = decodeOutputs({ variable: { type: 'float64', dims: [3, 1], data: Float64Array.from([1.5, -2, 3]) } }, plan({ scoreOutput: 'variable' }), { task: 'regression', classes: [] }, 3);
    expect(Array.from(r.scores)).toEqual([1.5, -2, 3]);
    expect(r.labels.length).toBe(0);
    expect(() => decodeOutputs({}, plan({ scoreOutput: 'p' }), { task: 'binary', classes: ['a', 'b'] }, 1)).toThrow("did not return the output 'p'");
    expect(() => decodeOutputs({ p: f32([1, 3], [1, 2, 3]) }, plan({ scoreOutput: 'p' }), { task: 'binary', classes: ['a', 'b'] }, 1)).toThrow(/3 columns per row, but the mapping has 2 classes/);
  });

  it('decodes real onnxruntime-web outputs: logistic regression after the ZipMap rewrite, an MLP, a logit', async () => {
    const rows = [[0.5, 1, -1], [2, 0, 1]];
    const lr = prepareModel(logregZipMap(), 'lr.onnx');
    const s = await ort.InferenceSession.create(lr.bytes, { executionProviders: ['wasm'] });
    const out = await s.run({ float_input: new ort.Tensor('float32', Float32Array.from(rows.flat()), [2, 3]) });
    const d = decodeOutputs(out, plan({ scoreOutput: 'probabilities', labelOutput: 'output_label' }), { task: 'binary', classes: ['0', '1'] }, 2);
    rows.forEach((x, i) => expect(d.scores[2 * i + 1]).toBeCloseTo(logregProbability(x), 5));
    expect(Array.from(d.labels)).toEqual(rows.map((x) => (logregProbability(x) > 0.5 ? 1 : 0)));

    const mlpRows = [[1, 0, -1, 2], [0.3, 0.3, 0.3, 0.3]];
    const m = await ort.InferenceSession.create(mlpModel({ softmax: false }), { executionProviders: ['wasm'] });
    const mo = await m.run({ input: new ort.Tensor('float32', Float32Array.from(mlpRows.flat()), [2, 4]) });
    const md = decodeOutputs(mo, plan({ scoreOutput: 'logits', squash: 'softmax' }), { task: 'multiclass', classes: ['a', 'b', 'c'] }, 2);
    mlpRows.forEach((x, i) => {
      const expected = Array.from(softmax(Float64Array.from(mlpLogits(x)), 3));
      expected.forEach((p, k) => expect(md.scores[i * 3 + k]).toBeCloseTo(p, 5));
      expect(md.labels[i]).toBe(expected.indexOf(Math.max(...expected)));
    });

    const g = await ort.InferenceSession.create(logitModel(), { executionProviders: ['wasm'] });
    const go = await g.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, -1, 0]), [2, 2]) });
    const gd = decodeOutputs(go, plan({ scoreOutput: 'logit', squash: 'sigmoid' }), { task: 'binary', classes: ['0', '1'] }, 2);
    expect(gd.scores[1]).toBeCloseTo(sigmoid(1.5 - 2 + 0.25), 5);
    expect(gd.scores[3]).toBeCloseTo(sigmoid(-1.5 + 0.25), 5);
  });
});

describe('outputFetches', () => {
  it('the score and label outputs that are set, in that order', () => {
    expect(outputFetches({ scoreOutput: 'probabilities', labelOutput: 'label', squash: 'none' })).toEqual(['probabilities', 'label']);
    expect(outputFetches({ scoreOutput: 'variable', labelOutput: null, squash: 'none' })).toEqual(['variable']);
    expect(outputFetches({ scoreOutput: null, labelOutput: null, squash: 'none' })).toEqual([]);
  });
});
