/**
 * Exact attributions of linear models read from the graph: an ai.onnx.ml LinearClassifier or
 * LinearRegressor whose input traces back to CSV columns (see `graph-features.ts`). The margin
 * m(x) = Σ_j c_j z_j(x) + b is a sum of per-column terms (each internal feature z_j depends on one
 * column), so the interventional Shapley value of a column against a background is exactly
 *   φ_col = Σ_{j of col} c_j · (z_j(x) − E_b[z_j(b)]),
 * in margin space: the log-odds of a binary logistic regression, a regression's value.
 */
import type { onnx } from 'onnx-proto';
import type { Table } from '../../data/table';
import { attrString, getAttr, nodeClassLabels } from '../../model/proto';
import type { InputBinding } from '../../model/types';
import type { Attributions } from './attributions';
import { backgroundWeights, type Background } from './background';
import { featureEvaluator, sourceColumns, tensorNumbers, type FeatureSource } from './graph-features';
import { findHead } from './model-head';

export interface LinearOutput {
  /** Class label or 'target k'. */
  label: string;
  /**
   * 'log-odds': LOGISTIC on a binary model whose two rows are opposite (skl2onnx's layout, also after
   * its L1 Normalizer), or a single row; 'margin': a class score before SOFTMAX/normalisation; 'value': a regression.
   */
  space: 'log-odds' | 'margin' | 'value';
  /** Coefficient per internal feature. */
  coef: Float64Array;
  intercept: number;
}

export interface LinearModel {
  op: 'LinearClassifier' | 'LinearRegressor';
  columns: string[];
  sources: FeatureSource[];
  outputs: LinearOutput[];
  postTransform: string;
}

function floatsOf(node: onnx.INodeProto, name: string): number[] {
  const a = getAttr(node, name);
  if (a?.floats && a.floats.length) return a.floats.map(Number);
  return a?.t ? tensorNumbers(a.t) : [];
}

/** Reads the model's LinearClassifier/LinearRegressor, or says why it cannot. */
export function readLinearModel(model: Uint8Array | onnx.IModelProto, bindings: readonly InputBinding[]): { ok: true; model: LinearModel } | { ok: false; reason: string } {
  const found = findHead(model, bindings, ['LinearClassifier', 'LinearRegressor']);
  if (!found.ok) return found;
  const { node, sources, columns } = found.head;
  const op = node.opType as LinearModel['op'];
  const f = sources.length;
  const coefficients = floatsOf(node, 'coefficients');
  const intercepts = floatsOf(node, 'intercepts');
  const post = attrString(node, 'post_transform') ?? 'NONE';
  const rows = f > 0 ? coefficients.length / f : 0;
  if (!Number.isInteger(rows) || rows < 1) return { ok: false, reason: `${coefficients.length} coefficients do not fit ${f} features` };
  const row = (k: number): { coef: Float64Array; intercept: number } => ({ coef: Float64Array.from(coefficients.slice(k * f, (k + 1) * f)), intercept: intercepts[k] ?? 0 });

  if (op === 'LinearRegressor') {
    if (post !== 'NONE') return { ok: false, reason: `a LinearRegressor with post_transform ${post} is not supported` };
    return { ok: true, model: { op, columns, sources, postTransform: post, outputs: Array.from({ length: rows }, (_, k) => ({ label: `target ${k}`, space: 'value', ...row(k) })) } };
  }
  const labels = nodeClassLabels(node) ?? [];
  let outputs: LinearOutput[];
  if (rows === 1 && labels.length === 2) {
    // One score s for two classes: class 1 = s, class 0 = −s.
    const r = row(0);
    const space = post === 'LOGISTIC' ? 'log-odds' : 'margin';
    outputs = [
      { label: labels[0], space, coef: r.coef.map((c) => -c), intercept: -r.intercept },
      { label: labels[1], space, ...r },
    ];
  } else if (rows === labels.length) {
    const opposite = rows === 2 && isOpposite(row(0), row(1));
    const space = post === 'LOGISTIC' && opposite ? 'log-odds' : 'margin';
    outputs = labels.map((label, k) => ({ label, space, ...row(k) }));
  } else return { ok: false, reason: `${rows} coefficient rows for ${labels.length} classes` };
  return { ok: true, model: { op, columns, sources, postTransform: post, outputs } };
}

function isOpposite(a: { coef: Float64Array; intercept: number }, b: { coef: Float64Array; intercept: number }): boolean {
  const close = (x: number, y: number) => Math.abs(x + y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  return close(a.intercept, b.intercept) && a.coef.every((c, i) => close(c, b.coef[i]));
}

/** The margin of `output` for rows of `table` (in double precision from float32 features). */
export function linearOutputs(m: LinearModel, table: Table, rows: ArrayLike<number>, output: number): Float64Array {
  const o = m.outputs[output];
  if (!o) throw new Error(`The linear model has no output ${output}.`);
  const evalRow = featureEvaluator(table, m.sources);
  const z = new Float64Array(m.sources.length);
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    evalRow(rows[r], z);
    let s = o.intercept;
    for (let j = 0; j < z.length; j++) if (o.coef[j] !== 0) s += o.coef[j] * z[j];
    out[r] = s;
  }
  return out;
}

export interface LinearShapSetup {
  /** Index into `m.outputs`. */
  output: number;
  /** Players (default `m.columns`); a column that is not a player keeps the background's values, so its term sits in the base. */
  features?: readonly string[];
}

/** Linear attributions with the background means taken: explaining an edited row is a dot product. */
export interface LinearShapExplainer {
  features: string[];
  base: number;
  space: LinearOutput['space'];
  explain(table: Table, rows: ArrayLike<number>): Attributions;
}

/** Exact attributions of `rows` of `table` against `background`. Instant: no model calls. */
export function linearShap(m: LinearModel, table: Table, rows: ArrayLike<number>, background: Background, opts: LinearShapSetup): Attributions {
  return prepareLinearShap(m, background, opts).explain(table, rows);
}

/** Takes the background's weighted feature means once for {@link linearShap}. */
export function prepareLinearShap(m: LinearModel, background: Background, opts: LinearShapSetup): LinearShapExplainer {
  const o = m.outputs[opts.output];
  if (!o) throw new Error(`The linear model has no output ${opts.output}.`);
  const features = [...(opts.features ?? m.columns)];
  const w = backgroundWeights(background);
  const f = m.sources.length;
  const mean = new Float64Array(f);
  const evalBg = featureEvaluator(background.table, m.sources);
  const z = new Float64Array(f);
  for (let b = 0; b < background.table.nRows; b++) {
    evalBg(b, z);
    for (let j = 0; j < f; j++) mean[j] += w[b] * z[j];
  }
  let base = o.intercept;
  for (let j = 0; j < f; j++) if (o.coef[j] !== 0) base += o.coef[j] * mean[j];
  const player = sourceColumns(m.sources).map((c) => (c === null ? -1 : features.indexOf(c)));
  const P = features.length;
  const explain = (table: Table, rows: ArrayLike<number>): Attributions => {
    const phi = new Float64Array(rows.length * P);
    const outputs = new Float64Array(rows.length);
    const evalX = featureEvaluator(table, m.sources);
    let additivityError = 0;
    for (let r = 0; r < rows.length; r++) {
      evalX(rows[r], z);
      let sum = base;
      for (let j = 0; j < f; j++) {
        const p = player[j];
        if (p < 0 || o.coef[j] === 0) continue;
        const d = o.coef[j] * (z[j] - mean[j]);
        phi[r * P + p] += d;
        sum += d;
      }
      outputs[r] = sum;
      // Recomputed from the margin itself, so the reported error measures the decomposition.
      let direct = o.intercept;
      for (let j = 0; j < f; j++) if (o.coef[j] !== 0) direct += o.coef[j] * (player[j] < 0 ? mean[j] : z[j]);
      let total = base;
      for (let p = 0; p < P; p++) total += phi[r * P + p];
      additivityError = Math.max(additivityError, Math.abs(total - direct));
    }
    return { method: 'linear', features, rows: Uint32Array.from(rows), base, outputs, phi, additivityError, space: o.space, calls: 0 };
  };
  return { features, base, space: o.space, explain };
}

/** No model calls: attributions come from the coefficients. */
export function estimateLinearShapCalls(): number {
  return 0;
}
