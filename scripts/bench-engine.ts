/**
 * `npm run bench` (second part): the engine's gap, a reference users ask about. Every sample model
 * runs in onnxruntime-node (native CPU) and in onnxruntime-web (wasm) in Node, each with 1 and 2
 * intra-op threads, on the same inputs: feeds built by the app's `buildFeeds` from the sample CSV,
 * tiled to 1024 rows, at batch 1 (the first row) and batch 1024. Both engines get the prepared
 * (ZipMap-rewritten) bytes, since neither reads ZipMap's seq(map) output (checked and recorded).
 * Figures are medians of single timed runs after a warm-up, with the ratio web / native. Writes
 * bench/results/engine-<time>.json. Figures are for this machine only; never asserted in tests.
 *
 * onnxruntime-web fixes its thread count when its wasm starts, so each thread count runs in its own
 * child process (`--web-threads N`); the threaded build starts its pool with worker_threads.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as ortWeb from 'onnxruntime-web';
import { parseCsv } from '../src/lib/data/csv';
import { takeRows, type Table } from '../src/lib/data/table';
import { prepareModel } from '../src/lib/model/zipmap';
import { proposeMapping } from '../src/lib/model/mapping';
import { buildFeeds } from '../src/lib/model/feeds';
import { decodeOutputs, type OutputData } from '../src/lib/model/outputs';
import type { Mapping } from '../src/lib/model/types';
import { bootstrapPercentileCI, estimateTimerResolution, planTiming, summarizeLatency } from '../src/lib/analysis/latency';

/** The part of an onnxruntime module this bench uses; onnxruntime-node and -web share these types. */
type Ort = Pick<typeof ortWeb, 'InferenceSession' | 'Tensor'>;
type Session = ortWeb.InferenceSession;

interface Sample { id: string; model: string; csv: string }

const DIR = 'static/samples';
const BATCHES = [1, 1024] as const;
const THREADS = [1, 2] as const;
/** Per cell: warm up for WARM_MS (at least WARM_RUNS runs), then time single runs for TIME_MS (at least MIN_RUNS, at most MAX_RUNS). */
const WARM_RUNS = 10, WARM_MS = 100, MIN_RUNS = 30, TIME_MS = 400, MAX_RUNS = 5000;

interface Cell {
  sample: string;
  batch: number;
  runs: number;
  /** Per run, ms. */
  p50: number;
  p95: number;
  /** 95 % bootstrap interval of the median, ms. */
  p50Lo: number;
  p50Hi: number;
  /** Decoded scores of the batch, to check that engines agree. */
  scores: number[];
}
type CellOrError = Cell | { sample: string; batch: number; error: string };

interface Prepared {
  sample: Sample;
  bytes: Uint8Array;
  originalBytes: Uint8Array;
  zipMapReplaced: boolean;
  mapping: Mapping;
  fetches: string[];
  /** The sample's rows cycled to 1024. */
  table: Table;
}

async function prepareSamples(): Promise<Prepared[]> {
  const samples = JSON.parse(readFileSync(`${DIR}/index.json`, 'utf8')) as Sample[];
  const out: Prepared[] = [];
  for (const sample of samples) {
    const { table: csv } = await parseCsv(readFileSync(`${DIR}/${sample.csv}`, 'utf8'), { fileName: sample.csv });
    const originalBytes = new Uint8Array(readFileSync(`${DIR}/${sample.model}`));
    const prepared = prepareModel(originalBytes, sample.model);
    const { mapping } = proposeMapping(prepared.card, csv);
    const fetches = [mapping.outputs.scoreOutput, mapping.outputs.labelOutput].filter((o): o is string => !!o);
    const table = takeRows(csv, Uint32Array.from({ length: 1024 }, (_, i) => i % csv.nRows));
    out.push({ sample, bytes: prepared.bytes, originalBytes, zipMapReplaced: !!prepared.replacedOutputs?.length, mapping, fetches, table });
  }
  return out;
}

function feedsFor(ort: Ort, p: Prepared, batch: number): Record<string, ortWeb.Tensor> {
  const feeds: Record<string, ortWeb.Tensor> = {};
  for (const f of buildFeeds(p.table, p.mapping.bindings, 0, batch)) feeds[f.name] = new ort.Tensor(f.type, f.data as never, f.dims);
  return feeds;
}

async function timeCell(session: Session, p: Prepared, feeds: Record<string, ortWeb.Tensor>, batch: number): Promise<Cell> {
  const first = await session.run(feeds, p.fetches);
  const { scores } = decodeOutputs(first as unknown as Record<string, OutputData>, p.mapping.outputs, p.mapping, batch);
  const w0 = performance.now();
  for (let i = 0; performance.now() - w0 < WARM_MS || i < WARM_RUNS; i++) await session.run(feeds, p.fetches);
  const times = new Float64Array(MAX_RUNS);
  let n = 0;
  const t0 = performance.now();
  while (n < MAX_RUNS && (n < MIN_RUNS || performance.now() - t0 < TIME_MS)) {
    const r0 = performance.now();
    await session.run(feeds, p.fetches);
    times[n++] = performance.now() - r0;
  }
  const samples = times.subarray(0, n);
  const s = summarizeLatency(samples);
  const ci = bootstrapPercentileCI(samples, 0.5, { resamples: 500 });
  return { sample: p.sample.id, batch, runs: n, p50: s.p50!, p95: s.p95!, p50Lo: ci.lo!, p50Hi: ci.hi!, scores: Array.from(scores) };
}

/** Times every sample at every batch size with one engine and thread count. */
async function measureEngine(ort: Ort, label: string, samples: Prepared[], sessionOptions: ortWeb.InferenceSession.SessionOptions): Promise<CellOrError[]> {
  const cells: CellOrError[] = [];
  for (const p of samples) {
    let session: Session;
    try {
      session = await ort.InferenceSession.create(p.bytes, sessionOptions);
    } catch (e) {
      for (const batch of BATCHES) cells.push({ sample: p.sample.id, batch, error: (e as Error).message });
      continue;
    }
    for (const batch of BATCHES) {
      try {
        cells.push(await timeCell(session, p, feedsFor(ort, p, batch), batch));
      } catch (e) {
        cells.push({ sample: p.sample.id, batch, error: (e as Error).message });
      }
    }
    await session.release();
    process.stderr.write(`  ${label}: ${p.sample.id} done\n`);
  }
  return cells;
}

const RESULT_MARK = 'ENGINE-RESULT ';

/** Child: onnxruntime-web with a fixed thread count, results as one JSON line on stdout. */
async function child(threads: number): Promise<void> {
  ortWeb.env.wasm.numThreads = threads;
  const samples = await prepareSamples();
  const cells = await measureEngine(ortWeb, `web ${threads}t`, samples, { executionProviders: ['wasm'] });
  process.stdout.write(RESULT_MARK + JSON.stringify({ threads, numThreads: ortWeb.env.wasm.numThreads, cells }) + '\n');
}

function runChild(threads: number): Promise<CellOrError[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--web-threads', String(threads)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) reject(new Error(`onnxruntime-web child with ${threads} threads exited ${code}: ${stdout.slice(-2000)}`));
      else resolve((JSON.parse(line.slice(RESULT_MARK.length)) as { cells: CellOrError[] }).cells);
    });
  });
}

const isCell = (c: CellOrError | undefined): c is Cell => !!c && !('error' in c);

function maxAbsDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
}

async function main(): Promise<void> {
  const started = performance.now();
  const readings = new Float64Array(10_000);
  for (let i = 0; i < readings.length; i++) readings[i] = performance.now();
  const timer = estimateTimerResolution(readings);
  const samples = await prepareSamples();

  let ortNode: Ort | null = null;
  let nativeLoadError: string | null = null;
  try {
    ortNode = (await import('onnxruntime-node')) as unknown as Ort;
  } catch (e) {
    nativeLoadError = (e as Error).message;
    console.error(`onnxruntime-node did not load: ${nativeLoadError}`);
  }

  // Does the native engine read ZipMap's seq(map) output? (onnxruntime-web cannot.)
  const zipMap: { sample: string; nativeReadsZipMap: boolean; error: string | null }[] = [];
  if (ortNode) {
    for (const p of samples.filter((s) => s.zipMapReplaced)) {
      try {
        const session = await ortNode.InferenceSession.create(p.originalBytes);
        await session.run(feedsFor(ortNode, p, 1));
        await session.release();
        zipMap.push({ sample: p.sample.id, nativeReadsZipMap: true, error: null });
      } catch (e) {
        zipMap.push({ sample: p.sample.id, nativeReadsZipMap: false, error: (e as Error).message });
      }
    }
  }

  const native: Record<number, CellOrError[]> = {};
  const web: Record<number, CellOrError[]> = {};
  for (const t of THREADS) {
    if (ortNode) native[t] = await measureEngine(ortNode, `native ${t}t`, samples, { intraOpNumThreads: t, interOpNumThreads: 1, executionMode: 'sequential' });
    web[t] = await runChild(t);
  }

  const rows = [];
  for (const p of samples) {
    for (const batch of BATCHES) {
      const find = (cells: CellOrError[] | undefined) => cells?.find((c) => c.sample === p.sample.id && c.batch === batch);
      const row: Record<string, unknown> = { sample: p.sample.id, batch };
      for (const t of THREADS) {
        const n = find(native[t]);
        const w = find(web[t]);
        const strip = (c: CellOrError | undefined) => (c && isCell(c) ? { runs: c.runs, p50Ms: c.p50, p95Ms: c.p95, p50CiMs: [c.p50Lo, c.p50Hi] } : c ? { error: c.error } : null);
        row[`native${t}`] = strip(n);
        row[`web${t}`] = strip(w);
        row[`ratio${t}`] = isCell(n) && isCell(w) ? w.p50 / n.p50 : null;
        if (t === 1 && isCell(n) && isCell(w)) row.maxAbsScoreDiff = maxAbsDiff(n.scores, w.scores);
      }
      rows.push(row);
    }
  }

  const fmt = (c: unknown) => {
    const v = c as { p50Ms?: number; error?: string } | null;
    return v?.p50Ms !== undefined ? v.p50Ms.toFixed(3).padStart(9) : (v?.error ? 'error' : '-').padStart(9);
  };
  const ratio = (r: unknown) => (typeof r === 'number' ? `${r.toFixed(1)}x` : '-').padStart(7);
  console.log('\nEngine gap: median ms per run (ratio web / native at the same thread count)');
  console.log(`${'sample'.padEnd(18)} ${'batch'.padStart(5)} | ${'native 1t'.padStart(9)} ${'web 1t'.padStart(9)} ${'ratio'.padStart(7)} | ${'native 2t'.padStart(9)} ${'web 2t'.padStart(9)} ${'ratio'.padStart(7)} | scores Δ`);
  for (const r of rows) {
    const d = r.maxAbsScoreDiff as number | undefined;
    console.log(
      `${String(r.sample).padEnd(18)} ${String(r.batch).padStart(5)} | ${fmt(r.native1)} ${fmt(r.web1)} ${ratio(r.ratio1)} | ${fmt(r.native2)} ${fmt(r.web2)} ${ratio(r.ratio2)} | ${d === undefined ? '-' : d.toExponential(1)}`,
    );
  }
  for (const z of zipMap) console.log(`ZipMap in onnxruntime-node (${z.sample}): ${z.nativeReadsZipMap ? 'read' : `not read: ${z.error}`}`);
  const errors = rows.flatMap((r) => THREADS.flatMap((t) => [r[`native${t}`], r[`web${t}`]]).filter((c) => (c as { error?: string } | null)?.error).map((c) => `${r.sample} batch ${r.batch}: ${(c as { error: string }).error}`));
  for (const e of errors) console.log(`error: ${e}`);
  const seconds = (performance.now() - started) / 1000;
  const quickest = Math.min(...[...Object.values(native), ...Object.values(web)].flat().filter(isCell).map((c) => c.p50));
  const plan = planTiming(quickest, timer.resolutionMs);

  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/engine-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(
    file,
    JSON.stringify(
      {
        kind: 'engine',
        engines: { native: 'onnxruntime-node (CPU execution provider)', web: 'onnxruntime-web (wasm) in Node' },
        node: process.version,
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        /** 1, 5 and 15 minute load averages when the bench ended: other work on the machine skews the figures. */
        loadAverage: os.loadavg(),
        timerResolutionMs: timer.resolutionMs,
        timing: `${WARM_RUNS}+ warm-up runs (${WARM_MS} ms), then single runs for ${TIME_MS} ms (at least ${MIN_RUNS}); timing plan for the quickest run: ${plan.explanation}`,
        nativeLoadError,
        zipMap,
        rows,
        seconds,
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${file} (${seconds.toFixed(0)} s)`);
}

const at = process.argv.indexOf('--web-threads');
if (at >= 0) await child(Number(process.argv[at + 1]));
else await main();
