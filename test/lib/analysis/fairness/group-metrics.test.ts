import { describe, expect, test } from 'vitest';
import {
  acceptance,
  bootstrapGroups,
  decide,
  disparities,
  expectedConfusion,
  groupMetrics,
  groupTables,
  partition,
  type Grouping,
} from '../../../../src/lib/analysis/fairness';
import { buildThresholdTable, confusionAt, metricsAt } from '../../../../src/lib/analysis/quality/binary';
import { createRng } from '../../../../src/lib/analysis/random';
import { cat, table } from './toy';

// Group a: 5 counted rows (+1 unlabelled); b: 3; c: negatives only; one row without a group value.
const G = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', '', 'b'];
const y = Int8Array.from([1, 1, 0, 0, 0, -1, 1, 0, 0, 0, 0, 1, 1]);
const s = Float32Array.from([0.9, 0.4, 0.6, 0.2, 0.1, 0.99, 0.7, 0.8, 0.3, 0.6, 0.1, 0.9, NaN]);
const toy = table(cat('G', G));
const grouping = (minSize = 2): Grouping => partition(toy, [{ column: 'G' }], { minSize, missing: 'exclude' });

describe('group metrics', () => {
  const gm = groupMetrics(y, s, grouping(), 0.5, { bootstrap: { resamples: 50 } });
  const [a, b, c] = gm.groups;

  test('hand-computed rates of a two-class group', () => {
    expect(a.label).toBe('G=a');
    expect([a.rows, a.n, a.positives, a.negatives]).toEqual([6, 5, 2, 3]);
    expect(a.confusion).toEqual({ tp: 1, fn: 1, fp: 1, tn: 2 });
    expect(a.baseRate.value).toBeCloseTo(0.4, 12);
    expect(a.selectionRate.value).toBeCloseTo(0.4, 12);
    expect(a.tpr.value).toBeCloseTo(0.5, 12);
    expect(a.fpr.value).toBeCloseTo(1 / 3, 12);
    expect(a.fnr.value).toBeCloseTo(0.5, 12);
    expect(a.precision.value).toBeCloseTo(0.5, 12);
    expect(a.accuracy.value).toBeCloseTo(0.6, 12);
    expect(a.auc.value).toBeCloseTo(5 / 6, 12);
    expect(a.meanScore.value).toBeCloseTo(0.44, 6);
    expect(a.calibrationGap.value).toBeCloseTo(0.04, 6);
    expect(a.warning).toBeNull();

    expect(b.confusion).toEqual({ tp: 1, fn: 0, fp: 1, tn: 1 });
    expect(b.rows).toBe(4); // the NaN-scored row is in the group but not counted
    expect(b.selectionRate.value).toBeCloseTo(2 / 3, 12);
    expect(b.tpr.value).toBe(1);
    expect(b.fpr.value).toBeCloseTo(0.5, 12);
    expect(b.auc.value).toBeCloseTo(0.5, 12);
    expect(b.calibrationGap.value).toBeCloseTo(0.6 - 1 / 3, 6);
  });

  test('a group with one class only: rates that need positives are null with a reason, never NaN', () => {
    expect(c.n).toBe(2);
    expect(c.tpr).toEqual({ value: null, reason: 'no positive rows' });
    expect(c.fnr.value).toBeNull();
    expect(c.auc).toEqual({ value: null, reason: 'only one class in the labels' });
    expect(c.fpr.value).toBeCloseTo(0.5, 12);
    expect(c.precision.value).toBe(0);
    expect(c.warning).toBe('only one class in the labels');
    expect(c.intervals.tpr.lo).toBeNull();
    expect(c.intervals.tpr.reason).toMatch(/no positive rows/);
    expect(c.intervals.fpr.lo).not.toBeNull();
    for (const g of gm.groups) for (const v of Object.values(g)) if (v && typeof v === 'object' && 'value' in v) expect(Number.isNaN(v.value)).toBe(false);
  });

  test('overall figures count every grouped row; small groups are flagged with a warning', () => {
    expect(gm.overall.n).toBe(10);
    expect(gm.overall.confusion).toEqual({ tp: 2, fn: 1, fp: 3, tn: 4 });
    const small = groupMetrics(y, s, grouping(4), 0.5, { bootstrap: false });
    expect(small.groups.map((g) => g.tooSmall)).toEqual([false, true, true]);
    expect(small.groups[1].warning).toBe('only 3 rows with a label: too few to judge (fewer than 4)');
    expect(small.groups[0].intervals.accuracy.reason).toBe('not bootstrapped');
  });

  test('per-group thresholds and randomized rules', () => {
    const per = groupMetrics(y, s, grouping(), [0.95, 0.75, 0.0], { bootstrap: false });
    expect(per.groups.map((g) => g.confusion)).toEqual([
      { tp: 0, fn: 2, fp: 0, tn: 3 },
      { tp: 0, fn: 1, fp: 1, tn: 1 },
      { tp: 0, fn: 0, fp: 2, tn: 0 },
    ]);
    const rule = { thresholds: [0.5, 0.2], weights: [0.25, 0.75] };
    expect(acceptance(rule, 0.6)).toBe(1);
    expect(acceptance(rule, 0.3)).toBe(0.75);
    expect(acceptance(rule, 0.1)).toBe(0);
    // Coins: about 75 % of 20 000 rows between the thresholds are accepted, the same under the same seed.
    const n = 20000;
    const sc = new Float32Array(n).fill(0.3), rg = new Int32Array(n);
    const d1 = decide(sc, rg, [rule], 7);
    const share = d1.reduce((acc, v) => acc + v, 0) / n;
    expect(Math.abs(share - 0.75)).toBeLessThan(0.015);
    expect(decide(sc, rg, [rule], 7)).toEqual(d1);
    expect(decide(sc, rg, [rule], 8)).not.toEqual(d1);
    expect(() => groupMetrics(y, s, grouping(), [0.5, 0.5])).toThrow('No threshold for group 2.');
    // Expected counts are the weighted mix of the two thresholds' counts.
    const tab = groupTables(y, s, grouping())[0];
    const e = expectedConfusion(tab, rule);
    const c5 = confusionAt(tab, 0.5), c2 = confusionAt(tab, 0.2);
    expect(e.tp).toBeCloseTo(0.25 * c5.tp + 0.75 * c2.tp, 12);
    expect(e.fp).toBeCloseTo(0.25 * c5.fp + 0.75 * c2.fp, 12);
  });
});

describe('stratified bootstrap', () => {
  test('one resample equals the metrics recomputed on rows drawn within each group', () => {
    const n = 400;
    const rng = createRng(3);
    const groups = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 'small' : rng() < 0.6 ? 'x' : 'y'));
    const yy = Int8Array.from({ length: n }, () => (rng() < 0.35 ? 1 : 0));
    const ss = Float64Array.from(yy, (v) => Math.round((rng() * 0.7 + v * 0.3) * 40) / 40);
    const g = partition(table(cat('G', groups)), [{ column: 'G' }]);
    const pred = Uint8Array.from(ss, (v) => (v >= 0.5 ? 1 : 0));
    const boot = bootstrapGroups(yy, ss, g, pred, { resamples: 1, seed: 5 });
    // Replay the draws: per group (in group order), m draws over its rows sorted by descending score.
    const draw = createRng(5);
    g.groups.forEach((_, k) => {
      const rows = Array.from({ length: n }, (_, i) => i)
        .filter((i) => g.rowGroup[i] === k)
        .sort((p, q) => ss[q] - ss[p] || p - q);
      const picked = rows.map(() => rows[Math.floor(draw() * rows.length)]);
      const t = buildThresholdTable(Int8Array.from(picked, (i) => yy[i]), Float64Array.from(picked, (i) => ss[i]));
      const m = metricsAt(t, 0.5);
      const G = g.groups.length;
      expect(boot.samples.accuracy[k]).toBeCloseTo(m.accuracy.value!, 12);
      expect(boot.samples.selectionRate[k]).toBeCloseTo(m.selectionRate.value!, 12);
      expect(boot.samples.tpr[k]).toBeCloseTo(m.recall.value!, 12);
      expect(boot.samples.precision[k]).toBeCloseTo(m.precision.value!, 12);
      const auc = groupMetrics(Int8Array.from(picked, (i) => yy[i]), Float64Array.from(picked, (i) => ss[i]), partition(table(cat('G', picked.map(() => 'z'))), [{ column: 'G' }]), 0.5, { bootstrap: false }).groups[0].auc;
      expect(boot.samples.auc[k]).toBeCloseTo(auc.value!, 12);
      expect(G).toBe(3);
    });
  });

  test('never drops a group: a 3-row group is in every resample, and its intervals exist', () => {
    const n = 1003;
    const rng = createRng(9);
    const groups = Array.from({ length: n }, (_, i) => (i < 3 ? 'tiny' : 'big'));
    const yy = Int8Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i < 3 ? 0 : rng() < 0.3 ? 1 : 0));
    const ss = Float64Array.from({ length: n }, () => rng());
    const g = partition(table(cat('G', groups)), [{ column: 'G' }], { minSize: 30 });
    const gm = groupMetrics(yy, ss, g, 0.5, { bootstrap: { resamples: 300, seed: 2 } });
    const tiny = gm.groups.find((x) => x.label === 'G=tiny')!;
    expect(tiny.tooSmall).toBe(true);
    // Base rate is defined whenever the group has rows in the resample: every time.
    expect(tiny.intervals.baseRate.resamples).toBe(300);
    expect(tiny.intervals.selectionRate.resamples).toBe(300);
    expect(tiny.intervals.baseRate.lo).toBe(0);
    // 1 positive in 3 rows: a resample has 0 to 3 positives (all three 1/27 of the time, above the 2.5 % tail).
    expect(tiny.intervals.baseRate.hi).toBe(1);
    // Same seed, same intervals.
    const again = groupMetrics(yy, ss, g, 0.5, { bootstrap: { resamples: 300, seed: 2 } });
    expect(again.groups[0].intervals).toEqual(gm.groups[0].intervals);
    const big = gm.groups.find((x) => x.label === 'G=big')!;
    expect(big.intervals.accuracy.lo!).toBeLessThan(big.accuracy.value!);
    expect(big.intervals.accuracy.hi!).toBeGreaterThan(big.accuracy.value!);
  });
});

describe('disparities', () => {
  const gm = groupMetrics(y, s, grouping(), 0.5, { bootstrap: { resamples: 100 } });

  test('against the largest group: hand-computed gaps, the four-fifths flag, reasons', () => {
    const d = disparities(gm);
    const m = d.measures;
    expect(m.demographicParityDifference.reference).toEqual([0]);
    const dp = m.demographicParityDifference.perGroup;
    expect(dp[0].value.value).toBe(0);
    expect(dp[0].interval.reason).toBe('the reference group');
    expect(dp[1].value.value).toBeCloseTo(2 / 3 - 0.4, 12);
    expect(dp[2].value.value).toBeCloseTo(0.1, 12);
    const ratio = m.demographicParityRatio.perGroup;
    expect(ratio[1].value.value).toBeCloseTo(2 / 3 / 0.4, 12);
    expect(ratio[1].flagged).toBe(true); // 0.4 is 60 % of 2/3
    expect(ratio[2].value.value).toBeCloseTo(1.25, 12);
    expect(ratio[2].flagged).toBe(false); // exactly four fifths
    expect(m.equalOpportunityDifference.perGroup[1].value.value).toBeCloseTo(0.5, 12);
    expect(m.equalOpportunityDifference.perGroup[2].value).toEqual({ value: null, reason: 'tpr undefined for this group (no positive rows)' });
    expect(m.equalizedOddsDifference.perGroup[1].value.value).toBeCloseTo(0.5, 12);
    expect(m.predictiveParityDifference.perGroup[1].value.value).toBeCloseTo(0, 12);
    expect(m.predictiveParityDifference.perGroup[2].value.value).toBeCloseTo(-0.5, 12);
    expect(m.calibrationGapDifference.perGroup[1].value.value).toBeCloseTo(0.6 - 1 / 3 - 0.04, 6);
    // Worst gaps over the other groups.
    expect(m.demographicParityDifference.worst.group).toBe(1);
    expect(m.demographicParityDifference.worst.value.value).toBeCloseTo(2 / 3 - 0.4, 12);
    expect(m.demographicParityRatio.worst.value.value).toBeCloseTo(0.6, 12);
    expect(m.demographicParityRatio.worst.flagged).toBe(true);
    expect(m.predictiveParityDifference.worst.group).toBe(2);
    expect(m.predictiveParityDifference.worst.value.value).toBeCloseTo(0.5, 12);
    // Intervals come from the same resamples as the group metrics.
    const iv = dp[1].interval;
    expect(iv.lo).not.toBeNull();
    expect(iv.lo!).toBeLessThanOrEqual(iv.hi!);
  });

  test("against the best group per metric, and with 'negative' as the favourable prediction", () => {
    const d = disparities(gm, { reference: 'best' });
    expect(d.measures.demographicParityDifference.reference).toEqual([1]); // highest selection rate
    expect(d.measures.equalOpportunityDifference.reference).toEqual([1]); // TPR 1
    expect(d.measures.equalizedOddsDifference.reference).toEqual([1, 0]); // best TPR, lowest FPR
    expect(d.measures.equalizedOddsDifference.perGroup[1].value.value).toBeCloseTo(0.5 - 1 / 3, 12);
    expect(d.measures.calibrationGapDifference.reference).toEqual([0]); // |0.04| smallest
    const neg = disparities(gm, { reference: 'best', favorable: 'negative' });
    expect(neg.measures.demographicParityRatio.reference).toEqual([0]); // 60 % not selected
    expect(neg.measures.demographicParityRatio.perGroup[1].value.value).toBeCloseTo(1 / 3 / 0.6, 12);
    expect(disparities(gm, { reference: 2 }).measures.equalOpportunityDifference.perGroup[0].value.reason).toMatch(/reference group/);
  });

  test('groups too small to judge are left out of the worst gap unless asked', () => {
    const g4 = groupMetrics(y, s, grouping(4), 0.5, { bootstrap: false });
    const d = disparities(g4);
    expect(d.measures.demographicParityDifference.worst.value).toEqual({ value: null, reason: 'no other group with a value is large enough to judge' });
    const all = disparities(g4, { includeSmall: true });
    expect(all.measures.demographicParityDifference.worst.group).toBe(1);
    expect(all.measures.demographicParityDifference.worst.interval.reason).toBe('not bootstrapped');
  });
});

describe('stratified bootstrap with a row cap', () => {
  const n = 6000;
  const rng = createRng(21);
  const groups = Array.from({ length: n }, (_, i) => (i % 100 === 0 ? 'rare' : rng() < 0.5 ? 'x' : 'y'));
  const yy = Int8Array.from({ length: n }, () => (rng() < 0.4 ? 1 : 0));
  const ss = Float64Array.from(yy, (v) => Math.min(1, Math.max(0, rng() * 0.6 + v * 0.3)));
  const g = partition(table(cat('G', groups)), [{ column: 'G' }], { minSize: 10 });
  const opts = { resamples: 200, seed: 4 };
  const full = groupMetrics(yy, ss, g, 0.5, { bootstrap: opts });

  test('a cap at or above the rows changes nothing', () => {
    const same = groupMetrics(yy, ss, g, 0.5, { bootstrap: { ...opts, maxRows: n } });
    expect(same.groups.map((x) => x.intervals)).toEqual(full.groups.map((x) => x.intervals));
    expect(same.bootstrap!.rows).toBe(n);
  });

  test('a cap draws from that many rows (each group at least 50), and the intervals widen around the same figures', () => {
    const capped = groupMetrics(yy, ss, g, 0.5, { bootstrap: { ...opts, maxRows: 1200 } });
    // x and y: about 2970 rows each → ceil(2970 × 1200 / 6000) = 594; rare: 60 rows → ceil(12) < 50 → 50.
    const sizes = g.groups.map((grp) => Math.max(Math.ceil((grp.size * 1200) / n), Math.min(grp.size, 50)));
    expect(capped.bootstrap!.rows).toBe(sizes.reduce((a, b) => a + b, 0));
    // The figures themselves are counted on every row; only the intervals come from the sample.
    expect(capped.groups.map((x) => x.accuracy)).toEqual(full.groups.map((x) => x.accuracy));
    for (const [k, grp] of capped.groups.entries()) {
      if (grp.label === 'G=rare') continue;
      const wide = grp.intervals.accuracy, narrow = full.groups[k].intervals.accuracy;
      // About sqrt(5) wider for a fifth of the rows; at least 1.5 times here.
      expect(wide.hi! - wide.lo!).toBeGreaterThan(1.5 * (narrow.hi! - narrow.lo!));
      expect(wide.lo!).toBeLessThan(grp.accuracy.value!);
      expect(wide.hi!).toBeGreaterThan(grp.accuracy.value!);
    }
  });
});
