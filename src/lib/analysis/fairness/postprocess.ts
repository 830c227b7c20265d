/**
 * Fairness by post-processing: per-group (possibly randomized) thresholds on the model's scores that
 * equalise selection rates, true positive rates, or both TPR and FPR across groups, chosen to lose
 * as little accuracy (or expected value) as possible, after Hardt, Price & Srebro (2016).
 *
 * Each group's feasible rules are the points of its ROC convex hull (`roc-hull.ts`); the objective
 * is linear along every hull edge, so the best common target lies at a breakpoint of some group's
 * hull and is found exactly by enumerating them (no grid). Rules: demographic parity and equal
 * opportunity mix at most two thresholds per group (two neighbouring hull corners); equalized odds
 * at most four (a hull point, itself two thresholds, mixed with the chance line: never/always).
 *
 * Tolerance. Targets are met exactly in expectation (gaps below 1e-15 in practice; tests assert
 * 1e-9). The predictions actually made flip one seeded coin per row, so the realised rates differ
 * from the targets by sampling noise, `coinNoise` (one SD: sqrt(Σ p(1−p))/n over a group's rows);
 * a realised gap stays within 3·√2 of the largest group SD (credit-gbt by Sex: realised gaps 0.0004
 * DP, 0.012 EO, 0.007 equalized odds). Small groups with few positives randomize on few rows and
 * carry large noise, hence `includeSmall` = false by default.
 *
 * Rows counted: a 0/1 label, a finite score and a group. All rates and gaps are fractions. Groups
 * too small to judge keep the single threshold unless `includeSmall`.
 */
import { rankOf, type BinaryLabels, type ThresholdTable } from '../quality/binary';
import { DEFAULT_OUTCOME_VALUES, expectedValueOf, type OutcomeValues } from '../quality/cost';
import { known, ratio, REASONS, unknown, type Metric, type Scores } from '../quality/metric';
import { acceptance, expectedConfusion, fixedRule, groupMetrics, groupTables, isRandomized, type GroupMetricsResult, type GroupRule, type StratifiedBootstrapOptions } from './group-metrics';
import type { Grouping } from './groups';
import {
  axisCoords,
  bestVertex,
  gainOf,
  hullTprAt,
  improves,
  mixAt,
  mixAtFpr,
  mixCounts,
  objectiveWeights,
  rocHull,
  ruleOfMix,
  type Axis,
  type Mix,
  type RocHull,
} from './roc-hull';

/** Every strategy, in the order a comparison lists them. */
export const STRATEGIES = ['single', 'max-accuracy', 'demographic-parity', 'equal-opportunity', 'equalized-odds'] as const;

/**
 * 'single': one threshold for all (`threshold`). 'max-accuracy': each group's own best threshold
 * (best objective), no constraint. 'demographic-parity': equal selection rates. 'equal-opportunity':
 * equal true positive rates. 'equalized-odds': equal TPR and equal FPR.
 */
export type Strategy = (typeof STRATEGIES)[number];

/** The gap a constraint closes: spread (max − min over the groups it covers). */
export type GapKind = 'demographicParity' | 'equalOpportunity' | 'equalizedOdds';

/**
 * Between-group spreads. demographicParity: of selection rates over groups with rows;
 * equalOpportunity: of TPRs over groups with positives; equalizedOdds: the larger of the TPR and
 * FPR spreads over groups with both classes.
 */
export type GapSet = Record<GapKind, Metric>;

export interface PostprocessOptions {
  /** 'single' strategy's threshold, and the 'before' point of every strategy; default 0.5. */
  threshold?: number;
  /** Cost matrix for the expected value per row; default DEFAULT_OUTCOME_VALUES (German credit). */
  values?: OutcomeValues;
  /** What the per-group rules maximise: 'accuracy' (default) or 'value' (expected value from `values`). */
  objective?: 'accuracy' | 'value';
  /** Seed of the per-row coin flips of randomized rules; default 1. */
  seed?: number;
  /** Bootstrap of the group metrics after the fix; default false (none). */
  bootstrap?: StratifiedBootstrapOptions | false;
  /**
   * Fit and constrain groups too small to judge (fewer counted rows than the grouping's `minSize`)
   * too. Default false: they keep the single threshold and are left out of the gaps, as a
   * threshold fitted to a handful of rows (and its coin flips) means nothing.
   */
  includeSmall?: boolean;
}

export interface StrategyResult {
  strategy: Strategy;
  /** The gap the strategy closes; null for 'single' and 'max-accuracy'. */
  targets: GapKind | null;
  /** Rule per group (indexed like `grouping.groups`). */
  rules: GroupRule[];
  /** Whether any group's rule flips coins. */
  randomized: boolean;
  /**
   * Groups the strategy leaves at the single threshold: too small to judge (unless `includeSmall`),
   * or without the rows a constraint needs (no positives for equal opportunity, one class for
   * equalized odds).
   */
  unconstrained: number[];
  /** Groups fitted, constrained and counted in the gaps: not too small to judge, unless `includeSmall`. */
  judged: boolean[];
  /** Group metrics of the predictions made (coins flipped with `seed`). */
  metrics: GroupMetricsResult;
  /** Over all grouped rows, as realised. */
  accuracy: Metric;
  /** Expected value per row (cost matrix `values`), as realised. */
  value: Metric;
  /** The same in expectation over the coin flips (what the rules achieve on average; the constraint holds exactly here). */
  expected: { accuracy: Metric; value: Metric; gaps: GapSet };
  /** Realised gaps over the judged groups at the single threshold (before) and under the strategy (after). */
  gaps: { before: GapSet; after: GapSet };
  /** Per group: how far the coin flips alone may move the realised rates (one standard deviation). */
  coinNoise: CoinNoise[];
}

/** Standard deviations of a group's realised rates due to coin flips (0 for a deterministic rule). */
export interface CoinNoise {
  selectionRate: number;
  tpr: number;
  fpr: number;
}

/** Per-group counts a gap is computed from (expected counts may be fractional). */
export interface Counts {
  n: number;
  P: number;
  N: number;
  tp: number;
  fp: number;
}

function spread(vals: number[], what: string): Metric {
  if (vals.length < 2) return unknown(`fewer than two groups with ${what}`);
  return known(Math.max(...vals) - Math.min(...vals));
}

/** Between-group spreads of selection rate, TPR and FPR over the groups with `include[g]` (default all). */
export function gapsOf(counts: readonly Counts[], include?: readonly boolean[]): GapSet {
  const kept = counts.filter((_, g) => !include || include[g]);
  const sel = kept.filter((c) => c.n > 0).map((c) => (c.tp + c.fp) / c.n);
  const tpr = kept.filter((c) => c.P > 0).map((c) => c.tp / c.P);
  const both = kept.filter((c) => c.P > 0 && c.N > 0);
  const tpr2 = spread(both.map((c) => c.tp / c.P), 'both classes');
  const fpr2 = spread(both.map((c) => c.fp / c.N), 'both classes');
  return {
    demographicParity: spread(sel, 'rows'),
    equalOpportunity: spread(tpr, 'positive rows'),
    equalizedOdds: tpr2.value === null || fpr2.value === null ? tpr2 : known(Math.max(tpr2.value, fpr2.value)),
  };
}

/** Realised counts of group metrics. */
export const realisedCounts = (gm: GroupMetricsResult): Counts[] =>
  gm.groups.map((g) => ({ n: g.n, P: g.positives, N: g.negatives, tp: g.confusion.tp, fp: g.confusion.fp }));

/** Each group's threshold table and ROC hull, built once for every strategy and the trade-off curve. */
export interface PreparedGroups {
  tables: ThresholdTable[];
  hulls: RocHull[];
  /** The grouping's minimum size: smaller groups are too small to judge. */
  minSize: number;
}

/** Builds each group's threshold table and ROC hull (one sort per group). */
export function prepareGroups(y: BinaryLabels, score: Scores, grouping: Grouping): PreparedGroups {
  const tables = groupTables(y, score, grouping);
  return { tables, hulls: tables.map(rocHull), minSize: grouping.minSize };
}

/** Expected counts of each group under mixes (indexed like the groups). */
export function mixedCounts(prep: PreparedGroups, mixes: readonly Mix[]): Counts[] {
  return mixes.map((m, g) => {
    const t = prep.tables[g];
    const c = mixCounts(t, m);
    return { n: t.n, P: t.positives, N: t.negatives, tp: c.tp, fp: c.fp };
  });
}

/** Accuracy and expected value per row of expected counts, over all groups. */
export function overallOf(counts: readonly Counts[], values: OutcomeValues): { accuracy: Metric; value: Metric } {
  let n = 0, right = 0;
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const k of counts) {
    n += k.n;
    right += k.tp + (k.N - k.fp);
    c.tp += k.tp;
    c.fp += k.fp;
    c.tn += k.N - k.fp;
    c.fn += k.P - k.tp;
  }
  return { accuracy: ratio(right, n, REASONS.noRows), value: expectedValueOf(c, values) };
}

/** What every solver needs: the groups, the objective, which groups are fitted, and the single-threshold fallback. */
export interface SolverContext {
  prep: PreparedGroups;
  /** Per-outcome weights of the objective. */
  w: OutcomeValues;
  /** Groups fitted and constrained: not too small to judge, unless `includeSmall`. */
  judged: boolean[];
  /** Each group at the single threshold, as a mix (the rule of every group a strategy leaves alone). */
  single: Mix[];
}

/** The solver context for `opts` (objective from `objective` and `values`; single threshold `threshold`, default 0.5). */
export function solverContext(prep: PreparedGroups, opts: Pick<PostprocessOptions, 'threshold' | 'values' | 'objective' | 'includeSmall'> = {}): SolverContext {
  const t = opts.threshold ?? 0.5;
  return {
    prep,
    w: objectiveWeights(opts.objective ?? 'accuracy', opts.values ?? DEFAULT_OUTCOME_VALUES),
    judged: prep.tables.map((tab) => tab.n > 0 && (!!opts.includeSmall || tab.n >= prep.minSize)),
    single: prep.tables.map((tab) => ({ ranks: [rankOf(tab, t)], weights: [1] })),
  };
}

/** Judged groups a constraint on `axis` can cover (with rows; with positives; with both classes). */
export function eligibleFor(ctx: SolverContext, axis: Axis | 'odds'): number[] {
  return ctx.prep.tables
    .map((t, g) => ({ t, g }))
    .filter(({ t, g }) => ctx.judged[g] && (axis === 'selection' ? t.n > 0 : axis === 'tpr' ? t.positives > 0 : t.positives > 0 && t.negatives > 0))
    .map(({ g }) => g);
}

/** Each judged group's own best rule; the others keep the single threshold. */
export function solveFree(ctx: SolverContext): Mix[] {
  return ctx.prep.hulls.map((h, g) => (ctx.judged[g] ? bestVertex(h, ctx.w) : ctx.single[g]));
}

/**
 * Best rules when the eligible groups' coordinates on `axis` must lie within a band of width `eps`
 * (eps = 0: equal). Each group's objective is concave along its hull, so in a band [L, L + eps]
 * its best point is its own optimum clamped to the band, and the total over L is concave with
 * breakpoints at the hull vertices' coordinates (and those minus eps): the best L is among them.
 * Groups left out (`unconstrained`) keep the single threshold.
 */
export function solveBand(ctx: SolverContext, axis: Axis, eps: number): { mixes: Mix[]; unconstrained: number[] } {
  const { prep, w } = ctx;
  const G = prep.tables.length;
  const mixes = ctx.single.slice();
  const elig = eligibleFor(ctx, axis);
  const unconstrained = prep.tables.map((_, g) => g).filter((g) => !elig.includes(g));
  if (elig.length === 0) return { mixes, unconstrained };
  const coords = new Array<Float64Array>(G);
  const star = new Float64Array(G);
  const cands: number[] = [0, Math.max(0, 1 - eps)];
  for (const g of elig) {
    coords[g] = axisCoords(prep.hulls[g], axis);
    const i = prep.hulls[g].rank.indexOf(bestVertex(prep.hulls[g], w).ranks[0]);
    star[g] = coords[g][i];
    for (const c of coords[g]) cands.push(c, c - eps);
  }
  const hi = Math.max(0, 1 - eps);
  const Ls = [...new Set(cands.map((c) => Math.min(hi, Math.max(0, c))))].sort((a, b) => a - b);
  const total = (L: number) => {
    let s = 0;
    for (const g of elig) {
      const u = Math.min(L + eps, Math.max(L, star[g]));
      const c = mixCounts(prep.tables[g], mixAt(prep.hulls[g], coords[g], u));
      s += gainOf(prep.tables[g], c.tp, c.fp, w);
    }
    return s;
  };
  let bestL = Ls[0], bestV = -Infinity;
  for (const L of Ls) {
    const v = total(L);
    if (improves(v, bestV)) {
      bestV = v;
      bestL = L;
    }
  }
  for (const g of elig) mixes[g] = mixAt(prep.hulls[g], coords[g], Math.min(bestL + eps, Math.max(bestL, star[g])));
  return { mixes, unconstrained };
}

/**
 * Equalized odds: one (FPR, TPR) point shared by every eligible group, the best under the
 * objective within the intersection of their hulls. For a fixed FPR x the best common TPR is
 * m(x) = min over groups of the hull's TPR at x (concave), and the objective P·A·m(x) + N·B·x is
 * concave, so the best x is found among the hulls' vertices and, around the best of those, the
 * crossings of two hulls. Each group reaches the point by mixing its hull point at x with the
 * chance point (x, x) (predict positive with probability x), as fairlearn's ThresholdOptimizer does:
 * up to four thresholds.
 */
export function solveEqualizedOdds(ctx: SolverContext): { mixes: Mix[]; unconstrained: number[]; point: { fpr: number; tpr: number } | null } {
  const { prep, w } = ctx;
  const mixes = ctx.single.slice();
  const elig = eligibleFor(ctx, 'odds');
  const unconstrained = prep.tables.map((_, g) => g).filter((g) => !elig.includes(g));
  if (elig.length === 0) return { mixes, unconstrained, point: null };
  let Ptot = 0, Ntot = 0;
  for (const g of elig) {
    Ptot += prep.tables[g].positives;
    Ntot += prep.tables[g].negatives;
  }
  const A = w.tp - w.fn, B = w.fp - w.tn;
  const m = (x: number) => Math.min(...elig.map((g) => hullTprAt(prep.hulls[g], x)));
  const f = (x: number) => A * Ptot * m(x) + B * Ntot * x;
  const xs = [...new Set(elig.flatMap((g) => Array.from(prep.hulls[g].fp, (fp) => fp / prep.tables[g].negatives)).concat([0, 1]))].sort((a, b) => a - b);
  let bi = 0, bv = -Infinity;
  xs.forEach((x, i) => {
    const v = f(x);
    if (improves(v, bv)) {
      bv = v;
      bi = i;
    }
  });
  let bestX = xs[bi];
  // Between two consecutive vertex x's every hull is a line; m may still bend where two lines cross.
  for (const [a, b] of [
    [xs[bi - 1], xs[bi]],
    [xs[bi], xs[bi + 1]],
  ]) {
    if (a === undefined || b === undefined) continue;
    const lines = elig.map((g) => {
      const ya = hullTprAt(prep.hulls[g], a), yb = hullTprAt(prep.hulls[g], b);
      return { ya, slope: (yb - ya) / (b - a) };
    });
    for (let i = 0; i < lines.length; i++) {
      for (let j = i + 1; j < lines.length; j++) {
        const ds = lines[i].slope - lines[j].slope;
        if (ds === 0) continue;
        const x = a + (lines[j].ya - lines[i].ya) / ds;
        if (!(x > a && x < b)) continue;
        const v = f(x);
        if (improves(v, bv)) {
          bv = v;
          bestX = x;
        }
      }
    }
  }
  const T = m(bestX);
  for (const g of elig) {
    const h = prep.hulls[g];
    const top = mixAtFpr(h, bestX);
    const Tg = mixCounts(h.table, top).tp / h.table.positives;
    // Hull TPR at x is >= T >= x (every hull lies above the chance diagonal); mu mixes down to the diagonal.
    const mu = Tg - bestX > 1e-15 ? Math.min(1, Math.max(0, (T - bestX) / (Tg - bestX))) : 1;
    const D = h.table.scores.length;
    mixes[g] = {
      ranks: [...top.ranks, 0, D],
      weights: [...top.weights.map((wt) => wt * mu), (1 - mu) * (1 - bestX), (1 - mu) * bestX],
    };
  }
  return { mixes, unconstrained, point: { fpr: bestX, tpr: T } };
}

/** Rules of one strategy, and the groups it leaves at the single threshold. */
function rulesFor(ctx: SolverContext, strategy: Strategy, threshold: number): { rules: GroupRule[]; unconstrained: number[] } {
  const G = ctx.prep.tables.length;
  if (strategy === 'single') return { rules: Array.from({ length: G }, () => fixedRule(threshold)), unconstrained: [] };
  let mixes: Mix[], unconstrained: number[];
  if (strategy === 'max-accuracy') {
    mixes = solveFree(ctx);
    unconstrained = ctx.judged.map((j, g) => (j ? -1 : g)).filter((g) => g >= 0);
  } else if (strategy === 'equalized-odds') ({ mixes, unconstrained } = solveEqualizedOdds(ctx));
  else ({ mixes, unconstrained } = solveBand(ctx, strategy === 'demographic-parity' ? 'selection' : 'tpr', 0));
  const left = new Set(unconstrained);
  const rules = mixes.map((m, g) => (left.has(g) ? fixedRule(threshold) : ruleOfMix(ctx.prep.tables[g], m)));
  return { rules, unconstrained };
}

const TARGETS: Record<Strategy, GapKind | null> = {
  single: null,
  'max-accuracy': null,
  'demographic-parity': 'demographicParity',
  'equal-opportunity': 'equalOpportunity',
  'equalized-odds': 'equalizedOdds',
};

/** Expected counts of rules on each group's rows. */
export function ruleCounts(prep: PreparedGroups, rules: readonly GroupRule[]): Counts[] {
  return rules.map((r, g) => {
    const t = prep.tables[g];
    const c = expectedConfusion(t, r);
    return { n: t.n, P: t.positives, N: t.negatives, tp: c.tp, fp: c.fp };
  });
}

/** Standard deviation, from the coin flips alone, of each group's realised selection rate, TPR and FPR. */
export function coinNoise(y: BinaryLabels, score: Scores, grouping: Grouping, rules: readonly GroupRule[]): CoinNoise[] {
  const G = grouping.groups.length, rg = grouping.rowGroup;
  const v = Array.from({ length: G }, () => ({ all: 0, pos: 0, neg: 0, n: 0, P: 0 }));
  for (let i = 0; i < y.length; i++) {
    const g = rg[i];
    if (g < 0 || !(y[i] === 0 || y[i] === 1) || !Number.isFinite(score[i])) continue;
    const p = acceptance(rules[g], score[i]);
    const q = p * (1 - p);
    const k = v[g];
    k.n++;
    k.all += q;
    if (y[i] === 1) {
      k.P++;
      k.pos += q;
    } else k.neg += q;
  }
  return v.map((k) => ({
    selectionRate: k.n ? Math.sqrt(k.all) / k.n : 0,
    tpr: k.P ? Math.sqrt(k.pos) / k.P : 0,
    fpr: k.n - k.P ? Math.sqrt(k.neg) / (k.n - k.P) : 0,
  }));
}

/**
 * One post-processing strategy: its per-group rules, the group metrics of the predictions they
 * make, overall accuracy and expected value, and the gaps (over the judged groups) before (single
 * threshold) and after. `prepared` and `before` let `compareStrategies` share work.
 */
export function postprocess(
  y: BinaryLabels,
  score: Scores,
  grouping: Grouping,
  strategy: Strategy,
  opts: PostprocessOptions = {},
  prepared?: PreparedGroups,
  before?: GroupMetricsResult,
): StrategyResult {
  const threshold = opts.threshold ?? 0.5;
  const values = opts.values ?? DEFAULT_OUTCOME_VALUES;
  const prep = prepared ?? prepareGroups(y, score, grouping);
  const ctx = solverContext(prep, opts);
  const { rules, unconstrained } = rulesFor(ctx, strategy, threshold);
  const metrics = groupMetrics(y, score, grouping, rules, { seed: opts.seed ?? 1, bootstrap: opts.bootstrap ?? false });
  const base = before ?? groupMetrics(y, score, grouping, threshold, { bootstrap: false });
  // Expected counts read back through the rules, so what is reported is what is applied.
  const expCounts = ruleCounts(prep, rules);
  const realised = overallOf(realisedCounts(metrics), values);
  return {
    strategy,
    targets: TARGETS[strategy],
    rules,
    randomized: rules.some(isRandomized),
    unconstrained,
    judged: ctx.judged,
    metrics,
    accuracy: realised.accuracy,
    value: realised.value,
    expected: { ...overallOf(expCounts, values), gaps: gapsOf(expCounts, ctx.judged) },
    gaps: { before: gapsOf(realisedCounts(base), ctx.judged), after: gapsOf(realisedCounts(metrics), ctx.judged) },
    coinNoise: coinNoise(y, score, grouping, rules),
  };
}

/** Every strategy of `STRATEGIES`, sharing one preparation and one 'before' point. */
export function compareStrategies(y: BinaryLabels, score: Scores, grouping: Grouping, opts: PostprocessOptions = {}): StrategyResult[] {
  const prep = prepareGroups(y, score, grouping);
  const before = groupMetrics(y, score, grouping, opts.threshold ?? 0.5, { bootstrap: false });
  return STRATEGIES.map((s) => postprocess(y, score, grouping, s, opts, prep, before));
}
