import { describe, expect, test } from 'vitest';
import {
  columnProfile,
  constantColumns,
  duplicateRows,
  histogram,
  imputePlan,
  labelQualityHints,
  niceEdges,
  ROW_MISSING,
  ROW_OUTLIER,
  ROW_UNSEEN,
  rowProblems,
  unseenCategories,
} from '../../../../src/lib/analysis/data-quality';
import { parseCsv } from '../../../../src/lib/data/csv';
import { column, type Table } from '../../../../src/lib/data/table';

async function table(lines: string[]): Promise<Table> {
  return (await parseCsv(lines.join('\n'))).table;
}

const col = (t: Table, name: string) => column(t, name)!;

/** x: 1..20, then 'abc' (not a number), 100 (an outlier), and an empty cell; c: a category per row. */
async function messy(): Promise<Table> {
  const cats = 'p q r s t u v w x y z'.split(' ');
  const lines = ['x,c'];
  for (let i = 1; i <= 20; i++) lines.push(`${i},${i <= 10 ? 'a' : cats[i - 10] ?? 'b'}`);
  lines.push('abc,a', '100,b', ',');
  return table(lines);
}

describe('histogram', () => {
  test('round edges, at most the bins asked for, each value in one bin', () => {
    expect(niceEdges(1, 100, 20, true)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
    expect(niceEdges(0, 1, 20)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1]);
    expect(niceEdges(19, 75, 20, true)).toEqual([15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80]);
    expect(niceEdges(1, 4, 20, true)).toEqual([1, 2, 3, 4, 5]);
    expect(niceEdges(7, 7)).toEqual([6.5, 7.5]);
    expect(niceEdges(NaN, 1)).toEqual([]);
    for (const [lo, hi] of [[0.001, 0.0173], [-5, 1e6], [250, 18424]]) expect(niceEdges(lo, hi).length - 1).toBeLessThanOrEqual(20);
    const h = histogram([1, 2, 2, 3, NaN, 4, 4, 4]);
    expect(h.map((b) => [b.x0, b.count])).toEqual([[1, 1], [2, 2], [3, 1], [4, 3]]);
  });
});

describe('column profile', () => {
  test('numeric: missing and invalid, quantiles, sd, histogram, IQR outliers', async () => {
    const t = await messy();
    const p = columnProfile(col(t, 'x'), t.nRows);
    expect(p.kind).toBe('numeric');
    expect([p.missing, p.invalid, p.invalidExamples]).toEqual([2, 1, ['abc']]);
    expect(p.missingShare).toBeCloseTo(2 / 23, 15);
    expect([p.min, p.max, p.distinct]).toEqual([1, 100, 21]);
    const values = [...Array.from({ length: 20 }, (_, i) => i + 1), 100];
    const mean = values.reduce((a, b) => a + b, 0) / 21;
    expect(p.mean).toBeCloseTo(mean, 12);
    expect(p.sd).toBeCloseTo(Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 20), 12);
    // numpy.quantile([1..20, 100], [.01, .05, .25, .5, .75, .95, .99])
    expect(p.quantiles).toEqual({ p1: 1.2, p5: 2, p25: 6, p50: 11, p75: 16, p95: 20, p99: expect.closeTo(84, 10) });
    expect(p.outliers).toEqual({ count: 1, low: 0, high: 1, lowerFence: -9, upperFence: 31, k: 1.5, examples: [21] });
    expect(p.histogram!.map((b) => b.count)).toEqual([9, 10, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(p.histogram!.reduce((s, b) => s + b.count, 0)).toBe(21);
    expect(p.constant).toBe(false);
  });

  test('categorical: top 10 then one other bucket; unseen against known categories', async () => {
    const t = await messy();
    const p = columnProfile(col(t, 'c'), t.nRows, { knownCategories: ['a', 'b', 'p'] });
    expect(p.kind).toBe('categorical');
    expect(p.missing).toBe(1);
    expect(p.categories!.slice(0, 2)).toEqual([
      { value: 'a', count: 11, share: 11 / 23, other: false },
      { value: 'q', count: 1, share: 1 / 23, other: false },
    ]);
    expect(p.categories).toHaveLength(11);
    // Ties keep first-seen order: z (row 19) and b (row 21) fall beyond the top 10.
    expect(p.categories![10]).toEqual({ value: '2 other values', count: 2, share: 2 / 23, other: true });
    expect(p.unseen!.rows).toBe(10);
    expect(p.unseen!.values.map((v) => v.value)).toEqual(['q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z']);
    expect(p.unseen!.examples[0]).toBe(10);
  });

  test('all missing and constant columns', async () => {
    const t = await table(['e,k,b', ',5,yes', ',5,yes', ',,yes']);
    const e = columnProfile(col(t, 'e'), 3);
    expect([e.missing, e.quantiles, e.sd, e.outliers, e.constant]).toEqual([3, null, null, null, true]);
    const k = columnProfile(col(t, 'k'), 3);
    expect(k.constant).toBe(true);
    expect(k.sd).toBe(0);
    expect(k.outliers!.count).toBe(0);
    expect(columnProfile(col(t, 'b'), 3).constant).toBe(true);
  });

  test('unseen values of a numeric column compare by cell text', async () => {
    const t = await table(['n', '1', '2', '3', '']);
    expect(unseenCategories(col(t, 'n'), ['1', '2'])).toEqual({ values: [{ value: '3', count: 1 }], rows: 1, examples: [2] });
  });
});

describe('rows', () => {
  test('row problems: flags, counts per column, first examples with their columns', async () => {
    const t = await messy();
    const r = rowProblems(t, { knownCategories: { c: ['a', 'b'] }, firstN: 3 });
    // Rows 10..19 have unseen categories; 20 ('abc') and 22 (empty) are missing; 21 (100) is an outlier.
    expect(r.counts).toEqual({ missing: 2, outlier: 1, unseen: 10, any: 13 });
    expect(r.flags[20]).toBe(ROW_MISSING);
    expect(r.flags[21]).toBe(ROW_OUTLIER);
    expect(r.flags[10]).toBe(ROW_UNSEEN);
    expect(r.flags[9]).toBe(0);
    expect(r.flags[22]).toBe(ROW_MISSING);
    expect(r.examples.map((e) => e.row)).toEqual([10, 11, 12]);
    expect(r.examples[0]).toEqual({ row: 10, missing: [], outliers: [], unseen: ['c'] });
    expect(r.byColumn).toEqual([
      { name: 'x', missing: 2, outliers: 1, unseen: 0 },
      { name: 'c', missing: 1, outliers: 0, unseen: 10 },
    ]);
    // Only the columns asked about.
    expect(rowProblems(t, { columns: ['c'] }).counts).toEqual({ missing: 1, outlier: 0, unseen: 0, any: 1 });
  });

  test('duplicate rows: exact repeats, missing equals missing, verified beyond the hash', async () => {
    const t = await table(['a,b', '1,x', '2,y', '1,x', ',z', ',z', '1,x', '1,y']);
    expect(duplicateRows(t)).toEqual({ count: 3, groups: 2, examples: [[0, 2, 5], [3, 4]] });
    expect(duplicateRows(t, { columns: ['b'] }).count).toBe(4);
    expect(duplicateRows(await table(['a', '0', '-0'])).count).toBe(1);
  });

  test('constant columns, including all missing and constant apart from missing', async () => {
    const t = await table(['k,e,m,v', '5,,a,1', '5,,a,2', '5,,,3']);
    expect(constantColumns(t)).toEqual([
      { name: 'k', value: '5', missing: 0 },
      { name: 'e', value: null, missing: 3 },
      { name: 'm', value: 'a', missing: 1 },
    ]);
  });
});

describe('missing values: impute plan', () => {
  test("'none' leaves the table and says how missing values reach the model", async () => {
    const t = await messy();
    const p = imputePlan(t, 'none');
    expect(p.table).toBe(t);
    expect(p.columns.map((c) => [c.name, c.missing, c.filled])).toEqual([['x', 2, 0], ['c', 1, 0]]);
    expect(p.description).toMatch(/^3 missing cells reach the model/);
  });

  test("'median-mode' fills numbers with the median and text with the mode, counts redone", async () => {
    const t = await messy();
    const p = imputePlan(t, 'median-mode');
    const x = col(p.table, 'x');
    const c = col(p.table, 'c');
    if (x.kind !== 'numeric' || c.kind === 'numeric') throw new Error('kinds');
    expect([x.values[20], x.values[22], x.values[0]]).toEqual([11, 11, 1]);
    expect(c.categories[c.codes[22]]).toBe('a');
    expect(x.stats).toEqual({ missing: 0, invalid: 0, distinct: 21, invalidExamples: [] });
    expect(p.columns).toEqual([
      { name: 'x', kind: 'numeric', missing: 2, filled: 2, value: '11', source: 'this table' },
      { name: 'c', kind: 'categorical', missing: 1, filled: 1, value: 'a', source: 'this table' },
    ]);
    // The input is untouched.
    expect(Number.isNaN((col(t, 'x') as { values: Float64Array }).values[22])).toBe(true);
  });

  test('fill values learnt from the reference; a mode the table lacks is added as a category', async () => {
    const t = await table(['x,c', '1,a', ',', '3,a']);
    const ref = await table(['x,c', '10,z', '20,z', '30,a']);
    const p = imputePlan(t, 'median-mode', { fitOn: ref });
    const c = col(p.table, 'c');
    if (c.kind === 'numeric') throw new Error('kind');
    expect((col(p.table, 'x') as { values: Float64Array }).values[1]).toBe(20);
    expect(c.categories).toEqual(['a', 'z']);
    expect(c.codes[1]).toBe(1);
    expect(p.columns.map((x) => x.source)).toEqual(['reference', 'reference']);
    expect(p.description).toMatch(/of the reference data/);
  });

  test("'drop-rows' keeps the complete rows over the model's columns and maps them back", async () => {
    const t = await table(['x,c,note', '1,a,', ',b,n', '3,,n', '4,d,']);
    const all = imputePlan(t, 'drop-rows');
    expect(all.table.nRows).toBe(0);
    const p = imputePlan(t, 'drop-rows', { columns: ['x', 'c'] });
    expect(Array.from(p.rows)).toEqual([0, 3]);
    expect(p.dropped).toBe(2);
    expect(p.table.nRows).toBe(2);
    expect(col(p.table, 'x').stats.missing).toBe(0);
    expect(p.description).toMatch(/^2 of 4 rows \(50%\)/);
  });
});

describe('label-quality hints', () => {
  test('confident disagreements, most confident first, with counts per label pair', () => {
    const actual = Int32Array.from([0, 0, 1, 1, 2, -1, 0]);
    // prettier-ignore
    const probs = Float32Array.from([
      0.05, 0.95, 0,    // label 0, predicted 1 at 0.95: flagged
      0.2, 0.8, 0,      // predicted 1 at 0.8: below 0.9
      0, 0.02, 0.98,    // label 1, predicted 2 at 0.98: flagged
      0, 1, 0,          // agrees
      0.91, 0.09, 0,    // label 2, predicted 0 at 0.91: flagged
      0.99, 0, 0.01,    // no label: skipped
      NaN, NaN, NaN,    // not scored: skipped
    ]);
    const h = labelQualityHints(actual, probs, 3);
    expect(Array.from(h.rows)).toEqual([2, 0, 4]);
    expect(Array.from(h.predicted)).toEqual([2, 1, 0]);
    expect(Array.from(h.given)).toEqual([1, 0, 2]);
    expect(h.confidence[0]).toBeCloseTo(0.98, 6);
    expect([h.count, h.judged]).toEqual([3, 5]);
    expect(h.share.value).toBeCloseTo(0.6, 15);
    expect(h.pairs).toEqual([
      { given: 0, predicted: 1, count: 1 },
      { given: 1, predicted: 2, count: 1 },
      { given: 2, predicted: 0, count: 1 },
    ]);
    expect(labelQualityHints(actual, probs, 3, 0.75).count).toBe(4);
    expect(labelQualityHints(Int32Array.from([-1]), Float32Array.from([1]), 1).share.value).toBeNull();
  });
});
