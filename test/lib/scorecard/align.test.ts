import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { alignMapping } from '../../../src/lib/scorecard/align';
import { parseCsv } from '../../../src/lib/data/csv';
import { prepareModel } from '../../../src/lib/model/zipmap';
import { proposeMapping } from '../../../src/lib/model/mapping';

const DIR = 'static/samples';
const files = ['credit.csv', 'penguins.csv', 'credit-gbt.onnx', 'credit-logreg.onnx', 'credit-mlp.onnx', 'penguins-mass.onnx', 'penguins-species.onnx'];
const has = files.every((f) => existsSync(`${DIR}/${f}`));
const card = (m: string) => prepareModel(new Uint8Array(readFileSync(`${DIR}/${m}`)), m).card;
const csv = async (f: string) => (await parseCsv(readFileSync(`${DIR}/${f}`, 'utf8'), { fileName: f })).table;

describe.skipIf(!has)('alignMapping', async () => {
  const credit = has ? await csv('credit.csv') : null!;
  const penguins = has ? await csv('penguins.csv') : null!;
  const ref = has ? proposeMapping(card('credit-gbt.onnx'), credit).mapping : null!;
  if (has) ref.positiveClass = ref.classes.indexOf('Bad');

  test('the other credit models get the same target and the positive class by name', () => {
    for (const m of ['credit-logreg.onnx', 'credit-mlp.onnx']) {
      const r = alignMapping(card(m), credit, ref);
      expect(r.error).toBeNull();
      expect(r.mapping!.target).toBe('Class');
      expect(r.mapping!.task).toBe('binary');
      expect(r.mapping!.classes[r.mapping!.positiveClass]).toBe('Bad');
    }
  });

  test('a regression model on a classification CSV, and a model whose columns are missing, are refused in words', () => {
    const mass = alignMapping(card('penguins-mass.onnx'), credit, ref);
    expect(mass.mapping).toBeNull();
    expect(mass.error).toMatch(/regression/);
    const species = alignMapping(card('penguins-species.onnx'), credit, ref);
    expect(species.mapping).toBeNull();
    expect(species.error).toMatch(/positive class 'Bad'|does not fit/);
  });

  test('a credit model on the penguins CSV does not fit', () => {
    const pref = proposeMapping(card('penguins-species.onnx'), penguins).mapping;
    const r = alignMapping(card('credit-logreg.onnx'), penguins, pref);
    expect(r.mapping).toBeNull();
    expect(r.error).toBeTruthy();
  });
});
