/**
 * The categories a model's one-hot encoders know, per CSV column: skl2onnx writes a OneHotEncoder
 * (ai.onnx.ml) per categorical column with its `cats_strings` (or `cats_int64s`); a value outside that
 * list is encoded as all zeros. Found by walking each encoder's input back through shape-only nodes to
 * a graph input fed by one CSV column. Encoders reading a slice of a matrix input are not resolved.
 */
import type { onnx } from 'onnx-proto';
import { attrInts, attrStrings, forEachNode } from './proto';
import type { InputBinding } from './types';

const PASS = new Set(['Identity', 'Cast', 'CastLike', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);

/** Known categories per CSV column (only columns behind a OneHotEncoder appear). */
export function encoderCategories(graph: onnx.IGraphProto, bindings: readonly InputBinding[]): Record<string, string[]> {
  const producers = new Map<string, onnx.INodeProto>();
  forEachNode(graph, (node) => {
    for (const o of node.output ?? []) if (o) producers.set(o, node);
  });
  const columnOf = new Map<string, string>();
  for (const b of bindings) if (b.columns.length === 1 && b.columns[0]) columnOf.set(b.input, b.columns[0]);

  const out: Record<string, string[]> = {};
  forEachNode(graph, (node) => {
    if (node.opType !== 'OneHotEncoder') return;
    let name = node.input?.[0] ?? '';
    for (let guard = 0; guard < 32 && !columnOf.has(name); guard++) {
      const p = producers.get(name);
      if (!p || !PASS.has(p.opType ?? '')) break;
      name = p.input?.[0] ?? '';
    }
    const col = columnOf.get(name);
    if (!col) return;
    const cats = attrStrings(node, 'cats_strings') ?? attrInts(node, 'cats_int64s')?.map(String);
    if (cats) out[col] = [...new Set([...(out[col] ?? []), ...cats])];
  });
  return out;
}
