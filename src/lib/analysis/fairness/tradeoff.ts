/**
 * What fairness costs: accuracy (and expected value) against the largest allowed gap between groups,
 * from full parity (epsilon = 0) to no constraint (epsilon = the gap of each group's own best
 * threshold), with the single-threshold model marked. Every point is the best rule set for its
 * epsilon (exact, see `solveBand`), in expectation over the coin flips of randomized rules.
 */
import type { BinaryLabels } from '../quality/binary';
import { DEFAULT_OUTCOME_VALUES } from '../quality/cost';
import { unknown, type Metric, type Scores } from '../quality/metric';
import { expectedConfusion, fixedRule, type GroupRule } from './group-metrics';
import type { Grouping } from './groups';
import { gapsOf, mixedCounts, overallOf, prepareGroups, solveBand, solveFree, solverContext, type Counts, type GapKind, type PostprocessOptions, type PreparedGroups } from './postprocess';
import { ruleOfMix } from './roc-hull';

/** Constraints the curve can relax: equal selection rates or equal true positive rates. */
export type TradeoffConstraint = 'demographic-parity' | 'equal-opportunity';

export interface TradeoffPoint {
  /** Largest gap allowed (a fraction). */
  epsilon: number;
  /** Expected accuracy over all grouped rows. */
  accuracy: Metric;
  /** Expected value per row (cost matrix). */
  value: Metric;
  /** Gap achieved (<= epsilon up to rounding). */
  gap: Metric;
  /** Rule per group. */
  rules: GroupRule[];
}

export interface TradeoffCurve {
  constraint: TradeoffConstraint;
  /** Epsilon ascending, from 0 to `unconstrainedGap`. */
  points: TradeoffPoint[];
  /** The model as it is: one threshold for all. */
  current: { threshold: number; accuracy: Metric; value: Metric; gap: Metric };
  /** Gap when every judged group takes its own best threshold (the 'max-accuracy' strategy). */
  unconstrainedGap: Metric;
}

/** Groups too small to judge keep the single threshold and are left out of the gap unless `includeSmall`. */
export interface TradeoffOptions extends Omit<PostprocessOptions, 'seed' | 'bootstrap'> {
  /** Steps between epsilon 0 and the unconstrained gap; default 20 (21 points). */
  steps?: number;
}

const KIND: Record<TradeoffConstraint, GapKind> = { 'demographic-parity': 'demographicParity', 'equal-opportunity': 'equalOpportunity' };

/**
 * Accuracy vs the gap of `constraint` across constraint strength: `steps + 1` points with epsilon
 * evenly from 0 to the unconstrained gap (one point when that gap is 0 or undefined).
 */
export function tradeoffCurve(
  y: BinaryLabels,
  score: Scores,
  grouping: Grouping,
  constraint: TradeoffConstraint,
  opts: TradeoffOptions = {},
  prepared?: PreparedGroups,
): TradeoffCurve {
  const threshold = opts.threshold ?? 0.5;
  const values = opts.values ?? DEFAULT_OUTCOME_VALUES;
  const prep = prepared ?? prepareGroups(y, score, grouping);
  const ctx = solverContext(prep, opts);
  const kind = KIND[constraint];
  const axis = constraint === 'demographic-parity' ? 'selection' : 'tpr';
  const steps = Math.max(1, Math.floor(opts.steps ?? 20));

  const currentCounts: Counts[] = prep.tables.map((t) => {
    const c = expectedConfusion(t, fixedRule(threshold));
    return { n: t.n, P: t.positives, N: t.negatives, tp: c.tp, fp: c.fp };
  });
  const current = { threshold, ...overallOf(currentCounts, values), gap: gapsOf(currentCounts, ctx.judged)[kind] };

  const unconstrainedGap = gapsOf(mixedCounts(prep, solveFree(ctx)), ctx.judged)[kind];
  const top = unconstrainedGap.value ?? 0;
  const points: TradeoffPoint[] = [];
  for (let i = 0; i <= (top > 0 ? steps : 0); i++) {
    // The last step is the unconstrained gap itself, not a rounded multiple of it.
    const epsilon = i === steps ? top : (top * i) / steps;
    const { mixes, unconstrained } = solveBand(ctx, axis, epsilon);
    const left = new Set(unconstrained);
    const counts = mixedCounts(prep, mixes);
    points.push({
      epsilon,
      ...overallOf(counts, values),
      gap: unconstrainedGap.value === null ? unknown(unconstrainedGap.reason) : gapsOf(counts, ctx.judged)[kind],
      rules: mixes.map((m, g) => (left.has(g) ? fixedRule(threshold) : ruleOfMix(prep.tables[g], m))),
    });
  }
  return { constraint, points, current, unconstrainedGap };
}
