/**
 * Low-level reading of ONNX protobuf messages (onnx-proto static code): decoding with user-facing errors,
 * int64 values, attributes, element types and value signatures. Shared by `inspect.ts` and `zipmap.ts`.
 */
import type { onnx } from 'onnx-proto';
import { onnx as pb } from './onnx-module';
import type { ElemType, ValueSig } from './types';

/** protobufjs gives int64 fields as `Long` where the `long` package loads (Node), plain numbers elsewhere. */
export type Int64 = number | { toNumber(): number };

export function int64(v: Int64 | null | undefined): number {
  if (v == null) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

const ELEM_TYPES: Record<number, ElemType> = {
  0: 'undefined',
  1: 'float',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
};

const ELEM_CODES: Record<string, number> = Object.fromEntries(
  Object.entries(ELEM_TYPES).map(([code, name]) => [name, Number(code)]),
);

/** Lower-case ONNX name of a TensorProto.DataType code ('float', 'int64', ...); 'type<N>' for codes newer than this table. */
export function elemTypeName(code: number | null | undefined): ElemType {
  return ELEM_TYPES[code ?? 0] ?? `type${code}`;
}

/** TensorProto.DataType code of a lower-case ONNX type name; 0 when unknown. */
export function elemTypeCode(name: ElemType): number {
  return ELEM_CODES[name] ?? 0;
}

/** Key of a node in op histograms: 'Op' for the default domain, 'domain.Op' otherwise. */
export function opKey(node: onnx.INodeProto): string {
  const domain = node.domain ?? '';
  const op = node.opType ?? '?';
  return domain === '' || domain === 'ai.onnx' ? op : `${domain}.${op}`;
}

export function isMlDomain(node: onnx.INodeProto): boolean {
  return node.domain === 'ai.onnx.ml';
}

const utf8 = new TextDecoder();

export function text(bytes: Uint8Array | null | undefined): string {
  return bytes ? utf8.decode(bytes) : '';
}

export function getAttr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

export function attrString(node: onnx.INodeProto, name: string): string | undefined {
  const a = getAttr(node, name);
  return a?.s ? text(a.s) : undefined;
}

export function attrStrings(node: onnx.INodeProto, name: string): string[] | undefined {
  const a = getAttr(node, name);
  return a?.strings && a.strings.length > 0 ? a.strings.map(text) : undefined;
}

export function attrInts(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = getAttr(node, name);
  return a?.ints && a.ints.length > 0 ? a.ints.map(int64) : undefined;
}

/** Number of elements a tensor holds (product of dims; 1 for a scalar). */
export function tensorElements(t: onnx.ITensorProto | null | undefined): number {
  if (!t) return 0;
  let n = 1;
  for (const d of t.dims ?? []) n *= int64(d);
  return n;
}

/** Class labels of a classifier or ZipMap node, as strings in output column order. */
export function nodeClassLabels(node: onnx.INodeProto): string[] | undefined {
  const strings = attrStrings(node, 'classlabels_strings');
  if (strings) return strings;
  const ints = attrInts(node, 'classlabels_int64s') ?? attrInts(node, 'classlabels_ints');
  return ints?.map(String);
}

type Shape = ValueSig['shape'];

function shapeOf(shape: onnx.ITensorShapeProto | null | undefined): Shape {
  if (!shape) return null;
  return (shape.dim ?? []).map((d) => {
    const which = (d as onnx.TensorShapeProto.Dimension).value;
    if (which === 'dimValue') return int64(d.dimValue);
    if (which === 'dimParam') return d.dimParam || null;
    // Plain objects (not decoded messages) carry no oneof getter.
    if (d.dimParam) return d.dimParam;
    if (d.dimValue != null && int64(d.dimValue) > 0) return int64(d.dimValue);
    return null;
  });
}

/** Describe one graph input/output from its ValueInfoProto. */
export function valueSig(v: onnx.IValueInfoProto): ValueSig {
  const sig: ValueSig = { name: v.name ?? '', kind: 'unknown', elemType: 'undefined', shape: null };
  if (v.docString) sig.docString = v.docString;
  const t = v.type;
  if (!t) return sig;
  if (t.tensorType) {
    sig.kind = 'tensor';
    sig.elemType = elemTypeName(t.tensorType.elemType);
    sig.shape = shapeOf(t.tensorType.shape);
  } else if (t.sequenceType) {
    const inner = t.sequenceType.elemType;
    if (inner?.mapType) {
      sig.kind = 'seq(map)';
      sig.elemType = innerElem(inner.mapType.valueType);
    } else {
      sig.kind = 'sequence';
      sig.elemType = innerElem(inner);
    }
  } else if (t.mapType) {
    sig.kind = 'map';
    sig.elemType = innerElem(t.mapType.valueType);
  } else if (t.optionalType) {
    sig.kind = 'optional';
    sig.elemType = innerElem(t.optionalType.elemType);
  } else if (t.sparseTensorType) {
    sig.kind = 'sparse';
    sig.elemType = elemTypeName(t.sparseTensorType.elemType);
    sig.shape = shapeOf(t.sparseTensorType.shape);
  }
  return sig;
}

function innerElem(t: onnx.ITypeProto | null | undefined): ElemType {
  if (!t) return 'undefined';
  if (t.tensorType) return elemTypeName(t.tensorType.elemType);
  if (t.sparseTensorType) return elemTypeName(t.sparseTensorType.elemType);
  if (t.sequenceType) return innerElem(t.sequenceType.elemType);
  if (t.mapType) return innerElem(t.mapType.valueType);
  if (t.optionalType) return innerElem(t.optionalType.elemType);
  return 'undefined';
}

/** Why `bytes` might be something other than ONNX, from its first bytes; '' when nothing is recognised. */
function sniff(bytes: Uint8Array): string {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'PK\x03\x04') return 'it is a ZIP archive, perhaps a PyTorch checkpoint (.pt/.pth): export it with torch.onnx.export';
  if (ascii(4, 8) === 'ORTM') return 'it is an ORT-format model (.ort): Loupe reads .onnx files';
  if (ascii(4, 8) === 'TFL3') return 'it is a TensorFlow Lite model';
  if (ascii(0, 4) === '\x89HDF') return 'it is an HDF5 file (a Keras .h5 model?)';
  if (ascii(0, 6) === '\x93NUMPY') return 'it is a NumPy array file';
  if (ascii(0, 4) === 'PAR1') return 'it is a Parquet file';
  if (ascii(0, 4) === '%PDF') return 'it is a PDF document';
  if (ascii(0, 4) === '\x89PNG' || ascii(0, 3) === '\xff\xd8\xff' || ascii(0, 3) === 'GIF') return 'it is an image';
  if (bytes[0] === 0x80 && bytes.length > 1 && bytes[1] >= 2 && bytes[1] <= 5) {
    return 'it is a Python pickle (a joblib/pickle scikit-learn model?): convert it with skl2onnx';
  }
  const head = bytes.subarray(0, Math.min(bytes.length, 512));
  let printable = 0;
  for (const b of head) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2) printable++;
  if (head.length > 0 && printable === head.length) {
    const first = String.fromCharCode(head[0]);
    if (first === '{' || first === '[') return 'it is a text (JSON) file';
    return 'it is a text file (a CSV?)';
  }
  return '';
}

/** ModelProto's field numbers and the protobuf wire type each is written with (0 varint, 2 length-delimited). */
const MODEL_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, 0], [2, 2], [3, 2], [4, 2], [5, 0], [6, 2], [7, 2], [8, 2], [14, 2], [20, 2], [25, 2], [26, 2],
]);
/** ModelProto's string fields: producer_name, producer_version, domain, doc_string. */
const STRING_FIELDS = new Set([2, 3, 4, 6]);
/**
 * The first tags a nested message may start with: GraphProto (node, name, initializer, doc_string,
 * input, output, value_info, quantization_annotation, sparse_initializer), OperatorSetIdProto (domain,
 * version), StringStringEntryProto (key, value). An empty message has none.
 */
const NESTED_FIRST_TAGS: ReadonlyMap<number, ReadonlySet<number>> = new Map([
  [7, new Set([0x0a, 0x12, 0x2a, 0x52, 0x5a, 0x62, 0x6a, 0x72, 0x7a])],
  [8, new Set([0x0a, 0x10])],
  [14, new Set([0x0a, 0x12])],
]);
/** Highest IR version accepted as plausible (IR 11 is current; leave room). */
const MAX_IR_VERSION = 20;

/**
 * Walks the top-level fields of a would-be ModelProto without decoding them: 'complete' when they end
 * exactly at the end of the bytes; 'truncated' when they look like an ONNX file (ir_version first, as
 * every exporter writes it, with a plausible value; only ModelProto fields; strings that are UTF-8;
 * nested messages that start with one of their own fields) and the last one runs past the end; else
 * 'invalid' (random bytes, another format).
 */
export function topLevelFields(bytes: Uint8Array): 'complete' | 'truncated' | 'invalid' {
  if (bytes[0] !== 0x08) return 'invalid';
  let at = 0;
  const varint = (): number | null => {
    let v = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (at >= bytes.length) return null;
      const b = bytes[at++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
    return Number.NaN;
  };
  /** Whether a length-delimited field's bytes (maybe cut short) could be what the field holds. */
  const plausible = (field: number, body: Uint8Array): boolean => {
    if (body.length === 0) return true;
    if (STRING_FIELDS.has(field)) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: true });
        return true;
      } catch {
        return false;
      }
    }
    const first = NESTED_FIRST_TAGS.get(field);
    return !first || first.has(body[0]);
  };
  let fields = 0;
  while (at < bytes.length) {
    const tag = varint();
    if (tag === null) return 'truncated';
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (!Number.isFinite(tag) || MODEL_FIELDS.get(field) !== wire) return 'invalid';
    const v = varint();
    if (v === null) return 'truncated';
    if (!Number.isFinite(v)) return 'invalid';
    if (fields++ === 0 && (v < 1 || v > MAX_IR_VERSION)) return 'invalid';
    if (wire === 2) {
      const body = bytes.subarray(at, Math.min(bytes.length, at + v));
      if (!plausible(field, body)) return 'invalid';
      if (at + v > bytes.length) return 'truncated';
      at += v;
    }
  }
  return 'complete';
}

/**
 * Decode ONNX bytes into a ModelProto, or throw an Error whose message can be shown to the user as is:
 * empty file, truncated file, not ONNX (with a guess at what it is).
 */
export function decodeModel(bytes: Uint8Array, fileName: string): onnx.ModelProto {
  const what = fileName ? `'${fileName}'` : 'This file';
  if (bytes.length === 0) throw new Error(`${what} is empty (0 bytes); it is not an ONNX model.`);
  const hint = sniff(bytes);
  const notOnnx = (why: string) =>
    new Error(`${what} is not an ONNX model (${hint ? hint : why}).`);
  let model: onnx.ModelProto;
  try {
    model = pb.ModelProto.decode(bytes);
  } catch (e) {
    if (!hint && topLevelFields(bytes) === 'truncated') {
      throw new Error(
        `${what} looks truncated: its data ends in the middle of the model (${bytes.length.toLocaleString('en-US')} bytes read). ` +
          'Download or export it again.',
      );
    }
    throw notOnnx('its bytes do not follow the ONNX format');
  }
  const graph = model.graph;
  const irVersion = int64(model.irVersion);
  if (!graph || irVersion <= 0 || irVersion > 100) throw notOnnx('no ONNX graph was found in it');
  if ((graph.node?.length ?? 0) === 0 && (graph.output?.length ?? 0) === 0) {
    throw notOnnx('its graph has no nodes and no outputs');
  }
  if ((model.opsetImport?.length ?? 0) === 0) {
    throw new Error(
      `${what} is incomplete: it has a graph but no operator-set imports, which every ONNX model declares after its graph. ` +
        'The file was probably truncated; download or export it again.',
    );
  }
  return model;
}

/** Visit every node of a graph and of its subgraphs (If/Loop/Scan bodies), depth first. */
export function forEachNode(graph: onnx.IGraphProto, visit: (node: onnx.INodeProto, graph: onnx.IGraphProto) => void): void {
  for (const node of graph.node ?? []) {
    visit(node, graph);
    for (const a of node.attribute ?? []) {
      if (a.g) forEachNode(a.g, visit);
      for (const g of a.graphs ?? []) forEachNode(g, visit);
    }
  }
}

/** Visit every graph: the main one and all subgraphs. */
export function forEachGraph(graph: onnx.IGraphProto, visit: (graph: onnx.IGraphProto) => void): void {
  visit(graph);
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g) forEachGraph(a.g, visit);
      for (const g of a.graphs ?? []) forEachGraph(g, visit);
    }
  }
}
