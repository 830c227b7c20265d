/**
 * What the fairness view shows, in words and positions: the default favourable prediction, user
 * bin edges, a randomized rule as text, the proxy verdict and the disparity chart's layout. Pure.
 */
import type { Interval } from '../quality/bootstrap';
import type { Metric } from '../quality/metric';
import type { DisparityCell } from './disparities';
import type { GroupRule } from './group-metrics';
import type { ProxyReport } from './proxies';

/** Class names that read as the harmful outcome (a bad risk, a default, a refusal). */
const HARMFUL = /\b(bad|default(ed)?|denied|deny|reject(ed)?|refus(ed|al)|fraud|high[ _-]?risk|churn(ed)?|fail(ed|ure)?|yes[ _-]?default)\b/i;

/**
 * Which prediction benefits the person: 'negative' when the positive class reads as a harmful
 * outcome ('Bad' credit risk, 'default', 'fraud'), else 'positive'.
 */
export function defaultFavorable(positiveClass: string): 'positive' | 'negative' {
  return HARMFUL.test(positiveClass.replace(/([a-z])([A-Z])/g, '$1 $2')) ? 'negative' : 'positive';
}

/** Bin edges typed by a user ('25, 40 60'): finite numbers ascending, duplicates dropped; null when none parse. */
export function parseEdges(text: string): number[] | null {
  const nums = text
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
    .map(Number)
    .filter(Number.isFinite);
  const out = [...new Set(nums)].sort((a, b) => a - b);
  return out.length ? out : null;
}

/** A rule as text: '0.412' for one threshold, '0.38/0.41 with p=0.27' for a mix (p: weight of the first). */
export function formatRule(rule: GroupRule, digits = 3): string {
  const parts = rule.thresholds
    .map((t, j) => ({ t, w: rule.weights[j] }))
    .filter((p) => p.w > 1e-12);
  const fmt = (t: number) => (Number.isFinite(t) ? t.toFixed(digits) : t > 0 ? '∞ (none)' : '−∞ (all)');
  if (parts.length <= 1) return fmt(parts[0]?.t ?? rule.thresholds[0]);
  const ts = parts.map((p) => fmt(p.t)).join('/');
  const ps = parts.slice(0, -1).map((p) => p.w.toFixed(2)).join('/');
  return `${ts} with p=${ps}`;
}

/** Normalised MI at or above which a feature is called a near-perfect proxy. */
export const STRONG_PROXY = 0.5;
/** Normalised MI at or above which a feature is called a proxy. */
export const PROXY = 0.05;

/** The sentence the proxies table opens with. */
export function proxyVerdict(report: ProxyReport, attribute: string): { level: 'bad' | 'warn' | 'ok'; text: string } {
  const strong = report.features.filter((f) => (f.normalized.value ?? 0) >= STRONG_PROXY);
  const some = report.features.filter((f) => (f.normalized.value ?? 0) >= PROXY && f.mutualInformation > 2 * f.chanceMI);
  const names = (fs: typeof some) => fs.slice(0, 3).map((f) => f.column).join(', ');
  if (report.consumesSensitive)
    return {
      level: 'bad',
      text: `The model reads ${report.consumedSensitive.join(', ')} directly: its decisions can depend on the sensitive attribute itself.${some.length ? ` Removing it would not be enough: ${names(some)} also carr${some.length === 1 ? 'ies' : 'y'} information about ${attribute}.` : ''}`,
    };
  if (strong.length) return { level: 'bad', text: `The model does not read ${attribute}, but ${names(strong)} predict${strong.length === 1 ? 's' : ''} it almost perfectly: leaving the column out does not hide it.` };
  if (some.length) return { level: 'warn', text: `The model does not read ${attribute}, but ${names(some)} carr${some.length === 1 ? 'ies' : 'y'} information about it (a proxy): leaving the column out is not fairness.` };
  return { level: 'ok', text: `The model does not read ${attribute}, and no feature carries much information about it beyond chance.` };
}

/** One row of the disparity chart: a group's gap (dot) and its interval (whisker), in data units. */
export interface DotRow {
  label: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
  reference: boolean;
  flagged: boolean;
  tooSmall: boolean;
  /** Why there is no dot. */
  reason: string | null;
}

/** Rows of the disparity chart from a disparity's cells. */
export function dotRows(labels: readonly string[], cells: readonly DisparityCell[], reference: readonly number[], tooSmall: readonly boolean[]): DotRow[] {
  return cells.map((c, g) => ({
    label: labels[g],
    value: c.value.value,
    lo: c.interval.lo,
    hi: c.interval.hi,
    reference: reference.includes(g),
    flagged: c.flagged,
    tooSmall: tooSmall[g],
    reason: c.value.reason,
  }));
}

/**
 * Domain of the disparity chart's value axis: every dot and whisker, the no-gap line (0, or 1 for a
 * ratio), and for a ratio the four-fifths band [f, 1/f].
 */
export function dotDomain(rows: readonly DotRow[], ratio: boolean, fourFifths = 0.8): [number, number] {
  const vals: number[] = [ratio ? 1 : 0];
  if (ratio) vals.push(fourFifths, 1 / fourFifths);
  for (const r of rows) for (const v of [r.value, r.lo, r.hi]) if (v !== null && Number.isFinite(v)) vals.push(v);
  let lo = Math.min(...vals), hi = Math.max(...vals);
  if (!ratio) {
    const m = Math.max(Math.abs(lo), Math.abs(hi), 0.05);
    [lo, hi] = [-m, m];
  }
  return [lo, hi];
}

/** Metric of a value, for cells built outside the analysis modules. */
export const metricText = (m: Metric | null | undefined, digits = 3): string => (m && m.value !== null ? m.value.toFixed(digits) : '—');

/** Interval as '[lo, hi]', or '' when undefined. */
export const intervalText = (iv: Interval | null | undefined, digits = 3): string => (iv && iv.lo !== null && iv.hi !== null ? `[${iv.lo.toFixed(digits)}, ${iv.hi.toFixed(digits)}]` : '');
