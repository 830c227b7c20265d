/**
 * Error heatmap over two features: each numeric feature cut into quantile bins, each categorical one
 * into its most frequent categories plus '(other)', with '(missing)' as its own bin when a feature
 * has missing cells; per cell the row count and the mean error (error rate, or mean absolute error).
 */
import type { Column, Table } from '../../data/table';
import { quantileSorted } from '../data-summary';
import { formatNumber, ratio, REASONS, type Metric } from './metric';
import type { ErrorKind, RowErrors } from './row-errors';

export const OTHER_LABEL = '(other)';
export const MISSING_LABEL = '(missing)';

export interface HeatmapAxis {
  column: string;
  kind: 'numeric' | 'categorical';
  /** Bin labels in axis order: '[lo, hi)' (the last numeric bin closed), category texts, '(other)', '(missing)'. */
  labels: string[];
  /** Numeric: strictly increasing bin edges (labels.length − missing bin + 1 values); null for categorical. */
  edges: number[] | null;
}

export interface ErrorHeatmap {
  kind: ErrorKind;
  x: HeatmapAxis;
  y: HeatmapAxis;
  /** Row-major [y][x]: index yi * x.labels.length + xi. Rows with an error in each cell. */
  count: Float64Array;
  /** Sum of errors per cell (misclassified rows, or total absolute error). */
  errorSum: Float64Array;
  /** Error rate or mean absolute error per cell; null for empty cells. */
  meanError: Metric[];
}

export interface HeatmapOptions {
  /** Quantile bins per numeric feature; default 5 (fewer when values tie). */
  bins?: number;
  /** Categories shown per categorical feature before '(other)'; default 10. */
  topCategories?: number;
}

interface Binned {
  axis: HeatmapAxis;
  /** Bin per table row (only meaningful for counted rows). */
  bin: Int32Array;
}

function binColumn(col: Column, rows: Uint32Array, nRows: number, opts: Required<HeatmapOptions>): Binned {
  const bin = new Int32Array(nRows).fill(-1);
  if (col.kind === 'numeric') {
    const v = col.values;
    const finite = Float64Array.from(rows.filter((i) => !Number.isNaN(v[i])), (i) => v[i]).sort();
    const edges: number[] = [];
    if (finite.length) {
      for (let j = 0; j <= opts.bins; j++) {
        const q = quantileSorted(finite, j / opts.bins);
        if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
      }
      if (edges.length === 1) edges.push(edges[0]);
    }
    const nb = Math.max(0, edges.length - 1);
    let hasMissing = false;
    for (const i of rows) {
      const x = v[i];
      if (Number.isNaN(x)) {
        bin[i] = nb;
        hasMissing = true;
        continue;
      }
      let lo = 0, hi = nb - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (edges[mid] <= x) lo = mid;
        else hi = mid - 1;
      }
      bin[i] = lo;
    }
    let digits = 4;
    const texts = () => edges.map((x) => formatNumber(x, digits));
    let t = texts();
    while (digits < 17 && new Set(t).size < t.length) {
      digits++;
      t = texts();
    }
    const labels = Array.from({ length: nb }, (_, j) => (j === nb - 1 ? `[${t[j]}, ${t[j + 1]}]` : `[${t[j]}, ${t[j + 1]})`));
    if (hasMissing) labels.push(MISSING_LABEL);
    return { axis: { column: col.name, kind: 'numeric', labels, edges }, bin };
  }
  const C = col.categories.length;
  const counts = new Float64Array(C);
  let missing = 0;
  for (const i of rows) {
    const c = col.codes[i];
    if (c < 0) missing++;
    else counts[c]++;
  }
  const used = Array.from({ length: C }, (_, c) => c).filter((c) => counts[c] > 0);
  used.sort((a, b) => counts[b] - counts[a] || a - b);
  const top = used.slice(0, opts.topCategories);
  const slot = new Int32Array(C).fill(top.length);
  top.forEach((c, j) => (slot[c] = j));
  const labels = top.map((c) => col.categories[c]);
  const hasOther = used.length > top.length;
  if (hasOther) labels.push(OTHER_LABEL);
  const missingSlot = labels.length;
  if (missing > 0) labels.push(MISSING_LABEL);
  for (const i of rows) {
    const c = col.codes[i];
    bin[i] = c < 0 ? missingSlot : slot[c];
  }
  return { axis: { column: col.name, kind: 'categorical', labels, edges: null }, bin };
}

/** Counts and mean error per cell over rows whose error is not NaN. Throws on an unknown column. */
export function errorHeatmap(table: Table, errors: RowErrors, xColumn: string, yColumn: string, opts: HeatmapOptions = {}): ErrorHeatmap {
  const o = { bins: Math.max(1, Math.floor(opts.bins ?? 5)), topCategories: Math.max(1, Math.floor(opts.topCategories ?? 10)) };
  const find = (name: string) => {
    const c = table.columns.find((col) => col.name === name);
    if (!c) throw new Error(`No column named '${name}'.`);
    return c;
  };
  const e = errors.values;
  const n0 = Math.min(table.nRows, e.length);
  const all = new Uint32Array(n0);
  let m = 0;
  for (let i = 0; i < n0; i++) if (!Number.isNaN(e[i])) all[m++] = i;
  const rows = all.subarray(0, m);
  const bx = binColumn(find(xColumn), rows, n0, o), by = binColumn(find(yColumn), rows, n0, o);
  const nx = bx.axis.labels.length, ny = by.axis.labels.length;
  const count = new Float64Array(nx * ny), errorSum = new Float64Array(nx * ny);
  for (const i of rows) {
    const cell = by.bin[i] * nx + bx.bin[i];
    count[cell]++;
    errorSum[cell] += e[i];
  }
  const meanError = Array.from(count, (c, k) => ratio(errorSum[k], c, REASONS.noRows));
  return { kind: errors.kind, x: bx.axis, y: by.axis, count, errorSum, meanError };
}
