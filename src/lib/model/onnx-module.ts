/**
 * The onnx-proto message classes, loaded the same way under every runtime. onnx-proto is CommonJS:
 * bundlers and vitest expose its named export `onnx`, but plain Node ESM (tsx scripts) only gives a
 * `default` holding the module, so `import { onnx } from 'onnx-proto'` fails to link there.
 */
import * as onnxProto from 'onnx-proto';
import type { onnx as OnnxNamespace } from 'onnx-proto';

export const onnx: typeof OnnxNamespace = ((onnxProto as { default?: typeof onnxProto }).default ?? onnxProto).onnx;
