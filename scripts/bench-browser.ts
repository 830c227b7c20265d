/**
 * `npm run bench` (browser part): Loupe measured in Debian's Chromium, headless, against the built
 * app served with the production headers (COOP/COEP, as the browser tests do).
 *
 * 1. The latency lab, per sample: the app is opened on a fresh profile, the sample clicked, and the
 *    lab's protocol run as a user would (wasm 1 thread and N threads; 10 warm-up runs, 200 timed runs
 *    at batch 1, a sweep 1..1024 with 30 runs a step, rows drawn from the sample CSV); its settings,
 *    environment, figures and raw samples are written to bench/results/latency-<sample>.json.
 * 2. Loupe's own overhead, per sample: bench.html (src/bench/bench-page.ts) times Loupe's engine
 *    path against a bare onnxruntime-web loop in the same page; written to
 *    bench/results/overhead-<time>.json with a readable summary and the two goals checked.
 *
 * Options: --no-build (serve the existing dist/), --sample=<id> (repeatable), --skip-latency,
 * --skip-overhead. Figures are for this machine only; they are never asserted in tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { build, preview } from 'vite';
import { openApp, type Harness } from '../test/e2e/browser';
import type { LatencyFigures } from '../src/lib/analysis/latency-figures';
import type { OverheadResult } from '../src/bench/bench-page';

/** Goals from the "Latency lab" issue. */
const GOALS = { overheadPctAtLargestBatch: 10, roundTripMinusWorkerMsAtBatch1: 0.1 };
/** The lab's protocol, as the issue states it. */
const PROTOCOL = { warmup: 10, runs: 200, batch: 1, sweepMax: 1024, sweepRuns: 30, budgetMs: 50 };
const LAB_TIMEOUT_MS = 10 * 60_000;

interface Sample { id: string; model: string; csv: string }

const args = process.argv.slice(2);
const only = args.filter((a) => a.startsWith('--sample=')).map((a) => a.slice('--sample='.length));
const all = JSON.parse(readFileSync('static/samples/index.json', 'utf8')) as Sample[];
const samples = only.length ? all.filter((s) => only.includes(s.id)) : all;
const t0 = performance.now();
const loadAtStart = os.loadavg();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
/** Load averages (1, 5, 15 min) at the start and now: other work on the machine shows in the figures. */
const machine = () => ({ node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', loadavgAtStart: loadAtStart, loadavgNow: os.loadavg() });

const ensure = spawnSync(process.execPath, ['scripts/ensure-chromium.mjs'], { stdio: 'inherit' });
if (ensure.status !== 0) process.exit(ensure.status ?? 1);
if (!args.includes('--no-build')) {
  console.log('[bench-browser] vite build');
  await build({ logLevel: 'warn' });
}
const server = await preview({ preview: { port: 4180, strictPort: false, host: '127.0.0.1' }, logLevel: 'warn' });
const baseUrl = server.resolvedUrls?.local[0];
if (!baseUrl) throw new Error('vite preview did not report a URL');
mkdirSync('bench/results', { recursive: true });

interface LabDump {
  env: { crossOriginIsolated: boolean; hardwareConcurrency: number; wasmThreads: number; ortVersion: string; webgpu: unknown };
  settings: Record<string, unknown>;
  environment: { cancelled: boolean; startedAt: string; finishedAt: string | null } & Record<string, unknown>;
  figures: LatencyFigures;
  runs: unknown;
  model: string | null;
}

/** Runs the lab's protocol on one sample in the real app; returns what was written. */
async function latencyOf(s: Sample): Promise<{ file: string; dump: LabDump; browser: string; wallMs: number }> {
  const w0 = performance.now();
  let h: Harness | null = null;
  try {
    h = await openApp(baseUrl!);
    const page = h.page;
    await page.getByTestId(`sample-${s.id}`).click();
    await page.waitForFunction(() => {
      const l = (window as unknown as { loupe: { scoring: unknown; job: unknown; env: unknown } }).loupe;
      return !!l.scoring && !l.job && !!l.env;
    }, undefined, { timeout: 120_000 });
    await page.getByTestId('tab-latency').click();
    await page.getByLabel('Warm-up runs').fill(String(PROTOCOL.warmup));
    await page.getByTestId('lat-runs').fill(String(PROTOCOL.runs));
    await page.getByLabel('Batch size').fill(String(PROTOCOL.batch));
    await page.getByTestId('lat-sweep-max').fill(String(PROTOCOL.sweepMax));
    await page.getByTestId('lat-sweep-runs').fill(String(PROTOCOL.sweepRuns));
    await page.getByTestId('lat-budget').fill(String(PROTOCOL.budgetMs));
    await page.getByTestId('lat-backend-wasm-1').check();
    await page.getByTestId('lat-backend-wasm-n').check();
    // Headless Chromium here has no GPU; WebGPU is timed by hand where there is one.
    await page.getByTestId('lat-backend-webgpu').uncheck();
    await page.getByTestId('lat-run').click();
    type Lab = { running: boolean; environment: { finishedAt: string | null } | null; progress: { done: number; total: number; label: string } };
    const deadline = Date.now() + LAB_TIMEOUT_MS;
    let lastLog = 0;
    for (;;) {
      const st = await page.evaluate(() => {
        const l = (window as unknown as { loupe: { latency: Lab } }).loupe.latency;
        return { running: l.running, finished: !!l.environment?.finishedAt, ...l.progress };
      });
      if (!st.running && st.finished) break;
      if (Date.now() > deadline) throw new Error(`the latency lab did not finish in ${LAB_TIMEOUT_MS / 1000} s (at: ${st.label})`);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        console.log(`  [${elapsed()}] ${s.id}: ${st.done}/${st.total} ${st.label}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const json = await page.evaluate(() => {
      const w = window as unknown as { loupe: { env: unknown; latency: { settings: unknown; environment: unknown; figures: unknown; runs: unknown; modelName: string | null } } };
      const l = w.loupe.latency;
      // Typed arrays as arrays and non-finite numbers as null, as the exported report writes them.
      return JSON.stringify({ env: w.loupe.env, settings: l.settings, environment: l.environment, figures: l.figures, runs: l.runs, model: l.modelName }, (_k, v) => {
        if (typeof v === 'number' && !Number.isFinite(v)) return null;
        if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
        return v;
      });
    });
    const dump = JSON.parse(json) as LabDump;
    if (h.pageErrors.length) console.warn(`  ${s.id}: page errors: ${h.pageErrors.join(' | ')}`);
    const browser = h.browser.version();
    const wallMs = performance.now() - w0;
    const file = `bench/results/latency-${s.id}.json`;
    writeFileSync(
      file,
      JSON.stringify(
        {
          kind: 'latency',
          sample: s.id,
          model: s.model,
          csv: s.csv,
          measuredAt: new Date().toISOString(),
          protocol: { ...PROTOCOL, backends: ['wasm-1', 'wasm-n'], rows: 'csv', note: 'the app\'s latency lab, driven headlessly through its own form (settings below are what it ran)' },
          environment: {
            browser: `Chromium ${browser} (headless, ${process.env.LOUPE_CHROMIUM || '/usr/bin/chromium'})`,
            hardwareConcurrency: dump.env.hardwareConcurrency,
            crossOriginIsolated: dump.env.crossOriginIsolated,
            wasmThreads: dump.env.wasmThreads,
            ortVersion: dump.env.ortVersion,
            webgpu: dump.env.webgpu,
            machine: machine(),
          },
          wallMs,
          lab: { settings: dump.settings, environment: dump.environment, figures: dump.figures, runs: dump.runs },
        },
        null,
        2,
      ),
    );
    return { file, dump, browser, wallMs };
  } finally {
    await h?.close();
  }
}

/** Runs bench.html for one sample; returns its result. */
async function overheadOf(s: Sample): Promise<OverheadResult> {
  let h: Harness | null = null;
  try {
    h = await openApp(`${baseUrl}bench.html?sample=${encodeURIComponent(s.id)}`);
    const page = h.page;
    const deadline = Date.now() + LAB_TIMEOUT_MS;
    let lastLog = 0;
    for (;;) {
      const st = await page.evaluate(() => {
        const w = window as unknown as { benchResult?: unknown; benchProgress?: string };
        return { done: w.benchResult !== undefined, progress: w.benchProgress ?? '' };
      });
      if (st.done) break;
      if (Date.now() > deadline) throw new Error(`bench.html did not finish in ${LAB_TIMEOUT_MS / 1000} s (at: ${st.progress})`);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        console.log(`  [${elapsed()}] ${st.progress}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const r = (await page.evaluate(() => (window as unknown as { benchResult: unknown }).benchResult)) as OverheadResult | { ok: false; error: string };
    if (!r.ok) throw new Error(`${s.id}: ${r.error}${h.pageErrors.length ? ` (page errors: ${h.pageErrors.join(' | ')})` : ''}`);
    return r;
  } finally {
    await h?.close();
  }
}

const fmt = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '—' : v.toFixed(d));
const pad = (s: string, n: number) => s.padEnd(n);

let browserVersion = 'unknown';
const latencies: { sample: string; dump: LabDump }[] = [];
const overheads: OverheadResult[] = [];
const failures: string[] = [];
try {
  if (!args.includes('--skip-latency')) {
    for (const s of samples) {
      console.log(`[bench-browser] [${elapsed()}] latency lab: ${s.id}`);
      try {
        const r = await latencyOf(s);
        browserVersion = r.browser;
        latencies.push({ sample: s.id, dump: r.dump });
        console.log(`  wrote ${r.file} (${(r.wallMs / 1000).toFixed(1)} s)`);
      } catch (e) {
        failures.push(`latency ${s.id}: ${(e as Error).message}`);
        console.error(`  ${s.id}: ${(e as Error).message}`);
      }
    }
  }
  if (!args.includes('--skip-overhead')) {
    for (const s of samples) {
      console.log(`[bench-browser] [${elapsed()}] overhead: ${s.id}`);
      try {
        overheads.push(await overheadOf(s));
      } catch (e) {
        failures.push(`overhead ${s.id}: ${(e as Error).message}`);
        console.error(`  ${(e as Error).message}`);
      }
    }
  }
} finally {
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}

// ---- Summaries --------------------------------------------------------------------------------

if (latencies.length) {
  console.log('\nLatency lab (in-worker ms per run at batch 1; best batch = most rows/s with p95 ≤ 50 ms; messaging = lab\'s round trip p50 − worker p50)');
  console.log(`${pad('sample', 18)}${pad('backend', 26)}${pad('p50', 9)}${pad('p95', 9)}${pad('p99', 9)}${pad('best batch', 12)}${pad('rows/s', 11)}messaging`);
  for (const { sample, dump } of latencies) {
    for (const b of dump.figures.backends) {
      if (!b.available || !b.worker) {
        console.log(`${pad(sample, 18)}${pad(b.label, 26)}${b.reason ?? b.error ?? 'not measured'}`);
        continue;
      }
      console.log(
        `${pad(sample, 18)}${pad(b.label, 26)}${pad(fmt(b.worker.p50), 9)}${pad(fmt(b.worker.p95), 9)}${pad(fmt(b.worker.p99), 9)}` +
          `${pad(b.best ? String(b.best.batch) : 'none', 12)}${pad(b.best?.rowsPerSec ? Math.round(b.best.rowsPerSec).toString() : '—', 11)}${fmt(b.messagingMsP50)} ms (${b.loops} run/sample)`,
      );
    }
  }
}

if (overheads.length) {
  const table = overheads.flatMap((o) =>
    o.threads.map((t) => {
      const largest = t.batches.reduce((a, b) => (b.batch > a.batch ? b : a), t.batches[0]);
      const one = t.batches.find((b) => b.batch === 1) ?? null;
      return {
        sample: o.sample,
        threads: t.loupeThreads,
        largestBatch: largest?.batch ?? null,
        bareRowsPerSec: largest?.bare.throughput.rowsPerSecAtP50 ?? null,
        loupeRowsPerSec: largest?.loupeRoundTrip.throughput.rowsPerSecAtP50 ?? null,
        loupeWorkerRowsPerSec: largest?.loupeWorker.throughput.rowsPerSecAtP50 ?? null,
        overheadPct: largest?.overheadPctPaired.roundTrip ?? null,
        overheadPctWorkerOnly: largest?.overheadPctPaired.worker ?? null,
        overheadPctPooledMedian: largest?.overheadPct.roundTrip ?? null,
        overheadPctFromMean: largest?.overheadPctFromMean.roundTrip ?? null,
        batch1: one && {
          bareP50Ms: one.bare.summary.p50,
          loupeWorkerP50Ms: one.loupeWorker.summary.p50,
          loupeRoundTripP50Ms: one.loupeRoundTrip.summary.p50,
          loops: one.loops,
          roundTripMinusWorkerP50Ms: one.roundTripMinusWorker.p50,
          roundTripMinusWorkerP95Ms: one.roundTripMinusWorker.p95,
          overheadPct: one.overheadPctPaired.roundTrip,
        },
        messagingFloor: { barePingP50Ms: t.messagingFloor.barePing.p50, loupeEmptyCallP50Ms: t.messagingFloor.loupeEmptyCall.p50 },
      };
    }),
  );
  const worst = (xs: (number | null | undefined)[]) => xs.reduce<number | null>((m, x) => (x === null || x === undefined ? m : m === null ? x : Math.max(m, x)), null);
  const worstOverhead = worst(table.map((r) => r.overheadPct));
  const worstTrip = worst(table.map((r) => r.batch1?.roundTripMinusWorkerP50Ms));
  const goals = {
    overhead: {
      goal: `Loupe's throughput (benchRun round trips timed on the page; median over alternating blocks of the per-block median ratio) within ${GOALS.overheadPctAtLargestBatch} % of a bare session.run loop at batch 1024`,
      worstPct: worstOverhead,
      met: worstOverhead !== null && worstOverhead < GOALS.overheadPctAtLargestBatch,
    },
    roundTrip: {
      goal: `worker round trip under ${GOALS.roundTripMinusWorkerMsAtBatch1} ms above in-worker time at batch 1 (median of per-run differences; runs per call as the lab plans them, see batch1.loops)`,
      worstMs: worstTrip,
      met: worstTrip !== null && worstTrip < GOALS.roundTripMinusWorkerMsAtBatch1,
    },
  };
  const file = `bench/results/overhead-${stamp}.json`;
  writeFileSync(
    file,
    JSON.stringify(
      {
        kind: 'overhead',
        measuredAt: new Date().toISOString(),
        browser: `Chromium ${browserVersion} (headless)`,
        environment: overheads[0].environment,
        machine: machine(),
        method:
          'One page (bench.html), two dedicated workers with the same prepared model, rows and thread count: a bare onnxruntime-web worker ' +
          '(loaded like ort-backend.ts, tight session.run loop timed in the worker) and Loupe\'s Engine (configure, adoptTable, coldStart, ' +
          'benchPrepare, benchRun(…, loops) per call with loops planned as the lab plans them, each call\'s round trip timed on the page). Per batch, the two are timed in alternating blocks ' +
          'with a re-warm of each. Overhead % = (bare rows/s ÷ Loupe rows/s − 1) × 100: overheadPctPaired (the table\'s and the goal\'s) pairs each block with its ' +
          'neighbour of the other path and takes the median ratio over blocks; overheadPct pools all runs (medians), overheadPctFromMean uses means. ' +
          'Runs: 200 at batch 1; larger batches as many as fit in budgetMsPerPath per path, between minRuns and maxRuns (fewer for slow, large batches).',
        settings: overheads[0].settings,
        goals,
        table,
        samples: overheads,
        failures,
        benchWallMs: performance.now() - t0,
      },
      null,
      2,
    ),
  );
  console.log('\nLoupe overhead at the largest batch (rows/s from median runs; overhead paired by block: round trip, and in-worker only)');
  console.log('and at batch 1 (ms, medians): bare run, Loupe round trip, round trip − worker, and the messaging floor (bare ping / Loupe empty call)');
  console.log(
    `${pad('sample', 18)}${pad('thr', 5)}${pad('batch', 7)}${pad('bare rows/s', 13)}${pad('Loupe rows/s', 14)}${pad('overhead', 10)}${pad('in-worker', 11)}` +
      `${pad('b1 bare', 9)}${pad('b1 trip', 9)}${pad('trip−wkr', 10)}${pad('loops', 7)}floor`,
  );
  for (const r of table) {
    console.log(
      `${pad(r.sample, 18)}${pad(String(r.threads), 5)}${pad(String(r.largestBatch), 7)}${pad(Math.round(r.bareRowsPerSec ?? 0).toString(), 13)}` +
        `${pad(Math.round(r.loupeRowsPerSec ?? 0).toString(), 14)}${pad(`${fmt(r.overheadPct, 1)} %`, 10)}${pad(`${fmt(r.overheadPctWorkerOnly, 1)} %`, 11)}` +
        `${pad(fmt(r.batch1?.bareP50Ms), 9)}${pad(fmt(r.batch1?.loupeRoundTripP50Ms), 9)}${pad(fmt(r.batch1?.roundTripMinusWorkerP50Ms), 10)}${pad(String(r.batch1?.loops ?? '—'), 7)}` +
        `${fmt(r.messagingFloor.barePingP50Ms)} / ${fmt(r.messagingFloor.loupeEmptyCallP50Ms)}`,
    );
  }
  console.log(`\nGoal: ${goals.overhead.goal}: ${goals.overhead.met ? 'MET' : 'NOT MET'} (worst ${fmt(worstOverhead, 1)} %)`);
  console.log(`Goal: ${goals.roundTrip.goal}: ${goals.roundTrip.met ? 'MET' : 'NOT MET'} (worst ${fmt(worstTrip)} ms)`);
  console.log(`wrote ${file}`);
}

console.log(`\n[bench-browser] done in ${elapsed()}${failures.length ? `; ${failures.length} failed:\n  ${failures.join('\n  ')}` : ''}`);
if (failures.length) process.exitCode = 1;
