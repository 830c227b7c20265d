/**
 * Geometry of the scorecard's Pareto chart: p95 latency on a log x axis, the quality metric on y,
 * point area by model size, colour by fairness gap on the cividis scale (sequential, readable with
 * colour-vision deficiencies), the front as a step line, and the latency budget as a vertical line.
 */
import { interpolateCividis, scaleSqrt } from 'd3';
import { defaultFrame, makeScale, plotBox, ticks, type Tick } from '../charts/layout';

export interface ParetoInput {
  name: string;
  latencyMs: number | null;
  metric: number | null;
  sizeBytes: number;
  fairnessGap: number | null;
}

export interface PlacedPoint {
  index: number;
  name: string;
  x: number;
  y: number;
  r: number;
  /** Fill colour; grey when the gap is unknown. */
  fill: string;
  onFront: boolean;
}

export interface ParetoLayout {
  width: number;
  height: number;
  box: { x0: number; x1: number; y0: number; y1: number };
  xTicks: Tick[];
  yTicks: Tick[];
  points: PlacedPoint[];
  /** Candidates not drawn (latency or metric missing), by index. */
  missing: number[];
  /** SVG path through the front, in cost order (empty with fewer than 2 front points). */
  frontPath: string;
  /** x of the budget line, null when it is off the axis or not set. */
  budgetX: number | null;
  /** Colour legend: gradient stops and the gap domain. */
  legend: { stops: { offset: number; color: string }[]; domain: [number, number] };
}

export const UNKNOWN_GAP_FILL = '#9e9e9e';

const fmtMs = (v: number) => (v >= 1 ? `${+v.toPrecision(3)} ms` : `${+(v * 1000).toPrecision(3)} µs`);

/**
 * Places the points. `front` are the indexes on the Pareto front (from `paretoFront`), in cost order.
 * The latency axis spans the points and the budget, padded by a quarter decade each side.
 */
export function paretoLayout(items: readonly ParetoInput[], front: readonly number[], opts: { budgetMs?: number | null; width?: number; height?: number } = {}): ParetoLayout {
  const frame = defaultFrame(opts.width ?? 560, opts.height ?? 300);
  frame.margin.right = 96;
  const box = plotBox(frame);
  const drawn = items.map((p, i) => ({ p, i })).filter(({ p }) => p.latencyMs !== null && p.latencyMs > 0 && p.metric !== null && Number.isFinite(p.metric));
  const missing = items.map((_, i) => i).filter((i) => !drawn.some((d) => d.i === i));
  const lat = drawn.map(({ p }) => p.latencyMs!);
  const budget = opts.budgetMs && opts.budgetMs > 0 ? opts.budgetMs : null;
  const lo = Math.min(...lat, ...(budget ? [budget] : []), Infinity);
  const hi = Math.max(...lat, ...(budget ? [budget] : []), -Infinity);
  const xDomain: [number, number] = Number.isFinite(lo) ? [lo / 1.8, hi * 1.8] : [0.01, 100];
  const x = makeScale(xDomain, [box.x0, box.x1], { log: true, nice: false });
  // The quality axis spans every model with a metric, placed or not, so measuring latency later moves points only sideways.
  const ms = items.map((p) => p.metric).filter((m): m is number => m !== null && Number.isFinite(m));
  const mlo = ms.length ? Math.min(...ms) : 0, mhi = ms.length ? Math.max(...ms) : 1;
  const pad = mhi > mlo ? (mhi - mlo) * 0.15 : Math.max(Math.abs(mhi) * 0.02, 0.01);
  const y = makeScale([mlo - pad, mhi + pad], [box.y0, box.y1]);
  const maxSize = Math.max(1, ...items.map((p) => p.sizeBytes));
  const r = scaleSqrt().domain([0, maxSize]).range([0, 16]);
  const gaps = items.map((p) => p.fairnessGap).filter((g): g is number => g !== null && Number.isFinite(g));
  const gDomain: [number, number] = [0, Math.max(0.2, ...gaps)];
  const color = (g: number | null) => (g === null || !Number.isFinite(g) ? UNKNOWN_GAP_FILL : interpolateCividis(Math.min(1, Math.max(0, g / gDomain[1]))));
  const onFront = new Set(front);
  const points = drawn.map(({ p, i }) => ({
    index: i,
    name: p.name,
    x: x(p.latencyMs!),
    y: y(p.metric!),
    r: Math.max(4, r(p.sizeBytes)),
    fill: color(p.fairnessGap),
    onFront: onFront.has(i),
  }));
  const fp = front.map((i) => points.find((p) => p.index === i)).filter((p): p is PlacedPoint => !!p);
  // A step line: from each front point, across to the next point's latency, then to its quality.
  const frontPath = fp.length >= 2 ? fp.map((p, k) => (k === 0 ? `M${p.x},${p.y}` : `H${p.x}V${p.y}`)).join('') : '';
  const bx = budget ? x(budget) : null;
  return {
    width: frame.width,
    height: frame.height,
    box,
    xTicks: ticks(x, 5, fmtMs),
    yTicks: ticks(y, 5, (v) => String(+v.toPrecision(3))),
    points,
    missing,
    frontPath,
    budgetX: bx !== null && bx >= box.x0 && bx <= box.x1 ? bx : null,
    legend: { stops: [0, 0.25, 0.5, 0.75, 1].map((o) => ({ offset: o, color: interpolateCividis(o) })), domain: gDomain },
  };
}
