/**
 * Make ONNX bytes ready for onnxruntime-web: replace ZipMap outputs (which it cannot read) by the
 * probability tensor they wrap, and refuse models that are not tabular, with reasons in words.
 */
import type { onnx } from 'onnx-proto';
import { onnx as pb } from './onnx-module';
import { cardOf, describeOutputs } from './inspect';
import { decodeModel, forEachNode, isMlDomain, nodeClassLabels } from './proto';
import type { ModelCard, PreparedModel, ValueSig } from './types';

/** Element types Loupe can feed from a CSV (see `feeds.ts`). */
const FEEDABLE = new Set(['float', 'double', 'int64', 'int32', 'string', 'bool']);
/** Output element types Loupe can read back as scores or labels. */
const READABLE = new Set(['float', 'double', 'float16', 'int64', 'int32', 'int8', 'uint8', 'string', 'bool']);

/**
 * Decode, check and (when needed) rewrite a model for onnxruntime-web.
 *
 * - Each graph output computed by an ai.onnx.ml ZipMap (a list of {label: probability} dictionaries,
 *   which onnxruntime-web cannot read) is replaced by the ZipMap's input tensor, float [N, C], under that
 *   tensor's own name; the ZipMap node is removed when nothing else reads it. Recorded in `notices` and
 *   `replacedOutputs`; class labels stay in `card.classLabels`.
 * - Other non-tensor outputs (sequences, maps) are dropped with a notice.
 * - Returns the original `bytes` (no copy) when nothing was rewritten.
 * - `card` describes the file (op histogram and parameters as written) but lists the outputs the
 *   returned bytes expose.
 *
 * Throws a user-facing Error for bytes that are not ONNX, and for models Loupe cannot run in this version:
 * image and sequence/text inputs, non-tensor or unfeedable inputs, weights in external files, no tensor output.
 */
export function prepareModel(bytes: Uint8Array, fileName: string): PreparedModel {
  const model = decodeModel(bytes, fileName);
  const card = cardOf(model, bytes.length, fileName);
  rejectUnsupported(model, card);

  const graph = model.graph!;
  const notices: string[] = [];
  const replacedOutputs: NonNullable<PreparedModel['replacedOutputs']> = [];
  const producers = new Map<string, onnx.INodeProto>();
  for (const node of graph.node ?? []) for (const o of node.output ?? []) if (o) producers.set(o, node);

  const keptOutputs: onnx.IValueInfoProto[] = [];
  const removed = new Set<onnx.INodeProto>();
  let rewritten = false;
  for (const out of graph.output ?? []) {
    const sig = card.outputs.find((o) => o.name === out.name);
    if (!sig || sig.kind === 'tensor') {
      keptOutputs.push(out);
      continue;
    }
    rewritten = true;
    const zip = producers.get(out.name ?? '');
    if (zip && isMlDomain(zip) && zip.opType === 'ZipMap' && zip.input?.[0]) {
      const tensorName = zip.input[0];
      const labels = nodeClassLabels(zip) ?? [];
      const batch = batchDim(card);
      const exposed = exposedValueInfo(graph, tensorName, labels.length, batch, sig.elemType);
      if (!keptOutputs.some((o) => o.name === tensorName) && !(graph.output ?? []).some((o) => o.name === tensorName)) {
        keptOutputs.push(exposed);
      }
      if (!isReadElsewhere(graph, zip, out.name ?? '')) removed.add(zip);
      replacedOutputs.push({ original: out.name ?? '', replacement: tensorName, classLabels: labels });
      const shape = `[${[batch ?? 'N', labels.length || '?'].join(', ')}]`;
      notices.push(
        `The output '${out.name}' was a ZipMap (a list of dictionaries), which onnxruntime-web cannot read; ` +
          `Loupe exposes the probability tensor '${tensorName}' ${shape} instead.`,
      );
    } else {
      notices.push(
        `The output '${out.name}' is a ${describeKind(sig)}, which onnxruntime-web cannot read; Loupe ignores it.`,
      );
    }
  }

  if (rewritten) {
    graph.output = keptOutputs;
    if (removed.size > 0) graph.node = (graph.node ?? []).filter((n) => !removed.has(n));
  }
  const outputs = rewritten ? describeOutputs(graph) : card.outputs;
  const usable = outputs.filter((o) => o.kind === 'tensor' && READABLE.has(o.elemType));
  if (usable.length === 0) {
    const list = card.outputs.map((o) => `'${o.name}' (${describeKind(o)})`).join(', ');
    throw new Error(
      `'${fileName}' has no output Loupe can read: it needs a numeric or text tensor of scores, probabilities or labels; this model outputs ${list || 'nothing'}.`,
    );
  }
  const preparedCard: ModelCard = { ...card, outputs };
  if (!rewritten) return { bytes, card: preparedCard, notices };
  return {
    bytes: pb.ModelProto.encode(model).finish(),
    card: preparedCard,
    notices,
    replacedOutputs,
  };
}

function describeKind(sig: ValueSig): string {
  switch (sig.kind) {
    case 'tensor':
      return `${sig.elemType} tensor ${formatShape(sig.shape)}`;
    case 'seq(map)':
      return 'list of dictionaries';
    case 'sequence':
      return `sequence of ${sig.elemType} tensors`;
    case 'map':
      return 'dictionary';
    case 'optional':
      return 'optional value';
    case 'sparse':
      return 'sparse tensor';
    default:
      return 'value of unknown type';
  }
}

export function formatShape(shape: ValueSig['shape']): string {
  if (!shape) return '[?]';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

/** The batch dimension shared by the inputs (first dim of the first tensor input), or null when unknown. */
function batchDim(card: ModelCard): number | string | null {
  const first = card.inputs.find((i) => i.kind === 'tensor' && i.shape && i.shape.length > 0);
  return first?.shape?.[0] ?? null;
}

/** ValueInfo for the tensor feeding a ZipMap: taken from value_info when the graph declares it, else [batch, C]. */
function exposedValueInfo(
  graph: onnx.IGraphProto,
  name: string,
  classes: number,
  batch: number | string | null,
  elemType: string,
): onnx.IValueInfoProto {
  const declared = (graph.valueInfo ?? []).find((v) => v.name === name);
  if (declared?.type?.tensorType) {
    graph.valueInfo = (graph.valueInfo ?? []).filter((v) => v !== declared);
    return declared;
  }
  const dim = (d: number | string | null): onnx.TensorShapeProto.IDimension =>
    d === null ? {} : typeof d === 'number' ? { dimValue: d } : { dimParam: d };
  return {
    name,
    type: {
      tensorType: {
        elemType: elemType === 'double' ? pb.TensorProto.DataType.DOUBLE : pb.TensorProto.DataType.FLOAT,
        shape: { dim: [dim(batch), dim(classes > 0 ? classes : null)] },
      },
    },
  };
}

function isReadElsewhere(graph: onnx.IGraphProto, zip: onnx.INodeProto, output: string): boolean {
  return (graph.node ?? []).some((n) => n !== zip && (n.input ?? []).includes(output));
}

const SEQUENCE_DIM = /^(seq|sequence|seq_len|sequence_length|len|length|tokens?|time|timesteps?|steps?)$/i;
const TEXT_INPUT = /(input_ids|token|attention_mask|^ids$|text|sentence)/i;

function rejectUnsupported(model: onnx.IModelProto, card: ModelCard): void {
  const what = `'${card.fileName}'`;
  const tabular = 'Loupe handles tabular models (one row of features per example) in this version.';
  if (card.inputs.length === 0) throw new Error(`${what} has no inputs to feed. ${tabular}`);
  for (const input of card.inputs) {
    const shape = formatShape(input.shape);
    if (input.kind !== 'tensor') {
      throw new Error(
        `${what} takes a ${describeKind(input)} as input '${input.name}'; Loupe can only feed tensors built from CSV columns. ${tabular}`,
      );
    }
    const rank = input.shape?.length ?? 2;
    const numeric = input.elemType !== 'string' && input.elemType !== 'bool';
    if (rank >= 4 && numeric) {
      throw new Error(`${what} looks like an image model (input '${input.name}' is ${shape}); ${tabular}`);
    }
    if (rank === 3) {
      throw new Error(
        `${what} looks like a sequence or time-series model (input '${input.name}' is ${shape}); ${tabular}`,
      );
    }
    if (rank >= 4) throw new Error(`${what} takes a rank-${rank} input '${input.name}' ${shape}; ${tabular}`);
    const second = input.shape?.[1];
    const intType = input.elemType.startsWith('int') || input.elemType.startsWith('uint');
    if (
      rank === 2 &&
      intType &&
      (TEXT_INPUT.test(input.name) || (typeof second === 'string' && SEQUENCE_DIM.test(second)))
    ) {
      throw new Error(`${what} looks like a text model (input '${input.name}' is ${input.elemType} ${shape}, token ids); ${tabular}`);
    }
    if (rank === 2 && input.elemType === 'string' && second !== 1 && second !== undefined) {
      throw new Error(
        `${what} looks like a text model (input '${input.name}' is string ${shape}); Loupe feeds one text column per [N,1] input. ${tabular}`,
      );
    }
    if (!FEEDABLE.has(input.elemType)) {
      throw new Error(
        `${what} has input '${input.name}' of element type '${input.elemType}', which Loupe cannot build from CSV columns yet (it feeds float, double, int64, int32, string and bool).`,
      );
    }
  }
  const custom = customOps(model);
  if (custom.length > 0) {
    const list = custom.slice(0, 5).map((op) => `'${op}'`).join(', ');
    throw new Error(
      `${what} uses ${custom.length === 1 ? 'the custom operator' : `${custom.length} custom operators`} ${list}${custom.length > 5 ? ', …' : ''}, ` +
        'which onnxruntime-web does not have (it runs the standard ai.onnx and ai.onnx.ml operators and com.microsoft contrib ops). ' +
        'Export the model with standard operators, or register the custom operator library where you run it.',
    );
  }
  const external = (model.graph?.initializer ?? []).find(
    (t) => t.dataLocation === pb.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0,
  );
  if (external) {
    throw new Error(
      `${what} keeps its weights in a separate file (tensor '${external.name}' is external data); ` +
        'Loupe reads a single .onnx file. Save the model with its weights inside (onnx.save_model(..., save_as_external_data=False)).',
    );
  }
}

/** Operator domains onnxruntime-web ships kernels for. */
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft']);

/**
 * Ops (as `domain.op`) from domains onnxruntime-web has no kernels for, skipping functions the model
 * defines itself (their bodies are expanded into standard ops), in first-seen order.
 */
export function customOps(model: onnx.IModelProto): string[] {
  const local = new Set((model.functions ?? []).map((f) => `${f.domain ?? ''}.${f.name ?? ''}`));
  const found = new Set<string>();
  if (model.graph) {
    forEachNode(model.graph, (n) => {
      const key = `${n.domain ?? ''}.${n.opType ?? ''}`;
      if (!KNOWN_DOMAINS.has(n.domain ?? '') && !local.has(key)) found.add(key);
    });
  }
  return [...found];
}
