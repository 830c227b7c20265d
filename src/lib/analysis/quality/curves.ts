/**
 * Thinning long curves (ROC, PR, expected value) for drawing, keeping their shape: largest-triangle-
 * three-buckets picks, in each bucket of consecutive points, the one that spans the largest triangle
 * with its neighbours, so corners survive and straight runs collapse.
 */

/**
 * Indexes (ascending) of at most `maxPoints` points of the polyline (x[i], y[i]) that keep its shape;
 * the first and last points are always kept. All indexes when the curve is short enough.
 * @param maxPoints default 500, at least 3.
 */
export function downsampleIndexes(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = 500): Uint32Array {
  const n = x.length;
  const m = Math.max(3, Math.floor(maxPoints));
  if (n <= m) return Uint32Array.from({ length: n }, (_, i) => i);
  const out = new Uint32Array(m);
  const every = (n - 2) / (m - 2);
  let a = 0;
  for (let b = 0; b < m - 2; b++) {
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    // The next bucket's centroid stands in for the point not yet chosen.
    const nStart = end;
    const nEnd = Math.min(n, Math.floor((b + 2) * every) + 1);
    let cx = 0, cy = 0;
    for (let i = nStart; i < nEnd; i++) {
      cx += x[i];
      cy += y[i];
    }
    const cn = Math.max(1, nEnd - nStart);
    cx /= cn;
    cy /= cn;
    let best = start, bestArea = -1;
    const ax = x[a], ay = y[a];
    for (let i = start; i < end; i++) {
      const area = Math.abs((ax - cx) * (y[i] - ay) - (ax - x[i]) * (cy - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    out[b + 1] = best;
    a = best;
  }
  out[m - 1] = n - 1;
  return out;
}

/** `values[idx[i]]` for each i, as a Float64Array. */
export function pick(values: ArrayLike<number>, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = values[idx[i]];
  return out;
}
