// The one deadline mechanism: an operation's time bound is an AbortSignal that travels
// from the journal's guard down to the backend (which skips what has not started by then),
// and `withDeadline` is the one place where a caller stops waiting for work that has not
// answered by then. Its timer both aborts the signal and answers the caller, so nothing
// listens on the signal per operation (an event listener added and removed on every
// record cost more than the timer).

/** The deadline's reason when it passes. */
export class OperationTimeout extends Error {
  constructor(readonly ms: number) {
    super(`the operation took longer than ${ms} ms`);
    this.name = 'OperationTimeout';
  }
}

/**
 * `work`'s outcome, given a signal that aborts with an OperationTimeout after `ms`; or that
 * OperationTimeout as soon as it passes, whatever `work` is still doing.
 */
export function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const reason = new OperationTimeout(ms);
      controller.abort(reason);
      reject(reason);
    }, ms);
    let running: Promise<T>;
    try {
      running = work(controller.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
