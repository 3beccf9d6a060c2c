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
//
// A few reads are handed to the thread ahead of their turn, so that it never waits for a
// busy event loop between two of them; each has a flag in shared memory that the thread
// reads just before running it, set when its caller stops waiting.
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
  /** Stops flagging the read as abandoned once it is answered. */
  settle?: () => void;
}

/** Reads handed to the thread at once; flag slots (more, so a slot is never shared). */
const AHEAD = 4;
const SLOTS = 64;
const ABANDONED = 1;

export function createSqliteReader(path: string, busyTimeoutMs: number): SqliteReader {
  let worker: Worker | undefined;
  let nextId = 0;
  const queue: Read[] = [];
  const handed = new Map<number, Read>();
  const flags = new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
  let closed = false;

  const answer = (read: Read, outcome: { rows?: Row[]; error?: Error }) => {
    handed.delete(read.id);
    read.settle?.();
    if (outcome.error) read.reject(outcome.error);
    else read.resolve(outcome.rows ?? []);
  };

  const failAll = (error: Error) => {
    for (const read of [...handed.values(), ...queue.splice(0)]) answer(read, { error });
  };

  const start = () => {
    const w = new Worker(new URL('./reader-worker.mjs', import.meta.url), {
      workerData: { path, busyTimeoutMs, flags },
    });
    w.unref();
    w.on('message', ({ id, rows, error }: Reply) => {
      const read = handed.get(id);
      if (!read) return;
      if (error?.code === 'ABANDONED') answer(read, { error: read.signal?.reason as Error });
      else if (error)
        answer(read, { error: Object.assign(new Error(error.message), { code: error.code }) });
      else answer(read, { rows });
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

  /** Hands reads still awaited to the thread; it keeps the process alive meanwhile. */
  const next = () => {
    while (handed.size < AHEAD && queue.length > 0) {
      const read = queue.shift() as Read;
      if (closed) {
        answer(read, { error: new Error('the SQLite reader is closed') });
        continue;
      }
      if (read.signal?.aborted) {
        answer(read, { error: read.signal.reason as Error });
        continue;
      }
      worker ??= start();
      const slot = read.id % SLOTS;
      Atomics.store(flags, slot, 0);
      const abandon = () => Atomics.store(flags, slot, ABANDONED);
      read.signal?.addEventListener('abort', abandon, { once: true });
      read.settle = () => read.signal?.removeEventListener('abort', abandon);
      handed.set(read.id, read);
      worker.postMessage({ id: read.id, slot, sql: read.sql, values: read.values });
    }
    if (handed.size > 0) worker?.ref();
    else worker?.unref();
  };

  return {
    all: (sql, values, signal) =>
      new Promise<Row[]>((resolve, reject) => {
        queue.push({ id: nextId++, sql, values, signal, resolve, reject });
        next();
      }),
    // Not worker.terminate(): a thread terminated while better-sqlite3 runs a query aborts
    // the whole process. The reader finishes the reads handed to it, then stops.
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
