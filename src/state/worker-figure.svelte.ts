/**
 * A figure computed in the engine worker for a view: read it from a `$derived` (or a getter) with the
 * inputs it depends on; a change of inputs starts one worker call, and the figure keeps its last value
 * (`computing` true) until the answer arrives. Answers to superseded requests are dropped, so a slider
 * dragged across many values shows only the last one. Nothing runs until something reads it.
 */
import type { Remote } from 'comlink';
import type { EngineApi } from '../workers/engine-bridge';
import { VECTORS_MISSING, type InputRef, type QualityInput } from '../workers/analysis-jobs';
import type { LoupeSession } from './session.svelte';

export class WorkerFigure<T> {
  value = $state.raw<T | null>(null);
  computing = $state(false);
  /** The worker's error for the current inputs, in words. */
  error = $state<string | null>(null);
  #run: unknown = undefined;
  #sig: string | undefined = undefined;
  #shape: string | undefined = undefined;
  #request = 0;

  /**
   * The figure for `run` (the object whose identity names the scoring run and data; null: nothing to
   * compute) and `params` (compared as JSON); `compute` is called only when either changed. A new run,
   * or a new `shape` (the params that change what the figure is about, e.g. which groups), clears the
   * old figure at once; other new params keep it until the answer.
   */
  read(run: object | null, params: unknown, compute: () => Promise<T>, shape: unknown = null): T | null {
    const sig = JSON.stringify(params ?? null), shapeSig = JSON.stringify(shape);
    if (run !== this.#run || sig !== this.#sig || shapeSig !== this.#shape) {
      const newRun = run !== this.#run || shapeSig !== this.#shape;
      this.#run = run;
      this.#sig = sig;
      this.#shape = shapeSig;
      const id = ++this.#request;
      // Reads happen inside derivations, where state must not change: start on the next microtask.
      queueMicrotask(() => void this.#start(id, run, newRun, compute));
    }
    return this.value;
  }

  #inFlight = false;
  #pending: (() => void) | null = null;

  async #start(id: number, run: object | null, newRun: boolean, compute: () => Promise<T>): Promise<void> {
    if (id !== this.#request) return;
    if (newRun) this.value = null;
    if (!run) {
      this.computing = false;
      this.error = null;
      return;
    }
    this.computing = true;
    // One call in flight per figure: the worker computes synchronously, so a slider dragged across
    // fifty values would otherwise queue fifty computations. The latest waits; older ones are dropped.
    if (this.#inFlight) {
      this.#pending = () => void this.#start(id, run, false, compute);
      return;
    }
    this.#inFlight = true;
    try {
      const v = await compute();
      if (id === this.#request) {
        this.value = v;
        this.error = null;
      }
    } catch (e) {
      if (id === this.#request) {
        this.value = null;
        this.error = (e as Error).message;
      }
    } finally {
      this.#inFlight = false;
      const next = this.#pending;
      this.#pending = null;
      if (next) next();
      else if (id === this.#request) this.computing = false;
    }
  }
}

type Caller = Pick<LoupeSession, 'call'>;
const sent = new WeakMap<object, Promise<string>>();
let nextKey = 0;

/**
 * Sends `value` to the worker once, under a fresh key, with `keep` (e.g. `api.keepVectors`), and
 * returns the key; later calls with the same object reuse it, `fresh` sends it again.
 */
export function keepOnce<T extends object>(session: Caller, value: T, keep: (api: Remote<EngineApi>, key: string, value: T) => Promise<void>, fresh = false): Promise<string> {
  let p = fresh ? undefined : sent.get(value);
  if (!p) {
    const key = `kept-${++nextKey}`;
    p = session.call((api) => keep(api, key, value)).then(() => key);
    sent.set(value, p);
    p.catch(() => sent.delete(value));
  }
  return p;
}

/** Runs `call` with the kept keys; when the worker lost them (evicted, or restarted), sends them again once. */
export async function retryIfLost<T>(call: (fresh: boolean) => Promise<T>): Promise<T> {
  try {
    return await call(false);
  } catch (e) {
    if (!(e as Error).message.includes(VECTORS_MISSING)) throw e;
    return call(true);
  }
}

/**
 * Calls the worker with a reference to a run's vectors instead of the vectors: they cross once per run
 * (a million labels and scores are 5 MB, tens of milliseconds of copying on the page per call), and
 * again only when the worker lost them (evicted, or restarted).
 */
export function withVectors<T>(session: Caller, input: QualityInput, fn: (api: Remote<EngineApi>, ref: InputRef) => Promise<T>): Promise<T> {
  return retryIfLost(async (fresh) => {
    const key = await keepOnce(session, input, (api, k, v) => api.keepVectors(k, v), fresh);
    return session.call((api) => fn(api, { ref: key }));
  });
}
