import { describe, expect, test } from 'vitest';
import type { CategoricalColumn, NumericColumn, Table } from '../../../src/lib/data/table';
import { createRng, randInt, shuffle } from '../../../src/lib/analysis/random';
import type { Predictions } from '../../../src/lib/model/types';
import {
  classesFromColumn,
  columnSortKey,
  filterRows,
  labelKey,
  restrictRows,
  rowOutcomes,
  sortRows,
  summarizePredictions,
  targetClassIndex,
} from '../../../src/lib/analysis/predictions';

const stats = { missing: 0, invalid: 0, distinct: 0, invalidExamples: [] };
const num = (name: string, values: number[]): NumericColumn => ({ kind: 'numeric', name, values: Float64Array.from(values), stats });
const cat = (name: string, categories: string[], codes: number[]): CategoricalColumn => ({
  kind: 'categorical',
  name,
  categories,
  codes: Int32Array.from(codes),
  stats,
});

describe('labels and targets', () => {
  test('labelKey makes 1, "1" and "1.0" the same class, text case-insensitive', () => {
    expect(labelKey('1.0')).toBe(labelKey('1'));
    expect(labelKey(' Good ')).toBe(labelKey('good'));
    expect(labelKey('Bad')).not.toBe(labelKey('Good'));
  });

  test('categorical target maps to class order; unknown and missing are -1', () => {
    const col = cat('y', ['Good', 'Bad', 'Meh'], [0, 1, -1, 2, 1]);
    expect(Array.from(targetClassIndex(col, ['Bad', 'Good']))).toEqual([1, 0, -1, -1, 0]);
  });

  test('numeric target 0/1/2 matches int64 class labels given as strings', () => {
    const col = num('target', [2, 0, NaN, 1]);
    expect(Array.from(targetClassIndex(col, ['0', '1', '2']))).toEqual([2, 0, -1, 1]);
  });

  test('classesFromColumn sorts naturally like sklearn classes_', () => {
    expect(classesFromColumn(num('t', [2, 10, 1, 2, NaN]))).toEqual(['1', '2', '10']);
    expect(classesFromColumn(cat('s', ['b', 'a', 'unused'], [0, 1, 0]))).toEqual(['a', 'b']);
    // Every category seen early, and one seen only in the last row.
    expect(classesFromColumn(cat('s', ['x', 'y'], [1, 0, 0, 0, 1]))).toEqual(['x', 'y']);
    expect(classesFromColumn(cat('s', ['x', 'y', 'z'], [1, -1, 1, 1, 2]))).toEqual(['y', 'z']);
  });
});

const binary: Predictions = {
  n: 4,
  task: 'binary',
  classes: ['Bad', 'Good'],
  // rows: P(Bad), P(Good)
  scores: Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.7, 0.3]),
  labels: Int32Array.from([0, 1, 1, 0]),
  scored: 4,
};

describe('row outcomes and summary', () => {
  test('binary: positive-class score, correctness against the target', () => {
    const target = cat('Class', ['Good', 'Bad'], [1, 0, 1, -1]); // Bad, Good, Bad, missing
    const o = rowOutcomes(binary, target, 0);
    expect(Array.from(o.score)).toEqual([0.9, 0.2, 0.4, 0.7].map((v) => Math.fround(v)));
    expect(Array.from(o.actual)).toEqual([0, 1, 0, -1]);
    expect(Array.from(o.correct)).toEqual([1, 1, 0, -1]);
    const s = summarizePredictions(binary, o);
    expect(s.labelled).toBe(3);
    expect(s.accuracy).toBeCloseTo(2 / 3, 12);
    expect(s.predictedCounts).toEqual([2, 2]);
    expect(s.actualCounts).toEqual([2, 1]);
  });

  test('a cancelled run judges only scored rows', () => {
    const partial = { ...binary, scored: 2 };
    const o = rowOutcomes(partial, cat('Class', ['Bad', 'Good'], [0, 1, 0, 1]), 1);
    expect(Array.from(o.correct)).toEqual([1, 1, -1, -1]);
    expect(Number.isNaN(o.score[3])).toBe(true);
    expect(summarizePredictions(partial, o).accuracy).toBe(1);
  });

  test('no target: accuracy is null, not NaN', () => {
    const o = rowOutcomes(binary, null, 1);
    const s = summarizePredictions(binary, o);
    expect(s.accuracy).toBeNull();
    expect(s.labelled).toBe(0);
  });

  test('regression: residuals, MAE and RMSE by hand', () => {
    const pred: Predictions = { n: 3, task: 'regression', classes: [], scores: Float32Array.from([10, 20, 30]), labels: new Int32Array(0), scored: 3 };
    const o = rowOutcomes(pred, num('y', [12, 20, NaN]), 0);
    expect(Array.from(o.residual).slice(0, 2)).toEqual([-2, 0]);
    const s = summarizePredictions(pred, o);
    expect(s.mae).toBe(1);
    expect(s.rmse).toBeCloseTo(Math.sqrt(2), 12);
    expect(s.predictionMean).toBe(20);
    expect(s.labelled).toBe(2);
  });
});

describe('sort and filter indexes', () => {
  test('sortRows is stable, NaN last both ways', () => {
    const key = [3, NaN, 1, 3, 2];
    const all = Uint32Array.from([0, 1, 2, 3, 4]);
    expect(Array.from(sortRows(all, key, false))).toEqual([2, 4, 0, 3, 1]);
    expect(Array.from(sortRows(all, key, true))).toEqual([0, 3, 4, 2, 1]);
  });

  test('categorical sort key orders by text, missing is NaN', () => {
    const k = columnSortKey(cat('c', ['pear', 'apple', 'fig'], [0, 1, -1, 2]));
    expect(Array.from(sortRows(Uint32Array.from([0, 1, 2, 3]), k, false))).toEqual([1, 3, 0, 2]);
  });

  test('filterRows by outcome, predicted class and text', () => {
    const table: Table = { nRows: 4, columns: [num('Age', [25, 31, 47, 52]), cat('Purpose', ['car', 'education'], [0, 1, 1, 0])] };
    const o = rowOutcomes(binary, cat('Class', ['Bad', 'Good'], [0, 1, 1, 1]), 0);
    // correct: [1, 1, 1, 0]
    expect(Array.from(filterRows(table, o, { outcome: 'wrong', predictedClass: -1, text: '' }))).toEqual([3]);
    expect(Array.from(filterRows(table, o, { outcome: 'all', predictedClass: 1, text: '' }))).toEqual([1, 2]);
    expect(Array.from(filterRows(table, o, { outcome: 'all', predictedClass: -1, text: 'EDUC' }))).toEqual([1, 2]);
    expect(Array.from(filterRows(table, o, { outcome: 'correct', predictedClass: -1, text: '47' }))).toEqual([2]);
  });
});

describe('restrictRows', () => {
  test('keeps the order of rows and only those in the subset', () => {
    expect(Array.from(restrictRows(Uint32Array.from([5, 1, 3, 0]), [0, 3, 4], 6))).toEqual([3, 0]);
    expect(Array.from(restrictRows(Uint32Array.from([2]), [], 3))).toEqual([]);
  });
});

describe('sortRows at scale', () => {
  /** The comparator sort sortRows replaced: the definition of the order. */
  const reference = (rows: Uint32Array, key: ArrayLike<number>, descending: boolean) =>
    Array.from(rows).sort((a, b) => {
      const ka = key[a], kb = key[b];
      const na = Number.isNaN(ka), nb = Number.isNaN(kb);
      if (na || nb) return na === nb ? a - b : na ? 1 : -1;
      return ka === kb ? a - b : (ka - kb) * (descending ? -1 : 1);
    });

  test('matches a comparator sort on ties, negatives, ±0, infinities and NaN, on a shuffled subset', () => {
    const rng = createRng(3);
    const n = 20_000;
    const special = [0, -0, Infinity, -Infinity, NaN, 1e-300, -1e-300, 5e-324];
    const key = Float64Array.from({ length: n }, () => (rng() < 0.1 ? special[randInt(rng, special.length)] : rng() < 0.5 ? randInt(rng, 50) - 25 : (rng() - 0.5) * 1e6));
    const rows = shuffle(rng, Uint32Array.from({ length: n }, (_, i) => i)).filter((_, i) => i % 3 !== 0);
    for (const desc of [false, true]) expect(Array.from(sortRows(rows, key, desc))).toEqual(reference(rows, key, desc));
  });

  test('float32 scores (as the model returns them) and a million rows', () => {
    const rng = createRng(5);
    const n = 1_000_000;
    const key = Float32Array.from({ length: n }, () => Math.round(rng() * 1000) / 1000);
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const t0 = performance.now();
    const got = sortRows(rows, key, true);
    console.log(`sortRows: ${n} rows in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(Array.from(got)).toEqual(reference(rows, key, true));
  });
});
