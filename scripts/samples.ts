/**
 * `npm run samples`: builds the bundled sample datasets and models into static/samples/ from the source
 * tables in scripts/samples/data/. Every random draw comes from a seeded generator, so running it twice
 * writes identical bytes. See static/samples/README.md for sources and licences.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CREDIT_CATEGORICAL, CREDIT_NUMERIC, CREDIT_TARGET, decodeCredit } from './samples/credit';
import { driftCredit } from './samples/drift';
import { formatCsv, numbers, parseCsv, strings, type Csv } from './samples/csv';
import { binaryLogisticHead, gbtHead, linearRegressionHead, mlpHead, multinomialLogisticHead, torchLogitsHead, type Head } from './samples/heads';
import { accuracy, auc, logLoss, macroAuc, mae, r2, rmse } from './samples/metrics';
import { buildModel, tensorValue } from './samples/onnx-builder';
import { emitPipeline, encodingSpec, featureCount, featureNames, fitPipeline, transform, type ColumnPipeline, type Frame } from './samples/pipeline';
import { Rng, stratifiedSplit } from './samples/prng';
import { fitGbt, predictGbt } from './samples/train/gbt';
import { fitLinear, predictLinear } from './samples/train/linear';
import { fitBinaryLogistic, fitMultinomialLogistic, predictBinaryLogistic, predictMultinomialLogistic } from './samples/train/logistic';
import { fitMlp, predictMlp } from './samples/train/mlp';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'scripts/samples/data');
// `--out DIR` writes elsewhere (the test rebuilds into a temporary folder and compares bytes).
const outFlag = process.argv.indexOf('--out');
const OUT = outFlag > 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1] : join(ROOT, 'static/samples');

/** Seeds: one per random use, so changing one model leaves the others' bytes alone. */
const SEEDS = { creditSplit: 1001, penguinsSplit: 1002, massSplit: 1003, wineSplit: 1004, mlp: 2001, gbt: 2002, wineMlp: 2003 } as const;
const TRAIN_FRACTION = 0.7;

/** One gallery entry of static/samples/index.json. */
export interface SampleEntry {
  id: string;
  title: string;
  description: string;
  model: string;
  csv: string;
  /** A drifted "current" CSV with the same columns (plus a date), to compare against `csv`. */
  current?: string;
  task: 'binary' | 'multiclass' | 'regression';
  target: string;
  /** Class labels in the model's probability-column order (classification only). */
  classes?: string[];
  positiveClass?: string;
  sensitiveColumns: string[];
  /** CSV columns the model does not read. */
  unusedColumns: string[];
  rows: number;
  /** How the held-out rows were drawn: `stratifiedSplit(column values, trainFraction, new Rng(seed))`. */
  split: { seed: number; trainFraction: number; stratifyBy: string | null; trainRows: number; testRows: number };
  heldOutMetrics: Record<string, number>;
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;
const started = performance.now();
const log = (msg: string) => console.log(`[samples ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);

function frameOf(csv: Csv, numeric: readonly string[], text: readonly string[]): Frame {
  const frame: Frame = new Map();
  for (const c of numeric) frame.set(c, numbers(csv, c));
  for (const c of text) frame.set(c, strings(csv, c));
  return frame;
}

function write(name: string, data: string | Uint8Array): void {
  writeFileSync(join(OUT, name), data);
  log(`wrote ${name} (${typeof data === 'string' ? Buffer.byteLength(data) : data.length} bytes)`);
}

const PRODUCER = { producerName: 'loupe-samples', producerVersion: '1' };

/** A per-column pipeline model: preprocessing graph + head. */
function pipelineModel(opts: {
  name: string;
  doc: string;
  pipeline: ColumnPipeline;
  head: (features: string) => Head;
  target: string;
  classes?: string[];
  extraMetadata?: Record<string, string>;
}): Uint8Array {
  const pre = emitPipeline(opts.pipeline);
  const head = opts.head(pre.output);
  return buildModel({
    ...PRODUCER,
    docString: opts.doc,
    graph: {
      name: opts.name,
      docString: opts.doc,
      inputs: pre.inputs,
      outputs: head.outputs,
      nodes: [...pre.nodes, ...head.nodes],
      initializers: [...pre.initializers, ...head.initializers],
      valueInfo: [...pre.valueInfo, ...head.valueInfo],
    },
    metadata: {
      loupe_encoding: JSON.stringify(encodingSpec(opts.pipeline)),
      transformed_feature_names: JSON.stringify(featureNames(opts.pipeline)),
      target: opts.target,
      ...(opts.classes ? { class_labels: JSON.stringify(opts.classes) } : {}),
      ...opts.extraMetadata,
    },
  });
}

function buildCredit(): SampleEntry[] {
  const credit = decodeCredit(parseCsv(readFileSync(join(DATA, 'german_credit.csv'), 'utf8')));
  write('credit.csv', formatCsv(credit));
  write('credit-current.csv', formatCsv(driftCredit(credit)));
  const n = credit.rows.length;
  const classes: [string, string] = ['Bad', 'Good'];
  const cls = strings(credit, CREDIT_TARGET);
  const split = stratifiedSplit(cls, TRAIN_FRACTION, new Rng(SEEDS.creditSplit));
  const frame = frameOf(credit, CREDIT_NUMERIC, CREDIT_CATEGORICAL);
  const yGood = cls.map((c) => (c === 'Good' ? 1 : 0));
  const yTrain = split.train.map((i) => yGood[i]);
  const yTest = split.test.map((i) => yGood[i]);
  const common = {
    csv: 'credit.csv',
    current: 'credit-current.csv',
    task: 'binary' as const,
    target: CREDIT_TARGET,
    classes,
    positiveClass: 'Bad',
    sensitiveColumns: ['Sex', 'Age', 'ForeignWorker'],
    unusedColumns: [],
    rows: n,
    split: { seed: SEEDS.creditSplit, trainFraction: TRAIN_FRACTION, stratifyBy: CREDIT_TARGET, trainRows: split.train.length, testRows: split.test.length },
  };
  /** Metrics with "Bad" (index 0) as the positive class; `pGood` is P(Good) per test row. */
  const binaryMetrics = (pGood: Float64Array) => ({
    accuracy: round(accuracy(yTest, Array.from(pGood, (p) => (p > 0.5 ? 1 : 0)))),
    auc: round(auc(yTest.map((y) => y === 0), Array.from(pGood, (p) => 1 - p))),
    logLoss: round(logLoss(yTest, Float64Array.from(Array.from(pGood).flatMap((p) => [1 - p, p])), 2)),
  });
  const fitOpts = { numeric: [...CREDIT_NUMERIC], categorical: [...CREDIT_CATEGORICAL], impute: false };

  // Logistic regression and MLP share a standardising pipeline; trees take the raw numbers.
  const scaled = fitPipeline(frame, split.train, { ...fitOpts, scale: true });
  const f = featureCount(scaled);
  const xTrain = transform(scaled, frame, split.train);
  const xTest = transform(scaled, frame, split.test);
  log(`credit: ${n} rows, ${f} features, ${split.train.length} train / ${split.test.length} test`);

  const logreg = fitBinaryLogistic(xTrain, split.train.length, f, yTrain, 1);
  const logregMetrics = binaryMetrics(predictBinaryLogistic(logreg, xTest, split.test.length));
  write(
    'credit-logreg.onnx',
    pipelineModel({
      name: 'credit_logreg',
      doc: 'German credit (UCI Statlog): L2 logistic regression (C = 1, Newton/IRLS) after standardising numbers and one-hot encoding text columns; one input per CSV column, as skl2onnx writes a ColumnTransformer pipeline.',
      pipeline: scaled,
      head: (x) => binaryLogisticHead(x, logreg, classes),
      target: CREDIT_TARGET,
      classes,
    }),
  );
  log(`credit-logreg held out ${JSON.stringify(logregMetrics)}`);

  const mlpOpts = { hidden: [32, 16], classes: 2, epochs: 30, batch: 32, learningRate: 1e-3, weightDecay: 1e-2 };
  const mlp = fitMlp(xTrain, split.train.length, f, yTrain, mlpOpts, new Rng(SEEDS.mlp));
  const mlpProbs = predictMlp(mlp, xTest, split.test.length);
  const mlpMetrics = binaryMetrics(Float64Array.from({ length: split.test.length }, (_, i) => mlpProbs[i * 2 + 1]));
  write(
    'credit-mlp.onnx',
    pipelineModel({
      name: 'credit_mlp',
      doc: `German credit (UCI Statlog): multilayer perceptron ${f}-32-16-2 (ReLU, softmax), Adam (learning rate ${mlpOpts.learningRate}, batch ${mlpOpts.batch}, weight decay ${mlpOpts.weightDecay}), ${mlpOpts.epochs} epochs, after standardising numbers and one-hot encoding text columns. 'label' is an index into the class_labels metadata.`,
      pipeline: scaled,
      head: (x) => mlpHead(x, mlp),
      target: CREDIT_TARGET,
      classes,
    }),
  );
  log(`credit-mlp held out ${JSON.stringify(mlpMetrics)}`);

  const raw = fitPipeline(frame, split.train, { ...fitOpts, scale: false });
  const rTrain = transform(raw, frame, split.train);
  const rTest = transform(raw, frame, split.test);
  const gbtOpts = { trees: 60, depth: 3, learningRate: 0.1, subsample: 0.8, minLeaf: 5 };
  const gbt = fitGbt(rTrain, split.train.length, f, yTrain, gbtOpts, new Rng(SEEDS.gbt));
  const gbtMetrics = binaryMetrics(predictGbt(gbt, rTest, split.test.length, f));
  write(
    'credit-gbt.onnx',
    pipelineModel({
      name: 'credit_gbt',
      doc: 'German credit (UCI Statlog): gradient-boosted trees (log loss, 60 trees of depth 3, learning rate 0.1, 80% row subsampling) on raw numbers and one-hot text columns, written as skl2onnx writes a GradientBoostingClassifier, ZipMap included.',
      pipeline: raw,
      head: (x) => gbtHead(x, gbt, classes),
      target: CREDIT_TARGET,
      classes,
      extraMetadata: {
        loupe_zipmap: JSON.stringify({ node: 'ZipMap', input: 'probabilities', output: 'output_probability', note: 'remove the ZipMap node and expose its input (float [N,2], typed in value_info) for a tensor output' }),
      },
    }),
  );
  log(`credit-gbt held out ${JSON.stringify(gbtMetrics)}`);

  const bad = 'whether a loan applicant is a bad credit risk (positive class "Bad", the outcome a lender most wants to catch)';
  return [
    {
      id: 'credit-gbt',
      title: 'German credit: gradient-boosted trees',
      description: `Predicts ${bad} from 1000 real German credit applications, with 60 boosted trees exported like scikit-learn, ZipMap output included.`,
      model: 'credit-gbt.onnx',
      ...common,
      heldOutMetrics: gbtMetrics,
    },
    {
      id: 'credit-logreg',
      title: 'German credit: logistic regression',
      description: `Predicts ${bad} with a logistic regression that reads each CSV column as its own input, as a scikit-learn pipeline exports.`,
      model: 'credit-logreg.onnx',
      ...common,
      heldOutMetrics: logregMetrics,
    },
    {
      id: 'credit-mlp',
      title: 'German credit: neural network',
      description: `Predicts ${bad} with a small two-hidden-layer neural network, exported like PyTorch behind scikit-learn-style preprocessing.`,
      model: 'credit-mlp.onnx',
      ...common,
      heldOutMetrics: mlpMetrics,
    },
  ];
}

const PENGUIN_MEASURES = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm'] as const;

function buildPenguins(): SampleEntry[] {
  const text = readFileSync(join(DATA, 'penguins.csv'), 'utf8');
  write('penguins.csv', text);
  const penguins = parseCsv(text);

  // Species from every measure, island and sex; 'NA' numbers are imputed in the graph.
  const numeric = [...PENGUIN_MEASURES, 'body_mass_g'];
  const categorical = ['island', 'sex'];
  const species = strings(penguins, 'species');
  const classes = [...new Set(species)].sort();
  const y = species.map((s) => classes.indexOf(s));
  const split = stratifiedSplit(species, TRAIN_FRACTION, new Rng(SEEDS.penguinsSplit));
  const frame = frameOf(penguins, numeric, categorical);
  const pipeline = fitPipeline(frame, split.train, { numeric, categorical, impute: true, scale: true, missing: ['NA'] });
  const f = featureCount(pipeline);
  const model = fitMultinomialLogistic(transform(pipeline, frame, split.train), split.train.length, f, split.train.map((i) => y[i]), classes.length, 1);
  const probs = predictMultinomialLogistic(model, transform(pipeline, frame, split.test), split.test.length);
  const yTest = split.test.map((i) => y[i]);
  const predicted = yTest.map((_, i) => {
    let best = 0;
    for (let c = 1; c < classes.length; c++) if (probs[i * classes.length + c] > probs[i * classes.length + best]) best = c;
    return best;
  });
  const speciesMetrics = {
    accuracy: round(accuracy(yTest, predicted)),
    macroAuc: round(macroAuc(yTest, probs, classes.length)),
    logLoss: round(logLoss(yTest, probs, classes.length)),
  };
  write(
    'penguins-species.onnx',
    pipelineModel({
      name: 'penguins_species',
      doc: 'Palmer penguins: multinomial logistic regression (C = 1) of species on bill, flipper and mass measures (median-imputed, standardised) and one-hot island and sex (NA sex encodes as all zeros); one input per CSV column.',
      pipeline,
      head: (x) => multinomialLogisticHead(x, model, classes),
      target: 'species',
      classes,
    }),
  );
  log(`penguins-species held out ${JSON.stringify(speciesMetrics)}`);

  // Body mass from the three measures, as one [N, 3] float matrix; rows missing any of them are dropped.
  const massCols = [...PENGUIN_MEASURES, 'body_mass_g'];
  const idx = massCols.map((c) => penguins.header.indexOf(c));
  const massCsv: Csv = { header: massCols, rows: penguins.rows.map((r) => idx.map((i) => r[i])).filter((r) => r.every((v) => v !== 'NA')) };
  write('penguins-mass.csv', formatCsv(massCsv));
  const m = massCsv.rows.length;
  const mass = numbers(massCsv, 'body_mass_g');
  const x = Float64Array.from(massCsv.rows.flatMap((r) => r.slice(0, 3).map((v) => Math.fround(Number(v)))));
  const mSplit = stratifiedSplit(new Array<string>(m).fill(''), TRAIN_FRACTION, new Rng(SEEDS.massSplit));
  const pick = (rows: number[]) => Float64Array.from(rows.flatMap((i) => [...x.subarray(i * 3, i * 3 + 3)]));
  const linear = fitLinear(pick(mSplit.train), mSplit.train.length, 3, mSplit.train.map((i) => mass[i]));
  const massPred = predictLinear(linear, pick(mSplit.test), mSplit.test.length);
  const massTruth = mSplit.test.map((i) => mass[i]);
  const massMetrics = { rmse: round(rmse(massTruth, massPred), 2), mae: round(mae(massTruth, massPred), 2), r2: round(r2(massTruth, massPred)) };
  const head = linearRegressionHead('float_input', linear);
  const massDoc = 'Palmer penguins: ordinary least squares of body mass (g) on bill length, bill depth and flipper length (mm), one [N, 3] float input as skl2onnx names it; output in grams.';
  write(
    'penguins-mass.onnx',
    buildModel({
      ...PRODUCER,
      docString: massDoc,
      graph: {
        name: 'penguins_mass',
        docString: massDoc,
        inputs: [tensorValue('float_input', 'float', ['N', 3])],
        outputs: head.outputs,
        nodes: head.nodes,
        initializers: head.initializers,
        valueInfo: head.valueInfo,
      },
      metadata: {
        feature_names: JSON.stringify([...PENGUIN_MEASURES]),
        loupe_encoding: JSON.stringify(PENGUIN_MEASURES.map((column) => ({ column, kind: 'numeric' }))),
        target: 'body_mass_g',
      },
    }),
  );
  log(`penguins-mass held out ${JSON.stringify(massMetrics)}`);

  return [
    {
      id: 'penguins-species',
      title: 'Palmer penguins: species',
      description: 'Predicts which of three species a Palmer penguin is from its bill, flipper, mass, island and sex with a multinomial logistic regression that imputes the real missing values inside the model.',
      model: 'penguins-species.onnx',
      csv: 'penguins.csv',
      task: 'multiclass',
      target: 'species',
      classes,
      sensitiveColumns: ['sex'],
      unusedColumns: ['year'],
      rows: penguins.rows.length,
      split: { seed: SEEDS.penguinsSplit, trainFraction: TRAIN_FRACTION, stratifyBy: 'species', trainRows: split.train.length, testRows: split.test.length },
      heldOutMetrics: speciesMetrics,
    },
    {
      id: 'penguins-mass',
      title: 'Palmer penguins: body mass',
      description: 'Predicts a penguin\'s body mass in grams from three body measures with a linear regression that reads one float matrix input.',
      model: 'penguins-mass.onnx',
      csv: 'penguins-mass.csv',
      task: 'regression',
      target: 'body_mass_g',
      sensitiveColumns: [],
      unusedColumns: [],
      rows: m,
      split: { seed: SEEDS.massSplit, trainFraction: TRAIN_FRACTION, stratifyBy: null, trainRows: mSplit.train.length, testRows: mSplit.test.length },
      heldOutMetrics: massMetrics,
    },
  ];
}

const WINE_TARGET = 'cultivar';

/**
 * Wine: a PyTorch-style classifier that uses standard ONNX ops only (so the WebGPU build can run it):
 * one [N, 13] float input, a normalisation layer (Sub/Div by the training means and stds), a 16-8-3
 * ReLU network and raw logits out. The source's `target` column is renamed `cultivar` (values 0/1/2).
 */
function buildWine(): SampleEntry[] {
  const source = parseCsv(readFileSync(join(DATA, 'wine.csv'), 'utf8'));
  if (source.header.at(-1) !== 'target') throw new Error('wine.csv: expected the last column to be target');
  const wine: Csv = { header: [...source.header.slice(0, -1), WINE_TARGET], rows: source.rows };
  write('wine.csv', formatCsv(wine));
  const features = wine.header.slice(0, -1);
  const f = features.length;
  const n = wine.rows.length;
  const classes = ['0', '1', '2'];
  const cls = strings(wine, WINE_TARGET);
  const y = cls.map((c) => classes.indexOf(c));
  if (y.some((c) => c < 0)) throw new Error(`wine.csv: ${WINE_TARGET} outside ${classes.join('/')}`);
  const split = stratifiedSplit(cls, TRAIN_FRACTION, new Rng(SEEDS.wineSplit));
  // Values as the model sees them (float32); mean and population std of the training rows, also float32.
  const cols = features.map((c) => numbers(wine, c).map(Math.fround));
  const mean = cols.map((c) => Math.fround(split.train.reduce((a, i) => a + c[i], 0) / split.train.length));
  const std = cols.map((c, j) => Math.fround(Math.sqrt(split.train.reduce((a, i) => a + (c[i] - mean[j]) ** 2, 0) / split.train.length)));
  const standardized = (rows: number[]) => Float64Array.from(rows.flatMap((i) => cols.map((c, j) => (c[i] - mean[j]) / std[j])));
  log(`wine: ${n} rows, ${f} features, ${split.train.length} train / ${split.test.length} test`);

  const opts = { hidden: [16, 8], classes: classes.length, epochs: 100, batch: 32, learningRate: 1e-2, weightDecay: 1e-2 };
  const mlp = fitMlp(standardized(split.train), split.train.length, f, split.train.map((i) => y[i]), opts, new Rng(SEEDS.wineMlp));
  const probs = predictMlp(mlp, standardized(split.test), split.test.length);
  const yTest = split.test.map((i) => y[i]);
  const predicted = yTest.map((_, i) => {
    let best = 0;
    for (let c = 1; c < classes.length; c++) if (probs[i * classes.length + c] > probs[i * classes.length + best]) best = c;
    return best;
  });
  const metrics = {
    accuracy: round(accuracy(yTest, predicted)),
    macroAuc: round(macroAuc(yTest, probs, classes.length)),
    logLoss: round(logLoss(yTest, probs, classes.length)),
  };
  const head = torchLogitsHead('input', { mean, std }, mlp);
  const doc = `Wine (UCI): PyTorch-style classifier of the cultivar (0, 1, 2) from ${f} chemical measures, standard ONNX ops only: a normalisation layer (Sub the training means, Div the training population stds), then ${f}-16-8-3 Linear/ReLU layers, Adam (learning rate ${opts.learningRate}, batch ${opts.batch}, weight decay ${opts.weightDecay}), ${opts.epochs} epochs. The output 'logits' is raw scores, no softmax; columns in class_labels order.`;
  write(
    'wine-mlp.onnx',
    buildModel({
      ...PRODUCER,
      docString: doc,
      opsets: [{ domain: '', version: 17 }],
      graph: {
        name: 'wine_mlp',
        docString: doc,
        inputs: [tensorValue('input', 'float', ['N', f])],
        outputs: head.outputs,
        nodes: head.nodes,
        initializers: head.initializers,
        valueInfo: head.valueInfo,
      },
      metadata: {
        feature_names: JSON.stringify(features),
        class_labels: JSON.stringify(classes),
        target: WINE_TARGET,
      },
    }),
  );
  log(`wine-mlp held out ${JSON.stringify(metrics)}`);

  return [
    {
      id: 'wine-mlp',
      title: 'Wine cultivar: neural network (logits)',
      description: 'Predicts which of three cultivars (0, 1, 2) an Italian wine comes from its 13 chemical measures with a PyTorch-style neural network that uses only standard ONNX ops, so it also runs on WebGPU, and outputs raw logits rather than probabilities.',
      model: 'wine-mlp.onnx',
      csv: 'wine.csv',
      task: 'multiclass',
      target: WINE_TARGET,
      classes,
      sensitiveColumns: [],
      unusedColumns: [],
      rows: n,
      split: { seed: SEEDS.wineSplit, trainFraction: TRAIN_FRACTION, stratifyBy: WINE_TARGET, trainRows: split.train.length, testRows: split.test.length },
      heldOutMetrics: metrics,
    },
  ];
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const samples = [...buildCredit(), ...buildPenguins(), ...buildWine()];
  write('index.json', JSON.stringify(samples, null, 2) + '\n');
  log('done');
}

main();
