/**
 * Regression quality: errors in the target's own units, residuals (prediction − target, as in
 * `rowOutcomes`) and the binned data behind the predicted-vs-actual and residual plots. Rows whose
 * target or prediction is not finite are skipped.
 */
import { bin } from 'd3-array';
import { createRng, sampleWithoutReplacement } from '../random';
import { known, REASONS, unknown, type Metric, type Scores } from './metric';

export interface MapeResult {
  /** Mean of |prediction − target| / |target| as a fraction (0.1 = 10 %), over rows with |target| >= eps. */
  value: Metric;
  /** Rows left out because |target| < eps. */
  excluded: number;
}

export interface ScatterSample {
  /** Row indexes of the drawn points, ascending. */
  rows: Uint32Array;
  actual: Float64Array;
  predicted: Float64Array;
  /** Common range of both axes over every counted row (for the y = x line), null when no rows. */
  extent: [number, number] | null;
}

export interface HistogramBin {
  /** Bin covers [x0, x1) (the last one includes x1). */
  x0: number;
  x1: number;
  count: number;
}

export interface RegressionQuality {
  n: number;
  /** Mean absolute error, target units. */
  mae: Metric;
  /** Root mean squared error, target units. */
  rmse: Metric;
  /** 1 − SS_res / SS_tot; null when the target is constant. */
  r2: Metric;
  mape: MapeResult;
  /** Mean residual (prediction − target): the bias. */
  meanResidual: Metric;
  /** Prediction − target for each counted row (`rows`: their indexes, ascending), target units. */
  residuals: { rows: Uint32Array; values: Float64Array };
  scatter: ScatterSample;
  residualHistogram: HistogramBin[];
}

export interface RegressionOptions {
  /** |target| below this is left out of MAPE; default 1e-9. */
  mapeEps?: number;
  /** Most points in the predicted-vs-actual sample; default 2000. */
  maxPoints?: number;
  /** Seed of the point sample; default 1. */
  seed?: number;
  /** Approximate residual histogram bin count (d3 picks round edges); default 30. */
  histogramBins?: number;
}

/** Indexes of rows with finite target and prediction. */
export function finiteRows(y: ArrayLike<number>, pred: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(y.length);
  let k = 0;
  for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i]) && Number.isFinite(pred[i])) out[k++] = i;
  return out.slice(0, k);
}

/** MAE, RMSE, R² over `rows` (all finite rows by default). */
export function regressionErrors(y: ArrayLike<number>, pred: ArrayLike<number>, rows = finiteRows(y, pred)): { mae: Metric; rmse: Metric; r2: Metric; meanResidual: Metric } {
  const n = rows.length;
  if (n === 0) {
    const none = unknown(REASONS.noRows);
    return { mae: none, rmse: none, r2: none, meanResidual: none };
  }
  let abs = 0, sq = 0, sumY = 0, sumR = 0, min = Infinity, max = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    const r = pred[i] - y[i];
    abs += Math.abs(r);
    sq += r * r;
    sumR += r;
    sumY += y[i];
    if (y[i] < min) min = y[i];
    if (y[i] > max) max = y[i];
  }
  const mean = sumY / n;
  let ssTot = 0;
  for (let k = 0; k < n; k++) {
    const d = y[rows[k]] - mean;
    ssTot += d * d;
  }
  return {
    mae: known(abs / n),
    rmse: known(Math.sqrt(sq / n)),
    r2: min === max ? unknown(REASONS.constantTarget) : known(1 - sq / ssTot),
    meanResidual: known(sumR / n),
  };
}

/** MAPE as a fraction, leaving out rows with |target| < eps (default 1e-9). */
export function mape(y: ArrayLike<number>, pred: ArrayLike<number>, eps = 1e-9, rows = finiteRows(y, pred)): MapeResult {
  let sum = 0, k = 0, excluded = 0;
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j];
    const a = Math.abs(y[i]);
    if (a < eps) {
      excluded++;
      continue;
    }
    sum += Math.abs(pred[i] - y[i]) / a;
    k++;
  }
  const value = k ? known(sum / k) : unknown(rows.length ? 'every target is zero' : REASONS.noRows);
  return { value, excluded };
}

/** All regression figures. */
export function regressionQuality(y: ArrayLike<number>, pred: Scores | Float64Array, opts: RegressionOptions = {}): RegressionQuality {
  const rows = finiteRows(y, pred);
  const n = rows.length;
  let lo = Infinity, hi = -Infinity;
  const rv = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    rv[k] = pred[i] - y[i];
    lo = Math.min(lo, y[i], pred[i]);
    hi = Math.max(hi, y[i], pred[i]);
  }
  const maxPoints = opts.maxPoints ?? 2000;
  let picked: Uint32Array;
  if (n <= maxPoints) picked = rows;
  else {
    const draw = sampleWithoutReplacement(createRng(opts.seed ?? 1), n, maxPoints).sort();
    picked = new Uint32Array(draw.length);
    for (let k = 0; k < draw.length; k++) picked[k] = rows[draw[k]];
  }
  const scatter: ScatterSample = {
    rows: picked,
    actual: Float64Array.from(picked, (i) => y[i]),
    predicted: Float64Array.from(picked, (i) => pred[i]),
    extent: n ? [lo, hi] : null,
  };
  const hist = n ? bin().thresholds(opts.histogramBins ?? 30)(rv) : [];
  const residualHistogram = hist.map((b) => ({ x0: b.x0 ?? 0, x1: b.x1 ?? 0, count: b.length }));
  return {
    n,
    ...regressionErrors(y, pred, rows),
    mape: mape(y, pred, opts.mapeEps, rows),
    residuals: { rows, values: rv },
    scatter,
    residualHistogram,
  };
}
