/**
 * The messages come from real onnxruntime-web runs on small broken models, so a change in ort's wording
 * shows up here.
 */
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { explainOrtError, isOrtMemoryError, MAX_ORT_MESSAGE } from '../../../src/lib/model/ort-errors';
import { buildModel, int, int64Tensor, node, tensorValue } from '../../../scripts/samples/onnx-builder';

const create = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });

async function createError(bytes: Uint8Array): Promise<string> {
  try {
    await create(bytes);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the session was created');
}

const opsets = (extra: { domain: string; version: number }[] = []) => [{ domain: '', version: 15 }, ...extra];

describe('explainOrtError', () => {
  it('names an operator no kernel is registered for, and its opset', async () => {
    const raw = await createError(
      buildModel({
        graph: { name: 'g', nodes: [node('LoupeFrobnicate', ['x'], ['y'])], inputs: [tensorValue('x', 'float', ['N', 2])], outputs: [tensorValue('y', 'float', ['N', 2])] },
        opsets: opsets(),
      }),
    );
    expect(raw).toMatch(/ERROR_CODE/);
    expect(explainOrtError(raw)).toBe(
      "onnxruntime-web has no kernel for the operator 'LoupeFrobnicate' (opset 15): it is not a standard ONNX operator, or it is newer than this onnxruntime. Export the model with standard operators or an older opset.",
    );
  });

  it('names an operator of an unknown domain', async () => {
    const raw = await createError(
      buildModel({
        graph: { name: 'g', nodes: [node('Frob', ['x'], ['y'], {}, { domain: 'com.example' })], inputs: [tensorValue('x', 'float', ['N', 2])], outputs: [tensorValue('y', 'float', ['N', 2])] },
        opsets: opsets([{ domain: 'com.example', version: 1 }]),
      }),
    );
    expect(explainOrtError(raw)).toBe("onnxruntime-web does not know the operator 'Frob' of domain 'com.example' (a custom operator?).");
  });

  it('names the node that failed during a run and keeps its status message, without codes or paths', async () => {
    const session = await create(
      buildModel({
        graph: {
          name: 'g',
          nodes: [node('Gather', ['x', 'idx'], ['y'], { axis: int(1) })],
          inputs: [tensorValue('x', 'float', ['N', 3])],
          outputs: [tensorValue('y', 'float', ['N', 1])],
          initializers: [int64Tensor('idx', [1], [9])],
        },
        opsets: opsets(),
      }),
    );
    let raw = '';
    try {
      await session.run({ x: new ort.Tensor('float32', new Float32Array(6), [2, 3]) });
    } catch (e) {
      raw = (e as Error).message;
    }
    expect(raw).toMatch(/failed to call OrtRun/);
    expect(explainOrtError(raw)).toBe("the Gather node 'Gather_y' failed: indices element out of data bounds, idx=9 must be within the inclusive range [-3,2]");
  });

  it('says so when WebAssembly memory runs out', async () => {
    // Expand one float per row to 2^29 floats (2 GiB): more than the wasm heap can hold.
    const session = await create(
      buildModel({
        graph: {
          name: 'g',
          nodes: [node('Expand', ['x', 'shape'], ['big']), node('ReduceSum', ['big', 'axes'], ['y'], { keepdims: int(0) })],
          inputs: [tensorValue('x', 'float', ['N', 1, 1])],
          outputs: [tensorValue('y', 'float', ['N', 2])],
          initializers: [int64Tensor('shape', [3], [1, 2, 1 << 28]), int64Tensor('axes', [1], [2])],
        },
        opsets: opsets(),
      }),
    );
    let raw = '';
    try {
      await session.run({ x: new ort.Tensor('float32', new Float32Array(1), [1, 1, 1]) });
    } catch (e) {
      raw = (e as Error).message;
    }
    expect(raw).not.toBe('');
    expect(isOrtMemoryError(raw) || /too large/i.test(raw)).toBe(true);
    const text = explainOrtError(raw);
    expect(text).not.toMatch(/ERROR_CODE|\.cc:\d+|ONNXRuntimeError/);
    if (isOrtMemoryError(raw)) expect(text).toMatch(/^onnxruntime-web ran out of memory inside WebAssembly \(.+\): the model needs more memory than a browser gives it/);
  }, 60_000);

  it('strips codes and source paths from other messages and caps the length', () => {
    const raw =
      "failed to call OrtRun(). ERROR_CODE: 2, ERROR_MESSAGE: /mnt/x/onnxruntime/core/framework/op_kernel.cc:83 virtual OrtValue *onnxruntime::OpKernelContext::OutputMLValue(int, const TensorShape &) [ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Tensor shape is too large";
    expect(explainOrtError(raw)).toBe('Tensor shape is too large');
    const long = explainOrtError('x '.repeat(1000));
    expect(long.length).toBe(MAX_ORT_MESSAGE);
    expect(long.endsWith('…')).toBe(true);
  });

  it('tells memory errors from others', () => {
    expect(isOrtMemoryError('memory access out of bounds')).toBe(true);
    expect(isOrtMemoryError('Aborted(OOM)')).toBe(true);
    expect(isOrtMemoryError('indices element out of data bounds')).toBe(false);
  });
});
