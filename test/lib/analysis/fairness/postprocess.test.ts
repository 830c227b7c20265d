import { describe, expect, test } from 'vitest';
import {
  compareStrategies,
  expectedConfusion,
  gainOf,
  hullTprAt,
  mixCounts,
  objectiveWeights,
  partition,
  postprocess,
  prepareGroups,
  rocHull,
  ruleCounts,
  solveBand,
  solverContext,
  tradeoffCurve,
  type Grouping,
} from '../../../../src/lib/analysis/fairness';
import { buildThresholdTable, confusionAt } from '../../../../src/lib/analysis/quality/binary';
import { DEFAULT_OUTCOME_VALUES } from '../../../../src/lib/analysis/quality/cost';
import { createRng } from '../../../../src/lib/analysis/random';
import { cat, table } from './toy';

/** Three groups with different base rates and score quality (scores on a 0.01 grid: many ties). */
function synthetic(n: number, seed: number) {
  const rng = createRng(seed);
  const names = ['u', 'v', 'w'];
  const base = [0.3, 0.5, 0.2], signal = [0.35, 0.2, 0.45];
  const g: string[] = [], y = new Int8Array(n), s = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng() < 0.5 ? 0 : rng() < 0.6 ? 1 : 2;
    g.push(names[k]);
    y[i] = rng() < base[k] ? 1 : 0;
    s[i] = Math.round(Math.min(1, Math.max(0, rng() * (1 - signal[k]) + y[i] * signal[k] + (k === 1 ? 0.1 : 0))) * 100) / 100;
  }
  const grouping: Grouping = partition(table(cat('G', g)), [{ column: 'G' }]);
  return { y, s, grouping };
}

const d = synthetic(3000, 42);
const rate = (c: { tp: number; fp: number }, den: number) => (c.tp + c.fp) / den;

describe('ROC hull', () => {
  test('every ROC point lies on or under the hull, and the hull is concave', () => {
    const prep = prepareGroups(d.y, d.s, d.grouping);
    for (const h of prep.hulls) {
      const t = h.table;
      for (let k = 0; k < t.scores.length; k++) {
        const x = t.fp[k] / t.negatives, tpr = t.tp[k] / t.positives;
        expect(tpr).toBeLessThanOrEqual(hullTprAt(h, x) + 1e-12);
      }
      for (let i = 2; i < h.rank.length; i++) {
        const s1 = (h.tp[i - 1] - h.tp[i - 2]) / (h.fp[i - 1] - h.fp[i - 2]);
        const s2 = (h.tp[i] - h.tp[i - 1]) / (h.fp[i] - h.fp[i - 1]);
        expect(s2).toBeLessThan(s1);
      }
      expect(h.rank[0]).toBe(0);
      expect(h.rank[h.rank.length - 1]).toBe(t.scores.length);
    }
    // A vertical start (the top scores all positive) keeps its top corner.
    const h = rocHull(buildThresholdTable(Int8Array.from([1, 1, 0, 1, 0]), Float64Array.from([0.9, 0.8, 0.5, 0.4, 0.1])));
    expect(Array.from(h.rank)).toEqual([0, 2, 4, 5]);
  });
});

describe('post-processing strategies on synthetic data', () => {
  const results = compareStrategies(d.y, d.s, d.grouping, { seed: 3 });
  const by = Object.fromEntries(results.map((r) => [r.strategy, r]));
  const prep = prepareGroups(d.y, d.s, d.grouping);

  test('single and max-accuracy: deterministic, no coins; max-accuracy beats every constrained strategy', () => {
    expect(by.single.rules.every((r) => r.thresholds.length === 1 && r.thresholds[0] === 0.5)).toBe(true);
    expect(by.single.gaps.after).toEqual(by.single.gaps.before);
    expect(by['max-accuracy'].randomized).toBe(false);
    // Each group's rule is its own accuracy optimum over every threshold.
    prep.tables.forEach((t, g) => {
      let best = 0;
      for (let k = 0; k <= t.scores.length; k++) best = Math.max(best, k === 0 ? t.negatives : t.tp[k - 1] + t.negatives - t.fp[k - 1]);
      const c = confusionAt(t, by['max-accuracy'].rules[g].thresholds[0]);
      expect(c.tp + c.tn).toBe(best);
    });
    const top = by['max-accuracy'].expected.accuracy.value!;
    for (const r of results) expect(r.expected.accuracy.value!).toBeLessThanOrEqual(top + 1e-12);
    expect(by['max-accuracy'].accuracy.value).toBeCloseTo(top, 12);
  });

  test('each constrained strategy meets its constraint: exactly in expectation, within coin noise as realised', () => {
    for (const s of ['demographic-parity', 'equal-opportunity', 'equalized-odds'] as const) {
      const r = by[s];
      expect(r.targets).not.toBeNull();
      expect(r.expected.gaps[r.targets!].value!).toBeLessThan(1e-9);
      // Realised with seeded coins: a few points at most on groups of ~500-1500 rows.
      expect(r.gaps.after[r.targets!].value!).toBeLessThan(0.03);
      expect(r.gaps.before[r.targets!].value!).toBeGreaterThan(0.05);
      expect(r.unconstrained).toEqual([]);
    }
    // Equalized odds implies equal opportunity; both hold in expectation.
    expect(by['equalized-odds'].expected.gaps.equalOpportunity.value!).toBeLessThan(1e-9);
  });

  test('the expected figures are what the rules do: counts re-derived by brute force on the rows', () => {
    const r = by['equalized-odds'];
    const G = d.grouping.groups.length;
    for (let g = 0; g < G; g++) {
      const rule = r.rules[g];
      let tp = 0, fp = 0;
      for (let i = 0; i < d.y.length; i++) {
        if (d.grouping.rowGroup[i] !== g) continue;
        let p = 0;
        rule.thresholds.forEach((t, j) => (p += d.s[i] >= t ? rule.weights[j] : 0));
        if (d.y[i] === 1) tp += p;
        else fp += p;
      }
      const c = expectedConfusion(prep.tables[g], rule);
      expect(c.tp).toBeCloseTo(tp, 9);
      expect(c.fp).toBeCloseTo(fp, 9);
      expect(rule.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(rule.thresholds.length).toBeLessThanOrEqual(4);
    }
  });

  test('demographic parity and equal opportunity are optimal: no common rate on a fine grid does better', () => {
    const w = objectiveWeights('accuracy', DEFAULT_OUTCOME_VALUES);
    const ctx = solverContext(prep);
    for (const [axis, strategy] of [
      ['selection', 'demographic-parity'],
      ['tpr', 'equal-opportunity'],
    ] as const) {
      const { mixes } = solveBand(ctx, axis, 0);
      const got = mixes.reduce((a, m, g) => {
        const c = mixCounts(prep.tables[g], m);
        return a + gainOf(prep.tables[g], c.tp, c.fp, w);
      }, 0);
      expect(got / d.y.length).toBeCloseTo(by[strategy].expected.accuracy.value!, 12);
      // Brute force: a common rate u on a 1/2000 grid, each group at its best point with that rate
      // among mixes of two adjacent thresholds (the ROC curve itself, not the hull).
      let best = -Infinity;
      for (let i = 0; i <= 2000; i++) {
        const u = i / 2000;
        let total = 0;
        for (const t of prep.tables) {
          const D = t.scores.length;
          const coord = (k: number) => (k === 0 ? 0 : axis === 'selection' ? (t.tp[k - 1] + t.fp[k - 1]) / t.n : t.tp[k - 1] / t.positives);
          let k = 0;
          while (k < D && coord(k + 1) < u) k++;
          const k2 = Math.min(D, k + 1);
          const lam = coord(k2) === coord(k) ? 0 : (u - coord(k)) / (coord(k2) - coord(k));
          const tp = (k ? t.tp[k - 1] : 0) * (1 - lam) + (k2 ? t.tp[k2 - 1] : 0) * lam;
          const fp = (k ? t.fp[k - 1] : 0) * (1 - lam) + (k2 ? t.fp[k2 - 1] : 0) * lam;
          total += tp + t.negatives - fp;
        }
        best = Math.max(best, total);
      }
      expect(got).toBeGreaterThanOrEqual(best - 1e-9);
    }
  });

  test('equalized odds is optimal: no common (FPR, TPR) on a fine FPR grid does better', () => {
    const P = prep.tables.reduce((a, t) => a + t.positives, 0), N = prep.tables.reduce((a, t) => a + t.negatives, 0);
    let best = -Infinity;
    for (let i = 0; i <= 4000; i++) {
      const x = i / 4000;
      const tpr = Math.min(...prep.hulls.map((h) => hullTprAt(h, x)));
      best = Math.max(best, (P * tpr + N * (1 - x)) / (P + N));
    }
    expect(by['equalized-odds'].expected.accuracy.value!).toBeGreaterThanOrEqual(best - 1e-12);
  });

  test('value objective: rules maximise expected value instead of accuracy', () => {
    const acc = postprocess(d.y, d.s, d.grouping, 'max-accuracy', { objective: 'accuracy' });
    const val = postprocess(d.y, d.s, d.grouping, 'max-accuracy', { objective: 'value' });
    expect(val.expected.value.value!).toBeGreaterThanOrEqual(acc.expected.value.value!);
    expect(acc.expected.accuracy.value!).toBeGreaterThanOrEqual(val.expected.accuracy.value!);
    // With a missed positive costing 5 and a false alarm 1, thresholds drop.
    val.rules.forEach((r, g) => expect(r.thresholds[0]).toBeLessThanOrEqual(acc.rules[g].thresholds[0]));
    const dp = postprocess(d.y, d.s, d.grouping, 'demographic-parity', { objective: 'value' });
    expect(dp.expected.gaps.demographicParity.value!).toBeLessThan(1e-9);
    expect(() => postprocess(d.y, d.s, d.grouping, 'single', { objective: 'value', values: { tp: 0, fp: 1, tn: 0, fn: 0 } })).toThrow(/correct decision/);
  });

  test('a group with one class only is left out of the TPR constraints and keeps the single threshold', () => {
    const extra = 40;
    const g = [...Array.from(d.grouping.rowGroup, (k) => ['u', 'v', 'w'][k]), ...Array<string>(extra).fill('neg')];
    const yy = new Int8Array(d.y.length + extra); // the new rows are all negatives
    yy.set(d.y);
    const ss = new Float32Array(d.s.length + extra);
    ss.set(d.s);
    for (let i = 0; i < extra; i++) ss[d.s.length + i] = i / extra;
    const grouping = partition(table(cat('G', g)), [{ column: 'G' }]);
    const neg = grouping.groups.findIndex((x) => x.label === 'G=neg');
    for (const strategy of ['equal-opportunity', 'equalized-odds'] as const) {
      const r = postprocess(yy, ss, grouping, strategy, { threshold: 0.4 });
      expect(r.unconstrained).toEqual([neg]);
      expect(r.rules[neg]).toEqual({ thresholds: [0.4], weights: [1] });
      expect(r.expected.gaps[r.targets!].value!).toBeLessThan(1e-9);
      expect(r.metrics.groups[neg].tpr.value).toBeNull();
      expect(r.metrics.groups[neg].selectionRate.value).toBeCloseTo(0.6, 12);
    }
    // Selection rates need no labels of either class: the group is constrained there.
    const dp = postprocess(yy, ss, grouping, 'demographic-parity');
    expect(dp.unconstrained).toEqual([]);
    expect(dp.expected.gaps.demographicParity.value!).toBeLessThan(1e-9);
  });

  test('groups too small to judge keep the single threshold and stay out of the gaps, unless included', () => {
    const g = Array.from(d.grouping.rowGroup, (k, i) => (i < 12 ? 'tiny' : ['u', 'v', 'w'][k]));
    const grouping = partition(table(cat('G', g)), [{ column: 'G' }]);
    const tiny = grouping.groups.findIndex((x) => x.label === 'G=tiny');
    const r = postprocess(d.y, d.s, grouping, 'equalized-odds');
    expect(r.judged[tiny]).toBe(false);
    expect(r.unconstrained).toEqual([tiny]);
    expect(r.rules[tiny]).toEqual({ thresholds: [0.5], weights: [1] });
    expect(r.expected.gaps.equalizedOdds.value!).toBeLessThan(1e-9);
    const all = postprocess(d.y, d.s, grouping, 'equalized-odds', { includeSmall: true });
    expect(all.unconstrained).toEqual([]);
    expect(all.expected.gaps.equalizedOdds.value!).toBeLessThan(1e-9);
    expect(all.coinNoise[tiny].tpr).toBeGreaterThan(r.coinNoise[tiny].tpr);
  });
});

describe('trade-off curve', () => {
  test('accuracy rises with the allowed gap, the gap stays within it, ends match the strategies', () => {
    const prep = prepareGroups(d.y, d.s, d.grouping);
    const results = compareStrategies(d.y, d.s, d.grouping);
    const by = Object.fromEntries(results.map((r) => [r.strategy, r]));
    for (const [constraint, strategy, kind] of [
      ['demographic-parity', 'demographic-parity', 'demographicParity'],
      ['equal-opportunity', 'equal-opportunity', 'equalOpportunity'],
    ] as const) {
      const c = tradeoffCurve(d.y, d.s, d.grouping, constraint, {}, prep);
      expect(c.points.length).toBe(21);
      expect(c.points[0].epsilon).toBe(0);
      expect(c.points[20].epsilon).toBe(c.unconstrainedGap.value);
      for (let i = 0; i < c.points.length; i++) {
        const p = c.points[i];
        expect(p.gap.value!).toBeLessThanOrEqual(p.epsilon + 1e-9);
        if (i > 0) expect(p.accuracy.value!).toBeGreaterThanOrEqual(c.points[i - 1].accuracy.value! - 1e-12);
        // Rules re-read give the same accuracy.
        const counts = ruleCounts(prep, p.rules);
        const right = counts.reduce((a, k) => a + k.tp + k.N - k.fp, 0);
        expect(right / d.y.length).toBeCloseTo(p.accuracy.value!, 9);
      }
      expect(c.points[0].accuracy.value).toBeCloseTo(by[strategy].expected.accuracy.value!, 12);
      expect(c.points[20].accuracy.value).toBeCloseTo(by['max-accuracy'].expected.accuracy.value!, 12);
      expect(c.current.gap.value).toBeCloseTo(by.single.gaps.before[kind].value!, 12);
      expect(c.current.accuracy.value).toBeCloseTo(by.single.accuracy.value!, 12);
      // The model as it is never beats the best rule set allowed its own gap.
      const allowed = c.points.find((p) => p.epsilon >= c.current.gap.value!) ?? c.points[20];
      expect(c.current.accuracy.value!).toBeLessThanOrEqual(allowed.accuracy.value! + 1e-12);
    }
    // Rates of the parity point are equal by construction.
    const dp = tradeoffCurve(d.y, d.s, d.grouping, 'demographic-parity', { steps: 4 }, prep);
    const sel = ruleCounts(prep, dp.points[0].rules).map((k) => rate(k, k.n));
    expect(Math.max(...sel) - Math.min(...sel)).toBeLessThan(1e-9);
    expect(dp.points.length).toBe(5);
  });
});
