/**
 * The overhead bench's reference: onnxruntime-web loaded exactly as the engine worker loads it
 * (`ort-backend.ts`: the same wasm assets, the same thread count), one session created with the
 * engine's options, feeds built by `buildFeeds`, and a tight `session.run` loop timed in this worker.
 * No comlink and no Loupe engine: the page compares Loupe's path against this one.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { takeRows, type Table } from '../lib/data/table';
import { buildFeeds } from '../lib/model/feeds';
import { outputFetches } from '../lib/model/outputs';
import type { Mapping } from '../lib/model/types';
import { loadOrt, setWasmThreads, wasmThreadCount, type OrtModule } from '../workers/ort-backend';

export type BareRequest =
  /** `bytes` are already prepared (ZipMap rewritten); `table` holds the rows to cycle through. */
  | { type: 'open'; threads: number; bytes: ArrayBuffer; table: Table; mapping: Mapping }
  /** Warms up, then times `runs` back-to-back runs of one `batch`-row input. */
  | { type: 'time'; batch: number; warmup: number; runs: number }
  /** Answered at once: the browser's own message round trip, the floor under any worker API. */
  | { type: 'ping' };

export type BareReply =
  | { type: 'opened'; threads: number; ortVersion: string; sessionMs: number }
  /** `runMs`: each run, ms (consecutive clock readings, so they sum to `loopMs`); `loopMs`: the whole timed loop. */
  | { type: 'timed'; batch: number; runMs: Float64Array; loopMs: number }
  | { type: 'pong' }
  | { type: 'error'; message: string };

// This file is type-checked with the page's DOM lib; these are the two members of the worker scope it uses.
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<BareRequest>) => void) | null;
  postMessage(msg: BareReply, transfer?: Transferable[]): void;
};

let state: { ort: OrtModule; session: InferenceSession; table: Table; mapping: Mapping; fetches: string[] } | null = null;

async function open(req: Extract<BareRequest, { type: 'open' }>): Promise<BareReply> {
  setWasmThreads(req.threads);
  const ort = await loadOrt('wasm');
  const t0 = performance.now();
  // The engine worker's options (engine.worker.ts, createSession).
  const session = await ort.InferenceSession.create(new Uint8Array(req.bytes), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const sessionMs = performance.now() - t0;
  const fetches = outputFetches(req.mapping.outputs);
  state = { ort, session, table: req.table, mapping: req.mapping, fetches };
  return { type: 'opened', threads: wasmThreadCount(), ortVersion: ort.env.versions.web ?? ort.env.versions.common ?? 'unknown', sessionMs };
}

async function time(req: Extract<BareRequest, { type: 'time' }>): Promise<BareReply> {
  if (!state) throw new Error('open first');
  const { ort, session, table, mapping, fetches } = state;
  const n = req.batch;
  const source = table.nRows >= n ? table : takeRows(table, Uint32Array.from({ length: n }, (_, i) => i % table.nRows));
  const feeds: Record<string, Tensor> = {};
  for (const f of buildFeeds(source, mapping.bindings, 0, n)) feeds[f.name] = new ort.Tensor(f.type, f.data as never, f.dims);
  for (let i = 0; i < req.warmup; i++) await session.run(feeds, fetches);
  const runMs = new Float64Array(req.runs);
  const t0 = performance.now();
  let prev = t0;
  for (let i = 0; i < req.runs; i++) {
    await session.run(feeds, fetches);
    const now = performance.now();
    runMs[i] = now - prev;
    prev = now;
  }
  for (const t of Object.values(feeds)) t.dispose();
  return { type: 'timed', batch: n, runMs, loopMs: prev - t0 };
}

scope.onmessage = (ev) => {
  const req = ev.data;
  if (req.type === 'ping') return scope.postMessage({ type: 'pong' });
  (req.type === 'open' ? open(req) : time(req)).then(
    (reply) => scope.postMessage(reply, reply.type === 'timed' ? [reply.runMs.buffer] : []),
    (e: unknown) => scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
};
