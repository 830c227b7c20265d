/**
 * Disparities between sensitive groups: each group's gap to a reference group (the largest by
 * default, or the best group per metric), with intervals from the same stratified bootstrap
 * resamples as the group metrics, and the worst gap over groups.
 */
import type { Interval } from '../quality/bootstrap';
import { known, unknown, type Metric } from '../quality/metric';
import { GROUP_RATE_UNDEFINED, percentileInterval, type GroupMetricsResult, type GroupRate } from './group-metrics';

/** Every disparity, in the order a view lists them. */
export const DISPARITY_KINDS = [
  'demographicParityDifference',
  'demographicParityRatio',
  'equalOpportunityDifference',
  'equalizedOddsDifference',
  'predictiveParityDifference',
  'calibrationGapDifference',
] as const;

/**
 * demographicParityDifference: selection rate − the reference's. demographicParityRatio: favourable
 * rate ÷ the reference's (flagged by the four-fifths rule). equalOpportunityDifference: TPR − the
 * reference's. equalizedOddsDifference: max(|TPR gap|, |FPR gap|), never negative.
 * predictiveParityDifference: precision − the reference's. calibrationGapDifference: the group's
 * (mean score − observed rate) − the reference's.
 */
export type DisparityKind = (typeof DISPARITY_KINDS)[number];

export interface DisparityOptions {
  /**
   * 'largest' (default): the group with the most counted rows; 'best': per metric, the group with
   * the most favourable selection rate, highest TPR, lowest FPR, highest precision, smallest
   * |calibration gap| (among groups not too small, unless `includeSmall`); or a group index.
   */
  reference?: 'largest' | 'best' | number;
  /**
   * Which prediction benefits the person (a loan granted): 'positive' (default) or 'negative' (when
   * the positive class is the bad outcome, as 'Bad' credit risk). The parity ratio compares rates of
   * the favourable prediction, and 'best' selection rate means the most favourable.
   */
  favorable?: 'positive' | 'negative';
  /** Ratio below which demographic parity is flagged; default 0.8 (the four-fifths rule). */
  fourFifths?: number;
  /** Let groups too small to judge be the worst gap or the best reference; default false. */
  includeSmall?: boolean;
}

/** One group's gap to the reference. */
export interface DisparityCell {
  value: Metric;
  /** From the stratified bootstrap (reference group: null with the reason 'the reference group'). */
  interval: Interval;
  /** Ratio only: the pair fails the four-fifths rule (min(r, 1/r) < 0.8); false for differences. */
  flagged: boolean;
}

export interface Disparity {
  kind: DisparityKind;
  /** Reference group index; for equalized odds against the best, [best-TPR group, best-FPR group]. */
  reference: number[];
  /** Indexed like the groups. */
  perGroup: DisparityCell[];
  /**
   * Differences: the largest |gap| over the groups judged; ratio: the smallest min(r, 1/r) (how much
   * of the more favoured group's rate the less favoured one gets). `group` is where it occurs (-1
   * when undefined). The interval is of that worst value across resamples (over the same groups).
   */
  worst: { group: number; value: Metric; interval: Interval; flagged: boolean };
}

export interface DisparityReport {
  reference: 'largest' | 'best' | number;
  favorable: 'positive' | 'negative';
  fourFifths: number;
  measures: Record<DisparityKind, Disparity>;
}

/** How a disparity reads the rates of a group and of its reference(s). */
interface Spec {
  keys: GroupRate[];
  /** vg[k], vr[k]: the group's and the reference's value of keys[k]; NaN = undefined. */
  combine: (vg: number[], vr: number[]) => number;
  /** The reference group's own value. */
  self: number;
  ratio?: boolean;
}

const noInterval = (reason: string): Interval => ({ lo: null, hi: null, reason, resamples: 0 });

/**
 * Every disparity of `gm`'s groups against a reference. Groups whose metric is undefined get a
 * null value with the reason; the worst gap skips groups too small to judge unless `includeSmall`.
 */
export function disparities(gm: GroupMetricsResult, opts: DisparityOptions = {}): DisparityReport {
  const favorable = opts.favorable ?? 'positive';
  const fourFifths = opts.fourFifths ?? 0.8;
  const refOpt = opts.reference ?? 'largest';
  const G = gm.groups.length;
  const judged = (g: number) => opts.includeSmall || !gm.groups[g].tooSmall;
  const val = (key: GroupRate, g: number) => gm.groups[g][key].value ?? NaN;
  const fav = (x: number) => (favorable === 'positive' ? x : 1 - x);

  let largest = -1;
  gm.groups.forEach((g, i) => {
    if (largest < 0 || g.n > gm.groups[largest].n) largest = i;
  });
  /** Best group for a rate: highest `goodness` among judged groups with a value (any group if none is judged). */
  const best = (key: GroupRate, goodness: (v: number) => number) => {
    let b = -1, bv = -Infinity;
    for (const pass of [true, false]) {
      for (let g = 0; g < G; g++) {
        const v = val(key, g);
        if (Number.isNaN(v) || (pass && !judged(g))) continue;
        if (goodness(v) > bv) {
          bv = goodness(v);
          b = g;
        }
      }
      if (b >= 0) break;
    }
    return b;
  };
  const refFor = (key: GroupRate): number => {
    if (typeof refOpt === 'number') {
      if (!(refOpt >= 0 && refOpt < G)) throw new Error(`No group ${refOpt}.`);
      return refOpt;
    }
    if (refOpt === 'largest') return largest;
    switch (key) {
      case 'selectionRate':
        return best(key, fav);
      case 'fpr':
        return best(key, (v) => -v);
      case 'calibrationGap':
        return best(key, (v) => -Math.abs(v));
      default:
        return best(key, (v) => v);
    }
  };

  const specs: Record<DisparityKind, Spec> = {
    demographicParityDifference: { keys: ['selectionRate'], combine: (g, r) => g[0] - r[0], self: 0 },
    demographicParityRatio: {
      keys: ['selectionRate'],
      combine: (g, r) => (fav(r[0]) === 0 ? (fav(g[0]) === 0 ? 1 : Infinity) : fav(g[0]) / fav(r[0])),
      self: 1,
      ratio: true,
    },
    equalOpportunityDifference: { keys: ['tpr'], combine: (g, r) => g[0] - r[0], self: 0 },
    equalizedOddsDifference: { keys: ['tpr', 'fpr'], combine: (g, r) => Math.max(Math.abs(g[0] - r[0]), Math.abs(g[1] - r[1])), self: 0 },
    predictiveParityDifference: { keys: ['precision'], combine: (g, r) => g[0] - r[0], self: 0 },
    calibrationGapDifference: { keys: ['calibrationGap'], combine: (g, r) => g[0] - r[0], self: 0 },
  };

  const boot = gm.bootstrap;
  const B = boot ? boot.resamples : 0;
  /** Closeness to parity: |d| for differences, min(r, 1/r) for ratios (smaller is worse). */
  const severity = (spec: Spec, v: number) => (spec.ratio ? -Math.min(v, 1 / v) : Math.abs(v));
  const fromSeverity = (spec: Spec, s: number) => (spec.ratio ? -s : s);

  const measures = {} as Record<DisparityKind, Disparity>;
  for (const kind of DISPARITY_KINDS) {
    const spec = specs[kind];
    const refs = spec.keys.map(refFor);
    const flag = (v: number | null) => !!spec.ratio && v !== null && Math.min(v, 1 / v) < fourFifths;
    /** Why the point value is undefined for group g, or null. */
    const why = (g: number): string | null => {
      for (let k = 0; k < spec.keys.length; k++) {
        const key = spec.keys[k];
        if (refs[k] < 0) return `no group has a ${key}`;
        for (const [h, who] of [
          [refs[k], 'the reference group'],
          [g, 'this group'],
        ] as const) {
          const m = gm.groups[h][key];
          if (m.value === null) return `${key} undefined for ${who} (${m.reason})`;
        }
      }
      return null;
    };
    /** Per-resample values of group g (NaN where undefined). */
    const draws = (g: number): Float64Array => {
      const out = new Float64Array(B);
      for (let b = 0; b < B; b++) {
        const vg = spec.keys.map((key) => boot!.samples[key][b * G + g]);
        const vr = spec.keys.map((key, k) => boot!.samples[key][b * G + refs[k]]);
        out[b] = spec.combine(vg, vr);
      }
      return out;
    };
    const isRef = (g: number) => refs.length === 1 && refs[0] === g;
    const cellDraws: (Float64Array | null)[] = [];
    const perGroup = gm.groups.map((_, g): DisparityCell => {
      cellDraws[g] = null;
      if (isRef(g)) return { value: known(spec.self), interval: noInterval('the reference group'), flagged: false };
      const reason = why(g);
      if (reason) return { value: unknown(reason), interval: noInterval(reason), flagged: false };
      const v = spec.combine(
        spec.keys.map((key) => val(key, g)),
        spec.keys.map((key, k) => val(key, refs[k])),
      );
      const value = known(v, 'the reference group has no favourable predictions');
      let interval = noInterval('not bootstrapped');
      if (boot) {
        const d = draws(g);
        cellDraws[g] = d;
        interval = percentileInterval(d, boot.level, spec.keys.map((k) => GROUP_RATE_UNDEFINED[k]).join('; '));
      }
      return { value, interval, flagged: flag(value.value) };
    });

    // Worst gap over the judged groups with a value (references included: for 'best' they gap to another key's best).
    const members = perGroup.map((c, g) => g).filter((g) => perGroup[g].value.value !== null && judged(g) && !isRef(g));
    let worst: Disparity['worst'];
    if (members.length === 0) {
      const reason = G < 2 ? 'only one group' : opts.includeSmall ? 'no other group has a value' : 'no other group with a value is large enough to judge';
      worst = { group: -1, value: unknown(reason), interval: noInterval(reason), flagged: false };
    } else {
      let wg = members[0];
      for (const g of members) if (severity(spec, perGroup[g].value.value!) > severity(spec, perGroup[wg].value.value!)) wg = g;
      const wv = fromSeverity(spec, severity(spec, perGroup[wg].value.value!));
      let interval = noInterval('not bootstrapped');
      if (boot) {
        const d = new Float64Array(B).fill(-Infinity);
        for (const g of members) {
          const dg = cellDraws[g] ?? draws(g);
          for (let b = 0; b < B; b++) {
            // A resample where some group's gap is undefined has no worst gap.
            const s = Number.isFinite(dg[b]) || (spec.ratio && dg[b] === Infinity) ? severity(spec, dg[b]) : NaN;
            d[b] = Number.isNaN(s) || Number.isNaN(d[b]) ? NaN : Math.max(d[b], s);
          }
        }
        interval = percentileInterval(d.map((s) => fromSeverity(spec, s)), boot.level, spec.keys.map((k) => GROUP_RATE_UNDEFINED[k]).join('; '));
      }
      worst = { group: wg, value: known(wv), interval, flagged: flag(wv) };
    }
    measures[kind] = { kind, reference: refs, perGroup, worst };
  }
  return { reference: refOpt, favorable, fourFifths, measures };
}
