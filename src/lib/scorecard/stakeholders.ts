/**
 * Stakeholders of a model choice, each with an objective that can be a hard constraint (a limit) and
 * a weight in a ranking score. Constraints say which models are acceptable; the weighted score orders
 * them. A figure that was not measured makes its constraint "unknown", which is not a pass.
 */

export type StakeholderId = 'ml' | 'product' | 'infra' | 'compliance' | 'explainability' | 'sales';

/** The figure a stakeholder judges, per candidate. */
export type Criterion = 'metric' | 'latency' | 'size' | 'fairness' | 'explainable' | 'value';

export interface Stakeholder {
  id: StakeholderId;
  role: string;
  /** The objective in words ('AUC ≥ limit'). */
  objective: string;
  criterion: Criterion;
  /**
   * `limit`: minimum for higher-is-better criteria, maximum for lower-is-better ones (ms, MB, gap);
   * null for a yes/no requirement (explainability).
   */
  constraint: { enabled: boolean; limit: number | null };
  /** Weight in the ranking score, ≥ 0 (0: not ranked on). */
  weight: number;
}

/** What a criterion's figures look like: which way is better and how a figure is written. */
export const CRITERIA: Record<Criterion, { higherIsBetter: boolean; label: string }> = {
  metric: { higherIsBetter: true, label: 'quality metric' },
  latency: { higherIsBetter: false, label: 'p95 latency (ms, batch 1)' },
  size: { higherIsBetter: false, label: 'model size (MB)' },
  fairness: { higherIsBetter: false, label: 'worst fairness gap' },
  explainable: { higherIsBetter: true, label: 'exact attributions (1 yes, 0 no)' },
  value: { higherIsBetter: true, label: 'expected value per row' },
};

/**
 * The five roles of a model decision (compliance has two objectives). `metricName` and
 * `higherIsBetter` describe the task metric (AUC, accuracy: higher; RMSE: lower).
 */
export function defaultStakeholders(opts: { metricName: string; metricHigherIsBetter: boolean; budgetMs: number }): Stakeholder[] {
  const mlObjective = opts.metricHigherIsBetter ? `${opts.metricName} ≥ limit` : `${opts.metricName} ≤ limit`;
  return [
    { id: 'ml', role: 'ML engineer', objective: mlObjective, criterion: 'metric', constraint: { enabled: false, limit: null }, weight: 2 },
    { id: 'product', role: 'Product manager', objective: 'p95 latency at batch 1 ≤ budget (ms)', criterion: 'latency', constraint: { enabled: true, limit: opts.budgetMs }, weight: 1 },
    { id: 'infra', role: 'Infrastructure', objective: 'model size ≤ limit (MB)', criterion: 'size', constraint: { enabled: false, limit: 10 }, weight: 0.5 },
    { id: 'compliance', role: 'Compliance', objective: 'worst fairness gap ≤ limit', criterion: 'fairness', constraint: { enabled: true, limit: 0.1 }, weight: 1 },
    { id: 'explainability', role: 'Compliance', objective: 'explainability required: exact attributions (linear or trees)', criterion: 'explainable', constraint: { enabled: false, limit: null }, weight: 0 },
    { id: 'sales', role: 'Sales', objective: 'expected value per row ≥ limit', criterion: 'value', constraint: { enabled: false, limit: null }, weight: 1 },
  ];
}

/** A candidate's figure per criterion; null when not computed (not measured, not applicable). */
export type CriterionValues = Record<Criterion, number | null>;

export type Verdict = 'pass' | 'fail' | 'unknown' | 'off';

export interface ConstraintCheck {
  id: StakeholderId;
  verdict: Verdict;
  /** In words: 'p95 latency 3.1 ms > 2 ms', 'p95 latency not measured'. */
  reason: string;
}

export interface CandidateVerdict {
  checks: ConstraintCheck[];
  /** Every enabled constraint passes (an unknown one does not). */
  passes: boolean;
  /** Enabled constraints that fail or are unknown, in words ('Product manager: …'). */
  failed: string[];
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

/**
 * Checks each enabled constraint. Higher-is-better criteria pass when value ≥ limit, lower-is-better
 * when value ≤ limit (a value equal to the limit passes). 'explainable' passes when the value is 1.
 * A null figure is 'unknown'; a constraint with no limit set (and not yes/no) is 'off'.
 */
export function checkConstraints(stakeholders: readonly Stakeholder[], values: CriterionValues): CandidateVerdict {
  const checks = stakeholders.map((s): ConstraintCheck => {
    const c = CRITERIA[s.criterion];
    const v = values[s.criterion];
    if (!s.constraint.enabled) return { id: s.id, verdict: 'off', reason: 'not a constraint' };
    if (s.criterion === 'explainable') {
      if (v === null) return { id: s.id, verdict: 'unknown', reason: 'family not known' };
      return v >= 1 ? { id: s.id, verdict: 'pass', reason: 'exact attributions available' } : { id: s.id, verdict: 'fail', reason: 'no exact attributions (not linear or trees)' };
    }
    const limit = s.constraint.limit;
    if (limit === null || !Number.isFinite(limit)) return { id: s.id, verdict: 'off', reason: 'no limit set' };
    if (v === null || !Number.isFinite(v)) return { id: s.id, verdict: 'unknown', reason: `${c.label} not measured` };
    const ok = c.higherIsBetter ? v >= limit : v <= limit;
    const op = ok ? (c.higherIsBetter ? '≥' : '≤') : c.higherIsBetter ? '<' : '>';
    return { id: s.id, verdict: ok ? 'pass' : 'fail', reason: `${c.label} ${fmt(v)} ${op} ${fmt(limit)}` };
  });
  const failed = checks
    .filter((k) => k.verdict === 'fail' || k.verdict === 'unknown')
    .map((k) => `${stakeholders.find((s) => s.id === k.id)!.role}: ${k.verdict === 'unknown' ? `unknown (${k.reason})` : k.reason}`);
  return { checks, passes: failed.length === 0, failed };
}

export interface WeightedScores {
  /** Per candidate, in [0, 1]; null when no weighted criterion could be scored. */
  scores: (number | null)[];
  /** 1 = best; equal scores share a rank; null with the score. */
  ranks: (number | null)[];
  /** Criteria in the score (weight > 0 and a figure for every candidate). */
  used: Criterion[];
  /** Weighted criteria left out because some candidate lacks the figure. */
  skipped: Criterion[];
}

/**
 * Weighted score: each criterion with weight > 0 is min-max normalised over the candidates so the best
 * gets 1 and the worst 0 (direction aware: for lower-is-better criteria the lowest value gets 1); when
 * every candidate has the same value all get 1. The score is Σ weight × normalised / Σ weight over the
 * criteria used. A criterion is used only when every candidate has a figure for it (a missing figure
 * would otherwise make the scores incomparable); the others are listed in `skipped`. Criteria shared by
 * two stakeholders count once per stakeholder.
 */
export function weightedScores(stakeholders: readonly Stakeholder[], values: readonly CriterionValues[]): WeightedScores {
  const n = values.length;
  const sum = new Float64Array(n);
  let weightSum = 0;
  const used: Criterion[] = [], skipped: Criterion[] = [];
  for (const s of stakeholders) {
    if (!(s.weight > 0)) continue;
    const col = values.map((v) => v[s.criterion]);
    if (n === 0 || col.some((v) => v === null || !Number.isFinite(v))) {
      if (!skipped.includes(s.criterion)) skipped.push(s.criterion);
      continue;
    }
    const xs = col as number[];
    const lo = Math.min(...xs), hi = Math.max(...xs);
    const up = CRITERIA[s.criterion].higherIsBetter;
    for (let i = 0; i < n; i++) sum[i] += s.weight * (hi === lo ? 1 : up ? (xs[i] - lo) / (hi - lo) : (hi - xs[i]) / (hi - lo));
    weightSum += s.weight;
    if (!used.includes(s.criterion)) used.push(s.criterion);
  }
  const scores = Array.from(sum, (v) => (weightSum > 0 ? v / weightSum : null));
  const ranks = scores.map((v) => (v === null ? null : 1 + scores.filter((o) => o !== null && o > v + 1e-12).length));
  return { scores, ranks, used, skipped: skipped.filter((c) => !used.includes(c)) };
}
