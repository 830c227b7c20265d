/**
 * A ColumnTransformer-like preprocessing step fitted in TypeScript and written into ONNX the way
 * skl2onnx writes one: one graph input per CSV column (numbers as float [N,1], text as string [N,1]);
 * numeric inputs Concat -> Imputer (optional) -> Scaler (optional); each text input -> OneHotEncoder
 * (zeros=1, so unseen values give all zeros) -> Concat -> Reshape [-1, C]; then Concat of both blocks.
 */
import type { onnx } from 'onnx-proto';
import { float, floats, int, int64Tensor, ML, node, strs, tensorValue } from './onnx-builder';

/** Columns by name: numbers (NaN = missing) or strings. */
export type Frame = Map<string, number[] | string[]>;

export interface NumericBlock {
  columns: string[];
  /** Per-column value that replaces NaN (training medians), or null for no Imputer. */
  impute: number[] | null;
  /** Scaler offset (training means) and scale (1 / population std), or null for no Scaler. */
  offset: number[] | null;
  scale: number[] | null;
}

export interface CategoricalColumn {
  column: string;
  /** Sorted categories seen in training; anything else encodes as all zeros. */
  categories: string[];
}

export interface ColumnPipeline {
  numeric: NumericBlock;
  categorical: CategoricalColumn[];
}

export interface FitOptions {
  numeric: string[];
  categorical: string[];
  impute: boolean;
  scale: boolean;
  /** Text values treated as missing (not a category). */
  missing?: string[];
}

function numericColumn(frame: Frame, name: string): number[] {
  const c = frame.get(name);
  if (!c || (c.length > 0 && typeof c[0] !== 'number')) throw new Error(`frame column '${name}' is not numeric`);
  return c as number[];
}

function stringColumn(frame: Frame, name: string): string[] {
  const c = frame.get(name);
  if (!c || (c.length > 0 && typeof c[0] !== 'string')) throw new Error(`frame column '${name}' is not text`);
  return c as string[];
}

/** Median as numpy computes it (mean of the two middle values for an even count), ignoring NaN. */
export function median(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) throw new Error('median of no values');
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Fit imputation medians, scaling and category lists on the `train` rows, as sklearn would. */
export function fitPipeline(frame: Frame, train: readonly number[], opts: FitOptions): ColumnPipeline {
  const missing = new Set(opts.missing ?? []);
  const impute: number[] = [];
  const offset: number[] = [];
  const scale: number[] = [];
  for (const name of opts.numeric) {
    const all = numericColumn(frame, name);
    let xs = train.map((i) => all[i]);
    const med = median(xs);
    impute.push(med);
    if (opts.impute) xs = xs.map((x) => (Number.isNaN(x) ? med : x));
    else if (xs.some(Number.isNaN)) throw new Error(`column '${name}' has missing values but no imputer`);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    offset.push(mean);
    scale.push(sd > 0 ? 1 / sd : 1);
  }
  const categorical = opts.categorical.map((column) => {
    const all = stringColumn(frame, column);
    const seen = new Set(train.map((i) => all[i]).filter((v) => !missing.has(v)));
    return { column, categories: [...seen].sort() };
  });
  return {
    numeric: {
      columns: [...opts.numeric],
      impute: opts.impute ? impute : null,
      offset: opts.scale ? offset : null,
      scale: opts.scale ? scale : null,
    },
    categorical,
  };
}

/** Number of features the pipeline produces. */
export function featureCount(p: ColumnPipeline): number {
  return p.numeric.columns.length + p.categorical.reduce((a, c) => a + c.categories.length, 0);
}

/** Names of the produced features: numeric columns, then `column=category` for each one-hot slot. */
export function featureNames(p: ColumnPipeline): string[] {
  return [...p.numeric.columns, ...p.categorical.flatMap((c) => c.categories.map((k) => `${c.column}=${k}`))];
}

const f32 = Math.fround;

/**
 * Apply the pipeline to the given rows, mirroring onnxruntime's float32 arithmetic, so trainers see
 * exactly the features the graph computes. Returns row-major `rows.length x featureCount`.
 */
export function transform(p: ColumnPipeline, frame: Frame, rows: readonly number[]): Float64Array {
  const width = featureCount(p);
  const out = new Float64Array(rows.length * width);
  const nums = p.numeric.columns.map((c) => numericColumn(frame, c));
  const cats = p.categorical.map((c) => ({ values: stringColumn(frame, c.column), index: new Map(c.categories.map((k, i) => [k, i])) }));
  rows.forEach((row, r) => {
    let o = r * width;
    nums.forEach((column, j) => {
      let x = f32(column[row]);
      if (p.numeric.impute && Number.isNaN(x)) x = f32(p.numeric.impute[j]);
      if (p.numeric.offset && p.numeric.scale) x = f32(f32(x - f32(p.numeric.offset[j])) * f32(p.numeric.scale[j]));
      out[o++] = x;
    });
    cats.forEach((c, j) => {
      const k = c.index.get(c.values[row]);
      if (k !== undefined) out[o + k] = 1;
      o += p.categorical[j].categories.length;
    });
  });
  return out;
}

/**
 * A JSON-ready description of how CSV columns become features, stored as `loupe_encoding` metadata:
 * one entry per input column, in feature order.
 */
export function encodingSpec(p: ColumnPipeline): object[] {
  return [
    ...p.numeric.columns.map((column, j) => ({
      column,
      kind: 'numeric',
      ...(p.numeric.impute ? { impute: p.numeric.impute[j] } : {}),
      ...(p.numeric.offset && p.numeric.scale ? { offset: p.numeric.offset[j], scale: p.numeric.scale[j] } : {}),
    })),
    ...p.categorical.map((c) => ({ column: c.column, kind: 'onehot', categories: c.categories })),
  ];
}

export interface EmittedPipeline {
  inputs: onnx.IValueInfoProto[];
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  valueInfo: onnx.IValueInfoProto[];
  /** Name of the [N, F] float tensor of features. */
  output: string;
  width: number;
}

/** Write the pipeline as ONNX nodes, skl2onnx style. Graph inputs are named after the CSV columns. */
export function emitPipeline(p: ColumnPipeline, output = 'features'): EmittedPipeline {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const valueInfo: onnx.IValueInfoProto[] = [];
  const inputs = [
    ...p.numeric.columns.map((c) => tensorValue(c, 'float', ['N', 1])),
    ...p.categorical.map((c) => tensorValue(c.column, 'string', ['N', 1])),
  ];
  const blocks: string[] = [];
  const k = p.numeric.columns.length;
  if (k > 0) {
    let cur = 'numeric_columns';
    nodes.push(node('Concat', p.numeric.columns, [cur], { axis: int(1) }));
    valueInfo.push(tensorValue(cur, 'float', ['N', k]));
    if (p.numeric.impute) {
      nodes.push(node('Imputer', [cur], ['numeric_imputed'], { imputed_value_floats: floats(p.numeric.impute), replaced_value_float: float(NaN) }, { domain: ML }));
      cur = 'numeric_imputed';
      valueInfo.push(tensorValue(cur, 'float', ['N', k]));
    }
    if (p.numeric.offset && p.numeric.scale) {
      nodes.push(node('Scaler', [cur], ['numeric_scaled'], { offset: floats(p.numeric.offset), scale: floats(p.numeric.scale) }, { domain: ML }));
      cur = 'numeric_scaled';
      valueInfo.push(tensorValue(cur, 'float', ['N', k]));
    }
    blocks.push(cur);
  }
  if (p.categorical.length > 0) {
    const encoded = p.categorical.map((c) => {
      const name = `${c.column}_onehot`;
      nodes.push(node('OneHotEncoder', [c.column], [name], { cats_strings: strs(c.categories), zeros: int(1) }, { domain: ML }));
      valueInfo.push(tensorValue(name, 'float', ['N', 1, c.categories.length]));
      return name;
    });
    const total = p.categorical.reduce((a, c) => a + c.categories.length, 0);
    nodes.push(node('Concat', encoded, ['onehot_concat'], { axis: int(-1) }));
    valueInfo.push(tensorValue('onehot_concat', 'float', ['N', 1, total]));
    initializers.push(int64Tensor('onehot_shape', [2], [-1, total]));
    nodes.push(node('Reshape', ['onehot_concat', 'onehot_shape'], ['onehot_columns']));
    valueInfo.push(tensorValue('onehot_columns', 'float', ['N', total]));
    blocks.push('onehot_columns');
  }
  const width = featureCount(p);
  nodes.push(node('Concat', blocks, [output], { axis: int(1) }));
  valueInfo.push(tensorValue(output, 'float', ['N', width]));
  return { inputs, nodes, initializers, valueInfo, output, width };
}
