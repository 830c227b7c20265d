/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), as sklearn's LogisticRegression
 * with C = 1 / l2: minimises sum of log losses + l2/2 * |w|^2, intercepts unpenalised.
 */
import { solve } from '../linalg';

export interface BinaryLogistic {
  /** Weights for the positive class (label index 1). */
  w: number[];
  b: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Fit on row-major `x` (n x f) with 0/1 targets. */
export function fitBinaryLogistic(x: Float64Array, n: number, f: number, y: readonly number[], l2 = 1, iterations = 50): BinaryLogistic {
  const d = f + 1;
  const theta = new Float64Array(d);
  for (let it = 0; it < iterations; it++) {
    const grad = new Float64Array(d);
    const hess = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const row = x.subarray(i * f, (i + 1) * f);
      let z = theta[f];
      for (let j = 0; j < f; j++) z += theta[j] * row[j];
      const p = sigmoid(z);
      const r = p - y[i];
      const w = Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j <= f; j++) {
        const xj = j < f ? row[j] : 1;
        grad[j] += r * xj;
        if (xj === 0) continue;
        for (let k = 0; k <= j; k++) hess[j * d + k] += w * xj * (k < f ? row[k] : 1);
      }
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) hess[k * d + j] = hess[j * d + k];
    for (let j = 0; j < f; j++) {
      grad[j] += l2 * theta[j];
      hess[j * d + j] += l2;
    }
    const step = solve(hess, grad, d);
    let size = 0;
    for (let j = 0; j < d; j++) {
      theta[j] -= step[j];
      size = Math.max(size, Math.abs(step[j]));
    }
    if (size < 1e-10) break;
  }
  return { w: Array.from(theta.subarray(0, f)), b: theta[f] };
}

/** P(label index 1) per row. */
export function predictBinaryLogistic(m: BinaryLogistic, x: Float64Array, n: number): Float64Array {
  const f = m.w.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = m.b;
    for (let j = 0; j < f; j++) z += m.w[j] * x[i * f + j];
    out[i] = sigmoid(z);
  }
  return out;
}

export interface MultinomialLogistic {
  /** k x f row-major weights. */
  w: number[];
  /** k intercepts. */
  b: number[];
  k: number;
}

/** Softmax of row-major n x k scores, in place. */
export function softmaxRows(s: Float64Array, k: number): Float64Array {
  for (let i = 0; i < s.length; i += k) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, s[i + c]);
    let z = 0;
    for (let c = 0; c < k; c++) z += s[i + c] = Math.exp(s[i + c] - m);
    for (let c = 0; c < k; c++) s[i + c] /= z;
  }
  return s;
}

/** Multinomial (softmax) logistic regression; targets are class indices in [0, k). */
export function fitMultinomialLogistic(x: Float64Array, n: number, f: number, y: readonly number[], k: number, l2 = 1, iterations = 50): MultinomialLogistic {
  const d = f + 1;
  const dim = k * d;
  const theta = new Float64Array(dim);
  for (let it = 0; it < iterations; it++) {
    const grad = new Float64Array(dim);
    const hess = new Float64Array(dim * dim);
    const p = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const row = x.subarray(i * f, (i + 1) * f);
      for (let c = 0; c < k; c++) {
        let z = theta[c * d + f];
        for (let j = 0; j < f; j++) z += theta[c * d + j] * row[j];
        p[c] = z;
      }
      softmaxRows(p, k);
      for (let c = 0; c < k; c++) {
        const r = p[c] - (y[i] === c ? 1 : 0);
        for (let j = 0; j <= f; j++) grad[c * d + j] += r * (j < f ? row[j] : 1);
        for (let c2 = 0; c2 < k; c2++) {
          const w = p[c] * ((c === c2 ? 1 : 0) - p[c2]);
          if (w === 0) continue;
          for (let j = 0; j <= f; j++) {
            const xj = j < f ? row[j] : 1;
            if (xj === 0) continue;
            for (let j2 = 0; j2 <= f; j2++) hess[(c * d + j) * dim + c2 * d + j2] += w * xj * (j2 < f ? row[j2] : 1);
          }
        }
      }
    }
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < f; j++) {
        grad[c * d + j] += l2 * theta[c * d + j];
        hess[(c * d + j) * dim + c * d + j] += l2;
      }
      // The softmax is unchanged by a shift common to all intercepts: a tiny ridge picks the
      // zero-sum solution and keeps the Hessian invertible.
      grad[c * d + f] += 1e-8 * theta[c * d + f];
      hess[(c * d + f) * dim + c * d + f] += 1e-8;
    }
    const step = solve(hess, grad, dim);
    let size = 0;
    for (let j = 0; j < dim; j++) {
      theta[j] -= step[j];
      size = Math.max(size, Math.abs(step[j]));
    }
    if (size < 1e-10) break;
  }
  const w: number[] = [];
  const b: number[] = [];
  for (let c = 0; c < k; c++) {
    w.push(...theta.subarray(c * d, c * d + f));
    b.push(theta[c * d + f]);
  }
  return { w, b, k };
}

/** Row-major n x k probabilities. */
export function predictMultinomialLogistic(m: MultinomialLogistic, x: Float64Array, n: number): Float64Array {
  const f = m.w.length / m.k;
  const s = new Float64Array(n * m.k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < m.k; c++) {
      let z = m.b[c];
      for (let j = 0; j < f; j++) z += m.w[c * f + j] * x[i * f + j];
      s[i * m.k + c] = z;
    }
  return softmaxRows(s, m.k);
}
