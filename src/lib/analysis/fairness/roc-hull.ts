/**
 * The ROC convex hull of one group, the feasible set of every rule derived from its scores (Hardt
 * et al. 2016): any point on it is reached by mixing at most two thresholds. Points are kept in
 * counts (false positives, true positives) at a rank of the group's ThresholdTable (rank k: the top
 * k distinct scores predicted positive), so expected confusion matrices are exact.
 */
import { thresholdOfRank, type ThresholdTable } from '../quality/binary';
import type { OutcomeValues } from '../quality/cost';
import type { GroupRule } from './group-metrics';

/** Upper convex hull of a group's ROC points, from rank 0 (none positive) to rank D (all positive). */
export interface RocHull {
  table: ThresholdTable;
  /** Table ranks of the hull vertices, ascending. */
  rank: Int32Array;
  /** True and false positives at each vertex (non-decreasing). */
  tp: Float64Array;
  fp: Float64Array;
}

/** A randomized rule as table ranks and their probabilities (summing to 1). */
export interface Mix {
  ranks: number[];
  weights: number[];
}

const tpAt = (t: ThresholdTable, k: number) => (k === 0 ? 0 : t.tp[k - 1]);
const fpAt = (t: ThresholdTable, k: number) => (k === 0 ? 0 : t.fp[k - 1]);

/** Upper hull by the monotone chain (collinear points dropped, so vertices are corners). */
export function rocHull(table: ThresholdTable): RocHull {
  const D = table.scores.length;
  const st: number[] = [];
  const cross = (o: number, a: number, b: number) =>
    (fpAt(table, a) - fpAt(table, o)) * (tpAt(table, b) - tpAt(table, o)) - (tpAt(table, a) - tpAt(table, o)) * (fpAt(table, b) - fpAt(table, o));
  for (let k = 0; k <= D; k++) {
    while (st.length >= 2 && cross(st[st.length - 2], st[st.length - 1], k) >= 0) st.pop();
    st.push(k);
  }
  const rank = Int32Array.from(st);
  return { table, rank, tp: Float64Array.from(st, (k) => tpAt(table, k)), fp: Float64Array.from(st, (k) => fpAt(table, k)) };
}

/** Expected true and false positives of a mix. */
export function mixCounts(table: ThresholdTable, mix: Mix): { tp: number; fp: number } {
  let tp = 0, fp = 0;
  for (let j = 0; j < mix.ranks.length; j++) {
    tp += mix.weights[j] * tpAt(table, mix.ranks[j]);
    fp += mix.weights[j] * fpAt(table, mix.ranks[j]);
  }
  return { tp, fp };
}

/** The rule realising a mix: thresholds descending, equal ones merged, zero weights dropped. */
export function ruleOfMix(table: ThresholdTable, mix: Mix): GroupRule {
  const byRank = new Map<number, number>();
  mix.ranks.forEach((k, j) => {
    if (mix.weights[j] > 0) byRank.set(k, (byRank.get(k) ?? 0) + mix.weights[j]);
  });
  const ranks = [...byRank.keys()].sort((a, b) => a - b);
  if (ranks.length === 0) ranks.push(0);
  return { thresholds: ranks.map((k) => thresholdOfRank(table, k)), weights: ranks.map((k) => byRank.get(k) ?? 1) };
}

/** Coordinate of a hull point along which a constraint equalises groups. */
export type Axis = 'selection' | 'tpr';

/** Each vertex's coordinate on `axis` (selection rate or TPR, fractions), non-decreasing. */
export function axisCoords(h: RocHull, axis: Axis): Float64Array {
  const { n, positives } = h.table;
  return axis === 'selection' ? h.tp.map((tp, i) => (tp + h.fp[i]) / n) : h.tp.map((tp) => tp / positives);
}

/**
 * The best hull point whose coordinate is `u` (the first vertex at or past u, mixed with the one
 * before): the fewest false positives for a TPR, the most true positives for a selection rate.
 * u is clamped to the hull's range.
 */
export function mixAt(h: RocHull, coords: Float64Array, u: number): Mix {
  const V = coords.length;
  if (u <= coords[0]) return { ranks: [h.rank[0]], weights: [1] };
  if (u >= coords[V - 1]) {
    let i = V - 1;
    while (i > 0 && coords[i - 1] >= coords[V - 1]) i--;
    return { ranks: [h.rank[i]], weights: [1] };
  }
  let lo = 0, hi = V - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (coords[mid] >= u) hi = mid;
    else lo = mid + 1;
  }
  if (coords[lo] === u) return { ranks: [h.rank[lo]], weights: [1] };
  const lam = (u - coords[lo - 1]) / (coords[lo] - coords[lo - 1]);
  return { ranks: [h.rank[lo - 1], h.rank[lo]], weights: [1 - lam, lam] };
}

/** The hull point with the highest TPR at false positive rate x in [0, 1] (group needs negatives). */
export function mixAtFpr(h: RocHull, x: number): Mix {
  const N = h.table.negatives, V = h.rank.length;
  const f = (i: number) => h.fp[i] / N;
  // Last vertex with fpr <= x: on a vertical stretch, the top.
  let lo = 0, hi = V;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f(mid) <= x) lo = mid + 1;
    else hi = mid;
  }
  const i = Math.max(0, lo - 1);
  if (i === V - 1 || f(i) === x) return { ranks: [h.rank[i]], weights: [1] };
  const lam = (x - f(i)) / (f(i + 1) - f(i));
  return { ranks: [h.rank[i], h.rank[i + 1]], weights: [1 - lam, lam] };
}

/** TPR of the hull at false positive rate x (its upper boundary: concave in x). */
export function hullTprAt(h: RocHull, x: number): number {
  return mixCounts(h.table, mixAtFpr(h, x)).tp / h.table.positives;
}

/** Per-outcome weights of a decision objective: accuracy counts correct rows, 'value' uses the cost matrix. */
export function objectiveWeights(objective: 'accuracy' | 'value', values: OutcomeValues): OutcomeValues {
  const w = objective === 'accuracy' ? { tp: 1, fp: 0, tn: 1, fn: 0 } : values;
  if (!(w.tp >= w.fn && w.tn >= w.fp)) {
    throw new Error('Outcome values must value a correct decision at least as much as a wrong one (tp >= fn, tn >= fp).');
  }
  return w;
}

/** Total objective of a group at expected counts (tp, fp). */
export function gainOf(table: ThresholdTable, tp: number, fp: number, w: OutcomeValues): number {
  return w.tp * tp + w.fn * (table.positives - tp) + w.fp * fp + w.tn * (table.negatives - fp);
}

/** Whether `v` beats `best` by more than rounding (relative 1e-12), so ties keep the first candidate. */
export function improves(v: number, best: number): boolean {
  return best === -Infinity ? v > best : v > best + 1e-12 * Math.max(1, Math.abs(best));
}

/** The hull vertex with the highest objective (ties: the highest threshold, i.e. the lowest rank). */
export function bestVertex(h: RocHull, w: OutcomeValues): Mix {
  let best = 0, bv = -Infinity;
  for (let i = 0; i < h.rank.length; i++) {
    const v = gainOf(h.table, h.tp[i], h.fp[i], w);
    if (improves(v, bv)) {
      bv = v;
      best = i;
    }
  }
  return { ranks: [h.rank[best]], weights: [1] };
}
