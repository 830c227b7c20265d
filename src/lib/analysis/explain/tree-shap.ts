/**
 * Exact interventional TreeSHAP (Lundberg et al. 2020, "From local explanations to global understanding
 * with explainable AI for trees", Algorithm "Interventional Tree SHAP") read straight from an ONNX
 * TreeEnsembleClassifier/Regressor, with CSV COLUMNS as players: every internal feature (a raw or
 * scaled number, a one-hot flag) is traced to its column, and a column's internal features move
 * together.
 *
 * For a row x and a background row b, the game v_b(S) = f(x on S's columns, b elsewhere) is, per tree, a
 * sum over leaves of value · [Sx ⊆ S] · [Sb ∩ S = ∅], where Sx (Sb) are the players whose x (b) side of a
 * disagreeing split the path to that leaf takes; a path needing a player on both sides is impossible.
 * Such a game has closed-form Shapley values: value · (|Sx|−1)! |Sb|! / (|Sx|+|Sb|)! to each of Sx and
 * −value · |Sx|! (|Sb|−1)! / (|Sx|+|Sb|)! to each of Sb. Averaging over the (weighted) background gives
 * the same game KernelSHAP estimates with that background, exactly.
 *
 * Output space: the ensemble's raw score (sum of leaf values + base value), before post_transform. With
 * LOGISTIC that is the log-odds of the class; with SOFTMAX the class's margin. TreeSHAP is exact in this
 * space only: Shapley values of a probability are not sums over paths, so for probability-space
 * attributions use KernelSHAP.
 */
import type { onnx } from 'onnx-proto';
import type { Table } from '../../data/table';
import { attrInts, attrString, getAttr, nodeClassLabels, text } from '../../model/proto';
import type { InputBinding } from '../../model/types';
import type { Attributions } from './attributions';
import { backgroundWeights, type Background } from './background';
import { featureEvaluator, sourceColumns, tensorNumbers, type FeatureSource } from './graph-features';
import { findHead } from './model-head';
import { throwIfAborted, yielder, type RunOptions } from './run';

/** One explainable output of the ensemble: raw score column `column`, read as sign · score + offset. */
export interface TreeOutput {
  /** Class label or 'target k'. */
  label: string;
  /** 'log-odds' (LOGISTIC), 'margin' (SOFTMAX, or NONE on a classifier), 'value' (regressor), 'probability' (averaged-vote binary). */
  space: 'log-odds' | 'margin' | 'value' | 'probability';
  column: number;
  sign: number;
  offset: number;
}

/** A tree ensemble flattened into arrays (all trees), with its inputs traced to CSV columns. */
export interface TreeModel {
  op: 'TreeEnsembleClassifier' | 'TreeEnsembleRegressor';
  /** CSV columns the trees can read, in feature order. */
  columns: string[];
  sources: FeatureSource[];
  /** Per node: internal feature index (-1 for a leaf). */
  feature: Int32Array;
  threshold: Float64Array;
  /** Comparison: 1 LEQ, 2 LT, 3 GTE, 4 GT, 5 EQ, 6 NEQ; 0 for a leaf. */
  mode: Uint8Array;
  trueChild: Int32Array;
  falseChild: Int32Array;
  missingTrue: Uint8Array;
  roots: Int32Array;
  /** Per node: leaf value of each raw score column, row-major nodes × scoreColumns (0 for splits). */
  leafValues: Float64Array;
  scoreColumns: number;
  /** Base value per raw score column. */
  base: Float64Array;
  outputs: TreeOutput[];
  postTransform: string;
  maxDepth: number;
}

const MODES: Record<string, number> = { LEAF: 0, BRANCH_LEQ: 1, BRANCH_LT: 2, BRANCH_GTE: 3, BRANCH_GT: 4, BRANCH_EQ: 5, BRANCH_NEQ: 6 };

/**
 * Reads the model's TreeEnsembleClassifier/Regressor; `bindings` say which CSV columns feed each graph
 * input. Returns the reason in words when there is no single ensemble Loupe can explain exactly.
 */
export function readTreeModel(model: Uint8Array | onnx.IModelProto, bindings: readonly InputBinding[]): { ok: true; model: TreeModel } | { ok: false; reason: string } {
  const found = findHead(model, bindings, ['TreeEnsembleClassifier', 'TreeEnsembleRegressor']);
  if (!found.ok) return found;
  const { node, sources, columns } = found.head;
  const op = node.opType as TreeModel['op'];
  const classifier = op === 'TreeEnsembleClassifier';
  const treeIds = attrInts(node, 'nodes_treeids') ?? [];
  const nodeIds = attrInts(node, 'nodes_nodeids') ?? [];
  const featureIds = attrInts(node, 'nodes_featureids') ?? [];
  const modes = (getAttr(node, 'nodes_modes')?.strings ?? []).map(text);
  const values = numbers(node, 'nodes_values');
  const trueIds = attrInts(node, 'nodes_truenodeids') ?? [];
  const falseIds = attrInts(node, 'nodes_falsenodeids') ?? [];
  const missing = attrInts(node, 'nodes_missing_value_tracks_true') ?? [];
  const n = treeIds.length;
  if (n === 0 || nodeIds.length !== n || modes.length !== n) return { ok: false, reason: 'the tree ensemble has inconsistent node attributes' };
  const post = attrString(node, 'post_transform') ?? 'NONE';
  const aggregate = attrString(node, 'aggregate_function') ?? 'SUM';
  if (aggregate !== 'SUM' && aggregate !== 'AVERAGE') return { ok: false, reason: `aggregate_function ${aggregate} is not a sum of leaf values` };
  if (post === 'PROBIT') return { ok: false, reason: 'post_transform PROBIT is not supported' };

  const index = new Map<number, Map<number, number>>();
  for (let i = 0; i < n; i++) {
    let m = index.get(treeIds[i]);
    if (!m) index.set(treeIds[i], (m = new Map()));
    m.set(nodeIds[i], i);
  }
  const feature = new Int32Array(n).fill(-1);
  const threshold = new Float64Array(n);
  const mode = new Uint8Array(n);
  const trueChild = new Int32Array(n).fill(-1);
  const falseChild = new Int32Array(n).fill(-1);
  const missingTrue = new Uint8Array(n);
  const child = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const m = MODES[modes[i]];
    if (m === undefined) return { ok: false, reason: `tree node mode ${modes[i]} is not supported` };
    mode[i] = m;
    if (m === 0) continue;
    const f = featureIds[i];
    if (f < 0 || f >= sources.length) return { ok: false, reason: `a split reads feature ${f}, beyond the ${sources.length} traced features` };
    feature[i] = f;
    threshold[i] = values[i];
    missingTrue[i] = missing[i] ? 1 : 0;
    const t = index.get(treeIds[i])!.get(trueIds[i]);
    const fl = index.get(treeIds[i])!.get(falseIds[i]);
    if (t === undefined || fl === undefined) return { ok: false, reason: 'a split points to a node that does not exist' };
    trueChild[i] = t;
    falseChild[i] = fl;
    child[t] = 1;
    child[fl] = 1;
  }
  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (!child[i]) roots.push(i);

  const prefix = classifier ? 'class' : 'target';
  const wTrees = attrInts(node, `${prefix}_treeids`) ?? [];
  const wNodes = attrInts(node, `${prefix}_nodeids`) ?? [];
  const wIds = attrInts(node, `${prefix}_ids`) ?? [];
  const wValues = numbers(node, `${prefix}_weights`);
  const baseValues = numbers(node, 'base_values');
  const labels = classifier ? (nodeClassLabels(node) ?? []) : [];
  const nTargets = classifier ? labels.length : Number(getAttr(node, 'n_targets')?.i ?? 1) || 1;
  const distinctIds = new Set(wIds);
  const binary = classifier && labels.length === 2 && distinctIds.size === 1;
  const scoreColumns = binary ? 1 : nTargets;
  const scale = aggregate === 'AVERAGE' ? 1 / roots.length : 1;
  const leafValues = new Float64Array(n * scoreColumns);
  for (let k = 0; k < wValues.length; k++) {
    const at = index.get(wTrees[k])?.get(wNodes[k]);
    if (at === undefined) return { ok: false, reason: 'a leaf weight points to a node that does not exist' };
    const col = binary ? 0 : wIds[k];
    if (col < 0 || col >= scoreColumns) return { ok: false, reason: `a leaf weight is for output ${col}, beyond the ${scoreColumns} outputs` };
    leafValues[at * scoreColumns + col] += wValues[k] * scale;
  }
  const base = new Float64Array(scoreColumns);
  if (binary) base[0] = baseValues.length === 2 ? baseValues[1] : (baseValues[0] ?? 0);
  else if (baseValues.length === scoreColumns) base.set(baseValues);
  else if (baseValues.length === 1 && !classifier) base.fill(baseValues[0]);

  let outputs: TreeOutput[];
  if (binary) {
    // onnxruntime's binary case: one score s; class 1 = s and class 0 = −s (LOGISTIC: σ(±s)), or 1 − s for all-positive votes.
    const allPositive = wValues.every((v) => v >= 0);
    if (allPositive) {
      outputs = [
        { label: labels[0], space: 'probability', column: 0, sign: -1, offset: 1 },
        { label: labels[1], space: 'probability', column: 0, sign: 1, offset: 0 },
      ];
    } else {
      const space = post === 'LOGISTIC' ? 'log-odds' : 'margin';
      outputs = [
        { label: labels[0], space, column: 0, sign: -1, offset: 0 },
        { label: labels[1], space, column: 0, sign: 1, offset: 0 },
      ];
    }
  } else {
    const space: TreeOutput['space'] = !classifier ? 'value' : post === 'LOGISTIC' ? 'log-odds' : 'margin';
    if (!classifier && post !== 'NONE') return { ok: false, reason: `a regressor with post_transform ${post} is not supported` };
    outputs = Array.from({ length: scoreColumns }, (_, k) => ({ label: classifier ? labels[k] : `target ${k}`, space, column: k, sign: 1, offset: 0 }));
  }

  let maxDepth = 0;
  const depth = (i: number, d: number): void => {
    if (mode[i] === 0) {
      maxDepth = Math.max(maxDepth, d);
      return;
    }
    if (d > 256) throw new Error('A tree is deeper than 256 levels or has a cycle.');
    depth(trueChild[i], d + 1);
    depth(falseChild[i], d + 1);
  };
  for (const r of roots) depth(r, 0);

  return {
    ok: true,
    model: { op, columns, sources, feature, threshold, mode, trueChild, falseChild, missingTrue, roots: Int32Array.from(roots), leafValues, scoreColumns, base, outputs, postTransform: post, maxDepth },
  };
}

function numbers(node: onnx.INodeProto, name: string): number[] {
  const a = getAttr(node, name);
  if (a?.floats && a.floats.length) return a.floats.map(Number);
  const t = getAttr(node, `${name}_as_tensor`)?.t;
  return t ? tensorNumbers(t) : [];
}

/** Whether a split sends value v to its true child, as onnxruntime decides (NaN follows missing_value_tracks_true). */
function goesTrue(m: TreeModel, node: number, v: number): boolean {
  if (Number.isNaN(v) && m.missingTrue[node]) return true;
  const t = m.threshold[node];
  switch (m.mode[node]) {
    case 1:
      return v <= t;
    case 2:
      return v < t;
    case 3:
      return v >= t;
    case 4:
      return v > t;
    case 5:
      return v === t;
    default:
      return v !== t;
  }
}

/** Per split node: 1 when the row with internal features `x` goes to the true child. */
function directions(m: TreeModel, x: Float64Array, out: Uint8Array): Uint8Array {
  for (let i = 0; i < m.mode.length; i++) out[i] = m.mode[i] !== 0 && goesTrue(m, i, x[m.feature[i]]) ? 1 : 0;
  return out;
}

/** Leaf value of one output at every node (sign applied; offset belongs to the base). */
function outputLeafValues(m: TreeModel, output: number): Float64Array {
  const o = m.outputs[output];
  if (!o) throw new Error(`The tree model has no output ${output}.`);
  const v = new Float64Array(m.mode.length);
  for (let i = 0; i < v.length; i++) v[i] = o.sign * m.leafValues[i * m.scoreColumns + o.column];
  return v;
}

function outputBase(m: TreeModel, output: number): number {
  const o = m.outputs[output];
  return o.sign * m.base[o.column] + o.offset;
}

function walk(m: TreeModel, dirs: Uint8Array, leaf: Float64Array): number {
  let s = 0;
  for (const r of m.roots) {
    let i = r;
    while (m.mode[i] !== 0) i = dirs[i] ? m.trueChild[i] : m.falseChild[i];
    s += leaf[i];
  }
  return s;
}

/** The raw score of `output` (sign · (Σ leaves + base) + offset) for rows of `table`, as the ensemble computes it. */
export function treeOutputs(m: TreeModel, table: Table, rows: ArrayLike<number>, output: number): Float64Array {
  const leaf = outputLeafValues(m, output);
  const base = outputBase(m, output);
  const evalRow = featureEvaluator(table, m.sources);
  const x = new Float64Array(m.sources.length);
  const dirs = new Uint8Array(m.mode.length);
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    evalRow(rows[r], x);
    out[r] = walk(m, directions(m, x, dirs), leaf) + base;
  }
  return out;
}

export interface TreeShapSetup {
  /** Index into `model.outputs` (for a classifier: the class, in the model's label order). */
  output: number;
  /** Players (default: `model.columns`); a column the trees read that is not a player always takes the background's value. */
  features?: readonly string[];
}

export interface TreeShapOptions extends TreeShapSetup, Pick<RunOptions, 'signal'> {
  /** Rows explained so far of all. */
  onProgress?: (done: number, total: number) => void;
}

/** TreeSHAP with its background already walked: explaining a few edited rows (what-if) then costs well under a millisecond. */
export interface TreeShapExplainer {
  features: string[];
  /** Weighted mean raw score over the background. */
  base: number;
  space: TreeOutput['space'];
  explain(table: Table, rows: ArrayLike<number>, opts?: Pick<TreeShapOptions, 'signal' | 'onProgress'>): Promise<Attributions>;
}

/**
 * Interventional TreeSHAP of `rows` of `table` against `background`, players = CSV columns. Exact; no
 * model calls. base = weighted mean of the raw score over the background; outputs = the raw score of
 * each row (with non-player columns from the background, averaged).
 */
export async function treeShap(m: TreeModel, table: Table, rows: ArrayLike<number>, background: Background, opts: TreeShapOptions): Promise<Attributions> {
  return prepareTreeShap(m, background, opts).explain(table, rows, opts);
}

/** Walks the background once (directions, base value, groups of rows that split alike) for {@link treeShap}. */
export function prepareTreeShap(m: TreeModel, background: Background, setup: TreeShapSetup): TreeShapExplainer {
  const features = [...(setup.features ?? m.columns)];
  const w = backgroundWeights(background);
  const nb = background.table.nRows;
  const nNodes = m.mode.length;
  const { mode, trueChild, falseChild } = m;
  const leaf = outputLeafValues(m, setup.output);
  const offset = outputBase(m, setup.output);
  const columnsOf = sourceColumns(m.sources);
  const playerOfFeature = columnsOf.map((c) => (c === null ? -2 : features.indexOf(c)));
  const playerOfNode = new Int32Array(nNodes).fill(-2);
  for (let i = 0; i < nNodes; i++) if (mode[i] !== 0) playerOfNode[i] = playerOfFeature[m.feature[i]];

  const evalBg = featureEvaluator(background.table, m.sources);
  const xb = new Float64Array(m.sources.length);
  const dirB = new Uint8Array(nb * nNodes);
  let base = 0;
  for (let b = 0; b < nb; b++) {
    evalBg(b, xb);
    const d = dirB.subarray(b * nNodes, (b + 1) * nNodes);
    directions(m, xb, d);
    base += w[b] * (walk(m, d, leaf) + offset);
  }

  // Background rows that split the same way at every node of a tree contribute identically to it: walk
  // each such group once with its summed weight.
  const groups = Array.from(m.roots, (root) => {
    const splits: number[] = [];
    const stack = [root];
    while (stack.length) {
      const i = stack.pop()!;
      if (mode[i] === 0) continue;
      splits.push(i);
      stack.push(trueChild[i], falseChild[i]);
    }
    const byKey = new Map<string, { row: number; weight: number }>();
    for (let b = 0; b < nb; b++) {
      if (w[b] === 0) continue;
      let key = '';
      for (const i of splits) key += dirB[b * nNodes + i];
      const g = byKey.get(key);
      if (g) g.weight += w[b];
      else byKey.set(key, { row: b, weight: w[b] });
    }
    return [...byKey.values()].map((g) => ({ dirs: dirB.subarray(g.row * nNodes, (g.row + 1) * nNodes), weight: g.weight }));
  });

  const P = features.length;
  const maxPlayers = Math.min(P, m.maxDepth) + 1;
  // coefX[a][c] = (a−1)! c! / (a+c)!, coefB[a][c] = a! (c−1)! / (a+c)!
  const coefX = new Float64Array(maxPlayers * maxPlayers);
  const coefB = new Float64Array(maxPlayers * maxPlayers);
  for (let a = 0; a < maxPlayers; a++) {
    for (let c = 0; c < maxPlayers; c++) {
      if (a > 0) coefX[a * maxPlayers + c] = 1 / (a * binom(a + c, a));
      if (c > 0) coefB[a * maxPlayers + c] = 1 / (c * binom(a + c, c));
    }
  }
  const space = m.outputs[setup.output].space;

  const explain = async (table: Table, rows: ArrayLike<number>, opts: Pick<TreeShapOptions, 'signal' | 'onProgress'> = {}): Promise<Attributions> => {
    const evalX = featureEvaluator(table, m.sources);
    const xv = new Float64Array(m.sources.length);
    const dirX = new Uint8Array(nNodes);
    const state = new Uint8Array(P);
    const stackX = new Int32Array(maxPlayers);
    const stackB = new Int32Array(maxPlayers);
    const phi = new Float64Array(rows.length * P);
    const outputs = new Float64Array(rows.length);
    let rowPhi = phi.subarray(0, P);
    let dB = dirB.subarray(0, nNodes);
    let wb = 0;

    const visit = (start: number, nx: number, nbo: number): void => {
      let i = start;
      for (;;) {
        if (mode[i] === 0) {
          const v = leaf[i] * wb;
          if (v === 0) return;
          if (nx > 0) {
            const cx = coefX[nx * maxPlayers + nbo] * v;
            for (let k = 0; k < nx; k++) rowPhi[stackX[k]] += cx;
          }
          if (nbo > 0) {
            const cb = coefB[nx * maxPlayers + nbo] * v;
            for (let k = 0; k < nbo; k++) rowPhi[stackB[k]] -= cb;
          }
          return;
        }
        const gx = dirX[i];
        const gb = dB[i];
        if (gx === gb) {
          i = gx ? trueChild[i] : falseChild[i];
          continue;
        }
        const p = playerOfNode[i];
        if (p < 0) {
          i = gb ? trueChild[i] : falseChild[i];
          continue;
        }
        const s = state[p];
        if (s !== 0) {
          i = (s === 1 ? gx : gb) ? trueChild[i] : falseChild[i];
          continue;
        }
        state[p] = 1;
        stackX[nx] = p;
        visit(gx ? trueChild[i] : falseChild[i], nx + 1, nbo);
        state[p] = 2;
        stackB[nbo] = p;
        visit(gb ? trueChild[i] : falseChild[i], nx, nbo + 1);
        state[p] = 0;
        return;
      }
    };

    const pause = yielder();
    let additivityError = 0;
    for (let r = 0; r < rows.length; r++) {
      if ((r & 15) === 0 && rows.length > 16) {
        throwIfAborted(opts.signal);
        opts.onProgress?.(r, rows.length);
        await pause();
      }
      evalX(rows[r], xv);
      directions(m, xv, dirX);
      rowPhi = phi.subarray(r * P, (r + 1) * P);
      let out = offset;
      for (let t = 0; t < m.roots.length; t++) {
        const root = m.roots[t];
        for (const g of groups[t]) {
          wb = g.weight;
          dB = g.dirs;
          visit(root, 0, 0);
          let i = root;
          while (mode[i] !== 0) i = (playerOfNode[i] === -1 ? dB[i] : dirX[i]) ? trueChild[i] : falseChild[i];
          out += wb * leaf[i];
        }
      }
      outputs[r] = out;
      let sum = base;
      for (let j = 0; j < P; j++) sum += rowPhi[j];
      additivityError = Math.max(additivityError, Math.abs(sum - out));
    }
    opts.onProgress?.(rows.length, rows.length);
    return { method: 'tree', features, rows: Uint32Array.from(rows), base, outputs, phi, additivityError, space, calls: 0 };
  };
  return { features, base, space, explain };
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Work units TreeSHAP does (row × background row × tree walks); no model calls. */
export function estimateTreeShapCalls(): number {
  return 0;
}
