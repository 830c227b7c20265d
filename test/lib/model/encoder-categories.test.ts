import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../src/lib/model/proto';
import { encoderCategories } from '../../../src/lib/model/encoder-categories';
import type { InputBinding } from '../../../src/lib/model/types';

const perColumn = (names: string[]): InputBinding[] => names.map((n) => ({ input: n, elemType: 'string', layout: 'column', columns: [n] }));

describe('encoderCategories', () => {
  it('reads the one-hot categories of the per-column logistic regression sample', () => {
    const model = decodeModel(new Uint8Array(readFileSync('static/samples/credit-logreg.onnx')), 'credit-logreg.onnx');
    const graph = model.graph!;
    const cats = encoderCategories(graph, perColumn((graph.input ?? []).map((i) => i.name!)));
    expect(cats.Purpose).toContain('radio or television');
    expect(cats.Sex).toEqual(expect.arrayContaining(['male', 'female']));
    expect(cats.Age).toBeUndefined();
  });

  it('finds nothing for an input that feeds no encoder, or a matrix input', () => {
    const model = decodeModel(new Uint8Array(readFileSync('static/samples/credit-logreg.onnx')), 'credit-logreg.onnx');
    expect(encoderCategories(model.graph!, [])).toEqual({});
  });
});
