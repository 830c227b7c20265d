/**
 * What Loupe knows about a model: its card (read from the ONNX graph, no inference), how CSV columns
 * feed its inputs, and how its outputs are read back as predictions.
 */

/** ONNX element types by their ONNX names, lower-cased: 'float', 'double', 'int64', 'string', ... */
export type ElemType = string;

/** One graph input or output. `shape` entries are numbers, symbolic names ('N', 'batch'), or null (unknown). */
export interface ValueSig {
  name: string;
  /** 'tensor' | 'sequence' | 'map' | 'seq(map)' | 'optional' | 'sparse' | 'unknown' */
  kind: 'tensor' | 'sequence' | 'map' | 'seq(map)' | 'optional' | 'sparse' | 'unknown';
  /** Element type of the tensor (for seq(map): the map's value type). */
  elemType: ElemType;
  shape: (number | string | null)[] | null;
  docString?: string;
  /**
   * Outputs only: the op that computes this output, skipping shape-only ops (Identity, Cast, Reshape, ...),
   * keyed as in `opHistogram` ('Softmax', 'ai.onnx.ml.LinearClassifier'). Absent for inputs and pass-through outputs.
   */
  producer?: string;
  /** Outputs only: the producer's `post_transform` attribute ('NONE', 'LOGISTIC', 'SOFTMAX', ...) when it has one. */
  postTransform?: string;
}

export type ModelFamily = 'linear' | 'trees' | 'neural' | 'other';

export interface ModelCard {
  fileName: string;
  fileBytes: number;
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graphName: string;
  opsets: { domain: string; version: number }[];
  inputs: ValueSig[];
  outputs: ValueSig[];
  /** Count of nodes per op type, keyed 'Op' for the default domain and 'domain.Op' otherwise. */
  opHistogram: Record<string, number>;
  nodeCount: number;
  /** Elements in all initializers plus tensor-valued attributes of ai.onnx.ml ops (tree thresholds, coefficients). */
  parameterCount: number;
  metadata: Record<string, string>;
  family: ModelFamily;
  /** Class labels declared by the graph (classifier / ZipMap attributes), as strings, in output column order. */
  classLabels: string[] | null;
  /** Feature names found in metadata_props, if any, in input order. */
  featureNames: string[] | null;
}

/** Result of preparing raw ONNX bytes for onnxruntime-web. */
export interface PreparedModel {
  /** Bytes to give to InferenceSession.create (rewritten when ZipMap was removed). */
  bytes: Uint8Array;
  card: ModelCard;
  /** Things the user should be told, in words (e.g. "ZipMap output 'output_probability' was replaced by ..."). */
  notices: string[];
  /** Graph outputs that were replaced (ZipMap removed): the original output and the tensor now exposed instead. */
  replacedOutputs?: { original: string; replacement: string; classLabels: string[] }[];
}

/** How CSV columns feed one model input. */
export interface InputBinding {
  input: string;
  elemType: ElemType;
  /** 'matrix': [N, F] with F columns; 'column': [N, 1]; 'vector': [N]. */
  layout: 'matrix' | 'column' | 'vector';
  /** CSV column names feeding this input, in feature order (one for 'column'/'vector'). Null entry = unmapped. */
  columns: (string | null)[];
}

export type Task = 'binary' | 'multiclass' | 'regression';

/** How outputs are read: which output gives scores, which gives labels, and how raw scores are squashed. */
export interface OutputPlan {
  /** Output with per-class scores [N, C] (or [N] / [N,1] for regression or a single logit). */
  scoreOutput: string | null;
  /** Output with predicted labels [N] (int64 or string), if any. */
  labelOutput: string | null;
  /** 'none' when the score output already holds probabilities; 'softmax'/'sigmoid' for logits. */
  squash: 'none' | 'softmax' | 'sigmoid';
}

export interface Mapping {
  bindings: InputBinding[];
  /** CSV column used as the target, or null when none. */
  target: string | null;
  task: Task;
  /** Class labels in score-column order (classification only). */
  classes: string[];
  /** Index into `classes` of the positive class (binary only). */
  positiveClass: number;
  outputs: OutputPlan;
}

/** A mapping problem, in words, with how serious it is. */
export interface MappingIssue {
  level: 'error' | 'warning' | 'info';
  message: string;
}

/**
 * Model outputs for every row, decoded. For classification `scores` is N x C row-major probabilities
 * (after squash) and `labels` the predicted class index; for regression `scores` is N values and
 * `labels` is empty.
 */
export interface Predictions {
  n: number;
  task: Task;
  classes: string[];
  /** Row-major N x C (classification) or N (regression). */
  scores: Float32Array;
  /** Predicted class index per row (classification), -1 when unknown. */
  labels: Int32Array;
  /** Rows scored before a cancel (equal to n when complete). */
  scored: number;
}
