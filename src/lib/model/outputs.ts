/**
 * Read model outputs back as per-class probabilities and predicted class indices.
 */
import type { Mapping, OutputPlan } from './types';

/** An output as onnxruntime returns it (an `ort.Tensor` fits). */
export interface OutputData {
  type: string;
  dims: readonly number[];
  data: ArrayLike<number | bigint | string>;
}

/** Logistic function, stable for large |x| (no overflow of exp). */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Softmax of each row of a row-major [rows, classes] array, in place (subtracting the row maximum,
 * so large logits do not overflow). A row holding NaN becomes all NaN. Returns `values`.
 */
export function softmax<T extends Float32Array | Float64Array>(values: T, classes: number): T {
  if (classes <= 0) return values;
  for (let r = 0; r + classes <= values.length; r += classes) {
    let max = -Infinity;
    for (let k = r; k < r + classes; k++) max = Math.max(max, values[k]);
    let sum = 0;
    for (let k = r; k < r + classes; k++) {
      const e = Math.exp(values[k] - max);
      values[k] = e;
      sum += e;
    }
    for (let k = r; k < r + classes; k++) values[k] /= sum;
  }
  return values;
}

/** Index of the largest value of each row; -1 for rows that are all NaN. */
export function argmaxRows(values: ArrayLike<number>, classes: number, out: Int32Array): Int32Array {
  for (let r = 0; r < out.length; r++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let k = 0; k < classes; k++) {
      const v = values[r * classes + k];
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    out[r] = best;
  }
  return out;
}

/**
 * Decode one batch of `n` rows.
 *
 * Regression: `scores` holds the n values of the score output ([n] or [n,1]; for [n,k] its first column),
 * `labels` is empty.
 * Classification with C = `mapping.classes.length`:
 * - a score output [n, C] is copied, then squashed as `plan.squash` says (softmax per row, or sigmoid per cell);
 * - a single column [n] / [n,1] with C = 2 is the positive class: p (after sigmoid when squash is not
 *   'none') expands to (1 - p, p);
 * - labels come from the label output (text compared with `classes`; an integer label that matches no class
 *   text is read as a class index when no class is an integer), -1 when unknown; without a label output they
 *   are the argmax of the scores;
 * - with a label output but no score output, scores are one-hot of the labels.
 * Throws an Error in words when an output is missing or its width does not fit the classes.
 */
export function decodeOutputs(
  outputs: Record<string, OutputData>,
  plan: OutputPlan,
  mapping: Pick<Mapping, 'task' | 'classes'>,
  n: number,
): { scores: Float32Array; labels: Int32Array } {
  const get = (name: string | null): OutputData | null => {
    if (name === null) return null;
    const out = outputs[name];
    if (!out) throw new Error(`The model did not return the output '${name}'.`);
    return out;
  };
  const score = asNumbers(get(plan.scoreOutput));
  const label = get(plan.labelOutput);

  if (mapping.task === 'regression') {
    if (!score) throw new Error('No score output is chosen for this regression model.');
    const width = widthOf(score, n);
    const scores = new Float32Array(n);
    const data = score.data;
    for (let i = 0; i < n; i++) scores[i] = Number(data[i * width]);
    return { scores, labels: new Int32Array(0) };
  }

  const C = mapping.classes.length;
  if (C === 0) throw new Error('The mapping lists no classes for this classification model.');
  const scores = new Float32Array(n * C);
  const labels = new Int32Array(n);
  if (score) {
    const width = widthOf(score, n);
    const data = score.data;
    if (width === C) {
      for (let k = 0; k < n * C; k++) scores[k] = Number(data[k]);
      if (plan.squash === 'softmax') softmax(scores, C);
      else if (plan.squash === 'sigmoid') for (let k = 0; k < scores.length; k++) scores[k] = sigmoid(scores[k]);
    } else if (width === 1 && C === 2) {
      // One logit/probability for the positive class (softmax of a single column would be 1: read it as a logit).
      for (let i = 0; i < n; i++) {
        const x = Number(data[i]);
        const p = plan.squash === 'none' ? x : sigmoid(x);
        scores[2 * i] = 1 - p;
        scores[2 * i + 1] = p;
      }
    } else {
      throw new Error(
        `The output '${plan.scoreOutput}' has ${width} column${width === 1 ? '' : 's'} per row, but the mapping has ${C} classes (${mapping.classes.join(', ')}).`,
      );
    }
  }
  if (label) {
    readLabels(label, mapping.classes, n, labels);
    if (!score) for (let i = 0; i < n; i++) if (labels[i] >= 0) scores[i * C + labels[i]] = 1;
  } else if (score) {
    argmaxRows(scores, C, labels);
  } else {
    throw new Error('No output is chosen to read predictions from.');
  }
  return { scores, labels };
}

/** IEEE half-precision bits to a number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** float16 outputs arrive as raw Uint16 bits where the JS engine has no Float16Array: decode them. */
function asNumbers(out: OutputData | null): OutputData | null {
  if (!out || out.type !== 'float16' || !(out.data instanceof Uint16Array)) return out;
  const bits = out.data;
  const data = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) data[i] = halfToFloat(bits[i]);
  return { type: 'float32', dims: out.dims, data };
}

/** Values per row of an output holding `n` rows. */
function widthOf(out: OutputData, n: number): number {
  if (n === 0) return out.dims.length >= 2 ? out.dims[out.dims.length - 1] : 1;
  const width = out.data.length / n;
  if (!Number.isInteger(width) || width < 1) {
    throw new Error(`An output of shape [${out.dims.join(', ')}] does not hold ${n} rows.`);
  }
  return width;
}

function readLabels(out: OutputData, classes: string[], n: number, labels: Int32Array): void {
  const index = new Map<string, number>();
  classes.forEach((c, k) => index.set(c, k));
  const integerClasses = classes.some((c) => /^-?\d+$/.test(c.trim()));
  const width = widthOf(out, n);
  const data = out.data;
  for (let i = 0; i < n; i++) {
    const v = data[i * width];
    const k = index.get(String(v));
    if (k !== undefined) {
      labels[i] = k;
    } else if (!integerClasses && typeof v !== 'string') {
      const j = Number(v);
      labels[i] = Number.isInteger(j) && j >= 0 && j < classes.length ? j : -1;
    } else {
      labels[i] = -1;
    }
  }
}

/** The outputs `session.run` must fetch for a plan: the score output and the label output, when set. */
export function outputFetches(plan: OutputPlan): string[] {
  return [plan.scoreOutput, plan.labelOutput].filter((o): o is string => !!o);
}
