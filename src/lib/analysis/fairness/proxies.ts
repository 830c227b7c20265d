/**
 * Proxies of a sensitive attribute. Leaving the sensitive column out of the model is not fairness:
 * other features that carry the same information (a postcode for ethnicity, a job title for sex) let
 * the model treat the groups differently all the same. This module says whether the model reads a
 * sensitive column at all, and how much each other feature reveals about the attribute: mutual
 * information (bits), normalised by the attribute's entropy, and a one-feature probe.
 */
import type { Table } from '../../data/table';
import { ratio, unknown, type Metric } from '../quality/metric';
import { partition, type Grouping } from './groups';

export interface ProxyOptions {
  /** Columns the model consumes (the mapping's bound columns). */
  consumed: readonly string[];
  /** Columns to scan; default every column but the sensitive ones and `exclude`. */
  columns?: readonly string[];
  /** Columns never scanned (the target, an id); default none. */
  exclude?: readonly string[];
  /** Equal-count bins for numeric features (quantile cut points, ties merged); default 10. */
  bins?: number;
}

export interface ProxyFeature {
  column: string;
  /** Whether the model consumes this feature. */
  consumed: boolean;
  /** Levels the feature was read as: categories or bins, missing counting as one. */
  levels: number;
  /** Mutual information with the sensitive attribute, in bits (plug-in estimate: biased up on small samples). */
  mutualInformation: number;
  /** MI ÷ H(attribute), in [0, 1]: the share of the attribute's uncertainty the feature removes. */
  normalized: Metric;
  /**
   * MI a feature independent of the attribute would show at this sample size, in bits: the
   * Miller–Madow bias (levels − 1)(groups − 1) / (2 n ln 2). Values near it are noise.
   */
  chanceMI: number;
  /** In-sample accuracy of guessing each row's group as the most common group of its feature level. */
  probeAccuracy: number;
  /** Accuracy of always guessing the largest group: the probe's no-information baseline. */
  majorityRate: number;
}

export interface ProxyReport {
  /** Sensitive columns (those of the grouping) the model consumes. */
  consumedSensitive: string[];
  consumesSensitive: boolean;
  /** Rows counted (those in a group). */
  rows: number;
  /** Entropy of the attribute (the grouping's groups), bits. */
  entropy: number;
  /** Features by normalised MI, highest first. */
  features: ProxyFeature[];
}

/** Mutual information in bits of an X × S contingency table of counts, `counts[x * S + s]` (0 when empty). */
export function mutualInformation(counts: ArrayLike<number>, X: number, S: number): number {
  const nx = new Float64Array(X), ns = new Float64Array(S);
  let n = 0;
  for (let x = 0; x < X; x++) {
    for (let s = 0; s < S; s++) {
      const c = counts[x * S + s];
      nx[x] += c;
      ns[s] += c;
      n += c;
    }
  }
  if (n === 0) return 0;
  let mi = 0;
  for (let x = 0; x < X; x++) {
    for (let s = 0; s < S; s++) {
      const c = counts[x * S + s];
      if (c > 0) mi += (c / n) * Math.log2((c * n) / (nx[x] * ns[s]));
    }
  }
  // Rounding can leave -1e-17 for independent features.
  return Math.max(0, mi);
}

/** Entropy in bits of counts. */
export function entropyBits(counts: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  let h = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) h -= (counts[i] / n) * Math.log2(counts[i] / n);
  return Math.max(0, h);
}

/**
 * Whether the model reads a sensitive column, and every other feature's mutual information with
 * the sensitive attribute as `grouping` defines it (a single column or an intersection). Rows
 * outside every group are left out; a feature's missing values are a level of their own.
 */
export function proxyScan(table: Table, grouping: Grouping, opts: ProxyOptions): ProxyReport {
  const sensitive = new Set(grouping.columns);
  const consumed = new Set(opts.consumed);
  const skip = new Set([...(opts.exclude ?? []), ...sensitive]);
  const names = opts.columns ?? table.columns.map((c) => c.name).filter((c) => !skip.has(c));
  const bins = Math.max(2, Math.floor(opts.bins ?? 10));
  const S = grouping.groups.length, rg = grouping.rowGroup;
  const ns = new Float64Array(S);
  let n = 0;
  for (let i = 0; i < rg.length; i++) {
    if (rg[i] < 0) continue;
    ns[rg[i]]++;
    n++;
  }
  const entropy = entropyBits(ns);
  const majorityRate = n ? Math.max(...ns) / n : 0;

  const features = names.map((name): ProxyFeature => {
    const col = table.columns.find((c) => c.name === name);
    if (!col) throw new Error(`No column named '${name}'.`);
    const levels = partition(table, [{ column: name, binning: col.kind === 'numeric' ? { kind: 'quantiles', k: bins } : undefined }], { minSize: 0 });
    const X = levels.groups.length;
    const counts = new Float64Array(X * S);
    for (let i = 0; i < rg.length; i++) if (rg[i] >= 0 && levels.rowGroup[i] >= 0) counts[levels.rowGroup[i] * S + rg[i]]++;
    const mi = mutualInformation(counts, X, S);
    let right = 0;
    for (let x = 0; x < X; x++) {
      let top = 0;
      for (let s = 0; s < S; s++) top = Math.max(top, counts[x * S + s]);
      right += top;
    }
    return {
      column: name,
      consumed: consumed.has(name),
      levels: X,
      mutualInformation: mi,
      normalized: entropy > 0 ? ratio(mi, entropy, '') : unknown('the sensitive attribute has a single group'),
      chanceMI: n ? ((X - 1) * (S - 1)) / (2 * n * Math.LN2) : 0,
      probeAccuracy: n ? right / n : 0,
      majorityRate,
    };
  });
  features.sort((a, b) => (b.normalized.value ?? 0) - (a.normalized.value ?? 0) || b.mutualInformation - a.mutualInformation);
  const consumedSensitive = grouping.columns.filter((c) => consumed.has(c));
  return { consumedSensitive, consumesSensitive: consumedSensitive.length > 0, rows: n, entropy, features };
}
