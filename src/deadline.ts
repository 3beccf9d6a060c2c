// The one deadline mechanism: an operation's time bound is an AbortSignal that travels
// from the journal's guard down to the backend, and `untilAborted` is the one place where
// a caller stops waiting for work that has not answered by then.

/** The deadline's reason when it passes. */
export class OperationTimeout extends Error {
  constructor(readonly ms: number) {
    super(`the operation took longer than ${ms} ms`);
    this.name = 'OperationTimeout';
  }
}

/** A signal that aborts with an OperationTimeout after `ms`, and a way to stop its timer. */
export function deadline(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new OperationTimeout(ms)), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** `work`'s outcome, or a rejection with the signal's reason as soon as it aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
