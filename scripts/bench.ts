/**
 * `npm run bench`: speed figures for the backbone path in Node with the same onnxruntime-web (wasm)
 * and the same src/lib code the worker uses: CSV parse time, session creation, and scoring throughput
 * at batch 1 and 1024 for every sample. Writes bench/results/scoring-<time>.json. Figures are for this
 * machine only; they are never asserted in tests.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import * as ort from 'onnxruntime-web';
import { parseCsv } from '../src/lib/data/csv';
import { prepareModel } from '../src/lib/model/zipmap';
import { proposeMapping } from '../src/lib/model/mapping';
import { buildFeeds } from '../src/lib/model/feeds';
import { decodeOutputs, outputFetches } from '../src/lib/model/outputs';
import { quantileSorted } from '../src/lib/analysis/data-summary';

interface Sample { id: string; model: string; csv: string }

const dir = 'static/samples';
const samples = JSON.parse(readFileSync(`${dir}/index.json`, 'utf8')) as Sample[];
ort.env.wasm.numThreads = 1;

async function scoreAll(session: ort.InferenceSession, table: Awaited<ReturnType<typeof parseCsv>>['table'], mapping: ReturnType<typeof proposeMapping>['mapping'], batch: number, maxRows: number) {
  const n = Math.min(table.nRows, maxRows);
  const fetches = outputFetches(mapping.outputs);
  const times: number[] = [];
  const t0 = performance.now();
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch);
    const feeds: Record<string, ort.Tensor> = {};
    for (const f of buildFeeds(table, mapping.bindings, start, end)) feeds[f.name] = new ort.Tensor(f.type, f.data as never, f.dims);
    const r0 = performance.now();
    const out = await session.run(feeds, fetches);
    times.push(performance.now() - r0);
    decodeOutputs(out, mapping.outputs, mapping, end - start);
  }
  const total = performance.now() - t0;
  const sorted = times.slice().sort((a, b) => a - b);
  return {
    batch,
    rows: n,
    runs: times.length,
    totalMs: total,
    rowsPerSecond: (n / total) * 1000,
    runMsP50: quantileSorted(sorted, 0.5),
    runMsP95: quantileSorted(sorted, 0.95),
  };
}

const results = [];
for (const s of samples) {
  const csvText = readFileSync(`${dir}/${s.csv}`, 'utf8');
  const p0 = performance.now();
  const { table } = await parseCsv(csvText, { fileName: s.csv });
  const parseMs = performance.now() - p0;
  const prepared = prepareModel(new Uint8Array(readFileSync(`${dir}/${s.model}`)), s.model);
  const c0 = performance.now();
  const session = await ort.InferenceSession.create(prepared.bytes, { executionProviders: ['wasm'] });
  const sessionMs = performance.now() - c0;
  const { mapping } = proposeMapping(prepared.card, table);
  await scoreAll(session, table, mapping, 64, 256); // warm-up
  const single = await scoreAll(session, table, mapping, 1, 500);
  const batched = await scoreAll(session, table, mapping, 1024, Infinity);
  results.push({ sample: s.id, model: s.model, rows: table.nRows, parseMs, sessionMs, batch1: single, batch1024: batched });
  console.log(
    `${s.id.padEnd(18)} parse ${parseMs.toFixed(1).padStart(6)} ms  session ${sessionMs.toFixed(1).padStart(6)} ms  ` +
      `batch 1: p50 ${single.runMsP50.toFixed(3)} ms/run, ${single.rowsPerSecond.toFixed(0)} rows/s  ` +
      `batch 1024: ${batched.rowsPerSecond.toFixed(0)} rows/s`,
  );
  await session.release();
}

mkdirSync('bench/results', { recursive: true });
const file = `bench/results/scoring-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(
  file,
  JSON.stringify({ kind: 'scoring', engine: 'onnxruntime-web (wasm, 1 thread) in Node', node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, results }, null, 2),
);
console.log(`wrote ${file}`);
