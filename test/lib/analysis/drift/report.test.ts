import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  classDrift,
  compareSchemas,
  driftOverWindows,
  driftReport,
  featureDrift,
  metricChanges,
  scoreDrift,
  whatCanBeJudged,
  windows,
} from '../../../../src/lib/analysis/drift';
import { known, unknown } from '../../../../src/lib/analysis/quality/metric';
import { parseCsv } from '../../../../src/lib/data/csv';
import { column, type Table } from '../../../../src/lib/data/table';

async function table(lines: string[]): Promise<Table> {
  return (await parseCsv(lines.join('\n'))).table;
}
const col = (t: Table, name: string) => column(t, name)!;

describe('schema comparison', () => {
  test('missing, extra, renamed and retyped columns, in words', async () => {
    const ref = await table(['age,Income,city,flag', '30,100,a,yes', '40,200,b,no']);
    const cur = await table(['city,age,income,flag,when', 'a,x,5,yes,2024', 'b,y,6,maybe,2025']);
    const s = compareSchemas(ref, cur);
    expect(s.matched).toEqual(['age', 'city', 'flag']);
    expect(s.missingInCurrent).toEqual(['Income']);
    expect(s.extraInCurrent).toEqual(['income', 'when']);
    expect(s.likelyRenames).toEqual([{ ref: 'Income', cur: 'income' }]);
    expect(s.typeChanges.map((t) => [t.name, t.ref, t.cur])).toEqual([
      ['age', 'numeric', 'categorical'],
      ['flag', 'boolean', 'categorical'],
    ]);
    expect(s.typeChanges[0].explanation).toBe("'age' is numeric in the reference but text (categorical) in the current file: values such as 'x', 'y' are not numbers.");
    expect(s.orderChanged).toBe(true);
    expect(s.same).toBe(false);
    expect(s.messages).toHaveLength(6);
    expect(compareSchemas(ref, ref).same).toBe(true);
    expect(compareSchemas(ref, ref).messages).toEqual([]);
  });
});

describe('feature drift', () => {
  test('numeric: PSI, KS, Wasserstein, means, and an overlaid distribution on shared bins', async () => {
    const ref = await table(['x', ...Array.from({ length: 100 }, (_, i) => String(i + 1))]);
    const cur = await table(['x', ...Array.from({ length: 100 }, (_, i) => (i < 10 ? 'NA' : String(i + 21)))]);
    const d = featureDrift(col(ref, 'x'), col(cur, 'x'));
    expect(d.kind).toBe('numeric');
    expect(d.missingShare).toEqual({ ref: 0, cur: 0.1 });
    expect(d.psiBins.at(-1)!.label).toBe('missing');
    expect(d.severity).toBe('major');
    expect(d.ks!.statistic.value).toBeCloseTo(0.3, 12);
    expect(d.ks!.m).toBe(90);
    expect(d.mean!.ref.value).toBeCloseTo(50.5, 12);
    expect(d.mean!.cur.value).toBeCloseTo(75.5, 12);
    expect(d.wasserstein!.distance.value).toBeGreaterThan(20);
    expect(d.chiSquare).toBeNull();
    // Shares of all rows on both sides: the current's plus its missing share sum to 1.
    const dist = d.distribution;
    expect(dist.bins[0].x0).toBe(0);
    expect(dist.bins.at(-1)!.x1).toBeGreaterThan(121);
    expect(dist.bins.reduce((s, b) => s + b.ref, 0)).toBeCloseTo(1, 12);
    expect(dist.bins.reduce((s, b) => s + b.cur, 0) + dist.missing.cur).toBeCloseTo(1, 12);
    expect(d.notes).toEqual(["Missing values in 'x' rose from 0% to 10% of rows."]);
  });

  test('categorical: chi-square, unseen categories, JS distance; identical samples do not drift', async () => {
    const ref = await table(['c', ...'aaaabbbbcc'.split('')]);
    const cur = await table(['c', ...'aabbbbccdd'.split('')]);
    const d = featureDrift(col(ref, 'c'), col(cur, 'c'));
    expect(d.kind).toBe('categorical');
    expect(d.unseen).toEqual([{ value: 'd', count: 2 }]);
    expect(d.distribution.bins.map((b) => [b.label, b.ref, b.cur, b.unseen])).toEqual([
      ['a', 0.4, 0.2, false],
      ['b', 0.4, 0.4, false],
      ['c', 0.2, 0.2, false],
      ['d', 0, 0.2, true],
    ]);
    expect(d.chiSquare!.dof).toBe(3);
    expect(d.ks).toBeNull();
    expect(d.notes[0]).toBe("2 current rows have values of 'c' the reference never has: 'd' (2).");
    const same = featureDrift(col(ref, 'c'), col(ref, 'c'));
    expect([same.psi.value, same.jensenShannon.value, same.severity]).toEqual([0, 0, 'none']);
  });

  test('a numeric column that is text in the current file is compared as numbers, and said so', async () => {
    const ref = await table(['n', '1', '2', '3', '4']);
    const cur = await table(['n', '1', 'two', '3', 'four']);
    const d = featureDrift(col(ref, 'n'), col(cur, 'n'));
    expect(d.kind).toBe('numeric');
    expect(d.missingShare.cur).toBe(0.5);
    expect(d.notes[0]).toBe("'n' is text in the current file; compared as numbers, with its 2 non-numeric cells counted as missing.");
  });

  test('many categories fold into other', async () => {
    const ref = await table(['c', ...Array.from({ length: 30 }, (_, i) => `k${i}`)]);
    const d = featureDrift(col(ref, 'c'), col(ref, 'c'), { maxCategories: 5 });
    expect(d.distribution.bins).toHaveLength(5);
    expect(d.distribution.bins[4].label).toBe('other (26)');
  });
});

describe('prediction drift and metric changes', () => {
  test('scores with NaN rows; predicted classes', () => {
    const ref = Float32Array.from({ length: 200 }, (_, i) => i / 200);
    const cur = Float32Array.from({ length: 200 }, (_, i) => (i < 5 ? NaN : 0.5 + i / 400));
    const s = scoreDrift(ref, cur);
    expect(s.name).toBe('score');
    expect(s.missingShare.cur).toBe(0.025);
    expect(s.severity).toBe('major');
    const c = classDrift('predicted', Int32Array.from([0, 0, 1, 1]), Int32Array.from([1, 1, 1, 0]), ['Bad', 'Good']);
    expect(c.distribution.bins.map((b) => [b.label, b.ref, b.cur])).toEqual([
      ['Bad', 0.5, 0.25],
      ['Good', 0.5, 0.75],
    ]);
  });

  test('metric changes, unknown where either side is', () => {
    const ch = metricChanges({ auc: known(0.8), recall: known(0.5) }, { auc: known(0.7), recall: unknown('no positive rows'), f1: known(0.4) });
    expect(ch.map((c) => [c.name, c.change.value])).toEqual([
      ['auc', expect.closeTo(-0.1, 12)],
      ['recall', null],
      ['f1', null],
    ]);
    expect(ch[1].change.reason).toBe('current: no positive rows');
    expect(ch[2].change.reason).toBe('reference: not computed on this side');
  });

  test('what can be judged without labels', () => {
    const w = whatCanBeJudged({ hasLabels: false, hasScores: true });
    expect(w.can.join(' ')).toMatch(/prediction drift/);
    expect(w.cannot.join(' ')).toMatch(/no labels/);
    expect(whatCanBeJudged({ hasLabels: true, hasScores: true }).cannot).toEqual([]);
  });
});

describe('time windows', () => {
  test('ordered by dates, by count or size; missing times left out', async () => {
    const t = await table(['when,x', '2024-03-01,3', '2024-01-01,1', ',9', '2024-02-01,2', '2024-04-01,4', '2024-05-01,5']);
    const w = windows(col(t, 'when'), { count: 2 });
    expect(w.order).toBe('date');
    expect(w.skipped).toBe(1);
    expect(w.windows.map((x) => Array.from(x.rows))).toEqual([[1, 3], [0, 4, 5]]);
    expect(w.windows.map((x) => [x.from, x.to])).toEqual([['2024-01-01', '2024-02-01'], ['2024-03-01', '2024-05-01']]);
    expect(windows(col(t, 'when'), { size: 2 }).windows.map((x) => x.rows.length)).toEqual([2, 2, 1]);
    expect(windows(col(t, 'x'), { count: 3 }).windows.map((x) => Array.from(x.rows))).toEqual([[1, 3], [0, 4], [5, 2]]);
    const text = await table(['t', 'b', 'a', 'c']);
    expect(windows(col(text, 't'), { count: 3 }).order).toBe('text');
  });

  test('drift over windows: each window against the whole reference, on the same bins', async () => {
    const ref = await table(['x,c', ...Array.from({ length: 100 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`)]);
    // The first 50 rows look like the reference; the last 50 move up and to 'a'.
    const cur = await table(['t,x,c', ...Array.from({ length: 100 }, (_, i) => (i < 50 ? `${i},${2 * i},${i % 2 ? 'a' : 'b'}` : `${i},${i + 200},a`))]);
    const w = windows(col(cur, 't'), { count: 2 });
    const o = driftOverWindows(ref, cur, w.windows);
    expect(o.features).toEqual(['x', 'c']);
    expect(o.windows[0].severity).toEqual(['none', 'none']);
    expect(o.windows[1].severity).toEqual(['major', 'major']);
    expect(o.windows[1].worst).toBe('major');
    // The same as a direct comparison of that window.
    const direct = featureDrift(col(ref, 'x'), col(cur, 'x'), {}, undefined, w.windows[1].rows);
    expect(o.windows[1].psi[0].value).toBeCloseTo(direct.psi.value!, 12);
  });
});

describe('the bundled drifted sample', () => {
  const dir = join(__dirname, '..', '..', '..', '..', 'static', 'samples');
  const read = async (name: string) => (await parseCsv(readFileSync(join(dir, name), 'utf8'))).table;

  test('credit-current.csv against credit.csv: the shifted features rank on top', async () => {
    const ref = await read('credit.csv');
    const cur = await read('credit-current.csv');
    const r = driftReport(ref, cur);
    expect(r.schema.extraInCurrent).toEqual(['ApplicationDate']);
    expect(r.schema.missingInCurrent).toEqual([]);
    expect(r.schema.typeChanges).toEqual([]);
    const top = r.features.slice(0, 4).map((f) => f.name);
    expect(new Set(top)).toEqual(new Set(['Age', 'Amount', 'Purpose', 'Duration']));
    for (const f of r.features.slice(0, 4)) expect(f.severity).toBe('major');
    const by = Object.fromEntries(r.features.map((f) => [f.name, f]));
    expect(by.Purpose.unseen).toEqual([{ value: 'vacation', count: 30 }]);
    expect(by.Duration.missingShare.cur).toBeCloseTo(0.081, 12);
    expect(by.Age.mean!.cur.value!).toBeGreaterThan(by.Age.mean!.ref.value! + 3);
    expect(by.Amount.mean!.cur.value!).toBeGreaterThan(by.Amount.mean!.ref.value! * 1.2);
    for (const name of ['NumberExistingCredits', 'CheckingAccountStatus', 'ForeignWorker']) expect(by[name].severity).toBe('none');
    // PSI descending.
    const psis = r.features.map((f) => f.psi.value!);
    expect(psis).toEqual([...psis].sort((a, b) => b - a));
    expect(r.counts.major).toBe(4);

    // Over four quarters, Age drifts more each quarter.
    const w = windows(col(cur, 'ApplicationDate'), { count: 4 });
    expect(w.order).toBe('date');
    const o = driftOverWindows(ref, cur, w.windows, ['Age']);
    const age = o.windows.map((x) => x.psi[0].value!);
    expect(age).toEqual([...age].sort((a, b) => a - b));
    expect(o.windows[3].severity[0]).toBe('major');
  });
});
