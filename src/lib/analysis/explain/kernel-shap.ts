/**
 * KernelSHAP over CSV columns (Lundberg & Lee 2017), interventional: the value of a coalition S is
 *   v(S) = Σ_b w_b · f(x's S columns, background row b's other columns),
 * so "absent" means "drawn from the background", whatever the model encodes internally.
 * Exact Shapley values (subset formula over all 2^M coalitions) when at most `exactMaxFeatures` columns
 * differ between the row and its background; otherwise paired coalition sampling with Shapley kernel
 * weights and a weighted least squares constrained to Σφ = v(all) − v(∅).
 */
import type { Table } from '../../data/table';
import { createRng, type Rng } from '../random';
import { additivityOf, type Attributions } from './attributions';
import { backgroundWeights, type Background } from './background';
import { allRows, cellValue, columnIndex, encodeRowFor, fillEncoded, repeatRows, sameCell } from './cells';
import { CHUNK_ROWS, Progress, predictBuilt, type Predictor, type RunOptions } from './run';

export interface KernelShapOptions extends RunOptions {
  /** Exact enumeration when at most this many columns vary (default 12: 4094 coalitions). */
  exactMaxFeatures?: number;
  /** Coalitions evaluated when sampling (default 2048, drawn in complementary pairs). */
  samples?: number;
  seed?: number;
  /** What the predictor returns, copied to `Attributions.space` ('log-odds', 'probability', 'value'; default 'predictor'). */
  space?: string;
}

/** One row's KernelSHAP result: base + Σ phi = output (to `additivityError`). */
export interface KernelShapResult {
  features: string[];
  /** v(∅): the weighted mean prediction over the background. */
  base: number;
  /** v(all features): the prediction for the row (equal to f(row) when the features cover every model input). */
  output: number;
  /** One attribution per feature, in `features` order; exactly 0 for a column equal in the row and the whole background. */
  phi: Float64Array;
  additivityError: number;
  /** Exact Shapley values (every coalition) rather than a sampled estimate. */
  exact: boolean;
  /** Model rows predicted. */
  calls: number;
}

const DEFAULT_EXACT_MAX = 12;
const DEFAULT_SAMPLES = 2048;

/**
 * Model rows KernelSHAP needs for `rows` rows of `features` columns against `background` rows: the
 * background once (v(∅)), then per row every coalition but ∅ (2^M − 1, exact) or `samples` + 1
 * (sampled), each over the whole background. An upper bound: columns equal in a row and its whole
 * background drop out.
 */
export function estimateKernelShapCalls(
  features: number,
  background: number,
  opts: { rows?: number; exactMaxFeatures?: number; samples?: number } = {},
): number {
  const m = features;
  const exact = m <= (opts.exactMaxFeatures ?? DEFAULT_EXACT_MAX);
  const k = exact ? 2 ** m - 1 : Math.min(opts.samples ?? DEFAULT_SAMPLES, 2 ** Math.min(m, 52) - 2) + 1;
  return background + (opts.rows ?? 1) * Math.max(0, k) * background;
}

/** KernelSHAP for one row of `table`; see {@link kernelShapRows}. */
export async function kernelShap(
  predict: Predictor,
  table: Table,
  row: number,
  features: readonly string[],
  background: Background,
  opts: KernelShapOptions = {},
): Promise<KernelShapResult> {
  const a = await kernelShapRows(predict, table, [row], features, background, opts);
  return {
    features: a.features,
    base: a.base,
    output: a.outputs[0],
    phi: a.phi,
    additivityError: a.additivityError,
    exact: a.method === 'kernel-exact',
    calls: a.calls,
  };
}

interface RowPlan {
  row: number;
  /** Indexes into `features` of the columns that vary between this row and the background. */
  players: number[];
  exact: boolean;
  /** Coalitions evaluated, K × players.length (0/1), without ∅; the full coalition is last. */
  masks: Uint8Array;
  k: number;
  /** Kernel weights of the sampled coalitions (sampled plans only, full coalition excluded). */
  weights: Float64Array | null;
  firstJob: number;
}

/**
 * KernelSHAP for several rows of `table` (the rows may come from a what-if table: cells are matched to the
 * background by column name and category text). Coalition evaluations of all rows share predictor
 * calls of up to `chunkRows` rows. `method` is 'kernel-exact' only when every row was exact.
 */
export async function kernelShapRows(
  predict: Predictor,
  table: Table,
  rows: ArrayLike<number>,
  features: readonly string[],
  background: Background,
  opts: KernelShapOptions = {},
): Promise<Attributions> {
  const bg = background.table;
  const w = backgroundWeights(background);
  const nb = bg.nRows;
  const exactMax = opts.exactMaxFeatures ?? DEFAULT_EXACT_MAX;
  const samples = Math.max(2, Math.floor(opts.samples ?? DEFAULT_SAMPLES));
  const featureCols = features.map((f) => columnIndex(bg, f));
  const srcCols = features.map((f) => columnIndex(table, f));

  let jobs = 1; // job 0: the background itself, v(∅)
  const plans: RowPlan[] = Array.from(rows, (row) => {
    const players = features
      .map((_, j) => j)
      .filter((j) => {
        const x = cellValue(table.columns[srcCols[j]], row);
        const col = bg.columns[featureCols[j]];
        for (let b = 0; b < nb; b++) if (w[b] > 0 && !sameCell(cellValue(col, b), x)) return true;
        return false;
      });
    const plan = coalitionPlan(row, players, exactMax, samples, createRng(opts.seed ?? 1));
    plan.firstJob = jobs;
    jobs += plan.k;
    return plan;
  });

  const chunkJobs = Math.max(1, Math.floor((opts.chunkRows ?? CHUNK_ROWS) / nb));
  const total = jobs * nb;
  const progress = new Progress(total, opts);
  const jobOf = new Int32Array(jobs).fill(-1);
  const maskOf = new Int32Array(jobs);
  plans.forEach((p, r) => {
    for (let k = 0; k < p.k; k++) {
      jobOf[p.firstJob + k] = r;
      maskOf[p.firstJob + k] = k;
    }
  });

  const out = await predictBuilt(
    predict,
    total,
    (start, end) => {
      const j0 = start / nb;
      const j1 = end / nb;
      const t = repeatRows(bg, allRows(nb), j1 - j0);
      const encoded = new Map<number, Float64Array>();
      for (let job = j0; job < j1; job++) {
        const r = jobOf[job];
        if (r < 0) continue;
        const plan = plans[r];
        let x = encoded.get(r);
        if (!x) encoded.set(r, (x = encodeRowFor(t, table, plan.row)));
        const m = plan.players.length;
        const mask = plan.masks.subarray(maskOf[job] * m, (maskOf[job] + 1) * m);
        const from = (job - j0) * nb;
        for (let i = 0; i < m; i++) {
          if (!mask[i]) continue;
          const c = featureCols[plan.players[i]];
          fillEncoded(t.columns[c], from, from + nb, x[c]);
        }
      }
      return t;
    },
    opts,
    progress,
    chunkJobs * nb,
  );

  const value = (job: number) => {
    let s = 0;
    for (let b = 0, o = job * nb; b < nb; b++) s += w[b] * out[o + b];
    return s;
  };
  const base = value(0);
  const m = features.length;
  const phi = new Float64Array(plans.length * m);
  const outputs = new Float64Array(plans.length);
  let additivityError = 0;
  plans.forEach((plan, r) => {
    const v = new Float64Array(plan.k);
    for (let k = 0; k < plan.k; k++) v[k] = value(plan.firstJob + k);
    const full = plan.k > 0 ? v[plan.k - 1] : base;
    const local = plan.exact ? exactShapley(plan.players.length, base, v) : solveKernel(plan, base, full, v);
    plan.players.forEach((j, i) => (phi[r * m + j] = local[i]));
    outputs[r] = full;
    additivityError = Math.max(additivityError, additivityOf(base, phi.subarray(r * m, (r + 1) * m), full));
  });
  return {
    method: plans.every((p) => p.exact) ? 'kernel-exact' : 'kernel-sampled',
    features: [...features],
    rows: Uint32Array.from(rows),
    base,
    outputs,
    phi,
    additivityError,
    space: opts.space ?? 'predictor',
    calls: total,
  };
}

function coalitionPlan(row: number, players: number[], exactMax: number, samples: number, rng: Rng): RowPlan {
  const m = players.length;
  if (m <= exactMax || (m < 31 && 2 ** m - 2 <= samples)) {
    // Every coalition but ∅, by bit pattern 1 .. 2^m − 1 (the full one last).
    const k = 2 ** m - 1;
    const masks = new Uint8Array(k * m);
    for (let s = 1; s <= k; s++) for (let i = 0; i < m; i++) masks[(s - 1) * m + i] = (s >> i) & 1;
    return { row, players, exact: true, masks, k, weights: null, firstJob: 0 };
  }
  const { masks, weights } = sampleCoalitions(m, samples, rng);
  const k = weights.length + 1;
  const all = new Uint8Array(k * m);
  all.set(masks);
  all.fill(1, (k - 1) * m);
  return { row, players, exact: false, masks: all, k, weights, firstJob: 0 };
}

/**
 * Shapley values from v over all 2^m coalitions: v(∅) = base, v(S) = vs[S − 1] for the bit pattern S.
 * φ_i = Σ_{S ∌ i} |S|! (m − |S| − 1)! / m! · (v(S ∪ i) − v(S)).
 */
function exactShapley(m: number, base: number, vs: Float64Array): Float64Array {
  const phi = new Float64Array(m);
  if (m === 0) return phi;
  const weight = new Float64Array(m);
  for (let s = 0; s < m; s++) weight[s] = 1 / (m * binomial(m - 1, s));
  const v = (s: number) => (s === 0 ? base : vs[s - 1]);
  const size = new Uint8Array(2 ** m);
  for (let s = 1; s < size.length; s++) size[s] = size[s >> 1] + (s & 1);
  for (let s = 0; s < size.length; s++) {
    const vs0 = v(s);
    for (let i = 0; i < m; i++) {
      const bit = 1 << i;
      if (s & bit) continue;
      phi[i] += weight[size[s]] * (v(s | bit) - vs0);
    }
  }
  return phi;
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r < 2 ** 52 ? Math.round(r) : r;
}

/**
 * Coalitions for sampled KernelSHAP, as the shap library draws them: sizes s and m − s share the Shapley
 * kernel mass (m − 1) / (s (m − s)); the smallest sizes (and their complements) are enumerated in full
 * while the budget covers them, with their exact kernel weights; the remaining budget is drawn by size
 * in complementary pairs, repeats adding weight, and those draws share the remaining kernel mass.
 */
export function sampleCoalitions(m: number, samples: number, rng: Rng): { masks: Uint8Array; weights: Float64Array } {
  const nSizes = Math.ceil((m - 1) / 2);
  const nPaired = Math.floor((m - 1) / 2);
  const kernel = new Float64Array(nSizes);
  for (let s = 1; s <= nSizes; s++) kernel[s - 1] = ((m - 1) / (s * (m - s))) * (s <= nPaired ? 2 : 1);
  const kernelSum = kernel.reduce((a, b) => a + b, 0);
  for (let i = 0; i < nSizes; i++) kernel[i] /= kernelSum;

  const masks: number[][] = [];
  const weights: number[] = [];
  const index = new Map<string, number>();
  const add = (mask: Uint8Array, weight: number) => {
    const key = mask.join('');
    const at = index.get(key);
    if (at !== undefined) {
      weights[at] += weight;
      return false;
    }
    index.set(key, masks.length);
    masks.push(Array.from(mask));
    weights.push(weight);
    return true;
  };

  let left = samples;
  let full = 0;
  const remaining = kernel.slice();
  for (let s = 1; s <= nSizes; s++) {
    const paired = s <= nPaired;
    const count = binomial(m, s) * (paired ? 2 : 1);
    if (!((left * remaining[s - 1]) / count >= 1 - 1e-8)) break;
    full++;
    left -= count;
    if (remaining[s - 1] < 1) {
      const scale = 1 - remaining[s - 1];
      for (let i = 0; i < nSizes; i++) remaining[i] /= scale;
    }
    const w = kernel[s - 1] / binomial(m, s) / (paired ? 2 : 1);
    forEachCombination(m, s, (mask) => {
      add(mask, w);
      if (paired) add(complement(mask), w);
    });
  }
  const fixed = masks.length;
  if (full < nSizes && left > 0) {
    const sizeMass = kernel.slice(full);
    for (let i = 0; i < sizeMass.length; i++) if (full + i + 1 <= nPaired) sizeMass[i] /= 2;
    const massSum = sizeMass.reduce((a, b) => a + b, 0);
    let draws = 4 * samples;
    const perm = Uint32Array.from({ length: m }, (_, i) => i);
    while (left > 0 && draws-- > 0) {
      let r = rng() * massSum;
      let i = 0;
      while (i < sizeMass.length - 1 && r >= sizeMass[i]) r -= sizeMass[i++];
      const s = full + i + 1;
      // The first s of a partial Fisher–Yates shuffle: a uniform subset of size s.
      for (let a = 0; a < s; a++) {
        const b = a + Math.floor(rng() * (m - a));
        const t = perm[a];
        perm[a] = perm[b];
        perm[b] = t;
      }
      const mask = new Uint8Array(m);
      for (let a = 0; a < s; a++) mask[perm[a]] = 1;
      if (add(mask, 1)) left--;
      if (left > 0 && s <= nPaired && add(complement(mask), 1)) left--;
    }
    const restMass = kernel.slice(full).reduce((a, b) => a + b, 0);
    let drawn = 0;
    for (let i = fixed; i < weights.length; i++) drawn += weights[i];
    for (let i = fixed; i < weights.length; i++) weights[i] *= restMass / drawn;
  }
  const flat = new Uint8Array(masks.length * m);
  masks.forEach((mask, k) => flat.set(mask, k * m));
  return { masks: flat, weights: Float64Array.from(weights) };
}

function complement(mask: Uint8Array): Uint8Array {
  return mask.map((b) => 1 - b);
}

/** Calls `visit` with a 0/1 mask for every subset of size s of m items (the mask is reused). */
function forEachCombination(m: number, s: number, visit: (mask: Uint8Array) => void): void {
  const idx = Array.from({ length: s }, (_, i) => i);
  const mask = new Uint8Array(m);
  for (;;) {
    mask.fill(0);
    for (const i of idx) mask[i] = 1;
    visit(mask);
    let p = s - 1;
    while (p >= 0 && idx[p] === m - s + p) p--;
    if (p < 0) return;
    idx[p]++;
    for (let q = p + 1; q < s; q++) idx[q] = idx[q - 1] + 1;
  }
}

/**
 * Weighted least squares of v(z) − base on the coalition indicators, with Σφ = full − base enforced by
 * eliminating the last player: φ_last = Δ − Σ_{i<last} φ_i.
 */
function solveKernel(plan: RowPlan, base: number, full: number, v: Float64Array): Float64Array {
  const m = plan.players.length;
  const delta = full - base;
  const phi = new Float64Array(m);
  if (m === 0) return phi;
  if (m === 1) {
    phi[0] = delta;
    return phi;
  }
  const p = m - 1;
  const a = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const xk = new Float64Array(p);
  const weights = plan.weights!;
  for (let k = 0; k < weights.length; k++) {
    const z = plan.masks.subarray(k * m, (k + 1) * m);
    const last = z[p];
    const y = v[k] - base - last * delta;
    for (let i = 0; i < p; i++) xk[i] = z[i] - last;
    const wk = weights[k];
    for (let i = 0; i < p; i++) {
      if (xk[i] === 0) continue;
      const wi = wk * xk[i];
      rhs[i] += wi * y;
      for (let j = 0; j < p; j++) a[i * p + j] += wi * xk[j];
    }
  }
  const beta = solveSymmetric(a, rhs, p);
  let sum = 0;
  for (let i = 0; i < p; i++) {
    phi[i] = beta[i];
    sum += beta[i];
  }
  phi[p] = delta - sum;
  return phi;
}

/** Solves A x = b (A symmetric positive semi-definite, p × p) by Gaussian elimination with partial pivoting; a tiny ridge keeps a singular A solvable. */
export function solveSymmetric(aIn: Float64Array, bIn: Float64Array, p: number): Float64Array {
  const a = aIn.slice();
  const b = bIn.slice();
  let trace = 0;
  for (let i = 0; i < p; i++) trace += a[i * p + i];
  const ridge = 1e-12 * (trace / Math.max(1, p) || 1);
  for (let i = 0; i < p; i++) a[i * p + i] += ridge;
  for (let col = 0; col < p; col++) {
    let piv = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r * p + col]) > Math.abs(a[piv * p + col])) piv = r;
    if (piv !== col) {
      for (let c = 0; c < p; c++) {
        const t = a[col * p + c];
        a[col * p + c] = a[piv * p + c];
        a[piv * p + c] = t;
      }
      const t = b[col];
      b[col] = b[piv];
      b[piv] = t;
    }
    const d = a[col * p + col];
    if (d === 0) continue;
    for (let r = col + 1; r < p; r++) {
      const f = a[r * p + col] / d;
      if (f === 0) continue;
      for (let c = col; c < p; c++) a[r * p + c] -= f * a[col * p + c];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let s = b[r];
    for (let c = r + 1; c < p; c++) s -= a[r * p + c] * x[c];
    const d = a[r * p + r];
    x[r] = d === 0 ? 0 : s / d;
  }
  return x;
}
