/**
 * Gradient-boosted regression trees for binary log loss, as sklearn's GradientBoostingClassifier:
 * start from the log-odds prior, fit each tree to the residuals y - p by squared error, set each leaf
 * to one Newton step sum(y - p) / sum(p (1 - p)), and add it times the learning rate.
 */
import type { Rng } from '../prng';

/** A tree in preorder (node 0 is the root, then the left subtree, then the right), like sklearn's. */
export interface TreeNode {
  /** -1 for a leaf. */
  feature: number;
  /** Split: go left (the "true" branch) when x <= threshold. A float32 value. */
  threshold: number;
  left: number;
  right: number;
  /** Raw leaf value (before the learning rate); 0 for splits. */
  value: number;
}

export interface Gbt {
  /** Raw score before any tree: log(p / (1 - p)) of the training prior. */
  base: number;
  learningRate: number;
  trees: TreeNode[][];
}

export interface GbtOptions {
  trees: number;
  depth: number;
  learningRate: number;
  /** Fraction of rows drawn (without replacement) for each tree; 1 = all. */
  subsample: number;
  minLeaf: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Fit on row-major `x` (n x f, float32 values) with 0/1 targets. */
export function fitGbt(x: Float64Array, n: number, f: number, y: readonly number[], opts: GbtOptions, rng: Rng): Gbt {
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const base = Math.log(mean / (1 - mean));
  const raw = new Float64Array(n).fill(base);
  const trees: TreeNode[][] = [];
  const all = Array.from({ length: n }, (_, i) => i);
  for (let t = 0; t < opts.trees; t++) {
    const p = Array.from(raw, sigmoid);
    const resid = p.map((pi, i) => y[i] - pi);
    const rows = opts.subsample < 1 ? rng.shuffle([...all]).slice(0, Math.round(n * opts.subsample)).sort((a, b) => a - b) : all;
    const nodes: TreeNode[] = [];
    grow(nodes, rows, 0);
    trees.push(nodes);
    for (let i = 0; i < n; i++) raw[i] += opts.learningRate * treeValue(nodes, x, f, i);

    function grow(out: TreeNode[], idx: number[], depth: number): number {
      const id = out.length;
      const split = depth < opts.depth ? bestSplit(idx) : null;
      if (!split) {
        let num = 0;
        let den = 0;
        for (const i of idx) {
          num += resid[i];
          den += p[i] * (1 - p[i]);
        }
        out.push({ feature: -1, threshold: 0, left: -1, right: -1, value: den < 1e-150 ? 0 : num / den });
        return id;
      }
      const node: TreeNode = { feature: split.feature, threshold: split.threshold, left: -1, right: -1, value: 0 };
      out.push(node);
      node.left = grow(out, idx.filter((i) => x[i * f + split.feature] <= split.threshold), depth + 1);
      node.right = grow(out, idx.filter((i) => x[i * f + split.feature] > split.threshold), depth + 1);
      return id;
    }

    function bestSplit(idx: number[]): { feature: number; threshold: number } | null {
      if (idx.length < 2 * opts.minLeaf) return null;
      let total = 0;
      for (const i of idx) total += resid[i];
      const baseScore = (total * total) / idx.length;
      let best: { feature: number; threshold: number; gain: number } | null = null;
      for (let j = 0; j < f; j++) {
        const sorted = [...idx].sort((a, b) => x[a * f + j] - x[b * f + j] || a - b);
        let left = 0;
        for (let k = 0; k < sorted.length - 1; k++) {
          left += resid[sorted[k]];
          const a = x[sorted[k] * f + j];
          const b = x[sorted[k + 1] * f + j];
          const nl = k + 1;
          const nr = sorted.length - nl;
          if (a === b || nl < opts.minLeaf || nr < opts.minLeaf) continue;
          const right = total - left;
          const gain = (left * left) / nl + (right * right) / nr - baseScore;
          if (gain > 1e-12 && (!best || gain > best.gain)) best = { feature: j, threshold: float32Threshold(a, b), gain };
        }
      }
      return best;
    }
  }
  return { base, learningRate: opts.learningRate, trees };
}

/** A float32 t with a <= t < b, near their midpoint, so float32 inputs split as in training. */
function float32Threshold(a: number, b: number): number {
  const t = Math.fround((a + b) / 2);
  return t >= b || t < a ? a : t;
}

function treeValue(nodes: TreeNode[], x: Float64Array, f: number, row: number): number {
  let k = 0;
  while (nodes[k].feature >= 0) k = x[row * f + nodes[k].feature] <= nodes[k].threshold ? nodes[k].left : nodes[k].right;
  return nodes[k].value;
}

/** P(label index 1) per row. */
export function predictGbt(m: Gbt, x: Float64Array, n: number, f: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = m.base;
    for (const t of m.trees) s += m.learningRate * treeValue(t, x, f, i);
    out[i] = sigmoid(s);
  }
  return out;
}
