/**
 * `npm run bench` (second part): the engine's gap, a reference users ask about. Every sample model
 * runs in onnxruntime-node (native CPU) and in onnxruntime-web (wasm) in Node, each with 1 and 2
 * intra-op threads, on the same inputs: feeds built by the app's `buildFeeds` from the sample CSV,
 * tiled to 1024 rows, at batch 1 (the first row) and batch 1024. Both engines get the prepared
 * (ZipMap-rewritten) bytes, since neither reads ZipMap's seq(map) output (checked and recorded).
 * Figures are medians of single timed runs after a warm-up, the two engines timed in alternating
 * blocks so that other load on the machine hits both alike, with the ratio web / native. Writes
 * bench/results/engine-<time>.json. Figures are for this machine only; never asserted in tests.
 *
 * onnxruntime-web fixes its thread count when its wasm starts, so each thread count runs in its own
 * child process (`--threads N`, both engines); in Node its threaded build runs its pool on
 * worker_threads.
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
import { decodeOutputs, outputFetches, type OutputData } from '../src/lib/model/outputs';
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
    const fetches = outputFetches(mapping.outputs);
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

const RESULT_MARK = 'ENGINE-RESULT ';

/** Times single runs in blocks of about BLOCK_MS, alternating engines so that load on the machine hits both alike. */
const BLOCK_MS = 25;

interface Engine {
  label: string;
  ort: Ort;
  session: Session;
  feeds: Record<string, ortWeb.Tensor>;
  times: number[];
  scores: number[];
  /** Runs per block, from the warm-up. */
  block: number;
}

/** Times one sample at one batch size on every engine, interleaved. */
async function timeInterleaved(engines: Engine[], p: Prepared, batch: number): Promise<void> {
  for (const e of engines) {
    const first = await e.session.run(e.feeds, p.fetches);
    e.scores = Array.from(decodeOutputs(first as unknown as Record<string, OutputData>, p.mapping.outputs, p.mapping, batch).scores);
    const w0 = performance.now();
    let i = 0;
    for (; performance.now() - w0 < WARM_MS || i < WARM_RUNS; i++) await e.session.run(e.feeds, p.fetches);
    e.block = Math.max(1, Math.round((BLOCK_MS * i) / (performance.now() - w0)));
  }
  const t0 = performance.now();
  for (let round = 0; ; round++) {
    const done = engines.every((e) => e.times.length >= MAX_RUNS || (e.times.length >= MIN_RUNS && performance.now() - t0 >= TIME_MS * engines.length));
    if (done) break;
    // Alternate which engine goes first, so neither always follows the other's cache footprint.
    const order = round % 2 ? [...engines].reverse() : engines;
    for (const e of order) {
      for (let k = 0; k < e.block && e.times.length < MAX_RUNS; k++) {
        const r0 = performance.now();
        await e.session.run(e.feeds, p.fetches);
        e.times.push(performance.now() - r0);
      }
    }
  }
}

function cellOf(e: Engine, sample: string, batch: number): Cell {
  const samples = Float64Array.from(e.times);
  const s = summarizeLatency(samples);
  const ci = bootstrapPercentileCI(samples, 0.5, { resamples: 500 });
  return { sample, batch, runs: s.n, p50: s.p50!, p95: s.p95!, p50Lo: ci.lo!, p50Hi: ci.hi!, scores: e.scores };
}

/** Child: onnxruntime-node and onnxruntime-web with one thread count, results as one JSON line on stdout. */
async function child(threads: number): Promise<void> {
  ortWeb.env.wasm.numThreads = threads;
  const samples = await prepareSamples();
  let ortNode: Ort | null = null;
  let nativeLoadError: string | null = null;
  try {
    ortNode = (await import('onnxruntime-node')) as unknown as Ort;
  } catch (e) {
    nativeLoadError = (e as Error).message;
  }
  const options = {
    native: { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' } as const,
    web: { executionProviders: ['wasm'] },
  };
  const cells: Record<'native' | 'web', CellOrError[]> = { native: [], web: [] };
  for (const p of samples) {
    const engines: Engine[] = [];
    for (const [label, ort] of [['native', ortNode], ['web', ortWeb]] as const) {
      if (!ort) continue;
      try {
        const session = await ort.InferenceSession.create(p.bytes, options[label]);
        engines.push({ label, ort, session, feeds: {}, times: [], scores: [], block: 1 });
      } catch (e) {
        for (const batch of BATCHES) cells[label].push({ sample: p.sample.id, batch, error: (e as Error).message });
      }
    }
    for (const batch of BATCHES) {
      const ok: Engine[] = [];
      for (const e of engines) {
        e.times = [];
        try {
          e.feeds = feedsFor(e.ort, p, batch);
          await e.session.run(e.feeds, p.fetches);
          ok.push(e);
        } catch (err) {
          cells[e.label as 'native' | 'web'].push({ sample: p.sample.id, batch, error: (err as Error).message });
        }
      }
      await timeInterleaved(ok, p, batch);
      for (const e of ok) cells[e.label as 'native' | 'web'].push(cellOf(e, p.sample.id, batch));
    }
    for (const e of engines) await e.session.release();
    process.stderr.write(`  ${threads} thread${threads > 1 ? 's' : ''}: ${p.sample.id} done\n`);
  }
  process.stdout.write(RESULT_MARK + JSON.stringify({ threads, nativeLoadError, cells }) + '\n');
}

interface ChildResult { threads: number; nativeLoadError: string | null; cells: Record<'native' | 'web', CellOrError[]> }

function runChild(threads: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--threads', String(threads)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) reject(new Error(`The ${threads}-thread child exited ${code}: ${stdout.slice(-2000)}`));
      else resolve(JSON.parse(line.slice(RESULT_MARK.length)) as ChildResult);
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
    const r = await runChild(t);
    native[t] = r.cells.native;
    web[t] = r.cells.web;
    nativeLoadError ??= r.nativeLoadError;
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
        timing: `per engine ${WARM_RUNS}+ warm-up runs (${WARM_MS} ms), then single runs in alternating blocks of ${BLOCK_MS} ms for ${TIME_MS} ms (at least ${MIN_RUNS} runs); timing plan for the quickest run: ${plan.explanation}`,
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

const at = process.argv.indexOf('--threads');
if (at >= 0) await child(Number(process.argv[at + 1]));
else await main();
