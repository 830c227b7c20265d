/**
 * Automatic slice discovery: a shallow regression tree fit on the per-row error (0/1 misclassified,
 * or absolute residual) over the input features, so its leaves name the regions where the model is
 * most often wrong. The criterion is the reduction in the sum of squared deviations of the error
 * (for a 0/1 error this is Gini reduction, up to a factor of 2). Deterministic: features are tried in
 * the order given, candidates in ascending order, and a later split must be strictly better to win.
 */
import type { Column, Table } from '../../data/table';
import { cutBetween, formatNumber } from './metric';
import type { ErrorKind, RowErrors } from './row-errors';

/** How a node divides its rows: left child gets the rows that pass the test. */
export type ErrorSplit =
  | {
      kind: 'numeric';
      feature: string;
      /** Left: value ≤ threshold. */
      threshold: number;
      /** Side the node's missing values went to (only stated in the text when the node had some). */
      missing: 'left' | 'right';
      /** Reduction in the sum of squared error deviations. */
      gain: number;
    }
  | {
      kind: 'categorical';
      feature: string;
      /** Left: this category; null = the missing cells. Missing cells of another split go right. */
      category: string | null;
      missing: 'left' | 'right';
      gain: number;
    };

export interface ErrorTreeNode {
  /** Index in `tree.nodes`; the root is 0, children are numbered breadth-first. */
  id: number;
  depth: number;
  /** -1 for the root. */
  parent: number;
  /** The test that leads here from the parent ('Age ≤ 25.5', 'Purpose ≠ car', 'Age > 25.5 or missing'); null for the root. */
  condition: string | null;
  /** Every condition from the root down to this node. */
  path: string[];
  /** Rows in the node. */
  n: number;
  /** Sum of the error: misclassified rows, or total absolute error. */
  errorSum: number;
  /** Error rate (misclassified) or mean absolute error; 0 for a root without rows (children never are empty). */
  meanError: number;
  /** [left, right] ids, or [] for a leaf. */
  children: number[];
  split: ErrorSplit | null;
  /** Where the node's rows start in `tree.order`. */
  rowStart: number;
}

export interface ErrorTree {
  kind: ErrorKind;
  nodes: ErrorTreeNode[];
  /** Row indexes arranged so each node's rows are contiguous (a leaf's ascending); read them with `nodeRows`. */
  order: Uint32Array;
  /** Feature columns the tree could split on. */
  features: string[];
}

export interface ErrorTreeOptions {
  /** Deepest level of splits; default 3. */
  maxDepth?: number;
  /** Fewest rows in a leaf; default 20. */
  minLeaf?: number;
  /** Candidate thresholds per numeric feature and node (at quantiles of its values); default 32. */
  candidates?: number;
}

interface Best {
  gain: number;
  split: ErrorSplit;
  /** 1 = row goes left (indexed by table row). */
  goesLeft: (row: number) => boolean;
  leftText: string;
  rightText: string;
}

/**
 * `rows` with a non-NaN value, ordered by value then row (stable), using one native Float64Array
 * sort instead of a comparator sort: each row is placed at its value's first sorted position plus
 * the rows of that value already placed.
 */
function argsortByValue(rows: Uint32Array, v: Float64Array): Uint32Array {
  let m = 0;
  for (let k = 0; k < rows.length; k++) if (!Number.isNaN(v[rows[k]])) m++;
  const keys = new Float64Array(m);
  for (let k = 0, j = 0; k < rows.length; k++) if (!Number.isNaN(v[rows[k]])) keys[j++] = v[rows[k]];
  keys.sort();
  // Distinct values and where each one's run starts: searching these is quick when values repeat.
  const uniq = new Float64Array(m), next = new Uint32Array(m);
  let u = 0;
  for (let k = 0; k < m; k++) {
    if (k === 0 || keys[k] !== keys[k - 1]) {
      uniq[u] = keys[k];
      next[u++] = k;
    }
  }
  const out = new Uint32Array(m);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k], x = v[r];
    if (Number.isNaN(x)) continue;
    let lo = 0, hi = u;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (uniq[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    out[next[lo]++] = r;
  }
  return out;
}

/** Copies the node's rows of `sorted` into `vals` with running sums of e and e² (cs[0] = cq[0] = 0); returns how many. */
function gatherSorted(sorted: Uint32Array, inNode: Uint8Array, v: Float64Array, e: Float64Array, vals: Float64Array, cs: Float64Array, cq: Float64Array): number {
  let mm = 0, s = 0, q = 0;
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k];
    if (inNode[i] === 0) continue;
    const x = e[i];
    vals[mm] = v[i];
    s += x;
    q += x * x;
    mm++;
    cs[mm] = s;
    cq[mm] = q;
  }
  return mm;
}

function sse(count: number, sum: number, sq: number): number {
  return count > 0 ? Math.max(0, sq - (sum * sum) / count) : 0;
}

/**
 * Fits the tree on rows whose error is not NaN.
 * @param features input feature columns to split on (e.g. every mapped model input); the target is not one.
 */
export function fitErrorTree(table: Table, errors: RowErrors, features: readonly string[], opts: ErrorTreeOptions = {}): ErrorTree {
  const maxDepth = opts.maxDepth ?? 3;
  const minLeaf = Math.max(1, opts.minLeaf ?? 20);
  const K = Math.max(1, opts.candidates ?? 32);
  const e = errors.values;
  const n0 = Math.min(table.nRows, e.length);
  const cols: Column[] = features.map((name) => {
    const c = table.columns.find((col) => col.name === name);
    if (!c) throw new Error(`No column named '${name}'.`);
    return c;
  });
  let m = 0;
  const order = new Uint32Array(n0);
  for (let i = 0; i < n0; i++) if (!Number.isNaN(e[i])) order[m++] = i;
  const rows = order.slice(0, m);
  // Per numeric feature, its rows with a value, sorted by value once; nodes filter this list.
  const sorted = cols.map((c) => (c.kind === 'numeric' ? argsortByValue(rows, c.values) : null));
  const inNode = new Uint8Array(n0);
  const vals = new Float64Array(m), cs = new Float64Array(m + 1), cq = new Float64Array(m + 1);
  const scratch = new Uint32Array(m);

  const stats = (start: number, count: number) => {
    let sum = 0;
    for (let k = start; k < start + count; k++) sum += e[rows[k]];
    return sum;
  };
  const nodes: ErrorTreeNode[] = [];
  const rootSum = stats(0, m);
  nodes.push({ id: 0, depth: 0, parent: -1, condition: null, path: [], n: m, errorSum: rootSum, meanError: m ? rootSum / m : 0, children: [], split: null, rowStart: 0 });

  const findSplit = (node: ErrorTreeNode): Best | null => {
    const { rowStart: s0, n } = node;
    let sum = 0, sq = 0;
    for (let k = s0; k < s0 + n; k++) {
      const x = e[rows[k]];
      sum += x;
      sq += x * x;
      inNode[rows[k]] = 1;
    }
    const parent = sse(n, sum, sq);
    let best: Best | null = null;
    const minGain = Math.max(1e-12, parent * 1e-9);
    const consider = (gain: number, make: () => Best) => {
      if (gain > minGain && (!best || gain > best.gain)) best = { ...make(), gain };
    };
    cols.forEach((col, f) => {
      const name = col.name;
      if (col.kind === 'numeric') {
        const v = col.values;
        const mm = gatherSorted(sorted[f]!, inNode, v, e, vals, cs, cq);
        const missN = n - mm, missSum = sum - cs[mm], missSq = sq - cq[mm];
        let last = 0;
        for (let j = 1; j <= K; j++) {
          let i = Math.max(1, Math.round((j * mm) / (K + 1)));
          while (i < mm && vals[i - 1] === vals[i]) i++;
          if (i >= mm || i <= last) continue;
          last = i;
          for (const missing of missN > 0 ? (['left', 'right'] as const) : (['right'] as const)) {
            const ml = missing === 'left';
            const ln = i + (ml ? missN : 0), rn = n - ln;
            if (ln < minLeaf || rn < minLeaf) continue;
            const ls = cs[i] + (ml ? missSum : 0), lq = cq[i] + (ml ? missSq : 0);
            const gain = parent - sse(ln, ls, lq) - sse(rn, sum - ls, sq - lq);
            consider(gain, () => {
              const t = cutBetween(vals[i - 1], vals[i]);
              const tt = formatNumber(t, 17);
              const orMissing = missN > 0 ? ' or missing' : '';
              return {
                gain,
                split: { kind: 'numeric', feature: name, threshold: t, missing, gain },
                goesLeft: (r) => (Number.isNaN(v[r]) ? ml : v[r] <= t),
                leftText: `${name} ≤ ${tt}${ml ? orMissing : ''}`,
                rightText: `${name} > ${tt}${ml ? '' : orMissing}`,
              };
            });
          }
        }
      } else {
        const codes = col.codes;
        const C = col.categories.length;
        const cnt = new Float64Array(C + 1), su = new Float64Array(C + 1), sqs = new Float64Array(C + 1);
        for (let k = s0; k < s0 + n; k++) {
          const r = rows[k];
          const c = codes[r] < 0 ? C : codes[r];
          cnt[c]++;
          su[c] += e[r];
          sqs[c] += e[r] * e[r];
        }
        for (let c = 0; c <= C; c++) {
          const ln = cnt[c], rn = n - ln;
          if (ln < minLeaf || rn < minLeaf) continue;
          const gain = parent - sse(ln, su[c], sqs[c]) - sse(rn, sum - su[c], sq - sqs[c]);
          consider(gain, () => {
            const isMissing = c === C;
            const cat = isMissing ? null : col.categories[c];
            const code = isMissing ? -1 : c;
            return {
              gain,
              split: { kind: 'categorical', feature: name, category: cat, missing: isMissing ? 'left' : 'right', gain },
              goesLeft: (r) => codes[r] === code,
              leftText: isMissing ? `${name} is missing` : `${name} = ${cat}`,
              rightText: isMissing ? `${name} is not missing` : `${name} ≠ ${cat}${cnt[C] > 0 ? ' or missing' : ''}`,
            };
          });
        }
      }
    });
    for (let k = s0; k < s0 + n; k++) inNode[rows[k]] = 0;
    return best;
  };

  for (let q = 0; q < nodes.length; q++) {
    const node = nodes[q];
    if (node.depth >= maxDepth || node.n < 2 * minLeaf) continue;
    const best = findSplit(node);
    if (!best) continue;
    const { rowStart: s0, n } = node;
    // Stable partition, so each child's rows stay ascending.
    let l = 0, r = 0;
    for (let k = s0; k < s0 + n; k++) {
      const row = rows[k];
      if (best.goesLeft(row)) rows[s0 + l++] = row;
      else scratch[r++] = row;
    }
    rows.set(scratch.subarray(0, r), s0 + l);
    node.split = best.split;
    const make = (start: number, count: number, text: string): ErrorTreeNode => {
      const errorSum = stats(start, count);
      return {
        id: nodes.length,
        depth: node.depth + 1,
        parent: node.id,
        condition: text,
        path: [...node.path, text],
        n: count,
        errorSum,
        meanError: count ? errorSum / count : 0,
        children: [],
        split: null,
        rowStart: start,
      };
    };
    const left = make(s0, l, best.leftText);
    nodes.push(left);
    const right = make(s0 + l, r, best.rightText);
    nodes.push(right);
    node.children = [left.id, right.id];
  }
  return { kind: errors.kind, nodes, order: rows, features: cols.map((c) => c.name) };
}

/** Row indexes of a node, ascending (a copy). Throws on an unknown id. */
export function nodeRows(tree: ErrorTree, nodeId: number): Uint32Array {
  const node = tree.nodes[nodeId];
  if (!node) throw new Error(`No node ${nodeId} in the error tree.`);
  const rows = tree.order.slice(node.rowStart, node.rowStart + node.n);
  return node.children.length ? rows.sort() : rows;
}

/** Leaves, worst first (highest mean error, then more rows). */
export function worstLeaves(tree: ErrorTree): ErrorTreeNode[] {
  return tree.nodes.filter((n) => n.children.length === 0).sort((a, b) => b.meanError - a.meanError || b.n - a.n || a.id - b.id);
}
