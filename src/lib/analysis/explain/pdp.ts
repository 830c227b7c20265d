/**
 * Partial dependence (Friedman 2001) with ICE lines (Goldstein et al. 2015): for sampled rows, set one
 * column to each grid value and predict; the ICE line is one row's curve, the PD curve their mean.
 * Grids: quantiles of a numeric column (all distinct values when there are few), observed categories
 * of a categorical one.
 */
import type { Table } from '../../data/table';
import { createRng, sampleWithoutReplacement } from '../random';
import { allRows, columnIndex, encodeCell, featureDomains, fillEncoded, quantileSorted, repeatRows, type CellValue } from './cells';
import { Progress, predictBuilt, type Predictor, type RunOptions } from './run';

export interface PdpOptions extends RunOptions {
  /** Grid points at most (default 20 for 1-D, 10 per axis for 2-D). */
  gridSize?: number;
  /** Rows sampled for ICE lines (default 200 for 1-D, 100 for 2-D); all rows when the table has fewer. */
  sampleRows?: number;
  /** Explicit rows to use instead of a sample. */
  rows?: ArrayLike<number>;
  seed?: number;
}

export interface PartialDependence {
  feature: string;
  kind: 'numeric' | 'categorical';
  /** Grid values: numbers, or category texts (most frequent first). */
  grid: CellValue[];
  /** Mean prediction at each grid value. */
  mean: Float64Array;
  /** ICE lines, row-major rows × grid. */
  ice: Float64Array;
  /** The table rows the ICE lines belong to. */
  rows: Uint32Array;
  calls: number;
}

export interface PartialDependence2d {
  features: [string, string];
  grids: [CellValue[], CellValue[]];
  /** Mean prediction, row-major grid0 × grid1. */
  values: Float64Array;
  rows: Uint32Array;
  calls: number;
}

/**
 * The grid of one column: for a numeric column the quantiles at i/(G−1) of its non-missing values,
 * deduplicated (every distinct value when there are at most G), rounded to integers when every value
 * is an integer; for a categorical column its G most frequent categories.
 */
export function pdpGrid(table: Table, feature: string, gridSize = 20): CellValue[] {
  const d = featureDomains(table, [feature])[0];
  if (d.kind === 'categorical') return d.categories.slice(0, gridSize);
  if (d.distinct.length <= gridSize) return Array.from(d.distinct);
  const out: number[] = [];
  const col = table.columns[columnIndex(table, feature)];
  const sorted = col.kind === 'numeric' ? col.values.filter((v) => !Number.isNaN(v)).sort() : new Float64Array(0);
  for (let i = 0; i < gridSize; i++) {
    let q = quantileSorted(sorted, gridSize === 1 ? 0.5 : i / (gridSize - 1));
    if (d.integer) q = Math.round(q);
    if (out.length === 0 || q !== out[out.length - 1]) out.push(q);
  }
  return out;
}

function pickRows(table: Table, opts: PdpOptions, fallback: number): Uint32Array {
  if (opts.rows) return Uint32Array.from(opts.rows);
  const k = opts.sampleRows ?? fallback;
  if (table.nRows <= k) return allRows(table.nRows);
  return sampleWithoutReplacement(createRng(opts.seed ?? 1), table.nRows, k).sort();
}

/** Model rows a 1-D partial dependence needs: grid × sampled rows. */
export function estimatePdpCalls(table: Table, feature: string, opts: Pick<PdpOptions, 'gridSize' | 'sampleRows' | 'rows'> = {}): number {
  const rows = opts.rows ? opts.rows.length : Math.min(table.nRows, opts.sampleRows ?? 200);
  return pdpGrid(table, feature, opts.gridSize ?? 20).length * rows;
}

/** Model rows a 2-D partial dependence needs: grid0 × grid1 × sampled rows. */
export function estimatePdp2dCalls(table: Table, features: [string, string], opts: Pick<PdpOptions, 'gridSize' | 'sampleRows' | 'rows'> = {}): number {
  const rows = opts.rows ? opts.rows.length : Math.min(table.nRows, opts.sampleRows ?? 100);
  const g = opts.gridSize ?? 10;
  return pdpGrid(table, features[0], g).length * pdpGrid(table, features[1], g).length * rows;
}

export async function partialDependence(predict: Predictor, table: Table, feature: string, opts: PdpOptions = {}): Promise<PartialDependence> {
  const grid = pdpGrid(table, feature, opts.gridSize ?? 20);
  const rows = pickRows(table, opts, 200);
  const r = rows.length;
  const j = columnIndex(table, feature);
  const total = grid.length * r;
  const out = await predictBuilt(
    predict,
    total,
    (start, end) => {
      // Build whole blocks of the grid, then keep the requested slice.
      const g0 = Math.floor(start / r);
      const g1 = Math.ceil(end / r);
      const t = repeatRows(table, rows, g1 - g0);
      for (let g = g0; g < g1; g++) fillEncoded(t.columns[j], (g - g0) * r, (g - g0 + 1) * r, encodeCell(t.columns[j], grid[g]));
      return sliceRows(t, start - g0 * r, end - g0 * r);
    },
    opts,
    new Progress(total, opts),
  );
  const ice = new Float64Array(r * grid.length);
  const mean = new Float64Array(grid.length);
  for (let g = 0; g < grid.length; g++) {
    let s = 0;
    for (let i = 0; i < r; i++) {
      const v = out[g * r + i];
      ice[i * grid.length + g] = v;
      s += v;
    }
    mean[g] = r ? s / r : NaN;
  }
  const kind = table.columns[j].kind === 'numeric' ? 'numeric' : 'categorical';
  return { feature, kind, grid, mean, ice, rows, calls: total };
}

export async function partialDependence2d(predict: Predictor, table: Table, features: [string, string], opts: PdpOptions = {}): Promise<PartialDependence2d> {
  const gs = opts.gridSize ?? 10;
  const grids: [CellValue[], CellValue[]] = [pdpGrid(table, features[0], gs), pdpGrid(table, features[1], gs)];
  const rows = pickRows(table, opts, 100);
  const r = rows.length;
  const j0 = columnIndex(table, features[0]);
  const j1 = columnIndex(table, features[1]);
  if (j0 === j1) throw new Error('A 2-D partial dependence needs two different columns.');
  const cells = grids[0].length * grids[1].length;
  const total = cells * r;
  const out = await predictBuilt(
    predict,
    total,
    (start, end) => {
      const c0 = Math.floor(start / r);
      const c1 = Math.ceil(end / r);
      const t = repeatRows(table, rows, c1 - c0);
      for (let c = c0; c < c1; c++) {
        const a = Math.floor(c / grids[1].length);
        const b = c % grids[1].length;
        const from = (c - c0) * r;
        fillEncoded(t.columns[j0], from, from + r, encodeCell(t.columns[j0], grids[0][a]));
        fillEncoded(t.columns[j1], from, from + r, encodeCell(t.columns[j1], grids[1][b]));
      }
      return sliceRows(t, start - c0 * r, end - c0 * r);
    },
    opts,
    new Progress(total, opts),
  );
  const values = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    let s = 0;
    for (let i = 0; i < r; i++) s += out[c * r + i];
    values[c] = r ? s / r : NaN;
  }
  return { features, grids, values, rows, calls: total };
}

/** Rows [from, to) of a table, sharing nothing that is written later. */
function sliceRows(t: Table, from: number, to: number): Table {
  if (from === 0 && to === t.nRows) return t;
  return {
    nRows: to - from,
    columns: t.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.subarray(from, to) } : { ...c, codes: c.codes.subarray(from, to) })),
  };
}
