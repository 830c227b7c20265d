import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { customOps, prepareModel } from '../../../src/lib/model/zipmap';
import { inspectModel } from '../../../src/lib/model/inspect';
import {
  imageModel,
  logregProbability,
  logregZipMap,
  mlpModel,
  perColumnModel,
  perColumnPrediction,
  seqMap,
  textModel,
  treeProbabilities,
  treeZipMap,
  model,
  ml,
  value,
} from '../../fixtures/models/build';
import { onnx } from 'onnx-proto';

const session = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });

describe('prepareModel', () => {
  it('replaces a skl2onnx ZipMap by its probability tensor, and the model runs in onnxruntime-web', async () => {
    const original = logregZipMap();
    const prepared = prepareModel(original, 'lr.onnx');
    expect(prepared.bytes).not.toBe(original);
    expect(prepared.card.outputs.map((o) => [o.name, o.kind, o.elemType, o.shape])).toEqual([
      ['output_label', 'tensor', 'int64', [null]],
      ['probabilities', 'tensor', 'float', [null, 2]],
    ]);
    expect(prepared.card.outputs[1].producer).toBe('ai.onnx.ml.Normalizer');
    expect(prepared.card.classLabels).toEqual(['0', '1']);
    expect(prepared.replacedOutputs).toEqual([{ original: 'output_probability', replacement: 'probabilities', classLabels: ['0', '1'] }]);
    expect(prepared.notices).toEqual([
      "The output 'output_probability' was a ZipMap (a list of dictionaries), which onnxruntime-web cannot read; Loupe exposes the probability tensor 'probabilities' [N, 2] instead.",
    ]);
    // The rewritten bytes are a valid model without the ZipMap.
    const again = inspectModel(prepared.bytes, 'lr.onnx');
    expect(again.opHistogram['ai.onnx.ml.ZipMap']).toBeUndefined();
    expect(again.outputs.map((o) => o.kind)).toEqual(['tensor', 'tensor']);

    const rows = [
      [0, 0, 0],
      [1, 2, 3],
      [-2, 0.5, 4],
      [3, -1, -2],
    ];
    const s = await session(prepared.bytes);
    const out = await s.run({ float_input: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 3]) });
    expect(out.probabilities.dims).toEqual([4, 2]);
    const p = out.probabilities.data as Float32Array;
    rows.forEach((x, i) => {
      const p1 = logregProbability(x);
      expect(p[i * 2 + 1]).toBeCloseTo(p1, 5);
      expect(p[i * 2]).toBeCloseTo(1 - p1, 5);
      expect(Number((out.output_label.data as BigInt64Array)[i])).toBe(p1 > 0.5 ? 1 : 0);
    });
  });

  it('documents why: onnxruntime-web cannot read the original ZipMap output', async () => {
    const s = await session(logregZipMap());
    await expect(s.run({ float_input: new ort.Tensor('float32', new Float32Array(3), [1, 3]) })).rejects.toThrow(/non-tensor/);
  });

  it('rewrites a tree ensemble with string labels, which then runs', async () => {
    const prepared = prepareModel(treeZipMap(), 'tree.onnx');
    expect(prepared.card.outputs.map((o) => [o.name, o.elemType, o.shape])).toEqual([
      ['label', 'string', ['N']],
      ['probabilities', 'float', ['N', 2]],
    ]);
    expect(prepared.card.classLabels).toEqual(['no', 'yes']);
    const rows = [
      [0, 5],
      [1, 0.5],
      [1, 2],
    ];
    const s = await session(prepared.bytes);
    const out = await s.run({ input: new ort.Tensor('float32', Float32Array.from(rows.flat()), [3, 2]) });
    const p = Array.from(out.probabilities.data as Float32Array);
    expect(p.map((v) => Math.round(v * 1e5) / 1e5)).toEqual(rows.flatMap(treeProbabilities));
    // onnxruntime's binary TreeEnsembleClassifier label can disagree with its own probabilities (here row 0
    // gets 'yes' at p=0.1; see microsoft/onnxruntime#28557), so proposeMapping reads tree labels as argmax.
    expect(out.label.type).toBe('string');
    expect(out.label.dims).toEqual([3]);
  });

  it('keeps models without ZipMap byte for byte (no copy) and runs a per-column string model', async () => {
    const bytes = perColumnModel();
    const prepared = prepareModel(bytes, 'pc.onnx');
    expect(prepared.bytes).toBe(bytes);
    expect(prepared.notices).toEqual([]);
    expect(prepared.replacedOutputs).toBeUndefined();
    const s = await session(prepared.bytes);
    const out = await s.run({
      color: new ort.Tensor('string', ['red', 'blue', 'purple'], [3, 1]),
      size: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [3, 1]),
    });
    expect(Array.from(out.variable.data as Float32Array)).toEqual([
      perColumnPrediction('red', 1),
      perColumnPrediction('blue', 2),
      perColumnPrediction('purple', 3),
    ]);
    expect(prepareModel(mlpModel(), 'mlp.onnx').notices).toEqual([]);
  });

  it('refuses image, text and output-less models with reasons', () => {
    expect(() => prepareModel(imageModel(), 'resnet.onnx')).toThrow(
      "'resnet.onnx' looks like an image model (input 'x' is [1,3,224,224]); Loupe handles tabular models",
    );
    expect(() => prepareModel(textModel(), 'bert.onnx')).toThrow(/looks like a text model \(input 'input_ids' is int64 \[batch,sequence\]/);
    // A ZipMap-free map output only: nothing readable is left.
    const onlyMap = model({
      nodes: [ml('ZipMap', ['x'], ['m'], { classlabels_strings: ['a', 'b'] }), ml('ZipMap', ['x'], ['m2'], { classlabels_strings: ['a', 'b'] })],
      inputs: [value('x', onnx.TensorProto.DataType.FLOAT, ['N', 2])],
      outputs: [{ name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } }, seqMap('m2', onnx.TensorProto.DataType.STRING)],
    });
    const p = prepareModel(onlyMap, 'passthrough.onnx');
    // m2 is a ZipMap of the input itself: the input becomes the exposed tensor.
    expect(p.card.outputs.map((o) => o.name)).toEqual(['x']);
    expect(p.notices[0]).toMatch(/'seq' is a sequence of float tensors, which onnxruntime-web cannot read; Loupe ignores it/);
    const none = model({
      nodes: [node2()],
      inputs: [value('x', onnx.TensorProto.DataType.FLOAT, ['N', 2])],
      outputs: [{ name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } }],
    });
    expect(() => prepareModel(none, 'seq.onnx')).toThrow(/has no output Loupe can read/);
    expect(() => prepareModel(new TextEncoder().encode('hello,world\n1,2\n'), 'x.csv')).toThrow(/not an ONNX model/);
  });
});

describe('custom operators', () => {
  const withOps = (nodes: onnx.INodeProto[], functions: onnx.IFunctionProto[] = []) => {
    const bytes = model({ nodes, inputs: [value('x', onnx.TensorProto.DataType.FLOAT, ['N', 2])], outputs: [value('y', onnx.TensorProto.DataType.FLOAT, ['N', 2])] });
    const m = onnx.ModelProto.decode(bytes);
    m.functions = functions.map((f) => onnx.FunctionProto.create(f));
    return onnx.ModelProto.encode(m).finish();
  };

  it('are refused by name before onnxruntime sees them', () => {
    const bytes = withOps([
      { opType: 'Frob', domain: 'com.example', input: ['x'], output: ['h'] },
      { opType: 'Twiddle', domain: 'org.acme', input: ['h'], output: ['y'] },
    ]);
    expect(() => prepareModel(bytes, 'custom.onnx')).toThrow(
      "'custom.onnx' uses 2 custom operators 'com.example.Frob', 'org.acme.Twiddle', which onnxruntime-web does not have",
    );
    expect(customOps(onnx.ModelProto.decode(bytes))).toEqual(['com.example.Frob', 'org.acme.Twiddle']);
  });

  it('do not include standard, ai.onnx.ml, com.microsoft or model-local function ops', () => {
    const bytes = withOps(
      [
        { opType: 'Relu', domain: '', input: ['x'], output: ['a'] },
        { opType: 'Gelu', domain: 'com.microsoft', input: ['a'], output: ['b'] },
        { opType: 'MyAct', domain: 'local', input: ['b'], output: ['y'] },
      ],
      [{ name: 'MyAct', domain: 'local', input: ['t'], output: ['u'], node: [{ opType: 'Relu', input: ['t'], output: ['u'] }] }],
    );
    expect(customOps(onnx.ModelProto.decode(bytes))).toEqual([]);
  });
});

function node2(): onnx.INodeProto {
  return { opType: 'SequenceConstruct', input: ['x'], output: ['seq'], domain: '' };
}
