/**
 * Counterfactual explanations: the smallest edits of a row, over the columns the user lets vary and
 * within the values the data has, that flip the decision or reach a target score.
 *
 * Distance (Wachter et al. 2017, with a robust scale): Σ over changed numeric columns |Δ| / IQR (the
 * range when the IQR is 0), plus 1 per changed categorical column.
 *
 * Search, all in batched predictor calls: several greedy runs in parallel (each run over a random
 * subset of the columns, so they explore different paths) add one change per step, choosing the change
 * with the best progress toward the target per unit of distance, until the target is met. Every valid
 * result is then shrunk: changes that are not needed are reverted, and each numeric change is pulled
 * back toward the original value as far as the target allows (a two-level grid search). A seeded random
 * search over small change sets fills in when the greedy runs find too few. The final set is chosen
 * for distance and diversity (a candidate that reuses the columns of one already chosen pays a
 * penalty), and every returned counterfactual is re-scored.
 */
import type { Table } from '../../data/table';
import { createRng, type Rng } from '../random';
import { cellValue, columnIndex, featureDomains, repeatRows, type CellValue, type FeatureDomain } from './cells';
import { Progress, predictChecked, throwIfAborted, type Predictor, type RunOptions } from './run';
import type { CellChange } from './what-if';

export type CounterfactualTarget =
  /** The decision is score ≥ threshold; a counterfactual lands on the other side. */
  | { kind: 'flip'; threshold: number }
  /** Reach `value`: at least it when the row scores below, at most it when above. */
  | { kind: 'score'; value: number };

export interface CounterfactualOptions extends RunOptions {
  /** Columns allowed to change. */
  features: readonly string[];
  target: CounterfactualTarget;
  /** Counterfactuals wanted (default 5). */
  count?: number;
  seed?: number;
  /** Model rows to spend at most (default 20000). */
  maxCalls?: number;
  /** Columns changed at most in one counterfactual (default 4). */
  maxChanges?: number;
  /** Penalty weight for reusing the columns of an already chosen counterfactual (default 1; 0 = nearest only). */
  diversity?: number;
  /** Observed domains; default: read from `table`. */
  domains?: FeatureDomain[];
}

export interface Counterfactual {
  changes: CellChange[];
  distance: number;
  /** The counterfactual row re-scored by the predictor. */
  score: number;
}

export interface CounterfactualResult {
  /** The row's own score. */
  original: number;
  counterfactuals: Counterfactual[];
  /** Model rows used. */
  calls: number;
}

/** Model rows a counterfactual search may use: its budget. */
export function estimateCounterfactualCalls(opts: Pick<CounterfactualOptions, 'maxCalls'> = {}): number {
  return opts.maxCalls ?? 20000;
}

/** A candidate: per allowed column, the value (numeric) or category code it is set to; NaN = unchanged. */
type Cand = Float64Array;

const GRID = 12;

export async function counterfactuals(predict: Predictor, table: Table, row: number, opts: CounterfactualOptions): Promise<CounterfactualResult> {
  const features = [...opts.features];
  if (features.length === 0) throw new Error('Choose at least one column that may change.');
  const F = features.length;
  const count = Math.max(1, opts.count ?? 5);
  const maxCalls = opts.maxCalls ?? 20000;
  const maxChanges = Math.max(1, Math.min(F, opts.maxChanges ?? 4));
  const diversity = opts.diversity ?? 1;
  const rng = createRng(opts.seed ?? 1);
  const domains = opts.domains ?? featureDomains(table, features);
  const cols = features.map((f) => columnIndex(table, f));
  const base = repeatRows(table, [row], 1);
  // Original cell per allowed column: its value or category code (in `base`'s dictionary).
  const orig = cols.map((j) => {
    const c = base.columns[j];
    return c.kind === 'numeric' ? c.values[0] : c.codes[0];
  });
  const domainOf = features.map((f) => domains.find((d) => d.column === f)!);
  const codeOf = features.map((_, i) => {
    const c = base.columns[cols[i]];
    const d = domainOf[i];
    if (c.kind === 'numeric' || d.kind !== 'categorical') return [];
    return d.categories.map((text) => {
      const k = c.categories.indexOf(text);
      return k >= 0 ? k : c.categories.push(text) - 1;
    });
  });
  const isNumeric = domainOf.map((d) => d.kind === 'numeric');

  const progress = new Progress(maxCalls, opts);
  let calls = 0;
  const score = async (cands: Cand[]): Promise<Float64Array> => {
    throwIfAborted(opts.signal);
    const t = repeatRows(base, [0], cands.length);
    cands.forEach((cand, k) => {
      for (let i = 0; i < F; i++) {
        const v = cand[i];
        if (Number.isNaN(v)) continue;
        const c = t.columns[cols[i]];
        if (c.kind === 'numeric') c.values[k] = v;
        else c.codes[k] = v;
      }
    });
    const out = await predictChecked(predict, t);
    calls += cands.length;
    progress.add(cands.length);
    return out;
  };
  const budget = () => maxCalls - calls;

  const original = (await score([new Float64Array(F).fill(NaN)]))[0];
  const target = opts.target;
  const goal = target.kind === 'flip' ? target.threshold : target.value;
  const above = original >= goal;
  // dir: the way the score has to move.
  const dir = target.kind === 'flip' ? (above ? -1 : 1) : original < goal ? 1 : -1;
  const valid = (s: number) => {
    if (Number.isNaN(s)) return false;
    if (target.kind === 'flip') return s >= goal !== above;
    return dir > 0 ? s >= goal : s <= goal;
  };

  const distance = (cand: Cand) => {
    let d = 0;
    for (let i = 0; i < F; i++) {
      const v = cand[i];
      if (Number.isNaN(v)) continue;
      const dom = domainOf[i];
      if (dom.kind === 'numeric') d += Number.isNaN(orig[i]) ? 1 : Math.abs(v - orig[i]) / dom.scale;
      else d += 1;
    }
    return d;
  };
  const changedCount = (cand: Cand) => cand.reduce((a, v) => a + (Number.isNaN(v) ? 0 : 1), 0);

  /** Values proposed for column i: a quantile grid (numeric) or every other observed category. */
  const proposals = features.map((_, i) => {
    const dom = domainOf[i];
    if (dom.kind === 'numeric') {
      const vals = new Set<number>();
      const n = dom.distinct.length;
      for (let g = 0; g < GRID && n > 0; g++) vals.add(dom.distinct[Math.round((g / (GRID - 1)) * (n - 1))]);
      vals.delete(orig[i]);
      return [...vals];
    }
    return codeOf[i].filter((c) => c !== orig[i]);
  });

  const found: { cand: Cand; s: number }[] = [];
  const seen = new Set<string>();
  const keep = (cand: Cand, s: number) => {
    const key = Array.from(cand, (v) => (Number.isNaN(v) ? '_' : String(v))).join('|');
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ cand, s });
  };

  // Greedy runs in parallel.
  const runs = Math.max(2, 2 * count);
  const states = Array.from({ length: runs }, (_, r) => ({
    cand: new Float64Array(F).fill(NaN) as Cand,
    s: original,
    allowed: r === 0 ? features.map(() => true) : randomSubset(F, rng),
    alive: true,
  }));
  for (let step = 0; step < maxChanges; step++) {
    const batch: Cand[] = [];
    const owner: number[] = [];
    states.forEach((st, r) => {
      if (!st.alive) return;
      for (let i = 0; i < F; i++) {
        if (!st.allowed[i] || !Number.isNaN(st.cand[i])) continue;
        for (const v of proposals[i]) {
          const c = st.cand.slice();
          c[i] = v;
          batch.push(c);
          owner.push(r);
        }
      }
    });
    if (batch.length === 0 || batch.length > budget() * 0.6) break;
    const s = await score(batch);
    states.forEach((st, r) => {
      if (!st.alive) return;
      let bestValid = -1;
      let bestMove = -1;
      let bestRate = 0;
      const d0 = distance(st.cand);
      for (let k = 0; k < batch.length; k++) {
        if (owner[k] !== r) continue;
        if (valid(s[k])) {
          keep(batch[k], s[k]);
          if (bestValid < 0 || distance(batch[k]) < distance(batch[bestValid])) bestValid = k;
          continue;
        }
        const rate = (dir * (s[k] - st.s)) / Math.max(1e-9, distance(batch[k]) - d0);
        if (rate > bestRate) {
          bestRate = rate;
          bestMove = k;
        }
      }
      if (bestValid >= 0 || bestMove < 0) st.alive = false;
      else {
        st.cand = batch[bestMove];
        st.s = s[bestMove];
      }
    });
    if (!states.some((st) => st.alive)) break;
  }

  // Random search over small change sets when the greedy runs found too few.
  for (let round = 0; round < 4 && found.length < count * 3 && budget() > 400; round++) {
    const batch: Cand[] = [];
    const size = Math.min(500, Math.floor(budget() / 4));
    for (let k = 0; k < size; k++) {
      const c = new Float64Array(F).fill(NaN);
      const changes = 1 + Math.floor(rng() * maxChanges);
      for (let t = 0; t < changes; t++) {
        const i = Math.floor(rng() * F);
        const p = proposals[i];
        if (p.length) c[i] = p[Math.floor(rng() * p.length)];
      }
      if (changedCount(c) > 0) batch.push(c);
    }
    const s = await score(batch);
    for (let k = 0; k < batch.length; k++) if (valid(s[k])) keep(batch[k], s[k]);
  }

  // Shrink the nearest candidates: revert unneeded changes, then pull numeric changes back.
  found.sort((a, b) => distance(a.cand) - distance(b.cand));
  const pool = found.slice(0, Math.max(count * 4, 10));
  for (let round = 0; round < maxChanges && budget() > pool.length * F; round++) {
    const batch: Cand[] = [];
    const owner: number[] = [];
    pool.forEach((p, r) => {
      if (changedCount(p.cand) <= 1) return;
      for (let i = 0; i < F; i++) {
        if (Number.isNaN(p.cand[i])) continue;
        const c = p.cand.slice();
        c[i] = NaN;
        batch.push(c);
        owner.push(r);
      }
    });
    if (batch.length === 0) break;
    const s = await score(batch);
    let any = false;
    pool.forEach((p, r) => {
      let best = -1;
      for (let k = 0; k < batch.length; k++) {
        if (owner[k] === r && valid(s[k]) && (best < 0 || distance(batch[k]) < distance(batch[best]))) best = k;
      }
      if (best >= 0) {
        pool[r] = { cand: batch[best], s: s[best] };
        any = true;
      }
    });
    if (!any) break;
  }
  for (let i = 0; i < F; i++) {
    if (!isNumeric[i] || Number.isNaN(orig[i])) continue;
    const dom = domainOf[i] as Extract<FeatureDomain, { kind: 'numeric' }>;
    const users = pool.map((p, r) => r).filter((r) => !Number.isNaN(pool[r].cand[i]));
    if (users.length === 0) continue;
    // Two levels of 16 fractions of the move: the smallest fraction that keeps the target.
    const full = users.map((r) => pool[r].cand[i]);
    const lo = new Float64Array(users.length);
    const hi = new Float64Array(users.length).fill(1);
    for (let level = 0; level < 2; level++) {
      if (budget() < users.length * 16) break;
      const batch: Cand[] = [];
      users.forEach((r, u) => {
        for (let q = 1; q <= 16; q++) {
          const c = pool[r].cand.slice();
          c[i] = snap(orig[i] + (lo[u] + ((hi[u] - lo[u]) * q) / 16) * (full[u] - orig[i]), dom);
          batch.push(c);
        }
      });
      const s = await score(batch);
      users.forEach((r, u) => {
        for (let q = 1; q <= 16; q++) {
          const k = u * 16 + q - 1;
          if (!valid(s[k])) continue;
          if (distance(batch[k]) <= distance(pool[r].cand)) pool[r] = { cand: batch[k], s: s[k] };
          const step = (hi[u] - lo[u]) / 16;
          hi[u] = lo[u] + step * q;
          lo[u] = hi[u] - step;
          break;
        }
      });
    }
  }

  // Choose near and diverse, then re-score the chosen ones.
  const unique = new Map<string, { cand: Cand; s: number }>();
  for (const p of pool) {
    if (changedCount(p.cand) === 0) continue;
    const key = Array.from(p.cand, (v) => (Number.isNaN(v) ? '_' : String(v))).join('|');
    if (!unique.has(key)) unique.set(key, p);
  }
  const left = [...unique.values()];
  const chosen: { cand: Cand; s: number }[] = [];
  while (chosen.length < count && left.length > 0) {
    let best = 0;
    let bestCost = Infinity;
    left.forEach((p, k) => {
      let overlap = 0;
      for (const c of chosen) overlap = Math.max(overlap, jaccard(p.cand, c.cand));
      const cost = distance(p.cand) * (1 + diversity * overlap);
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    });
    chosen.push(left.splice(best, 1)[0]);
  }
  const verified = chosen.length ? await score(chosen.map((c) => c.cand)) : new Float64Array(0);
  const result: Counterfactual[] = [];
  chosen.forEach((c, k) => {
    if (!valid(verified[k])) return;
    const changes: CellChange[] = [];
    for (let i = 0; i < F; i++) {
      if (Number.isNaN(c.cand[i])) continue;
      const col = base.columns[cols[i]];
      const from: CellValue = cellValue(col, 0);
      const to: CellValue = col.kind === 'numeric' ? c.cand[i] : col.categories[c.cand[i]];
      changes.push({ column: features[i], from, to });
    }
    result.push({ changes, distance: distance(c.cand), score: verified[k] });
  });
  result.sort((a, b) => a.distance - b.distance);
  progress.total = calls;
  opts.onProgress?.(calls, calls);
  return { original, counterfactuals: result, calls };
}

/** A random non-empty subset of 0..n-1 (each kept with probability 0.6) as flags. */
function randomSubset(n: number, rng: Rng): boolean[] {
  const out = Array.from({ length: n }, () => rng() < 0.6);
  if (!out.some(Boolean)) out[Math.floor(rng() * n)] = true;
  return out;
}

/** Clamps to the observed range; integer columns stay integers. */
function snap(v: number, dom: Extract<FeatureDomain, { kind: 'numeric' }>): number {
  const x = Math.min(dom.max, Math.max(dom.min, v));
  return dom.integer ? Math.round(x) : x;
}

function jaccard(a: Cand, b: Cand): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    const x = !Number.isNaN(a[i]);
    const y = !Number.isNaN(b[i]);
    if (x && y) both++;
    if (x || y) either++;
  }
  return either ? both / either : 0;
}
