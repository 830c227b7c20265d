/**
 * The committed sample models in static/samples/ run in onnxruntime-web on their own CSVs, agree with a
 * plain TypeScript reading of their ONNX attributes and initializers, reproduce the held-out metrics in
 * index.json, and are exactly what `npm run samples` builds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import type { onnx } from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv, type Csv } from '../scripts/samples/csv';
import { accuracy, auc, logLoss, macroAuc, mae, r2, rmse } from '../scripts/samples/metrics';
import { decode, stripZipMap } from '../scripts/samples/onnx-builder';
import { Rng, stratifiedSplit } from '../scripts/samples/prng';
import type { SampleEntry } from '../scripts/samples';

const DIR = join(__dirname, '..', 'static', 'samples');

/** A manifest entry, as `npm run samples` writes it. */
type Entry = SampleEntry;

const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as Entry[];
const csvCache = new Map<string, Csv>();
function csvOf(name: string): Csv {
  let c = csvCache.get(name);
  if (!c) csvCache.set(name, (c = parseCsv(readFileSync(join(DIR, name), 'utf8'))));
  return c;
}
const column = (csv: Csv, name: string) => {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return csv.rows.map((r) => r[i]);
};
const toNumber = (v: string) => (v === 'NA' || v === '' ? NaN : Number(v));

// ---------------------------------------------------------------------------------------------
// A reference evaluator for the ops the samples use, straight from the ONNX operator definitions.

interface Value {
  dims: number[];
  f?: Float64Array;
  s?: string[];
}

const int = (v: number | { toNumber(): number }) => (typeof v === 'number' ? v : v.toNumber());
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function attr(n: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return n.attribute?.find((a) => a.name === name);
}
const attrFloats = (n: onnx.INodeProto, name: string) => attr(n, name)?.floats ?? [];
const attrInts = (n: onnx.INodeProto, name: string) => (attr(n, name)?.ints ?? []).map(int);
const attrStrings = (n: onnx.INodeProto, name: string) => (attr(n, name)?.strings ?? []).map(text);
const attrInt = (n: onnx.INodeProto, name: string, dflt: number) => {
  const a = attr(n, name);
  return a && a.i != null ? int(a.i) : dflt;
};
const attrString = (n: onnx.INodeProto, name: string, dflt: string) => {
  const a = attr(n, name);
  return a?.s && a.s.length ? text(a.s) : dflt;
};

function initializer(t: onnx.ITensorProto): Value {
  const dims = (t.dims ?? []).map(int);
  if (t.dataType === 1) {
    const raw = t.rawData as Uint8Array;
    return { dims, f: Float64Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))) };
  }
  if (t.dataType === 7) return { dims, f: Float64Array.from((t.int64Data ?? []).map(int)) };
  throw new Error(`initializer ${t.name}: data type ${t.dataType}`);
}

function post(scores: Float64Array, k: number, transform: string): Float64Array {
  if (transform === 'LOGISTIC') return scores.map((z) => 1 / (1 + Math.exp(-z)));
  if (transform === 'SOFTMAX') {
    const out = new Float64Array(scores.length);
    for (let i = 0; i < scores.length; i += k) {
      const m = Math.max(...scores.subarray(i, i + k));
      let z = 0;
      for (let c = 0; c < k; c++) z += out[i + c] = Math.exp(scores[i + c] - m);
      for (let c = 0; c < k; c++) out[i + c] /= z;
    }
    return out;
  }
  return scores;
}

function argmaxRows(p: Float64Array, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length; i += k) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i + c] > p[i + best]) best = c;
    out.push(best);
  }
  return out;
}

function evaluate(m: onnx.IModelProto, feeds: Map<string, Value>): Map<string, Value> {
  const env = new Map(feeds);
  for (const t of m.graph?.initializer ?? []) env.set(t.name ?? '', initializer(t));
  const get = (name: string) => {
    const v = env.get(name);
    if (!v) throw new Error(`no value ${name}`);
    return v;
  };
  for (const n of m.graph?.node ?? []) {
    const inputs = (n.input ?? []).map(get);
    const out = n.output ?? [];
    const x = inputs[0];
    const rows = x.dims[0];
    const width = x.dims.slice(1).reduce((a, b) => a * b, 1);
    switch (n.opType) {
      case 'Concat': {
        const rank = x.dims.length;
        let axis = attrInt(n, 'axis', 0);
        if (axis < 0) axis += rank;
        const outer = x.dims.slice(0, axis).reduce((a, b) => a * b, 1);
        const sizes = inputs.map((v) => v.dims.slice(axis).reduce((a, b) => a * b, 1));
        const data: number[] = [];
        for (let o = 0; o < outer; o++) inputs.forEach((v, j) => data.push(...(v.f as Float64Array).subarray(o * sizes[j], (o + 1) * sizes[j])));
        const dims = [...x.dims];
        dims[axis] = inputs.reduce((a, v) => a + v.dims[axis], 0);
        env.set(out[0], { dims, f: Float64Array.from(data) });
        break;
      }
      case 'Imputer': {
        const fill = attrFloats(n, 'imputed_value_floats');
        env.set(out[0], { dims: x.dims, f: (x.f as Float64Array).map((v, i) => (Number.isNaN(v) ? Math.fround(fill[fill.length === 1 ? 0 : i % width]) : v)) });
        break;
      }
      case 'Scaler': {
        const off = attrFloats(n, 'offset');
        const sc = attrFloats(n, 'scale');
        env.set(out[0], { dims: x.dims, f: (x.f as Float64Array).map((v, i) => (v - off[i % width]) * sc[i % width]) });
        break;
      }
      case 'OneHotEncoder': {
        const cats = attrStrings(n, 'cats_strings');
        const f = new Float64Array((x.s as string[]).length * cats.length);
        (x.s as string[]).forEach((s, i) => {
          const k = cats.indexOf(s);
          if (k >= 0) f[i * cats.length + k] = 1;
        });
        env.set(out[0], { dims: [...x.dims, cats.length], f });
        break;
      }
      case 'Reshape': {
        const shape = Array.from(inputs[1].f as Float64Array);
        const total = (x.f as Float64Array).length;
        const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        env.set(out[0], { dims: shape.map((d) => (d === -1 ? total / known : d)), f: x.f });
        break;
      }
      case 'LinearClassifier': {
        const labels = attrStrings(n, 'classlabels_strings');
        const coef = attrFloats(n, 'coefficients');
        const icpt = attrFloats(n, 'intercepts');
        const k = labels.length;
        const scores = new Float64Array(rows * k);
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < k; c++) {
            let z = icpt[c];
            for (let j = 0; j < width; j++) z += coef[c * width + j] * (x.f as Float64Array)[r * width + j];
            scores[r * k + c] = z;
          }
        env.set(out[0], { dims: [rows], s: argmaxRows(scores, k).map((c) => labels[c]) });
        env.set(out[1], { dims: [rows, k], f: post(scores, k, attrString(n, 'post_transform', 'NONE')) });
        break;
      }
      case 'Normalizer': {
        expect(attrString(n, 'norm', 'MAX')).toBe('L1');
        const f = Float64Array.from(x.f as Float64Array);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let j = 0; j < width; j++) s += Math.abs(f[r * width + j]);
          for (let j = 0; j < width; j++) f[r * width + j] /= s;
        }
        env.set(out[0], { dims: x.dims, f });
        break;
      }
      case 'Gemm': {
        expect(attrInt(n, 'transB', 0)).toBe(1);
        const [w, b] = [inputs[1], inputs[2]];
        const k = w.dims[0];
        const f = new Float64Array(rows * k);
        for (let r = 0; r < rows; r++)
          for (let o = 0; o < k; o++) {
            let z = (b.f as Float64Array)[o];
            for (let j = 0; j < width; j++) z += (w.f as Float64Array)[o * width + j] * (x.f as Float64Array)[r * width + j];
            f[r * k + o] = z;
          }
        env.set(out[0], { dims: [rows, k], f });
        break;
      }
      case 'Sub':
      case 'Div': {
        // Only what the samples need: a [N, F] tensor and a [F] initializer broadcast along the rows.
        const b = inputs[1];
        expect(b.dims).toEqual([width]);
        const op = n.opType === 'Sub' ? (u: number, v: number) => Math.fround(u - v) : (u: number, v: number) => Math.fround(u / v);
        env.set(out[0], { dims: x.dims, f: (x.f as Float64Array).map((v, i) => op(v, (b.f as Float64Array)[i % width])) });
        break;
      }
      case 'Relu':
        env.set(out[0], { dims: x.dims, f: (x.f as Float64Array).map((v) => Math.max(0, v)) });
        break;
      case 'Softmax':
        env.set(out[0], { dims: x.dims, f: post(x.f as Float64Array, width, 'SOFTMAX') });
        break;
      case 'ArgMax':
        env.set(out[0], { dims: [rows], f: Float64Array.from(argmaxRows(x.f as Float64Array, width)) });
        break;
      case 'TreeEnsembleClassifier': {
        const labels = attrStrings(n, 'classlabels_strings');
        expect(labels.length).toBe(2);
        expect(new Set(attrInts(n, 'class_ids'))).toEqual(new Set([0]));
        const tree = attrInts(n, 'nodes_treeids');
        const id = attrInts(n, 'nodes_nodeids');
        const feat = attrInts(n, 'nodes_featureids');
        const mode = attrStrings(n, 'nodes_modes');
        const thr = attrFloats(n, 'nodes_values');
        const yes = attrInts(n, 'nodes_truenodeids');
        const no = attrInts(n, 'nodes_falsenodeids');
        const leafWeight = new Map<string, number>();
        attrInts(n, 'class_treeids').forEach((t, i) => leafWeight.set(`${t}:${attrInts(n, 'class_nodeids')[i]}`, attrFloats(n, 'class_weights')[i]));
        const at = new Map<string, number>();
        tree.forEach((t, i) => at.set(`${t}:${id[i]}`, i));
        const roots = [...new Set(tree)];
        const base = attrFloats(n, 'base_values')[0] ?? 0;
        const p = new Float64Array(rows * 2);
        for (let r = 0; r < rows; r++) {
          let score = base;
          for (const t of roots) {
            let i = at.get(`${t}:0`) as number;
            while (mode[i] !== 'LEAF') {
              expect(mode[i]).toBe('BRANCH_LEQ');
              i = at.get(`${t}:${(x.f as Float64Array)[r * width + feat[i]] <= thr[i] ? yes[i] : no[i]}`) as number;
            }
            score += leafWeight.get(`${t}:${id[i]}`) ?? 0;
          }
          const p1 = attrString(n, 'post_transform', 'NONE') === 'LOGISTIC' ? 1 / (1 + Math.exp(-score)) : score;
          p[r * 2] = 1 - p1;
          p[r * 2 + 1] = p1;
        }
        env.set(out[0], { dims: [rows], s: argmaxRows(p, 2).map((c) => labels[c]) });
        env.set(out[1], { dims: [rows, 2], f: p });
        break;
      }
      case 'ZipMap':
        break;
      case 'LinearRegressor': {
        const coef = attrFloats(n, 'coefficients');
        const icpt = attrFloats(n, 'intercepts')[0];
        const f = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          let z = icpt;
          for (let j = 0; j < width; j++) z += coef[j] * (x.f as Float64Array)[r * width + j];
          f[r] = z;
        }
        env.set(out[0], { dims: [rows, 1], f });
        break;
      }
      default:
        throw new Error(`reference evaluator: no ${n.opType}`);
    }
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Feeding the CSV

function elemOf(v: onnx.IValueInfoProto): number {
  return v.type?.tensorType?.elemType ?? 0;
}

/** Reference values and onnxruntime tensors for every graph input, from the sample's CSV. */
function feedsFor(m: onnx.IModelProto, csv: Csv): { ref: Map<string, Value>; ort: Record<string, ort.Tensor> } {
  const ref = new Map<string, Value>();
  const feeds: Record<string, ort.Tensor> = {};
  const n = csv.rows.length;
  const meta = Object.fromEntries((m.metadataProps ?? []).map((p) => [p.key, p.value]));
  for (const input of m.graph?.input ?? []) {
    const name = input.name ?? '';
    const dims = (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue != null ? int(d.dimValue) : -1));
    const elem = elemOf(input);
    if (dims.length === 2 && dims[1] === 1) {
      const values = column(csv, name);
      if (elem === 8) {
        ref.set(name, { dims: [n, 1], s: values });
        feeds[name] = new ort.Tensor('string', values, [n, 1]);
      } else {
        expect(elem).toBe(1);
        const f = Float32Array.from(values, toNumber);
        ref.set(name, { dims: [n, 1], f: Float64Array.from(f) });
        feeds[name] = new ort.Tensor('float32', f, [n, 1]);
      }
    } else {
      const cols = JSON.parse(meta.feature_names ?? 'null') as string[] | null;
      expect(cols).not.toBeNull();
      expect(dims).toEqual([-1, (cols as string[]).length]);
      const columns = (cols as string[]).map((c) => column(csv, c).map(toNumber));
      const f = Float32Array.from({ length: n * columns.length }, (_, i) => columns[i % columns.length][Math.floor(i / columns.length)]);
      ref.set(name, { dims: [n, columns.length], f: Float64Array.from(f) });
      feeds[name] = new ort.Tensor('float32', f, [n, columns.length]);
    }
  }
  return { ref, ort: feeds };
}

const sessions: ort.InferenceSession[] = [];
async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  sessions.push(s);
  return s;
}
afterAll(async () => {
  for (const s of sessions) await s.release();
});

/** Samples written with standard ONNX ops only (no ai.onnx.ml), like a PyTorch export. */
const STANDARD_OPS_ONLY = new Set(['wine-mlp']);

function heldOut(e: Entry): number[] {
  const csv = csvOf(e.csv);
  const strata = e.split.stratifyBy ? column(csv, e.split.stratifyBy) : new Array<string>(csv.rows.length).fill('');
  const split = stratifiedSplit(strata, e.split.trainFraction, new Rng(e.split.seed));
  expect([split.train.length, split.test.length]).toEqual([e.split.trainRows, e.split.testRows]);
  return split.test;
}

// ---------------------------------------------------------------------------------------------

describe('sample manifest', () => {
  it('lists the six samples in gallery order, with files that exist and stay small', () => {
    expect(index.map((e) => e.id)).toEqual(['credit-gbt', 'credit-logreg', 'credit-mlp', 'penguins-species', 'penguins-mass', 'wine-mlp']);
    for (const e of index) {
      expect(statSync(join(DIR, e.model)).size).toBeLessThan(1 << 20);
      expect(csvOf(e.csv).rows.length).toBe(e.rows);
      expect(csvOf(e.csv).header).toContain(e.target);
      for (const c of [...e.sensitiveColumns, ...e.unusedColumns]) expect(csvOf(e.csv).header).toContain(c);
    }
  });

  it('decodes German credit into one readable column per attribute', () => {
    const csv = csvOf('credit.csv');
    expect(csv.header).toEqual([
      'Duration', 'Amount', 'InstallmentRatePercentage', 'ResidenceDuration', 'Age', 'NumberExistingCredits', 'NumberPeopleMaintenance',
      'CheckingAccountStatus', 'CreditHistory', 'Purpose', 'SavingsAccountBonds', 'EmploymentDuration', 'OtherDebtorsGuarantors', 'Property',
      'OtherInstallmentPlans', 'Housing', 'Job', 'Sex', 'MaritalStatus', 'Telephone', 'ForeignWorker', 'Class',
    ]); // prettier-ignore
    const count = (name: string) => column(csv, name).reduce<Record<string, number>>((a, v) => ((a[v] = (a[v] ?? 0) + 1), a), {});
    // Counts of the UCI documentation: 700 good / 300 bad, 596 without telephone, 37 non-foreign workers.
    expect(count('Class')).toEqual({ Good: 700, Bad: 300 });
    expect(count('Telephone')).toEqual({ no: 596, yes: 404 });
    expect(count('ForeignWorker')).toEqual({ yes: 963, no: 37 });
    expect(count('Sex')).toEqual({ male: 690, female: 310 });
    expect(count('MaritalStatus')).toEqual({ single: 548, 'not-single': 310, 'married-or-widowed': 92, 'divorced-or-separated': 50 });
    expect(csv.rows[0]).toEqual([
      '6', '1169', '4', '4', '67', '2', '1', '< 0 DM', 'critical account', 'radio or television', 'unknown or none', '>= 7 years', 'none',
      'real estate', 'none', 'own', 'skilled employee', 'male', 'single', 'yes', 'yes', 'Good',
    ]); // prettier-ignore
  });
});

describe.each(index)('sample $id', (e) => {
  const bytes = new Uint8Array(readFileSync(join(DIR, e.model)));
  const m = decode(bytes);
  const g = m.graph as onnx.GraphProto;
  const csv = csvOf(e.csv);
  const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));

  it('is written as promised: producer, opsets, symbolic batch, metadata', () => {
    expect(m.producerName).toBe('loupe-samples');
    expect(int(m.irVersion)).toBe(8);
    const standardOnly = STANDARD_OPS_ONLY.has(e.id);
    expect(m.opsetImport.map((o) => [o.domain, int(o.version ?? 0)])).toEqual(standardOnly ? [['', 17]] : [['', 15], ['ai.onnx.ml', 3]]);
    expect(m.docString.length).toBeGreaterThan(20);
    for (const v of [...g.input, ...g.output]) {
      const dims = v.type?.tensorType?.shape?.dim;
      if (dims) expect(dims[0].dimParam).toBe('N');
    }
    expect(meta.target).toBe(e.target);
    // The per-column pipelines describe their encoding; a PyTorch-style export carries only feature_names.
    if (standardOnly) expect(meta.loupe_encoding).toBeUndefined();
    else expect(JSON.parse(meta.loupe_encoding).length).toBeGreaterThan(0);
    if (e.classes) expect(JSON.parse(meta.class_labels)).toEqual(e.classes);
    for (const c of e.unusedColumns) expect(g.input.map((i) => i.name)).not.toContain(c);
  });

  it('runs in onnxruntime-web on its CSV, matching a reference reading of the graph', async () => {
    const runnable = e.id === 'credit-gbt' ? stripZipMap(bytes) : bytes;
    const s = await session(runnable);
    const { ref, ort: feeds } = feedsFor(m, csv);
    const out = await s.run(feeds);
    const expected = evaluate(decode(runnable), ref);
    const n = csv.rows.length;

    if (e.task === 'regression') {
      const y = out.variable;
      expect(y.dims).toEqual([n, 1]);
      const want = expected.get('variable')!.f!;
      Array.from(y.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(want[i], 2));
      const test = heldOut(e);
      const truth = test.map((i) => Number(csv.rows[i][csv.header.indexOf(e.target)]));
      const pred = test.map((i) => (y.data as Float32Array)[i]);
      expect(rmse(truth, pred)).toBeCloseTo(e.heldOutMetrics.rmse, 1);
      expect(mae(truth, pred)).toBeCloseTo(e.heldOutMetrics.mae, 1);
      expect(r2(truth, pred)).toBeCloseTo(e.heldOutMetrics.r2, 3);
      expect(e.heldOutMetrics.r2).toBeGreaterThan(0.6);
      return;
    }

    const classes = e.classes!;
    const k = classes.length;
    let p: Float32Array;
    if (out.logits) {
      // Raw logits (no Softmax in the graph): compare them, then apply the softmax the app offers.
      expect(Object.keys(out)).toEqual(['logits']);
      expect(out.logits.type).toBe('float32');
      expect(out.logits.dims).toEqual([n, k]);
      const z = out.logits.data as Float32Array;
      const want = expected.get('logits')!.f!;
      for (let i = 0; i < n * k; i++) expect(Math.abs(z[i] - want[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[i])));
      p = Float32Array.from(post(Float64Array.from(z), k, 'SOFTMAX'));
    } else {
      const probs = out.probabilities;
      expect(probs.type).toBe('float32');
      expect(probs.dims).toEqual([n, k]);
      p = probs.data as Float32Array;
      const want = expected.get('probabilities')!.f!;
      for (let i = 0; i < n * k; i++) expect(Math.abs(p[i] - want[i])).toBeLessThan(2e-5);
      for (let r = 0; r < n; r++) expect(p.subarray(r * k, r * k + k).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

      // Labels agree with the most probable class (the MLP's are indices into class_labels).
      const best = argmaxRows(Float64Array.from(p), k).map((c) => classes[c]);
      const labels = out.label.type === 'string' ? (out.label.data as string[]) : Array.from(out.label.data as BigInt64Array, (v) => classes[Number(v)]);
      expect(out.label.dims).toEqual([n]);
      expect(labels).toEqual(best);
    }

    const truth = column(csv, e.target).map((t) => classes.indexOf(t));
    const test = heldOut(e);
    const yTest = test.map((i) => truth[i]);
    const pTest = Float64Array.from(test.flatMap((i) => Array.from(p.subarray(i * k, i * k + k))));
    const acc = accuracy(yTest, argmaxRows(pTest, k));
    expect(acc).toBeCloseTo(e.heldOutMetrics.accuracy, 3);
    expect(logLoss(yTest, pTest, k)).toBeCloseTo(e.heldOutMetrics.logLoss, 3);
    if (e.task === 'binary') {
      const pos = classes.indexOf(e.positiveClass!);
      const a = auc(yTest.map((y) => y === pos), test.map((_, j) => pTest[j * k + pos]));
      expect(a).toBeCloseTo(e.heldOutMetrics.auc, 3);
      expect(a).toBeGreaterThan(0.75);
      expect(acc).toBeGreaterThan(0.72);
    } else {
      expect(macroAuc(yTest, pTest, k)).toBeCloseTo(e.heldOutMetrics.macroAuc, 3);
      expect(acc).toBeGreaterThan(0.9);
    }
  });
});

describe('credit-gbt ZipMap', () => {
  it('ends in a ZipMap that onnxruntime-web cannot return, and runs once it is stripped', async () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'credit-gbt.onnx')));
    const m = decode(bytes);
    const g = m.graph as onnx.GraphProto;
    expect(g.output.map((o) => o.name)).toEqual(['label', 'output_probability']);
    expect(g.output[1].type?.sequenceType?.elemType?.mapType?.keyType).toBe(8);
    expect(JSON.parse(m.metadataProps.find((p) => p.key === 'loupe_zipmap')?.value ?? '{}')).toMatchObject({ input: 'probabilities', output: 'output_probability' });
    const s = await session(bytes);
    const { ort: feeds } = feedsFor(m, csvOf('credit.csv'));
    await expect(s.run(feeds)).rejects.toThrow(/non-tensor/);
    // Fetching only the tensor output works on the original graph, and agrees with the stripped one.
    const labels = (await s.run(feeds, ['label'])).label.data as string[];
    const stripped = await session(stripZipMap(bytes));
    expect((await stripped.run(feeds)).label.data).toEqual(labels);
  });
});

describe('wine-mlp, a PyTorch-style network in standard ops', () => {
  const bytes = new Uint8Array(readFileSync(join(DIR, 'wine-mlp.onnx')));
  const m = decode(bytes);
  const g = m.graph as onnx.GraphProto;
  const e = index.find((x) => x.id === 'wine-mlp')!;
  const csv = csvOf(e.csv);
  const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
  const features = csv.header.filter((c) => c !== e.target);

  it('uses default-domain ops only: Sub, Div, then Gemm/Relu layers, and no Softmax', () => {
    expect(m.opsetImport.map((o) => o.domain)).toEqual(['']);
    expect(g.node.filter((n) => n.domain !== '')).toEqual([]);
    expect(g.node.some((n) => n.opType === 'Softmax')).toBe(false);
    expect(g.node.map((n) => n.opType)).toEqual(['Sub', 'Div', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
    expect(g.input.map((v) => [v.name, v.type?.tensorType?.elemType, v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || int(d.dimValue ?? 0))])).toEqual([
      ['input', 1, ['N', 13]],
    ]);
    expect(g.output.map((v) => [v.name, v.type?.tensorType?.elemType, v.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || int(d.dimValue ?? 0))])).toEqual([
      ['logits', 1, ['N', 3]],
    ]);
    const gemmWidths = g.node.filter((n) => n.opType === 'Gemm').map((n) => (g.initializer.find((t) => t.name === n.input?.[1])?.dims ?? []).map(int));
    expect(gemmWidths).toEqual([[16, 13], [8, 16], [3, 8]]);
  });

  it('names its 13 features in CSV order and its classes as the target values', () => {
    expect(e.target).toBe('cultivar');
    expect(csv.header.at(-1)).toBe('cultivar');
    expect(JSON.parse(meta.feature_names)).toEqual(features);
    expect(features).toHaveLength(13);
    expect(JSON.parse(meta.class_labels)).toEqual(['0', '1', '2']);
    expect(meta.target).toBe('cultivar');
    expect(new Set(column(csv, 'cultivar'))).toEqual(new Set(['0', '1', '2']));
  });

  it('standardises in the graph by the training rows\' mean and population std', () => {
    const train = stratifiedSplit(column(csv, e.target), e.split.trainFraction, new Rng(e.split.seed)).train;
    const mean = initializer(g.initializer.find((t) => t.name === 'norm.mean')!);
    const std = initializer(g.initializer.find((t) => t.name === 'norm.std')!);
    expect([mean.dims, std.dims]).toEqual([[13], [13]]);
    features.forEach((c, j) => {
      const v = train.map((i) => Math.fround(toNumber(csv.rows[i][j])));
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / v.length);
      expect(mean.f![j]).toBeCloseTo(mu, 3);
      expect(std.f![j] / sd).toBeCloseTo(1, 6);
    });
  });

  it('outputs raw logits, not probabilities', async () => {
    const s = await session(bytes);
    const { ort: feeds } = feedsFor(m, csv);
    const z = (await s.run(feeds)).logits.data as Float32Array;
    const sums = Array.from({ length: csv.rows.length }, (_, r) => z[r * 3] + z[r * 3 + 1] + z[r * 3 + 2]);
    expect(z.some((v) => v < 0)).toBe(true);
    expect(sums.filter((t) => Math.abs(t - 1) > 0.1).length).toBeGreaterThan(csv.rows.length / 2);
  });
});

describe('npm run samples', () => {
  it('rebuilds every committed file byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'loupe-samples-'));
    try {
      const r = spawnSync('npx', ['tsx', 'scripts/samples.ts', '--out', out], { cwd: join(__dirname, '..'), encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const built = readdirSync(out).sort();
      expect(built).toEqual(readdirSync(DIR).filter((f) => f !== 'README.md').sort());
      for (const f of built) expect(readFileSync(join(out, f)).equals(readFileSync(join(DIR, f))), f).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
