/**
 * The one place that owns the engine worker's life: starts it, wraps it with comlink, hands out job
 * ids, cancels, and restarts it when it dies (an exception or out-of-memory), telling the page why.
 * Everything else talks to `Engine`, never to the Worker object.
 */
import * as Comlink from 'comlink';
import type { EngineApi } from './engine.worker';

export type { EngineApi, OpenedModel, ScoreRequest, ScoreResult, ProgressFn } from './engine.worker';

/** A job that can be cancelled; `promise` rejects with an AbortError-named Error only for parsing. */
export interface Job<T> {
  id: string;
  promise: Promise<T>;
  cancel(): void;
}

let jobCounter = 0;
export const newJobId = (kind: string) => `${kind}-${++jobCounter}`;

export class Engine {
  #worker: Worker | null = null;
  #api: Comlink.Remote<EngineApi> | null = null;
  #onCrash: (message: string) => void;
  /** Rejects when the current worker dies, so calls in flight fail instead of hanging. */
  #died: Promise<never> = new Promise(() => {});
  #die: (e: Error) => void = () => {};

  /** @param onCrash told, in words, when the worker died; the next call starts a fresh worker. */
  constructor(onCrash: (message: string) => void) {
    this.#onCrash = onCrash;
  }

  /** The comlink proxy, starting the worker on first use. */
  get api(): Comlink.Remote<EngineApi> {
    if (!this.#api) {
      const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'loupe-engine' });
      worker.addEventListener('error', (ev) => this.#crashed(`The engine worker stopped: ${ev.message || 'unknown error'}`));
      worker.addEventListener('messageerror', () => this.#crashed('The engine worker sent a message that could not be read.'));
      this.#died = new Promise<never>((_, reject) => (this.#die = reject));
      this.#died.catch(() => {});
      this.#worker = worker;
      this.#api = Comlink.wrap<EngineApi>(worker);
    }
    return this.#api;
  }

  /** Runs a cancellable job: `run` receives the job id to pass to the worker. */
  job<T>(kind: string, run: (api: Comlink.Remote<EngineApi>, jobId: string) => Promise<T>): Job<T> {
    const id = newJobId(kind);
    const api = this.api;
    return { id, promise: this.call(() => run(api, id)), cancel: () => void api.cancel(id) };
  }

  /** Any call to the worker, failing (rather than hanging) if the worker dies meanwhile. */
  call<T>(run: (api: Comlink.Remote<EngineApi>) => Promise<T>): Promise<T> {
    const api = this.api;
    return Promise.race([run(api), this.#died]);
  }

  /** Stops the worker; everything it held (tables, sessions) is gone. */
  terminate(): void {
    this.#worker?.terminate();
    this.#api?.[Comlink.releaseProxy]();
    this.#worker = null;
    this.#api = null;
  }

  #crashed(message: string) {
    this.#die(new Error(message));
    this.terminate();
    this.#onCrash(message);
  }
}

/** Wraps a progress callback so comlink calls it across the worker boundary. */
export const progress = (fn: (done: number, total: number) => void) => Comlink.proxy(fn);
