/**
 * Drift of one feature between a reference and a current sample: every statistic that applies to its
 * kind, a severity from PSI, and both distributions on shared bins for an overlaid chart. Then the
 * same for every feature of two tables, sorted by PSI.
 */
import { parseNumber } from '../../data/infer';
import type { Column, Table } from '../../data/table';
import { histogramCounts, HISTOGRAM_BINS, niceEdges } from '../data-quality/histogram';
import { formatNumber, known, unknown, type Metric } from '../quality/metric';
import { chiSquare, type ChiSquareResult } from './chi-square';
import { jensenShannon } from './jensen-shannon';
import { ks2Sorted, KS_P_VALUE_METHOD, type KsResult } from './ks';
import {
  binCategorical,
  binNumeric,
  categoricalReference,
  numericReference,
  psiOf,
  PSI_BINNING,
  PSI_BINS,
  PSI_THRESHOLDS,
  severityOf,
  type BinnedPair,
  type PsiBin,
  type Severity,
} from './psi';
import { compareSchemas, type SchemaComparison } from './schema';
import { sortedFinite } from './sorted';
import { wasserstein1FromSorted, type WassersteinResult } from './wasserstein';

export interface DistributionBin {
  label: string;
  /** Numeric bins: [x0, x1); null for categories. */
  x0: number | null;
  x1: number | null;
  /** Shares of all rows of each side (missing rows included in the denominator). */
  ref: number;
  cur: number;
  /** True for a category the reference does not have. */
  unseen: boolean;
}

/** Both distributions on shared bins, for an overlaid chart. */
export interface OverlaidDistribution {
  kind: 'numeric' | 'categorical';
  /** Numeric: round equal-width bins over both samples' range; categorical: the categories (top ones, then 'other'). */
  bins: DistributionBin[];
  /** Shares of rows missing on each side. */
  missing: { ref: number; cur: number };
}

export interface FeatureDrift {
  name: string;
  /** How the feature was compared (a feature typed differently on the two sides is compared one way; see `notes`). */
  kind: 'numeric' | 'categorical';
  rows: { ref: number; cur: number };
  missingShare: { ref: number; cur: number };
  /** Population Stability Index on the reference bins (`PSI_BINNING`). */
  psi: Metric;
  severity: Severity;
  psiBins: PsiBin[];
  /** Numeric only. */
  ks: KsResult | null;
  /** Categorical only: over the PSI bins (missing as its own category when present). */
  chiSquare: ChiSquareResult | null;
  /** Over the PSI bins (missing included): in [0, 1]. */
  jensenShannon: Metric;
  /** Numeric only. */
  wasserstein: WassersteinResult | null;
  /** Numeric only: the mean of the finite values on each side. */
  mean: { ref: Metric; cur: Metric } | null;
  /** Categorical only: current categories the reference does not have, most frequent first. */
  unseen: { value: string; count: number }[];
  distribution: OverlaidDistribution;
  /** Short remarks in words (unseen categories, a jump in missing values, a type difference). */
  notes: string[];
}

export interface DriftOptions {
  /** Numeric PSI bins (reference quantiles). Default 10 (deciles). */
  bins?: number;
  /** Largest number of bins of the overlaid numeric distribution. Default 20. */
  histogramBins?: number;
  /** Most categories in the overlaid distribution before the rest join 'other'. Default 20. */
  maxCategories?: number;
}

/** Every method and threshold, in words, for a method note beside the drift table. */
export const DRIFT_METHODS = {
  psi: PSI_BINNING,
  severity: PSI_THRESHOLDS,
  ks: `Kolmogorov-Smirnov (numeric): D = largest gap between the two empirical distribution functions of the non-missing values; p-value from the ${KS_P_VALUE_METHOD}.`,
  chiSquare: 'Chi-square (categorical): Pearson\u2019s test of homogeneity on the 2 \u00D7 k table of category counts (missing as a category when present, categories empty on both sides dropped, no Yates correction); p-value from the regularized upper incomplete gamma function.',
  jensenShannon: 'Jensen-Shannon distance: square root of the Jensen-Shannon divergence in base 2 between the two shares on the PSI bins: 0 identical, 1 disjoint.',
  wasserstein: 'Wasserstein-1 (numeric): area between the two empirical distribution functions, in the feature\u2019s units; normalized = divided by the reference standard deviation (population).',
  pValues: 'With thousands of rows, p-values flag even tiny shifts; read them beside PSI and the distances, which measure how large the shift is.',
} as const;

const NO_ROWS: Metric = unknown('no values');

function meanOf(sorted: Float64Array): Metric {
  if (sorted.length === 0) return NO_ROWS;
  let s = 0;
  for (const v of sorted) s += v;
  return known(s / sorted.length);
}

const countOf = (values: ArrayLike<unknown>, rows?: ArrayLike<number>) => (rows ? rows.length : values.length);
const pct = (x: number) => `${formatNumber(100 * x, 3)}%`;

function missingNote(name: string, ref: number, cur: number): string | null {
  if (Math.abs(cur - ref) < 0.01) return null;
  return `Missing values in '${name}' ${cur > ref ? 'rose' : 'fell'} from ${pct(ref)} to ${pct(cur)} of rows.`;
}

function psiFields(pair: BinnedPair) {
  const p = psiOf(pair);
  return { psi: p.value, severity: severityOf(p.value), psiBins: p.bins, jensenShannon: jensenShannon(pair.ref, pair.cur) };
}

/**
 * Drift of a numeric feature (NaN and ±Infinity = missing). `refRows` / `curRows` pick rows (a time
 * window) instead of the whole arrays.
 */
export function numericDrift(
  name: string,
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  options: DriftOptions = {},
  refRows?: ArrayLike<number>,
  curRows?: ArrayLike<number>,
): FeatureDrift {
  const a = sortedFinite(ref, refRows);
  const b = sortedFinite(cur, curRows);
  const nRef = countOf(ref, refRows);
  const nCur = countOf(cur, curRows);
  const missingShare = { ref: nRef ? (nRef - a.length) / nRef : 0, cur: nCur ? (nCur - b.length) / nCur : 0 };
  const pair = binNumeric(numericReference(ref, options.bins ?? PSI_BINS, refRows, a), cur, curRows);

  const min = Math.min(a.length ? a[0] : Infinity, b.length ? b[0] : Infinity);
  const max = Math.max(a.length ? a[a.length - 1] : -Infinity, b.length ? b[b.length - 1] : -Infinity);
  const integers = a.every(Number.isInteger) && b.every(Number.isInteger);
  const edges = niceEdges(min, max, options.histogramBins ?? HISTOGRAM_BINS, integers);
  const refHist = histogramCounts(a, edges);
  const curHist = histogramCounts(b, edges);
  const bins: DistributionBin[] = Array.from(refHist, (r, k) => ({
    label: `${formatNumber(edges[k])} \u2013 ${formatNumber(edges[k + 1])}`,
    x0: edges[k],
    x1: edges[k + 1],
    ref: nRef ? r / nRef : 0,
    cur: nCur ? curHist[k] / nCur : 0,
    unseen: false,
  }));

  const notes: string[] = [];
  const m = missingNote(name, missingShare.ref, missingShare.cur);
  if (m) notes.push(m);
  return {
    name,
    kind: 'numeric',
    rows: { ref: nRef, cur: nCur },
    missingShare,
    ...psiFields(pair),
    ks: ks2Sorted(a, b),
    chiSquare: null,
    wasserstein: wasserstein1FromSorted(a, b),
    mean: { ref: meanOf(a), cur: meanOf(b) },
    unseen: [],
    distribution: { kind: 'numeric', bins, missing: missingShare },
    notes,
  };
}

/** A categorical sample: dictionary codes (−1 = missing) into `categories`. */
export interface CodedSample {
  codes: ArrayLike<number>;
  categories: readonly string[];
}

/** Drift of a categorical feature; categories are matched by text. */
export function categoricalDrift(
  name: string,
  ref: CodedSample,
  cur: CodedSample,
  options: DriftOptions = {},
  refRows?: ArrayLike<number>,
  curRows?: ArrayLike<number>,
): FeatureDrift {
  const reference = categoricalReference(ref.codes, ref.categories, refRows);
  const pair = binCategorical(reference, cur.codes, cur.categories, curRows);
  const nRef = countOf(ref.codes, refRows);
  const nCur = countOf(cur.codes, curRows);
  const refLabels = new Set(reference.labels.filter((_, i) => reference.counts[i] > 0));
  const last = pair.bins.length - 1;
  const hasMissing = last >= 0 && pair.bins[last].missing;
  const missingShare = {
    ref: hasMissing && nRef ? pair.ref[last] / nRef : 0,
    cur: hasMissing && nCur ? pair.cur[last] / nCur : 0,
  };

  const unseen: { value: string; count: number }[] = [];
  let bins: DistributionBin[] = [];
  pair.bins.forEach((b, i) => {
    if (b.missing) return;
    const isUnseen = !refLabels.has(b.label);
    if (isUnseen) unseen.push({ value: b.label, count: pair.cur[i] });
    bins.push({ label: b.label, x0: null, x1: null, ref: nRef ? pair.ref[i] / nRef : 0, cur: nCur ? pair.cur[i] / nCur : 0, unseen: isUnseen });
  });
  unseen.sort((x, y) => y.count - x.count);
  const maxCategories = Math.max(2, options.maxCategories ?? 20);
  if (bins.length > maxCategories) {
    const ranked = [...bins].sort((x, y) => Math.max(y.ref, y.cur) - Math.max(x.ref, x.cur));
    const kept = new Set(ranked.slice(0, maxCategories - 1));
    const rest = bins.filter((b) => !kept.has(b));
    const other: DistributionBin = {
      label: `other (${rest.length})`,
      x0: null,
      x1: null,
      ref: rest.reduce((s, b) => s + b.ref, 0),
      cur: rest.reduce((s, b) => s + b.cur, 0),
      unseen: false,
    };
    bins = [...bins.filter((b) => kept.has(b)), other];
  }

  const notes: string[] = [];
  if (unseen.length > 0) {
    const rows = unseen.reduce((s, u) => s + u.count, 0);
    const list = unseen.slice(0, 5).map((u) => `'${u.value}' (${u.count})`).join(', ');
    notes.push(`${rows} current ${rows === 1 ? 'row has a value' : 'rows have values'} of '${name}' the reference never has: ${list}${unseen.length > 5 ? ', …' : ''}.`);
  }
  const m = missingNote(name, missingShare.ref, missingShare.cur);
  if (m) notes.push(m);
  return {
    name,
    kind: 'categorical',
    rows: { ref: nRef, cur: nCur },
    missingShare,
    ...psiFields(pair),
    ks: null,
    chiSquare: chiSquare(pair.ref, pair.cur),
    wasserstein: null,
    mean: null,
    unseen,
    distribution: { kind: 'categorical', bins, missing: missingShare },
    notes,
  };
}

/** A column's values as numbers: numeric as is, text categories parsed (non-numbers become NaN). */
function asNumbers(col: Column): { values: Float64Array; notNumbers: number } {
  if (col.kind === 'numeric') return { values: col.values, notNumbers: 0 };
  const byCode = col.categories.map((c) => parseNumber(c));
  const values = new Float64Array(col.codes.length);
  let notNumbers = 0;
  for (let i = 0; i < values.length; i++) {
    const c = col.codes[i];
    values[i] = c < 0 ? NaN : byCode[c];
    if (c >= 0 && Number.isNaN(byCode[c])) notNumbers++;
  }
  return { values, notNumbers };
}

/** A column as dictionary codes: categorical as is, numbers spelled as `cellText` spells them. */
function asCodes(col: Column): CodedSample {
  if (col.kind !== 'numeric') return col;
  const index = new Map<string, number>();
  const categories: string[] = [];
  const codes = new Int32Array(col.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = col.values[i];
    if (Number.isNaN(v)) {
      codes[i] = -1;
      continue;
    }
    const t = String(v);
    let c = index.get(t);
    if (c === undefined) {
      c = categories.length;
      index.set(t, c);
      categories.push(t);
    }
    codes[i] = c;
  }
  return { codes, categories };
}

/** Share of a categorical column's non-missing cells whose text reads as a number. */
function numericShare(col: Column): number {
  if (col.kind === 'numeric') return 1;
  const parsed = col.categories.map((c) => !Number.isNaN(parseNumber(c)));
  let numbers = 0, total = 0;
  for (const c of col.codes) {
    if (c < 0) continue;
    total++;
    if (parsed[c]) numbers++;
  }
  return total ? numbers / total : 0;
}

/**
 * Drift of one feature between two columns of the same name. Boolean columns compare as categorical.
 * When one side is numeric and the other text, the text side is read as numbers if most of its cells
 * are numbers (the rest count as missing), otherwise both sides are compared as text; `notes` says so.
 */
export function featureDrift(refCol: Column, curCol: Column, options: DriftOptions = {}, refRows?: ArrayLike<number>, curRows?: ArrayLike<number>): FeatureDrift {
  const name = refCol.name;
  const refNumeric = refCol.kind === 'numeric';
  const curNumeric = curCol.kind === 'numeric';
  if (refNumeric && curNumeric) return numericDrift(name, refCol.values, curCol.values, options, refRows, curRows);
  if (!refNumeric && !curNumeric) return categoricalDrift(name, refCol, curCol, options, refRows, curRows);

  const textSide = refNumeric ? curCol : refCol;
  const where = refNumeric ? 'current' : 'reference';
  if (numericShare(textSide) >= 0.5) {
    const r = asNumbers(refCol);
    const c = asNumbers(curCol);
    const d = numericDrift(name, r.values, c.values, options, refRows, curRows);
    const bad = r.notNumbers + c.notNumbers;
    d.notes.unshift(`'${name}' is text in the ${where} file; compared as numbers, with its ${bad} non-numeric ${bad === 1 ? 'cell' : 'cells'} counted as missing.`);
    return d;
  }
  const d = categoricalDrift(name, asCodes(refCol), asCodes(curCol), options, refRows, curRows);
  d.notes.unshift(`'${name}' is numeric in one file and text in the other; compared as text values.`);
  return d;
}

export interface DriftReport {
  schema: SchemaComparison;
  /** One entry per compared feature, PSI descending; features whose PSI is unknown last. */
  features: FeatureDrift[];
  /** Features per severity. */
  counts: Record<Severity, number>;
  methods: typeof DRIFT_METHODS;
}

/** Sorts by PSI descending (unknown last), ties in the given order. */
export function sortByDrift<T extends { psi: Metric }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((x, y) => {
      const a = x.item.psi.value, b = y.item.psi.value;
      if (a === null || b === null) return a === null && b === null ? x.i - y.i : a === null ? 1 : -1;
      return b - a || x.i - y.i;
    })
    .map((e) => e.item);
}

/**
 * Drift of every feature present in both tables (or of `features`, those of them present in both),
 * sorted by PSI descending, with the schema comparison that explains any other difference.
 */
export function driftReport(ref: Table, cur: Table, features?: readonly string[], options: DriftOptions = {}): DriftReport {
  const schema = compareSchemas(ref, cur);
  const matched = new Set(schema.matched);
  const names = features ? features.filter((f) => matched.has(f)) : schema.matched;
  const refBy = new Map(ref.columns.map((c) => [c.name, c]));
  const curBy = new Map(cur.columns.map((c) => [c.name, c]));
  const drifts = sortByDrift(names.map((n) => featureDrift(refBy.get(n)!, curBy.get(n)!, options)));
  const counts: Record<Severity, number> = { none: 0, moderate: 0, major: 0, unknown: 0 };
  for (const d of drifts) counts[d.severity]++;
  return { schema, features: drifts, counts, methods: DRIFT_METHODS };
}
