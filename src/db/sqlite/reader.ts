// Reads that can take long, run on reader threads (reader-worker.mjs), each with its own
// read-only connection.
//
// Why: better-sqlite3 runs a query synchronously on the thread that asks; a 30-day
// aggregate over a million lessons can take a few hundred ms, and on the main thread it
// would stall every other request for that long: the orchestrator's recordLesson included.
// In WAL mode other connections read a consistent snapshot while the main one writes.
//
// Promise:
// - Up to `threads` reads run at once, one per thread, in the order asked; threads start
//   when reads need them. A read whose every caller has stopped waiting (its signal
//   aborted) before its turn is skipped, so a backlog of long reads does not grow.
// - Identical reads (same SQL, same values) asked while one of them is pending share it:
//   one query, each caller its own copy of the rows. Never a stale answer: a caller joins
//   a read already handed to a thread only if no write has committed since (`commits`,
//   the writer's count), so the shared snapshot holds every write acknowledged before the
//   caller asked. A read still queued has no snapshot yet and is always shared.
// - Rows as the driver gives them, or a rejection carrying the SQLite error's message and
//   code. A thread that dies fails the reads it holds and is started again when needed;
//   closing waits for the queries at hand to finish.
//
// A few reads are handed to each thread ahead of their turn, so that it never waits for a
// busy event loop between two of them; each has a flag in shared memory that the thread
// reads just before running it, set when its last caller stops waiting.
import { Worker } from 'node:worker_threads';
import type { Row } from '../port.ts';

export interface SqliteReader {
  /** The rows of `sql` (with `?` placeholders) bound to `values`. */
  all(sql: string, values: unknown[], signal?: AbortSignal): Promise<Row[]>;
  close(): Promise<void>;
}

export interface ReaderOptions {
  /** How many reads may run at once (threads); default 1. */
  threads?: number;
  /** How many writes have committed so far; by default none ever do (a read-only use). */
  commits?: () => number;
}

type Reply = { id: number; rows?: Row[]; error?: { message: string; code?: string } };

interface Caller {
  resolve: (rows: Row[]) => void;
  reject: (e: Error) => void;
  /** Stops listening to the caller's signal. */
  settle: () => void;
}

interface Read {
  id: number;
  key: string;
  sql: string;
  values: unknown[];
  callers: Set<Caller>;
  /** Once handed to a thread: which, its flag's slot, and the commits there were then. */
  thread?: Thread;
  slot?: number;
  commitsAtHandOff?: number;
}

interface Thread {
  worker?: Worker;
  handed: Map<number, Read>;
}

/** Reads handed to one thread at once. */
const AHEAD = 4;
const ABANDONED = 1;

/** Values as a key: bigints as text (JSON has none), everything else as JSON. */
const keyOf = (sql: string, values: unknown[]) =>
  `${sql}\u0000${JSON.stringify(values, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;

export function createSqliteReader(
  path: string,
  busyTimeoutMs: number,
  options: ReaderOptions = {},
): SqliteReader {
  const count = Math.max(1, Math.trunc(options.threads ?? 1));
  const commits = options.commits ?? (() => 0);
  const threads: Thread[] = Array.from({ length: count }, () => ({ handed: new Map() }));
  const flags = new Int32Array(new SharedArrayBuffer(count * AHEAD * 4));
  const freeSlots = Array.from({ length: count * AHEAD }, (_, i) => i);
  const queue: Read[] = [];
  /** The read a new identical one may join, by key. */
  const joinable = new Map<string, Read>();
  let nextId = 0;
  let closed = false;

  const forget = (read: Read) => {
    if (joinable.get(read.key) === read) joinable.delete(read.key);
    if (read.thread) {
      read.thread.handed.delete(read.id);
      if (read.slot !== undefined) freeSlots.push(read.slot);
      read.thread = undefined;
      read.slot = undefined;
    }
  };

  const answer = (read: Read, outcome: { rows?: Row[]; error?: Error }) => {
    forget(read);
    let first = true;
    for (const caller of read.callers) {
      caller.settle();
      if (outcome.error) caller.reject(outcome.error);
      else {
        const rows = outcome.rows ?? [];
        caller.resolve(first ? rows : rows.map((row) => ({ ...row })));
        first = false;
      }
    }
    read.callers.clear();
  };

  const failThread = (thread: Thread, error: Error) => {
    for (const read of [...thread.handed.values()]) answer(read, { error });
  };

  const start = (thread: Thread) => {
    const w = new Worker(new URL('./reader-worker.mjs', import.meta.url), {
      workerData: { path, busyTimeoutMs, flags },
    });
    w.unref();
    w.on('message', ({ id, rows, error }: Reply) => {
      const read = thread.handed.get(id);
      if (!read) return;
      // Abandoned: every caller has been answered already.
      if (error?.code === 'ABANDONED') forget(read);
      else if (error)
        answer(read, { error: Object.assign(new Error(error.message), { code: error.code }) });
      else answer(read, { rows });
      next();
    });
    w.on('error', (error) => {
      if (thread.worker === w) thread.worker = undefined;
      failThread(thread, error);
      next();
    });
    w.on('exit', () => {
      if (thread.worker === w) thread.worker = undefined;
      failThread(thread, new Error('the SQLite reader thread stopped'));
      next();
    });
    return w;
  };

  /** A thread with room for one more read: the least busy, a running one before a new one. */
  const pick = (): Thread | undefined => {
    let best: Thread | undefined;
    for (const thread of threads) {
      if (thread.handed.size >= AHEAD) continue;
      if (
        !best ||
        thread.handed.size < best.handed.size ||
        (thread.handed.size === best.handed.size && thread.worker && !best.worker)
      )
        best = thread;
    }
    return best;
  };

  /** Hands queued reads still awaited to threads; a thread keeps the process alive meanwhile. */
  const next = () => {
    while (queue.length > 0) {
      const read = queue[0] as Read;
      if (read.callers.size === 0) {
        queue.shift();
        forget(read);
        continue;
      }
      if (closed) {
        queue.shift();
        answer(read, { error: new Error('the SQLite reader is closed') });
        continue;
      }
      const thread = pick();
      if (!thread) break;
      queue.shift();
      thread.worker ??= start(thread);
      const slot = freeSlots.pop() as number;
      Atomics.store(flags, slot, 0);
      Object.assign(read, { thread, slot, commitsAtHandOff: commits() });
      thread.handed.set(read.id, read);
      thread.worker.postMessage({ id: read.id, slot, sql: read.sql, values: read.values });
    }
    for (const thread of threads) {
      if (thread.handed.size > 0) thread.worker?.ref();
      else thread.worker?.unref();
    }
  };

  /** A caller stopped waiting: the read goes on only while another caller still waits. */
  const leave = (read: Read, caller: Caller) => {
    read.callers.delete(caller);
    if (read.callers.size > 0) return;
    if (joinable.get(read.key) === read) joinable.delete(read.key);
    if (read.slot !== undefined) Atomics.store(flags, read.slot, ABANDONED);
  };

  return {
    all: (sql, values, signal) =>
      new Promise<Row[]>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const key = keyOf(sql, values);
        let read = joinable.get(key);
        if (!read || (read.thread && read.commitsAtHandOff !== commits())) {
          read = { id: nextId++, key, sql, values, callers: new Set() };
          joinable.set(key, read);
          queue.push(read);
        }
        const shared = read;
        const onAbort = () => {
          leave(shared, caller);
          reject(signal?.reason);
        };
        const caller: Caller = {
          resolve,
          reject,
          settle: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        shared.callers.add(caller);
        next();
      }),
    // Not worker.terminate(): a thread terminated while better-sqlite3 runs a query aborts
    // the whole process. Each thread finishes the reads handed to it, then stops.
    close: async () => {
      closed = true;
      next();
      await Promise.all(
        threads.map(async (thread) => {
          const w = thread.worker;
          thread.worker = undefined;
          if (!w) return;
          const exited = new Promise((resolve) => w.once('exit', resolve));
          w.ref();
          w.postMessage({ close: true });
          await exited;
        }),
      );
    },
  };
}
