/** Sorted finite values, the form every two-sample statistic here starts from. */

/** Values of `values` (or of `values[rows[i]]` when `rows` is given) that are finite, ascending. */
export function sortedFinite(values: ArrayLike<number>, rows?: ArrayLike<number>): Float64Array {
  const n = rows ? rows.length : values.length;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? rows[i] : i];
    if (Number.isFinite(v)) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}
