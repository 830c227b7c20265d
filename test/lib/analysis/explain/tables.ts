/** Small hand-written tables for explainer tests. */
import type { Column, Table } from '../../../../src/lib/data/table';

const stats = { missing: 0, invalid: 0, distinct: 0, invalidExamples: [] };

/** A table from columns of numbers (numeric, NaN = missing) or strings (categorical, null = missing). */
export function makeTable(cols: Record<string, (number | null)[] | (string | null)[]>): Table {
  const columns: Column[] = Object.entries(cols).map(([name, values]) => {
    if (values.every((v) => v === null || typeof v === 'number')) {
      return { kind: 'numeric', name, values: Float64Array.from(values as (number | null)[], (v) => (v === null ? NaN : v)), stats };
    }
    const categories: string[] = [];
    const codes = Int32Array.from(values as (string | null)[], (v) => {
      if (v === null) return -1;
      let k = categories.indexOf(v);
      if (k < 0) k = categories.push(v) - 1;
      return k;
    });
    return { kind: 'categorical', name, codes, categories, stats };
  });
  return { nRows: cols[Object.keys(cols)[0]].length, columns };
}

/** A predictor from a per-row function of the named numeric columns (categorical columns give their text). */
export function rowPredictor(fn: (get: (name: string) => number | string | null) => number) {
  const predict = async (t: Table) => {
    const out = new Float64Array(t.nRows);
    for (let i = 0; i < t.nRows; i++) {
      out[i] = fn((name) => {
        const c = t.columns.find((x) => x.name === name)!;
        if (c.kind === 'numeric') return c.values[i];
        return c.codes[i] < 0 ? null : c.categories[c.codes[i]];
      });
    }
    predict.calls += t.nRows;
    predict.batches++;
    return out;
  };
  predict.calls = 0;
  predict.batches = 0;
  return predict;
}

/** n rows of m numeric columns x0..x{m-1}, standard-ish uniform values from a seeded generator. */
export function randomTable(n: number, m: number, rng: () => number): Table {
  const cols: Record<string, number[]> = {};
  for (let j = 0; j < m; j++) cols[`x${j}`] = Array.from({ length: n }, () => Math.round((rng() * 4 - 2) * 100) / 100);
  return makeTable(cols);
}
