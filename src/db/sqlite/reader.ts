// Reads that can take long, run on a reader thread (reader-worker.mjs) with its own
// read-only connection.
//
// Why: better-sqlite3 runs a query synchronously on the thread that asks; a 30-day
// aggregate over a million lessons takes a few hundred ms, and on the main thread it would
// stall every other request for that long: the orchestrator's recordLesson included. In
// WAL mode a second connection reads a consistent snapshot while the main one writes.
//
// Promise: reads run one at a time in the order asked; one whose caller has stopped
// waiting (its signal aborted) before its turn is skipped, so a backlog of long reads does
// not grow. Rows as the driver gives them, or a rejection carrying the SQLite error's
// message and code. A reader that dies fails its pending reads and is started again on the
// next one; closing waits for the query at hand to finish.
import { Worker } from 'node:worker_threads';
import type { Row } from '../port.ts';

export interface SqliteReader {
  /** The rows of `sql` (with `?` placeholders) bound to `values`. */
  all(sql: string, values: unknown[], signal?: AbortSignal): Promise<Row[]>;
  close(): Promise<void>;
}

type Reply = { id: number; rows?: Row[]; error?: { message: string; code?: string } };

interface Read {
  id: number;
  sql: string;
  values: unknown[];
  signal: AbortSignal | undefined;
  resolve: (rows: Row[]) => void;
  reject: (e: Error) => void;
}

export function createSqliteReader(path: string, busyTimeoutMs: number): SqliteReader {
  let worker: Worker | undefined;
  let nextId = 0;
  const queue: Read[] = [];
  let current: Read | undefined;
  let closed = false;

  const failAll = (error: Error) => {
    current?.reject(error);
    current = undefined;
    for (const read of queue.splice(0)) read.reject(error);
  };

  const start = () => {
    const w = new Worker(new URL('./reader-worker.mjs', import.meta.url), {
      workerData: { path, busyTimeoutMs },
    });
    w.unref();
    w.on('message', ({ id, rows, error }: Reply) => {
      const read = current;
      if (!read || read.id !== id) return;
      current = undefined;
      if (error) read.reject(Object.assign(new Error(error.message), { code: error.code }));
      else read.resolve(rows ?? []);
      next();
    });
    w.on('error', (error) => {
      worker = undefined;
      failAll(error);
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
      failAll(new Error('the SQLite reader thread stopped'));
    });
    return w;
  };

  /** Hands the next read still awaited to the thread; it keeps the process alive meanwhile. */
  const next = () => {
    while (!current && queue.length > 0) {
      const read = queue.shift() as Read;
      if (closed) {
        read.reject(new Error('the SQLite reader is closed'));
        continue;
      }
      if (read.signal?.aborted) {
        read.reject(read.signal.reason);
        continue;
      }
      worker ??= start();
      current = read;
      worker.ref();
      worker.postMessage({ id: read.id, sql: read.sql, values: read.values });
    }
    if (!current) worker?.unref();
  };

  return {
    all: (sql, values, signal) =>
      new Promise<Row[]>((resolve, reject) => {
        queue.push({ id: nextId++, sql, values, signal, resolve, reject });
        next();
      }),
    // Not worker.terminate(): a thread terminated while better-sqlite3 runs a query aborts
    // the whole process. The reader finishes the query at hand, then stops.
    close: async () => {
      closed = true;
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.ref();
      w.postMessage({ close: true });
      await exited;
    },
  };
}
