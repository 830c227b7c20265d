/**
 * Chart layouts: scales, ticks and SVG path strings computed from data with d3, no DOM. Components
 * only place what these return, so every chart's geometry is testable.
 */
import { scaleLinear, scaleLog, line, area, curveStepAfter, curveLinear, type ScaleLinear, type ScaleLogarithmic } from 'd3';

export interface Frame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const defaultFrame = (width = 560, height = 260): Frame => ({
  width,
  height,
  margin: { top: 12, right: 16, bottom: 40, left: 56 },
});

/** Inner plotting box of a frame. */
export function plotBox(f: Frame) {
  return {
    x0: f.margin.left,
    x1: f.width - f.margin.right,
    y0: f.height - f.margin.bottom,
    y1: f.margin.top,
  };
}

export type Scale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

/** A y or x scale over [lo, hi] onto a pixel range; `log` needs lo > 0; padded domains are `nice`. */
export function makeScale(domain: [number, number], range: [number, number], opts: { log?: boolean; nice?: boolean } = {}): Scale {
  let [lo, hi] = domain;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) * 0.05, hi + Math.abs(hi) * 0.05];
  if (opts.log && lo > 0) {
    const s = scaleLog().domain([lo, hi]).range(range);
    return opts.nice === false ? s : s.nice();
  }
  const s = scaleLinear().domain([lo, hi]).range(range);
  return opts.nice === false ? s : s.nice();
}

export interface Tick {
  value: number;
  pos: number;
  label: string;
}

/**
 * About `count` ticks. Log scales keep round values only (powers of ten, adding 2× and 5× when fewer
 * than three powers fall in the domain). `format` overrides the scale's own labels (e.g. units).
 */
export function ticks(scale: Scale, count = 6, format?: (v: number) => string): Tick[] {
  let values = scale.ticks(count);
  const isLog = 'base' in scale;
  if (isLog) {
    const mantissa = (v: number) => Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
    const powers = values.filter((v) => mantissa(v) === 1);
    values = powers.length >= 3 ? powers : values.filter((v) => [1, 2, 5].includes(mantissa(v)));
  }
  const fmt = format ?? (isLog ? (v: number) => String(+v.toPrecision(3)) : scale.tickFormat(count));
  return values.map((value) => ({ value, pos: scale(value), label: fmt(value) }));
}

/** Ticks at given values (e.g. the batch sizes measured), thinned so labels do not collide. */
export function valueTicks(scale: Scale, values: number[], minGapPx = 26, format: (v: number) => string = String): Tick[] {
  const out: Tick[] = [];
  for (const value of values) {
    const pos = scale(value);
    if (out.length && Math.abs(pos - out[out.length - 1].pos) < minGapPx) continue;
    out.push({ value, pos, label: format(value) });
  }
  return out;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Rectangles for histogram bins [x0, x1) with counts. */
export function histogramBars(bins: { x0: number; x1: number; count: number }[], x: Scale, y: Scale): Bar[] {
  const base = y.range()[0];
  return bins.map((b) => {
    const left = x(b.x0), right = x(b.x1), top = y(b.count);
    return { x: left, y: top, width: Math.max(0, right - left - 1), height: Math.max(0, base - top) };
  });
}

/** An SVG path through points, skipping non-finite ones (gaps); `step` draws a staircase (ECDF). */
export function linePath(points: { x: number; y: number }[], x: Scale, y: Scale, opts: { step?: boolean } = {}): string {
  const gen = line<{ x: number; y: number }>()
    .defined((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .x((p) => x(p.x))
    .y((p) => y(p.y))
    .curve(opts.step ? curveStepAfter : curveLinear);
  return gen(points) ?? '';
}

/** An SVG path for a band between lo and hi (confidence intervals). */
export function bandPath(points: { x: number; lo: number; hi: number }[], x: Scale, y: Scale): string {
  const gen = area<{ x: number; lo: number; hi: number }>()
    .defined((p) => Number.isFinite(p.x) && Number.isFinite(p.lo) && Number.isFinite(p.hi))
    .x((p) => x(p.x))
    .y0((p) => y(p.lo))
    .y1((p) => y(p.hi));
  return gen(points) ?? '';
}

/** Smallest and largest finite values across arrays (null when there are none). */
export function extent(...arrays: ArrayLike<number>[]): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Milliseconds as people read them: µs below 1 ms, s above 10 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 10_000) return `${ms < 10 ? ms.toPrecision(3) : ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
/** The palette for thin lines: Okabe-Ito without yellow (1.2:1 on white) and black (invisible on the dark theme). */
export const LINE_PALETTE = PALETTE.slice(0, 6);
