/**
 * Wire a table to a model: which CSV columns feed which inputs, which column is the target, what the
 * task and classes are, and how outputs are read. A proposal the user can edit, and the checks that
 * explain in words what is wrong with any mapping.
 */
import { classesFromColumn, labelKey } from '../analysis/predictions';
import type { Column, Table } from '../data/table';
import { feedType } from './feeds';
import type { InputBinding, Mapping, MappingIssue, ModelCard, OutputPlan, Task, ValueSig } from './types';

/** Lower-case letters and digits only: 'Sepal Length (cm)' and 'sepal_length_cm' compare equal. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const FLOAT_TYPES = new Set(['float', 'double', 'float16']);
const INT_TYPES = new Set(['int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64']);

/** Names a target column commonly has (normalized). */
const TARGET_NAMES = new Set(
  [
    'target', 'label', 'labels', 'class', 'y', 'outcome', 'species', 'response', 'result', 'default', 'defaulted',
    'churn', 'churned', 'survived', 'diagnosis', 'income', 'price', 'quality', 'fraud', 'is_fraud', 'approved',
    'medv', 'saleprice', 'risk', 'credit_risk', 'bad', 'good_bad', 'rating', 'score', 'category', 'diabetes',
    'disease', 'purchased', 'clicked', 'converted', 'body_mass_g', 'mass', 'value', 'yield', 'output',
  ].map(normalizeName),
);
const ID_NAMES = new Set(['id', 'index', 'rowid', 'row', 'unnamed0', 'key', 'uuid'].map(normalizeName));

type Layout = InputBinding['layout'];

interface InputPlan {
  sig: ValueSig;
  layout: Layout;
  /** Features per row for a matrix input; null when the graph leaves it symbolic or unknown. */
  width: number | null;
}

function planInput(sig: ValueSig, inputCount: number): InputPlan {
  const shape = sig.shape;
  if (shape === null) return inputCount > 1 ? { sig, layout: 'column', width: 1 } : { sig, layout: 'matrix', width: null };
  if (shape.length <= 1) return { sig, layout: 'vector', width: 1 };
  const last = shape[shape.length - 1];
  if (last === 1) return { sig, layout: 'column', width: 1 };
  return { sig, layout: 'matrix', width: typeof last === 'number' ? last : null };
}

/** Find a column by exact name, then by normalized name. */
function findColumn(table: Table, name: string, taken: Set<string>): Column | undefined {
  const exact = table.columns.find((c) => c.name === name && !taken.has(c.name));
  if (exact) return exact;
  const key = normalizeName(name);
  if (key === '') return undefined;
  return table.columns.find((c) => !taken.has(c.name) && normalizeName(c.name) === key);
}

const isNumberLike = (c: Column) => c.kind === 'numeric' || c.kind === 'boolean';

// ---------------------------------------------------------------------------------------------------------
// Outputs

/** The last dimension of an output: columns per row (1 for [N]); null when symbolic or unknown. */
function outputWidth(sig: ValueSig): number | null {
  if (!sig.shape) return null;
  if (sig.shape.length <= 1) return 1;
  const last = sig.shape[sig.shape.length - 1];
  return typeof last === 'number' ? last : null;
}

const LABEL_TYPES = new Set([...INT_TYPES, 'string', 'bool']);
const PROB_NAME = /^(?!.*log).*prob/i;
const SCORE_NAME = /(logit|score|output|pred|y_?hat|variable)/i;
const LABEL_NAME = /label|class|pred/i;
/** Producers whose output is already a probability (so no squash). LogSoftmax is not: softmax of log-probabilities gives them back. */
const PROBABILITY_OPS = new Set(['Softmax', 'Sigmoid', 'HardSigmoid', 'ai.onnx.ml.Normalizer', 'ai.onnx.ml.ZipMap']);

function isTensorOf(sig: ValueSig, types: Set<string>): boolean {
  return sig.kind === 'tensor' && types.has(sig.elemType);
}

/**
 * Which outputs give scores and labels, and whether scores need a squash.
 *
 * - score output: the float output named like probabilities ('probabilities', 'output_probability', 'probs'),
 *   else one named like scores/logits, else the first float output;
 * - label output: an integer or text output [N] / [N,1] (preferring names with 'label'), not used when the
 *   labels come from a tree ensemble and probabilities exist: onnxruntime's binary TreeEnsembleClassifier
 *   labels can disagree with its own probabilities, and argmax of the probabilities is sklearn's `predict`;
 * - squash: 'none' when the score output comes from Softmax/Sigmoid/Normalizer, an ai.onnx.ml classifier
 *   (tree ensembles always; others unless `post_transform` is NONE) or is named like probabilities;
 *   otherwise 'softmax' for several columns and 'sigmoid' for one. Regression: always 'none'.
 */
export function planOutputs(card: ModelCard, task: Task): OutputPlan {
  const floats = card.outputs.filter((o) => isTensorOf(o, FLOAT_TYPES));
  const score =
    floats.find((o) => PROB_NAME.test(o.name)) ??
    (task === 'regression' ? floats.find((o) => (outputWidth(o) ?? 1) === 1) : undefined) ??
    floats.find((o) => SCORE_NAME.test(o.name)) ??
    floats[0] ??
    null;
  const labels = card.outputs.filter((o) => isTensorOf(o, LABEL_TYPES) && (outputWidth(o) ?? 1) === 1 && o !== score);
  let label: ValueSig | null = labels.find((o) => LABEL_NAME.test(o.name)) ?? labels[0] ?? null;
  if (task === 'regression') return { scoreOutput: score?.name ?? null, labelOutput: null, squash: 'none' };
  if (label && score && label.producer?.startsWith('ai.onnx.ml.TreeEnsemble')) label = null;
  let squash: OutputPlan['squash'] = 'none';
  if (score && !isProbability(score)) squash = (outputWidth(score) ?? 2) === 1 ? 'sigmoid' : 'softmax';
  return { scoreOutput: score?.name ?? null, labelOutput: label?.name ?? null, squash };
}

function isProbability(sig: ValueSig): boolean {
  if (PROB_NAME.test(sig.name)) return true;
  const p = sig.producer ?? '';
  if (PROBABILITY_OPS.has(p)) return true;
  if (p.startsWith('ai.onnx.ml.TreeEnsemble')) return true;
  if (p.startsWith('ai.onnx.ml.') && p.endsWith('Classifier')) return (sig.postTransform ?? 'NONE') !== 'NONE';
  return false;
}

/** What the model's ops and outputs say about its task, before looking at any data. */
function modelHint(card: ModelCard): 'classifier' | 'regressor' | 'unknown' {
  if (card.classLabels) return 'classifier';
  const ops = Object.keys(card.opHistogram);
  if (ops.some((k) => k.startsWith('ai.onnx.ml.') && k.endsWith('Classifier'))) return 'classifier';
  if (ops.some((k) => k.startsWith('ai.onnx.ml.') && k.endsWith('Regressor'))) return 'regressor';
  const tensors = card.outputs.filter((o) => o.kind === 'tensor');
  if (tensors.some((o) => !FLOAT_TYPES.has(o.elemType))) return 'classifier';
  if (tensors.some((o) => isProbability(o) || (outputWidth(o) ?? 0) >= 2)) return 'classifier';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------------------
// Target and task

function distinctNumbers(values: Float64Array, cap: number): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < values.length && seen.size <= cap; i++) if (!Number.isNaN(values[i])) seen.add(values[i]);
  return [...seen];
}

function looksBinaryNumeric(col: Column): boolean {
  if (col.kind !== 'numeric') return false;
  const d = distinctNumbers(col.values, 3);
  return d.length <= 2 && d.every((v) => v === 0 || v === 1);
}

/** Few whole-number values: a class code rather than a measurement. */
function looksCategoricalNumeric(col: Column, maxClasses: number): boolean {
  if (col.kind !== 'numeric') return false;
  const d = distinctNumbers(col.values, maxClasses + 1);
  return d.length <= maxClasses && d.every(Number.isInteger);
}

function targetScore(col: Column, index: number, hint: ReturnType<typeof modelHint>, card: ModelCard): number {
  const key = normalizeName(col.name);
  let s = index / 1000; // later columns win ties
  if (TARGET_NAMES.has(key)) s += 3;
  else if (/target|label|class|outcome/.test(key)) s += 1.5;
  if (ID_NAMES.has(key)) s -= 3;
  const categorical = col.kind !== 'numeric' || looksCategoricalNumeric(col, 20);
  if (hint === 'classifier') {
    s += categorical ? 2 : -3;
    if (card.classLabels) {
      const keys = new Set(card.classLabels.map(labelKey));
      const values = classesFromColumn(col).slice(0, 50);
      const hits = values.filter((v) => keys.has(labelKey(v))).length;
      if (values.length > 0 && hits / values.length >= 0.5) s += 3;
    }
  } else if (hint === 'regressor') {
    s += col.kind === 'numeric' && !looksCategoricalNumeric(col, 10) ? 2 : col.kind === 'numeric' ? 0.5 : -4;
  }
  return s;
}

const TARGET_KEYS = ['target', 'target_name', 'target_column', 'label_column', 'label', 'y_name'];

/** The target column the model's metadata names, when the table has it. */
function metadataTarget(card: ModelCard, table: Table, taken: Set<string>): Column | null {
  for (const key of TARGET_KEYS) {
    const name = card.metadata[key]?.trim();
    if (!name) continue;
    const col = findColumn(table, name, taken);
    if (col) return col;
  }
  return null;
}

function proposeTarget(table: Table, taken: Set<string>, card: ModelCard): Column | null {
  const named = metadataTarget(card, table, taken);
  if (named) return named;
  const hint = modelHint(card);
  let best: Column | null = null;
  let bestScore = -Infinity;
  table.columns.forEach((col, i) => {
    if (taken.has(col.name)) return;
    const s = targetScore(col, i, hint, card);
    if (s > bestScore) {
      bestScore = s;
      best = col;
    }
  });
  return best;
}

/** Columns per row of the chosen score output (null: unknown). */
function scoreWidth(card: ModelCard, plan: OutputPlan): number | null {
  const sig = card.outputs.find((o) => o.name === plan.scoreOutput);
  return sig ? outputWidth(sig) : null;
}

function inferTask(card: ModelCard, target: Column | null): Task {
  const hint = modelHint(card);
  const floats = card.outputs.filter((o) => isTensorOf(o, FLOAT_TYPES));
  const probe = planOutputs(card, 'multiclass');
  const width = scoreWidth(card, probe);
  const labelCount = card.classLabels?.length ?? null;
  const targetClassCount = target
    ? target.kind === 'numeric'
      ? looksCategoricalNumeric(target, 20)
        ? distinctNumbers(target.values, 21).length
        : null
      : target.stats.distinct || classesFromColumn(target).length
    : null;

  if (labelCount !== null) return labelCount >= 3 ? 'multiclass' : 'binary';
  if (width !== null && width >= 3) return 'multiclass';
  if (width === 2) return 'binary';
  if (floats.length === 0) {
    // Labels only.
    return (targetClassCount ?? 2) > 2 ? 'multiclass' : 'binary';
  }
  if (width === 1) {
    if (target) {
      if (target.kind !== 'numeric' || looksBinaryNumeric(target)) return 'binary';
      return hint === 'classifier' && targetClassCount !== null && targetClassCount <= 2 ? 'binary' : 'regression';
    }
    return hint === 'classifier' ? 'binary' : 'regression';
  }
  // Width unknown: the target decides.
  if (target) {
    if (target.kind !== 'numeric') return (targetClassCount ?? 2) > 2 ? 'multiclass' : 'binary';
    if (looksBinaryNumeric(target)) return 'binary';
    if (hint === 'classifier' && targetClassCount !== null) return targetClassCount > 2 ? 'multiclass' : 'binary';
    return 'regression';
  }
  return hint === 'classifier' ? 'binary' : 'regression';
}

function proposeClasses(card: ModelCard, task: Task, target: Column | null, plan: OutputPlan): string[] {
  if (task === 'regression') return [];
  if (card.classLabels) return [...card.classLabels];
  const width = scoreWidth(card, plan);
  const want = task === 'binary' ? 2 : width;
  const fromTarget = target ? classesFromColumn(target) : [];
  if (fromTarget.length > 0 && (want === null || fromTarget.length === want)) return fromTarget;
  const n = want ?? Math.max(fromTarget.length, 2);
  // Class codes 0..n-1 of which the data lacks some: the codes still name the classes.
  if (target?.kind === 'numeric' && fromTarget.every((c) => Number.isInteger(Number(c)) && Number(c) >= 0 && Number(c) < n)) {
    return Array.from({ length: n }, (_, k) => String(k));
  }
  return Array.from({ length: n }, (_, k) => `class ${k}`);
}

// ---------------------------------------------------------------------------------------------------------
// Proposal

/**
 * Propose a mapping of `table` onto the model described by `card` (the prepared card: ZipMap outputs
 * already replaced by tensors).
 *
 * Inputs: an input of one column ([N,1] or [N]) takes the column with its name (exact, then ignoring case
 * and punctuation). A matrix input [N,F] takes `card.featureNames` by name when the card has them, else
 * the numeric and boolean columns in CSV order, skipping the target (the first F; all of them when F is
 * symbolic).
 * Target: the column the model's metadata names ('target', 'label_column', ...), else among columns no input
 * consumes, the one whose name says target (target/label/class/y/species/...)
 * and whose values fit the model (categories for a classifier, many numbers for a regressor); ties go to the
 * later column.
 * Task: from the score output's width and the declared labels, else from the target (see `inferTask`).
 * Classes: the model's labels, else the target's values in sklearn's sorted order, else 'class 0'...
 * Positive class (binary): index 1, sklearn's `classes_[1]`; the user changes it in the mapping panel.
 * Issues: what the proposal assumed (level 'info') followed by {@link validateMapping}'s findings.
 */
export function proposeMapping(card: ModelCard, table: Table): { mapping: Mapping; issues: MappingIssue[] } {
  const notes: MappingIssue[] = [];
  const plans = card.inputs.filter((i) => i.kind === 'tensor').map((sig, _, all) => planInput(sig, all.length));
  const taken = new Set<string>();
  const bindings: InputBinding[] = plans.map((p) => ({ input: p.sig.name, elemType: p.sig.elemType, layout: p.layout, columns: [] }));

  // One-column inputs first: their names are the strongest evidence.
  plans.forEach((p, i) => {
    if (p.layout === 'matrix') return;
    const col = findColumn(table, p.sig.name, taken);
    if (col) taken.add(col.name);
    bindings[i].columns = [col?.name ?? null];
  });
  const matrices = plans.map((p, i) => ({ p, i })).filter(({ p }) => p.layout === 'matrix');
  const singleUnmatched = plans.length === 1 && plans[0].layout !== 'matrix' && bindings[0].columns[0] === null;

  // Matrix inputs named by the card's feature names.
  const names = card.featureNames;
  if (names && matrices.length === 1 && (matrices[0].p.width === null || matrices[0].p.width === names.length)) {
    const { i } = matrices[0];
    bindings[i].columns = names.map((name) => {
      const col = findColumn(table, name, taken);
      if (col) taken.add(col.name);
      return col?.name ?? null;
    });
    matrices.length = 0;
    const matched = bindings[i].columns.filter((c) => c !== null).length;
    notes.push({
      level: 'info',
      message: `Input '${bindings[i].input}' takes the ${names.length} features the model names in its metadata; ${matched} of them were found in the CSV.`,
    });
  }

  if (names && matrices.length === 1 && matrices[0].p.width !== null && matrices[0].p.width !== names.length) {
    notes.push({
      level: 'info',
      message: `The model's metadata names ${names.length} features but input '${matrices[0].p.sig.name}' takes ${matrices[0].p.width}; Loupe ignores the names and takes columns in file order.`,
    });
  }
  const target = proposeTarget(table, taken, card);
  if (target) taken.add(target.name);

  // Remaining matrix inputs take numeric columns in file order.
  for (const { p, i } of matrices) {
    const free = table.columns.filter((c) => !taken.has(c.name) && isNumberLike(c));
    const count = p.width ?? free.length;
    const cols: (string | null)[] = free.slice(0, count).map((c) => c.name);
    for (const c of cols) if (c) taken.add(c);
    while (cols.length < count) cols.push(null);
    bindings[i].columns = cols;
    if (cols.length > 0) {
      notes.push({
        level: 'info',
        message: `Input '${p.sig.name}' takes ${cols.filter((c) => c).length} numeric column${cols.length === 1 ? '' : 's'} in file order${target ? `, skipping the target '${target.name}'` : ''}; the model does not name its features, so check the order.`,
      });
    }
  }
  if (singleUnmatched) {
    const col = table.columns.find((c) => !taken.has(c.name) && isNumberLike(c));
    if (col) {
      bindings[0].columns = [col.name];
      notes.push({ level: 'info', message: `No column is named like input '${bindings[0].input}'; it takes '${col.name}'.` });
    }
  }

  const task = inferTask(card, target);
  const outputs = planOutputs(card, task);
  const classes = proposeClasses(card, task, target, outputs);
  const mapping: Mapping = {
    bindings,
    target: target?.name ?? null,
    task,
    classes,
    positiveClass: task === 'binary' ? Math.min(1, Math.max(0, classes.length - 1)) : 0,
    outputs,
  };
  if (target) {
    notes.push({
      level: 'info',
      message: `Target: '${target.name}' (${task === 'regression' ? 'regression' : `${task}, classes ${classes.map((c) => `'${c}'`).join(', ')}`}).`,
    });
  }
  return { mapping, issues: [...notes, ...validateMapping(card, table, mapping)] };
}

// ---------------------------------------------------------------------------------------------------------
// Validation

function describeColumn(col: Column): string {
  if (col.kind === 'numeric') return 'numbers';
  if (col.kind === 'boolean') return 'true/false values';
  const k = col.categories.length;
  return `text (${k} categor${k === 1 ? 'y' : 'ies'})`;
}

/** Whether every category of a text column reads as a number (so a numeric input can take it). */
function categoriesAreNumbers(col: Column): boolean {
  return col.kind !== 'numeric' && col.categories.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
}

function hasFractions(col: Column): boolean {
  if (col.kind !== 'numeric') return false;
  const v = col.values;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i]) && !Number.isInteger(v[i])) return true;
  return false;
}

const quoteList = (xs: readonly string[], max = 5) =>
  xs.slice(0, max).map((x) => `'${x}'`).join(', ') + (xs.length > max ? `, … (${xs.length} in all)` : '');

/**
 * Everything wrong or doubtful about `mapping` for this model and table, in words, most serious first.
 * Errors block scoring; warnings mean results may be off; infos are notes.
 */
export function validateMapping(card: ModelCard, table: Table, mapping: Mapping): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const error = (message: string) => issues.push({ level: 'error', message });
  const warn = (message: string) => issues.push({ level: 'warning', message });
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const target = mapping.target !== null ? byName.get(mapping.target) : undefined;

  // Inputs.
  for (const sig of card.inputs) {
    if (!mapping.bindings.some((b) => b.input === sig.name)) error(`The model's input '${sig.name}' is not fed by any CSV column.`);
  }
  for (const b of mapping.bindings) {
    const sig = card.inputs.find((i) => i.name === b.input);
    if (!sig) {
      error(`The mapping feeds an input '${b.input}' that the model does not have.`);
      continue;
    }
    if (!feedType(b.elemType)) {
      error(`Input '${b.input}' has element type '${b.elemType}', which Loupe cannot build from CSV columns.`);
      continue;
    }
    const mapped = b.columns.filter((c): c is string => c !== null);
    if (b.layout === 'matrix') {
      const width = planInput(sig, card.inputs.length).width;
      const missing = b.columns.filter((c) => c === null).length;
      if (b.columns.length === 0) {
        error(`The model's input '${b.input}' has no CSV columns.`);
      } else if ((width !== null && b.columns.length !== width) || missing > 0) {
        const expects = width ?? b.columns.length;
        const others = table.columns.filter((c) => isNumberLike(c) && c.name !== mapping.target).length;
        const gap = width !== null && b.columns.length !== width ? `the mapping gives ${b.columns.length}` : `${missing} ha${missing === 1 ? 's' : 've'} no column`;
        error(
          `The model's input '${b.input}' expects ${expects} feature${expects === 1 ? '' : 's'}; the CSV has ${others} numeric column${others === 1 ? '' : 's'}` +
            `${mapping.target ? ` besides the target '${mapping.target}'` : ''} (${gap}).`,
        );
      }
    } else if (mapped.length === 0) {
      error(`The model's input '${b.input}' has no CSV column; pick the column it should read.`);
    }
    for (const name of mapped) {
      const col = byName.get(name);
      if (!col) {
        error(`Input '${b.input}' reads column '${name}', which is not in the CSV.`);
        continue;
      }
      if (name === mapping.target) warn(`Column '${name}' is both the target and a feature of input '${b.input}': the model sees the answer.`);
      checkColumnType(b, col, error, warn);
    }
    const dupes = mapped.filter((c, i) => mapped.indexOf(c) !== i);
    if (dupes.length > 0) warn(`Input '${b.input}' reads ${quoteList([...new Set(dupes)])} more than once.`);
  }

  const used = new Set(mapping.bindings.flatMap((b) => b.columns));
  const unused = table.columns.filter((c) => !used.has(c.name) && c.name !== mapping.target).map((c) => c.name);
  if (unused.length > 0) {
    issues.push({ level: 'info', message: `Column${unused.length === 1 ? '' : 's'} ${quoteList(unused)} feed${unused.length === 1 ? 's' : ''} no model input.` });
  }

  // Outputs.
  const plan = mapping.outputs;
  for (const name of [plan.scoreOutput, plan.labelOutput]) {
    if (name !== null && !card.outputs.some((o) => o.name === name && o.kind === 'tensor')) {
      error(`The model has no tensor output '${name}' to read.`);
    }
  }
  if (plan.scoreOutput === null && (mapping.task === 'regression' || plan.labelOutput === null)) {
    error(mapping.task === 'regression' ? 'No output is chosen for the predicted values.' : 'No output is chosen for scores or labels.');
  }
  const scoreSig = card.outputs.find((o) => o.name === plan.scoreOutput);
  const width = scoreSig ? outputWidth(scoreSig) : null;
  if (mapping.task === 'regression') {
    if (width !== null && width > 1) {
      warn(`The output '${plan.scoreOutput}' has ${width} columns per row; regression reads only the first.`);
    }
  } else {
    const C = mapping.classes.length;
    if (C < 2) error(`A ${mapping.task} task needs at least two classes; the mapping lists ${C}.`);
    if (mapping.task === 'binary' && C > 2) error(`A binary task has two classes; the mapping lists ${C}. Choose multiclass.`);
    if (mapping.task === 'multiclass' && C === 2) warn('The mapping lists two classes: binary metrics (ROC, threshold) fit better than multiclass.');
    if (width !== null && width !== C && !(width === 1 && C === 2)) {
      error(`The output '${plan.scoreOutput}' gives ${width} score${width === 1 ? '' : 's'} per row, but the mapping has ${C} classes (${quoteList(mapping.classes)}).`);
    }
    if (mapping.task === 'binary' && (mapping.positiveClass < 0 || mapping.positiveClass >= C)) {
      error(`The positive class index ${mapping.positiveClass} is not one of the ${C} classes.`);
    }
    if (card.classLabels && C === card.classLabels.length && card.classLabels.some((c, i) => labelKey(c) !== labelKey(mapping.classes[i]))) {
      warn(`The classes ${quoteList(mapping.classes)} differ from the labels the model declares (${quoteList(card.classLabels)}), in order or names.`);
    }
  }

  // Target.
  if (mapping.target === null) {
    issues.push({ level: 'info', message: 'No target column: Loupe shows predictions but cannot measure accuracy.' });
  } else if (!target) {
    error(`The target column '${mapping.target}' is not in the CSV.`);
  } else if (mapping.task === 'regression') {
    if (target.kind !== 'numeric' && !categoriesAreNumbers(target)) {
      error(`The target '${target.name}' holds ${describeColumn(target)}, but a regression target must be numbers.`);
    }
  } else if (mapping.classes.length > 0) {
    const keys = new Set(mapping.classes.map(labelKey));
    const values = classesFromColumn(target);
    const unknown = values.filter((v) => !keys.has(labelKey(v)));
    if (unknown.length === values.length && values.length > 0) {
      error(
        `None of the target '${target.name}' values (${quoteList(values)}) is one of the model's classes (${quoteList(mapping.classes)}); ` +
          'pick another target or rename the classes.',
      );
    } else if (unknown.length > 0) {
      warn(`The target '${target.name}' has values the model does not predict: ${quoteList(unknown)}; those rows count as wrong.`);
    }
    if (target.kind === 'numeric' && !looksCategoricalNumeric(target, 50)) {
      warn(`The target '${target.name}' holds many different numbers; is this a regression task?`);
    }
  }
  const order = { error: 0, warning: 1, info: 2 };
  return issues.sort((a, b) => order[a.level] - order[b.level]);
}

function checkColumnType(b: InputBinding, col: Column, error: (m: string) => void, warn: (m: string) => void): void {
  const t = b.elemType;
  if (t === 'string') {
    if (col.kind === 'numeric') {
      warn(`Input '${b.input}' expects text; column '${col.name}' holds numbers, which Loupe passes as text ('3', '2.5').`);
    }
    return;
  }
  if (col.kind === 'categorical' && !categoriesAreNumbers(col)) {
    const k = col.categories.length;
    error(
      `Column '${col.name}' holds text (${k} categor${k === 1 ? 'y' : 'ies'}${k > 0 ? `: ${quoteList(col.categories, 3)}` : ''}) but input '${b.input}' expects numbers.`,
    );
    return;
  }
  if (INT_TYPES.has(t) && hasFractions(col)) {
    warn(`Input '${b.input}' expects whole numbers (${t}); column '${col.name}' has fractions, which are cut toward zero.`);
  }
  if (t !== 'bool' && !FLOAT_TYPES.has(t) && !INT_TYPES.has(t)) {
    error(`Input '${b.input}' has element type '${t}', which Loupe cannot build from column '${col.name}'.`);
  }
  if (INT_TYPES.has(t) && col.kind === 'numeric' && col.stats.missing > 0) {
    warn(`Column '${col.name}' has ${col.stats.missing} missing values; integer input '${b.input}' receives 0 for them.`);
  }
}
