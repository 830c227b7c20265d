/**
 * Error colours and the error-heatmap layout: a sequential colour-blind-safe ramp for error rate or
 * mean absolute error, its stepped legend, and cell / label positions for an `ErrorHeatmap`. No DOM.
 */
import { format, interpolateOrRd, rgb, scaleLinear } from 'd3';
import type { ErrorHeatmap } from '../analysis/quality/heatmap';
import type { ErrorKind } from '../analysis/quality/row-errors';
import { formatNumber } from '../analysis/quality/metric';
import type { Tick } from './layout';

const count = format(',');

/** Rows as people read them: '1,234'. */
export const formatCount = (n: number): string => count(n);

/** '1 row', '1,234 rows'. */
export const formatRows = (n: number): string => `${count(n)} ${n === 1 ? 'row' : 'rows'}`;

/** An error as text: a percentage for a misclassification rate ('31%', '4.5%'), else the mean absolute error to 3 digits. */
export function formatError(kind: ErrorKind, value: number): string {
  if (kind === 'absolute error') return formatNumber(value, 3);
  const pct = value * 100;
  if (pct === 0 || pct >= 10) return `${Math.round(pct)}%`;
  return `${+pct.toFixed(1)}%`;
}

/** What the error is called on an axis or in a legend. */
export const errorName = (kind: ErrorKind): string => (kind === 'absolute error' ? 'mean absolute error' : 'error rate');

export interface ColorScale {
  /** [0, hi]: values at or above hi get the darkest colour. */
  domain: [number, number];
  color: (value: number) => string;
}

/**
 * Colours for errors from 0 to `max` (rounded up to a nice value; [0, 1] when max is not positive):
 * d3's OrRd ramp without its near-white end, so a 0 still shows against a white panel.
 */
export function errorColorScale(max: number): ColorScale {
  const hi = Number.isFinite(max) && max > 0 ? (scaleLinear().domain([0, max]).nice().domain()[1] as number) : 1;
  const color = (v: number) => interpolateOrRd(0.1 + 0.9 * Math.min(1, Math.max(0, v / hi)));
  return { domain: [0, hi], color };
}

/** Black or white, whichever reads better on `fill` (by relative luminance). */
export function textOn(fill: string): '#000000' | '#ffffff' {
  const c = rgb(fill);
  const lin = (u: number) => {
    const s = u / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const L = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  return L > 0.33 ? '#000000' : '#ffffff';
}

export interface ColorLegend {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Adjacent rectangles approximating the ramp (no gradient ids, so several charts can share a page). */
  steps: { x: number; width: number; fill: string }[];
  ticks: Tick[];
  title: string;
}

/** A horizontal colour ramp of `width` px at (x, y) with about 3 labelled ticks. */
export function colorLegend(scale: ColorScale, kind: ErrorKind, x: number, y: number, width = 140, height = 8, steps = 28): ColorLegend {
  const [lo, hi] = scale.domain;
  const w = width / steps;
  const s = scaleLinear().domain([lo, hi]).range([x, x + width]);
  return {
    x,
    y,
    width,
    height,
    steps: Array.from({ length: steps }, (_, i) => ({ x: x + i * w, width: w + 0.5, fill: scale.color(lo + ((i + 0.5) / steps) * (hi - lo)) })),
    ticks: s.ticks(3).map((v) => ({ value: v, pos: s(v), label: formatError(kind, v) })),
    title: errorName(kind),
  };
}

/**
 * Greedy word wrap into at most `maxLines` lines of `maxChars`. A word too long for a line is cut to
 * 'Checking…'; the last line ends in '…' when words were left out.
 */
export function wrapText(text: string, maxChars: number, maxLines = 1): { lines: string[]; truncated: boolean } {
  const limit = Math.max(2, Math.floor(maxChars));
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  let cutWord = false;
  let i = 0;
  while (i < words.length && lines.length < maxLines) {
    const w = words[i];
    const next = cur ? `${cur} ${w}` : w;
    if (next.length <= limit) {
      cur = next;
      i++;
    } else if (cur) {
      lines.push(cur);
      cur = '';
    } else {
      // A word longer than a line (a long column name) is cut, and the text goes on after it.
      lines.push(`${w.slice(0, limit - 1)}…`);
      cutWord = true;
      i++;
    }
  }
  if (cur) lines.push(cur);
  if (i < words.length) {
    const last = lines[lines.length - 1];
    if (!last.endsWith('…')) lines[lines.length - 1] = last.length < limit ? `${last}…` : `${last.slice(0, limit - 1)}…`;
  }
  return { lines, truncated: cutWord || i < words.length };
}

/** `text` cut to `maxChars` characters, the last one '…' when cut. */
export function truncate(text: string, maxChars: number): string {
  const limit = Math.max(2, Math.floor(maxChars));
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Average glyph width as a share of the font size (sans-serif), for fitting text without a DOM. */
export const CHAR_WIDTH = 0.62;

export interface HeatmapCellBox {
  xi: number;
  yi: number;
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  /** Error rate or mean absolute error; null for an empty cell. */
  mean: number | null;
  /** Ramp colour, or null for an empty cell (draw it greyed). */
  fill: string | null;
  /** Lines to print inside (count, then the error when there is room); may be empty. */
  text: string[];
  textColor: string | null;
  /** Full description for a tooltip. */
  title: string;
}

export interface AxisLabel {
  pos: number;
  text: string;
  /** Uncut label (for a tooltip when `text` was shortened). */
  full: string;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  box: { x0: number; x1: number; y0: number; y1: number };
  cells: HeatmapCellBox[];
  xLabels: AxisLabel[];
  /** x labels are drawn turned by -35° when they do not fit across a column. */
  xRotated: boolean;
  yLabels: AxisLabel[];
  color: ColorScale;
  legend: ColorLegend;
  xTitle: string;
  yTitle: string;
}

const FONT = 11;

/** Cell grid for a heatmap `width` px wide (height follows from the number of y bins). */
export function layoutHeatmap(h: ErrorHeatmap, opts: { width?: number } = {}): HeatmapLayout {
  const width = opts.width ?? 560;
  const nx = h.x.labels.length, ny = h.y.labels.length;
  const cw = FONT * CHAR_WIDTH;
  const yCut = h.y.labels.map((l) => truncate(l, 22));
  const left = 22 + Math.max(12, ...yCut.map((t) => t.length * cw)) + 8;
  const right = 12;
  const innerW = Math.max(40, width - left - right);
  const cellW = nx ? innerW / nx : innerW;
  const fitsAcross = h.x.labels.every((l) => l.length * cw <= cellW - 4);
  const xCut = fitsAcross ? h.x.labels.slice() : h.x.labels.map((l) => truncate(l, 18));
  const longestX = Math.max(1, ...xCut.map((t) => t.length));
  const bottom = fitsAcross ? 38 : Math.ceil(longestX * cw * Math.sin((35 * Math.PI) / 180) + FONT + 26);
  const top = 36;
  const cellH = Math.min(44, Math.max(22, 260 / Math.max(1, ny)));
  const height = Math.round(top + ny * cellH + bottom);
  const box = { x0: left, x1: left + nx * cellW, y0: top + ny * cellH, y1: top };

  let max = 0;
  for (const m of h.meanError) if (m.value !== null && m.value > max) max = m.value;
  const color = errorColorScale(max);
  const name = errorName(h.kind);
  const cells: HeatmapCellBox[] = [];
  for (let yi = 0; yi < ny; yi++) {
    for (let xi = 0; xi < nx; xi++) {
      const k = yi * nx + xi;
      const n = h.count[k];
      const mean = h.meanError[k].value;
      const fill = mean === null ? null : color.color(mean);
      const where = `${h.x.column} ${h.x.labels[xi]}, ${h.y.column} ${h.y.labels[yi]}`;
      const err = mean === null ? '' : formatError(h.kind, mean);
      const lines = mean === null ? ['no rows'] : [formatCount(n), h.kind === 'absolute error' ? `MAE ${err}` : err];
      const fit = lines.filter((t) => t.length * 10 * CHAR_WIDTH <= cellW - 4);
      const room = Math.max(0, Math.floor((cellH - 4) / 12));
      const text = mean === null && fit.length === 0 && cellW >= 10 ? ['–'] : fit.slice(0, room);
      cells.push({
        xi,
        yi,
        x: box.x0 + xi * cellW,
        y: box.y1 + yi * cellH,
        width: cellW,
        height: cellH,
        count: n,
        mean,
        fill,
        text,
        textColor: fill ? textOn(fill) : null,
        title: mean === null ? `${where}: no rows` : `${where}: ${name} ${err} over ${formatRows(n)}`,
      });
    }
  }
  return {
    width,
    height,
    box,
    cells,
    xLabels: xCut.map((text, i) => ({ pos: box.x0 + (i + 0.5) * cellW, text, full: h.x.labels[i] })),
    xRotated: !fitsAcross,
    yLabels: yCut.map((text, i) => ({ pos: box.y1 + (i + 0.5) * cellH, text, full: h.y.labels[i] })),
    color,
    legend: colorLegend(color, h.kind, Math.max(left, width - right - 160), 14, 150),
    xTitle: h.x.column,
    yTitle: h.y.column,
  };
}

/**
 * One sentence on a heatmap: what it shows and its worst cell among those with at least `minRows`
 * rows (any non-empty cell when none has that many).
 */
export function heatmapSummary(h: ErrorHeatmap, minRows = 10): string {
  const nx = h.x.labels.length;
  const name = errorName(h.kind);
  let total = 0, errs = 0, filled = 0;
  let worst = -1, worstBig = -1;
  const better = (a: number, b: number) => b < 0 || h.meanError[a].value! > h.meanError[b].value! || (h.meanError[a].value === h.meanError[b].value && h.count[a] > h.count[b]);
  for (let k = 0; k < h.count.length; k++) {
    total += h.count[k];
    errs += h.errorSum[k];
    if (h.meanError[k].value === null) continue;
    filled++;
    if (better(k, worst)) worst = k;
    if (h.count[k] >= minRows && better(k, worstBig)) worstBig = k;
  }
  const head = `${name[0].toUpperCase()}${name.slice(1)} by ${h.x.column} (across) and ${h.y.column} (down); ${filled} of ${h.count.length} cells have rows.`;
  if (total === 0) return `${head} No rows with a known error.`;
  const k = worstBig >= 0 ? worstBig : worst;
  const cell = `${h.x.column} ${h.x.labels[k % nx]} and ${h.y.column} ${h.y.labels[Math.floor(k / nx)]}`;
  const what = h.kind === 'absolute error' ? `mean absolute error ${formatError(h.kind, h.meanError[k].value!)}` : `${formatError(h.kind, h.meanError[k].value!)} wrong`;
  return `${head} Highest: ${cell}, ${what} on ${formatRows(h.count[k])} (overall ${formatError(h.kind, errs / total)}).`;
}
