/** Finds the one ai.onnx.ml head node of a model (a tree ensemble, a linear model) and traces its input to CSV columns. */
import type { onnx } from 'onnx-proto';
import { decodeModel } from '../../model/proto';
import type { InputBinding } from '../../model/types';
import { traceFeatures, type FeatureSource } from './graph-features';

export interface ModelHead {
  node: onnx.INodeProto;
  op: string;
  /** Source of each element of the head's input vector. */
  sources: FeatureSource[];
  /** Graph input / CSV columns that feed the head, in first-use order. */
  columns: string[];
}

/**
 * The single node of the main graph whose op is one of `ops` (ai.onnx.ml), with its input traced; or the
 * reason (in words) why the model has no such head Loupe can read.
 */
export function findHead(
  model: Uint8Array | onnx.IModelProto,
  bindings: readonly InputBinding[],
  ops: readonly string[],
): { ok: true; head: ModelHead } | { ok: false; reason: string } {
  const proto = model instanceof Uint8Array ? decodeModel(model, '') : model;
  const graph = proto.graph ?? {};
  const heads = (graph.node ?? []).filter((n) => n.domain === 'ai.onnx.ml' && ops.includes(n.opType ?? ''));
  if (heads.length === 0) return { ok: false, reason: `the model has no ${ops.join(' or ')} node` };
  if (heads.length > 1) return { ok: false, reason: `the model has ${heads.length} ${ops.join('/')} nodes; Loupe reads one` };
  const node = heads[0];
  const traced = traceFeatures(graph, node.input?.[0] ?? '', bindings);
  if (!traced.ok) return { ok: false, reason: traced.reason };
  const columns: string[] = [];
  for (const s of traced.sources) if (s.kind !== 'constant' && !columns.includes(s.column)) columns.push(s.column);
  return { ok: true, head: { node, op: node.opType ?? '', sources: traced.sources, columns } };
}
