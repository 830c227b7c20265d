/**
 * In the browser protobufjs finds no `long` package and decodes int64 fields as plain numbers; in Node
 * it uses Long objects. This file runs the model path with Long switched off, as a browser would.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import protobuf from 'protobufjs/minimal';
import { onnx } from 'onnx-proto';
import { inspectModel } from '../../../src/lib/model/inspect';
import { prepareModel } from '../../../src/lib/model/zipmap';
import { logregProbability, logregZipMap, mlpModel } from '../../fixtures/models/build';

const util = protobuf.util as unknown as { Long: unknown };
let saved: unknown;
beforeAll(() => {
  saved = util.Long;
  util.Long = undefined;
  protobuf.configure();
});
afterAll(() => {
  util.Long = saved;
  protobuf.configure();
});

it('reads and rewrites models when int64 fields decode as numbers', async () => {
  expect(typeof onnx.ModelProto.decode(mlpModel()).irVersion).toBe('number');
  const card = inspectModel(mlpModel(), 'mlp.onnx');
  expect(card.irVersion).toBe(8);
  expect(card.inputs[0].shape).toEqual(['N', 4]);
  expect(card.parameterCount).toBe(43);
  const prepared = prepareModel(logregZipMap(), 'lr.onnx');
  expect(prepared.card.classLabels).toEqual(['0', '1']);
  expect(prepared.card.outputs[1].shape).toEqual([null, 2]);
  const s = await ort.InferenceSession.create(prepared.bytes, { executionProviders: ['wasm'] });
  const out = await s.run({ float_input: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
  expect((out.probabilities.data as Float32Array)[1]).toBeCloseTo(logregProbability([1, 2, 3]), 5);
});
