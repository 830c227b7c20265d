/**
 * The shapes of one row's explanation: a waterfall (base value, one step per feature by |φ|, the rest
 * lumped, ending at the output) and a force-style bar (pushes up on one side, down on the other, meeting
 * at the output). Positions are in the output space; scales and pixels are the chart's business.
 */
import type { RowAttribution } from './attributions';

export interface WaterfallStep {
  /** Column name, or 'N other features' for the lumped rest. */
  label: string;
  /** The row's value of that column as text ('' for the lumped rest). */
  value: string;
  phi: number;
  /** Running total before and after this step. */
  start: number;
  end: number;
  /** How many columns the step holds (1, or the lumped count). */
  features: number;
}

export interface Waterfall {
  base: number;
  output: number;
  steps: WaterfallStep[];
  /** Smallest and largest running total, base and output included (the x domain to draw). */
  min: number;
  max: number;
}

/**
 * Steps ordered by |φ|, largest first, at most `maxSteps` of them (default 10) with the others lumped
 * into one final step. `valueText(feature)` gives the row's value of a column for its label.
 */
export function waterfall(a: RowAttribution, opts: { maxSteps?: number; valueText?: (feature: string) => string } = {}): Waterfall {
  const maxSteps = Math.max(1, opts.maxSteps ?? 10);
  const order = a.features.map((_, j) => j).sort((p, q) => Math.abs(a.phi[q]) - Math.abs(a.phi[p]) || p - q);
  const shown = order.length > maxSteps ? order.slice(0, maxSteps - 1) : order;
  const rest = order.slice(shown.length);
  const steps: WaterfallStep[] = [];
  let at = a.base;
  let min = a.base;
  let max = a.base;
  const push = (label: string, value: string, phi: number, features: number) => {
    steps.push({ label, value, phi, start: at, end: at + phi, features });
    at += phi;
    min = Math.min(min, at);
    max = Math.max(max, at);
  };
  for (const j of shown) push(a.features[j], opts.valueText?.(a.features[j]) ?? '', a.phi[j], 1);
  if (rest.length) push(`${rest.length} other feature${rest.length === 1 ? '' : 's'}`, '', rest.reduce((s, j) => s + a.phi[j], 0), rest.length);
  min = Math.min(min, a.output);
  max = Math.max(max, a.output);
  return { base: a.base, output: a.output, steps, min, max };
}

export interface ForceSegment {
  feature: string;
  phi: number;
  from: number;
  to: number;
}

export interface ForceBar {
  base: number;
  output: number;
  /** Positive φ, stacked from base + Σ negatives upward, largest nearest the output. */
  up: ForceSegment[];
  /** Negative φ, stacked from base + Σ positives downward, largest nearest the output. */
  down: ForceSegment[];
  min: number;
  max: number;
}

/**
 * A force plot's bar: the positive attributions push right from the low end up to the output, the
 * negative ones push left from the high end down to the output (both ending at the output, largest
 * segments next to it). `min`/`max` span the whole bar.
 */
export function forceBar(a: RowAttribution): ForceBar {
  const pos = a.features.map((f, j) => ({ f, p: a.phi[j] })).filter((x) => x.p > 0).sort((x, y) => x.p - y.p);
  const neg = a.features.map((f, j) => ({ f, p: a.phi[j] })).filter((x) => x.p < 0).sort((x, y) => y.p - x.p);
  const sumPos = pos.reduce((s, x) => s + x.p, 0);
  const sumNeg = neg.reduce((s, x) => s + x.p, 0);
  const end = a.base + sumPos + sumNeg;
  const up: ForceSegment[] = [];
  let at = end - sumPos;
  for (const x of pos) {
    up.push({ feature: x.f, phi: x.p, from: at, to: at + x.p });
    at += x.p;
  }
  const down: ForceSegment[] = [];
  at = end - sumNeg;
  for (const x of neg) {
    down.push({ feature: x.f, phi: x.p, from: at, to: at + x.p });
    at += x.p;
  }
  return { base: a.base, output: a.output, up, down, min: end - sumPos, max: end - sumNeg };
}
