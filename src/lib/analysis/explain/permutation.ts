/**
 * Permutation importance (Breiman 2001; Fisher et al. 2019's model reliance): how much a metric drops
 * when one column is shuffled across rows, breaking its link to the target while keeping its
 * distribution. Repeated with different shuffles; mean and spread per column, ranked.
 */
import type { Table } from '../../data/table';
import { createRng, sampleWithoutReplacement, shuffle } from '../random';
import { known, unknown, type Metric } from '../quality/metric';
import { allRows, columnIndex, repeatRows } from './cells';
import { Progress, predictBuilt, predictChecked, throwIfAborted, type Predictor, type RunOptions } from './run';

export interface PermutationOptions extends RunOptions {
  /** Shuffles per column (default 5). */
  repeats?: number;
  seed?: number;
  /** Rows used at most (a seeded sample of larger tables; default 2000). */
  maxRows?: number;
  /** 'higher' (default) when a larger metric is better (AUC, accuracy, R²); 'lower' for losses (log loss, RMSE). */
  better?: 'higher' | 'lower';
}

export interface FeatureImportance {
  feature: string;
  /** Mean drop of the metric over the repeats (baseline − shuffled, sign-flipped for 'lower'): > 0 means the model relies on it. */
  importance: Metric;
  /** Sample standard deviation of the drop over the repeats (0 with one repeat). */
  sd: number;
  /** The drop of each repeat (NaN where the metric was not finite). */
  drops: Float64Array;
}

export interface PermutationResult {
  /** The metric on the unshuffled rows. */
  baseline: Metric;
  /** Columns, most important first (unknown importances last). */
  features: FeatureImportance[];
  /** The table rows used. */
  rows: Uint32Array;
  calls: number;
}

/** Model rows permutation importance needs: the rows once, then once per column and repeat. */
export function estimatePermutationCalls(nRows: number, features: number, opts: Pick<PermutationOptions, 'repeats' | 'maxRows'> = {}): number {
  const n = Math.min(nRows, opts.maxRows ?? 2000);
  return n * (1 + features * (opts.repeats ?? 5));
}

/**
 * `metric(pred, y)` scores predictions of the used rows against their targets (`y` subset the same
 * way); it may return NaN when it cannot be computed, which this reports as an unknown importance.
 */
export async function permutationImportance(
  predict: Predictor,
  table: Table,
  y: ArrayLike<number>,
  features: readonly string[],
  metric: (pred: Float64Array, y: Float64Array) => number,
  opts: PermutationOptions = {},
): Promise<PermutationResult> {
  if (y.length !== table.nRows) throw new Error(`The target has ${y.length} values for ${table.nRows} rows.`);
  const rng = createRng(opts.seed ?? 1);
  const maxRows = opts.maxRows ?? 2000;
  const rows = table.nRows > maxRows ? sampleWithoutReplacement(rng, table.nRows, maxRows).sort() : allRows(table.nRows);
  const n = rows.length;
  const repeats = Math.max(1, Math.floor(opts.repeats ?? 5));
  const sign = opts.better === 'lower' ? -1 : 1;
  const ys = Float64Array.from(rows, (r) => y[r]);
  const base = repeatRows(table, rows, 1);
  const cols = features.map((f) => columnIndex(base, f));
  const total = n * (1 + features.length * repeats);
  const progress = new Progress(total, opts);

  throwIfAborted(opts.signal);
  const basePred = await predictChecked(predict, base);
  progress.add(n);
  const baseline = metric(basePred, ys);
  if (!Number.isFinite(baseline)) {
    return { baseline: unknown('the metric is not defined on these rows'), features: features.map((feature) => ({ feature, importance: unknown('no baseline'), sd: 0, drops: new Float64Array(repeats).fill(NaN) })), rows, calls: n };
  }

  // One permutation per (column, repeat) job, drawn in job order so results do not depend on chunking.
  const jobs = features.length * repeats;
  const perms: Uint32Array[] = [];
  for (let k = 0; k < jobs; k++) perms.push(shuffle(rng, allRows(n)));
  const out = await predictBuilt(
    predict,
    jobs * n,
    (start, end) => {
      const k0 = Math.floor(start / n);
      const k1 = Math.ceil(end / n);
      const t = repeatRows(base, allRows(n), k1 - k0);
      for (let k = k0; k < k1; k++) {
        const col = t.columns[cols[Math.floor(k / repeats)]];
        const src = base.columns[cols[Math.floor(k / repeats)]];
        const perm = perms[k];
        const off = (k - k0) * n;
        if (col.kind === 'numeric' && src.kind === 'numeric') for (let i = 0; i < n; i++) col.values[off + i] = src.values[perm[i]];
        else if (col.kind !== 'numeric' && src.kind !== 'numeric') for (let i = 0; i < n; i++) col.codes[off + i] = src.codes[perm[i]];
      }
      const from = start - k0 * n;
      const to = end - k0 * n;
      return from === 0 && to === t.nRows ? t : { nRows: to - from, columns: t.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.subarray(from, to) } : { ...c, codes: c.codes.subarray(from, to) })) };
    },
    opts,
    progress,
    Math.max(n, Math.floor((opts.chunkRows ?? 8192) / n) * n),
  );

  const result: FeatureImportance[] = features.map((feature, j) => {
    const drops = new Float64Array(repeats);
    for (let rep = 0; rep < repeats; rep++) {
      const k = j * repeats + rep;
      const v = metric(out.subarray(k * n, (k + 1) * n), ys);
      drops[rep] = Number.isFinite(v) ? sign * (baseline - v) : NaN;
    }
    const ok = drops.filter((d) => !Number.isNaN(d));
    if (ok.length === 0) return { feature, importance: unknown('the metric is not defined on the shuffled rows'), sd: 0, drops };
    const mean = ok.reduce((a, b) => a + b, 0) / ok.length;
    const sd = ok.length > 1 ? Math.sqrt(ok.reduce((a, b) => a + (b - mean) ** 2, 0) / (ok.length - 1)) : 0;
    return { feature, importance: known(mean), sd, drops };
  });
  result.sort((a, b) => (b.importance.value ?? -Infinity) - (a.importance.value ?? -Infinity));
  return { baseline: known(baseline), features: result, rows, calls: total };
}
