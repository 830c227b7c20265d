/** Small hand-made tables for the fairness tests. */
import type { CategoricalColumn, NumericColumn, Table } from '../../../../src/lib/data/table';

const stats = () => ({ missing: 0, invalid: 0, distinct: 0, invalidExamples: [] });

/** A categorical column from cell texts ('' = missing), categories in first-seen order. */
export function cat(name: string, cells: string[]): CategoricalColumn {
  const categories: string[] = [];
  const codes = Int32Array.from(cells, (c) => {
    if (c === '') return -1;
    let k = categories.indexOf(c);
    if (k < 0) k = categories.push(c) - 1;
    return k;
  });
  return { kind: 'categorical', name, codes, categories, stats: stats() };
}

/** A numeric column (NaN = missing). */
export function num(name: string, values: number[]): NumericColumn {
  return { kind: 'numeric', name, values: Float64Array.from(values), stats: stats() };
}

export function table(...columns: (CategoricalColumn | NumericColumn)[]): Table {
  const nRows = columns[0].kind === 'numeric' ? columns[0].values.length : columns[0].codes.length;
  return { nRows, columns };
}
