import { describe, expect, it } from 'vitest';
import { normalizeName, planOutputs, proposeMapping, validateMapping } from '../../../src/lib/model/mapping';
import { prepareModel } from '../../../src/lib/model/zipmap';
import type { Column, Table } from '../../../src/lib/data/table';
import type { ModelCard, ValueSig } from '../../../src/lib/model/types';
import { logitModel, logregZipMap, mlpModel, perColumnModel, treeZipMap } from '../../fixtures/models/build';

/** A table from plain arrays: numbers → numeric, strings → categorical, booleans → boolean (null = missing). */
function tableOf(cols: Record<string, (number | string | boolean | null)[]>): Table {
  const columns: Column[] = Object.entries(cols).map(([name, values]) => {
    const stats = { missing: values.filter((v) => v === null).length, invalid: 0, distinct: new Set(values.filter((v) => v !== null)).size, invalidExamples: [] };
    const first = values.find((v) => v !== null);
    if (typeof first === 'number') return { kind: 'numeric', name, values: Float64Array.from(values.map((v) => (v === null ? NaN : (v as number)))), stats };
    const texts = values.map((v) => (v === null ? null : String(v)));
    const categories = [...new Set(texts.filter((t): t is string => t !== null))];
    return {
      kind: typeof first === 'boolean' ? 'boolean' : 'categorical',
      name,
      categories,
      codes: Int32Array.from(texts.map((t) => (t === null ? -1 : categories.indexOf(t)))),
      stats,
    };
  });
  return { nRows: Object.values(cols)[0].length, columns };
}

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const card = (bytes: Uint8Array, name = 'm.onnx') => prepareModel(bytes, name).card;

function handCard(inputs: ValueSig[], outputs: ValueSig[], extra: Partial<ModelCard> = {}): ModelCard {
  return {
    fileName: 'hand.onnx', fileBytes: 0, irVersion: 8, producerName: '', producerVersion: '', domain: '', modelVersion: 0,
    docString: '', graphName: '', opsets: [], inputs, outputs, opHistogram: {}, nodeCount: 0, parameterCount: 0,
    metadata: {}, family: 'other', classLabels: null, featureNames: null, ...extra,
  };
}
const t = (name: string, elemType: string, shape: ValueSig['shape'], producer?: string): ValueSig => ({ name, kind: 'tensor', elemType, shape, ...(producer ? { producer } : {}) });
const errors = (issues: { level: string; message: string }[]) => issues.filter((i) => i.level === 'error').map((i) => i.message);

describe('proposeMapping', () => {
  it('binds one input per column by name and proposes a numeric target for a regressor', () => {
    const table = tableOf({ Size: [1, 2, 3, 4], price: [10.5, 20.1, 30.7, 41.2], color: ['red', 'blue', 'red', null] });
    const { mapping, issues } = proposeMapping(card(perColumnModel()), table);
    expect(mapping.bindings).toEqual([
      { input: 'color', elemType: 'string', layout: 'column', columns: ['color'] },
      { input: 'size', elemType: 'float', layout: 'column', columns: ['Size'] },
    ]);
    expect(mapping.target).toBe('price');
    expect(mapping.task).toBe('regression');
    expect(mapping.classes).toEqual([]);
    expect(mapping.outputs).toEqual({ scoreOutput: 'variable', labelOutput: null, squash: 'none' });
    expect(errors(issues)).toEqual([]);
  });

  it('takes feature names from metadata, in model order, ignoring case and punctuation', () => {
    const m = card(mlpModel({ softmax: true, metadata: { feature_names: '["Petal Length", "petal_width", "c", "d"]' } }));
    const table = tableOf({
      d: [1, 2, 3, 4], c: [4, 3, 2, 1], petal_length: [1, 1, 2, 2], 'Petal-Width': [0, 1, 0, 1], species: ['setosa', 'virginica', 'versicolor', 'setosa'],
    });
    const { mapping, issues } = proposeMapping(m, table);
    expect(mapping.bindings[0]).toEqual({ input: 'input', elemType: 'float', layout: 'matrix', columns: ['petal_length', 'Petal-Width', 'c', 'd'] });
    expect(mapping.target).toBe('species');
    expect(mapping.task).toBe('multiclass');
    expect(mapping.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(mapping.outputs).toEqual({ scoreOutput: 'probabilities', labelOutput: null, squash: 'none' });
    expect(errors(issues)).toEqual([]);
  });

  it('fills an unnamed matrix with numeric columns in file order, skipping the target; logits get softmax', () => {
    const table = tableOf({ x1: [1, 2, 3], label: [0, 2, 1], x2: [1, 1, 1], name: ['a', 'b', 'c'], x3: [0, 0, 0], x4: [5, 6, 7] });
    const { mapping, issues } = proposeMapping(card(mlpModel({ softmax: false })), table);
    expect(mapping.bindings[0].columns).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(mapping.target).toBe('label');
    expect(mapping.task).toBe('multiclass');
    expect(mapping.classes).toEqual(['0', '1', '2']);
    expect(mapping.outputs).toEqual({ scoreOutput: 'logits', labelOutput: null, squash: 'softmax' });
    expect(errors(issues)).toEqual([]);
    expect(issues.some((i) => i.level === 'info' && /'name' feeds no model input/.test(i.message))).toBe(true);
  });

  it('explains a wrong feature count', () => {
    const table = tableOf({ a: [1, 2], b: [3, 4], y: [0, 1] });
    const { issues } = proposeMapping(card(mlpModel({ softmax: false })), table);
    expect(errors(issues)).toEqual([
      "The model's input 'input' expects 4 features; the CSV has 2 numeric columns besides the target 'y' (2 have no column).",
    ]);
  });

  it('reads a skl2onnx binary classifier after the ZipMap rewrite', () => {
    const table = tableOf({ f1: [1, 2, 3, 4], f2: [0, 1, 0, 1], f3: [5, 5, 6, 6], default: [0, 1, 1, 0] });
    const { mapping, issues } = proposeMapping(card(logregZipMap()), table);
    expect(mapping.bindings[0]).toMatchObject({ input: 'float_input', layout: 'matrix', columns: ['f1', 'f2', 'f3'] });
    expect(mapping.target).toBe('default');
    expect(mapping.task).toBe('binary');
    expect(mapping.classes).toEqual(['0', '1']);
    expect(mapping.positiveClass).toBe(1);
    expect(mapping.outputs).toEqual({ scoreOutput: 'probabilities', labelOutput: 'output_label', squash: 'none' });
    expect(errors(issues)).toEqual([]);
  });

  it('reads tree labels from probabilities and checks target values against the model classes', () => {
    const table = tableOf({ x0: [0, 1, 1], x1: [5, 0.5, 2], outcome: ['no', 'yes', 'maybe'] });
    const { mapping, issues } = proposeMapping(card(treeZipMap()), table);
    expect(mapping.bindings[0].columns).toEqual(['x0', 'x1']);
    expect(mapping.target).toBe('outcome');
    expect(mapping.classes).toEqual(['no', 'yes']);
    expect(mapping.outputs).toEqual({ scoreOutput: 'probabilities', labelOutput: null, squash: 'none' });
    expect(issues.filter((i) => i.level === 'warning').map((i) => i.message)).toEqual([
      "The target 'outcome' has values the model does not predict: 'maybe'; those rows count as wrong.",
    ]);
    const wrong = validateMapping(card(treeZipMap()), tableOf({ x0: [0], x1: [1], outcome: ['A'] }), { ...mapping });
    expect(errors(wrong)[0]).toMatch(/None of the target 'outcome' values \('A'\) is one of the model's classes \('no', 'yes'\)/);
  });

  it('tells a one-logit binary model from a regressor by its target', () => {
    const m = card(logitModel());
    const bin = proposeMapping(m, tableOf({ a: [1, 2, 3], b: [0, 1, 0], y: [1, 0, 1] })).mapping;
    expect([bin.task, bin.classes, bin.positiveClass, bin.outputs.squash]).toEqual(['binary', ['0', '1'], 1, 'sigmoid']);
    const yes = proposeMapping(m, tableOf({ a: [1, 2, 3], b: [0, 1, 0], bought: [true, false, true] })).mapping;
    expect([yes.task, yes.target, yes.classes]).toEqual(['binary', 'bought', ['false', 'true']]);
    const reg = proposeMapping(m, tableOf({ a: range(30, (i) => i), b: range(30, (i) => i % 3), y: range(30, (i) => i * 1.7) })).mapping;
    expect([reg.task, reg.outputs.squash]).toEqual(['regression', 'none']);
  });

  it("prefers a numeric target for a regressor even when another column is named like one (penguins' body mass)", () => {
    const m = handCard([t('input', 'float', ['N', 3])], [t('variable', 'float', ['N', 1], 'ai.onnx.ml.LinearRegressor')], {
      opHistogram: { 'ai.onnx.ml.LinearRegressor': 1 },
    });
    const table = tableOf({
      species: ['Adelie', 'Gentoo', 'Chinstrap', 'Adelie'], island: ['Biscoe', 'Dream', 'Dream', 'Torgersen'],
      bill_length_mm: [39.1, 46.5, 49.9, 38.6], bill_depth_mm: [18.7, 15, 16.1, 17.2], flipper_length_mm: [181, 210, 213, 199],
      body_mass_g: [3750, 5200, 3400, 3800], sex: ['male', 'female', null, 'female'],
    });
    const { mapping, issues } = proposeMapping(m, table);
    expect(mapping.target).toBe('body_mass_g');
    expect(mapping.task).toBe('regression');
    expect(mapping.bindings[0].columns).toEqual(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm']);
    expect(errors(issues)).toEqual([]);
  });

  it("takes the target the model's metadata names", () => {
    const m = handCard([t('X', 'float', ['N', 2])], [t('variable', 'float', ['N', 1])], { metadata: { target: 'Yield (t/ha)' } });
    const table = tableOf({ a: [1, 2, 3], b: [2, 3, 4], yield_t_ha: [3.5, 4.5, 5.5], label: ['x', 'y', 'z'] });
    const { mapping } = proposeMapping(m, table);
    expect(mapping.target).toBe('yield_t_ha');
    expect(mapping.bindings[0].columns).toEqual(['a', 'b']);
  });
});

describe('validateMapping', () => {
  const pc = () => card(perColumnModel());
  const table = tableOf({ color: ['red', 'blue', 'green'], size: [1, 2, 3], island: ['Biscoe', 'Dream', 'Torgersen'], code: [1, 2, 3], y: [1.5, 2.5, 3.5] });

  it('flags text bound to a numeric input, numbers to a text input, and unmapped inputs', () => {
    const { mapping } = proposeMapping(pc(), table);
    const issues = validateMapping(pc(), table, {
      ...mapping,
      bindings: [
        { input: 'color', elemType: 'string', layout: 'column', columns: ['code'] },
        { input: 'size', elemType: 'float', layout: 'column', columns: ['island'] },
      ],
    });
    expect(errors(issues)).toEqual(["Column 'island' holds text (3 categories: 'Biscoe', 'Dream', 'Torgersen') but input 'size' expects numbers."]);
    expect(issues.find((i) => i.level === 'warning')?.message).toMatch(/Input 'color' expects text; column 'code' holds numbers/);
    const unmapped = validateMapping(pc(), table, { ...mapping, bindings: [{ input: 'color', elemType: 'string', layout: 'column', columns: [null] }] });
    expect(errors(unmapped)).toEqual([
      "The model's input 'size' is not fed by any CSV column.",
      "The model's input 'color' has no CSV column; pick the column it should read.",
    ]);
  });

  it('flags a missing target and classes that do not fit the outputs', () => {
    const lr = card(logregZipMap());
    const tb = tableOf({ a: [1, 2], b: [3, 4], c: [5, 6], y: [0, 1] });
    const { mapping } = proposeMapping(lr, tb);
    expect(errors(validateMapping(lr, tb, { ...mapping, target: 'nope' }))).toEqual(["The target column 'nope' is not in the CSV."]);
    expect(errors(validateMapping(lr, tb, { ...mapping, task: 'multiclass', classes: ['0', '1', '2'] }))).toContain(
      "The output 'probabilities' gives 2 scores per row, but the mapping has 3 classes ('0', '1', '2').",
    );
    expect(errors(validateMapping(lr, tb, { ...mapping, target: null }))).toEqual([]);
    expect(validateMapping(lr, tb, { ...mapping, target: null }).some((i) => /No target column/.test(i.message))).toBe(true);
    expect(errors(validateMapping(lr, tb, { ...mapping, outputs: { ...mapping.outputs, scoreOutput: 'output_probability' } }))).toContain(
      "The model has no tensor output 'output_probability' to read.",
    );
  });
});

describe('planOutputs', () => {
  it('chooses score and label outputs and the squash', () => {
    const c = handCard([], [t('label', 'int64', ['N']), t('scores', 'float', ['N', 3], 'ai.onnx.ml.LinearClassifier')]);
    expect(planOutputs(c, 'multiclass')).toEqual({ scoreOutput: 'scores', labelOutput: 'label', squash: 'softmax' });
    c.outputs[1].postTransform = 'SOFTMAX';
    expect(planOutputs(c, 'multiclass').squash).toBe('none');
    const log = handCard([], [t('log_probs', 'float', ['N', 3], 'LogSoftmax')]);
    expect(planOutputs(log, 'multiclass').squash).toBe('softmax');
    const sig = handCard([], [t('out', 'float', ['N', 1], 'Sigmoid')]);
    expect(planOutputs(sig, 'binary')).toEqual({ scoreOutput: 'out', labelOutput: null, squash: 'none' });
  });
  it('normalizes names', () => {
    expect(normalizeName('Sepal Length (cm)')).toBe(normalizeName('sepal_length_cm'));
  });
});
