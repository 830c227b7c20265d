/**
 * Attributions of several rows as every explainer returns them (KernelSHAP, TreeSHAP, linear), and the
 * shapes the UI draws from them: one row's explanation, the global mean |SHAP| and beeswarm points.
 */
import type { Table } from '../../data/table';
import { cellValue, columnIndex, type CellValue } from './cells';

export type AttributionMethod = 'kernel-exact' | 'kernel-sampled' | 'tree' | 'linear';

/**
 * Per-row attributions over CSV columns. For every row i: base + Σ_j phi[i·M + j] = outputs[i], up to
 * `additivityError`. `space` names the scale all of them are in ('log-odds', 'probability', 'value',
 * or 'margin' for a multiclass model's raw class score).
 */
export interface Attributions {
  method: AttributionMethod;
  features: string[];
  /** Explained rows (indexes into the explained table), in result order. */
  rows: Uint32Array;
  /** Expected output over the background, the same for every row (v(∅)). */
  base: number;
  /** The model output each row's attributions add up to (v(all features)). */
  outputs: Float64Array;
  /** Row-major rows × features. */
  phi: Float64Array;
  /** Largest |base + Σφ − output| over the rows. */
  additivityError: number;
  space: string;
  /** Model rows predicted (0 for TreeSHAP and linear, read from the graph). */
  calls: number;
}

/** One row's explanation. */
export interface RowAttribution {
  features: string[];
  base: number;
  output: number;
  phi: Float64Array;
  additivityError: number;
}

export function rowAttribution(a: Attributions, i: number): RowAttribution {
  const m = a.features.length;
  const phi = a.phi.slice(i * m, (i + 1) * m);
  return { features: a.features, base: a.base, output: a.outputs[i], phi, additivityError: additivityOf(a.base, phi, a.outputs[i]) };
}

export function additivityOf(base: number, phi: ArrayLike<number>, output: number): number {
  let s = base;
  for (let j = 0; j < phi.length; j++) s += phi[j];
  return Math.abs(s - output);
}

export interface FeatureSummary {
  feature: string;
  /** Mean |φ| over the explained rows: the global importance. */
  meanAbs: number;
  /** φ of each explained row. */
  phi: Float64Array;
  /**
   * The row's value placed in [0, 1] for a beeswarm's colour: numeric = its rank among the explained
   * rows' values (mid-ranks for ties); categorical = NaN (colour by `cells` instead); missing = NaN.
   */
  color: Float64Array;
  /** The row's cell values, for tooltips and categorical colours. */
  cells: CellValue[];
}

/**
 * Mean |SHAP| per feature, largest first, with the beeswarm points of each: `table` is the table whose
 * `a.rows` were explained.
 */
export function shapSummary(a: Attributions, table: Table): FeatureSummary[] {
  const m = a.features.length;
  const n = a.rows.length;
  return a.features
    .map((feature, j) => {
      const col = table.columns[columnIndex(table, feature)];
      const phi = new Float64Array(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        phi[i] = a.phi[i * m + j];
        sum += Math.abs(phi[i]);
      }
      const cells = Array.from(a.rows, (r) => cellValue(col, r));
      const color = new Float64Array(n).fill(NaN);
      if (col.kind === 'numeric') {
        const idx = Array.from({ length: n }, (_, i) => i).filter((i) => typeof cells[i] === 'number');
        idx.sort((p, q) => (cells[p] as number) - (cells[q] as number));
        for (let s = 0; s < idx.length; ) {
          let e = s;
          while (e + 1 < idx.length && cells[idx[e + 1]] === cells[idx[s]]) e++;
          const rank = idx.length > 1 ? (s + e) / 2 / (idx.length - 1) : 0.5;
          for (let t = s; t <= e; t++) color[idx[t]] = rank;
          s = e + 1;
        }
      }
      return { feature, meanAbs: n ? sum / n : 0, phi, color, cells };
    })
    .sort((p, q) => q.meanAbs - p.meanAbs);
}
