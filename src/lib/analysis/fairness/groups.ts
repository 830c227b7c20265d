/**
 * Sensitive groups: each row's group under one sensitive column (categories, or numeric bins) or
 * under the intersection of several (e.g. Sex × Age group), as a per-row group index that every
 * other fairness function reads.
 *
 * Missing sensitive values form their own '(missing)' group by default: the rows whose attribute is
 * unknown are often exactly the ones treated differently, and dropping them would hide that. With
 * `missing: 'exclude'` they get group -1 and are left out of every figure.
 */
import type { Column, Table } from '../../data/table';
import { quantileSorted } from '../data-summary';
import { formatNumber } from '../quality/metric';

/**
 * How to cut a numeric column. 'quantiles': `k` equal-count bins (cut points at the i/k quantiles,
 * duplicates merged, so tied data may give fewer bins). 'edges': cut points given by the user, each
 * starting a bin (values < edges[0] form the first bin, values >= the last edge the last one).
 * Empty bins are dropped. Bins are closed on the left: [lo, hi).
 */
export type Binning = { kind: 'quantiles'; k: number } | { kind: 'edges'; edges: readonly number[] };

/** A sensitive column and, for a numeric one, how to bin it. */
export interface SensitiveSpec {
  column: string;
  /**
   * Numeric columns only. Default: each distinct value is its own group when there are at most
   * `DISTINCT_AS_CATEGORIES` of them (a 0/1-coded attribute), quartiles otherwise.
   */
  binning?: Binning;
}

/** Numeric columns with at most this many distinct values are grouped by value when no binning is given. */
export const DISTINCT_AS_CATEGORIES = 10;

/** Quartiles: the binning of a numeric column with many values when none is given. */
export const DEFAULT_BINNING: Binning = Object.freeze({ kind: 'quantiles', k: 4 });

/** Default minimum group size: smaller groups are flagged as too small to judge. */
export const DEFAULT_MIN_SIZE = 30;

/** Label of the group of rows whose sensitive value is missing. */
export const MISSING_LABEL = '(missing)';

export interface GroupOptions {
  /**
   * `groupRows` only: also return the intersection of all the columns (when there are two or more).
   * Default false.
   */
  intersections?: boolean;
  /** Groups with fewer rows are flagged `tooSmall`; default 30. */
  minSize?: number;
  /** 'group' (default): missing values form a '(missing)' group; 'exclude': such rows get group -1. */
  missing?: 'group' | 'exclude';
}

/** One column's part of a group's definition. */
export interface GroupPart {
  column: string;
  /** The category text, a bin such as '[19, 27)', or '(missing)'. */
  value: string;
  /** Numeric bins: the bin's bounds [lo, hi) (±Infinity at an open end); null for categories and missing. */
  range: [number, number] | null;
}

export interface Group {
  /** 'Sex=female', 'Age∈[19, 27)', 'Sex=female × Age∈[19, 27)'. */
  label: string;
  parts: GroupPart[];
  /** Rows in the group (whatever their label or score). */
  size: number;
  /** `size < minSize`. */
  tooSmall: boolean;
}

/** A partition of the rows into groups. */
export interface Grouping {
  /** The sensitive columns combined (one for single groups, several for an intersection). */
  columns: string[];
  /** Non-empty groups, ordered by each column's values (categories in natural order, bins ascending, missing last). */
  groups: Group[];
  /** Per row: index into `groups`, or -1 when the row is in none (a missing value with `missing: 'exclude'`). */
  rowGroup: Int32Array;
  /** The `minSize` the flags were set with. */
  minSize: number;
}

/** One sensitive column as per-row codes into `values`. */
interface Coded {
  column: string;
  codes: Int32Array;
  values: { value: string; range: [number, number] | null }[];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Cut points for a numeric column (ascending, distinct) under `binning`; `sorted` holds the
 * column's non-missing values ascending.
 */
export function binCuts(sorted: Float64Array, binning: Binning): number[] {
  const raw: number[] = [];
  if (binning.kind === 'edges') raw.push(...binning.edges.filter((e) => Number.isFinite(e)));
  else {
    const k = Math.max(1, Math.floor(binning.k));
    for (let i = 1; i < k; i++) raw.push(quantileSorted(sorted, i / k));
  }
  raw.sort((a, b) => a - b);
  return raw.filter((c, i) => Number.isFinite(c) && (i === 0 || c !== raw[i - 1]));
}

/** Index of the bin holding v: the number of cut points <= v. */
function binOf(cuts: ArrayLike<number>, v: number): number {
  let lo = 0, hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Codes a column into groups: categories (natural order) or numeric bins; the missing code, if any
 * row has one, comes last (or is -1 when `exclude`). Values not present in any row are dropped.
 */
function codeColumn(col: Column, binning: Binning | undefined, exclude: boolean, n: number): Coded {
  const raw = new Int32Array(n);
  let labels: { value: string; range: [number, number] | null }[];
  if (col.kind !== 'numeric') {
    const order = col.categories.map((_, i) => i).sort((a, b) => collator.compare(col.categories[a], col.categories[b]));
    const rank = new Int32Array(col.categories.length);
    order.forEach((c, r) => (rank[c] = r));
    for (let i = 0; i < n; i++) raw[i] = col.codes[i] < 0 ? -1 : rank[col.codes[i]];
    labels = order.map((c) => ({ value: col.categories[c], range: null }));
  } else {
    const finite: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isFinite(col.values[i])) finite.push(col.values[i]);
    const sorted = Float64Array.from(finite).sort();
    const distinct = sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
    if (!binning && distinct.length <= DISTINCT_AS_CATEGORIES) {
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        raw[i] = Number.isFinite(v) ? binOf(distinct, v) - 1 : -1;
      }
      labels = Array.from(distinct, (v) => ({ value: formatNumber(v, 17), range: null }));
    } else {
      const cuts = binCuts(sorted, binning ?? DEFAULT_BINNING);
      for (let i = 0; i < n; i++) {
        const v = col.values[i];
        raw[i] = Number.isFinite(v) ? binOf(cuts, v) : -1;
      }
      // Open ends read as the data's own extremes: 'Age∈[19, 27)' rather than 'Age<27'.
      const min = sorted.length ? sorted[0] : NaN, max = sorted.length ? sorted[sorted.length - 1] : NaN;
      labels = [];
      for (let b = 0; b <= cuts.length; b++) {
        const lo = b === 0 ? -Infinity : cuts[b - 1], hi = b === cuts.length ? Infinity : cuts[b];
        const shownLo = b === 0 ? min : lo;
        const text = hi === Infinity ? `[${formatNumber(shownLo)}, ${formatNumber(max)}]` : `[${formatNumber(shownLo)}, ${formatNumber(hi)})`;
        labels.push({ value: text, range: [lo, hi] });
      }
    }
  }
  // Keep only values some row has; missing last.
  const used = new Uint8Array(labels.length);
  let anyMissing = false;
  for (let i = 0; i < n; i++) {
    if (raw[i] >= 0) used[raw[i]] = 1;
    else anyMissing = true;
  }
  const remap = new Int32Array(labels.length).fill(-1);
  const values: Coded['values'] = [];
  labels.forEach((l, c) => {
    if (used[c]) {
      remap[c] = values.length;
      values.push(l);
    }
  });
  const missingCode = anyMissing && !exclude ? values.length : -1;
  if (missingCode >= 0) values.push({ value: MISSING_LABEL, range: null });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = raw[i] >= 0 ? remap[raw[i]] : missingCode;
  return { column: col.name, codes, values };
}

/** 'Sex=female', or 'Age∈[19, 27)' for a bin. */
function partLabel(p: GroupPart): string {
  return p.range ? `${p.column}∈${p.value}` : `${p.column}=${p.value}`;
}

/** Groups of the cross product of coded columns, keeping only non-empty combinations. */
function cross(coded: Coded[], n: number, minSize: number): Grouping {
  const radix = coded.map((c) => c.values.length);
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let c = 0; c < coded.length; c++) {
      const code = coded[c].codes[i];
      if (code < 0) {
        k = -1;
        break;
      }
      k = k * radix[c] + code;
    }
    key[i] = k;
  }
  const present = [...new Set(Array.from(key).filter((k) => k >= 0))].sort((a, b) => a - b);
  const index = new Map<number, number>();
  present.forEach((k, g) => index.set(k, g));
  const rowGroup = new Int32Array(n);
  const size = new Array<number>(present.length).fill(0);
  for (let i = 0; i < n; i++) {
    const g = key[i] < 0 ? -1 : index.get(key[i])!;
    rowGroup[i] = g;
    if (g >= 0) size[g]++;
  }
  const groups = present.map((k, g): Group => {
    const parts: GroupPart[] = new Array(coded.length);
    for (let c = coded.length - 1; c >= 0; c--) {
      const code = k % radix[c];
      k = (k - code) / radix[c];
      parts[c] = { column: coded[c].column, ...coded[c].values[code] };
    }
    return { label: parts.map(partLabel).join(' × '), parts, size: size[g], tooSmall: size[g] < minSize };
  });
  return { columns: coded.map((c) => c.column), groups, rowGroup, minSize };
}

/**
 * One partition of the rows by the combination of every spec's column: one spec gives that
 * column's groups, several give their intersection (empty combinations left out). Throws on an
 * unknown column.
 */
export function partition(table: Table, specs: readonly SensitiveSpec[], opts: GroupOptions = {}): Grouping {
  const exclude = opts.missing === 'exclude';
  const coded = specs.map((s) => {
    const col = table.columns.find((c) => c.name === s.column);
    if (!col) throw new Error(`No column named '${s.column}'.`);
    return codeColumn(col, s.binning, exclude, table.nRows);
  });
  return cross(coded, table.nRows, opts.minSize ?? DEFAULT_MIN_SIZE);
}

/**
 * The partitions a fairness view shows: one per sensitive column (single groups), then, with
 * `intersections` and two or more columns, the intersection of all of them.
 */
export function groupRows(table: Table, sensitive: readonly SensitiveSpec[], opts: GroupOptions = {}): Grouping[] {
  const out = sensitive.map((s) => partition(table, [s], opts));
  if (opts.intersections && sensitive.length > 1) out.push(partition(table, sensitive, opts));
  return out;
}

/** Index of the group with the most rows (first on ties), or -1 when there are none. */
export function largestGroup(grouping: Grouping): number {
  let best = -1;
  grouping.groups.forEach((g, i) => {
    if (best < 0 || g.size > grouping.groups[best].size) best = i;
  });
  return best;
}
