// Reads that can take long, run on a reader thread (sqlite-reader-worker.mjs) with its own
// read-only connection.
//
// Why: better-sqlite3 (and so Prisma's SQLite adapter) runs a query synchronously on the
// thread that asks; a 30-day aggregate over a million lessons takes a few hundred ms, and
// on the main thread it would stall every other request for that long: the orchestrator's
// recordLesson included. In WAL mode a second connection reads a consistent snapshot while
// the main one writes.
//
// Promise: rows as the driver gives them (integers as bigint, timestamps as epoch ms,
// JSON as text), or a rejection carrying the SQLite error's message and code. A reader
// that dies fails its pending reads and is started again on the next one; closing waits
// for the query at hand to finish.
import { Worker } from 'node:worker_threads';
import type { Prisma } from '../generated/prisma/client.ts';

export interface SqliteReader {
  /** The rows of `sql`; skipped (rejected) if it is still queued at `expiresAt` (epoch ms). */
  all<R = Record<string, unknown>>(sql: Prisma.Sql, expiresAt?: number): Promise<R[]>;
  close(): Promise<void>;
}

type Reply = { id: number; rows?: unknown[]; error?: { message: string; code?: string } };

export function createSqliteReader(path: string, busyTimeoutMs: number): SqliteReader {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }
  >();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const start = () => {
    const w = new Worker(new URL('./sqlite-reader-worker.mjs', import.meta.url), {
      workerData: { path, busyTimeoutMs },
    });
    w.on('message', ({ id, rows, error }: Reply) => {
      const waiting = pending.get(id);
      if (!waiting) return;
      pending.delete(id);
      if (pending.size === 0) w.unref();
      if (error) waiting.reject(Object.assign(new Error(error.message), { code: error.code }));
      else waiting.resolve(rows ?? []);
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

  return {
    all: <R>(sql: Prisma.Sql, expiresAt?: number) =>
      new Promise<R[]>((resolve, reject) => {
        worker ??= start();
        // The reader keeps the process alive while a read is pending, not when idle.
        if (pending.size === 0) worker.ref();
        const id = nextId++;
        pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        worker.postMessage({
          id,
          sql: sql.sql,
          values: sql.values.map((v) => (v instanceof Date ? v.getTime() : v)),
          expiresAt,
        });
      }),
    // Not worker.terminate(): a thread terminated while better-sqlite3 runs a query aborts
    // the whole process. The reader finishes the query at hand, then stops.
    close: async () => {
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
