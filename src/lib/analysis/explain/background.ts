/**
 * Background sets: the rows whose values stand in for "feature absent" in SHAP and the averages of
 * interventional explanations. Either a seeded random sample or a k-means summary with weights.
 */
import { takeRows, type Table } from '../../data/table';
import { createRng, sampleWithoutReplacement, type Rng } from '../random';
import { columnIndex, allRows } from './cells';

/** Rows of a background; `weights` (summing to 1) default to equal. `rows` are the source table's indexes. */
export interface Background {
  table: Table;
  weights?: ArrayLike<number> | null;
  rows?: Uint32Array;
}

/** Weights of a background normalised to sum to 1 (equal when absent). Throws on an empty background. */
export function backgroundWeights(bg: Background): Float64Array {
  const n = bg.table.nRows;
  if (n === 0) throw new Error('The background has no rows.');
  const w = new Float64Array(n);
  if (!bg.weights) return w.fill(1 / n);
  if (bg.weights.length !== n) throw new Error(`The background has ${n} rows but ${bg.weights.length} weights.`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = bg.weights[i];
    if (!(x >= 0) || !Number.isFinite(x)) throw new Error('Background weights must be finite and non-negative.');
    w[i] = x;
    sum += x;
  }
  if (sum <= 0) throw new Error('Background weights sum to zero.');
  for (let i = 0; i < n; i++) w[i] /= sum;
  return w;
}

/** `k` distinct rows drawn at random (seeded), all weighted equally; the whole table when it has ≤ k rows. */
export function sampleBackground(table: Table, k = 100, seed = 1): Background {
  const rows = sampleWithoutReplacement(createRng(seed), table.nRows, Math.max(1, Math.floor(k))).sort();
  return { table: takeRows(table, rows), weights: null, rows };
}

export interface KmeansOptions {
  seed?: number;
  /** Rows clustered at most (a seeded sample of larger tables; default 5000). */
  maxRows?: number;
  /** Lloyd iterations at most (default 30). */
  iterations?: number;
}

/**
 * A k-means summary of `table` over `features`: at most `k` REAL rows, each the member nearest its
 * cluster's centroid (a medoid-like representative, so every cell is a value the data has, categories
 * included), weighted by its cluster's share of the rows.
 *
 * Distances: numeric columns standardised (mean 0, population sd 1; missing = the mean, 0), each
 * categorical column one-hot scaled by 1/√2 so that changing a category moves a row by 1, like one
 * standard deviation of a number (missing = all zeros). k-means++ seeding and Lloyd iterations,
 * seeded; an emptied cluster restarts at the row farthest from its centre. With ≤ k rows every row is
 * returned with equal weight.
 */
export function kmeansBackground(table: Table, features: readonly string[], k = 100, opts: KmeansOptions = {}): Background {
  const seed = opts.seed ?? 1;
  const rng = createRng(seed);
  const maxRows = opts.maxRows ?? 5000;
  const pool = table.nRows > maxRows ? sampleWithoutReplacement(rng, table.nRows, maxRows).sort() : null;
  const n = pool ? pool.length : table.nRows;
  k = Math.max(1, Math.floor(k));
  if (n <= k) {
    const rows = pool ?? allRows(n);
    return { table: takeRows(table, rows), weights: new Float64Array(rows.length).fill(1 / rows.length), rows };
  }
  const { data, dim } = embed(table, features, pool, n);
  const centers = seedPlusPlus(data, n, dim, k, rng);
  const assign = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  for (let it = 0; it < (opts.iterations ?? 30); it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const [c, d] = nearest(data, i, centers, k, dim);
      if (c !== assign[i]) changed++;
      assign[i] = c;
      dist[i] = d;
    }
    if (changed === 0 && it > 0) break;
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i];
      sizes[c]++;
      for (let d = 0; d < dim; d++) sums[c * dim + d] += data[i * dim + d];
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        // Restart an empty cluster at the worst-served row.
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        for (let d = 0; d < dim; d++) centers[c * dim + d] = data[far * dim + d];
        dist[far] = 0;
        continue;
      }
      for (let d = 0; d < dim; d++) centers[c * dim + d] = sums[c * dim + d] / sizes[c];
    }
  }
  // Final assignment, then the member nearest each centre represents its cluster.
  const best = new Int32Array(k).fill(-1);
  const bestDist = new Float64Array(k).fill(Infinity);
  const count = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const [c, d] = nearest(data, i, centers, k, dim);
    count[c]++;
    if (d < bestDist[c]) {
      bestDist[c] = d;
      best[c] = i;
    }
  }
  const picked: { row: number; weight: number }[] = [];
  for (let c = 0; c < k; c++) if (count[c] > 0) picked.push({ row: pool ? pool[best[c]] : best[c], weight: count[c] / n });
  picked.sort((a, b) => a.row - b.row);
  const rows = Uint32Array.from(picked.map((p) => p.row));
  return { table: takeRows(table, rows), weights: Float64Array.from(picked.map((p) => p.weight)), rows };
}

/** Row-major n × dim embedding described in {@link kmeansBackground}. */
function embed(table: Table, features: readonly string[], pool: Uint32Array | null, n: number): { data: Float64Array; dim: number } {
  const cols = features.map((f) => table.columns[columnIndex(table, f)]);
  const widths = cols.map((c) => (c.kind === 'numeric' ? 1 : c.categories.length));
  const dim = widths.reduce((a, b) => a + b, 0);
  const data = new Float64Array(n * dim);
  const src = (i: number) => (pool ? pool[i] : i);
  let offset = 0;
  cols.forEach((c, j) => {
    if (c.kind === 'numeric') {
      let sum = 0;
      let sq = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = c.values[src(i)];
        if (Number.isNaN(v)) continue;
        sum += v;
        sq += v * v;
        m++;
      }
      const mean = m ? sum / m : 0;
      const sd = m ? Math.sqrt(Math.max(0, sq / m - mean * mean)) : 0;
      const inv = sd > 0 ? 1 / sd : 0;
      for (let i = 0; i < n; i++) {
        const v = c.values[src(i)];
        data[i * dim + offset] = Number.isNaN(v) ? 0 : (v - mean) * inv;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const code = c.codes[src(i)];
        if (code >= 0) data[i * dim + offset + code] = Math.SQRT1_2;
      }
    }
    offset += widths[j];
  });
  return { data, dim };
}

function sqDist(data: Float64Array, i: number, centers: Float64Array, c: number, dim: number): number {
  let s = 0;
  const a = i * dim;
  const b = c * dim;
  for (let d = 0; d < dim; d++) {
    const t = data[a + d] - centers[b + d];
    s += t * t;
  }
  return s;
}

function nearest(data: Float64Array, i: number, centers: Float64Array, k: number, dim: number): [number, number] {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const d = sqDist(data, i, centers, c, dim);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return [best, bestD];
}

/** k-means++: each next centre drawn with probability proportional to squared distance to the nearest chosen one. */
function seedPlusPlus(data: Float64Array, n: number, dim: number, k: number, rng: Rng): Float64Array {
  const centers = new Float64Array(k * dim);
  const d2 = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(rng() * n);
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dim; d++) centers[c * dim + d] = data[pick * dim + d];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = sqDist(data, i, centers, c, dim);
      if (d < d2[i]) d2[i] = d;
      total += d2[i];
    }
    if (c === k - 1) break;
    if (total <= 0) {
      pick = Math.floor(rng() * n);
      continue;
    }
    let r = rng() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i];
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
  return centers;
}
