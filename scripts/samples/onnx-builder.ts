/**
 * A small, typed way to write ONNX models with onnx-proto: initializers, nodes with explicitly typed
 * attributes, value infos for tensors and ZipMap's seq(map), and model assembly. Used by the sample
 * builders and by tests that need fixture models shaped like real exporters write them.
 */
import * as onnxProto from 'onnx-proto';
import type { onnx } from 'onnx-proto';

// onnx-proto is CommonJS whose exports Node cannot list: under plain Node ESM (tsx) the namespace holds
// only `default`; bundlers and vitest also give the named export.
const pb: typeof onnx = ((onnxProto as { default?: typeof onnxProto }).default ?? onnxProto).onnx;

/** ONNX element types this builder writes, by their ONNX names. */
export type Elem = 'float' | 'double' | 'int64' | 'int32' | 'string' | 'bool' | 'uint8' | 'int8';

/** One dimension: a size, a symbolic name ('N'), or null (unknown). */
export type Dim = number | string | null;

const ELEM_CODES: Record<Elem, number> = {
  float: pb.TensorProto.DataType.FLOAT,
  double: pb.TensorProto.DataType.DOUBLE,
  int64: pb.TensorProto.DataType.INT64,
  int32: pb.TensorProto.DataType.INT32,
  string: pb.TensorProto.DataType.STRING,
  bool: pb.TensorProto.DataType.BOOL,
  uint8: pb.TensorProto.DataType.UINT8,
  int8: pb.TensorProto.DataType.INT8,
};

/** The ONNX `TensorProto.DataType` code of an element type. */
export function elemCode(elem: Elem): number {
  return ELEM_CODES[elem];
}

const utf8 = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Types

/** A tensor type; `shape` null leaves the rank unknown. */
export function tensorType(elem: Elem, shape: Dim[] | null): onnx.ITypeProto {
  return {
    tensorType: {
      elemType: ELEM_CODES[elem],
      shape: shape === null ? undefined : { dim: shape.map((d) => (d === null ? {} : typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  };
}

/** A graph input/output/value_info holding a tensor. */
export function tensorValue(name: string, elem: Elem, shape: Dim[] | null, docString?: string): onnx.IValueInfoProto {
  return { name, type: tensorType(elem, shape), ...(docString ? { docString } : {}) };
}

/**
 * A seq(map(key, value)) value, what ai.onnx.ml ZipMap outputs (skl2onnx's `output_probability`).
 * The map's value type is a rank-less tensor of `valueElem`, as the ONNX type inference writes it.
 */
export function seqMapValue(name: string, keyElem: 'string' | 'int64', valueElem: Elem = 'float', docString?: string): onnx.IValueInfoProto {
  return {
    name,
    type: { sequenceType: { elemType: { mapType: { keyType: ELEM_CODES[keyElem], valueType: tensorType(valueElem, null) } } } },
    ...(docString ? { docString } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Tensors (initializers and tensor attributes)

/** A float32 tensor; values are stored as little-endian raw bytes (rounded to float32). */
export function floatTensor(name: string, dims: number[], data: ArrayLike<number>): onnx.ITensorProto {
  checkSize(name, dims, data.length);
  const f = Float32Array.from(data as ArrayLike<number>);
  return { name, dims, dataType: ELEM_CODES.float, rawData: littleEndianBytes(f) };
}

/** A float64 tensor, stored as little-endian raw bytes. */
export function doubleTensor(name: string, dims: number[], data: ArrayLike<number>): onnx.ITensorProto {
  checkSize(name, dims, data.length);
  const f = Float64Array.from(data as ArrayLike<number>);
  return { name, dims, dataType: ELEM_CODES.double, rawData: littleEndianBytes(f) };
}

/** An int64 tensor (values must be safe integers). */
export function int64Tensor(name: string, dims: number[], data: ArrayLike<number>): onnx.ITensorProto {
  checkSize(name, dims, data.length);
  const ints = Array.from(data as ArrayLike<number>);
  for (const v of ints) if (!Number.isSafeInteger(v)) throw new Error(`int64Tensor '${name}': ${v} is not a safe integer`);
  return { name, dims, dataType: ELEM_CODES.int64, int64Data: ints };
}

/** A string tensor (UTF-8). */
export function stringTensor(name: string, dims: number[], data: readonly string[]): onnx.ITensorProto {
  checkSize(name, dims, data.length);
  return { name, dims, dataType: ELEM_CODES.string, stringData: data.map((s) => utf8.encode(s)) };
}

function checkSize(name: string, dims: number[], n: number): void {
  const want = dims.reduce((a, b) => a * b, 1);
  if (want !== n) throw new Error(`tensor '${name}': dims [${dims.join(',')}] hold ${want} values, got ${n}`);
}

function littleEndianBytes(a: Float32Array | Float64Array): Uint8Array {
  const out = new Uint8Array(a.length * a.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float32Array) view.setFloat32(i * 4, a[i], true);
    else view.setFloat64(i * 8, a[i], true);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Attributes

/** An attribute value with its ONNX type made explicit (a JS number alone cannot say int or float). */
export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: ArrayLike<number> }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: onnx.ITensorProto };

/** INT attribute. */
export const int = (value: number): Attr => ({ kind: 'int', value });
/** FLOAT attribute (stored as float32). */
export const float = (value: number): Attr => ({ kind: 'float', value });
/** STRING attribute (UTF-8). */
export const str = (value: string): Attr => ({ kind: 'string', value });
/** INTS attribute. */
export const ints = (value: readonly number[]): Attr => ({ kind: 'ints', value });
/** FLOATS attribute (stored as float32). */
export const floats = (value: ArrayLike<number>): Attr => ({ kind: 'floats', value });
/** STRINGS attribute (UTF-8). */
export const strs = (value: readonly string[]): Attr => ({ kind: 'strings', value });
/** TENSOR attribute. */
export const tensorAttr = (value: onnx.ITensorProto): Attr => ({ kind: 'tensor', value });

const AT = pb.AttributeProto.AttributeType;

function attribute(name: string, a: Attr): onnx.IAttributeProto {
  switch (a.kind) {
    case 'int':
      if (!Number.isSafeInteger(a.value)) throw new Error(`attribute '${name}': ${a.value} is not an integer`);
      return { name, type: AT.INT, i: a.value };
    case 'float':
      return { name, type: AT.FLOAT, f: a.value };
    case 'string':
      return { name, type: AT.STRING, s: utf8.encode(a.value) };
    case 'ints':
      for (const v of a.value) if (!Number.isSafeInteger(v)) throw new Error(`attribute '${name}': ${v} is not an integer`);
      return { name, type: AT.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: AT.FLOATS, floats: Array.from(a.value) };
    case 'strings':
      return { name, type: AT.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
    case 'tensor':
      return { name, type: AT.TENSOR, t: a.value };
  }
}

// ---------------------------------------------------------------------------------------------
// Nodes, graph, model

/** ONNX's machine-learning operator domain. */
export const ML = 'ai.onnx.ml';

/**
 * A node. Attributes are written in the order given. `domain` is '' for standard ops and `ML` for
 * ai.onnx.ml ones; `name` defaults to `${opType}_${first output}`.
 */
export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attrs: Record<string, Attr> = {},
  opts: { domain?: string; name?: string; docString?: string } = {},
): onnx.INodeProto {
  return {
    opType,
    domain: opts.domain ?? '',
    name: opts.name ?? `${opType}_${outputs[0] ?? 'out'}`,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    ...(opts.docString ? { docString: opts.docString } : {}),
  };
}

export interface GraphSpec {
  name: string;
  nodes: onnx.INodeProto[];
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  initializers?: onnx.ITensorProto[];
  /** Types of intermediate values, for readers that want them (not required by runtimes). */
  valueInfo?: onnx.IValueInfoProto[];
  docString?: string;
}

export interface ModelSpec {
  graph: GraphSpec;
  /** Defaults to opset 15 of the default domain and 3 of ai.onnx.ml. */
  opsets?: { domain: string; version: number }[];
  /** Defaults to 8, the newest IR version onnx-proto knows. */
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  /** metadata_props, written in key order given. */
  metadata?: Record<string, string>;
}

/** Default opsets: standard ops at 15, ai.onnx.ml at 3 (the last with TreeEnsembleClassifier as-is). */
export const DEFAULT_OPSETS = [
  { domain: '', version: 15 },
  { domain: ML, version: 3 },
];

/** Assemble a ModelProto message from a spec. */
export function model(spec: ModelSpec): onnx.IModelProto {
  const g = spec.graph;
  return {
    irVersion: spec.irVersion ?? pb.Version.IR_VERSION,
    opsetImport: (spec.opsets ?? DEFAULT_OPSETS).map((o) => ({ domain: o.domain, version: o.version })),
    producerName: spec.producerName ?? 'loupe',
    producerVersion: spec.producerVersion ?? '',
    domain: spec.domain ?? '',
    modelVersion: spec.modelVersion ?? 1,
    docString: spec.docString ?? '',
    graph: {
      name: g.name,
      node: g.nodes,
      input: g.inputs,
      output: g.outputs,
      initializer: g.initializers ?? [],
      valueInfo: g.valueInfo ?? [],
      docString: g.docString ?? '',
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** Serialise a model to bytes (deterministic for the same message). */
export function encode(m: onnx.IModelProto): Uint8Array {
  return pb.ModelProto.encode(m).finish();
}

/** Build and serialise in one step. */
export function buildModel(spec: ModelSpec): Uint8Array {
  return encode(model(spec));
}

/** Parse model bytes. */
export function decode(bytes: Uint8Array): onnx.ModelProto {
  return pb.ModelProto.decode(bytes);
}

/**
 * Remove a ZipMap node whose output is a graph output, and expose its input tensor (the classifier's
 * [N, C] probabilities) as that graph output instead, keeping the output's position. The new output's
 * type comes from `graph.value_info` when present, else float [N, C] with C taken from the ZipMap labels.
 * A helper for tests; the app has its own rewrite.
 */
export function stripZipMap(bytes: Uint8Array): Uint8Array {
  const m = decode(bytes);
  // Decoded messages are full class instances: repeated fields are arrays, never null.
  const g = m.graph as onnx.GraphProto | null;
  if (!g) return bytes;
  const zipIndex = g.node.findIndex((n) => n.opType === 'ZipMap' && n.domain === ML);
  if (zipIndex < 0) return bytes;
  const zip = g.node[zipIndex] as onnx.NodeProto;
  const src = zip.input[0];
  const labels = zip.attribute.find((a) => a.name === 'classlabels_strings' || a.name === 'classlabels_int64s') as onnx.AttributeProto | undefined;
  const nClasses = labels ? labels.strings.length || labels.ints.length : null;
  g.node.splice(zipIndex, 1);
  const known = g.valueInfo.find((v) => v.name === src);
  const replacement = known ?? tensorValue(src, 'float', ['N', nClasses]);
  const outIndex = g.output.findIndex((o) => o.name === zip.output[0]);
  if (outIndex >= 0) g.output.splice(outIndex, 1, replacement);
  g.valueInfo = g.valueInfo.filter((v) => v.name !== src);
  return encode(m);
}
