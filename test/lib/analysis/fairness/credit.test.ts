/**
 * Fairness on a real scoring run: static/samples/credit.csv scored by credit-gbt.onnx with
 * onnxruntime-web in Node through the app's own lib path, positive class 'Bad', sensitive columns
 * Sex, ForeignWorker and Age (quartiles), and intersections.
 */
import { describe, expect, test } from 'vitest';
import {
  compareStrategies,
  disparities,
  groupMetrics,
  groupRows,
  partition,
  proxyScan,
  STRATEGIES,
  tradeoffCurve,
  type Grouping,
  type StrategyResult,
} from '../../../../src/lib/analysis/fairness';
import { binaryLabels } from '../../../../src/lib/analysis/quality/binary';
import { hasSample, scoreSample } from '../quality/score-sample';

const has = hasSample('credit.csv', 'credit-gbt.onnx');

async function scoreCredit() {
  const s = await scoreSample('credit-gbt.onnx', 'credit.csv', 'Bad');
  return { ...s, y: binaryLabels(s.rows.actual, s.mapping.positiveClass), score: s.rows.score };
}

/** Largest coin-noise standard deviation, over the judged groups, of the rates a strategy equalises. */
function maxCoinSd(r: StrategyResult): number {
  const keys = r.targets === 'demographicParity' ? (['selectionRate'] as const) : r.targets === 'equalOpportunity' ? (['tpr'] as const) : (['tpr', 'fpr'] as const);
  return Math.max(0, ...r.coinNoise.flatMap((c, g) => (r.judged[g] ? keys.map((k) => c[k]) : [])));
}

describe.skipIf(!has)('fairness of credit-gbt on credit.csv', async () => {
  const d = has ? await scoreCredit() : null!;
  const age = { column: 'Age', binning: { kind: 'quantiles' as const, k: 4 } };
  const [sex, foreign, ageQ, sexByAge] = (
    has ? [...groupRows(d.table, [{ column: 'Sex' }, { column: 'ForeignWorker' }, age]), partition(d.table, [{ column: 'Sex' }, age])] : []
  ) as [Grouping, Grouping, Grouping, Grouping];

  test('groups: Sex, ForeignWorker, Age quartiles and Sex × Age partition the 1000 rows', () => {
    expect(d.mapping.classes[d.mapping.positiveClass]).toBe('Bad');
    expect(sex.groups.map((g) => `${g.label}:${g.size}`)).toEqual(['Sex=female:310', 'Sex=male:690']);
    expect(foreign.groups.map((g) => `${g.label}:${g.size}`)).toEqual(['ForeignWorker=no:37', 'ForeignWorker=yes:963']);
    expect(ageQ.groups.map((g) => g.label)).toEqual(['Age∈[19, 27)', 'Age∈[27, 33)', 'Age∈[33, 42)', 'Age∈[42, 75]']);
    expect(sexByAge.groups.length).toBe(8);
    for (const p of [sex, foreign, ageQ, sexByAge]) expect(p.groups.reduce((a, g) => a + g.size, 0)).toBe(1000);
  });

  test('group metrics equal a direct recount; AUC equals a pair count', () => {
    const gm = groupMetrics(d.y, d.score, sex, 0.5);
    sex.groups.forEach((_, g) => {
      const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
      let num = 0, pairs = 0, sum = 0;
      const rows = [...Array(1000).keys()].filter((i) => sex.rowGroup[i] === g);
      for (const i of rows) {
        const p = d.score[i] >= 0.5;
        if (d.y[i] === 1) p ? c.tp++ : c.fn++;
        else p ? c.fp++ : c.tn++;
        sum += d.score[i];
        if (d.y[i] !== 1) continue;
        for (const j of rows) {
          if (d.y[j] !== 0) continue;
          pairs++;
          num += d.score[i] > d.score[j] ? 1 : d.score[i] === d.score[j] ? 0.5 : 0;
        }
      }
      const r = gm.groups[g];
      expect(r.confusion).toEqual(c);
      expect(r.auc.value).toBeCloseTo(num / pairs, 12);
      expect(r.tpr.value).toBeCloseTo(c.tp / (c.tp + c.fn), 12);
      expect(r.fpr.value).toBeCloseTo(c.fp / (c.fp + c.tn), 12);
      expect(r.calibrationGap.value).toBeCloseTo(sum / rows.length - (c.tp + c.fn) / rows.length, 6);
      for (const key of ['selectionRate', 'tpr', 'fpr', 'precision', 'accuracy', 'auc'] as const) {
        const iv = r.intervals[key];
        expect(iv.lo!).toBeLessThanOrEqual(r[key].value!);
        expect(iv.hi!).toBeGreaterThanOrEqual(r[key].value!);
      }
    });
  });

  test('disparities: Sex gaps against the largest group (male) match the group rates', () => {
    const gm = groupMetrics(d.y, d.score, sex, 0.5);
    const m = disparities(gm, { favorable: 'negative' }).measures;
    const [f, male] = gm.groups;
    expect(m.demographicParityDifference.reference).toEqual([1]);
    expect(m.demographicParityDifference.perGroup[0].value.value).toBeCloseTo(f.selectionRate.value! - male.selectionRate.value!, 12);
    expect(m.demographicParityRatio.perGroup[0].value.value).toBeCloseTo((1 - f.selectionRate.value!) / (1 - male.selectionRate.value!), 12);
    expect(m.equalizedOddsDifference.perGroup[0].value.value).toBeCloseTo(
      Math.max(Math.abs(f.tpr.value! - male.tpr.value!), Math.abs(f.fpr.value! - male.fpr.value!)),
      12,
    );
    expect(m.equalOpportunityDifference.worst.group).toBe(0);
    const iv = m.demographicParityDifference.perGroup[0].interval;
    expect(iv.lo!).toBeLessThan(m.demographicParityDifference.perGroup[0].value.value!);
    expect(iv.hi!).toBeGreaterThan(m.demographicParityDifference.perGroup[0].value.value!);
  });

  test('every strategy meets its constraint: < 1e-9 in expectation, within 3·√2 coin-noise SDs as realised', () => {
    for (const grouping of [sex, foreign, ageQ, sexByAge]) {
      const results = compareStrategies(d.y, d.score, grouping, { seed: 1 });
      expect(results.map((r) => r.strategy)).toEqual([...STRATEGIES]);
      const top = results[1].expected.accuracy.value!;
      for (const r of results) {
        expect(r.expected.accuracy.value!).toBeLessThanOrEqual(top + 1e-12);
        if (!r.targets) continue;
        expect(r.expected.gaps[r.targets].value!).toBeLessThan(1e-9);
        // Realised: the coins of the randomized rows move each group's rate by ~1 SD; a gap is a difference of two.
        expect(r.gaps.after[r.targets].value!).toBeLessThanOrEqual(3 * Math.SQRT2 * maxCoinSd(r) + 1e-9);
        expect(r.unconstrained).toEqual([]);
      }
    }
  });

  test('trade-off: parity costs accuracy; the unconstrained end is max-accuracy; the model sits below the curve', () => {
    const results = compareStrategies(d.y, d.score, ageQ);
    for (const [constraint, i] of [
      ['demographic-parity', 2],
      ['equal-opportunity', 3],
    ] as const) {
      const c = tradeoffCurve(d.y, d.score, ageQ, constraint);
      expect(c.points[0].accuracy.value).toBeCloseTo(results[i].expected.accuracy.value!, 12);
      expect(c.points[c.points.length - 1].accuracy.value).toBeCloseTo(results[1].expected.accuracy.value!, 12);
      expect(c.points[0].accuracy.value!).toBeLessThan(c.points[c.points.length - 1].accuracy.value!);
      for (const p of c.points) expect(p.gap.value!).toBeLessThanOrEqual(p.epsilon + 1e-9);
      expect(c.current.accuracy.value).toBeCloseTo(results[0].accuracy.value!, 12);
      expect(c.current.accuracy.value!).toBeLessThan(c.points[0].accuracy.value!);
    }
  });

  test('proxies: the model reads Sex, and MaritalStatus encodes it completely', () => {
    expect(d.features).toContain('Sex');
    const r = proxyScan(d.table, sex, { consumed: d.features, exclude: [d.mapping.target!] });
    expect(r.consumesSensitive).toBe(true);
    expect(r.features.map((f) => f.column)).not.toContain('Class');
    const top = r.features[0];
    expect(top.column).toBe('MaritalStatus');
    expect(top.normalized.value).toBeCloseTo(1, 12);
    expect(top.probeAccuracy).toBe(1);
    expect(top.majorityRate).toBeCloseTo(0.69, 12);
    // Everything else carries far less, but Age more than chance.
    const ageF = r.features.find((f) => f.column === 'Age')!;
    expect(ageF.mutualInformation).toBeGreaterThan(3 * ageF.chanceMI);
    expect(r.features[1].normalized.value!).toBeLessThan(0.2);
  });

  test('timing: stratified bootstrap of 1000 rows × 4 groups, 200 resamples', () => {
    groupMetrics(d.y, d.score, ageQ, 0.5);
    const t0 = performance.now();
    for (let k = 0; k < 5; k++) groupMetrics(d.y, d.score, ageQ, 0.5);
    const ms = (performance.now() - t0) / 5;
    console.log(`stratified bootstrap, 1000 rows x 4 groups x 200 resamples: ${ms.toFixed(1)} ms`);
    const r = groupMetrics(d.y, d.score, ageQ, 0.5);
    expect(r.groups.length).toBe(ageQ.groups.length);
  });
});
