/**
 * What the scorecard compares about a model's graph, read from the ONNX protobuf without running it:
 * size, learned numbers, op count and types, family, and (for tree ensembles) which inputs the splits
 * actually read, traced back through the preprocessing ops to the graph inputs.
 */
import type { onnx } from 'onnx-proto';
import type { Mapping, ModelFamily } from '../model/types';
import { cardOf } from '../model/inspect';
import { attrInts, attrStrings, decodeModel, getAttr, int64 } from '../model/proto';

export interface ModelFacts {
  fileName: string;
  /** Bytes of the ONNX file. */
  sizeBytes: number;
  /**
   * Learned numbers: initializer elements (all subgraphs), Constant values, tree-ensemble split
   * thresholds and leaf values, and the float attributes of other ai.onnx.ml ops (coefficients,
   * scaler offsets); the counting rule of `countParameters` in src/lib/model/inspect.
   */
  parameters: number;
  /** Nodes in the graph and its subgraphs. */
  ops: number;
  /** Distinct op types, keyed 'Op' or 'domain.Op', sorted. */
  opTypes: string[];
  family: ModelFamily;
  /**
   * Tree ensembles: the graph inputs (and the position within a matrix input) that at least one split
   * reads, traced through Concat, OneHotEncoder, Scaler, Cast, Reshape and similar; null for other
   * families or when the trace meets an op it cannot follow.
   */
  splitInputs: { input: string; index: number }[] | null;
}

/** Ops whose output columns are their input's columns, in order (elementwise or reshaping). */
const SAME_COLUMNS = new Set(['Identity', 'Cast', 'CastLike', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Scaler', 'Normalizer', 'Imputer', 'Binarizer', 'LabelEncoder']);

const isLeaf = (m: Uint8Array | string) => (typeof m === 'string' ? m : new TextDecoder().decode(m)) === 'LEAF';

/**
 * Per tensor, the graph-input column each of its feature columns comes from ('input:index'),
 * following the ops that only rearrange or rescale columns; tensors the trace cannot follow are absent.
 */
function traceColumns(graph: onnx.IGraphProto): Map<string, string[]> {
  const inits = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const cols = new Map<string, string[]>();
  for (const v of graph.input ?? []) {
    const name = v.name ?? '';
    if (inits.has(name)) continue;
    const dims = v.type?.tensorType?.shape?.dim ?? [];
    const last = dims.length >= 2 ? dims[dims.length - 1] : null;
    const width = dims.length <= 1 ? 1 : last && last.dimValue != null && int64(last.dimValue) > 0 ? int64(last.dimValue) : null;
    if (width !== null) cols.set(name, Array.from({ length: width }, (_, j) => `${name}:${j}`));
  }
  // ONNX graphs list nodes in topological order.
  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    const ins = (node.input ?? []).filter((n) => n && !inits.has(n));
    const out = node.output?.[0];
    if (!out) continue;
    if (op === 'Concat') {
      const parts = ins.map((n) => cols.get(n));
      if (parts.every((p) => p)) cols.set(out, parts.flat() as string[]);
    } else if (op === 'OneHotEncoder') {
      const src = cols.get(ins[0] ?? '');
      const width = (attrStrings(node, 'cats_strings') ?? attrInts(node, 'cats_int64s') ?? []).length;
      if (src && src.length === 1 && width > 0) cols.set(out, Array(width).fill(src[0]));
    } else if (SAME_COLUMNS.has(op)) {
      const src = cols.get(ins[0] ?? '');
      if (src) cols.set(out, src);
    }
  }
  return cols;
}

/** Inputs read by the splits of every tree ensemble, or null when one cannot be traced. */
function splitInputsOf(graph: onnx.IGraphProto): { input: string; index: number }[] | null {
  const trees = (graph.node ?? []).filter((n) => n.domain === 'ai.onnx.ml' && (n.opType ?? '').startsWith('TreeEnsemble'));
  if (trees.length === 0) return null;
  const cols = traceColumns(graph);
  const used = new Set<string>();
  for (const node of trees) {
    const src = cols.get(node.input?.[0] ?? '');
    if (!src) return null;
    const featureIds = attrInts(node, 'nodes_featureids') ?? [];
    const modes = getAttr(node, 'nodes_modes')?.strings ?? [];
    // TreeEnsemble (ai.onnx.ml v5) has no LEAF modes: its featureids list split nodes only.
    featureIds.forEach((f, k) => {
      if (modes.length && isLeaf(modes[k])) return;
      if (f >= 0 && f < src.length) used.add(src[f]);
    });
  }
  return [...used]
    .map((s) => {
      const at = s.lastIndexOf(':');
      return { input: s.slice(0, at), index: Number(s.slice(at + 1)) };
    })
    .sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : a.index - b.index));
}

/** Facts of an ONNX model from its bytes; throws the decoder's user-facing error on bad bytes. */
export function modelFacts(bytes: Uint8Array, fileName: string): ModelFacts {
  const model = decodeModel(bytes, fileName);
  // The size, parameter and op figures are the model card's, so the two views never disagree.
  const card = cardOf(model, bytes.length, fileName);
  return {
    fileName,
    sizeBytes: bytes.length,
    parameters: card.parameterCount,
    ops: card.nodeCount,
    opTypes: Object.keys(card.opHistogram).sort(),
    family: card.family,
    splitInputs: splitInputsOf(model.graph ?? {}),
  };
}

export interface FeaturesUsed {
  /** Distinct CSV columns. */
  count: number;
  columns: string[];
  /** 'splits': columns a tree split reads; 'bound': every column the mapping feeds the model. */
  basis: 'splits' | 'bound';
}

/** The CSV columns a model uses under `mapping`: those its tree splits read when traced, else all bound. */
export function featuresUsed(facts: ModelFacts, mapping: Mapping): FeaturesUsed {
  const byInput = new Map(mapping.bindings.map((b) => [b.input, b]));
  if (facts.splitInputs) {
    const cols = new Set<string>();
    let complete = true;
    for (const { input, index } of facts.splitInputs) {
      const b = byInput.get(input);
      const c = b ? (b.layout === 'matrix' ? b.columns[index] : b.columns[0]) : undefined;
      if (c) cols.add(c);
      else if (c === undefined) complete = false;
    }
    if (complete) return { count: cols.size, columns: [...cols].sort(), basis: 'splits' };
  }
  const cols = [...new Set(mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c))].sort();
  return { count: cols.length, columns: cols, basis: 'bound' };
}

/** Exact attributions (linear coefficients, TreeSHAP) exist for these families. */
export function hasExactAttributions(family: ModelFamily): boolean {
  return family === 'linear' || family === 'trees';
}
