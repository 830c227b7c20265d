/**
 * Read a model card from ONNX bytes without running the model: signature, ops, size, labels, metadata.
 */
import type { onnx } from 'onnx-proto';
import type { ModelCard, ModelFamily, ValueSig } from './types';
import {
  attrString,
  decodeModel,
  forEachGraph,
  forEachNode,
  getAttr,
  int64,
  isMlDomain,
  nodeClassLabels,
  opKey,
  tensorElements,
  valueSig,
} from './proto';

/**
 * Inspect ONNX model bytes.
 *
 * Throws an Error with a user-facing message when the bytes are empty, truncated or not ONNX.
 * `parameterCount` follows {@link countParameters}.
 */
export function inspectModel(bytes: Uint8Array, fileName: string): ModelCard {
  return cardOf(decodeModel(bytes, fileName), bytes.length, fileName);
}

/** Build the card of an already decoded model (`fileBytes`: size of the file it came from). */
export function cardOf(model: onnx.IModelProto, fileBytes: number, fileName: string): ModelCard {
  const graph = model.graph ?? {};
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const s of graph.sparseInitializer ?? []) if (s.values?.name) initNames.add(s.values.name);
  // Before IR 4 every initializer was also listed as a graph input; those are weights, not inputs.
  const inputs = (graph.input ?? []).filter((v) => !initNames.has(v.name ?? '')).map(valueSig);
  const outputs = describeOutputs(graph);

  const opHistogram: Record<string, number> = {};
  let nodeCount = 0;
  forEachNode(graph, (node) => {
    nodeCount++;
    const key = opKey(node);
    opHistogram[key] = (opHistogram[key] ?? 0) + 1;
  });

  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) if (p.key) metadata[p.key] = p.value ?? '';

  return {
    fileName,
    fileBytes,
    irVersion: int64(model.irVersion),
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    domain: model.domain ?? '',
    modelVersion: int64(model.modelVersion),
    docString: model.docString ?? '',
    graphName: graph.name ?? '',
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: int64(o.version) })),
    inputs,
    outputs,
    opHistogram,
    nodeCount,
    parameterCount: countParameters(graph),
    metadata,
    family: modelFamily(opHistogram),
    classLabels: findClassLabels(graph, metadata),
    featureNames: findFeatureNames(metadata, inputs),
  };
}

/** Ops that only move, reshape or retype data: skipped when looking for what computes an output. */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'CastLike', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Expand']);

/** Graph outputs with the op that computes each (see `ValueSig.producer`). */
export function describeOutputs(graph: onnx.IGraphProto): ValueSig[] {
  const producers = new Map<string, onnx.INodeProto>();
  for (const node of graph.node ?? []) for (const o of node.output ?? []) if (o) producers.set(o, node);
  return (graph.output ?? []).map((v) => {
    const sig = valueSig(v);
    let node = producers.get(sig.name);
    for (let hops = 0; node && !isMlDomain(node) && PASS_THROUGH.has(node.opType ?? '') && hops < 16; hops++) {
      node = producers.get(node.input?.[0] ?? '');
    }
    if (node) {
      sig.producer = opKey(node);
      const post = attrString(node, 'post_transform');
      if (post !== undefined) sig.postTransform = post;
    }
    return sig;
  });
}

/** ai.onnx.ml ops whose learned numbers are all their float attributes. */
function mlFloatAttributes(node: onnx.INodeProto): number {
  let n = 0;
  for (const a of node.attribute ?? []) {
    n += a.floats?.length ?? 0;
    if (a.t && (a.t.dataType === 1 || a.t.dataType === 11 || a.t.dataType === 10)) n += tensorElements(a.t);
  }
  return n;
}

function attrLength(node: onnx.INodeProto, name: string): number {
  const a = getAttr(node, name);
  if (!a) return 0;
  if (a.t) return tensorElements(a.t);
  return a.floats?.length ?? a.ints?.length ?? a.strings?.length ?? 0;
}

/**
 * Count a model's learned numbers:
 * - every element of every initializer (dense and sparse, in all subgraphs) and of `Constant` node values;
 * - for ai.onnx.ml tree ensembles (TreeEnsembleClassifier/Regressor, TreeEnsemble): one per split node (its
 *   threshold; leaves are not counted as nodes), plus every leaf weight (`class_weights` / `target_weights` /
 *   `leaf_weights`) and every `base_values` entry;
 * - for other ai.onnx.ml ops: every element of their float-valued attributes (LinearClassifier/Regressor
 *   coefficients and intercepts, Scaler offset and scale, SVM support vectors and coefficients, Imputer values).
 * Integer and string attributes (node ids, class labels, categories) are structure, not parameters.
 */
export function countParameters(graph: onnx.IGraphProto): number {
  let n = 0;
  forEachGraph(graph, (g) => {
    for (const t of g.initializer ?? []) n += tensorElements(t);
    for (const s of g.sparseInitializer ?? []) n += tensorElements(s.values);
  });
  forEachNode(graph, (node) => {
    if (!isMlDomain(node)) {
      if (node.opType === 'Constant') n += tensorElements(getAttr(node, 'value')?.t);
      return;
    }
    const op = node.opType ?? '';
    if (op === 'TreeEnsembleClassifier' || op === 'TreeEnsembleRegressor') {
      const modes = getAttr(node, 'nodes_modes')?.strings ?? [];
      let splits = 0;
      // Compare the bytes of 'LEAF' rather than decoding thousands of mode strings.
      for (const m of modes) if (m.length !== 4 || m[0] !== 76 || m[1] !== 69 || m[2] !== 65 || m[3] !== 70) splits++;
      n += splits;
      n += attrLength(node, 'class_weights') || attrLength(node, 'class_weights_as_tensor');
      n += attrLength(node, 'target_weights') || attrLength(node, 'target_weights_as_tensor');
      n += attrLength(node, 'base_values') || attrLength(node, 'base_values_as_tensor');
    } else if (op === 'TreeEnsemble') {
      n += attrLength(node, 'nodes_splits') + attrLength(node, 'leaf_weights');
    } else {
      n += mlFloatAttributes(node);
    }
  });
  return n;
}

const MATMUL = new Set(['Gemm', 'MatMul', 'MatMulInteger', 'QLinearMatMul', 'FusedMatMul']);
const NEURAL_ONLY = new Set(['Conv', 'ConvTranspose', 'QLinearConv', 'ConvInteger', 'LSTM', 'GRU', 'RNN', 'Attention', 'MultiHeadAttention', 'LayerNormalization', 'BatchNormalization', 'Dropout']);
const ACTIVATIONS = new Set(['Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'FastGelu', 'Sigmoid', 'HardSigmoid', 'Tanh', 'Softplus', 'Softsign', 'Mish', 'HardSwish', 'ThresholdedRelu', 'Erf']);
const LINEAR_ML = new Set(['LinearClassifier', 'LinearRegressor']);
const OTHER_MODEL_ML = new Set(['SVMClassifier', 'SVMRegressor']);

/**
 * Model family from its ops: 'trees' when any tree ensemble; 'neural' with convolution/recurrent/attention
 * layers, or two or more matrix products with activations; 'linear' with Linear* ops or at most one
 * matrix product and no hidden nonlinearity (a final Sigmoid/Softmax is allowed); else 'other'.
 */
export function modelFamily(opHistogram: Record<string, number>): ModelFamily {
  let matmuls = 0;
  let activations = 0;
  let neural = false;
  let linear = false;
  let otherModel = false;
  for (const [key, count] of Object.entries(opHistogram)) {
    const ml = key.startsWith('ai.onnx.ml.');
    const op = ml ? key.slice('ai.onnx.ml.'.length) : key;
    if (ml && op.startsWith('TreeEnsemble')) return 'trees';
    if (ml && LINEAR_ML.has(op)) linear = true;
    if (ml && OTHER_MODEL_ML.has(op)) otherModel = true;
    if (ml) continue;
    if (MATMUL.has(op)) matmuls += count;
    if (NEURAL_ONLY.has(op)) neural = true;
    if (ACTIVATIONS.has(op)) activations += count;
  }
  if (neural || (matmuls >= 2 && activations > 0)) return 'neural';
  if (otherModel) return 'other';
  if (linear || matmuls === 1) return 'linear';
  if (matmuls >= 2) return 'linear';
  return 'other';
}

function findClassLabels(graph: onnx.IGraphProto, metadata: Record<string, string>): string[] | null {
  const nodes = graph.node ?? [];
  // ZipMap labels name the output columns directly; a classifier's labels are in the same order.
  for (const node of nodes) if (isMlDomain(node) && node.opType === 'ZipMap') {
    const labels = nodeClassLabels(node);
    if (labels) return labels;
  }
  for (const node of nodes) if (isMlDomain(node) && node.opType?.endsWith('Classifier')) {
    const labels = nodeClassLabels(node);
    if (labels) return labels;
  }
  for (const key of ['class_labels', 'classes', 'classlabels', 'labels', 'classes_']) {
    const labels = metadata[key] !== undefined ? parseNameList(metadata[key]) : null;
    if (labels && labels.length >= 2) return labels;
  }
  return null;
}

const FEATURE_KEYS = ['feature_names', 'feature_names_in_', 'feature_names_in', 'features', 'input_features', 'feature_columns', 'columns'];

function findFeatureNames(metadata: Record<string, string>, inputs: ValueSig[]): string[] | null {
  for (const key of Object.keys(metadata)) {
    if (!FEATURE_KEYS.includes(key.toLowerCase())) continue;
    const names = parseNameList(metadata[key]);
    if (names && names.length > 0) return names;
  }
  // One input per column (sklearn ColumnTransformer exports): the inputs are named after the features.
  if (inputs.length >= 2 && inputs.every(isColumnLike)) return inputs.map((i) => i.name);
  return null;
}

function isColumnLike(sig: ValueSig): boolean {
  return sig.kind === 'tensor' && sig.shape !== null && (sig.shape.length === 1 || (sig.shape.length === 2 && sig.shape[1] === 1));
}

/** A list of names written as a JSON array or as comma-separated text; null when it is neither. */
export function parseNameList(value: string): string[] | null {
  const s = value.trim();
  if (s === '') return null;
  if (s.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string' || typeof x === 'number')) {
        return parsed.map(String);
      }
    } catch {
      // Python reprs use single quotes: fall through to the comma split.
    }
    // NumPy prints arrays without commas: ['a' 'b' 'c'].
    return splitNames(s.replace(/^\[|\]$/g, ''), true);
  }
  if (s.startsWith('{')) return null;
  return splitNames(s, false);
}

function splitNames(s: string, spaces: boolean): string[] | null {
  const names = s
    .split(s.includes(',') || !spaces ? ',' : /\s+/)
    .map((x) => x.trim().replace(/^['"]|['"]$/g, ''))
    .filter((x) => x !== '');
  return names.length > 0 ? names : null;
}
