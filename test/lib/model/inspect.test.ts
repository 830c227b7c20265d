import { describe, expect, it } from 'vitest';
import { inspectModel, modelFamily, parseNameList } from '../../../src/lib/model/inspect';
import {
  imageModel,
  logitModel,
  logregZipMap,
  mlpModel,
  perColumnModel,
  treeZipMap,
} from '../../fixtures/models/build';

describe('inspectModel', () => {
  it('reads an MLP: signature, ops, parameters, family', () => {
    const bytes = mlpModel({ softmax: true, metadata: { feature_names: '["a","b","c","d"]' } });
    const card = inspectModel(bytes, 'mlp.onnx');
    expect(card.fileName).toBe('mlp.onnx');
    expect(card.fileBytes).toBe(bytes.length);
    expect(card.irVersion).toBe(8);
    expect(card.opsets).toEqual([{ domain: 'ai.onnx', version: 17 }]);
    expect(card.inputs).toEqual([{ name: 'input', kind: 'tensor', elemType: 'float', shape: ['N', 4] }]);
    expect(card.outputs).toMatchObject([{ name: 'probabilities', kind: 'tensor', elemType: 'float', shape: ['N', 3], producer: 'Softmax' }]);
    expect(card.opHistogram).toEqual({ Gemm: 2, Relu: 1, Softmax: 1 });
    expect(card.nodeCount).toBe(4);
    expect(card.parameterCount).toBe(20 + 5 + 15 + 3);
    expect(card.family).toBe('neural');
    expect(card.featureNames).toEqual(['a', 'b', 'c', 'd']);
    expect(card.classLabels).toBeNull();
    expect(card.metadata).toEqual({ feature_names: '["a","b","c","d"]' });
  });

  it('drops initializers listed as inputs in old IR models', () => {
    const card = inspectModel(mlpModel({ softmax: false, oldIr: true }), 'old.onnx');
    expect(card.irVersion).toBe(3);
    expect(card.inputs.map((i) => i.name)).toEqual(['input']);
    expect(card.outputs[0].producer).toBe('Gemm');
  });

  it('reads a skl2onnx logistic regression with ZipMap', () => {
    const card = inspectModel(logregZipMap(), 'lr.onnx');
    expect(card.inputs[0]).toEqual({ name: 'float_input', kind: 'tensor', elemType: 'float', shape: [null, 3] });
    expect(card.outputs[0]).toMatchObject({ name: 'output_label', kind: 'tensor', elemType: 'int64', shape: [null], producer: 'ai.onnx.ml.LinearClassifier', postTransform: 'LOGISTIC' });
    expect(card.outputs[1]).toMatchObject({ name: 'output_probability', kind: 'seq(map)', elemType: 'float', shape: null, producer: 'ai.onnx.ml.ZipMap' });
    expect(card.opHistogram).toEqual({ 'ai.onnx.ml.LinearClassifier': 1, 'ai.onnx.ml.Normalizer': 1, Cast: 1, 'ai.onnx.ml.ZipMap': 1 });
    expect(card.opsets).toContainEqual({ domain: 'ai.onnx.ml', version: 3 });
    expect(card.classLabels).toEqual(['0', '1']);
    expect(card.parameterCount).toBe(6 + 2);
    expect(card.family).toBe('linear');
    expect(card.producerName).toBe('skl2onnx');
  });

  it('reads a tree ensemble: thresholds of split nodes plus leaf weights', () => {
    const card = inspectModel(treeZipMap(), 'tree.onnx');
    expect(card.family).toBe('trees');
    expect(card.classLabels).toEqual(['no', 'yes']);
    expect(card.parameterCount).toBe(2 + 6);
    expect(card.outputs[0]).toMatchObject({ name: 'label', elemType: 'string', shape: ['N'] });
    expect(card.featureNames).toEqual(['x0', 'x1']);
  });

  it('uses input names as feature names for one-input-per-column models', () => {
    const card = inspectModel(perColumnModel(), 'pc.onnx');
    expect(card.inputs.map((i) => [i.name, i.elemType, i.shape])).toEqual([
      ['color', 'string', [null, 1]],
      ['size', 'float', [null, 1]],
    ]);
    expect(card.featureNames).toEqual(['color', 'size']);
    expect(card.family).toBe('linear');
    expect(card.parameterCount).toBe(5);
    expect(card.outputs[0].producer).toBe('Add');
  });

  it('classifies families', () => {
    expect(inspectModel(logitModel(), 'l.onnx').family).toBe('linear');
    expect(inspectModel(imageModel(), 'i.onnx').family).toBe('other');
    expect(modelFamily({ Conv: 1, Relu: 1, Gemm: 1 })).toBe('neural');
    expect(modelFamily({ Gemm: 1, Sigmoid: 1 })).toBe('linear');
    expect(modelFamily({ 'ai.onnx.ml.SVMClassifier': 1, 'ai.onnx.ml.ZipMap': 1 })).toBe('other');
    expect(modelFamily({ 'ai.onnx.ml.TreeEnsembleRegressor': 1 })).toBe('trees');
  });

  it('rejects empty, truncated and non-ONNX files with clear messages', () => {
    expect(() => inspectModel(new Uint8Array(0), 'e.onnx')).toThrow(/empty/);
    const good = logregZipMap();
    expect(() => inspectModel(good.subarray(0, Math.floor(good.length * 0.6)), 't.onnx')).toThrow(/truncated/);
    const csv = new TextEncoder().encode('a,b,c\n1,2,3\n4,5,6\n');
    expect(() => inspectModel(csv, 'data.csv')).toThrow(/not an ONNX model \(it is a text file/);
    const zip = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3, 4, 5, 6]);
    expect(() => inspectModel(zip, 'model.pt')).toThrow(/PyTorch/);
    // Pseudo-random bytes: either a decode failure or a decode into something without a graph.
    let seed = 7;
    const noise = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255);
    expect(() => inspectModel(noise, 'noise.onnx')).toThrow(/not an ONNX model|truncated/);
  });
});

describe('parseNameList', () => {
  it('reads JSON, comma lists and NumPy reprs', () => {
    expect(parseNameList('["a", "b c"]')).toEqual(['a', 'b c']);
    expect(parseNameList("['a', 'b']")).toEqual(['a', 'b']);
    expect(parseNameList("['a' 'b' 'c']")).toEqual(['a', 'b', 'c']);
    expect(parseNameList('x, y ,z')).toEqual(['x', 'y', 'z']);
    expect(parseNameList('one name')).toEqual(['one name']);
    expect(parseNameList('{"a": 1}')).toBeNull();
    expect(parseNameList('  ')).toBeNull();
  });
});
