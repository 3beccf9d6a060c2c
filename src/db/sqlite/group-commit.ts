// Group commit for the embedded SQLite journal: every write transaction runs here.
//
// Why: with synchronous=FULL each commit costs an fsync (about 1.7 ms here), so one
// transaction per record would cap the journal at a few hundred records a second. Here the
// transactions queued while a batch commits run together in ONE transaction on the one
// connection, each in a savepoint of its own, so:
// - one fsync is shared by every write of the batch, and a caller is answered only after
//   the commit that made its write durable;
// - a job that fails rolls back alone (its caller gets the error); a failed COMMIT fails
//   every job of the batch (none was acknowledged);
// - jobs run one after another and see each other's effects in order, so dedup is exact;
// - a job whose caller has stopped waiting (its signal aborted) is dropped before it runs;
// - a batch runs only while `writable()` holds (open.ts: the file is neither corrupt nor
//   deleted or replaced), asked again after its COMMIT: a batch that committed into a file
//   lost meanwhile is not acknowledged (its callers get the fault), since it went with it.
// A job's statements are synchronous underneath (better-sqlite3), so a batch runs to its
// end without waiting on I/O; `idle()` lets reads on the same connection wait for it, so
// no read sees a batch's uncommitted rows.
import type BetterSqlite3 from 'better-sqlite3';
import type { Row, Sql, WriteTx } from '../port.ts';

export interface GroupCommit {
  write<T>(job: (tx: WriteTx) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Resolves when no batch is running (at once when none is). */
  idle(): Promise<void>;
  /** How many batches have committed so far (readers tell a fresh snapshot from a stale one). */
  commits(): number;
}

interface Pending {
  job: (tx: WriteTx) => Promise<unknown>;
  signal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many writes share one transaction (bounds the time the loop is held). */
const MAX_BATCH = 256;

export function createGroupCommit(
  db: BetterSqlite3.Database,
  prepare: (sql: Sql) => BetterSqlite3.Statement,
  bind: (sql: Sql) => unknown[],
  /**
   * Throws (a DatabaseFault) when the file may not be written, or what was written is lost;
   * by default never (a database of its own, as in the unit tests).
   */
  writable: () => void = () => {},
): GroupCommit {
  const tx: WriteTx = {
    all: async (sql) => prepare(sql).all(...bind(sql)) as Row[],
    run: async (sql) => prepare(sql).run(...bind(sql)).changes,
  };

  // Prepared once: parsing them for every batch and job cost as much as the jobs' own work.
  const control = (sql: string) => {
    const statement = db.prepare(sql);
    return () => statement.run();
  };
  const begin = control('BEGIN');
  const savepoint = control('SAVEPOINT job');
  const release = control('RELEASE job');
  const rollbackTo = control('ROLLBACK TO job');
  const commit = control('COMMIT');
  const rollback = control('ROLLBACK');

  const queue: Pending[] = [];
  let scheduled = false;
  let running: Promise<void> | undefined;
  let committed = 0;

  const runBatch = async (batch: Pending[]) => {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      writable();
      begin();
      for (const { job } of batch) {
        savepoint();
        try {
          outcomes.push({ ok: true, value: await job(tx) });
          release();
        } catch (error) {
          rollbackTo();
          release();
          outcomes.push({ ok: false, error });
        }
      }
      commit();
      committed += 1;
      writable();
    } catch (error) {
      if (db.inTransaction) rollback();
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
  };

  const flush = () => {
    scheduled = false;
    const batch: Pending[] = [];
    while (queue.length > 0 && batch.length < MAX_BATCH) {
      const next = queue.shift() as Pending;
      if (next.signal?.aborted) next.reject(next.signal.reason);
      else batch.push(next);
    }
    if (batch.length === 0) return;
    running = runBatch(batch).finally(() => {
      running = undefined;
      schedule();
    });
  };

  function schedule() {
    if (scheduled || running || queue.length === 0) return;
    scheduled = true;
    // setImmediate: writes that arrive while this turn's I/O is handled join the batch.
    setImmediate(flush);
  }

  return {
    write: <T>(job: (tx: WriteTx) => Promise<T>, signal?: AbortSignal) =>
      new Promise<T>((resolve, reject) => {
        queue.push({
          job,
          signal,
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        schedule();
      }),
    idle: () => running ?? Promise.resolve(),
    commits: () => committed,
  };
}
