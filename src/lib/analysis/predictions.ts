/**
 * Row-level views of a scoring run: the target aligned to the model's classes, one score and one
 * correctness flag per row, and the sort/filter indexes behind the predictions table. Pure functions
 * over typed arrays, so 100k rows sort and filter without building row objects.
 */
import type { Column, Table } from '../data/table';
import type { Predictions } from '../model/types';

/** Canonical text of a label, so 1, "1" and "1.0" match the same class. */
export function labelKey(text: string): string {
  const t = text.trim();
  if (t !== '' && Number.isFinite(Number(t))) return String(Number(t));
  return t.toLowerCase();
}

/**
 * Index into `classes` of each row's target value; -1 where the target is missing or names a class
 * the model does not have.
 */
export function targetClassIndex(col: Column, classes: readonly string[]): Int32Array {
  const byKey = new Map<string, number>();
  classes.forEach((c, i) => byKey.set(labelKey(c), i));
  const n = col.kind === 'numeric' ? col.values.length : col.codes.length;
  const out = new Int32Array(n);
  if (col.kind === 'numeric') {
    for (let i = 0; i < n; i++) {
      const v = col.values[i];
      out[i] = Number.isNaN(v) ? -1 : (byKey.get(String(v)) ?? -1);
    }
  } else {
    const codeToClass = col.categories.map((c) => byKey.get(labelKey(c)) ?? -1);
    for (let i = 0; i < n; i++) {
      const code = col.codes[i];
      out[i] = code < 0 ? -1 : codeToClass[code];
    }
  }
  return out;
}

/**
 * Class labels a target column implies, for models that declare none: its categories (or distinct
 * numbers) in natural sort order, as sklearn's `classes_` would list them.
 */
export function classesFromColumn(col: Column): string[] {
  let labels: string[];
  if (col.kind === 'numeric') {
    const seen = new Set<number>();
    for (const v of col.values) if (!Number.isNaN(v)) seen.add(v);
    labels = [...seen].sort((a, b) => a - b).map(String);
  } else {
    const used = new Uint8Array(col.categories.length);
    // Stops once every category has been seen: usually within the first rows of a million.
    for (let i = 0, left = col.categories.length; i < col.codes.length && left > 0; i++) {
      const c = col.codes[i];
      if (c >= 0 && !used[c]) {
        used[c] = 1;
        left--;
      }
    }
    labels = col.categories.filter((_, i) => used[i]).sort(collator.compare);
  }
  return labels;
}

/** Target values as numbers for regression (NaN where missing or not numeric). */
export function targetNumbers(col: Column): Float64Array {
  if (col.kind === 'numeric') return col.values;
  const asNum = col.categories.map((c) => Number(c));
  const out = new Float64Array(col.codes.length);
  for (let i = 0; i < out.length; i++) {
    const code = col.codes[i];
    out[i] = code < 0 ? NaN : asNum[code];
  }
  return out;
}

/** Per-row values the predictions table shows and sorts by. */
export interface RowOutcomes {
  /** Binary: probability of the positive class; multiclass: probability of the predicted class; regression: the prediction. */
  score: Float32Array;
  /** Predicted class index (classification) or -1. */
  predicted: Int32Array;
  /** Target class index (classification), -1 when unknown. */
  actual: Int32Array;
  /** Regression target (NaN when unknown); empty for classification. */
  actualValue: Float64Array;
  /** 1 correct, 0 wrong, -1 not judged (no target or not scored). Regression: always -1. */
  correct: Int8Array;
  /** Regression: prediction − target (NaN when unknown); empty for classification. */
  residual: Float64Array;
}

/** Aligns predictions with the target column (null when there is none). */
export function rowOutcomes(pred: Predictions, target: Column | null, positiveClass: number): RowOutcomes {
  const n = pred.n;
  const C = pred.task === 'regression' ? 1 : pred.classes.length;
  const score = new Float32Array(n);
  const correct = new Int8Array(n).fill(-1);
  if (pred.task === 'regression') {
    score.set(pred.scores.subarray(0, n));
    const actualValue = target ? targetNumbers(target) : new Float64Array(n).fill(NaN);
    const residual = new Float64Array(n);
    for (let i = 0; i < n; i++) residual[i] = i < pred.scored ? score[i] - actualValue[i] : NaN;
    for (let i = pred.scored; i < n; i++) score[i] = NaN;
    return { score, predicted: new Int32Array(n).fill(-1), actual: new Int32Array(n).fill(-1), actualValue, correct, residual };
  }
  const actual = target ? targetClassIndex(target, pred.classes) : new Int32Array(n).fill(-1);
  const predicted = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (i >= pred.scored) {
      score[i] = NaN;
      continue;
    }
    const p = pred.labels[i];
    predicted[i] = p;
    score[i] = pred.task === 'binary' ? pred.scores[i * C + positiveClass] : p >= 0 ? pred.scores[i * C + p] : NaN;
    if (actual[i] >= 0 && p >= 0) correct[i] = actual[i] === p ? 1 : 0;
  }
  return { score, predicted, actual, actualValue: new Float64Array(0), correct, residual: new Float64Array(0) };
}

export interface PredictionSummary {
  task: Predictions['task'];
  rows: number;
  scored: number;
  /** Rows with a usable target among the scored ones. */
  labelled: number;
  /** Classification: rows predicted per class, in class order. */
  predictedCounts: number[] | null;
  /** Classification: rows per actual class among labelled rows. */
  actualCounts: number[] | null;
  /** Classification: share of labelled rows predicted correctly; null without labels. */
  accuracy: number | null;
  /** Regression: mean, min and max prediction. */
  predictionMean: number | null;
  predictionMin: number | null;
  predictionMax: number | null;
  /** Regression with targets: mean absolute error and root mean squared error. */
  mae: number | null;
  rmse: number | null;
}

/** Headline figures of a scoring run (the detailed metrics live in the quality view). */
export function summarizePredictions(pred: Predictions, rows: RowOutcomes): PredictionSummary {
  const base = {
    task: pred.task,
    rows: pred.n,
    scored: pred.scored,
    predictedCounts: null,
    actualCounts: null,
    accuracy: null,
    predictionMean: null,
    predictionMin: null,
    predictionMax: null,
    mae: null,
    rmse: null,
  };
  if (pred.task === 'regression') {
    let sum = 0, min = Infinity, max = -Infinity, k = 0, labelled = 0, abs = 0, sq = 0;
    for (let i = 0; i < pred.scored; i++) {
      const s = rows.score[i];
      if (!Number.isFinite(s)) continue;
      sum += s;
      k++;
      if (s < min) min = s;
      if (s > max) max = s;
      const r = rows.residual[i];
      if (Number.isFinite(r)) {
        labelled++;
        abs += Math.abs(r);
        sq += r * r;
      }
    }
    return {
      ...base,
      labelled,
      predictionMean: k ? sum / k : null,
      predictionMin: k ? min : null,
      predictionMax: k ? max : null,
      mae: labelled ? abs / labelled : null,
      rmse: labelled ? Math.sqrt(sq / labelled) : null,
    };
  }
  const C = pred.classes.length;
  const predictedCounts = new Array<number>(C).fill(0);
  const actualCounts = new Array<number>(C).fill(0);
  let labelled = 0, right = 0;
  for (let i = 0; i < pred.scored; i++) {
    const p = rows.predicted[i];
    if (p >= 0) predictedCounts[p]++;
    if (rows.correct[i] >= 0) {
      labelled++;
      right += rows.correct[i];
      actualCounts[rows.actual[i]]++;
    }
  }
  return { ...base, labelled, predictedCounts, actualCounts, accuracy: labelled ? right / labelled : null };
}

/** A sort key per row: numbers sort numerically, categories by their text. NaN/missing always last. */
export function columnSortKey(col: Column): Float64Array {
  if (col.kind === 'numeric') return col.values;
  const order = col.categories.map((_, i) => i).sort((a, b) => collator.compare(col.categories[a], col.categories[b]));
  const rank = new Float64Array(col.categories.length);
  order.forEach((code, r) => (rank[code] = r));
  const out = new Float64Array(col.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = col.codes[i] < 0 ? NaN : rank[col.codes[i]];
  return out;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Row order sorting `rows` (a subset, in current order) by `key`: ties by row index, NaN last in both
 * directions. A stable LSD radix sort on the keys' bit patterns (16-bit digits, passes whose digit is
 * the same for every row skipped), so a million rows sort in tens of milliseconds rather than the
 * seconds a comparator sort takes.
 */
export function sortRows(rows: Uint32Array, key: ArrayLike<number>, descending: boolean): Uint32Array {
  return sortRowsFloat32(rows, key, descending) ?? sortRowsRadix(rows, key, descending);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * When every key is exactly a float32 (model scores, integers below 2^24, category ranks): each row
 * becomes one 64-bit word, the key's order-preserving bits above the row index, and the engine's
 * native sort of a BigUint64Array orders them. Null when some key is not a float32.
 */
function sortRowsFloat32(rows: Uint32Array, key: ArrayLike<number>, descending: boolean): Uint32Array | null {
  if (!LITTLE_ENDIAN) return null;
  const n = rows.length;
  const words = new BigUint64Array(n);
  const w32 = new Uint32Array(words.buffer);
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  const out = new Uint32Array(n);
  let m = 0, nan = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i], k = key[r];
    if (k !== k) {
      out[n - 1 - nan++] = r;
      continue;
    }
    f[0] = k;
    if (f[0] !== k) return null;
    // IEEE order as unsigned order (negatives: every bit flipped; others: the sign bit set); -0 as 0.
    let b = u[0];
    b = k === 0 ? 0x80000000 : b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    if (descending) b = ~b >>> 0;
    w32[2 * m] = r;
    w32[2 * m + 1] = b;
    m++;
  }
  words.subarray(0, m).sort();
  for (let i = 0; i < m; i++) out[i] = w32[2 * i];
  // NaN rows were filled from the end: put them back in row order.
  out.subarray(m).sort();
  return out;
}

function sortRowsRadix(rows: Uint32Array, key: ArrayLike<number>, descending: boolean): Uint32Array {
  // Ascending row order first, so the stable passes leave ties by row index.
  let ascending = true;
  for (let i = 1; i < rows.length && ascending; i++) ascending = rows[i - 1] < rows[i];
  const sorted = ascending ? rows : Uint32Array.from(rows).sort();
  const n = sorted.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(key[sorted[i]])) m++;
  const out = new Uint32Array(n);
  let idx = new Uint32Array(m), hi = new Uint32Array(m), lo = new Uint32Array(m);
  const f = new Float64Array(1), u = new Uint32Array(f.buffer);
  const [LO, HI] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  for (let i = 0, a = 0, b = m; i < n; i++) {
    const r = sorted[i], k = key[r];
    if (Number.isNaN(k)) {
      out[b++] = r;
      continue;
    }
    // + 0 turns -0 into 0, which a comparison finds equal.
    f[0] = k + 0;
    let h = u[HI], l = u[LO];
    // IEEE order as unsigned order: negative numbers have every bit flipped, others the sign bit.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    if (descending) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    idx[a] = r;
    hi[a] = h;
    lo[a] = l;
    a++;
  }
  let idx2 = new Uint32Array(m), hi2 = new Uint32Array(m), lo2 = new Uint32Array(m);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi, shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < m; i++) count[(word[i] >>> shift) & 0xffff]++;
    if (m === 0 || count[(word[0] >>> shift) & 0xffff] === m) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const at = count[(word[i] >>> shift) & 0xffff]++;
      idx2[at] = idx[i];
      hi2[at] = hi[i];
      lo2[at] = lo[i];
    }
    [idx, idx2] = [idx2, idx];
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  out.set(idx, 0);
  return out;
}

export interface RowFilter {
  /** 'correct' / 'wrong' keep judged rows of that outcome only. */
  outcome: 'all' | 'correct' | 'wrong';
  /** Keep rows predicted as this class index (-1 = any). */
  predictedClass: number;
  /** Case-insensitive text that some shown cell of the row must contain ('' = no text filter). */
  text: string;
}

/** Indexes of rows that pass the filter, in row order. */
export function filterRows(table: Table, rows: RowOutcomes, filter: RowFilter, n = table.nRows): Uint32Array {
  const needle = filter.text.trim().toLowerCase();
  // Per column, which categories contain the text: checked once, not per row.
  const catHit = needle
    ? table.columns.map((c) => (c.kind === 'numeric' ? null : c.categories.map((t) => t.toLowerCase().includes(needle))))
    : [];
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (filter.outcome === 'correct' && rows.correct[i] !== 1) continue;
    if (filter.outcome === 'wrong' && rows.correct[i] !== 0) continue;
    if (filter.predictedClass >= 0 && rows.predicted[i] !== filter.predictedClass) continue;
    if (needle && !rowContains(table, catHit, i, needle)) continue;
    out[k++] = i;
  }
  return out.slice(0, k);
}

function rowContains(table: Table, catHit: (boolean[] | null)[], row: number, needle: string): boolean {
  for (let c = 0; c < table.columns.length; c++) {
    const col = table.columns[c];
    if (col.kind === 'numeric') {
      const v = col.values[row];
      if (!Number.isNaN(v) && String(v).includes(needle)) return true;
    } else {
      const code = col.codes[row];
      if (code >= 0 && catHit[c]![code]) return true;
    }
  }
  return false;
}

/** The rows of `rows` that are also in `subset` (any order), keeping `rows`' order. */
export function restrictRows(rows: Uint32Array, subset: ArrayLike<number>, n: number): Uint32Array {
  const keep = new Uint8Array(n);
  for (let i = 0; i < subset.length; i++) keep[subset[i]] = 1;
  const out = new Uint32Array(rows.length);
  let k = 0;
  for (const r of rows) if (keep[r]) out[k++] = r;
  return out.slice(0, k);
}
