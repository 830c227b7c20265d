import { describe, expect, test } from 'vitest';
import { checkConstraints, defaultStakeholders, weightedScores, type CriterionValues, type Stakeholder } from '../../../src/lib/scorecard/stakeholders';

const vals = (v: Partial<CriterionValues>): CriterionValues => ({ metric: null, latency: null, size: null, fairness: null, explainable: null, value: null, ...v });

function people(patch: Record<string, Partial<Stakeholder>> = {}): Stakeholder[] {
  return defaultStakeholders({ metricName: 'AUC', metricHigherIsBetter: true, budgetMs: 2 }).map((s) => ({
    ...s,
    weight: 0,
    constraint: { ...s.constraint, enabled: false },
    ...patch[s.id],
  }));
}

describe('checkConstraints', () => {
  test('direction aware, limit inclusive', () => {
    const s = people({
      ml: { constraint: { enabled: true, limit: 0.8 } },
      product: { constraint: { enabled: true, limit: 2 } },
    });
    expect(checkConstraints(s, vals({ metric: 0.8, latency: 2 })).passes).toBe(true);
    const v = checkConstraints(s, vals({ metric: 0.79, latency: 2.5 }));
    expect(v.passes).toBe(false);
    expect(v.checks.find((c) => c.id === 'ml')!.verdict).toBe('fail');
    expect(v.checks.find((c) => c.id === 'product')!.verdict).toBe('fail');
    expect(v.failed).toHaveLength(2);
    expect(v.failed[1]).toMatch(/^Product manager: .*2\.50 > 2\.00/);
  });

  test('a missing figure is unknown, listed, and not a pass', () => {
    const s = people({ product: { constraint: { enabled: true, limit: 5 } } });
    const v = checkConstraints(s, vals({ metric: 0.9 }));
    expect(v.checks.find((c) => c.id === 'product')!.verdict).toBe('unknown');
    expect(v.passes).toBe(false);
    expect(v.failed[0]).toMatch(/unknown/);
  });

  test('disabled constraints and constraints without a limit are off', () => {
    const s = people({ sales: { constraint: { enabled: true, limit: null } } });
    const v = checkConstraints(s, vals({}));
    expect(v.passes).toBe(true);
    expect(v.checks.every((c) => c.verdict === 'off')).toBe(true);
  });

  test('explainability is yes/no', () => {
    const s = people({ explainability: { constraint: { enabled: true, limit: null } } });
    expect(checkConstraints(s, vals({ explainable: 1 })).passes).toBe(true);
    expect(checkConstraints(s, vals({ explainable: 0 })).passes).toBe(false);
    expect(checkConstraints(s, vals({})).checks.find((c) => c.id === 'explainability')!.verdict).toBe('unknown');
  });
});

describe('weightedScores', () => {
  test('hand-worked min-max with direction', () => {
    // metric (w 2): .70 .80 .90 → 0, .5, 1; latency (w 1, lower better): 1 3 5 → 1, .5, 0.
    // scores: (2·0 + 1)/3 = 1/3, (1 + .5)/3 = .5, (2 + 0)/3 = 2/3.
    const s = people({ ml: { weight: 2 }, product: { weight: 1 } });
    const w = weightedScores(s, [vals({ metric: 0.7, latency: 1 }), vals({ metric: 0.8, latency: 3 }), vals({ metric: 0.9, latency: 5 })]);
    expect(w.scores[0]).toBeCloseTo(1 / 3, 12);
    expect(w.scores[1]).toBeCloseTo(0.5, 12);
    expect(w.scores[2]).toBeCloseTo(2 / 3, 12);
    expect(w.ranks).toEqual([3, 2, 1]);
    expect(w.used).toEqual(['metric', 'latency']);
  });

  test('ties share a rank; a constant criterion gives everyone 1', () => {
    const s = people({ ml: { weight: 1 }, infra: { weight: 1 } });
    const w = weightedScores(s, [vals({ metric: 0.8, size: 1 }), vals({ metric: 0.8, size: 1 }), vals({ metric: 0.6, size: 1 })]);
    expect(w.scores).toEqual([1, 1, 0.5]);
    expect(w.ranks).toEqual([1, 1, 3]);
  });

  test('a criterion missing for any candidate is skipped for all', () => {
    const s = people({ ml: { weight: 1 }, product: { weight: 5 } });
    const w = weightedScores(s, [vals({ metric: 0.9, latency: 1 }), vals({ metric: 0.7, latency: null })]);
    expect(w.skipped).toEqual(['latency']);
    expect(w.used).toEqual(['metric']);
    expect(w.scores).toEqual([1, 0]);
  });

  test('no weighted criterion with figures: null scores and ranks', () => {
    const w = weightedScores(people({ product: { weight: 1 } }), [vals({}), vals({})]);
    expect(w.scores).toEqual([null, null]);
    expect(w.ranks).toEqual([null, null]);
  });

  test('for RMSE the ML engineer objective reads ≤', () => {
    const s = defaultStakeholders({ metricName: 'RMSE', metricHigherIsBetter: false, budgetMs: 50 });
    expect(s.find((x) => x.id === 'ml')!.objective).toBe('RMSE ≤ limit');
    expect(s.find((x) => x.id === 'product')!.constraint.limit).toBe(50);
  });
});
