/** Ordinary least squares with an intercept, by the normal equations. */
import { solve } from '../linalg';

export interface LinearModel {
  w: number[];
  b: number;
}

/** Fit y ~ x w + b on row-major `x` (n x f). */
export function fitLinear(x: Float64Array, n: number, f: number, y: readonly number[]): LinearModel {
  const d = f + 1;
  const a = new Float64Array(d * d);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const xj = j < f ? x[i * f + j] : 1;
      r[j] += xj * y[i];
      for (let k = 0; k < d; k++) a[j * d + k] += xj * (k < f ? x[i * f + k] : 1);
    }
  }
  const theta = solve(a, r, d);
  return { w: Array.from(theta.subarray(0, f)), b: theta[f] };
}

export function predictLinear(m: LinearModel, x: Float64Array, n: number): Float64Array {
  const f = m.w.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = m.b;
    for (let j = 0; j < f; j++) s += m.w[j] * x[i * f + j];
    out[i] = s;
  }
  return out;
}
