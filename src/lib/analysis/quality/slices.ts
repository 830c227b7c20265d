/**
 * Slices of the rows: a filter spec combined with AND over a Table, and every headline metric for
 * the slice next to the same metric for the rest of the rows.
 */
import { labelKey } from '../predictions';
import type { Table } from '../../data/table';
import { aucOf, brierScore, buildThresholdTable, logLoss, metricsAt, type BinaryLabels } from './binary';
import { multiclassQuality } from './multiclass';
import { regressionErrors, finiteRows } from './regression';
import { known, unknown, type Metric, type Scores } from './metric';

/**
 * One condition on a column. 'range' keeps numeric values in [min, max] (inclusive; ±Infinity for an
 * open end; missing never matches). 'categories' keeps rows whose cell text is one of `values`
 * ('' matches a missing cell); numbers match by value, so '1' and '1.0' are the same.
 */
export type SliceFilter =
  | { column: string; kind: 'range'; min: number; max: number }
  | { column: string; kind: 'categories'; values: string[] };

/** 1 for rows passing every filter (AND), 0 otherwise; no filters keep every row. Throws on an unknown column or a range over text. */
export function sliceMask(table: Table, filters: readonly SliceFilter[], n = table.nRows): Uint8Array {
  const mask = new Uint8Array(n).fill(1);
  for (const f of filters) {
    const col = table.columns.find((c) => c.name === f.column);
    if (!col) throw new Error(`No column named '${f.column}'.`);
    if (f.kind === 'range') {
      if (col.kind !== 'numeric') throw new Error(`Column '${f.column}' is not numeric; filter it by categories.`);
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        if (!(v >= f.min && v <= f.max)) mask[i] = 0;
      }
    } else if (col.kind === 'numeric') {
      const keys = new Set(f.values.map(labelKey));
      const missingOk = keys.has('');
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        if (Number.isNaN(v) ? !missingOk : !keys.has(String(v))) mask[i] = 0;
      }
    } else {
      const wanted = new Set(f.values);
      const keep = col.categories.map((c) => wanted.has(c));
      const missingOk = wanted.has('');
      for (let i = 0; i < n; i++) {
        const code = col.codes[i];
        if (code < 0 ? !missingOk : !keep[code]) mask[i] = 0;
      }
    }
  }
  return mask;
}

/** Indexes of rows where `mask[i] === value` (default 1), ascending. */
export function maskRows(mask: Uint8Array, value = 1): Uint32Array {
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === value) k++;
  const out = new Uint32Array(k);
  k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === value) out[k++] = i;
  return out;
}

/** Headline metrics of a subset of rows, and how many of them had a target and a score. */
export type HeadlineFn<K extends string> = (rows: Uint32Array) => { counted: number; metrics: Record<K, Metric> };

export type BinaryHeadline = 'accuracy' | 'auc' | 'f1' | 'precision' | 'recall' | 'selectionRate' | 'logLoss' | 'brier';

/** Binary headlines at `threshold` (positive when score >= threshold) over full-length columns. */
export function binaryHeadlines(y: BinaryLabels, score: Scores, threshold: number): HeadlineFn<BinaryHeadline> {
  return (rows) => {
    const ys = new Int8Array(rows.length), ss = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      ys[k] = y[rows[k]];
      ss[k] = score[rows[k]];
    }
    const table = buildThresholdTable(ys, ss);
    const at = metricsAt(table, threshold);
    return {
      counted: table.n,
      metrics: {
        accuracy: at.accuracy,
        auc: aucOf(table),
        f1: at.f1,
        precision: at.precision,
        recall: at.recall,
        selectionRate: at.selectionRate,
        logLoss: logLoss(ys, ss),
        brier: brierScore(ys, ss),
      },
    };
  };
}

export type MulticlassHeadline = 'accuracy' | 'macroF1' | 'weightedF1' | 'logLoss';

/** Multiclass headlines over full-length columns (`probs` N x C; `predicted` defaults to the argmax). */
export function multiclassHeadlines(probs: Scores, C: number, actual: Int32Array, predicted?: Int32Array): HeadlineFn<MulticlassHeadline> {
  return (rows) => {
    const p = new Float64Array(rows.length * C), t = new Int32Array(rows.length);
    const pr = predicted ? new Int32Array(rows.length) : undefined;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      t[k] = actual[i];
      if (pr) pr[k] = predicted![i];
      for (let c = 0; c < C; c++) p[k * C + c] = probs[i * C + c];
    }
    const q = multiclassQuality(p, C, t, pr);
    return { counted: q.n, metrics: { accuracy: q.accuracy, macroF1: q.macro.f1, weightedF1: q.weighted.f1, logLoss: q.logLoss } };
  };
}

export type RegressionHeadline = 'mae' | 'rmse' | 'r2' | 'meanResidual';

/** Regression headlines over full-length columns. */
export function regressionHeadlines(y: ArrayLike<number>, pred: ArrayLike<number>): HeadlineFn<RegressionHeadline> {
  return (rows) => {
    const ok = finiteRows(y, pred);
    const inRows = new Uint8Array(y.length);
    for (const i of rows) inRows[i] = 1;
    const use = ok.filter((i) => inRows[i] === 1);
    return { counted: use.length, metrics: regressionErrors(y, pred, use) };
  };
}

export interface SliceSide<K extends string> {
  /** Rows on this side. */
  n: number;
  /** Of those, rows with a target and a prediction. */
  counted: number;
  metrics: Record<K, Metric>;
}

export interface SliceComparison<K extends string> {
  slice: SliceSide<K>;
  rest: SliceSide<K>;
  /** Slice minus rest, per metric; null when either side is undefined. */
  difference: Record<K, Metric>;
}

/** Every headline metric for the rows in `mask` (1) against the other rows. */
export function compareSlice<K extends string>(metricsFn: HeadlineFn<K>, mask: Uint8Array): SliceComparison<K> {
  const inRows = maskRows(mask, 1), outRows = maskRows(mask, 0);
  const a = metricsFn(inRows), b = metricsFn(outRows);
  const difference = {} as Record<K, Metric>;
  for (const key of Object.keys(a.metrics) as K[]) {
    const x = a.metrics[key], y = b.metrics[key];
    difference[key] =
      x.value === null ? unknown(`slice: ${x.reason}`) : y.value === null ? unknown(`rest: ${y.reason}`) : known(x.value - y.value);
  }
  return {
    slice: { n: inRows.length, counted: a.counted, metrics: a.metrics },
    rest: { n: outRows.length, counted: b.counted, metrics: b.metrics },
    difference,
  };
}
