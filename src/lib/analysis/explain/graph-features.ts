/**
 * Traces the feature vector a model head reads (a TreeEnsemble's or LinearClassifier's input) back to
 * CSV columns, through the node patterns skl2onnx writes for a ColumnTransformer: per-column inputs,
 * Identity/Cast/Reshape/Flatten/Squeeze/Unsqueeze, Concat, Imputer, Scaler, OneHotEncoder, and Sub/Add/
 * Mul/Div by constants (a PyTorch normalisation layer). Each internal feature becomes a function of ONE
 * CSV column, which is what lets TreeSHAP and linear attributions use CSV columns as players.
 */
import type { onnx } from 'onnx-proto';
import type { Column, Table } from '../../data/table';
import { isTruthy } from '../../model/feeds';
import { attrInts, attrStrings, getAttr, int64 } from '../../model/proto';
import type { InputBinding } from '../../model/types';
import { columnIndex } from './cells';

/** One step applied to a number inside the graph. */
export type NumericStep =
  /** Imputer: values equal to `replaced` (NaN matches NaN) become `value`. */
  | { op: 'impute'; value: number; replaced: number }
  /** x·mul + add (Scaler is (x − offset)·scale: mul = scale, add = −offset·scale, computed as ORT does). */
  | { op: 'scaler'; offset: number; scale: number }
  | { op: 'add'; value: number }
  | { op: 'mul'; value: number }
  | { op: 'div'; value: number }
  | { op: 'sub-from'; value: number };

/** Where one internal feature comes from. */
export type FeatureSource =
  | { kind: 'number'; column: string; steps: NumericStep[]; float32: boolean }
  /** 1 when the column's text (or integer, for cats_int64s) equals `category`, else 0. */
  | { kind: 'onehot'; column: string; category: string; numeric: boolean }
  | { kind: 'constant'; value: number };

type Traced = FeatureSource | { kind: 'text'; column: string };

/** Internal features traced to CSV columns, or the reason they could not be. */
export type TraceResult = { ok: true; sources: FeatureSource[] } | { ok: false; reason: string };

const PASS = new Set(['Identity', 'Cast', 'CastLike', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze']);

/**
 * The sources of every element along the last axis of `tensor` in `graph`, using `bindings` to know
 * which CSV columns feed each graph input.
 */
export function traceFeatures(graph: onnx.IGraphProto, tensor: string, bindings: readonly InputBinding[]): TraceResult {
  const producers = new Map<string, onnx.INodeProto>();
  for (const node of graph.node ?? []) for (const o of node.output ?? []) if (o) producers.set(o, node);
  const inits = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) if (t.name) inits.set(t.name, t);
  for (const node of graph.node ?? []) {
    if (node.opType === 'Constant' && node.output?.[0]) {
      const t = getAttr(node, 'value')?.t;
      if (t) inits.set(node.output[0], t);
    }
  }
  const memo = new Map<string, Traced[]>();

  const fail = (reason: string): never => {
    throw new TraceError(reason);
  };

  const resolve = (name: string, depth: number): Traced[] => {
    const hit = memo.get(name);
    if (hit) return hit;
    if (depth > 64) fail('the graph is too deep to trace');
    const binding = bindings.find((b) => b.input === name);
    let out: Traced[];
    if (binding) out = fromBinding(binding);
    else {
      const node = producers.get(name);
      if (!node) fail(`'${name}' is neither a graph input nor computed by a node`);
      out = fromNode(node!, depth);
    }
    memo.set(name, out);
    return out;
  };

  const numbersOf = (name: string, depth: number, op: string): FeatureSource[] => {
    const src = resolve(name, depth + 1);
    for (const s of src) if (s.kind === 'text') fail(`${op} reads text column '${s.column}' as numbers`);
    return src as FeatureSource[];
  };

  const fromNode = (node: onnx.INodeProto, depth: number): Traced[] => {
    const op = node.opType ?? '';
    const ml = node.domain === 'ai.onnx.ml';
    const input = node.input?.[0] ?? '';
    if (!ml && PASS.has(op)) {
      const src = resolve(input, depth + 1);
      if (op === 'Cast' && src.some((s) => s.kind === 'text')) fail('a Cast turns text into numbers');
      return src;
    }
    if (!ml && op === 'Concat') {
      if (int64(getAttr(node, 'axis')?.i) === 0) fail('a Concat joins rows, not features');
      return (node.input ?? []).filter((n) => n).flatMap((n) => resolve(n, depth + 1));
    }
    if (ml && op === 'Scaler') {
      const src = numbersOf(input, depth, 'Scaler');
      const offset = attrFloats(node, 'offset') ?? [0];
      const scale = attrFloats(node, 'scale') ?? [1];
      return src.map((s, i) => withStep(s, { op: 'scaler', offset: at(offset, i), scale: at(scale, i) }));
    }
    if (ml && op === 'Imputer') {
      const src = numbersOf(input, depth, 'Imputer');
      const values = attrFloats(node, 'imputed_value_floats');
      if (!values) fail('an Imputer imputes integers');
      const replaced = getAttr(node, 'replaced_value_float')?.f ?? 0;
      return src.map((s, i) => withStep(s, { op: 'impute', value: at(values!, i), replaced }));
    }
    if (ml && op === 'OneHotEncoder') {
      const src = resolve(input, depth + 1);
      if (src.length !== 1 || (src[0].kind !== 'text' && src[0].kind !== 'number')) fail('a OneHotEncoder reads more than one column');
      const s = src[0] as Traced & { column: string };
      const strs = attrStrings(node, 'cats_strings');
      const ints = attrInts(node, 'cats_int64s');
      if (strs) return strs.map((c) => ({ kind: 'onehot', column: s.column, category: c, numeric: false }));
      if (ints) return ints.map((c) => ({ kind: 'onehot', column: s.column, category: String(c), numeric: true }));
      fail('a OneHotEncoder has no categories');
    }
    if (!ml && (op === 'Sub' || op === 'Add' || op === 'Mul' || op === 'Div')) {
      const [a, b] = node.input ?? [];
      const ca = inits.get(a ?? '');
      const cb = inits.get(b ?? '');
      if (cb && !ca) {
        const src = numbersOf(a, depth, op);
        const k = tensorNumbers(cb);
        const step = (i: number): NumericStep => {
          const v = at(k, i);
          return op === 'Sub' ? { op: 'add', value: -v } : op === 'Add' ? { op: 'add', value: v } : op === 'Mul' ? { op: 'mul', value: v } : { op: 'div', value: v };
        };
        return src.map((s, i) => withStep(s, step(i)));
      }
      if (ca && !cb && (op === 'Add' || op === 'Mul' || op === 'Sub')) {
        const src = numbersOf(b, depth, op);
        const k = tensorNumbers(ca);
        return src.map((s, i) => {
          const v = at(k, i);
          return withStep(s, op === 'Add' ? { op: 'add', value: v } : op === 'Mul' ? { op: 'mul', value: v } : { op: 'sub-from', value: v });
        });
      }
      fail(`a ${op} combines two computed tensors`);
    }
    return fail(`the features pass through a ${ml ? 'ai.onnx.ml.' : ''}${op} node, which Loupe cannot trace back to CSV columns`);
  };

  try {
    const sources = resolve(tensor, 0);
    for (const s of sources) if (s.kind === 'text') return { ok: false, reason: `text column '${s.column}' reaches the model head unencoded` };
    return { ok: true, sources: sources as FeatureSource[] };
  } catch (e) {
    if (e instanceof TraceError) return { ok: false, reason: e.message };
    throw e;
  }
}

class TraceError extends Error {}

function fromBinding(b: InputBinding): Traced[] {
  const text = b.elemType === 'string';
  const float32 = b.elemType !== 'double';
  const one = (column: string | null): Traced =>
    column === null ? { kind: 'constant', value: text ? NaN : b.elemType === 'float' || b.elemType === 'double' ? NaN : 0 } : text ? { kind: 'text', column } : { kind: 'number', column, steps: [], float32 };
  if (b.layout === 'matrix') return b.columns.map(one);
  return [one(b.columns[0] ?? null)];
}

function withStep(s: FeatureSource, step: NumericStep): FeatureSource {
  if (s.kind === 'number') return { ...s, steps: [...s.steps, step] };
  // A constant or a one-hot flag through an affine step: fold it into a number of the same column.
  if (s.kind === 'constant') return { kind: 'constant', value: applyStep(s.value, step, false) };
  throw new TraceError('a one-hot feature is rescaled inside the graph');
}

function at(values: readonly number[], i: number): number {
  return values.length === 1 ? values[0] : values[i];
}

function attrFloats(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = getAttr(node, name);
  if (a?.floats && a.floats.length > 0) return a.floats.map(Number);
  if (a?.t) return tensorNumbers(a.t);
  return undefined;
}

/** The numbers of a float/double/int tensor (raw or typed data). */
export function tensorNumbers(t: onnx.ITensorProto): number[] {
  if (t.floatData && t.floatData.length) return t.floatData.map(Number);
  if (t.doubleData && t.doubleData.length) return t.doubleData.map(Number);
  if (t.int64Data && t.int64Data.length) return t.int64Data.map(int64);
  if (t.int32Data && t.int32Data.length) return t.int32Data.map(Number);
  const raw = t.rawData;
  if (raw && raw.length) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    switch (t.dataType) {
      case 1:
        for (let i = 0; i < raw.length; i += 4) out.push(view.getFloat32(i, true));
        return out;
      case 11:
        for (let i = 0; i < raw.length; i += 8) out.push(view.getFloat64(i, true));
        return out;
      case 7:
        for (let i = 0; i < raw.length; i += 8) out.push(Number(view.getBigInt64(i, true)));
        return out;
      case 6:
        for (let i = 0; i < raw.length; i += 4) out.push(view.getInt32(i, true));
        return out;
    }
  }
  return [];
}

const f32 = Math.fround;

function applyStep(x: number, step: NumericStep, float32: boolean): number {
  const r = float32 ? f32 : (v: number) => v;
  switch (step.op) {
    case 'impute':
      return (Number.isNaN(step.replaced) ? Number.isNaN(x) : x === step.replaced) ? r(step.value) : x;
    case 'scaler':
      return r(r(x - r(step.offset)) * r(step.scale));
    case 'add':
      return r(x + r(step.value));
    case 'mul':
      return r(x * r(step.value));
    case 'div':
      return r(x / r(step.value));
    case 'sub-from':
      return r(r(step.value) - x);
  }
}

/** A CSV column read as a number the way `buildFeeds` feeds it to a float input. */
function numberReader(col: Column): (row: number) => number {
  if (col.kind === 'numeric') return (row) => col.values[row];
  const lookup = col.categories.map((t) => {
    if (col.kind === 'boolean') return isTruthy(t) ? 1 : 0;
    const s = t.trim();
    const lower = s.toLowerCase();
    return s === '' ? NaN : isTruthy(lower) ? 1 : lower === 'false' || lower === 'no' ? 0 : Number(s);
  });
  return (row) => {
    const c = col.codes[row];
    return c < 0 ? NaN : lookup[c];
  };
}

/** A CSV column read as the text `buildFeeds` feeds to a string input ('' for missing). */
function textReader(col: Column): (row: number) => string {
  if (col.kind === 'numeric') return (row) => (Number.isNaN(col.values[row]) ? '' : String(col.values[row]));
  return (row) => (col.codes[row] < 0 ? '' : col.categories[col.codes[row]]);
}

/**
 * Computes the internal feature vector of table rows from traced sources, in the graph's float32
 * arithmetic: `features(row, out)` writes one value per source into `out`.
 */
export function featureEvaluator(table: Table, sources: readonly FeatureSource[]): (row: number, out: Float64Array) => void {
  const fns = sources.map((s): ((row: number) => number) => {
    if (s.kind === 'constant') return () => s.value;
    const col = table.columns[columnIndex(table, s.column)];
    if (s.kind === 'onehot') {
      if (s.numeric) {
        const read = numberReader(col);
        const want = Number(s.category);
        return (row) => (Math.trunc(read(row)) === want ? 1 : 0);
      }
      const read = textReader(col);
      return (row) => (read(row) === s.category ? 1 : 0);
    }
    const read = numberReader(col);
    const steps = s.steps;
    const float32 = s.float32;
    return (row) => {
      let x = float32 ? f32(read(row)) : read(row);
      for (const st of steps) x = applyStep(x, st, float32);
      return x;
    };
  });
  return (row, out) => {
    for (let i = 0; i < fns.length; i++) out[i] = fns[i](row);
  };
}

/** The CSV column each internal feature depends on (null for constants). */
export function sourceColumns(sources: readonly FeatureSource[]): (string | null)[] {
  return sources.map((s) => (s.kind === 'constant' ? null : s.column));
}
