import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { syntheticData } from '../../../src/lib/model/synthetic';
import { prepareModel } from '../../../src/lib/model/zipmap';
import { buildFeeds } from '../../../src/lib/model/feeds';
import { validateMapping } from '../../../src/lib/model/mapping';

const samples = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as { model: string }[];

describe('synthetic rows', () => {
  test.each(samples.map((s) => s.model))('%s runs on synthetic rows of the right shape', async (file) => {
    const prepared = prepareModel(new Uint8Array(readFileSync(`static/samples/${file}`)), file);
    const { table, mapping } = syntheticData(prepared.card, 16, 3);
    expect(table.nRows).toBe(16);
    expect(validateMapping(prepared.card, table, mapping).filter((i) => i.level === 'error')).toEqual([]);
    const session = await ort.InferenceSession.create(prepared.bytes, { executionProviders: ['wasm'] });
    const feeds: Record<string, ort.Tensor> = {};
    for (const f of buildFeeds(table, mapping.bindings, 0, 16)) feeds[f.name] = new ort.Tensor(f.type, f.data as never, f.dims);
    const fetches = [mapping.outputs.scoreOutput, mapping.outputs.labelOutput].filter((o): o is string => !!o);
    const out = await session.run(feeds, fetches);
    expect(out[fetches[0]].dims[0]).toBe(16);
    await session.release();
  });

  test('seeded: same seed, same rows; standard-normal-ish numbers', () => {
    const prepared = prepareModel(new Uint8Array(readFileSync('static/samples/penguins-mass.onnx')), 'm.onnx');
    const a = syntheticData(prepared.card, 2000, 9), b = syntheticData(prepared.card, 2000, 9), c = syntheticData(prepared.card, 2000, 10);
    const va = a.table.columns[0].kind === 'numeric' ? a.table.columns[0].values : new Float64Array();
    const vb = b.table.columns[0].kind === 'numeric' ? b.table.columns[0].values : new Float64Array();
    const vc = c.table.columns[0].kind === 'numeric' ? c.table.columns[0].values : new Float64Array();
    expect(va).toEqual(vb);
    expect(va).not.toEqual(vc);
    const mean = va.reduce((s, v) => s + v, 0) / va.length;
    const sd = Math.sqrt(va.reduce((s, v) => s + (v - mean) ** 2, 0) / va.length);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(sd - 1)).toBeLessThan(0.1);
    expect(a.mapping.task).toBe('regression');
  });
});
