/**
 * The worker side of the Explanations view: a predictor over table rows built on the app's scoring
 * path (buildFeeds → session.run → decodeOutputs → selectOutput), the explainer chosen once per
 * setup (TreeSHAP or linear read from the graph, else KernelSHAP), and one function per job. The
 * engine worker looks up the model session and table and calls these; results carry typed arrays for
 * `Comlink.transfer`.
 */
import * as Comlink from 'comlink';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { allRows, takeRows, type Table } from '../lib/data/table';
import { buildFeeds } from '../lib/model/feeds';
import { decodeOutputs, outputFetches } from '../lib/model/outputs';
import { exclusive, yieldToEvents } from './run-queue';
import type { Mapping, ModelCard } from '../lib/model/types';
import {
  counterfactuals,
  kernelShap,
  kernelShapRows,
  kmeansBackground,
  partialDependence,
  partialDependence2d,
  permutationImportance,
  prepareLinearShap,
  prepareTreeShap,
  readLinearModel,
  readTreeModel,
  sampleBackground,
  selectOutput,
  withEdits,
  type Attributions,
  type Background,
  type CellValue,
  type CounterfactualTarget,
  type Edits,
  type LinearShapExplainer,
  type OutputSpace,
  type OutputSpec,
  type Predictor,
  type TreeShapExplainer,
} from '../lib/analysis/explain';
import { createRng, sampleWithoutReplacement } from '../lib/analysis/random';
import { aucOf, buildThresholdTable } from '../lib/analysis/quality/binary';
import type { OrtModule } from './ort-backend';

/** What a job needs of a loaded model. */
export interface ExplainModel {
  session: InferenceSession;
  ort: OrtModule;
  card: ModelCard;
}

export type ExplainMethod = 'tree' | 'linear' | 'kernel';

/** What the page chose; its JSON (bytes aside) is the setup's key. */
export interface ExplainSetupRequest {
  modelId: string;
  datasetId: string;
  mapping: Mapping;
  /** Class explained (index into `mapping.classes`); ignored for regression. */
  classIndex: number;
  /** Output space of model-agnostic explanations (classification). */
  space: 'probability' | 'log-odds';
  background: { kind: 'sample' | 'kmeans'; size: number };
  /** Coalitions KernelSHAP samples when a row has more than 12 varying columns. */
  samples: number;
  seed: number;
  /** Use KernelSHAP even when an exact explainer exists (to compare). */
  forceKernel: boolean;
}

export interface ExplainSetupInfo {
  key: string;
  method: ExplainMethod;
  /** Why the exact explainers did not apply (kernel only). */
  reason: string | null;
  features: string[];
  /** Space of the attributions: 'log-odds' / 'margin' / 'value' / 'probability'. */
  space: string;
  backgroundRows: number;
  setupMs: number;
}

export interface LocalExplanation {
  method: Attributions['method'];
  features: string[];
  base: number;
  /** base + Σφ: the model output in `space`. */
  output: number;
  phi: Float64Array;
  additivityError: number;
  space: string;
  /** The model's prediction of the edited row in the decision space (P(class) or value). */
  prediction: number;
  calls: number;
  /** Milliseconds in the worker for predict + explain. */
  ms: number;
}

interface Context {
  key: string;
  info: ExplainSetupInfo;
  model: ExplainModel;
  table: Table;
  mapping: Mapping;
  features: string[];
  background: Background;
  /** The decision space: P(class) for classification, the value for regression. */
  decide: Predictor;
  /** The space model-agnostic attributions use. */
  agnostic: Predictor;
  agnosticSpace: OutputSpace;
  tree: TreeShapExplainer | null;
  linear: LinearShapExplainer | null;
  samples: number;
  seed: number;
}

let ctx: Context | null = null;

/** Largest batch per `session.run`. */
const BATCH = 4096;

/** The JSON key of a setup (what makes two setups the same). */
export function setupKey(req: ExplainSetupRequest): string {
  return JSON.stringify(req);
}

function fixedBatch(card: ModelCard): number | null {
  for (const input of card.inputs) {
    const d0 = input.shape?.[0];
    if (typeof d0 === 'number' && d0 > 0) return d0;
  }
  return null;
}

/**
 * Runs the model over every row of `rows` in batches and hands each batch's decoded scores (row-major
 * n × C) to `take(start, n, scores)`.
 */
async function runBatches(model: ExplainModel, mapping: Mapping, rows: Table, take: (start: number, n: number, scores: Float32Array, labels: Int32Array) => void): Promise<void> {
  const fixed = fixedBatch(model.card);
  const batch = fixed ?? BATCH;
  const fetches = outputFetches(mapping.outputs);
  for (let start = 0; start < rows.nRows; start += batch) {
    const end = Math.min(rows.nRows, start + batch);
    // A fixed batch dimension is filled by repeating the last row; the padding is dropped.
    const src = fixed && end - start < fixed ? takeRows(rows, Array.from({ length: fixed }, (_, i) => Math.min(end - 1, start + i))) : rows;
    const s = fixed && end - start < fixed ? 0 : start;
    const e = fixed && end - start < fixed ? fixed : end;
    const feeds: Record<string, Tensor> = {};
    for (const f of buildFeeds(src, mapping.bindings, s, e)) feeds[f.name] = new model.ort.Tensor(f.type, f.data as never, f.dims);
    const out = await exclusive(() => model.session.run(feeds, fetches));
    const decoded = decodeOutputs(out, mapping.outputs, mapping, e - s);
    for (const t of Object.values(out)) t.dispose();
    take(start, end - start, decoded.scores, decoded.labels);
    // Lets a queued cancel message land between batches.
    await yieldToEvents();
  }
}

/** A predictor returning one number per row in `spec`'s space. */
export function makePredictor(model: ExplainModel, mapping: Mapping, spec: OutputSpec): Predictor {
  const C = mapping.task === 'regression' ? 1 : mapping.classes.length;
  return async (rows) => {
    const out = new Float64Array(rows.nRows);
    await runBatches(model, mapping, rows, (start, n, scores) => out.set(selectOutput(scores, n, C, spec), start));
    return out;
  };
}

/** A predictor of the predicted class index (multiclass accuracy). */
function classPredictor(model: ExplainModel, mapping: Mapping): Predictor {
  const C = mapping.classes.length;
  return async (rows) => {
    const out = new Float64Array(rows.nRows);
    await runBatches(model, mapping, rows, (start, n, scores) => {
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < C; k++) if (scores[i * C + k] > scores[i * C + best]) best = k;
        out[start + i] = best;
      }
    });
    return out;
  };
}

/** The CSV columns the model reads, in binding order, once each: the players. */
export function playerColumns(mapping: Mapping): string[] {
  return [...new Set(mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c))];
}

/** Reads the graph (TreeEnsemble / Linear head), builds the background and keeps it all for later jobs. */
export function setup(model: ExplainModel, table: Table, req: ExplainSetupRequest, bytes: ArrayBuffer | null): ExplainSetupInfo {
  const key = setupKey(req);
  if (ctx && ctx.key === key && ctx.model === model && ctx.table === table) return ctx.info;
  const t0 = performance.now();
  const { mapping } = req;
  const features = playerColumns(mapping);
  const size = Math.max(1, Math.min(100, Math.floor(req.background.size)));
  const background = req.background.kind === 'kmeans' ? kmeansBackground(table, features, size, { seed: req.seed }) : sampleBackground(table, size, req.seed);
  const regression = mapping.task === 'regression';
  const classIndex = regression ? 0 : Math.max(0, Math.min(mapping.classes.length - 1, req.classIndex));
  const label = regression ? null : mapping.classes[classIndex];
  const agnosticSpace: OutputSpace = regression ? 'value' : mapping.classes.length === 2 ? req.space : 'probability';
  let tree: TreeShapExplainer | null = null;
  let linear: LinearShapExplainer | null = null;
  const reasons: string[] = [];
  if (bytes && !req.forceKernel) {
    const u8 = new Uint8Array(bytes);
    const t = readTreeModel(u8, mapping.bindings);
    if (t.ok) {
      const out = regression ? 0 : t.model.outputs.findIndex((o) => o.label === label);
      if (out >= 0) tree = prepareTreeShap(t.model, background, { output: out, features });
      else reasons.push(`the tree ensemble has no output for class '${label}'`);
    } else reasons.push(`TreeSHAP: ${t.reason}`);
    if (!tree) {
      const l = readLinearModel(u8, mapping.bindings);
      if (l.ok) {
        const out = regression ? 0 : l.model.outputs.findIndex((o) => o.label === label);
        if (out >= 0) linear = prepareLinearShap(l.model, background, { output: out, features });
        else reasons.push(`the linear model has no output for class '${label}'`);
      } else reasons.push(`linear: ${l.reason}`);
    }
  } else if (req.forceKernel) reasons.push('KernelSHAP was chosen');
  const method: ExplainMethod = tree ? 'tree' : linear ? 'linear' : 'kernel';
  const info: ExplainSetupInfo = {
    key,
    method,
    reason: method === 'kernel' ? reasons.join('; ') || null : null,
    features,
    space: tree ? tree.space : linear ? linear.space : agnosticSpace,
    backgroundRows: background.table.nRows,
    setupMs: 0,
  };
  ctx = {
    key,
    info,
    model,
    table,
    mapping,
    features,
    background,
    decide: makePredictor(model, mapping, { task: mapping.task, classIndex, space: regression ? 'value' : 'probability' }),
    agnostic: makePredictor(model, mapping, { task: mapping.task, classIndex, space: agnosticSpace }),
    agnosticSpace,
    tree,
    linear,
    samples: Math.max(16, Math.floor(req.samples)),
    seed: req.seed,
  };
  info.setupMs = performance.now() - t0;
  return info;
}

function current(key: string): Context {
  if (!ctx || ctx.key !== key) throw new Error('The explanation setup changed or was lost; set it up again.');
  return ctx;
}

/** Forgets the setup (its model or data was dropped). */
export function reset(): void {
  ctx = null;
}

function transferLocal(r: LocalExplanation): LocalExplanation {
  return Comlink.transfer(r, [r.phi.buffer as ArrayBuffer]);
}

/** Predicts and explains row `row` of the data with `edits` applied (what-if), fast enough to follow edits. */
export async function explainRow(key: string, row: number, edits: Edits): Promise<LocalExplanation> {
  const c = current(key);
  const t0 = performance.now();
  const t = withEdits(c.table, row, edits);
  const prediction = (await c.decide(t))[0];
  let a: Attributions;
  if (c.tree) a = await c.tree.explain(t, [0]);
  else if (c.linear) a = c.linear.explain(t, [0]);
  else {
    const k = await kernelShap(c.agnostic, t, 0, c.features, c.background, { samples: c.samples, seed: c.seed, space: c.agnosticSpace });
    a = { method: k.exact ? 'kernel-exact' : 'kernel-sampled', features: k.features, rows: Uint32Array.of(0), base: k.base, outputs: Float64Array.of(k.output), phi: k.phi, additivityError: k.additivityError, space: c.agnosticSpace, calls: k.calls };
  }
  return transferLocal({
    method: a.method,
    features: a.features,
    base: a.base,
    output: a.outputs[0],
    phi: a.phi.slice(0, a.features.length),
    additivityError: a.additivityError,
    space: a.space,
    prediction,
    calls: a.calls + 1,
    ms: performance.now() - t0,
  });
}

type Signal = { readonly aborted: boolean };
type Progress = ((done: number, total: number) => void) | undefined;

/** The library's attributions plus the worker time they took. */
export interface GlobalShapResult extends Attributions {
  ms: number;
}

/** Attributions of a seeded sample of `sampleRows` rows (all rows when the table is smaller). */
export async function globalShap(key: string, sampleRows: number, signal: Signal, onProgress: Progress): Promise<GlobalShapResult> {
  const c = current(key);
  const t0 = performance.now();
  const n = c.table.nRows;
  const rows = n <= sampleRows ? allRows(n) : sampleWithoutReplacement(createRng(c.seed), n, sampleRows).sort();
  let a: Attributions;
  if (c.tree) a = await c.tree.explain(c.table, rows, { signal, onProgress });
  else if (c.linear) a = c.linear.explain(c.table, rows);
  else a = await kernelShapRows(c.agnostic, c.table, rows, c.features, c.background, { samples: c.samples, seed: c.seed, space: c.agnosticSpace, signal, onProgress });
  const r: GlobalShapResult = { ...a, ms: performance.now() - t0 };
  return Comlink.transfer(r, [r.rows.buffer as ArrayBuffer, r.outputs.buffer as ArrayBuffer, r.phi.buffer as ArrayBuffer]);
}

export type PermutationMetric = 'auc' | 'accuracy' | 'mae';

export interface PermutationOut {
  metric: PermutationMetric;
  baseline: number | null;
  features: { feature: string; importance: number | null; sd: number; drops: number[] }[];
  rows: number;
  calls: number;
  ms: number;
}

/**
 * Permutation importance against `y` (binary: 1 positive / 0 other; multiclass: class index;
 * regression: value; NaN = unknown target, left out of the metric).
 */
export async function permutation(key: string, y: Float64Array, metric: PermutationMetric, repeats: number, maxRows: number, signal: Signal, onProgress: Progress): Promise<PermutationOut> {
  const c = current(key);
  const t0 = performance.now();
  const multi = c.mapping.task === 'multiclass';
  const predict = multi ? classPredictor(c.model, c.mapping) : c.decide;
  const score = (pred: Float64Array, ys: Float64Array): number => {
    if (metric === 'mae') {
      let s = 0, k = 0;
      for (let i = 0; i < ys.length; i++) if (!Number.isNaN(ys[i])) { s += Math.abs(pred[i] - ys[i]); k++; }
      return k ? s / k : NaN;
    }
    if (metric === 'accuracy') {
      let s = 0, k = 0;
      for (let i = 0; i < ys.length; i++) {
        if (Number.isNaN(ys[i])) continue;
        const p = multi ? pred[i] : pred[i] >= 0.5 ? 1 : 0;
        if (p === ys[i]) s++;
        k++;
      }
      return k ? s / k : NaN;
    }
    const known: number[] = [];
    for (let i = 0; i < ys.length; i++) if (!Number.isNaN(ys[i])) known.push(i);
    const labels = Int8Array.from(known, (i) => (ys[i] === 1 ? 1 : 0));
    const sc = Float64Array.from(known, (i) => pred[i]);
    return aucOf(buildThresholdTable(labels, sc)).value ?? NaN;
  };
  const r = await permutationImportance(predict, c.table, y, c.features, score, { repeats, seed: c.seed, maxRows, better: metric === 'mae' ? 'lower' : 'higher', signal, onProgress });
  return {
    metric,
    baseline: r.baseline.value,
    features: r.features.map((f) => ({ feature: f.feature, importance: f.importance.value, sd: f.sd, drops: Array.from(f.drops) })),
    rows: r.rows.length,
    calls: r.calls,
    ms: performance.now() - t0,
  };
}

export interface PdpOut {
  feature: string;
  kind: 'numeric' | 'categorical';
  grid: CellValue[];
  mean: Float64Array;
  ice: Float64Array;
  rows: number;
  space: OutputSpace;
  calls: number;
  ms: number;
}

/** Partial dependence with ICE lines of one column, in the decision space. */
export async function pdp(key: string, feature: string, gridSize: number, sampleRows: number, signal: Signal, onProgress: Progress): Promise<PdpOut> {
  const c = current(key);
  const t0 = performance.now();
  const r = await partialDependence(c.decide, c.table, feature, { gridSize, sampleRows, seed: c.seed, signal, onProgress });
  const out: PdpOut = { feature, kind: r.kind, grid: r.grid, mean: r.mean, ice: r.ice, rows: r.rows.length, space: c.mapping.task === 'regression' ? 'value' : 'probability', calls: r.calls, ms: performance.now() - t0 };
  return Comlink.transfer(out, [out.mean.buffer as ArrayBuffer, out.ice.buffer as ArrayBuffer]);
}

export interface Pdp2dOut {
  features: [string, string];
  grids: [CellValue[], CellValue[]];
  values: Float64Array;
  rows: number;
  calls: number;
  ms: number;
}

export async function pdp2d(key: string, features: [string, string], gridSize: number, sampleRows: number, signal: Signal, onProgress: Progress): Promise<Pdp2dOut> {
  const c = current(key);
  const t0 = performance.now();
  const r = await partialDependence2d(c.decide, c.table, features, { gridSize, sampleRows, seed: c.seed, signal, onProgress });
  const out: Pdp2dOut = { features, grids: r.grids, values: r.values, rows: r.rows.length, calls: r.calls, ms: performance.now() - t0 };
  return Comlink.transfer(out, [out.values.buffer as ArrayBuffer]);
}

export interface CounterfactualOut {
  original: number;
  target: CounterfactualTarget;
  counterfactuals: { changes: { column: string; from: CellValue; to: CellValue }[]; distance: number; score: number; verified: boolean }[];
  calls: number;
  ms: number;
}

/**
 * Counterfactuals of one row in the decision space; each is re-scored and `verified` when its score
 * really is on the target side.
 */
export async function findCounterfactuals(
  key: string,
  row: number,
  features: string[],
  target: CounterfactualTarget,
  count: number,
  maxCalls: number,
  signal: Signal,
  onProgress: Progress,
): Promise<CounterfactualOut> {
  const c = current(key);
  const t0 = performance.now();
  const r = await counterfactuals(c.decide, c.table, row, { features, target, count, maxCalls, seed: c.seed, signal, onProgress });
  const reached = (s: number): boolean => {
    if (target.kind === 'flip') return s >= target.threshold !== r.original >= target.threshold;
    return r.original < target.value ? s >= target.value : s <= target.value;
  };
  // Re-scored here from the diffs, independent of the search's own bookkeeping.
  const verified: boolean[] = [];
  for (const cf of r.counterfactuals) {
    const edits: Edits = {};
    for (const ch of cf.changes) edits[ch.column] = ch.to;
    verified.push(reached((await c.decide(withEdits(c.table, row, edits)))[0]));
  }
  return {
    original: r.original,
    target,
    counterfactuals: r.counterfactuals.map((cf, i) => ({ changes: cf.changes, distance: cf.distance, score: cf.score, verified: verified[i] })),
    calls: r.calls + r.counterfactuals.length,
    ms: performance.now() - t0,
  };
}
