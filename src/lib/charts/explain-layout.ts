/**
 * Pure layouts of the explanation charts: beeswarm dodging, waterfall bars in pixels, and the value
 * domains of partial-dependence plots. Scales come from `layout.ts`; drawing is the components' job.
 */

/**
 * Vertical offsets (pixels, centred on 0) that keep circles of radius `r` at pixel positions `xs` from
 * overlapping: each point, taken in x order, goes to the free offset nearest 0 (0, +d, −d, +2d, …),
 * clamped to ±`maxOffset` (points beyond it overlap). Deterministic.
 */
export function beeswarmOffsets(xs: ArrayLike<number>, r: number, maxOffset: number): Float64Array {
  const n = xs.length;
  const out = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
  const d = 2 * r;
  const placed: number[] = [];
  let first = 0;
  for (const i of order) {
    while (first < placed.length && xs[placed[first]] < xs[i] - d) first++;
    let chosen = 0;
    for (let k = 0; ; k++) {
      const y = k === 0 ? 0 : (k % 2 ? 1 : -1) * Math.ceil(k / 2) * d;
      if (Math.abs(y) > maxOffset) {
        chosen = 0;
        break;
      }
      let free = true;
      for (let p = first; p < placed.length; p++) {
        const j = placed[p];
        const dx = xs[i] - xs[j];
        const dy = y - out[j];
        if (dx * dx + dy * dy < d * d - 1e-9) {
          free = false;
          break;
        }
      }
      if (free) {
        chosen = y;
        break;
      }
    }
    out[i] = chosen;
    placed.push(i);
  }
  return out;
}

export interface HBar {
  /** Left edge and width, pixels. */
  x: number;
  width: number;
  positive: boolean;
}

/** A horizontal bar between two values on scale `x`, at least `minWidth` pixels wide so a tiny step stays visible. */
export function spanBar(from: number, to: number, x: (v: number) => number, minWidth = 1): HBar {
  const a = x(from);
  const b = x(to);
  const left = Math.min(a, b);
  const width = Math.max(minWidth, Math.abs(b - a));
  return { x: width > Math.abs(b - a) ? (a + b) / 2 - width / 2 : left, width, positive: to >= from };
}

/** [min, max] of every finite value in the arrays, padded by `pad` of the span (a flat line gets ±0.5). */
export function paddedDomain(arrays: ArrayLike<number>[], pad = 0.05): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return [0, 1];
  if (hi === lo) return [lo - 0.5, hi + 0.5];
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

/** Short text of a number for chart labels (3 significant digits, no exponent for everyday sizes). */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return Number(v.toPrecision(3)).toString();
}
