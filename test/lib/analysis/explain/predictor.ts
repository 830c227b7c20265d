/**
 * A Predictor over table rows built from the app's own scoring path (prepareModel → session →
 * buildFeeds → run → decodeOutputs → selectOutput) with onnxruntime-web in Node, as the worker builds it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { parseCsv } from '../../../../src/lib/data/csv';
import type { Table } from '../../../../src/lib/data/table';
import { buildFeeds } from '../../../../src/lib/model/feeds';
import { proposeMapping } from '../../../../src/lib/model/mapping';
import { decodeOutputs } from '../../../../src/lib/model/outputs';
import type { Mapping } from '../../../../src/lib/model/types';
import { prepareModel } from '../../../../src/lib/model/zipmap';
import { selectOutput, type OutputSpace } from '../../../../src/lib/analysis/explain/output';
import type { Predictor } from '../../../../src/lib/analysis/explain/run';

const DIR = 'static/samples';

export const hasSample = (...files: string[]) => files.every((f) => existsSync(`${DIR}/${f}`));

export interface LoadedSample {
  table: Table;
  mapping: Mapping;
  /** The original ONNX bytes (TreeEnsemble / Linear heads are read from them). */
  bytes: Uint8Array;
  session: ort.InferenceSession;
  /** CSV columns that feed the model, in binding order: the players. */
  features: string[];
  /** A predictor for one class (by label; ignored for regression) in one output space; counts rows scored. */
  predictor(space: OutputSpace, classLabel?: string): Predictor & { rows: number };
  release(): Promise<void>;
}

/** Loads a sample model and CSV; `positive` names the mapping's positive class (binary). */
export async function loadSample(model: string, csv: string, positive?: string): Promise<LoadedSample> {
  const { table } = await parseCsv(readFileSync(`${DIR}/${csv}`, 'utf8'), { fileName: csv });
  const bytes = new Uint8Array(readFileSync(`${DIR}/${model}`));
  const prepared = prepareModel(bytes, model);
  const { mapping } = proposeMapping(prepared.card, table);
  if (positive !== undefined) mapping.positiveClass = mapping.classes.indexOf(positive);
  const session = await ort.InferenceSession.create(prepared.bytes, { executionProviders: ['wasm'] });
  const features = mapping.bindings.flatMap((b) => b.columns).filter((c): c is string => !!c);
  const C = mapping.task === 'regression' ? 1 : mapping.classes.length;
  const fetches = [mapping.outputs.scoreOutput].filter((o): o is string => !!o);
  return {
    table,
    mapping,
    bytes,
    session,
    features,
    predictor(space, classLabel) {
      const classIndex = classLabel === undefined ? mapping.positiveClass : mapping.classes.indexOf(classLabel);
      const spec = { task: mapping.task, classIndex, space };
      const predict = (async (rows: Table) => {
        const feeds = buildFeeds(rows, mapping.bindings, 0, rows.nRows);
        const out = await session.run(
          Object.fromEntries(feeds.map((f) => [f.name, new ort.Tensor(f.type, f.data as never, f.dims)])),
          fetches,
        );
        const d = decodeOutputs(out, { ...mapping.outputs, labelOutput: null }, mapping, rows.nRows);
        predict.rows += rows.nRows;
        return selectOutput(d.scores, rows.nRows, C, spec);
      }) as Predictor & { rows: number };
      predict.rows = 0;
      return predict;
    },
    release: () => session.release(),
  };
}
