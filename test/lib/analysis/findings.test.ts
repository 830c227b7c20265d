/**
 * The Overview's automatic findings: every rule on constructed figures (fires at its limit, quiet just
 * on the other side, 'not-checked' with what to run when its inputs are missing), then the rules on a
 * real scoring run of credit-gbt on credit.csv (and the drifted credit-current.csv) through the same
 * lib functions the views use.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  calibrationFinding,
  constantPredictions,
  DEFAULT_FINDING_LIMITS as L,
  dominantFeature,
  driftFinding,
  fairnessFindings,
  findings,
  intervalFinding,
  latencyFinding,
  smallGroups,
  sortFindings,
  type Finding,
  type FindingsInput,
} from '../../../src/lib/analysis/findings';
import { DISPARITY_KINDS, disparities, groupMetrics, groupRows, type DisparityKind, type DisparityReport } from '../../../src/lib/analysis/fairness';
import { binaryLabels, calibrationCurve } from '../../../src/lib/analysis/quality/binary';
import { bootstrapBinary } from '../../../src/lib/analysis/quality/bootstrap';
import { known } from '../../../src/lib/analysis/quality/metric';
import { driftReport } from '../../../src/lib/analysis/drift';
import { parseCsv } from '../../../src/lib/data/csv';
import { column } from '../../../src/lib/data/table';
import { hasSample, scoreSample } from './quality/score-sample';

/** n predicted classes with `top` rows of class 0 and the rest of class 1. */
const classes = (n: number, top: number) => Int32Array.from({ length: n }, (_, i) => (i < top ? 0 : 1));

/** A disparity report whose worst values are the given ones (others undefined). */
function report(worst: Partial<Record<DisparityKind, number>>, group = 1): DisparityReport {
  const measures = Object.fromEntries(
    DISPARITY_KINDS.map((kind) => {
      const v = worst[kind];
      const value = v === undefined ? { value: null, reason: 'undefined' } : known(v);
      return [kind, { kind, reference: [0], perGroup: [], worst: { group, value, interval: { lo: null, hi: null, reason: 'none', resamples: 0 }, flagged: false } }];
    }),
  );
  return { reference: 'largest', favorable: 'positive', fourFifths: 0.8, measures } as unknown as DisparityReport;
}
const groups = [
  { label: 'a', size: 100 },
  { label: 'b', size: 60 },
];

describe('constant or near-constant predictions', () => {
  test('classification: the most frequent class share fires at the limit, quiet below, high when constant', () => {
    const at = constantPredictions({ task: 'multiclass', classes: ['x', 'y'], predicted: classes(100, 95) }, L);
    expect(at.severity).toBe('medium');
    expect(at.value).toBe(0.95);
    expect(at.measured).toMatch(/95% of 100 rows are predicted “x”/);
    expect(constantPredictions({ task: 'multiclass', classes: ['x', 'y'], predicted: classes(100, 94) }, L).severity).toBe('info');
    const all = constantPredictions({ task: 'multiclass', classes: ['x', 'y'], predicted: classes(50, 50) }, L);
    expect(all.severity).toBe('high');
    expect(all.title).toBe('Constant predictions');
    // Rows without a prediction (−1) are not counted.
    const withNone = Int32Array.from([...classes(95, 95), 1, 1, 1, 1, 1, -1, -1]);
    expect(constantPredictions({ task: 'multiclass', classes: ['x', 'y'], predicted: withNone }, L).value).toBe(0.95);
  });

  test('binary: a probability spread under the limit fires even when classes vary', () => {
    const predicted = classes(100, 50);
    const tight = Float64Array.from({ length: 100 }, (_, i) => (i % 2 ? 0.5 + 0.0099 : 0.5 - 0.0099));
    const f = constantPredictions({ task: 'binary', classes: ['Bad', 'Good'], positiveLabel: 'Bad', predicted, score: tight }, L);
    // sd of ±0.0099 over 100 rows (n − 1) is 0.0099 × sqrt(100/99) ≈ 0.00995 < 0.01.
    expect(f.severity).toBe('medium');
    expect(f.measured).toMatch(/P\(Bad\) has standard deviation/);
    const wide = Float64Array.from({ length: 100 }, (_, i) => (i % 2 ? 0.52 : 0.48));
    expect(constantPredictions({ task: 'binary', classes: ['Bad', 'Good'], predicted, score: wide }, L).severity).toBe('info');
  });

  test('regression: constant, near-constant relative to the target sd, and varied', () => {
    expect(constantPredictions({ task: 'regression', score: new Float64Array(10).fill(3) }, L).severity).toBe('high');
    const score = Float64Array.from({ length: 101 }, (_, i) => i);
    // A target that is the predictions scaled up: the spread ratio is exactly 1 / scale.
    const scaled = (k: number) => Float64Array.from(score, (v) => v * k);
    const near = constantPredictions({ task: 'regression', score, target: scaled(1 / 0.049) }, L);
    expect(near.severity).toBe('medium');
    expect(near.value).toBeCloseTo(0.049, 12);
    expect(constantPredictions({ task: 'regression', score, target: scaled(1 / 0.051) }, L).severity).toBe('info');
    expect(constantPredictions({ task: 'regression', score, target: null }, L).severity).toBe('info');
    // Unknown targets (NaN) are skipped.
    expect(constantPredictions({ task: 'regression', score, target: Float64Array.from([...scaled(1 / 0.049), NaN]) }, L).severity).toBe('medium');
  });

  test('nothing scored: not checked, says what to do', () => {
    const f = constantPredictions(null, L);
    expect(f.severity).toBe('not-checked');
    expect(f.measured).toMatch(/score the rows/);
  });
});

describe('one feature dominating importance', () => {
  const imp = (top: number, rest: number[]) => ({ measure: 'mean |SHAP|', features: [{ feature: 'leak', value: top }, ...rest.map((v, i) => ({ feature: `f${i}`, value: v }))] });
  test('fires at half of the total, quiet below; negative importances count as 0', () => {
    const at = dominantFeature(imp(2, [1, 1]), L);
    expect(at.severity).toBe('medium');
    expect(at.value).toBe(0.5);
    expect(at.title).toMatch(/leak.*possible leakage/);
    expect(dominantFeature(imp(1.98, [1, 1]), L).severity).toBe('info');
    // −5 counts as 0: 2 of 2 + 1 + 1 + 0.
    expect(dominantFeature(imp(2, [1, 1, -5]), L).value).toBe(0.5);
    expect(dominantFeature(imp(2, [1, 1]), { ...L, dominantShare: 0.6 }).severity).toBe('info');
  });
  test('not computed: says to run it in Explanations', () => {
    const f = dominantFeature(null, L);
    expect(f.severity).toBe('not-checked');
    expect(f.title).toBe('Importance not computed yet');
    expect(f.measured).toMatch(/Explanations/);
    expect(f.view).toBe('explain');
  });
});

describe('calibration', () => {
  test('ECE fires at the limit (high at twice), quiet below; skipped for non-binary', () => {
    expect(calibrationFinding({ ece: 0.05, bins: 10, rows: 500 }, L).severity).toBe('medium');
    expect(calibrationFinding({ ece: 0.0499, bins: 10, rows: 500 }, L).severity).toBe('info');
    expect(calibrationFinding({ ece: 0.1, bins: 10, rows: 500 }, L).severity).toBe('high');
    const skip = calibrationFinding({ skip: 'Calibration is judged for binary models.' }, L);
    expect(skip.severity).toBe('not-checked');
    expect(skip.measured).toBe('Calibration is judged for binary models.');
    expect(calibrationFinding(null, L).severity).toBe('not-checked');
  });
});

describe('fairness gap over the compliance limit', () => {
  test('a difference strictly over the limit fires; at the limit it does not', () => {
    const [over] = fairnessFindings([{ attribute: 'Sex', groups, disparities: report({ equalOpportunityDifference: -0.1001, demographicParityRatio: 0.9 }) }], L);
    expect(over.severity).toBe('high');
    expect(over.id).toBe('fairness-gap:Sex');
    expect(over.measured).toMatch(/true-positive-rate gap -0\.1001 \(b\)/);
    const [at] = fairnessFindings([{ attribute: 'Sex', groups, disparities: report({ equalOpportunityDifference: -0.1, demographicParityRatio: 0.9 }) }], L);
    expect(at.severity).toBe('info');
    expect(at.value).toBe(0.1);
  });
  test('the four-fifths rule fires below 0.8; measures left out of the limit do not count', () => {
    const [ratio] = fairnessFindings([{ attribute: 'Age', groups, disparities: report({ demographicParityDifference: 0.05, demographicParityRatio: 0.79 }) }], L);
    expect(ratio.severity).toBe('high');
    expect(ratio.measured).toMatch(/four-fifths/);
    const [pp] = fairnessFindings([{ attribute: 'Age', groups, disparities: report({ demographicParityDifference: 0.05, predictiveParityDifference: 0.3, demographicParityRatio: 0.8 }) }], L);
    expect(pp.severity).toBe('info');
    // The limit is a parameter (the scorecard's compliance limit).
    const [strict] = fairnessFindings([{ attribute: 'Age', groups, disparities: report({ demographicParityDifference: 0.05 }) }], { ...L, fairnessGap: 0.04 });
    expect(strict.severity).toBe('high');
  });
  test('not checked: no sensitive column, a skip reason, or nothing scored', () => {
    expect(fairnessFindings([], L)[0].measured).toMatch(/pick one/);
    expect(fairnessFindings({ skip: 'Binary decisions only.' }, L)[0].measured).toBe('Binary decisions only.');
    expect(fairnessFindings(null, L)[0].severity).toBe('not-checked');
  });
});

describe('groups under the minimum size', () => {
  test('a group of 29 fires, 30 does not', () => {
    const p = (size: number) => [{ attribute: 'Sex', groups: [{ label: 'a', size: 500 }, { label: 'b', size }], disparities: null }];
    const small = smallGroups(p(29), L);
    expect(small.severity).toBe('medium');
    expect(small.measured).toMatch(/minimum of 30 rows: b \(29\)\./);
    expect(smallGroups(p(30), L).severity).toBe('info');
    expect(smallGroups(null, L).severity).toBe('not-checked');
  });
});

describe('drift over the threshold', () => {
  const d = (psi: number) => ({ file: 'now.csv', features: [{ name: 'a', psi: 0.01 }, { name: 'b', psi }, { name: 'c', psi: null }] });
  test('PSI 0.25 is high, 0.1 medium, below quiet; unknown PSI ignored', () => {
    const high = driftFinding(d(0.25), L);
    expect(high.severity).toBe('high');
    expect(high.measured).toMatch(/now\.csv: PSI at or above 0\.25 in b 0\.25 \(of 2 compared\)/);
    expect(driftFinding(d(0.2499), L).severity).toBe('medium');
    expect(driftFinding(d(0.1), L).severity).toBe('medium');
    expect(driftFinding(d(0.0999), L).severity).toBe('info');
  });
  test('no current file: says to load one', () => {
    expect(driftFinding(null, L).measured).toMatch(/Load a current CSV/);
  });
});

describe('p95 latency over the budget', () => {
  const lat = (a: number, b: number | null) => ({ batch: 1, backends: [{ label: 'wasm 1', p95: a }, { label: 'WebGPU', p95: b }] });
  test('over on every backend is high, on some medium, at the budget quiet', () => {
    expect(latencyFinding(lat(50.01, 60), L).severity).toBe('high');
    expect(latencyFinding(lat(50.01, null), L).severity).toBe('high');
    const some = latencyFinding(lat(50.01, 10), L);
    expect(some.severity).toBe('medium');
    expect(some.measured).toMatch(/over the 50 ms budget: wasm 1 50 ms; within it: WebGPU 10 ms/);
    expect(latencyFinding(lat(50, 10), L).severity).toBe('info');
    expect(latencyFinding(lat(20, 10), { ...L, latencyBudgetMs: 15 }).severity).toBe('medium');
  });
  test('not run: says to run the latency lab', () => {
    expect(latencyFinding(null, L).measured).toMatch(/latency lab/);
    expect(latencyFinding({ batch: 1, backends: [{ label: 'x', p95: null }] }, L).severity).toBe('not-checked');
  });
});

describe('too few rows for a stated interval', () => {
  const iv = (lo: number, hi: number) => ({ level: 0.95, rows: 80, intervals: [{ metric: 'accuracy', lo: 0.7, hi: 0.75 }, { metric: 'auc', lo, hi }] });
  test('an interval wider than the limit fires; at the limit it does not; no interval fires', () => {
    const wide = intervalFinding(iv(0.6, 0.7001), L);
    expect(wide.severity).toBe('medium');
    expect(wide.measured).toMatch(/auc 0\.6 to 0\.7001/);
    expect(intervalFinding(iv(0.5, 0.6), L).severity).toBe('info'); // 0.6 − 0.5 = 0.09999999999999998
    expect(intervalFinding(iv(0.25, 0.35), L).severity).toBe('info'); // exactly 0.1
    expect(intervalFinding({ level: 0.95, rows: 3, intervals: [{ metric: 'auc', lo: null, hi: null, reason: 'one class only' }] }, L).measured).toMatch(/auc: no interval \(one class only\)/);
    expect(intervalFinding(null, L).severity).toBe('not-checked');
  });
});

describe('the list', () => {
  test('nothing loaded: every check is not-checked, each naming a view', () => {
    const empty: FindingsInput = { predictions: null, calibration: null, importance: null, fairness: null, drift: null, latency: null, intervals: null };
    const list = findings(empty);
    expect(list.length).toBe(8);
    expect(new Set(list.map((f) => f.id)).size).toBe(8);
    for (const f of list) expect(f.severity).toBe('not-checked');
    expect(new Set(list.map((f) => f.view))).toEqual(new Set(['predictions', 'explain', 'quality', 'fairness', 'drift', 'latency']));
  });
  test('ordered high, medium, info, not-checked, stable within a severity', () => {
    const f = (id: string, severity: Finding['severity']): Finding => ({ id, severity, title: id, measured: '', view: 'quality', value: null, limit: null });
    const sorted = sortFindings([f('a', 'info'), f('b', 'not-checked'), f('c', 'high'), f('d', 'medium'), f('e', 'high')]);
    expect(sorted.map((x) => x.id)).toEqual(['c', 'e', 'd', 'a', 'b']);
  });
});

const has = hasSample('credit.csv', 'credit-current.csv', 'credit-gbt.onnx');

describe.skipIf(!has)('credit-gbt on credit.csv, through the real lib functions', async () => {
  const s = has ? await scoreSample('credit-gbt.onnx', 'credit.csv', 'Bad') : null!;
  const y = has ? binaryLabels(s.rows.actual, s.mapping.positiveClass) : null!;
  const score = has ? s.rows.score : null!;

  test('predictions vary: the share of the most frequent class matches a recount', () => {
    const f = constantPredictions({ task: 'binary', classes: s.mapping.classes, predicted: s.rows.predicted, score, positiveLabel: 'Bad' }, L);
    const counts = new Map<number, number>();
    for (const c of s.pred.labels) counts.set(c, (counts.get(c) ?? 0) + 1);
    const top = Math.max(...counts.values());
    expect(f.value).toBeCloseTo(top / 1000, 12);
    // Roughly 30% of the German credit applicants are bad risks: a working model predicts both classes.
    expect(f.value!).toBeLessThan(0.95);
    expect(f.severity).toBe('info');
  });

  test('calibration: the ECE the finding reports equals a direct recount over 10 uniform bins', () => {
    const c = calibrationCurve(y, score, { bins: 10 });
    const f = calibrationFinding({ ece: c.ece.value, bins: 10, rows: c.bins.reduce((a, b) => a + b.count, 0) }, L);
    const n = new Float64Array(10), sp = new Float64Array(10), sy = new Float64Array(10);
    let total = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] < 0) continue;
      const v = Math.min(1, Math.max(0, score[i]));
      const b = Math.min(9, Math.max(0, Math.ceil(v * 10) - 1));
      n[b]++;
      sp[b] += v;
      sy[b] += y[i];
      total++;
    }
    let ece = 0;
    for (let b = 0; b < 10; b++) if (n[b]) ece += (n[b] / total) * Math.abs(sy[b] / n[b] - sp[b] / n[b]);
    expect(f.value).toBeCloseTo(ece, 6);
    expect(f.severity).toBe(ece >= 0.1 ? 'high' : ece >= 0.05 ? 'medium' : 'info');
    expect(f.measured).toMatch(/over 10 bins of 1,000 labelled rows/);
  });

  test('fairness by Sex: the gap checked is at least the selection-rate gap recounted by hand', () => {
    const [sex] = groupRows(s.table, [{ column: 'Sex' }]);
    const gm = groupMetrics(y, score, sex, 0.5, { bootstrap: false });
    const d = disparities(gm, { reference: 'largest', favorable: 'negative' });
    const [f] = fairnessFindings([{ attribute: 'Sex', groups: sex.groups, disparities: d }], L);
    const sexCol = column(s.table, 'Sex')!;
    if (sexCol.kind === 'numeric') throw new Error('Sex should be categorical');
    const sel = { female: [0, 0], male: [0, 0] } as Record<string, [number, number]>;
    for (let i = 0; i < 1000; i++) {
      const g = sexCol.categories[sexCol.codes[i]];
      sel[g][0] += score[i] >= 0.5 ? 1 : 0;
      sel[g][1]++;
    }
    const gap = Math.abs(sel.female[0] / sel.female[1] - sel.male[0] / sel.male[1]);
    expect(f.value!).toBeGreaterThanOrEqual(gap - 1e-12);
    if (gap > 0.1) expect(f.severity).toBe('high');
    expect(f.severity === 'high').toBe(f.measured.startsWith('Over the 0.1'));
  });

  test('small groups: ForeignWorker=no (37 rows, recounted) passes 30 and fails 40', () => {
    const [fw] = groupRows(s.table, [{ column: 'ForeignWorker' }]);
    const col = column(s.table, 'ForeignWorker')!;
    if (col.kind === 'numeric') throw new Error('ForeignWorker should be categorical');
    const no = Array.from(col.codes).filter((c) => col.categories[c] === 'no').length;
    expect(no).toBe(37);
    const parts = [{ attribute: 'ForeignWorker', groups: fw.groups, disparities: null }];
    expect(smallGroups(parts, L).severity).toBe('info');
    const f = smallGroups(parts, { ...L, minGroup: 40 });
    expect(f.severity).toBe('medium');
    expect(f.measured).toContain(`ForeignWorker=no (${no})`);
  });

  test('intervals: 1000 rows give firm intervals, 100 rows do not', () => {
    // A binomial rate near 0.8 has sd √(0.16/n): a 95% interval about 0.05 wide at n = 1000.
    const pick = (r: ReturnType<typeof bootstrapBinary>) => (['accuracy', 'auc', 'f1'] as const).map((m) => ({ metric: m, ...r.intervals[m] }));
    const all = bootstrapBinary(y, score, 0.5, { resamples: 200, seed: 7 });
    expect(intervalFinding({ level: all.level, rows: all.rows, intervals: pick(all) }, L).severity).toBe('info');
    const few = bootstrapBinary(y.subarray(0, 100), score.subarray(0, 100), 0.5, { resamples: 200, seed: 7 });
    const f = intervalFinding({ level: few.level, rows: few.rows, intervals: pick(few) }, L);
    expect(f.severity).toBe('medium');
    // About 30 of the 100 rows are bad risks, so F1 of that class rests on few rows.
    expect(f.measured).toMatch(/on 100 rows wider than 0\.1: .*f1/);
  });

  test('drift: the bundled drifted file is flagged, on the columns the drift report ranks first', async () => {
    const read = async (f: string) => (await parseCsv(readFileSync(`static/samples/${f}`, 'utf8'), { fileName: f })).table;
    const [ref, cur] = await Promise.all([read('credit.csv'), read('credit-current.csv')]);
    const r = driftReport(ref, cur, s.features);
    const f = driftFinding({ file: 'credit-current.csv', features: r.features.map((x) => ({ name: x.name, psi: x.psi.value })) }, L);
    expect(f.severity).toBe('high');
    expect(f.value).toBe(r.features[0].psi.value);
    expect(f.measured).toContain(r.features[0].name);
    expect(r.counts.major).toBeGreaterThan(0);
    expect(f.title).toBe(`Drift over the threshold in ${r.counts.major} ${r.counts.major === 1 ? 'column' : 'columns'}`);
  });
});
