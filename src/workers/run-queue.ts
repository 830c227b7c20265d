/**
 * What every job in the engine worker shares: one `session.run` at a time (scoring, an explanation
 * and a what-if edit can all be in flight; onnxruntime-web sessions must not run concurrently), and a
 * yield between batches so a queued cancel message can land.
 */

let runLock: Promise<unknown> = Promise.resolve();

/** Runs `fn` after every earlier exclusive call has settled. */
export function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const next = runLock.then(fn, fn);
  runLock = next.catch(() => {});
  return next;
}

// One MessageChannel task per waiter (setTimeout is clamped to 4 ms when nested); waiters queue so
// that concurrent jobs each get their turn.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

/** Resolves after the worker has handled the messages already queued (e.g. a cancel). */
export function yieldToEvents(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
