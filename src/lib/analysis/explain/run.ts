/**
 * The boundary every model-agnostic explainer calls through: an async predictor over table rows,
 * fed whole synthetic tables in chunks, with progress and cancel between chunks.
 */
import type { Table } from '../../data/table';

/**
 * One number per row of `rows`, in the output space the caller chose: P(positive) or its log-odds for a
 * binary model, P(class k) for a multiclass one, the value for a regression. The players of every
 * explainer are the table's CSV columns, whatever the model does with them inside its graph.
 */
export type Predictor = (rows: Table) => Promise<Float64Array>;

/** Progress in model rows: `done` of `total` (the figure `estimate...Calls` returns). */
export type ProgressFn = (done: number, total: number) => void;

export interface RunOptions {
  onProgress?: ProgressFn;
  /** Checked between chunks; when set, the explainer stops with an Error named 'AbortError'. */
  signal?: { readonly aborted: boolean };
  /** Most rows per predictor call (default {@link CHUNK_ROWS}). */
  chunkRows?: number;
}

/** Default rows per predictor call: large enough to amortise a session run, small enough to cancel quickly. */
export const CHUNK_ROWS = 8192;

export function abortError(): Error {
  const e = new Error('The explanation was cancelled.');
  e.name = 'AbortError';
  return e;
}

export function throwIfAborted(signal: RunOptions['signal']): void {
  if (signal?.aborted) throw abortError();
}

/** Counts model rows across the phases of one job and reports them. */
export class Progress {
  done = 0;
  constructor(
    public total: number,
    private readonly opts: RunOptions,
  ) {}

  add(rows: number): void {
    this.done += rows;
    this.opts.onProgress?.(Math.min(this.done, this.total), this.total);
  }
}

/** Calls `predict` on `table` and checks it answered one finite-or-NaN number per row. */
export async function predictChecked(predict: Predictor, table: Table): Promise<Float64Array> {
  const out = await predict(table);
  if (out.length !== table.nRows) {
    throw new Error(`The predictor returned ${out.length} values for ${table.nRows} rows.`);
  }
  return out;
}

/**
 * Scores `total` synthetic rows built chunk by chunk: `build(start, end)` returns the table of rows
 * [start, end). Checks the signal before each chunk and reports progress after it.
 */
export async function predictBuilt(
  predict: Predictor,
  total: number,
  build: (start: number, end: number) => Table,
  opts: RunOptions,
  progress: Progress,
  chunk = opts.chunkRows ?? CHUNK_ROWS,
): Promise<Float64Array> {
  const out = new Float64Array(total);
  for (let start = 0; start < total; start += chunk) {
    throwIfAborted(opts.signal);
    const end = Math.min(total, start + chunk);
    out.set(await predictChecked(predict, build(start, end)), start);
    progress.add(end - start);
  }
  return out;
}

/** Lets a worker read queued messages (a cancel) during long pure loops: yields at most every `ms`. */
export function yielder(ms = 30): () => Promise<void> {
  let last = now();
  return async () => {
    if (now() - last < ms) return;
    await new Promise<void>((r) => setTimeout(r, 0));
    last = now();
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
