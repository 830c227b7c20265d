/**
 * Scores a bundled sample through the app's own lib path (parse → prepare → map → feed → run →
 * decode) with onnxruntime-web in Node, for quality tests on real predictions.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { parseCsv } from '../../../../src/lib/data/csv';
import { prepareModel } from '../../../../src/lib/model/zipmap';
import { proposeMapping } from '../../../../src/lib/model/mapping';
import { buildFeeds } from '../../../../src/lib/model/feeds';
import { decodeOutputs } from '../../../../src/lib/model/outputs';
import type { Predictions } from '../../../../src/lib/model/types';
import { rowOutcomes } from '../../../../src/lib/analysis/predictions';

const DIR = 'static/samples';

export const hasSample = (...files: string[]) => files.every((f) => existsSync(`${DIR}/${f}`));

/** Scores `csv` with `model`; `positive` names the positive class of a binary model (default: the mapping's). */
export async function scoreSample(model: string, csv: string, positive?: string) {
  const { table } = await parseCsv(readFileSync(`${DIR}/${csv}`, 'utf8'), { fileName: csv });
  const prepared = prepareModel(new Uint8Array(readFileSync(`${DIR}/${model}`)), model);
  const { mapping } = proposeMapping(prepared.card, table);
  if (positive !== undefined) mapping.positiveClass = mapping.classes.indexOf(positive);
  const session = await ort.InferenceSession.create(prepared.bytes, { executionProviders: ['wasm'] });
  const C = mapping.task === 'regression' ? 1 : mapping.classes.length;
  const scores = new Float32Array(table.nRows * C);
  const labels = new Int32Array(mapping.task === 'regression' ? 0 : table.nRows);
  for (let start = 0; start < table.nRows; start += 256) {
    const end = Math.min(table.nRows, start + 256);
    const feeds = buildFeeds(table, mapping.bindings, start, end);
    const out = await session.run(Object.fromEntries(feeds.map((f) => [f.name, new ort.Tensor(f.type, f.data as never, f.dims)])));
    const d = decodeOutputs(out, mapping.outputs, mapping, end - start);
    scores.set(d.scores, start * C);
    if (labels.length) labels.set(d.labels, start);
  }
  await session.release();
  const pred: Predictions = { n: table.nRows, task: mapping.task, classes: mapping.classes, scores, labels, scored: table.nRows };
  const target = table.columns.find((c) => c.name === mapping.target)!;
  const rows = rowOutcomes(pred, target, mapping.positiveClass);
  const features = mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c);
  return { table, mapping, pred, rows, features };
}
